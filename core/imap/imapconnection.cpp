#include "imapconnection.h"

#include "common/logging.h"

#include <QCryptographicHash>
#include <QSslConfiguration>
#include <QSslSocket>

#include <algorithm>

namespace Lookback {

QString securityName(Security s)
{
    switch (s) {
    case Security::Tls: return QStringLiteral("tls");
    case Security::StartTls: return QStringLiteral("starttls");
    case Security::None: return QStringLiteral("none");
    }
    return QStringLiteral("tls");
}

bool securityFromName(const QString &name, Security *out)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("tls") || n == QLatin1String("ssl"))
        *out = Security::Tls;
    else if (n == QLatin1String("starttls"))
        *out = Security::StartTls;
    else if (n == QLatin1String("none"))
        *out = Security::None;
    else
        return false;
    return true;
}

namespace {

// An IMAP astring as one or more chunks: quoted when it can be, a literal
// otherwise (synchronising unless the server has LITERAL+).
void appendAString(QList<QByteArray> &chunks, const QByteArray &value, bool literalPlus)
{
    if (!Imap::needsLiteral(value)) {
        chunks.last() += Imap::quoteString(value);
        return;
    }
    chunks.last() += '{' + QByteArray::number(value.size()) + (literalPlus ? "+}\r\n" : "}\r\n");
    if (literalPlus)
        chunks.last() += value;
    else
        chunks << value;
}

QString kilobytes(qint64 bytes)
{
    if (bytes < 10 * 1024)
        return QStringLiteral("%1 bytes").arg(bytes);
    if (bytes < 10 * 1024 * 1024)
        return QStringLiteral("%1 KB").arg(bytes / 1024);
    return QStringLiteral("%1 MB").arg(bytes / (1024 * 1024));
}

} // namespace

CommandLimits CommandLimits::forMessages(qint64 messages, qint64 bytesEach, qint64 maxLiteral)
{
    CommandLimits l;
    // Each message's FETCH, plus room for what servers add unasked (flag
    // updates for the same messages, EXISTS, EXPUNGE) while it runs.
    l.maxUntagged = int(std::min<qint64>(4 * messages + 1000, 1000000));
    l.maxLiteral = maxLiteral;
    l.expectedBytes = messages * bytesEach;
    return l;
}

CommandLimits CommandLimits::forSearch(qint64 exists)
{
    CommandLimits l;
    // "* SEARCH n n n ...": at most one number (10 digits and a space) per message.
    l.maxLine = std::max<qint64>(1024 * 1024, 11 * (exists + 64));
    l.expectedBytes = l.maxLine;
    return l;
}

ImapConnection::ImapConnection(QObject *parent)
    : QObject(parent)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, &ImapConnection::onTimeout);
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &ImapConnection::onDeadline);
}

ImapConnection::~ImapConnection()
{
    // Dying with its owner (often while the owner is being destroyed): no
    // handler and no signal may run any more. Aborting the socket emits
    // disconnected(), which would otherwise call into what is already gone.
    m_failed = true;
    m_state = State::LoggingOut;
    m_current.reset();
    m_queue.clear();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

QString ImapConnection::digestHex(const QSslCertificate &certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex());
}

