// The archive's bookkeeping: connections, folders, backfill jobs and their
// cursors, the sync log, coverage and unreadable messages.

#include "archivestore.h"

#include "archivesql.h"
#include "common/logging.h"
#include "sqltransaction.h"

#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace Lookback {

using namespace ArchiveSql;

// ---- connections ---------------------------------------------------------

static ConnectionRecord readConnection(const QSqlQuery &q)
{
    ConnectionRecord c;
    c.id = q.value(0).toLongLong();
    c.name = q.value(1).toString();
    if (!providerKindFromName(q.value(2).toString(), &c.kind))
        c.kind = ProviderKind::Imap;
    c.host = q.value(3).toString();
    c.port = quint16(q.value(4).toUInt());
    c.security = q.value(5).toString();
    c.username = q.value(6).toString();
    c.trustedCertSha256 = q.value(7).toString();
    c.health = healthFromName(q.value(8).toString());
    c.healthDetail = q.value(9).toString();
    c.parentId = q.value(10).toLongLong();
    c.createdAt = fromDb(q.value(11));
    c.lastSyncAt = fromDb(q.value(12));
    return c;
}

static const char kConnectionColumns[] =
    "SELECT id, name, kind, host, port, security, username, trusted_cert_sha256, health, "
    "health_detail, parent_id, created_at, last_sync_at FROM connections ";

bool ArchiveStore::addConnection(ConnectionRecord *c, SyncError *error)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral(
        "INSERT INTO connections(name, kind, host, port, security, username, trusted_cert_sha256, "
        "health, health_detail, parent_id, created_at) VALUES(?,?,?,?,?,?,?,?,?,?,?)"));
    if (!c->createdAt.isValid())
        c->createdAt = QDateTime::currentDateTimeUtc();
    q.addBindValue(c->name);
    q.addBindValue(providerKindName(c->kind));
    q.addBindValue(c->host);
    q.addBindValue(c->port);
    q.addBindValue(c->security);
    q.addBindValue(c->username);
    q.addBindValue(c->trustedCertSha256);
    q.addBindValue(healthName(c->health));
    q.addBindValue(c->healthDetail);
    q.addBindValue(idOrNull(c->parentId));
    q.addBindValue(toDb(c->createdAt));
    if (!q.exec()) {
        if (q.lastError().text().contains(QLatin1String("UNIQUE"))) {
            *error = SyncError::make(ErrorCategory::Configuration,
                                     QStringLiteral("A connection named \"%1\" already exists").arg(c->name));
            return false;
        }
        *error = storageError(QStringLiteral("Cannot save the connection"), q);
        return false;
    }
    c->id = q.lastInsertId().toLongLong();
    return true;
}

bool ArchiveStore::updateConnection(const ConnectionRecord &c, SyncError *error)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral(
        "UPDATE connections SET name=?, kind=?, host=?, port=?, security=?, username=?, "
        "trusted_cert_sha256=?, health=?, health_detail=?, last_sync_at=? WHERE id=?"));
    q.addBindValue(c.name);
    q.addBindValue(providerKindName(c.kind));
    q.addBindValue(c.host);
    q.addBindValue(c.port);
    q.addBindValue(c.security);
    q.addBindValue(c.username);
    q.addBindValue(c.trustedCertSha256);
    q.addBindValue(healthName(c.health));
    q.addBindValue(c.healthDetail);
    q.addBindValue(toDb(c.lastSyncAt));
    q.addBindValue(c.id);
    if (!q.exec()) {
        *error = storageError(QStringLiteral("Cannot save the connection"), q);
        return false;
    }
    return true;
}

bool ArchiveStore::connectionByName(const QString &name, ConnectionRecord *out)
{
    QSqlQuery q(m_db);
    q.prepare(QLatin1String(kConnectionColumns) + QLatin1String("WHERE name = ?"));
    q.addBindValue(name);
    if (!q.exec() || !q.next())
        return false;
    *out = readConnection(q);
    return true;
}

