#include "keyringsession.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QStandardPaths>
#include <QThread>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <dlfcn.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Lookback::Test {

namespace {

QString findProgram(const QString &name)
{
    QString found = QStandardPaths::findExecutable(name);
    if (found.isEmpty())
        found = QStandardPaths::findExecutable(name, {QStringLiteral("/usr/bin"), QStringLiteral("/bin"),
                                                      QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/bin")});
    return found.isEmpty() ? name : found;
}

void dieWithParent()
{
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
}

// GLib's shared session-bus connection (g_bus_get), used by libsecret and hence by
// QtKeychain, is a process-wide singleton: it stays bound to the first bus it reached,
// and by default it raises SIGTERM in this process when that bus goes away. GLib's own
// GTestDBus handles this by switching exit-on-close off and disposing the singleton
// when its bus goes down; do the same. GIO is resolved at run time: the test-support
// library does not link it (libsecret, loaded by QtKeychain, does).
struct GioApi {
    void *(*busGetSync)(int, void *, void **) = nullptr;
    void (*setExitOnClose)(void *, int) = nullptr;
    const char *(*getGuid)(void *) = nullptr;
    int (*isClosed)(void *) = nullptr;
    void (*runDispose)(void *) = nullptr;
    void (*unref)(void *) = nullptr;
    bool ok = false;
};

const GioApi &gio()
{
    static const GioApi api = [] {
        GioApi a;
        void *lib = ::dlopen("libgio-2.0.so.0", RTLD_LAZY | RTLD_GLOBAL);
        void *gobject = ::dlopen("libgobject-2.0.so.0", RTLD_LAZY | RTLD_GLOBAL);
        if (!lib || !gobject)
            return a;
        a.busGetSync = reinterpret_cast<void *(*)(int, void *, void **)>(::dlsym(lib, "g_bus_get_sync"));
        a.setExitOnClose = reinterpret_cast<void (*)(void *, int)>(::dlsym(lib, "g_dbus_connection_set_exit_on_close"));
        a.getGuid = reinterpret_cast<const char *(*)(void *)>(::dlsym(lib, "g_dbus_connection_get_guid"));
        a.isClosed = reinterpret_cast<int (*)(void *)>(::dlsym(lib, "g_dbus_connection_is_closed"));
        a.runDispose = reinterpret_cast<void (*)(void *)>(::dlsym(gobject, "g_object_run_dispose"));
        a.unref = reinterpret_cast<void (*)(void *)>(::dlsym(gobject, "g_object_unref"));
        a.ok = a.busGetSync && a.setExitOnClose && a.getGuid && a.isClosed && a.runDispose && a.unref;
        return a;
    }();
    return api;
}

void *g_sessionConnection = nullptr;

// Drops GLib's session-bus singleton (like GTestDBus does): disposing the object clears
// the weak reference GLib keeps, so the next g_bus_get() connects afresh.
void forgetSharedSessionConnection()
{
    const GioApi &api = gio();
    if (!api.ok || !g_sessionConnection)
        return;
    api.setExitOnClose(g_sessionConnection, 0);
    api.runDispose(g_sessionConnection);
    api.unref(g_sessionConnection);
    g_sessionConnection = nullptr;
}

// Makes GLib's session-bus singleton point at the bus with this GUID, with exit-on-close
// off, and keeps a reference to it.
void adoptSharedSessionConnection(const QByteArray &guid)
{
    const GioApi &api = gio();
    if (!api.ok)
        return;
    forgetSharedSessionConnection();
    for (int attempt = 0; attempt < 2; ++attempt) {
        void *gerror = nullptr;
        void *connection = api.busGetSync(2 /* G_BUS_TYPE_SESSION */, nullptr, &gerror);
        if (!connection)
            return; // leaks the GError; harmless in a test
        const char *connectionGuid = api.getGuid(connection);
        if (!api.isClosed(connection) && (guid.isEmpty() || (connectionGuid && guid == connectionGuid))) {
            api.setExitOnClose(connection, 0);
            g_sessionConnection = connection;
            return;
        }
        // A singleton from an earlier bus: get rid of it and connect again.
        api.setExitOnClose(connection, 0);
        api.runDispose(connection);
        api.unref(connection);
    }
}

// Makes libsecret forget its cached Secret Service proxy (if libsecret is loaded).
void disconnectLibsecret()
{
    void *secret = ::dlopen("libsecret-1.so.0", RTLD_LAZY | RTLD_NOLOAD);
    if (!secret)
        return;
    using Disconnect = void (*)();
    if (auto disconnect = reinterpret_cast<Disconnect>(::dlsym(secret, "secret_service_disconnect")))
        disconnect();
    ::dlclose(secret);
}

} // namespace

KeyringSession::KeyringSession()
{
    static const char alphabet[] = "abcdefghijkmnopqrstuvwxyz23456789";
    for (int i = 0; i < 16; ++i)
        m_password += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(int(sizeof(alphabet) - 1))]);
}

