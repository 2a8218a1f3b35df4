#include "dovecotserver.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QMutex>
#include <QMutexLocker>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <algorithm>
#include <csignal>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace Lookback::Test {

namespace {

constexpr uid_t kMailUid = 10000;
constexpr gid_t kMailGid = 10000;
constexpr int kReadyTimeoutMs = 10000;

QString makeTempDir(const QString &prefix, mode_t mode, QString *error)
{
    // Always directly below /tmp (not $TMPDIR, which may be a private 0700 folder):
    // Dovecot's unprivileged processes must be able to walk into it.
    QByteArray templ = QByteArray("/tmp/") + QFile::encodeName(prefix) + ".XXXXXX";
    if (!::mkdtemp(templ.data())) {
        if (error)
            *error = QStringLiteral("mkdtemp(%1) failed: %2").arg(QString::fromLocal8Bit(templ),
                                                                   QString::fromLocal8Bit(std::strerror(errno)));
        return QString();
    }
    ::chmod(templ.constData(), mode);
    return QFile::decodeName(templ);
}

bool mkdirOwned(const QString &path, mode_t mode, bool chownToMail, QString *error)
{
    if (!QDir().mkpath(path)) {
        if (error)
            *error = QStringLiteral("cannot create %1").arg(path);
        return false;
    }
    const QByteArray p = QFile::encodeName(path);
    ::chmod(p.constData(), mode);
    if (chownToMail && ::chown(p.constData(), kMailUid, kMailGid) != 0) {
        if (error)
            *error = QStringLiteral("chown(%1, 10000:10000) failed: %2 (tests must run as root)")
                         .arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    return true;
}

QString findProgram(const QString &name)
{
    QString found = QStandardPaths::findExecutable(name);
    if (found.isEmpty())
        found = QStandardPaths::findExecutable(
            name, {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin"), QStringLiteral("/usr/bin"),
                   QStringLiteral("/sbin"), QStringLiteral("/bin")});
    return found.isEmpty() ? name : found;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArray();
    return f.readAll();
}

bool writeFile(const QString &path, const QByteArray &data, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(data) != data.size()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

QString tailOf(const QString &path, int lines)
{
    const QByteArray data = readFile(path);
    if (data.isEmpty())
        return QString();
    QList<QByteArray> all = data.split('\n');
    if (!all.isEmpty() && all.last().isEmpty())
        all.removeLast();
    const int from = std::max(0, int(all.size()) - lines);
    QStringList out;
    for (int i = from; i < all.size(); ++i)
        out << QString::fromUtf8(all.at(i));
    return out.join(QLatin1Char('\n'));
}

// ---- the self-signed certificate, generated once per process ----------------

struct CertificateCache {
    QMutex mutex;
    QString dir;
    QString certPath;
    QString keyPath;
    ~CertificateCache()
    {
        if (!dir.isEmpty() && qEnvironmentVariableIsEmpty("LOOKBACK_KEEP_TEST_DIRS"))
            QDir(dir).removeRecursively();
    }
};

CertificateCache &certificateCache()
{
    static CertificateCache cache;
    return cache;
}

bool ensureCertificate(QString *certPath, QString *keyPath, QString *error)
{
    CertificateCache &cache = certificateCache();
    QMutexLocker lock(&cache.mutex);
    if (cache.certPath.isEmpty()) {
        const QString dir = makeTempDir(QStringLiteral("lookback-cert"), 0755, error);
        if (dir.isEmpty())
            return false;
        const QString cert = dir + QStringLiteral("/cert.pem");
        const QString key = dir + QStringLiteral("/key.pem");
        QProcess openssl;
        openssl.setProcessChannelMode(QProcess::MergedChannels);
        openssl.start(findProgram(QStringLiteral("openssl")),
                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                       QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"), key,
                       QStringLiteral("-out"), cert, QStringLiteral("-days"), QStringLiteral("30"),
                       QStringLiteral("-subj"), QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
                       QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost")});
        if (!openssl.waitForFinished(60000) || openssl.exitStatus() != QProcess::NormalExit
            || openssl.exitCode() != 0 || !QFileInfo::exists(cert) || !QFileInfo::exists(key)) {
            if (error)
                *error = QStringLiteral("openssl req failed (%1): %2")
                             .arg(openssl.errorString(), QString::fromLocal8Bit(openssl.readAll()));
            QDir(dir).removeRecursively();
            return false;
        }
        ::chmod(QFile::encodeName(cert).constData(), 0644);
        ::chmod(QFile::encodeName(key).constData(), 0600); // read by Dovecot's config process (root)
        cache.dir = dir;
        cache.certPath = cert;
        cache.keyPath = key;
    }
    *certPath = cache.certPath;
    *keyPath = cache.keyPath;
    return true;
}

// ---- Maildir file names whose order is the order of the calls ----------------

QString nextMaildirBaseName()
{
    static QMutex mutex;
    static qint64 lastMicros = 0;
    static quint64 counter = 0;
    QMutexLocker lock(&mutex);
    qint64 now = QDateTime::currentMSecsSinceEpoch() * 1000;
    if (now <= lastMicros)
        now = lastMicros + 1;
    lastMicros = now;
    ++counter;
    // Dovecot sorts new files by the leading seconds, then by the M<usecs> part, and
    // assigns UIDs in that order.
    return QStringLiteral("%1.M%2P%3Q%4.lookback-test")
        .arg(now / 1000000)
        .arg(now % 1000000, 6, 10, QLatin1Char('0'))
        .arg(::getpid())
        .arg(counter);
}

// ---- RFC 2047 / modified UTF-7 helpers ---------------------------------------

bool isAscii(const QString &s)
{
    for (QChar c : s)
        if (c.unicode() > 0x7e || (c.unicode() < 0x20 && c != QLatin1Char('\t')))
            return false;
    return true;
}

QByteArray encodeWord(const QString &text)
{
    if (isAscii(text))
        return text.toUtf8();
    // Split into chunks so each encoded word stays below 75 characters; never split a
    // UTF-8 sequence (split on QChar boundaries, keeping surrogate pairs together).
    QByteArray out;
    QString chunk;
    auto flush = [&]() {
        if (chunk.isEmpty())
            return;
        if (!out.isEmpty())
            out += "\r\n ";
        out += "=?UTF-8?B?" + chunk.toUtf8().toBase64() + "?=";
        chunk.clear();
    };
    for (int i = 0; i < text.size(); ++i) {
        chunk += text.at(i);
        if (text.at(i).isHighSurrogate() && i + 1 < text.size())
            chunk += text.at(++i);
        if (chunk.toUtf8().size() >= 40)
            flush();
    }
    flush();
    return out;
}

QByteArray encodeAddress(const QString &address)
{
    // "Display Name <addr@host>": encode a non-ASCII display name; quote an ASCII one
    // when it holds specials.
    static const QRegularExpression re(QStringLiteral("^\\s*(.*?)\\s*<([^>]*)>\\s*$"));
    const QRegularExpressionMatch m = re.match(address);
    if (!m.hasMatch())
        return address.toUtf8();
    QString name = m.captured(1);
    const QString addr = m.captured(2);
    if (name.size() >= 2 && name.startsWith(QLatin1Char('"')) && name.endsWith(QLatin1Char('"')))
        name = name.mid(1, name.size() - 2);
    if (name.isEmpty())
        return "<" + addr.toUtf8() + ">";
    QByteArray encodedName;
    if (!isAscii(name)) {
        encodedName = encodeWord(name);
    } else if (name.contains(QRegularExpression(QStringLiteral("[()<>\\[\\]:;@\\\\,.\"]")))) {
        QString q = name;
        q.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
        encodedName = "\"" + q.toUtf8() + "\"";
    } else {
        encodedName = name.toUtf8();
    }
    return encodedName + " <" + addr.toUtf8() + ">";
}

QString decodeModifiedUtf7(const QByteArray &in)
{
    QString out;
    for (int i = 0; i < in.size(); ++i) {
        const char c = in.at(i);
        if (c != '&') {
            out += QLatin1Char(c);
            continue;
        }
        const int end = in.indexOf('-', i + 1);
        if (end < 0) {
            out += QString::fromLatin1(in.mid(i));
            break;
        }
        if (end == i + 1) {
            out += QLatin1Char('&');
        } else {
            QByteArray b64 = in.mid(i + 1, end - i - 1);
            b64.replace(',', '/');
            const QByteArray utf16 = QByteArray::fromBase64(b64);
            for (int k = 0; k + 1 < utf16.size(); k += 2)
                out += QChar(ushort((uchar(utf16.at(k)) << 8) | uchar(utf16.at(k + 1))));
        }
        i = end;
    }
    return out;
}

QString normalizeMailbox(const QString &name)
{
    if (name.compare(QLatin1String("INBOX"), Qt::CaseInsensitive) == 0)
        return QStringLiteral("INBOX");
    return name;
}

// Reads one IMAP astring at the start of s (quoted, literal already inlined as quoted,
// or atom). Returns the decoded value; *rest gets what follows.
QByteArray takeAstring(const QByteArray &s, QByteArray *rest)
{
    int i = 0;
    while (i < s.size() && s.at(i) == ' ')
        ++i;
    QByteArray value;
    if (i < s.size() && s.at(i) == '"') {
        ++i;
        while (i < s.size() && s.at(i) != '"') {
            if (s.at(i) == '\\' && i + 1 < s.size())
                ++i;
            value += s.at(i);
            ++i;
        }
        ++i; // closing quote
    } else {
        while (i < s.size() && s.at(i) != ' ')
            value += s.at(i++);
    }
    if (rest)
        *rest = s.mid(i);
    return value;
}

// The client->server stream of one rawlog .in file without the "SECS.USECS " stamps
// Dovecot writes at the start of every line.
QByteArray stripRawlogTimestamps(const QByteArray &raw)
{
    QByteArray out;
    out.reserve(raw.size());
    int pos = 0;
    while (pos < raw.size()) {
        int eol = raw.indexOf('\n', pos);
        const int lineEnd = eol < 0 ? raw.size() : eol + 1;
        int i = pos;
        while (i < lineEnd && raw.at(i) >= '0' && raw.at(i) <= '9')
            ++i;
        if (i > pos && i < lineEnd && raw.at(i) == '.') {
            int j = i + 1;
            while (j < lineEnd && raw.at(j) >= '0' && raw.at(j) <= '9')
                ++j;
            if (j - i - 1 == 6 && j < lineEnd && raw.at(j) == ' ')
                pos = j + 1;
        }
        out.append(raw.constData() + pos, lineEnd - pos);
        pos = lineEnd;
    }
    return out;
}

struct ParsedCommand {
    QByteArray tag;
    QByteArray name;
    QByteArray arguments;
};

// Splits a client stream into commands; literals ({N} / {N+} at the end of a line) are
// consumed and inlined as quoted strings (or "{N bytes}" when long or binary).
QList<ParsedCommand> parseClientStream(const QByteArray &stream)
{
    static const QRegularExpression literalRe(QStringLiteral("\\{(\\d+)\\+?\\}$"));
    QList<ParsedCommand> commands;
    int pos = 0;
    while (pos < stream.size()) {
        QByteArray line;
        for (;;) {
            int eol = stream.indexOf('\n', pos);
            QByteArray part = eol < 0 ? stream.mid(pos) : stream.mid(pos, eol - pos);
            pos = eol < 0 ? stream.size() : eol + 1;
            if (part.endsWith('\r'))
                part.chop(1);
            const QRegularExpressionMatch m = literalRe.match(QString::fromLatin1(part));
            if (!m.hasMatch()) {
                line += part;
                break;
            }
            const qint64 n = m.captured(1).toLongLong();
            line += part.left(m.capturedStart(0));
            const QByteArray literal = stream.mid(pos, int(std::min<qint64>(n, stream.size() - pos)));
            pos += literal.size();
            bool printable = literal.size() <= 1024;
            for (char c : literal)
                if (uchar(c) < 0x20 || uchar(c) == 0x7f)
                    printable = false;
            if (printable) {
                QByteArray q = literal;
                q.replace('\\', "\\\\").replace('"', "\\\"");
                line += '"' + q + '"';
            } else {
                line += "{" + QByteArray::number(n) + " bytes}";
            }
            if (pos >= stream.size())
                break;
        }
        if (line.trimmed().isEmpty())
            continue;
        ParsedCommand cmd;
        const int sp1 = line.indexOf(' ');
        if (sp1 < 0) {
            cmd.tag = line;
            commands << cmd;
            continue;
        }
        cmd.tag = line.left(sp1);
        QByteArray rest = line.mid(sp1 + 1);
        int sp2 = rest.indexOf(' ');
        cmd.name = (sp2 < 0 ? rest : rest.left(sp2)).toUpper();
        rest = sp2 < 0 ? QByteArray() : rest.mid(sp2 + 1);
        if (cmd.name == "UID") {
            sp2 = rest.indexOf(' ');
            cmd.name += ' ' + (sp2 < 0 ? rest : rest.left(sp2)).toUpper();
            rest = sp2 < 0 ? QByteArray() : rest.mid(sp2 + 1);
        }
        cmd.arguments = rest;
        commands << cmd;
    }
    return commands;
}

} // namespace

// ============================================================================

DovecotServer::DovecotServer()
{
    static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < 24; ++i)
        m_password += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(int(sizeof(alphabet) - 1))]);
}