bool ArchiveStore::connectionById(qint64 id, ConnectionRecord *out)
{
    QSqlQuery q(m_db);
    q.prepare(QLatin1String(kConnectionColumns) + QLatin1String("WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return false;
    *out = readConnection(q);
    return true;
}

QVector<ConnectionRecord> ArchiveStore::connections()
{
    QVector<ConnectionRecord> result;
    QSqlQuery q(m_db);
    if (!q.exec(QLatin1String(kConnectionColumns) + QLatin1String("ORDER BY name")))
        return result;
    while (q.next())
        result << readConnection(q);
    return result;
}

bool ArchiveStore::setHealth(qint64 connectionId, Health health, const QString &detail, SyncError *error)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE connections SET health=?, health_detail=? WHERE id=?"));
    q.addBindValue(healthName(health));
    q.addBindValue(detail);
    q.addBindValue(connectionId);
    if (!q.exec()) {
        if (error)
            *error = storageError(QStringLiteral("Cannot save the connection's state"), q);
        return false;
    }
    return true;
}

// ---- folders -------------------------------------------------------------

static const char kFolderColumns[] = "SELECT id, connection_id, role, remote_name, source_state FROM folders ";

static FolderRecord readFolder(const QSqlQuery &q)
{
    FolderRecord f;
    f.id = q.value(0).toLongLong();
    f.connectionId = q.value(1).toLongLong();
    f.role = q.value(2).toString();
    f.remoteName = q.value(3).toString();
    f.sourceState = q.value(4).toByteArray();
    return f;
}

bool ArchiveStore::ensureFolder(qint64 connectionId, const QString &role, const QString &remoteName,
                                FolderRecord *out, SyncError *error)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral(
        "INSERT INTO folders(connection_id, role, remote_name) VALUES(?,?,?) "
        "ON CONFLICT(connection_id, role) DO UPDATE SET remote_name = excluded.remote_name"));
    q.addBindValue(connectionId);
    q.addBindValue(role);
    q.addBindValue(remoteName);
    if (!q.exec()) {
        *error = storageError(QStringLiteral("Cannot save the folder"), q);
        return false;
    }
    q.prepare(QLatin1String(kFolderColumns) + QLatin1String("WHERE connection_id=? AND role=?"));
    q.addBindValue(connectionId);
    q.addBindValue(role);
    if (!q.exec() || !q.next()) {
        *error = storageError(QStringLiteral("Cannot read the folder"), q);
        return false;
    }
    *out = readFolder(q);
    return true;
}

QVector<FolderRecord> ArchiveStore::folders(qint64 connectionId)
{
    QVector<FolderRecord> result;
    QSqlQuery q(m_db);
    q.prepare(QLatin1String(kFolderColumns) + QLatin1String("WHERE connection_id=? ORDER BY role"));
    q.addBindValue(connectionId);
    if (q.exec()) {
        while (q.next())
            result << readFolder(q);
    }
    return result;
}

bool ArchiveStore::folderById(qint64 folderId, FolderRecord *out)
{
    QSqlQuery q(m_db);
    q.prepare(QLatin1String(kFolderColumns) + QLatin1String("WHERE id=?"));
    q.addBindValue(folderId);
    if (!q.exec() || !q.next())
        return false;
    *out = readFolder(q);
    return true;
}

bool ArchiveStore::saveFolderState(qint64 folderId, const QByteArray &state, bool forgetLocationIds, SyncError *error)
{
    SqlTransaction tx(m_db);
    if (!tx.isActive()) {
        *error = SyncError::make(ErrorCategory::Storage,
                                 QStringLiteral("Cannot write to the archive: %1").arg(tx.errorText()));
        return false;
    }
    QSqlQuery q(m_db);
    if (forgetLocationIds) {
        q.prepare(QStringLiteral("UPDATE locations SET uid = 0, uid_validity = 0 WHERE folder_id=?"));
        q.addBindValue(folderId);
        if (!q.exec()) {
            *error = storageError(QStringLiteral("Cannot forget old UIDs"), q);
            return false;
        }
    }
    q.prepare(QStringLiteral("UPDATE folders SET source_state=? WHERE id=?"));
    q.addBindValue(QString::fromUtf8(state));
    q.addBindValue(folderId);
    if (!q.exec()) {
        *error = storageError(QStringLiteral("Cannot save the folder"), q);
        return false;
    }
    if (!tx.commit()) {
        *error = commitError(QStringLiteral("Cannot commit to the archive"), tx);
        return false;
    }
    return true;
}