KeyringSession::~KeyringSession()
{
    stop();
    if (!m_root.isEmpty()) {
        if (qEnvironmentVariableIsEmpty("LOOKBACK_KEEP_TEST_DIRS"))
            QDir(m_root).removeRecursively();
        else
            qInfo("KeyringSession: keeping %s", qPrintable(m_root));
    }
}

QString KeyringSession::busAddress() const { return m_address; }
QString KeyringSession::homeDir() const { return m_root.isEmpty() ? QString() : m_root + QStringLiteral("/home"); }
QString KeyringSession::password() const { return m_password; }

bool KeyringSession::isRunning() const
{
    return m_bus && m_bus->state() != QProcess::NotRunning && m_keyring
        && m_keyring->state() != QProcess::NotRunning;
}

QProcessEnvironment KeyringSession::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!m_address.isEmpty())
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), m_address);
    if (!m_root.isEmpty()) {
        env.insert(QStringLiteral("HOME"), m_root + QStringLiteral("/home"));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_root + QStringLiteral("/run"));
    }
    return env;
}

bool KeyringSession::start(QString *error)
{
    if (isRunning())
        return true;
    stop();
    if (m_root.isEmpty()) {
        QByteArray templ("/tmp/lookback-keyring.XXXXXX");
        if (!::mkdtemp(templ.data())) {
            if (error)
                *error = QStringLiteral("mkdtemp failed: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
            return false;
        }
        m_root = QFile::decodeName(templ);
        QDir().mkpath(m_root + QStringLiteral("/home"));
        QDir().mkpath(m_root + QStringLiteral("/run"));
        ::chmod(QFile::encodeName(m_root + QStringLiteral("/run")).constData(), 0700);
    }

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), m_root + QStringLiteral("/home"));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_root + QStringLiteral("/run"));
    env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));

    // 1. the bus
    const QString socketPath = m_root + QStringLiteral("/bus");
    QFile::remove(socketPath);
    m_bus = std::make_unique<QProcess>();
    m_bus->setProcessEnvironment(env);
    m_bus->setChildProcessModifier(dieWithParent);
    m_bus->setStandardErrorFile(m_root + QStringLiteral("/dbus-daemon.log"), QIODevice::Append);
    m_bus->start(findProgram(QStringLiteral("dbus-daemon")),
                 {QStringLiteral("--session"), QStringLiteral("--nofork"),
                  QStringLiteral("--address=unix:path=") + socketPath, QStringLiteral("--print-address=1")});
    if (!m_bus->waitForStarted(10000)) {
        if (error)
            *error = QStringLiteral("cannot run dbus-daemon: %1").arg(m_bus->errorString());
        stop();
        return false;
    }
    QByteArray printed;
    QElapsedTimer timer;
    timer.start();
    while (!printed.contains('\n') && timer.elapsed() < 10000 && m_bus->state() == QProcess::Running) {
        if (m_bus->waitForReadyRead(100))
            printed += m_bus->readAllStandardOutput();
    }
    m_address = QString::fromUtf8(printed.left(printed.indexOf('\n')).trimmed());
    if (m_address.isEmpty()) {
        QFile log(m_root + QStringLiteral("/dbus-daemon.log"));
        log.open(QIODevice::ReadOnly);
        if (error)
            *error = QStringLiteral("dbus-daemon did not print its address: %1").arg(QString::fromLocal8Bit(log.readAll()));
        stop();
        return false;
    }
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), m_address);

    // 2. the keyring daemon, unlocked with the password on stdin (creates the login
    //    keyring in the temporary HOME on first use)
    m_keyring = std::make_unique<QProcess>();
    m_keyring->setProcessEnvironment(env);
    m_keyring->setChildProcessModifier(dieWithParent);
    m_keyring->setStandardOutputFile(m_root + QStringLiteral("/gnome-keyring.log"), QIODevice::Append);
    m_keyring->setStandardErrorFile(m_root + QStringLiteral("/gnome-keyring.log"), QIODevice::Append);
    m_keyring->start(findProgram(QStringLiteral("gnome-keyring-daemon")),
                     {QStringLiteral("--foreground"), QStringLiteral("--unlock"),
                      QStringLiteral("--components=secrets")});
    if (!m_keyring->waitForStarted(10000)) {
        if (error)
            *error = QStringLiteral("cannot run gnome-keyring-daemon: %1").arg(m_keyring->errorString());
        stop();
        return false;
    }
    m_keyring->write(m_password.toUtf8());
    m_keyring->waitForBytesWritten(2000);
    m_keyring->closeWriteChannel();

    if (!waitForSecretsOwner(error)) {
        stop();
        return false;
    }

    // 3. this process
    if (!m_addressSet) {
        m_hadPreviousAddress = qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS");
        m_previousAddress = qgetenv("DBUS_SESSION_BUS_ADDRESS");
        m_addressSet = true;
    }
    qputenv("DBUS_SESSION_BUS_ADDRESS", m_address.toUtf8());
    disconnectLibsecret();
    const int guidAt = m_address.indexOf(QLatin1String("guid="));
    adoptSharedSessionConnection(guidAt < 0 ? QByteArray() : m_address.mid(guidAt + 5).section(QLatin1Char(','), 0, 0).toLatin1());
    return true;
}