QString ImapConnection::fingerprint(const QSslCertificate &certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

bool ImapConnection::hasCapability(const QByteArray &capability) const
{
    return m_capabilities.contains(capability.toUpper());
}

void ImapConnection::open(const ImapSettings &settings)
{
    m_settings = settings;
    m_socket = new QSslSocket(this);
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    config.setProtocol(QSsl::SecureProtocols);
    m_socket->setSslConfiguration(config);
    m_socket->setPeerVerifyName(settings.host);
    connect(m_socket, &QSslSocket::connected, this, &ImapConnection::onConnected);
    connect(m_socket, &QSslSocket::encrypted, this, &ImapConnection::onEncrypted);
    connect(m_socket, &QSslSocket::readyRead, this, &ImapConnection::onReadyRead);
    connect(m_socket, &QSslSocket::sslErrors, this, &ImapConnection::onSslErrors);
    connect(m_socket, &QSslSocket::errorOccurred, this, &ImapConnection::onSocketError);
    connect(m_socket, &QSslSocket::disconnected, this, [this] {
        if (m_state != State::LoggingOut)
            fail(dropped(QString()));
    });
    m_state = State::Connecting;
    m_timeout.start(m_settings.timeoutMs);
    if (settings.security == Security::Tls)
        m_socket->connectToHostEncrypted(settings.host, settings.port);
    else
        m_socket->connectToHost(settings.host, settings.port);
}

void ImapConnection::onConnected()
{
    m_everConnected = true;
    if (m_settings.security != Security::Tls)
        m_state = State::Greeting;
}

void ImapConnection::onEncrypted()
{
    m_peerCertificate = m_socket->peerCertificate();
    if (m_settings.security == Security::Tls) {
        m_state = State::Greeting;
    } else if (m_state == State::StartTls) {
        // RFC 3501 6.2.1: capabilities learned before STARTTLS are discarded.
        m_capabilities.clear();
        requestCapabilities();
    }
}

void ImapConnection::onSslErrors(const QList<QSslError> &errors)
{
    const QSslCertificate cert = m_socket->peerCertificate();
    if (!m_settings.trustedCertSha256.isEmpty() && !cert.isNull()
        && digestHex(cert).compare(m_settings.trustedCertSha256, Qt::CaseInsensitive) == 0) {
        // The user trusted exactly this certificate; nothing else is accepted.
        m_socket->ignoreSslErrors(errors);
        return;
    }
    m_peerCertificate = cert;
    QStringList reasons;
    for (const QSslError &e : errors)
        reasons << e.errorString();
    reasons.removeDuplicates();
    m_tlsProblem = tr("The certificate of %1 is not trusted (%2). SHA-256 fingerprint: %3")
                       .arg(m_settings.host, reasons.join(QLatin1String("; ")),
                            cert.isNull() ? tr("none") : fingerprint(cert));
}

void ImapConnection::onSocketError()
{
    const auto code = m_socket->error();
    if (m_state == State::LoggingOut)
        return;
    if (!m_tlsProblem.isEmpty() || code == QAbstractSocket::SslHandshakeFailedError
        || code == QAbstractSocket::SslInvalidUserDataError || code == QAbstractSocket::SslInternalError) {
        fail(SyncError::make(ErrorCategory::Tls,
                             m_tlsProblem.isEmpty() ? tr("TLS with %1 failed: %2").arg(m_settings.host, m_socket->errorString())
                                                    : m_tlsProblem));
        return;
    }
    if (m_everConnected) {
        // The server was reached: this is a connection that dropped, not one that never was.
        fail(dropped(m_socket->errorString()));
        return;
    }
    fail(SyncError::make(ErrorCategory::Network,
                         tr("Cannot reach %1 port %2: %3").arg(m_settings.host).arg(m_settings.port).arg(m_socket->errorString())));
}

SyncError ImapConnection::dropped(const QString &detail) const
{
    SyncError e = SyncError::make(ErrorCategory::Network,
                                  detail.isEmpty()
                                      ? tr("The connection to %1 dropped after %2").arg(m_settings.host, kilobytes(m_bytesRead))
                                      : tr("The connection to %1 dropped after %2 (%3)")
                                            .arg(m_settings.host, kilobytes(m_bytesRead), detail));
    e.bytesBeforeDrop = m_bytesRead;
    return e;
}

void ImapConnection::onTimeout()
{
    fail(SyncError::make(ErrorCategory::Network,
                         tr("%1 stopped answering (no reply for %2 seconds)").arg(m_settings.host).arg(m_settings.timeoutMs / 1000)));
}

void ImapConnection::onDeadline()
{
    fail(SyncError::make(ErrorCategory::Network,
                         tr("%1 is answering too slowly (%2 in %3 seconds for one command)")
                             .arg(m_settings.host, kilobytes(m_commandBytes)).arg(m_deadline.interval() / 1000)));
}

void ImapConnection::onReadyRead()
{
    const QByteArray data = m_socket->readAll();
    m_bytesRead += data.size();
    m_commandBytes += data.size();
    // Silence only counts while we wait for something; an idle session is fine.
    if (m_current || m_state != State::Ready)
        m_timeout.start(m_settings.timeoutMs);
    m_parser.feed(data);
    Imap::Response response;
    QString error;
    while (!m_failed && m_parser.next(&response, &error))
        handle(response);
    if (!m_failed && m_parser.hasError())
        fail(SyncError::make(ErrorCategory::Protocol,
                             tr("%1 sent a reply Lookback cannot read: %2").arg(m_settings.host, error)));
}

void ImapConnection::updateCapabilities(const QVector<Imap::Value> &values)
{
    m_capabilities.clear();
    for (const Imap::Value &v : values)
        m_capabilities.insert(v.asBytes().toUpper());
}

void ImapConnection::handle(const Imap::Response &r)
{
    if (r.code == "CAPABILITY")
        updateCapabilities(r.codeArgs);

    if (r.kind == Imap::Response::Continuation) {
        if (!m_current)
            return;
        if (m_nextChunk < m_current->chunks.size())
            writeChunk();
        else
            m_socket->write("\r\n"); // a SASL error challenge: acknowledge, the NO follows
        return;
    }

    if (r.kind == Imap::Response::Tagged) {
        if (!m_current || r.tag != m_current->tag) {
            fail(SyncError::make(ErrorCategory::Protocol,
                                 tr("%1 answered a command that was never sent").arg(m_settings.host)));
            return;
        }
        Pending done = std::move(*m_current);
        m_current.reset();
        m_deadline.stop();
        done.result.status = r.status;
        done.result.code = r.code;
        done.result.text = r.text;
        if (r.status != "OK")
            done.result.error = SyncError::make(ErrorCategory::Protocol,
                                                QString::fromUtf8(r.status + ' ' + r.text).trimmed());
        if (done.done)
            done.done(done.result);
        if (!m_failed)
            sendNext();
        // Nothing left to wait for: an idle session is not a silent server. (Checked
        // after the handler, which may have finished the login and made us Ready;
        // sendNext() restarts the timer for a command it sent.)
        if (!m_failed && !m_current && (m_state == State::Ready || m_state == State::LoggingOut))
            m_timeout.stop();
        return;
    }

    // Untagged
    if (m_state == State::Greeting) {
        if (r.status == "OK") {
            afterGreeting();
        } else if (r.status == "PREAUTH") {
            if (m_settings.security == Security::StartTls) {
                // Already logged in, in plain text: STARTTLS is no longer allowed
                // (RFC 3501 6.2.1), and a man in the middle could write our mail.
                fail(SyncError::make(ErrorCategory::Tls,
                                     tr("%1 skipped the login (PREAUTH) before STARTTLS could encrypt the connection; "
                                        "Lookback does not continue unencrypted")
                                         .arg(m_settings.host)));
                return;
            }
            m_state = State::Ready;
            requestCapabilities();
        } else {
            fail(SyncError::make(ErrorCategory::Network,
                                 tr("%1 refused the connection: %2").arg(m_settings.host, QString::fromUtf8(r.text))));
        }
        return;
    }
    if (r.name == "CAPABILITY")
        updateCapabilities(r.args);
    if (r.status == "BYE" && m_state != State::LoggingOut) {
        fail(SyncError::make(ErrorCategory::Network,
                             tr("%1 ended the session: %2").arg(m_settings.host, QString::fromUtf8(r.text))));
        return;
    }
    if (m_current) {
        if (++m_current->untagged > m_current->limits.maxUntagged) {
            fail(SyncError::make(ErrorCategory::Protocol,
                                 tr("%1 sent more than %2 responses to one command").arg(m_settings.host)
                                     .arg(m_current->limits.maxUntagged)));
            return;
        }
        if (m_current->streaming)
            m_current->streaming(r);
        else
            m_current->result.untagged.append(r);
    } else {
        emit unsolicited(r);
    }
}

void ImapConnection::afterGreeting()
{
    if (m_settings.security == Security::StartTls) {
        m_state = State::StartTls;
        Pending p;
        p.chunks << QByteArray("STARTTLS\r\n");
        p.done = [this](const Result &r) {
            if (!r.ok()) {
                // Never fall back to plain text: the password would travel in the clear.
                fail(SyncError::make(ErrorCategory::Tls,
                                     tr("%1 does not offer STARTTLS: %2").arg(m_settings.host, QString::fromUtf8(r.text))));
                return;
            }
            // Anything the server sent after its OK arrived in plain text and
            // must not be read as if it came through TLS (RFC 3501 6.2.1).
            if (m_parser.bufferedBytes() > 0) {
                fail(SyncError::make(ErrorCategory::Tls,
                                     tr("%1 sent unencrypted data after agreeing to STARTTLS").arg(m_settings.host)));
                return;
            }
            m_parser.reset();
            m_socket->startClientEncryption();
        };
        queue(std::move(p), true);
        return;
    }
    if (m_capabilities.isEmpty())
        requestCapabilities();
    else
        authenticate();
}

void ImapConnection::requestCapabilities()
{
    const bool loggedIn = m_state == State::Ready;
    if (!loggedIn)
        m_state = State::Capability;
    Pending p;
    p.chunks << QByteArray("CAPABILITY\r\n");
    p.done = [this, loggedIn](const Result &r) {
        if (!r.ok()) {
            fail(SyncError::make(ErrorCategory::Protocol,
                                 tr("%1 did not list its capabilities: %2").arg(m_settings.host, QString::fromUtf8(r.text))));
            return;
        }
        if (loggedIn) {
            emit ready();
        } else {
            authenticate();
        }
    };
    queue(std::move(p), true);
}

void ImapConnection::authenticate()
{
    m_state = State::Authenticating;
    const bool saslIr = hasCapability("SASL-IR");
    const QByteArray user = m_settings.username.toUtf8();
    Pending p;
    if (!m_settings.accessToken.isEmpty()) {
        const QByteArray payload = QByteArray("user=" + user + "\x01" "auth=Bearer " + m_settings.accessToken + "\x01\x01").toBase64();
        if (saslIr) {
            p.chunks << "AUTHENTICATE XOAUTH2 " + payload + "\r\n";
        } else {
            p.chunks << QByteArray("AUTHENTICATE XOAUTH2\r\n") << payload + "\r\n";
        }
    } else if (hasCapability("AUTH=PLAIN")) {
        const QByteArray payload = QByteArray(QByteArray(1, '\0') + user + '\0' + m_settings.password.toUtf8()).toBase64();
        if (saslIr)
            p.chunks << "AUTHENTICATE PLAIN " + payload + "\r\n";
        else
            p.chunks << QByteArray("AUTHENTICATE PLAIN\r\n") << payload + "\r\n";
    } else if (!hasCapability("LOGINDISABLED")) {
        const bool literalPlus = hasCapability("LITERAL+");
        p.chunks << QByteArray("LOGIN ");
        appendAString(p.chunks, user, literalPlus);
        p.chunks.last() += ' ';
        appendAString(p.chunks, m_settings.password.toUtf8(), literalPlus);
        p.chunks.last() += "\r\n";
    } else {
        fail(SyncError::make(ErrorCategory::Configuration,
                             tr("%1 offers no way to log in that Lookback supports").arg(m_settings.host)));
        return;
    }
    p.done = [this](const Result &r) {
        if (!r.ok()) {
            fail(classifyLoginFailure(r));
            return;
        }
        m_state = State::Ready;
        if (r.code == "CAPABILITY" && !m_capabilities.isEmpty())
            emit ready();
        else
            requestCapabilities();
    };
    queue(std::move(p), true);
}

SyncError ImapConnection::classifyLoginFailure(const Result &r) const
{
    const QString text = QString::fromUtf8(r.text);
    if (r.code == "UNAVAILABLE")
        return SyncError::make(ErrorCategory::Network,
                               tr("%1 cannot log in right now: %2").arg(m_settings.host, text));
    return SyncError::make(ErrorCategory::AuthExpired,
                           tr("%1 rejected the login for %2: %3").arg(m_settings.host, m_settings.username, text));
}

void ImapConnection::command(const QByteArray &text, Handler done, UntaggedHandler streaming,
                             const CommandLimits &limits)
{
    Pending p;
    p.chunks << text + "\r\n";
    p.done = std::move(done);
    p.streaming = std::move(streaming);
    p.limits = limits;
    queue(std::move(p));
}

void ImapConnection::queue(Pending pending, bool front)
{
    pending.tag = 'A' + QByteArray::number(++m_tagCounter);
    pending.chunks.first().prepend(pending.tag + ' ');
    if (m_failed) {
        // Report asynchronously: callers never see their handler run inside command().
        const SyncError error = SyncError::make(ErrorCategory::Network,
                                                tr("Not connected to %1").arg(m_settings.host));
        Handler handler = pending.done;
        QMetaObject::invokeMethod(this, [handler, error] {
            Result r;
            r.error = error;
            if (handler)
                handler(r);
        }, Qt::QueuedConnection);
        return;
    }
    if (front)
        m_queue.prepend(std::move(pending));
    else
        m_queue.enqueue(std::move(pending));
    if (!m_current)
        sendNext();
}

void ImapConnection::sendNext()
{
    if (m_current || m_queue.isEmpty() || m_failed)
        return;
    m_current = m_queue.dequeue();
    m_nextChunk = 0;
    Imap::ResponseParser::Limits limits = m_parser.limits();
    limits.maxLiteral = m_current->limits.maxLiteral;
    limits.maxLine = m_current->limits.maxLine;
    m_parser.setLimits(limits);
    m_commandBytes = 0;
    const qint64 transferMs = m_current->limits.expectedBytes * 1000 / std::max(1, m_settings.minBytesPerSecond);
    m_deadline.start(int(std::min<qint64>(2ll * m_settings.timeoutMs + transferMs, 24ll * 3600 * 1000)));
    writeChunk();
    m_timeout.start(m_settings.timeoutMs);
}

void ImapConnection::writeChunk()
{
    const QByteArray &chunk = m_current->chunks.at(m_nextChunk++);
    m_socket->write(chunk);
}

void ImapConnection::logout()
{
    if (!m_socket || m_failed)
        return;
    m_state = State::LoggingOut;
    Pending p;
    p.chunks << QByteArray("LOGOUT\r\n");
    p.done = [this](const Result &) {
        m_timeout.stop();
        m_socket->disconnectFromHost();
    };
    queue(std::move(p));
}

void ImapConnection::abort()
{
    m_state = State::LoggingOut;
    m_timeout.stop();
    m_deadline.stop();
    if (m_socket)
        m_socket->abort();
    const bool alreadyFailed = m_failed;
    m_failed = true; // handlers that run below cannot queue new work
    if (!alreadyFailed)
        failAll(SyncError::make(ErrorCategory::Network, tr("Connection closed")));
}

void ImapConnection::failAll(const SyncError &error)
{
    QList<Pending> pending;
    if (m_current) {
        pending << std::move(*m_current);
        m_current.reset();
    }
    while (!m_queue.isEmpty())
        pending << m_queue.dequeue();
    for (Pending &p : pending) {
        p.result.error = error;
        if (p.done)
            p.done(p.result);
    }
}

void ImapConnection::fail(const SyncError &error)
{
    if (m_failed)
        return;
    m_failed = true;
    m_timeout.stop();
    m_deadline.stop();
    const bool wasReady = m_state == State::Ready;
    qCInfo(lcImap) << "connection failed:" << categoryName(error.category) << error.message;
    if (m_socket)
        m_socket->abort();
    m_state = State::Disconnected;
    if (wasReady)
        failAll(error);
    else {
        // During the handshake the handlers are our own; drop them and report once.
        m_current.reset();
        m_queue.clear();
    }
    emit failed(error);
}

} // namespace Lookback