// ---- jobs ----------------------------------------------------------------

bool ArchiveStore::createJob(BackfillJobRecord *job, SyncError *error)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO backfill_jobs(connection_id, range_days, range_start, state, "
                             "started_at, fetched, estimated_total) VALUES(?,?,?,?,?,?,?)"));
    if (!job->startedAt.isValid())
        job->startedAt = QDateTime::currentDateTimeUtc();
    q.addBindValue(job->connectionId);
    q.addBindValue(job->range.days);
    q.addBindValue(toDb(job->rangeStart));
    q.addBindValue(backfillStateName(job->state));
    q.addBindValue(toDb(job->startedAt));
    q.addBindValue(job->fetched);
    q.addBindValue(job->estimatedTotal);
    if (!q.exec()) {
        *error = storageError(QStringLiteral("Cannot save the backfill"), q);
        return false;
    }
    job->id = q.lastInsertId().toLongLong();
    return true;
}

bool ArchiveStore::updateJob(const BackfillJobRecord &job, SyncError *error)
{
    // `fetched` is not written here: only pages move it (writePage), in the
    // transaction that stores them, so it always equals what was stored.
    QSqlQuery &q = prepared("updateJob", QStringLiteral(
        "UPDATE backfill_jobs SET state=?, finished_at=?, estimated_total=?, "
        "error_category=?, error_message=?, interrupted=? WHERE id=?"));
    q.addBindValue(backfillStateName(job.state));
    q.addBindValue(toDb(job.finishedAt));
    q.addBindValue(job.estimatedTotal);
    q.addBindValue(job.errorCategory);
    q.addBindValue(job.errorMessage);
    q.addBindValue(job.interrupted ? 1 : 0);
    q.addBindValue(job.id);
    if (!q.exec()) {
        *error = storageError(QStringLiteral("Cannot save the backfill"), q);
        return false;
    }
    return true;
}

bool ArchiveStore::latestJob(qint64 connectionId, BackfillJobRecord *out)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT id, connection_id, range_days, range_start, state, started_at, finished_at, "
                             "fetched, estimated_total, error_category, error_message, interrupted FROM backfill_jobs "
                             "WHERE connection_id=? ORDER BY id DESC LIMIT 1"));
    q.addBindValue(connectionId);
    if (!q.exec() || !q.next())
        return false;
    out->id = q.value(0).toLongLong();
    out->connectionId = q.value(1).toLongLong();
    out->range = BackfillRange{q.value(2).toInt()};
    out->rangeStart = fromDb(q.value(3));
    out->state = backfillStateFromName(q.value(4).toString());
    out->startedAt = fromDb(q.value(5));
    out->finishedAt = fromDb(q.value(6));
    out->fetched = q.value(7).toLongLong();
    out->estimatedTotal = q.value(8).toLongLong();
    out->errorCategory = q.value(9).toString();
    out->errorMessage = q.value(10).toString();
    out->interrupted = q.value(11).toBool();
    return true;
}

QVector<FolderCursor> ArchiveStore::cursors(qint64 jobId)
{
    QVector<FolderCursor> result;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT c.job_id, c.folder_id, f.role, c.state, c.done, c.fetched, c.total "
                             "FROM backfill_cursors c JOIN folders f ON f.id = c.folder_id "
                             "WHERE c.job_id=? ORDER BY f.role"));
    q.addBindValue(jobId);
    if (!q.exec())
        return result;
    while (q.next()) {
        FolderCursor c;
        c.jobId = q.value(0).toLongLong();
        c.folderId = q.value(1).toLongLong();
        c.role = q.value(2).toString();
        c.state = q.value(3).toByteArray();
        c.done = q.value(4).toBool();
        c.fetched = q.value(5).toLongLong();
        c.total = q.value(6).toLongLong();
        result << c;
    }
    return result;
}