bool KeyringSession::waitForSecretsOwner(QString *error) const
{
    QElapsedTimer timer;
    timer.start();
    QString last;
    while (timer.elapsed() < 10000) {
        if (m_keyring->state() == QProcess::NotRunning)
            break;
        QByteArray out;
        if (runTool(QStringLiteral("dbus-send"),
                    {QStringLiteral("--session"), QStringLiteral("--print-reply"),
                     QStringLiteral("--dest=org.freedesktop.DBus"), QStringLiteral("/org/freedesktop/DBus"),
                     QStringLiteral("org.freedesktop.DBus.NameHasOwner"), QStringLiteral("string:org.freedesktop.secrets")},
                    QByteArray(), &out, &last)
            && out.contains("boolean true"))
            return true;
        QThread::msleep(50);
    }
    QFile log(m_root + QStringLiteral("/gnome-keyring.log"));
    log.open(QIODevice::ReadOnly);
    if (error)
        *error = QStringLiteral("org.freedesktop.secrets did not appear on %1 within 10 s (%2). gnome-keyring: %3")
                     .arg(m_address, last, QString::fromLocal8Bit(log.readAll()));
    return false;
}

void KeyringSession::stop()
{
    const bool wasUp = m_bus || m_keyring;
    if (wasUp) {
        disconnectLibsecret();
        forgetSharedSessionConnection();
    }
    for (std::unique_ptr<QProcess> *p : {&m_keyring, &m_bus}) {
        if (!*p)
            continue;
        if ((*p)->state() != QProcess::NotRunning) {
            (*p)->terminate();
            if (!(*p)->waitForFinished(3000)) {
                (*p)->kill();
                (*p)->waitForFinished(3000);
            }
        }
        p->reset();
    }
    if (m_addressSet) {
        if (m_hadPreviousAddress)
            qputenv("DBUS_SESSION_BUS_ADDRESS", m_previousAddress);
        else
            qunsetenv("DBUS_SESSION_BUS_ADDRESS");
        m_addressSet = false;
    }
    m_address.clear();
}

