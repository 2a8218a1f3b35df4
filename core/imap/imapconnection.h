#pragma once

#include "common/syncerror.h"
#include "imap/imapparser.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QQueue>
#include <QSet>
#include <QSslCertificate>
#include <QSslError>
#include <QTimer>
#include <functional>

class QSslSocket;

namespace Lookback {

enum class Security { Tls, StartTls, None };
QString securityName(Security s);
bool securityFromName(const QString &name, Security *out);

struct ImapSettings
{
    QString host;
    quint16 port = 993;
    Security security = Security::Tls;
    QString username;
    QString password;            // in memory only, never logged
    QByteArray accessToken;      // XOAUTH2 instead of a password when set
    QString trustedCertSha256;   // hex; a certificate the user explicitly trusts
    int timeoutMs = 60000;       // silence while a command is pending = network error
    // Slowest transfer a command may take: a command gets 2 x timeoutMs plus
    // the time its expected bytes need at this rate, then it is abandoned (a
    // server that drips a byte a minute never trips the silence timeout).
    int minBytesPerSecond = 8 * 1024;
};

// What one command may receive, scaled to what it asked for. Breaking a limit
// ends the connection with a Protocol error that names it; never a crash or
// unbounded memory.
struct CommandLimits
{
    int maxUntagged = 10000;           // untagged responses while the command runs
    qint64 maxLiteral = 64ll * 1024 * 1024; // one {n} literal
    qint64 maxLine = 1024 * 1024;      // one line between literals (an old-style SEARCH answer is one line)
    qint64 expectedBytes = 64 * 1024;  // what the answer should about weigh (sets the time limit)

    // For a command about `messages` messages of about `bytesEach` bytes each.
    static CommandLimits forMessages(qint64 messages, qint64 bytesEach, qint64 maxLiteral);
    // For a SEARCH in a folder of `exists` messages: the answer lists at most that many UIDs.
    static CommandLimits forSearch(qint64 exists);
};

// One IMAP session over QSslSocket: TLS/STARTTLS with verification, login,
// tagged commands one at a time with their untagged responses.
//
// Thread: lives on, and is used only from, the thread that created it (a
// backfill worker's thread); the socket is created in open(). Owner: the
// ImapSource that created it.
class ImapConnection : public QObject
{
    Q_OBJECT
public:
    struct Result
    {
        SyncError error;                  // set when the command did not complete OK
        QByteArray status;                // OK / NO / BAD, empty if the connection failed
        QByteArray code;                  // response code of the tagged reply
        QByteArray text;
        QVector<Imap::Response> untagged; // collected unless a streaming handler took them
        bool ok() const { return !error.isError(); }
    };
    using Handler = std::function<void(const Result &)>;
    using UntaggedHandler = std::function<void(const Imap::Response &)>;

    explicit ImapConnection(QObject *parent = nullptr);
    ~ImapConnection() override;

    // Connects, negotiates TLS, logs in. Emits ready() or failed().
    void open(const ImapSettings &settings);
    // Queues a command (without tag and CRLF). `streaming`, when given, receives
    // every untagged response while this command runs instead of collecting them.
    void command(const QByteArray &text, Handler done, UntaggedHandler streaming = {},
                 const CommandLimits &limits = CommandLimits());
    // Sends LOGOUT and closes; pending commands fail.
    void logout();
    void abort();

    bool isReady() const { return m_state == State::Ready; }
    bool hasCapability(const QByteArray &capability) const;
    QSet<QByteArray> capabilities() const { return m_capabilities; }
    qint64 bytesRead() const { return m_bytesRead; }
    QSslCertificate peerCertificate() const { return m_peerCertificate; }
    // SHA-256 of a certificate as upper-case hex pairs "AB:CD:..." for people to compare.
    static QString fingerprint(const QSslCertificate &certificate);
    static QString digestHex(const QSslCertificate &certificate);

signals:
    void ready();
    void failed(const Lookback::SyncError &error);
    // An untagged response no command asked for (EXISTS during IDLE, BYE).
    void unsolicited(const Lookback::Imap::Response &response);

private:
    enum class State { Disconnected, Connecting, Greeting, StartTls, Capability, Authenticating, Ready, LoggingOut };
    struct Pending
    {
        QByteArray tag;
        QList<QByteArray> chunks; // sent one by one; a chunk ending in a sync literal waits for '+'
        Handler done;
        UntaggedHandler streaming;
        Result result;
        CommandLimits limits;
        int untagged = 0;
    };

    void onConnected();
    void onEncrypted();
    void onReadyRead();
    void onSslErrors(const QList<QSslError> &errors);
    void onSocketError();
    void onTimeout();
    void onDeadline();
    void handle(const Imap::Response &response);
    void afterGreeting();
    void requestCapabilities();
    void authenticate();
    void sendNext();
    void writeChunk();
    void queue(Pending pending, bool front = false);
    void fail(const SyncError &error);
    void failAll(const SyncError &error);
    SyncError dropped(const QString &detail) const;
    void updateCapabilities(const QVector<Imap::Value> &values);
    SyncError classifyLoginFailure(const Result &r) const;

    ImapSettings m_settings;
    State m_state = State::Disconnected;
    QSslSocket *m_socket = nullptr;
    Imap::ResponseParser m_parser;
    QSet<QByteArray> m_capabilities;
    QQueue<Pending> m_queue;
    std::optional<Pending> m_current;
    int m_nextChunk = 0;
    quint32 m_tagCounter = 0;
    qint64 m_bytesRead = 0;
    QTimer m_timeout;   // silence while waiting for the server
    QTimer m_deadline;  // the current command's whole time
    QSslCertificate m_peerCertificate;
    QString m_tlsProblem;
    bool m_failed = false;
    bool m_everConnected = false;  // the TCP connection was made (a later close is a drop)
    qint64 m_commandBytes = 0;     // bytes read since the current command was sent
};

} // namespace Lookback