DovecotServer::~DovecotServer()
{
    stop();
    if (!m_root.isEmpty()) {
        if (qEnvironmentVariableIsEmpty("LOOKBACK_KEEP_TEST_DIRS"))
            QDir(m_root).removeRecursively();
        else
            qInfo("DovecotServer: keeping %s", qPrintable(m_root));
    }
}

QString DovecotServer::host() const { return QStringLiteral("127.0.0.1"); }
quint16 DovecotServer::plainPort() const { return m_plainPort; }
quint16 DovecotServer::tlsPort() const { return m_tlsPort; }
QString DovecotServer::user() const { return QStringLiteral("alice"); }
QString DovecotServer::password() const { return m_password; }
QString DovecotServer::rootDir() const { return m_root; }
QString DovecotServer::configPath() const { return m_root.isEmpty() ? QString() : m_root + QStringLiteral("/dovecot.conf"); }
QString DovecotServer::mailRoot() const { return m_root.isEmpty() ? QString() : m_root + QStringLiteral("/mail/alice/Maildir"); }
QString DovecotServer::logPath() const { return m_root.isEmpty() ? QString() : m_root + QStringLiteral("/dovecot.log"); }
QString DovecotServer::rawLogDir() const { return m_root.isEmpty() ? QString() : m_root + QStringLiteral("/rawlog"); }
void DovecotServer::setRawLogEnabled(bool enabled) { m_rawLog = enabled; }
bool DovecotServer::rawLogEnabled() const { return m_rawLog; }

