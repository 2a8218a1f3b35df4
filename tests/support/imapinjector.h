// An IMAP-aware proxy in front of Dovecot's plain port that makes a real
// server misbehave in chosen ways, and records what the client sent.
#pragma once

#include <QByteArray>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QVector>

#include <memory>

namespace Lookback::Test {

// Sits on a free 127.0.0.1 port in front of Dovecot's PLAIN port (the client
// uses connection security "none", or STARTTLS: after the server's tagged OK
// to STARTTLS the rest of the connection is relayed untouched). It frames the
// server's responses (lines joined across {n} literals) and applies rules to
// them before the client sees them: insert, replace, drop, rewrite, slow down.
//
// A rule applies to the responses that answer the client's commands whose
// text matches (Match), on every connection, as many times as it says (-1 =
// no limit); each adder returns the rule's id for fired(). FETCH rules for a
// UID look for "UID n" in the response before its first literal (Dovecot
// puts it first). The greeting answers no command: only setGreeting() and
// rewrite() with an empty Match see it.
//
// Thread: the relay runs on a thread of its own (see TcpRelay); every method
// here is called from the test's thread and is thread-safe. Owner: the test.
class ImapInjector
{
public:
    struct Match
    {
        Match() = default;
        Match(const QByteArray &command, const QString &mailbox = QString()) : command(command), mailbox(mailbox) {}
        QByteArray command; // the command (without its tag) contains this, case-insensitive; empty: any
        QString mailbox;    // the mailbox selected when it was sent (case-insensitive); empty: any
    };
    enum class Corruption {
        BadSize,          // RFC822.SIZE is not a number
        BadBodyStructure, // BODYSTRUCTURE NIL: not a list
        NoBodyStructure,  // the BODYSTRUCTURE item is removed
        BrokenSyntax,     // an unbalanced parenthesis: the response cannot even be tokenized
    };
    // One line the client sent (commands and continuation data; literals inlined).
    struct ClientLine
    {
        int connection = 0;
        QByteArray tag;     // empty for continuation data
        QByteArray text;    // without the tag and the CRLF
        QString mailbox;    // selected when it was sent
    };

    ImapInjector();
    ~ImapInjector();
    ImapInjector(const ImapInjector &) = delete;
    ImapInjector &operator=(const ImapInjector &) = delete;

    bool start(const QString &host, quint16 plainPort, QString *error);
    void stop();
    quint16 port() const;

    // The server's greeting line is replaced by this (CRLF added), e.g. "* PREAUTH ...".
    int setGreeting(const QByteArray &line, int times = -1);
    // Inserted before the first response (untagged or tagged) to each matching command.
    int insertAtStart(const Match &match, const QByteArray &responses, int times = -1);
    // Inserted just before the tagged response to each matching command.
    int insertBeforeTagged(const Match &match, const QByteArray &responses, int times = -1);
    // Inserted before a server response that contains `needle` (case-sensitive), wherever it comes.
    int insertBeforeResponse(const QByteArray &needle, const QByteArray &responses, int times = 1);
    // Gmail's refusal: drops the FETCH responses for `uid` in `mailbox` and
    // turns the tagged result of every FETCH that named it into "NO <text>".
    int refuseFetch(const QString &mailbox, quint32 uid,
                    const QByteArray &text = "Some messages could not be FETCHed (Failure)", int times = -1);
    // Damages the FETCH responses for `uid` in `mailbox` (those that carry what the corruption needs).
    int corruptFetch(const QString &mailbox, quint32 uid, Corruption how, int times = -1);
    // From the first response to a matching command on, that connection gets one byte every `intervalMs`.
    int drip(const Match &match, int intervalMs, int times = 1);
    // `count` copies of `line` (CRLF added) before the tagged response to each
    // matching command, generated as the client reads them (memory stays flat here).
    int flood(const Match &match, const QByteArray &line, qint64 count, int times = -1);
    // Drops the server's SEARCH / ESEARCH answers to matching commands and
    // answers with one old-style line "* SEARCH uid uid ..." instead.
    int answerSearch(const Match &match, const QVector<quint32> &uids, int times = -1);
    // Every response to matching commands (an empty Match includes the greeting):
    // each match of `re` is replaced (QRegularExpression::replace syntax, \1 for groups).
    int rewrite(const Match &match, const QRegularExpression &re, const QByteArray &replacement, int times = -1);
    // Removes a capability (e.g. "ESEARCH") from the greeting, CAPABILITY responses and codes.
    int removeCapability(const QByteArray &capability);
    // The tagged response to matching commands becomes "TAG <statusAndText>", e.g. "NO <b>x</b>".
    int replaceTagged(const Match &match, const QByteArray &statusAndText, int times = -1);
    // Sent in plain text right behind the server's tagged OK to STARTTLS, in the same write.
    int injectAfterStartTls(const QByteArray &plaintext, int times = -1);
    void clearRules();

    // How often rule `id` acted (once per command, or per response for FETCH rules).
    int fired(int id) const;
    int connections() const;
    QList<ClientLine> clientLines() const;
    // What connection `connection` delivered to the client before any STARTTLS
    // (the first 16 MB), after the rules.
    QByteArray toClient(int connection) const;
    qint64 floodLinesDelivered() const;
    qint64 longestLineDelivered() const; // the longest run of bytes between two line feeds

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Lookback::Test