bool ArchiveStore::saveCursor(const FolderCursor &c, SyncError *error)
{
    QSqlQuery &q = prepared("saveCursor", QStringLiteral(
        "INSERT INTO backfill_cursors(job_id, folder_id, state, done, fetched, total) "
        "VALUES(?,?,?,?,?,?) ON CONFLICT(job_id, folder_id) DO UPDATE SET "
        "state=excluded.state, done=excluded.done, fetched=excluded.fetched, total=excluded.total"));
    q.addBindValue(c.jobId);
    q.addBindValue(c.folderId);
    q.addBindValue(QString::fromUtf8(c.state));
    q.addBindValue(c.done);
    q.addBindValue(c.fetched);
    q.addBindValue(c.total);
    if (!q.exec()) {
        *error = storageError(QStringLiteral("Cannot save the backfill position"), q);
        return false;
    }
    return true;
}

// ---- sync log ------------------------------------------------------------

bool ArchiveStore::beginRun(SyncRunRecord *run, SyncError *error)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO sync_runs(connection_id, kind, started_at, fetched, failed, outcome, message) "
                             "VALUES(?,?,?,?,?,?,?)"));
    if (!run->startedAt.isValid())
        run->startedAt = QDateTime::currentDateTimeUtc();
    if (run->outcome.isEmpty())
        run->outcome = QStringLiteral("running");
    q.addBindValue(run->connectionId);
    q.addBindValue(run->kind);
    q.addBindValue(toDb(run->startedAt));
    q.addBindValue(run->fetched);
    q.addBindValue(run->failed);
    q.addBindValue(run->outcome);
    q.addBindValue(run->message);
    if (!q.exec()) {
        *error = storageError(QStringLiteral("Cannot write the sync log"), q);
        return false;
    }
    run->id = q.lastInsertId().toLongLong();
    return true;
}

bool ArchiveStore::endRun(const SyncRunRecord &run, SyncError *error)
{
    // The counts were added page by page (writePage); only the outcome is new.
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE sync_runs SET ended_at=?, outcome=?, message=? WHERE id=?"));
    q.addBindValue(toDb(run.endedAt.isValid() ? run.endedAt : QDateTime::currentDateTimeUtc()));
    q.addBindValue(run.outcome);
    q.addBindValue(run.message);
    q.addBindValue(run.id);
    if (!q.exec()) {
        *error = storageError(QStringLiteral("Cannot write the sync log"), q);
        return false;
    }
    return true;
}

QVector<SyncRunRecord> ArchiveStore::runs(qint64 connectionId, int limit)
{
    QVector<SyncRunRecord> result;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT id, connection_id, kind, started_at, ended_at, fetched, failed, outcome, message "
                             "FROM sync_runs WHERE connection_id=? ORDER BY id DESC LIMIT ?"));
    q.addBindValue(connectionId);
    q.addBindValue(limit);
    if (!q.exec())
        return result;
    while (q.next()) {
        SyncRunRecord r;
        r.id = q.value(0).toLongLong();
        r.connectionId = q.value(1).toLongLong();
        r.kind = q.value(2).toString();
        r.startedAt = fromDb(q.value(3));
        r.endedAt = fromDb(q.value(4));
        r.fetched = q.value(5).toLongLong();
        r.failed = q.value(6).toLongLong();
        r.outcome = q.value(7).toString();
        r.message = q.value(8).toString();
        result << r;
    }
    return result;
}

// ---- coverage ------------------------------------------------------------