bool DovecotServer::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

QString DovecotServer::certificatePath() const
{
    QString cert, key;
    if (!ensureCertificate(&cert, &key, nullptr))
        return QString();
    return cert;
}

QByteArray DovecotServer::certificatePem() const
{
    return readFile(certificatePath());
}

QString DovecotServer::logTail(int lines) const
{
    return tailOf(logPath(), lines);
}

QString DovecotServer::mailboxDir(const QString &mailbox) const
{
    if (mailbox.isEmpty() || normalizeMailbox(mailbox) == QLatin1String("INBOX"))
        return mailRoot();
    QString name = mailbox;
    name.replace(QLatin1Char('/'), QLatin1Char('.'));
    return mailRoot() + QStringLiteral("/.") + name;
}

bool DovecotServer::ensureRoot(QString *error)
{
    if (!m_root.isEmpty())
        return true;
    const QString root = makeTempDir(QStringLiteral("lookback-dovecot"), 0755, error);
    if (root.isEmpty())
        return false;
    m_root = root;
    return mkdirOwned(m_root + QStringLiteral("/state"), 0755, false, error)
        && mkdirOwned(m_root + QStringLiteral("/mail"), 0755, true, error)
        && mkdirOwned(m_root + QStringLiteral("/mail/alice"), 0755, true, error);
}

