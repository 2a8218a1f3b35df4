#include "backfillharness.h"

#include <QEventLoop>
#include <QSqlQuery>
#include <QTimer>

namespace Lookback::Test {

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
    ConnectionRecord c;
    c.name = QStringLiteral("test");
    c.host = m_server.host();
    c.port = m_server.tlsPort();
    c.security = QStringLiteral("tls");
    c.username = m_server.user();
    if (!store.addConnection(&c, &e)) {
        *error = e.message;
        return false;
    }
    m_connectionId = c.id;
    return true;
}

BackfillRequest BackfillHarness::request(const BackfillRange &range) const
{
    BackfillRequest r;
    r.connectionId = m_connectionId;
    r.range = range;
    r.archivePath = archivePath();
    r.settings.host = m_server.host();
    r.settings.port = m_server.tlsPort();
    r.settings.security = Security::Tls;
    r.settings.username = m_server.user();
    r.settings.password = m_server.password();
    QSslCertificate cert(m_server.certificatePem(), QSsl::Pem);
    r.settings.trustedCertSha256 = ImapConnection::digestHex(cert);
    r.retryFirstConnect = false;
    r.maxRetries = 2;
    r.progressIntervalMs = 0; // every page, so tests can act mid-backfill
    return r;
}

BackfillProgress BackfillHarness::run(const BackfillRequest &request,
                                      const std::function<void(BackfillController &, const BackfillProgress &)> &onProgress,
                                      int timeoutMs)
{
    BackfillController controller;
    BackfillProgress last;
    bool done = false;
    QEventLoop loop;
    QObject::connect(&controller, &BackfillController::progressChanged, [&](const BackfillProgress &p) {
        last = p;
        if (onProgress)
            onProgress(controller, p);
    });
    QObject::connect(&controller, &BackfillController::finished, [&](const BackfillProgress &p) {
        last = p;
        done = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    controller.start(request);
    if (!done)
        loop.exec();
    if (!done) {
        controller.stopAll(5000);
        last.message = QStringLiteral("timed out");
        last.state = BackfillState::Failed;
    }
    return last;
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