bool KeyringSession::runTool(const QString &program, const QStringList &args, const QByteArray &input,
                             QByteArray *out, QString *error) const
{
    QProcess p;
    p.setProcessEnvironment(environment());
    p.start(findProgram(program), args);
    if (!p.waitForStarted(10000)) {
        if (error)
            *error = QStringLiteral("cannot run %1: %2").arg(program, p.errorString());
        return false;
    }
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(20000)) {
        p.kill();
        p.waitForFinished(2000);
        if (error)
            *error = QStringLiteral("%1 timed out").arg(program);
        return false;
    }
    if (out)
        *out = p.readAllStandardOutput();
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        if (error)
            *error = QStringLiteral("%1 %2 failed (exit %3): %4")
                         .arg(program, args.join(QLatin1Char(' ')))
                         .arg(p.exitCode())
                         .arg(QString::fromLocal8Bit(p.readAllStandardError()));
        return false;
    }
    return true;
}

QString KeyringSession::lookup(const QString &attributeName, const QString &attributeValue) const
{
    QMap<QString, QString> attrs;
    attrs.insert(attributeName, attributeValue);
    return lookup(attrs);
}

QString KeyringSession::lookup(const QMap<QString, QString> &attributes) const
{
    QStringList args{QStringLiteral("lookup")};
    for (auto it = attributes.cbegin(); it != attributes.cend(); ++it)
        args << it.key() << it.value();
    QByteArray out;
    if (!runTool(QStringLiteral("secret-tool"), args, QByteArray(), &out, nullptr))
        return QString();
    return QString::fromUtf8(out);
}

bool KeyringSession::store(const QMap<QString, QString> &attributes, const QString &secret, QString *error,
                           const QString &label) const
{
    QStringList args{QStringLiteral("store"), QStringLiteral("--label=") + label};
    for (auto it = attributes.cbegin(); it != attributes.cend(); ++it)
        args << it.key() << it.value();
    return runTool(QStringLiteral("secret-tool"), args, secret.toUtf8(), nullptr, error);
}

