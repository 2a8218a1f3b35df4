#include "backfillharness.h"

#include "imap/imapconnection.h"

#include <QEventLoop>
#include <QSqlQuery>
#include <QSslCertificate>
#include <QTimer>

namespace Lookback::Test {

ConnectionRecord connectionFor(const DovecotServer &server, const QString &name)
{
    ConnectionRecord c;
    c.name = name;
    c.kind = ProviderKind::Imap;
    c.host = server.host();
    c.port = server.tlsPort();
    c.security = QStringLiteral("tls");
    c.username = server.user();
    c.trustedCertSha256 = ImapConnection::digestHex(QSslCertificate(server.certificatePem(), QSsl::Pem));
    return c;
}

BackfillHarness::BackfillHarness(DovecotServer &server)
    : m_server(server)
{
}

QString BackfillHarness::archivePath() const
{
    return m_dir.filePath(QStringLiteral("archive.sqlite"));
}

bool BackfillHarness::init(QString *error)
{
    if (!m_dir.isValid()) {
        *error = QStringLiteral("no temporary folder");
        return false;
    }
    ArchiveStore store(archivePath());
    SyncError e;
    if (!store.open(&e)) {
        *error = e.message;
        return false;
    }
    ConnectionRecord c = connectionFor(m_server, QStringLiteral("test"));
    if (!store.addConnection(&c, &e)) {
        *error = e.message;
        return false;
    }
    m_connectionId = c.id;
    return true;
}

HarnessRequest BackfillHarness::request(const BackfillRange &range) const
{
    HarnessRequest r;
    r.range = range;
    r.connectionId = m_connectionId;
    r.password = m_server.password();
    r.options.retryFirstConnect = false;
    r.options.maxAttemptsWithoutProgress = 3;
    r.options.retryBaseMs = 200;
    r.options.progressIntervalMs = 0; // every page, so tests can act mid-backfill
    return r;
}

bool BackfillHarness::editConnection(const std::function<void(ConnectionRecord &)> &edit)
{
    ArchiveStore store(archivePath());
    SyncError e;
    ConnectionRecord c;
    if (!store.open(&e) || !store.connectionById(m_connectionId, &c))
        return false;
    edit(c);
    return store.updateConnection(c, &e);
}

HarnessRequest BackfillHarness::catchUp() const
{
    HarnessRequest r = request(BackfillRange{0});
    r.kind = TaskKind::CatchUp;
    return r;
}

QHash<qint64, SyncProgress> BackfillHarness::runAll(const QString &archivePath, const QVector<HarnessRequest> &requests,
                                                    const OnProgress &onProgress, int timeoutMs)
{
    QHash<qint64, SyncProgress> results;
    SyncService service(archivePath);
    SyncError e;
    if (!service.open(&e)) {
        for (const HarnessRequest &r : requests) {
            SyncProgress p;
            p.connectionId = r.connectionId;
            p.state = BackfillState::Failed;
            p.error = e;
            results.insert(r.connectionId, p);
        }
        return results;
    }
    if (!requests.isEmpty())
        service.setOptions(requests.first().options);
    QEventLoop loop;
    QObject::connect(&service, &SyncService::progressChanged, [&](const SyncProgress &p) {
        if (onProgress)
            onProgress(service, p);
    });
    QObject::connect(&service, &SyncService::finished, [&](const SyncProgress &p) {
        results.insert(p.connectionId, p);
        if (results.size() == requests.size())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    for (const HarnessRequest &r : requests) {
        if (!r.password.isEmpty())
            service.setSessionPassword(r.connectionId, r.password);
        if (r.kind == TaskKind::CatchUp)
            service.syncNow(r.connectionId);
        else
            service.startBackfill(r.connectionId, r.range);
    }
    if (results.size() < requests.size())
        loop.exec();
    for (const HarnessRequest &r : requests) {
        if (!results.contains(r.connectionId)) {
            SyncProgress p;
            p.connectionId = r.connectionId;
            p.state = BackfillState::Failed;
            p.message = QStringLiteral("timed out");
            results.insert(r.connectionId, p);
        }
    }
    service.shutdown(5000);
    return results;
}

SyncProgress BackfillHarness::run(const HarnessRequest &request, const OnProgress &onProgress, int timeoutMs)
{
    return runAll(archivePath(), {request}, onProgress, timeoutMs).value(request.connectionId);
}

QHash<QString, int> BackfillHarness::archivedMessageIds() const
{
    QHash<QString, int> result;
    ArchiveStore store(archivePath());
    SyncError e;
    if (!store.open(&e))
        return result;
    QSqlQuery q(store.database());
    q.exec(QStringLiteral("SELECT message_id FROM messages"));
    while (q.next())
        result[q.value(0).toString()] += 1;
    return result;
}

qint64 BackfillHarness::archivedCount(const QString &role) const
{
    ArchiveStore store(archivePath());
    SyncError e;
    if (!store.open(&e))
        return -1;
    return store.messageCount(m_connectionId, role);
}

} // namespace Lookback::Test