bool DovecotServer::writeConfig(QString *error)
{
    QString cert, key;
    if (!ensureCertificate(&cert, &key, error))
        return false;
    const QString T = m_root;
    QString conf;
    conf += QStringLiteral("# Generated by Lookback::Test::DovecotServer\n");
    conf += QStringLiteral("protocols = imap\n");
    conf += QStringLiteral("listen = 127.0.0.1\n");
    conf += QStringLiteral("base_dir = %1/run\n").arg(T);
    conf += QStringLiteral("state_dir = %1/state\n").arg(T);
    conf += QStringLiteral("log_path = %1/dovecot.log\n").arg(T);
    conf += QStringLiteral("default_internal_user = dovecot\n");
    conf += QStringLiteral("default_login_user = dovenull\n");
    conf += QStringLiteral("login_greeting = Dovecot ready.\n");
    conf += QStringLiteral("auth_verbose = yes\n");
    conf += QStringLiteral("ssl = yes\n");
    conf += QStringLiteral("ssl_cert = <%1\n").arg(cert);
    conf += QStringLiteral("ssl_key = <%1\n").arg(key);
    conf += QStringLiteral("ssl_dh = </usr/share/dovecot/dh.pem\n");
    conf += QStringLiteral("disable_plaintext_auth = no\n");
    conf += QStringLiteral("auth_mechanisms = plain login xoauth2 oauthbearer\n");
    conf += QStringLiteral("passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%n %1/users\n}\n").arg(T);
    conf += QStringLiteral("userdb {\n  driver = static\n  args = uid=10000 gid=10000 home=%1/mail/%n\n}\n").arg(T);
    conf += QStringLiteral("mail_location = maildir:~/Maildir\n");
    conf += QStringLiteral("mail_fsync = never\n");
    conf += QStringLiteral("namespace inbox {\n"
                           "  inbox = yes\n"
                           "  separator = .\n"
                           "  mailbox Sent {\n    special_use = \\Sent\n    auto = create\n  }\n"
                           "  mailbox Drafts {\n    special_use = \\Drafts\n    auto = create\n  }\n"
                           "  mailbox Archive {\n    auto = create\n  }\n"
                           "}\n");
    conf += QStringLiteral("protocol imap {\n  mail_max_userip_connections = 50\n");
    if (m_rawLog)
        conf += QStringLiteral("  rawlog_dir = %1/rawlog\n").arg(T);
    conf += QStringLiteral("}\n");
    conf += QStringLiteral("service imap-login {\n"
                           "  inet_listener imap {\n    address = 127.0.0.1\n    port = %1\n  }\n"
                           "  inet_listener imaps {\n    address = 127.0.0.1\n    port = %2\n    ssl = yes\n  }\n"
                           "}\n")
                .arg(m_plainPort)
                .arg(m_tlsPort);
    conf += QStringLiteral("service stats {\n  inet_listener http {\n    port = 0\n  }\n}\n");
    if (!writeFile(configPath(), conf.toUtf8(), error))
        return false;
    ::chmod(QFile::encodeName(configPath()).constData(), 0644);
    const QString users = m_root + QStringLiteral("/users");
    if (!writeFile(users, (user() + QStringLiteral(":{PLAIN}") + m_password + QLatin1Char('\n')).toUtf8(), error))
        return false;
    ::chmod(QFile::encodeName(users).constData(), 0644);
    return true;
}

static bool pickFreePorts(quint16 *a, quint16 *b, QString *error)
{
    QTcpServer s1, s2;
    if (!s1.listen(QHostAddress::LocalHost, 0) || !s2.listen(QHostAddress::LocalHost, 0)) {
        if (error)
            *error = QStringLiteral("cannot bind a free port on 127.0.0.1: %1 %2").arg(s1.errorString(), s2.errorString());
        return false;
    }
    *a = s1.serverPort();
    *b = s2.serverPort();
    return true;
}

bool DovecotServer::start(QString *error)
{
    if (isRunning())
        return true;
    if (!ensureRoot(error) || !ensureMailboxDir(QStringLiteral("INBOX"), error))
        return false;
    if (m_rawLog && !mkdirOwned(rawLogDir(), 0755, true, error))
        return false;

    const bool keepPorts = m_portsFixed; // once a start succeeded, restarts keep the ports
    QString lastError;
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (!keepPorts && !pickFreePorts(&m_plainPort, &m_tlsPort, error))
            return false;
        bool addressInUse = false;
        if (startOnce(&lastError, &addressInUse)) {
            m_portsFixed = true;
            return true;
        }
        if (!addressInUse)
            break;
        if (keepPorts)
            QThread::msleep(500); // restart(): the ports must stay; give the other side time
    }
    if (error)
        *error = lastError;
    return false;
}

