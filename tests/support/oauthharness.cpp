#include "oauthharness.h"

#include "testbrowser.h"
#include "testpaths.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTest>

#include <signal.h>

#include <QEventLoop>
#include <QSqlQuery>
#include <QTimer>

namespace Lookback::Test {

OAuthHarness::OAuthHarness(ProviderKind kind)
    : m_kind(kind)
{
}

OAuthHarness::~OAuthHarness()
{
    for (const QString &name : std::as_const(m_envSet))
        qunsetenv(name.toLatin1().constData());
}

bool OAuthHarness::init(QString *error)
{
    if (!m_dir.isValid()) {
        *error = QStringLiteral("no temporary folder");
        return false;
    }
    if (!startFake(error))
        return false;
    const QProcessEnvironment env = environment(QProcessEnvironment());
    for (const QString &name : env.keys()) {
        qputenv(name.toLatin1().constData(), env.value(name).toUtf8());
        m_envSet << name;
    }
    return true;
}

QString OAuthHarness::archivePath() const
{
    return ArchiveStore::defaultPath(m_dir.path());
}

qint64 OAuthHarness::signIn(const QString &name, QString *error)
{
    SyncService service(archivePath());
    SyncError e;
    if (!service.open(&e)) {
        *error = e.message;
        return 0;
    }
    qint64 id = 0;
    QEventLoop loop;
    QString browserError;
    service.signInWithBrowser(m_kind, {}, [&browserError](const QUrl &url) {
        // The browser runs beside the program, not inside its signal.
        QTimer::singleShot(0, [url, &browserError] { followAuthorization(url, &browserError); });
    }, [&](const SyncError &signInError, const OAuthGrant &grant, const QString &address) {
        if (signInError.isError()) {
            *error = signInError.message;
            loop.quit();
            return;
        }
        service.addOAuthConnection(name, m_kind, grant, address, [&](const SyncError &addError, qint64 newId) {
            if (addError.isError())
                *error = addError.message;
            id = newId;
            loop.quit();
        });
    }, 30000);
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    loop.exec();
    if (!id && error->isEmpty())
        *error = browserError.isEmpty() ? QStringLiteral("sign-in timed out") : browserError;
    return id;
}

bool OAuthHarness::reconnect(qint64 id, QString *error)
{
    SyncService service(archivePath());
    SyncError e;
    if (!service.open(&e)) {
        *error = e.message;
        return false;
    }
    bool ok = false;
    bool done = false;
    QEventLoop loop;
    service.reconnectWithBrowser(id, {}, [](const QUrl &url) {
        QTimer::singleShot(0, [url] {
            QString ignored;
            followAuthorization(url, &ignored);
        });
    }, [&](const SyncError &r) {
        ok = !r.isError();
        if (!ok)
            *error = r.message;
        done = true;
        loop.quit();
    }, 30000);
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    if (!done)
        loop.exec();
    return ok;
}

HarnessRequest OAuthHarness::request(qint64 id, const BackfillRange &range) const
{
    HarnessRequest r;
    r.range = range;
    r.connectionId = id;
    r.options.retryFirstConnect = false;
    r.options.maxAttemptsWithoutProgress = 3;
    r.options.retryBaseMs = 200;
    r.options.progressIntervalMs = 0;
    return r;
}

SyncProgress OAuthHarness::run(const HarnessRequest &request, const BackfillHarness::OnProgress &onProgress,
                               int timeoutMs)
{
    return BackfillHarness::runAll(archivePath(), {request}, onProgress, timeoutMs).value(request.connectionId);
}

QHash<QString, int> OAuthHarness::archivedProviderIds() const
{
    QHash<QString, int> result;
    ArchiveStore store(archivePath());
    SyncError e;
    if (!store.open(&e))
        return result;
    QSqlQuery q(store.database());
    q.exec(QStringLiteral("SELECT provider_id FROM messages"));
    while (q.next())
        result[q.value(0).toString()] += 1;
    return result;
}

QHash<QString, QStringList> OAuthHarness::locations() const
{
    QHash<QString, QStringList> result;
    ArchiveStore store(archivePath());
    SyncError e;
    if (!store.open(&e))
        return result;
    QSqlQuery q(store.database());
    q.exec(QStringLiteral("SELECT m.provider_id, f.role FROM locations l JOIN messages m ON m.id = l.message_row "
                          "JOIN folders f ON f.id = l.folder_id ORDER BY f.role"));
    while (q.next())
        result[q.value(0).toString()] << q.value(1).toString();
    return result;
}

qint64 OAuthHarness::archivedCount(qint64 id, const QString &role) const
{
    ArchiveStore store(archivePath());
    SyncError e;
    if (!store.open(&e))
        return -1;
    return store.messageCount(id, role);
}

ConnectionRecord OAuthHarness::connection(qint64 id) const
{
    ConnectionRecord c;
    ArchiveStore store(archivePath());
    SyncError e;
    if (store.open(&e))
        store.connectionById(id, &c);
    return c;
}

int OAuthHarness::killCliAt(const QList<int> &thresholds, const QStringList &args, const QProcessEnvironment &env,
                           QString *why) const
{
    int kills = 0;
    for (const int threshold : thresholds) {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(cliPath(), args);
        if (!p.waitForStarted()) {
            *why = QStringLiteral("lookback-cli did not start: %1").arg(p.errorString());
            return -1;
        }
        QElapsedTimer waited;
        waited.start();
        while (archivedProviderIds().size() < threshold && p.state() == QProcess::Running && waited.elapsed() < 60000)
            QTest::qWait(10);
        if (p.state() == QProcess::Running) {
            ::kill(pid_t(p.processId()), SIGKILL);
            ++kills;
        }
        p.waitForFinished(10000);
        const QHash<QString, int> archived = archivedProviderIds();
        for (auto it = archived.cbegin(); it != archived.cend(); ++it) {
            if (it.value() != 1) {
                *why = QStringLiteral("%1 archived %2 times after a kill at %3").arg(it.key()).arg(it.value()).arg(threshold);
                return -1;
            }
        }
    }
    return kills;
}

} // namespace Lookback::Test
