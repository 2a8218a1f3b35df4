// A real Dovecot IMAP server on free 127.0.0.1 ports, owned by one test.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <memory>

class QProcess;

namespace Lookback::Test {

class DovecotServer
{
public:
    DovecotServer();
    ~DovecotServer(); // stops the server and removes its temporary folder
    DovecotServer(const DovecotServer &) = delete;
    DovecotServer &operator=(const DovecotServer &) = delete;

    // Creates the temporary folder below /tmp (0755, first call only), the config and
    // the users file, picks two free 127.0.0.1 ports (until a start succeeds; later
    // starts keep them; up to 3 attempts on EADDRINUSE) and runs `dovecot -F -c CONF`.
    // Returns once the plain port greets ("ready") and the auth sockets exist (timeout
    // 10 s); on failure *error holds the reason and the tails of dovecot's stderr and
    // dovecot.log. Calling it while running is a no-op that returns true.
    // Typical: ~0.15-0.5 s (+0.1-0.5 s for the certificate on the first start per process).
    bool start(QString *error);
    // Kills the master (SIGKILL) and waits until its child processes are gone (~20 ms);
    // children still alive after 2 s get SIGKILL. To connected clients this looks like a
    // server crash (the connection drops). Idempotent. Makes this process a child
    // subreaper (PR_SET_CHILD_SUBREAPER) on first start so the orphaned Dovecot
    // processes can be reaped here rather than left as zombies.
    void stop();
    // stop() + start(): same ports, same mail, same password.
    bool restart(QString *error);
    bool isRunning() const;

    QString host() const; // "127.0.0.1"
    quint16 plainPort() const; // plain, STARTTLS-capable
    quint16 tlsPort() const;   // implicit TLS
    QString user() const;      // "alice"
    QString password() const;  // random, fixed for the lifetime of this object
    QString certificatePath() const; // PEM, CN=localhost, SAN IP:127.0.0.1,DNS:localhost
    QByteArray certificatePem() const;
    QString mailRoot() const;  // alice's Maildir (INBOX); other folders are .NAME below it
    QString rootDir() const;   // the temporary folder holding everything
    QString configPath() const;

    // Folder on disk for a mailbox name ("INBOX" -> mailRoot(), "Sent" -> mailRoot()/.Sent,
    // "A/B" -> mailRoot()/.A.B).
    QString mailboxDir(const QString &mailbox) const;

    // Writes rfc822 as a Maildir file into the mailbox's cur/ (flags ":2,S", mtime =
    // internalDate = Dovecot's INTERNALDATE), creating the folder if needed, owned by
    // 10000:10000. Works before start() and while running (Dovecot sees it on its next
    // sync, e.g. the next SELECT/NOOP/STATUS). UIDs follow
    // the order of the addMessage() calls: file names carry a strictly increasing
    // timestamp and Dovecot assigns new UIDs in file-name order.
    bool addMessage(const QString &mailbox, const QByteArray &rfc822, const QDateTime &internalDate,
                    QString *error = nullptr);
    // A plain-text RFC 5322 message with CRLF line endings. Non-ASCII in the subject or
    // in display names is RFC 2047-encoded; the body is UTF-8 8bit.
    static QByteArray makeMessage(const QString &messageId, const QString &subject, const QString &from,
                                  const QString &to, const QDateTime &date, const QString &body);
    // Files in cur/ + new/ of the mailbox (0 when the folder does not exist).
    int messageCount(const QString &mailbox) const;

    // Forces a new UIDVALIDITY for a mailbox; the messages stay and get new UIDs
    // (1..n, in file-name order). Stops the server, deletes the folder's dovecot-uidlist
    // and dovecot.index* (and the mailbox-list index), restarts, and checks with doveadm
    // that the value changed. *newUidValidity (optional) receives the new value.
    bool bumpUidValidity(const QString &mailbox, QString *error, quint32 *newUidValidity = nullptr);
    // UIDVALIDITY via `doveadm mailbox status` (server must be running). 0 on failure.
    quint32 uidValidity(const QString &mailbox, QString *error = nullptr) const;
    // Runs `doveadm -c CONF ARGS` (e.g. {"save","-u","alice","-m","INBOX"} with stdinData);
    // returns false with stderr in *error on a non-zero exit.
    bool doveadm(const QStringList &args, QByteArray *stdoutData = nullptr, QString *error = nullptr,
                 const QByteArray &stdinData = QByteArray()) const;

    // Raw protocol log (Dovecot 2.3 `rawlog_dir` in `protocol imap`): set before start()
    // (or before restart()). One NAME.in (client->server) and NAME.out file per IMAP
    // session, written as the session goes, starting after LOGIN/AUTHENTICATE.
    void setRawLogEnabled(bool enabled);
    bool rawLogEnabled() const;
    QString rawLogDir() const;
    QStringList rawLogInputs() const;  // *.in paths, sorted (= session start order)
    QStringList rawLogOutputs() const; // *.out paths, sorted
    void clearRawLogs();               // deletes the recorded sessions so far

    // One client command seen in the rawlog.
    struct RawCommand {
        QString session;        // .in file name
        QString tag;
        QString name;           // upper case: "SELECT", "FETCH", "UID FETCH", "UID SEARCH", ...
        QString arguments;      // the rest of the line, literals inlined as quoted strings
                                // (long/binary literals as "{N bytes}")
        QString mailbox;        // mailbox selected when the command was sent ("" = none)
    };
    QList<RawCommand> rawLogCommands() const;

    // Per (mailbox, UID): how many UID FETCH commands asked for the message as a whole:
    // BODYSTRUCTURE, BODY (bare), BODY[] / BODY.PEEK[] (whole message),
    // BODY[HEADER] / BODY.PEEK[HEADER] (whole header), BINARY[] / BINARY.PEEK[],
    // RFC822, RFC822.HEADER, RFC822.TEXT or the FULL macro (see isFullFetch()). Part
    // fetches that follow a structure fetch (BODY.PEEK[1], BINARY.PEEK[2.1],
    // BODY.PEEK[HEADER.FIELDS (...)]) and ENVELOPE, FLAGS, UID, INTERNALDATE,
    // RFC822.SIZE, BINARY.SIZE, MODSEQ, ... do not count. One command counts a UID once.
    // The selected mailbox is tracked from SELECT/EXAMINE (UNSELECT/CLOSE clear it);
    // INBOX is normalised to "INBOX". UID sets are expanded; ranges and "*" are
    // resolved against the UIDs currently listed in the folder's dovecot-uidlist (a
    // range beyond them counts only existing UIDs; without a uidlist ranges expand
    // literally and "*" means the range start). Sequence-number FETCHes are ignored.
    QHash<QPair<QString, quint32>, int> fullFetchCountsByMailboxUid() const;
    static bool isFullFetch(const QString &fetchItems);

    QString logPath() const;
    QString logTail(int lines = 40) const;

private:
    bool ensureRoot(QString *error);
    bool startOnce(QString *error, bool *addressInUse);
    bool writeConfig(QString *error);
    bool ensureMailboxDir(const QString &mailbox, QString *error);
    bool waitUntilReady(QString *error, bool *addressInUse);
    QString failureText(const QString &what) const;
    QList<quint32> knownUids(const QString &mailbox) const;

    QString m_root;
    QString m_password;
    quint16 m_plainPort = 0;
    quint16 m_tlsPort = 0;
    bool m_portsFixed = false;
    bool m_rawLog = false;
    qint64 m_logOffset = 0;
    qint64 m_stdoutOffset = 0;
    std::unique_ptr<QProcess> m_process;
};

} // namespace Lookback::Test