bool DovecotServer::startOnce(QString *error, bool *addressInUse)
{
    *addressInUse = false;
    if (!writeConfig(error))
        return false;
    // Failures are judged on what this attempt logged.
    m_logOffset = QFileInfo(logPath()).size();
    m_stdoutOffset = QFileInfo(m_root + QStringLiteral("/dovecot.stdout")).size();
    // Dovecot's processes outlive a SIGKILLed master briefly; become their subreaper so
    // stop() can reap them (see stop()).
    static const bool subreaper = ::prctl(PR_SET_CHILD_SUBREAPER, 1) == 0;
    Q_UNUSED(subreaper);
    m_process = std::make_unique<QProcess>();
    m_process->setProgram(findProgram(QStringLiteral("dovecot")));
    m_process->setArguments({QStringLiteral("-F"), QStringLiteral("-c"), configPath()});
    m_process->setWorkingDirectory(m_root);
    m_process->setStandardInputFile(QProcess::nullDevice());
    m_process->setStandardOutputFile(m_root + QStringLiteral("/dovecot.stdout"), QIODevice::Append);
    m_process->setStandardErrorFile(m_root + QStringLiteral("/dovecot.stdout"), QIODevice::Append);
    // If the test process dies without running destructors, take Dovecot with it.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_process->start();
    if (!m_process->waitForStarted(10000)) {
        if (error)
            *error = QStringLiteral("cannot run %1: %2").arg(m_process->program(), m_process->errorString());
        m_process.reset();
        return false;
    }
    if (!waitUntilReady(error, addressInUse)) {
        stop();
        return false;
    }
    return true;
}

QString DovecotServer::failureText(const QString &what) const
{
    QString text = what;
    const QString out = tailOf(m_root + QStringLiteral("/dovecot.stdout"), 20);
    if (!out.isEmpty())
        text += QStringLiteral("\n--- dovecot stdout/stderr ---\n") + out;
    text += QStringLiteral("\n--- %1 (tail) ---\n").arg(logPath()) + logTail(40);
    return text;
}

bool DovecotServer::waitUntilReady(QString *error, bool *addressInUse)
{
    QElapsedTimer timer;
    timer.start();
    const QString authSocket = m_root + QStringLiteral("/run/auth-userdb");
    auto checkAddressInUse = [&]() {
        const QByteArray all = readFile(logPath()).mid(int(m_logOffset))
            + readFile(m_root + QStringLiteral("/dovecot.stdout")).mid(int(m_stdoutOffset));
        return all.contains("Address already in use");
    };
    while (timer.elapsed() < kReadyTimeoutMs) {
        if (m_process->state() == QProcess::NotRunning) {
            *addressInUse = checkAddressInUse();
            if (error)
                *error = failureText(QStringLiteral("dovecot exited during start-up (exit code %1)")
                                         .arg(m_process->exitCode()));
            return false;
        }
        QTcpSocket socket;
        socket.connectToHost(QHostAddress(QHostAddress::LocalHost), m_plainPort);
        if (socket.waitForConnected(500)) {
            QByteArray greeting;
            QElapsedTimer readTimer;
            readTimer.start();
            while (!greeting.contains("ready") && readTimer.elapsed() < 2000
                   && socket.state() == QAbstractSocket::ConnectedState) {
                if (socket.waitForReadyRead(200))
                    greeting += socket.readAll();
            }
            if (greeting.contains("ready")) {
                // Let the login process finish this session before anyone stops the
                // server: a SIGTERM that races a login process start-up makes the
                // master wait ~5 s for it.
                socket.write("r LOGOUT\r\n");
                QElapsedTimer byeTimer;
                byeTimer.start();
                while (socket.state() != QAbstractSocket::UnconnectedState && byeTimer.elapsed() < 2000)
                    socket.waitForDisconnected(100);
                // doveadm needs the auth sockets too; the master creates them at start-up
                // together with both IMAP listeners.
                while (!QFileInfo::exists(authSocket) && timer.elapsed() < kReadyTimeoutMs)
                    QThread::msleep(20);
                if (QFileInfo::exists(authSocket))
                    return true;
            }
        }
        if (checkAddressInUse()) {
            *addressInUse = true;
            if (error)
                *error = failureText(QStringLiteral("dovecot could not bind 127.0.0.1:%1/%2")
                                         .arg(m_plainPort)
                                         .arg(m_tlsPort));
            return false;
        }
        QThread::msleep(30);
    }
    if (error)
        *error = failureText(QStringLiteral("dovecot did not accept IMAP connections on 127.0.0.1:%1 within %2 s")
                                 .arg(m_plainPort)
                                 .arg(kReadyTimeoutMs / 1000));
    return false;
}

static QList<pid_t> childrenOf(pid_t parent)
{
    QList<pid_t> kids;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &e : entries) {
        bool ok = false;
        const pid_t pid = pid_t(e.toInt(&ok));
        if (!ok)
            continue;
        const QByteArray stat = readFile(QStringLiteral("/proc/%1/stat").arg(pid));
        const int close = stat.lastIndexOf(')');
        if (close < 0)
            continue;
        const QList<QByteArray> fields = stat.mid(close + 2).split(' '); // state ppid ...
        if (fields.size() > 1 && fields.at(1).toInt() == parent)
            kids << pid;
    }
    return kids;
}

static bool processGone(pid_t pid)
{
    const QByteArray stat = readFile(QStringLiteral("/proc/%1/stat").arg(pid));
    const int close = stat.lastIndexOf(')');
    return stat.isEmpty() || close < 0 || stat.mid(close + 2, 1) == "Z";
}