QVector<CoverageInterval> ArchiveStore::coverage(qint64 folderId)
{
    QVector<CoverageInterval> stored;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT start_at, end_at FROM coverage WHERE folder_id=? "
                             "ORDER BY ifnull(start_at, -9223372036854775807), end_at"));
    q.addBindValue(folderId);
    if (!q.exec())
        return stored;
    while (q.next())
        stored.append({folderId, fromDb(q.value(0)), fromDb(q.value(1))});
    // Merge what overlaps or touches (an invalid start is "from the beginning").
    QVector<CoverageInterval> merged;
    for (const CoverageInterval &c : stored) {
        if (!merged.isEmpty()) {
            CoverageInterval &last = merged.last();
            if (c.start.isValid() && c.start <= last.end) {
                last.end = std::max(last.end, c.end);
                continue;
            }
            if (!c.start.isValid()) { // both from the beginning
                last.end = std::max(last.end, c.end);
                continue;
            }
        }
        merged.append(c);
    }
    return merged;
}

bool ArchiveStore::addCoverage(qint64 folderId, const QDateTime &start, const QDateTime &end, SyncError *error)
{
    if (!end.isValid() || (start.isValid() && start > end))
        return true;
    SqlTransaction tx(m_db);
    if (!tx.isActive()) {
        *error = SyncError::make(ErrorCategory::Storage,
                                 QStringLiteral("Cannot write to the archive: %1").arg(tx.errorText()));
        return false;
    }
    QVector<CoverageInterval> all = coverage(folderId);
    all.append({folderId, start, end});
    std::sort(all.begin(), all.end(), [](const CoverageInterval &a, const CoverageInterval &b) {
        if (a.start.isValid() != b.start.isValid())
            return !a.start.isValid();
        return a.start < b.start;
    });
    QVector<CoverageInterval> merged;
    for (const CoverageInterval &c : all) {
        if (!merged.isEmpty() && (!c.start.isValid() || c.start <= merged.last().end)) {
            merged.last().end = std::max(merged.last().end, c.end);
            continue;
        }
        merged.append(c);
    }
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM coverage WHERE folder_id=?"));
    q.addBindValue(folderId);
    if (!q.exec()) {
        *error = storageError(QStringLiteral("Cannot save what is complete"), q);
        return false;
    }
    q.prepare(QStringLiteral("INSERT INTO coverage(folder_id, start_at, end_at) VALUES(?,?,?)"));
    for (const CoverageInterval &c : merged) {
        q.addBindValue(folderId);
        q.addBindValue(toDb(c.start));
        q.addBindValue(toDb(c.end));
        if (!q.exec()) {
            *error = storageError(QStringLiteral("Cannot save what is complete"), q);
            return false;
        }
    }
    if (!tx.commit()) {
        *error = commitError(QStringLiteral("Cannot commit to the archive"), tx);
        return false;
    }
    return true;
}

// ---- unreadable messages -------------------------------------------------

QVector<ArchiveStore::FailureRow> ArchiveStore::failures(qint64 connectionId, int limit)
{
    QVector<FailureRow> result;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT x.provider_id, f.role, x.reason, x.attempts, x.last_seen_at "
                             "FROM message_failures x LEFT JOIN folders f ON f.id = x.folder_id "
                             "WHERE x.connection_id=? ORDER BY x.last_seen_at DESC, x.provider_id LIMIT ?"));
    q.addBindValue(connectionId);
    q.addBindValue(limit);
    if (!q.exec())
        return result;
    while (q.next())
        result.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toInt(),
                       fromDb(q.value(4))});
    return result;
}

qint64 ArchiveStore::failureCount(qint64 connectionId, qint64 jobId)
{
    QSqlQuery q(m_db);
    if (jobId > 0) {
        q.prepare(QStringLiteral("SELECT COUNT(*) FROM message_failures WHERE connection_id=? AND job_id=?"));
        q.addBindValue(connectionId);
        q.addBindValue(jobId);
    } else {
        q.prepare(QStringLiteral("SELECT COUNT(*) FROM message_failures WHERE connection_id=?"));
        q.addBindValue(connectionId);
    }
    if (!q.exec() || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

} // namespace Lookback