QList<QPair<QMap<QString, QString>, QString>> KeyringSession::items() const
{
    QList<QPair<QMap<QString, QString>, QString>> result;
    if (m_address.isEmpty())
        return result;
    const QString busArg = QStringLiteral("--address=") + m_address;
    QByteArray out;
    if (!runTool(QStringLiteral("busctl"),
                 {busArg, QStringLiteral("--json=short"), QStringLiteral("call"), QStringLiteral("org.freedesktop.secrets"),
                  QStringLiteral("/org/freedesktop/secrets"), QStringLiteral("org.freedesktop.Secret.Service"),
                  QStringLiteral("SearchItems"), QStringLiteral("a{ss}"), QStringLiteral("0")},
                 QByteArray(), &out, nullptr))
        return itemsViaSecretTool();
    QStringList paths;
    const QJsonArray data = QJsonDocument::fromJson(out).object().value(QLatin1String("data")).toArray();
    for (const QJsonValue &list : data) // [unlocked, locked]
        for (const QJsonValue &path : list.toArray())
            paths << path.toString();

    for (const QString &path : paths) {
        QByteArray attrJson;
        if (!runTool(QStringLiteral("busctl"),
                     {busArg, QStringLiteral("--json=short"), QStringLiteral("get-property"),
                      QStringLiteral("org.freedesktop.secrets"), path, QStringLiteral("org.freedesktop.Secret.Item"),
                      QStringLiteral("Attributes")},
                     QByteArray(), &attrJson, nullptr))
            continue;
        QMap<QString, QString> attrs;
        const QJsonObject obj = QJsonDocument::fromJson(attrJson).object().value(QLatin1String("data")).toObject();
        for (auto it = obj.begin(); it != obj.end(); ++it)
            attrs.insert(it.key(), it.value().toString());
        // secret-tool search needs at least one attribute; it prints "[/N]" (the item
        // path below its collection) before each item's fields.
        QStringList args{QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("--unlock")};
        for (auto it = attrs.cbegin(); it != attrs.cend(); ++it)
            args << it.key() << it.value();
        if (attrs.isEmpty())
            continue;
        QByteArray listing;
        if (!runTool(QStringLiteral("secret-tool"), args, QByteArray(), &listing, nullptr))
            continue;
        QString currentHeader;
        for (const QByteArray &rawLine : listing.split('\n')) {
            const QString line = QString::fromUtf8(rawLine);
            if (line.startsWith(QLatin1Char('[')) && line.endsWith(QLatin1Char(']'))) {
                currentHeader = line.mid(1, line.size() - 2);
            } else if (line.startsWith(QLatin1String("secret = ")) && !currentHeader.isEmpty()
                       && path.endsWith(currentHeader)) {
                result << qMakePair(attrs, line.mid(9));
                break;
            }
        }
    }
    return result;
}

// Without busctl (systemd): secret-tool needs at least one attribute, so search by the
// schema attribute libsecret-based writers (QtKeychain, secret-tool) always set.
QList<QPair<QMap<QString, QString>, QString>> KeyringSession::itemsViaSecretTool() const
{
    QList<QPair<QMap<QString, QString>, QString>> result;
    QSet<QString> seen;
    for (const QString &schema : {QStringLiteral("org.qt.keychain"), QStringLiteral("org.freedesktop.Secret.Generic"),
                                  QStringLiteral("org.gnome.keyring.Note"), QStringLiteral("org.gnome.keyring.NetworkPassword")}) {
        QByteArray listing;
        if (!runTool(QStringLiteral("secret-tool"),
                     {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("--unlock"),
                      QStringLiteral("xdg:schema"), schema},
                     QByteArray(), &listing, nullptr))
            continue;
        QString header, secret;
        QMap<QString, QString> attrs;
        auto flush = [&]() {
            if (!header.isEmpty() && !seen.contains(header)) {
                seen.insert(header);
                result << qMakePair(attrs, secret);
            }
            header.clear();
            secret.clear();
            attrs.clear();
        };
        for (const QByteArray &rawLine : listing.split('\n')) {
            const QString line = QString::fromUtf8(rawLine);
            if (line.startsWith(QLatin1Char('[')) && line.endsWith(QLatin1Char(']'))) {
                flush();
                header = line.mid(1, line.size() - 2);
            } else if (line.startsWith(QLatin1String("secret = "))) {
                secret = line.mid(9);
            } else if (line.startsWith(QLatin1String("attribute."))) {
                const int eq = line.indexOf(QLatin1String(" = "));
                if (eq > 0)
                    attrs.insert(line.mid(10, eq - 10), line.mid(eq + 3));
            }
        }
        flush();
    }
    return result;
}

QStringList KeyringSession::dumpAllSecrets() const
{
    QStringList out;
    for (const auto &item : items())
        out << item.second;
    return out;
}

QStringList KeyringSession::dumpAllItems() const
{
    QStringList out;
    for (const auto &item : items()) {
        QStringList attrs;
        for (auto it = item.first.cbegin(); it != item.first.cend(); ++it)
            attrs << it.key() + QLatin1Char('=') + it.value();
        out << attrs.join(QLatin1Char(',')) + QStringLiteral(": ") + item.second;
    }
    return out;
}

} // namespace Lookback::Test