void DovecotServer::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        // SIGKILL the master: a graceful SIGTERM costs ~1.1 s (the master waits for its
        // children), up to 5 s right after start-up. Its children notice that the master
        // is gone and exit within ~100 ms. This process is a child subreaper (see
        // startOnce), so they become our children: reap them here instead of leaving
        // zombies behind in containers whose PID 1 does not reap. Stragglers after 2 s
        // get SIGKILL.
        const pid_t master = pid_t(m_process->processId());
        const QList<pid_t> kids = childrenOf(master);
        m_process->kill();
        m_process->waitForFinished(5000);
        QElapsedTimer timer;
        timer.start();
        for (pid_t kid : kids) {
            bool killed = false;
            for (;;) {
                int status = 0;
                const pid_t r = ::waitpid(kid, &status, WNOHANG);
                if (r == kid || (r < 0 && errno == ECHILD && processGone(kid)))
                    break;
                if (r < 0 && errno != ECHILD && errno != EINTR)
                    break;
                if (timer.elapsed() > 2000 && !killed) {
                    ::kill(kid, SIGKILL);
                    killed = true;
                } else if (timer.elapsed() > 4000) {
                    break;
                }
                QThread::msleep(5);
            }
        }
        QFile::remove(m_root + QStringLiteral("/run/master.pid"));
    }
    m_process.reset();
}

bool DovecotServer::restart(QString *error)
{
    stop();
    return start(error);
}

bool DovecotServer::ensureMailboxDir(const QString &mailbox, QString *error)
{
    const QString dir = mailboxDir(mailbox);
    const bool isInbox = dir == mailRoot();
    const bool existed = QFileInfo(dir + QStringLiteral("/cur")).isDir();
    for (const char *sub : {"", "/cur", "/new", "/tmp"})
        if (!mkdirOwned(dir + QLatin1String(sub), 0755, true, error))
            return false;
    if (!isInbox && !existed) {
        const QString marker = dir + QStringLiteral("/maildirfolder");
        if (!QFileInfo::exists(marker)) {
            if (!writeFile(marker, QByteArray(), error))
                return false;
            ::chown(QFile::encodeName(marker).constData(), kMailUid, kMailGid);
        }
    }
    return true;
}

bool DovecotServer::addMessage(const QString &mailbox, const QByteArray &rfc822, const QDateTime &internalDate,
                               QString *error)
{
    if (!ensureRoot(error))
        return false;
    if (!ensureMailboxDir(mailbox, error))
        return false;
    const QString dir = mailboxDir(mailbox);
    const QString base = nextMaildirBaseName() + QStringLiteral(",S=%1").arg(rfc822.size());
    const QString tmpPath = dir + QStringLiteral("/tmp/") + base;
    const QString curPath = dir + QStringLiteral("/cur/") + base + QStringLiteral(":2,S");
    if (!writeFile(tmpPath, rfc822, error))
        return false;
    const QByteArray tmpNative = QFile::encodeName(tmpPath);
    ::chmod(tmpNative.constData(), 0644);
    if (::chown(tmpNative.constData(), kMailUid, kMailGid) != 0) {
        if (error)
            *error = QStringLiteral("chown(%1) failed: %2").arg(tmpPath, QString::fromLocal8Bit(std::strerror(errno)));
        QFile::remove(tmpPath);
        return false;
    }
    const qint64 secs = (internalDate.isValid() ? internalDate : QDateTime::currentDateTimeUtc()).toSecsSinceEpoch();
    struct timespec times[2];
    times[0].tv_sec = secs;
    times[0].tv_nsec = 0;
    times[1] = times[0];
    if (::utimensat(AT_FDCWD, tmpNative.constData(), times, 0) != 0) {
        if (error)
            *error = QStringLiteral("utimensat(%1) failed: %2").arg(tmpPath, QString::fromLocal8Bit(std::strerror(errno)));
        QFile::remove(tmpPath);
        return false;
    }
    if (::rename(tmpNative.constData(), QFile::encodeName(curPath).constData()) != 0) {
        if (error)
            *error = QStringLiteral("rename(%1) failed: %2").arg(curPath, QString::fromLocal8Bit(std::strerror(errno)));
        QFile::remove(tmpPath);
        return false;
    }
    return true;
}

QByteArray DovecotServer::makeMessage(const QString &messageId, const QString &subject, const QString &from,
                                      const QString &to, const QDateTime &date, const QString &body)
{
    QString id = messageId.trimmed();
    if (!id.isEmpty() && !id.startsWith(QLatin1Char('<')))
        id = QLatin1Char('<') + id + QLatin1Char('>');
    const QDateTime when = date.isValid() ? date : QDateTime::currentDateTime();
    QByteArray m;
    m += "Message-ID: " + id.toUtf8() + "\r\n";
    m += "Date: " + when.toString(Qt::RFC2822Date).toLatin1() + "\r\n";
    m += "From: " + encodeAddress(from) + "\r\n";
    QByteArrayList tos;
    for (const QString &a : to.split(QLatin1Char(','), Qt::SkipEmptyParts))
        tos << encodeAddress(a.trimmed());
    m += "To: " + tos.join(", ") + "\r\n";
    m += "Subject: " + encodeWord(subject) + "\r\n";
    m += "MIME-Version: 1.0\r\n";
    m += "Content-Type: text/plain; charset=utf-8\r\n";
    m += "Content-Transfer-Encoding: 8bit\r\n";
    m += "\r\n";
    QByteArray text = body.toUtf8();
    text.replace("\r\n", "\n");
    text.replace('\r', '\n');
    text.replace("\n", "\r\n");
    if (!text.endsWith("\r\n"))
        text += "\r\n";
    m += text;
    return m;
}

