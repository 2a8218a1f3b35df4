#include "syncmanager.h"

#include "archive/archivestore.h"
#include "common/appidentity.h"
#include "imap/imapconnection.h"
#include "secrets/secretstore.h"

#include <QDateTime>
#include <QSettings>

namespace Lookback::Ui {

namespace {
const char kResumeKey[] = "sync/resumeOnStart";
}

SyncManager::SyncManager(const QString &archivePath, QObject *parent)
    : QObject(parent)
    , m_archivePath(archivePath)
{
    connect(&m_controller, &BackfillController::progressChanged, this, [this](const BackfillProgress &p) {
        m_last.insert(p.connectionId, p);
        emit progressChanged(p);
        // The browser reloads its counts at most every two seconds while pages arrive.
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (now - m_lastArchiveSignal.value(p.connectionId) > 2000) {
            m_lastArchiveSignal.insert(p.connectionId, now);
            emit archiveChanged(p.connectionId);
        }
    });
    connect(&m_controller, &BackfillController::finished, this, [this](const BackfillProgress &p) {
        m_last.insert(p.connectionId, p);
        emit finished(p);
        emit archiveChanged(p.connectionId);
        emit connectionsChanged();
    });
}

SyncManager::~SyncManager()
{
    shutdown();
}

ArchiveStore &SyncManager::store() const
{
    if (!m_store) {
        m_store = std::make_unique<ArchiveStore>(m_archivePath);
        SyncError e;
        m_store->open(&e);
    }
    return *m_store;
}

QVector<ConnectionRecord> SyncManager::connections() const
{
    return store().connections();
}

bool SyncManager::connection(qint64 id, ConnectionRecord *out) const
{
    return store().connectionById(id, out);
}

BackfillProgress SyncManager::snapshot(qint64 id) const
{
    if (m_last.contains(id))
        return m_last.value(id);
    BackfillProgress p;
    p.connectionId = id;
    ConnectionRecord c;
    if (store().connectionById(id, &c)) {
        p.health = c.health;
        if (c.health == QLatin1String("failed") || c.health == QLatin1String("needs-reconnect")
            || c.health == QLatin1String("permission-lost") || c.health == QLatin1String("offline"))
            p.error.message = c.healthDetail;
    }
    BackfillJobRecord job;
    if (store().latestJob(id, &job)) {
        p.jobId = job.id;
        p.range = job.range;
        p.state = job.state;
        p.fetched = job.fetched;
        p.estimatedTotal = job.estimatedTotal;
        p.error.category = categoryFromName(job.errorCategory);
        if (!job.errorMessage.isEmpty())
            p.error.message = job.errorMessage;
        if (job.state == BackfillState::Running)
            p.state = BackfillState::Paused; // a job left running by a crash waits to be resumed
    } else {
        p.jobId = 0;
        p.state = BackfillState::Complete;
        p.fetched = 0;
        p.estimatedTotal = -1;
    }
    return p;
}

bool SyncManager::addConnection(ConnectionRecord *c, const QString &password, SyncError *error)
{
    if (!store().addConnection(c, error))
        return false;
    storePassword(c->id, password);
    emit connectionsChanged();
    return true;
}

void SyncManager::storePassword(qint64 id, const QString &password)
{
    ConnectionRecord c;
    if (!store().connectionById(id, &c))
        return;
    // Usable at once; leaves memory as soon as the keychain holds it.
    m_sessionPasswords.insert(id, password);
    auto *secrets = new SecretStore(this);
    secrets->write(secretKeyForImap(c.username, c.host, c.port), password.toUtf8(), [this, id, secrets](const SyncError &e) {
        secrets->deleteLater();
        if (e.isError())
            emit keychainFailed(id, e.message);
        else
            m_sessionPasswords.remove(id);
    });
}

void SyncManager::setSessionPassword(qint64 id, const QString &password)
{
    m_sessionPasswords.insert(id, password);
}

void SyncManager::withPassword(qint64 id, std::function<void(const QString &)> then)
{
    if (m_sessionPasswords.contains(id)) {
        then(m_sessionPasswords.value(id));
        return;
    }
    ConnectionRecord c;
    if (!store().connectionById(id, &c))
        return;
    auto *secrets = new SecretStore(this);
    secrets->read(secretKeyForImap(c.username, c.host, c.port), [this, id, then, secrets](const SyncError &e, const QByteArray &data) {
        secrets->deleteLater();
        if (e.isError()) {
            BackfillProgress p = snapshot(id);
            p.health = e.category == ErrorCategory::Keychain ? QStringLiteral("failed") : QStringLiteral("needs-reconnect");
            p.state = BackfillState::Failed;
            p.error = e;
            m_last.insert(id, p);
            emit progressChanged(p);
            emit passwordMissing(id, e.message);
            return;
        }
        then(QString::fromUtf8(data));
    });
}

void SyncManager::withSettings(qint64 id, std::function<void(const ImapSettings &)> then)
{
    withPassword(id, [this, id, then](const QString &password) {
        ConnectionRecord c;
        if (!store().connectionById(id, &c))
            return;
        ImapSettings s;
        s.host = c.host;
        s.port = c.port;
        securityFromName(c.security, &s.security);
        s.username = c.username;
        s.password = password;
        s.trustedCertSha256 = c.trustedCertSha256;
        then(s);
    });
}

void SyncManager::launch(qint64 id, const BackfillRange &range, const QString &password, bool continueLatest)
{
    ConnectionRecord c;
    if (!store().connectionById(id, &c) || m_controller.isRunning(id))
        return;
    BackfillRequest r;
    r.connectionId = id;
    r.range = range;
    r.continueLatest = continueLatest;
    r.archivePath = m_archivePath;
    r.settings.host = c.host;
    r.settings.port = c.port;
    securityFromName(c.security, &r.settings.security);
    r.settings.username = c.username;
    r.settings.password = password;
    r.settings.trustedCertSha256 = c.trustedCertSha256;
    // The program keeps trying while offline; the badge says when.
    r.retryFirstConnect = true;
    r.pageSize = m_pageSize;
    m_last.remove(id);
    m_controller.start(r);
}

void SyncManager::startBackfill(qint64 id, const BackfillRange &range)
{
    withPassword(id, [this, id, range](const QString &pw) { launch(id, range, pw, true); });
}

void SyncManager::syncNow(qint64 id)
{
    BackfillJobRecord job;
    const bool have = store().latestJob(id, &job);
    // Sync now continues an unfinished backfill, or fetches what arrived since.
    const BackfillRange range = have && job.state != BackfillState::Complete && job.state != BackfillState::Cancelled
        ? job.range : BackfillRange{0};
    withPassword(id, [this, id, range](const QString &pw) { launch(id, range, pw, true); });
}

void SyncManager::pause(qint64 id) { m_controller.pause(id); }

void SyncManager::resume(qint64 id)
{
    if (m_controller.isRunning(id)) {
        m_controller.resume(id);
        return;
    }
    // Paused in an earlier run of the program: start the worker, which continues the job.
    BackfillJobRecord job;
    if (store().latestJob(id, &job))
        startBackfill(id, job.range);
}

void SyncManager::cancel(qint64 id)
{
    if (m_controller.isRunning(id)) {
        m_controller.cancel(id);
        return;
    }
    BackfillJobRecord job;
    if (store().latestJob(id, &job) && job.state != BackfillState::Complete && job.state != BackfillState::Cancelled) {
        SyncError e;
        job.state = BackfillState::Cancelled;
        job.finishedAt = QDateTime::currentDateTimeUtc();
        store().updateJob(job, &e);
        store().setHealth(id, QStringLiteral("healthy"), QString());
        m_last.remove(id);
        BackfillProgress p = snapshot(id);
        emit finished(p);
    }
}

void SyncManager::disconnectConnection(qint64 id)
{
    m_controller.cancel(id);
    m_sessionPasswords.remove(id);
    ConnectionRecord c;
    if (!store().connectionById(id, &c))
        return;
    auto *secrets = new SecretStore(this);
    secrets->remove(secretKeyForImap(c.username, c.host, c.port), [secrets](const SyncError &) { secrets->deleteLater(); });
    store().setHealth(id, QStringLiteral("needs-reconnect"), tr("Disconnected: the sign-in was removed from the keychain"));
    m_last.remove(id);
    emit connectionsChanged();
}

void SyncManager::resumeInterrupted()
{
    QSettings settings;
    const QStringList ids = settings.value(QLatin1String(kResumeKey)).toStringList();
    settings.remove(QLatin1String(kResumeKey));
    for (const QString &s : ids) {
        const qint64 id = s.toLongLong();
        BackfillJobRecord job;
        if (store().latestJob(id, &job) && (job.state == BackfillState::Paused || job.state == BackfillState::Running))
            startBackfill(id, job.range);
    }
}

bool SyncManager::shutdown(int timeoutMs)
{
    QStringList running;
    for (const ConnectionRecord &c : connections()) {
        if (m_controller.isRunning(c.id)) {
            const BackfillProgress p = m_last.value(c.id);
            if (p.state != BackfillState::Paused)
                running << QString::number(c.id);
        }
    }
    if (!running.isEmpty())
        QSettings().setValue(QLatin1String(kResumeKey), running);
    return m_controller.stopAll(timeoutMs);
}

} // namespace Lookback::Ui