int DovecotServer::messageCount(const QString &mailbox) const
{
    if (m_root.isEmpty())
        return 0;
    const QString dir = mailboxDir(mailbox);
    int n = 0;
    for (const char *sub : {"/cur", "/new"})
        n += QDir(dir + QLatin1String(sub)).entryList(QDir::Files | QDir::NoDotAndDotDot | QDir::System).size();
    return n;
}

bool DovecotServer::doveadm(const QStringList &args, QByteArray *stdoutData, QString *error,
                            const QByteArray &stdinData) const
{
    if (m_root.isEmpty()) {
        if (error)
            *error = QStringLiteral("doveadm: server was never started");
        return false;
    }
    QProcess p;
    p.setProgram(findProgram(QStringLiteral("doveadm")));
    p.setArguments(QStringList{QStringLiteral("-c"), configPath()} + args);
    p.start();
    if (!p.waitForStarted(10000)) {
        if (error)
            *error = QStringLiteral("cannot run doveadm: %1").arg(p.errorString());
        return false;
    }
    if (!stdinData.isEmpty())
        p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished(2000);
        if (error)
            *error = QStringLiteral("doveadm %1 timed out").arg(args.join(QLatin1Char(' ')));
        return false;
    }
    const QByteArray out = p.readAllStandardOutput();
    const QByteArray err = p.readAllStandardError();
    if (stdoutData)
        *stdoutData = out;
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        if (error)
            *error = QStringLiteral("doveadm %1 failed (exit %2): %3")
                         .arg(args.join(QLatin1Char(' ')))
                         .arg(p.exitCode())
                         .arg(QString::fromLocal8Bit(err + out));
        return false;
    }
    return true;
}

quint32 DovecotServer::uidValidity(const QString &mailbox, QString *error) const
{
    QByteArray out;
    if (!doveadm({QStringLiteral("mailbox"), QStringLiteral("status"), QStringLiteral("-u"), user(),
                  QStringLiteral("uidvalidity"), normalizeMailbox(mailbox)},
                 &out, error))
        return 0;
    static const QRegularExpression re(QStringLiteral("uidvalidity=(\\d+)"));
    const QRegularExpressionMatch m = re.match(QString::fromUtf8(out));
    if (!m.hasMatch()) {
        if (error)
            *error = QStringLiteral("unexpected doveadm output: %1").arg(QString::fromUtf8(out));
        return 0;
    }
    return m.captured(1).toUInt();
}

static quint32 uidValidityFromUidlist(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray header = f.readLine();
    static const QRegularExpression re(QStringLiteral("\\bV(\\d+)\\b"));
    const QRegularExpressionMatch m = re.match(QString::fromLatin1(header));
    return m.hasMatch() ? m.captured(1).toUInt() : 0;
}

bool DovecotServer::bumpUidValidity(const QString &mailbox, QString *error, quint32 *newUidValidity)
{
    const QString dir = mailboxDir(mailbox);
    if (!QFileInfo(dir).isDir()) {
        if (error)
            *error = QStringLiteral("mailbox %1 has no folder %2").arg(mailbox, dir);
        return false;
    }
    const bool wasRunning = isRunning();
    if (!wasRunning && !start(error)) // need doveadm to learn the current value
        return false;
    QString ignored;
    quint32 before = uidValidity(mailbox, &ignored);
    if (before == 0)
        before = uidValidityFromUidlist(dir + QStringLiteral("/dovecot-uidlist"));
    for (int attempt = 0; attempt < 3; ++attempt) {
        stop();
        QDir d(dir);
        QFile::remove(dir + QStringLiteral("/dovecot-uidlist"));
        QFile::remove(dir + QStringLiteral("/dovecot-uidlist.lock"));
        for (const QString &f : d.entryList({QStringLiteral("dovecot.index*")}, QDir::Files))
            QFile::remove(d.filePath(f));
        // The mailbox-list index caches UIDVALIDITY for STATUS / LIST-STATUS.
        QDir rootDir(mailRoot());
        for (const QString &f : rootDir.entryList({QStringLiteral("dovecot.list.index*")}, QDir::Files))
            QFile::remove(rootDir.filePath(f));
        if (!start(error))
            return false;
        // doveadm opens the mailbox, which makes Dovecot assign the next UIDVALIDITY
        // (from Maildir/dovecot-uidvalidity, always higher than the previous one).
        const quint32 after = uidValidity(mailbox, error);
        if (after == 0)
            return false;
        if (after != before) {
            if (newUidValidity)
                *newUidValidity = after;
            if (!wasRunning)
                stop();
            return true;
        }
        QThread::msleep(1100);
    }
    if (error)
        *error = QStringLiteral("UIDVALIDITY of %1 stayed %2").arg(mailbox).arg(before);
    return false;
}

// ---- rawlog -----------------------------------------------------------------

QStringList DovecotServer::rawLogInputs() const
{
    QStringList out;
    if (m_root.isEmpty())
        return out;
    QDir d(rawLogDir());
    for (const QString &f : d.entryList({QStringLiteral("*.in")}, QDir::Files, QDir::Name))
        out << d.filePath(f);
    return out;
}

QStringList DovecotServer::rawLogOutputs() const
{
    QStringList out;
    if (m_root.isEmpty())
        return out;
    QDir d(rawLogDir());
    for (const QString &f : d.entryList({QStringLiteral("*.out")}, QDir::Files, QDir::Name))
        out << d.filePath(f);
    return out;
}

void DovecotServer::clearRawLogs()
{
    for (const QString &f : rawLogInputs() + rawLogOutputs())
        QFile::remove(f);
}

QList<DovecotServer::RawCommand> DovecotServer::rawLogCommands() const
{
    QList<RawCommand> result;
    for (const QString &path : rawLogInputs()) {
        const QString session = QFileInfo(path).fileName();
        QString selected;
        for (const ParsedCommand &c : parseClientStream(stripRawlogTimestamps(readFile(path)))) {
            RawCommand rc;
            rc.session = session;
            rc.tag = QString::fromUtf8(c.tag);
            rc.name = QString::fromUtf8(c.name);
            rc.arguments = QString::fromUtf8(c.arguments);
            if (c.name == "SELECT" || c.name == "EXAMINE") {
                selected = normalizeMailbox(decodeModifiedUtf7(takeAstring(c.arguments, nullptr)));
            } else if (c.name == "UNSELECT" || c.name == "CLOSE") {
                rc.mailbox = selected;
                selected.clear();
                result << rc;
                continue;
            }
            rc.mailbox = selected;
            result << rc;
        }
    }
    return result;
}

bool DovecotServer::isFullFetch(const QString &fetchItems)
{
    // Asking for a message's content: its structure, its whole header, or the
    // whole message. A probe for a few header fields (HEADER.FIELDS) and the
    // text parts that follow a structure fetch are not a second download.
    static const QRegularExpression re(
        QStringLiteral("BODYSTRUCTURE|BODY(\\.PEEK)?\\[(HEADER)?\\]|BINARY(\\.PEEK)?\\[\\]|"
                       "(^|[\\s(])(BODY|RFC822|RFC822\\.HEADER|RFC822\\.TEXT|FULL)(?=[\\s)]|$)"),
        QRegularExpression::CaseInsensitiveOption);
    return re.match(fetchItems).hasMatch();
}

QList<quint32> DovecotServer::knownUids(const QString &mailbox) const
{
    QList<quint32> uids;
    QFile f(mailboxDir(mailbox) + QStringLiteral("/dovecot-uidlist"));
    if (!f.open(QIODevice::ReadOnly))
        return uids;
    f.readLine(); // header
    while (!f.atEnd()) {
        const QByteArray line = f.readLine();
        int i = 0;
        quint32 uid = 0;
        while (i < line.size() && line.at(i) >= '0' && line.at(i) <= '9')
            uid = uid * 10 + quint32(line.at(i++) - '0');
        if (i > 0)
            uids << uid;
    }
    std::sort(uids.begin(), uids.end());
    return uids;
}

QHash<QPair<QString, quint32>, int> DovecotServer::fullFetchCountsByMailboxUid() const
{
    QHash<QPair<QString, quint32>, int> counts;
    QHash<QString, QList<quint32>> known;
    for (const RawCommand &c : rawLogCommands()) {
        if (c.name != QLatin1String("UID FETCH") || c.mailbox.isEmpty())
            continue;
        const int sp = c.arguments.indexOf(QLatin1Char(' '));
        if (sp < 0)
            continue;
        const QString set = c.arguments.left(sp);
        if (!isFullFetch(c.arguments.mid(sp + 1)))
            continue;
        if (!known.contains(c.mailbox))
            known.insert(c.mailbox, knownUids(c.mailbox));
        const QList<quint32> &uids = known[c.mailbox];
        const quint32 maxKnown = uids.isEmpty() ? 0 : uids.last();
        QSet<quint32> hit; // a UID listed twice in one command is fetched once
        for (const QString &item : set.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const int colon = item.indexOf(QLatin1Char(':'));
            if (colon < 0) {
                if (item == QLatin1String("*")) {
                    if (maxKnown)
                        hit.insert(maxKnown);
                } else {
                    bool ok = false;
                    const quint32 u = item.toUInt(&ok);
                    if (ok)
                        hit.insert(u);
                }
                continue;
            }
            const QString a = item.left(colon), b = item.mid(colon + 1);
            bool okA = true, okB = true;
            quint32 lo = a == QLatin1String("*") ? 0 : a.toUInt(&okA);
            quint32 hi = b == QLatin1String("*") ? 0 : b.toUInt(&okB);
            if (!okA || !okB)
                continue;
            if (a == QLatin1String("*"))
                lo = maxKnown ? maxKnown : hi;
            if (b == QLatin1String("*"))
                hi = maxKnown ? maxKnown : lo;
            if (lo > hi)
                std::swap(lo, hi);
            if (!uids.isEmpty()) {
                for (quint32 u : uids)
                    if (u >= lo && u <= hi)
                        hit.insert(u);
            } else if (hi - lo < 1000000) {
                for (quint64 u = std::max<quint32>(lo, 1); u <= hi; ++u)
                    hit.insert(quint32(u));
            }
        }
        for (quint32 u : hit)
            counts[qMakePair(c.mailbox, u)] += 1;
    }
    return counts;
}

} // namespace Lookback::Test
