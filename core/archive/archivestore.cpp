#include "archivestore.h"

#include "common/logging.h"
#include "sqltransaction.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QThread>
#include <QTimeZone>
#include <QVariant>

#include <algorithm>

namespace Lookback {

namespace {

// Forward-only migrations: index i takes the schema from version i to i + 1.
const char *const kMigrations[] = {
    // 0 -> 1: the first schema.
    R"SQL(
CREATE TABLE connections (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  host TEXT, port INTEGER, security TEXT, username TEXT,
  trusted_cert_sha256 TEXT,
  health TEXT NOT NULL DEFAULT 'healthy',
  health_detail TEXT,
  parent_id INTEGER REFERENCES connections(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  last_sync_at INTEGER);
CREATE TABLE folders (
  id INTEGER PRIMARY KEY,
  connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  remote_name TEXT NOT NULL,
  uid_validity INTEGER NOT NULL DEFAULT 0,
  live_uid_next INTEGER NOT NULL DEFAULT 0,
  highest_modseq INTEGER NOT NULL DEFAULT 0,
  UNIQUE(connection_id, role));
CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  provider_id TEXT NOT NULL COLLATE BINARY,
  message_id TEXT,
  thread_key TEXT,
  from_name TEXT, from_address TEXT, to_text TEXT, cc_text TEXT, subject TEXT,
  received_at INTEGER NOT NULL,
  sent_at INTEGER,
  size INTEGER NOT NULL DEFAULT 0,
  snippet TEXT, body_text TEXT, body_html TEXT,
  in_reply_to TEXT, refs TEXT,
  has_attachments INTEGER NOT NULL DEFAULT 0,
  UNIQUE(connection_id, provider_id));
CREATE INDEX messages_message_id ON messages(connection_id, message_id);
CREATE INDEX messages_received ON messages(connection_id, received_at DESC);
CREATE INDEX messages_received_all ON messages(received_at DESC);
CREATE INDEX messages_thread ON messages(connection_id, thread_key);
CREATE INDEX messages_from ON messages(from_address);
CREATE TABLE locations (
  message_row INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
  uid_validity INTEGER NOT NULL DEFAULT 0,
  uid INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(message_row, folder_id)) WITHOUT ROWID;
CREATE UNIQUE INDEX locations_uid ON locations(folder_id, uid_validity, uid) WHERE uid > 0;
CREATE TABLE attachments (
  id INTEGER PRIMARY KEY,
  message_row INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  file_name TEXT, mime_type TEXT, size INTEGER NOT NULL DEFAULT 0, part TEXT);
CREATE INDEX attachments_message ON attachments(message_row);
CREATE VIRTUAL TABLE message_fts USING fts5(subject, sender, recipients, body,
  content='', tokenize='unicode61 remove_diacritics 2');
CREATE TABLE backfill_jobs (
  id INTEGER PRIMARY KEY,
  connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  range_days INTEGER NOT NULL,
  range_start INTEGER,
  state TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  fetched INTEGER NOT NULL DEFAULT 0,
  estimated_total INTEGER NOT NULL DEFAULT -1,
  error_category TEXT, error_message TEXT);
CREATE TABLE backfill_cursors (
  job_id INTEGER NOT NULL REFERENCES backfill_jobs(id) ON DELETE CASCADE,
  folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
  uid_validity INTEGER NOT NULL,
  top_uid INTEGER NOT NULL,
  below_uid INTEGER NOT NULL,
  done INTEGER NOT NULL DEFAULT 0,
  fetched INTEGER NOT NULL DEFAULT 0,
  total INTEGER NOT NULL DEFAULT -1,
  PRIMARY KEY(job_id, folder_id));
CREATE TABLE sync_runs (
  id INTEGER PRIMARY KEY,
  connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  fetched INTEGER NOT NULL DEFAULT 0,
  outcome TEXT NOT NULL,
  message TEXT);
)SQL",
};

QVariant toDb(const QDateTime &dt)
{
    return dt.isValid() ? QVariant(dt.toMSecsSinceEpoch()) : QVariant(QMetaType(QMetaType::LongLong));
}

QDateTime fromDb(const QVariant &v)
{
    if (v.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(v.toLongLong(), QTimeZone::utc());
}

QString uniqueConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("lookback-archive-%1").arg(counter.fetchAndAddRelaxed(1));
}

const char kSummaryColumns[] =
    "m.id, m.connection_id, m.thread_key, m.from_name, m.from_address, m.to_text, m.subject, "
    "m.snippet, m.received_at, m.has_attachments, "
    "EXISTS(SELECT 1 FROM locations l JOIN folders f ON f.id = l.folder_id "
    "       WHERE l.message_row = m.id AND f.role = 'inbox'), "
    "EXISTS(SELECT 1 FROM locations l JOIN folders f ON f.id = l.folder_id "
    "       WHERE l.message_row = m.id AND f.role = 'sent') ";

} // namespace

ArchiveStore::ArchiveStore(const QString &filePath)
    : m_path(filePath)
    , m_connectionName(uniqueConnectionName())
{
}

ArchiveStore::~ArchiveStore()
{
    m_statements.clear();
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

QString ArchiveStore::defaultPath(const QString &dataDir)
{
    const QString dir = dataDir.isEmpty()
        ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        : dataDir;
    return QDir(dir).filePath(QStringLiteral("archive.sqlite"));
}

int ArchiveStore::schemaVersion()
{
    return int(sizeof(kMigrations) / sizeof(kMigrations[0]));
}

bool ArchiveStore::isOpen() const
{
    return m_db.isValid() && m_db.isOpen();
}

SyncError ArchiveStore::storageError(const QString &what, const QSqlQuery &q) const
{
    const QString detail = q.lastError().text();
    qCWarning(lcArchive) << what << detail;
    return SyncError::make(ErrorCategory::Storage,
                           QStringLiteral("%1: %2 (%3)").arg(what, detail, m_path));
}

bool ArchiveStore::open(SyncError *error)
{
    const QFileInfo info(m_path);
    if (!QDir().mkpath(info.absolutePath())) {
        *error = SyncError::make(ErrorCategory::Storage,
                                 QStringLiteral("Cannot create the folder %1").arg(info.absolutePath()));
        return false;
    }
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(m_path);
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    if (!m_db.open()) {
        *error = SyncError::make(ErrorCategory::Storage,
                                 QStringLiteral("Cannot open the archive %1: %2").arg(m_path, m_db.lastError().text()));
        return false;
    }
    QSqlQuery q(m_db);
    // WAL: the browser reads while a worker writes. synchronous=NORMAL in WAL
    // never corrupts; a power cut can only lose the last pages, whose cursors
    // are lost with them, so they are fetched again, never duplicated.
    for (const char *pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
                               "PRAGMA foreign_keys=ON", "PRAGMA temp_store=MEMORY",
                               // Checkpoint the WAL every 32 MiB rather than every 4 MiB.
                               "PRAGMA wal_autocheckpoint=8192"}) {
        if (!q.exec(QString::fromLatin1(pragma))) {
            *error = storageError(QStringLiteral("Cannot prepare the archive"), q);
            return false;
        }
    }
    // A damaged or foreign file fails here with SQLite's own words, before anything is written.
    if (!q.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")) || !q.next()) {
        *error = SyncError::make(ErrorCategory::Storage,
                                 QStringLiteral("The archive %1 cannot be read and was not changed: %2")
                                     .arg(m_path, q.lastError().text()));
        m_db.close();
        return false;
    }
    return migrate(error);
}

bool ArchiveStore::migrate(SyncError *error)
{
    QSqlQuery q(m_db);
    // Up to date (the usual case): no lock, so readers never wait on a writer.
    if (q.exec(QStringLiteral("PRAGMA user_version")) && q.next() && q.value(0).toInt() == schemaVersion())
        return true;
    q.finish();
    // BEGIN IMMEDIATE: two processes opening a new archive at once migrate one after the other.
    if (!q.exec(QStringLiteral("BEGIN IMMEDIATE"))) {
        *error = storageError(QStringLiteral("Cannot lock the archive"), q);
        return false;
    }
    auto rollback = [&] { QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK")); };
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next()) {
        *error = storageError(QStringLiteral("Cannot read the archive version"), q);
        rollback();
        return false;
    }
    const int version = q.value(0).toInt();
    if (version > schemaVersion()) {
        *error = SyncError::make(ErrorCategory::Storage,
                                 QStringLiteral("The archive %1 was written by a newer Lookback (schema %2, this one knows %3)")
                                     .arg(m_path).arg(version).arg(schemaVersion()));
        rollback();
        return false;
    }
    for (int v = version; v < schemaVersion(); ++v) {
        const QStringList statements = QString::fromLatin1(kMigrations[v]).split(QLatin1Char(';'), Qt::SkipEmptyParts);
        for (const QString &statement : statements) {
            if (statement.trimmed().isEmpty())
                continue;
            if (!q.exec(statement)) {
                *error = storageError(QStringLiteral("Cannot upgrade the archive to schema %1").arg(v + 1), q);
                rollback();
                return false;
            }
        }
        if (!q.exec(QStringLiteral("PRAGMA user_version = %1").arg(v + 1))) {
            *error = storageError(QStringLiteral("Cannot record the archive version"), q);
            rollback();
            return false;
        }
    }
    if (!q.exec(QStringLiteral("COMMIT"))) {
        *error = storageError(QStringLiteral("Cannot upgrade the archive"), q);
        rollback();
        return false;
    }
    return true;
}

QSqlQuery &ArchiveStore::prepared(const char *key, const QString &sql)
{
    auto &slot = m_statements[QByteArray(key)];
    if (!slot) {
        slot = std::make_shared<QSqlQuery>(m_db);
        if (!slot->prepare(sql))
            qCWarning(lcArchive) << "prepare failed" << key << slot->lastError().text();
    }
    return *slot;
}

// ---- connections ---------------------------------------------------------

static ConnectionRecord readConnection(const QSqlQuery &q)
{
    ConnectionRecord c;
    c.id = q.value(0).toLongLong();
    c.name = q.value(1).toString();
    c.kind = q.value(2).toString();
    c.host = q.value(3).toString();
    c.port = quint16(q.value(4).toUInt());
    c.security = q.value(5).toString();
    c.username = q.value(6).toString();
    c.trustedCertSha256 = q.value(7).toString();
    c.health = q.value(8).toString();
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
    q.addBindValue(c->kind);
    q.addBindValue(c->host);
    q.addBindValue(c->port);
    q.addBindValue(c->security);
    q.addBindValue(c->username);
    q.addBindValue(c->trustedCertSha256);
    q.addBindValue(c->health);
    q.addBindValue(c->healthDetail);
    q.addBindValue(c->parentId > 0 ? QVariant(c->parentId) : QVariant(QMetaType(QMetaType::LongLong)));
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
    q.addBindValue(c.kind);
    q.addBindValue(c.host);
    q.addBindValue(c.port);
    q.addBindValue(c.security);
    q.addBindValue(c.username);
    q.addBindValue(c.trustedCertSha256);
    q.addBindValue(c.health);
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

bool ArchiveStore::setHealth(qint64 connectionId, const QString &health, const QString &detail)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE connections SET health=?, health_detail=? WHERE id=?"));
    q.addBindValue(health);
    q.addBindValue(detail);
    q.addBindValue(connectionId);
    return q.exec();
}

// ---- folders -------------------------------------------------------------

static FolderRecord readFolder(const QSqlQuery &q)
{
    FolderRecord f;
    f.id = q.value(0).toLongLong();
    f.connectionId = q.value(1).toLongLong();
    f.role = q.value(2).toString();
    f.remoteName = q.value(3).toString();
    f.uidValidity = q.value(4).toUInt();
    f.liveUidNext = q.value(5).toUInt();
    f.highestModSeq = q.value(6).toULongLong();
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
    q.prepare(QStringLiteral("SELECT id, connection_id, role, remote_name, uid_validity, live_uid_next, "
                             "highest_modseq FROM folders WHERE connection_id=? AND role=?"));
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
    q.prepare(QStringLiteral("SELECT id, connection_id, role, remote_name, uid_validity, live_uid_next, "
                             "highest_modseq FROM folders WHERE connection_id=? ORDER BY role"));
    q.addBindValue(connectionId);
    if (q.exec()) {
        while (q.next())
            result << readFolder(q);
    }
    return result;
}

bool ArchiveStore::setFolderUidValidity(qint64 folderId, quint32 uidValidity, SyncError *error)
{
    SqlTransaction tx(m_db);
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE locations SET uid = 0 WHERE folder_id=? AND uid_validity<>?"));
    q.addBindValue(folderId);
    q.addBindValue(uidValidity);
    if (!q.exec()) {
        *error = storageError(QStringLiteral("Cannot forget old UIDs"), q);
        return false;
    }
    q.prepare(QStringLiteral("UPDATE folders SET uid_validity=?, live_uid_next=0, highest_modseq=0 WHERE id=?"));
    q.addBindValue(uidValidity);
    q.addBindValue(folderId);
    if (!q.exec() || !tx.commit()) {
        *error = storageError(QStringLiteral("Cannot save the folder"), q);
        return false;
    }
    return true;
}

bool ArchiveStore::setFolderLiveCursor(qint64 folderId, quint32 uidNext, quint64 highestModSeq, SyncError *error)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE folders SET live_uid_next=?, highest_modseq=? WHERE id=?"));
    q.addBindValue(uidNext);
    q.addBindValue(highestModSeq);
    q.addBindValue(folderId);
    if (!q.exec()) {
        *error = storageError(QStringLiteral("Cannot save the sync position"), q);
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
    QSqlQuery &q = prepared("updateJob", QStringLiteral(
        "UPDATE backfill_jobs SET state=?, finished_at=?, fetched=?, estimated_total=?, "
        "error_category=?, error_message=? WHERE id=?"));
    q.addBindValue(backfillStateName(job.state));
    q.addBindValue(toDb(job.finishedAt));
    q.addBindValue(job.fetched);
    q.addBindValue(job.estimatedTotal);
    q.addBindValue(job.errorCategory);
    q.addBindValue(job.errorMessage);
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
                             "fetched, estimated_total, error_category, error_message FROM backfill_jobs "
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
    return true;
}

QVector<FolderCursor> ArchiveStore::cursors(qint64 jobId)
{
    QVector<FolderCursor> result;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT c.job_id, c.folder_id, f.role, c.uid_validity, c.top_uid, c.below_uid, "
                             "c.done, c.fetched, c.total FROM backfill_cursors c JOIN folders f ON f.id = c.folder_id "
                             "WHERE c.job_id=? ORDER BY f.role"));
    q.addBindValue(jobId);
    if (!q.exec())
        return result;
    while (q.next()) {
        FolderCursor c;
        c.jobId = q.value(0).toLongLong();
        c.folderId = q.value(1).toLongLong();
        c.role = q.value(2).toString();
        c.uidValidity = q.value(3).toUInt();
        c.topUid = q.value(4).toUInt();
        c.belowUid = q.value(5).toUInt();
        c.done = q.value(6).toBool();
        c.fetched = q.value(7).toLongLong();
        c.total = q.value(8).toLongLong();
        result << c;
    }
    return result;
}

bool ArchiveStore::saveCursor(const FolderCursor &c, SyncError *error)
{
    QSqlQuery &q = prepared("saveCursor", QStringLiteral(
        "INSERT INTO backfill_cursors(job_id, folder_id, uid_validity, top_uid, below_uid, done, fetched, total) "
        "VALUES(?,?,?,?,?,?,?,?) ON CONFLICT(job_id, folder_id) DO UPDATE SET "
        "uid_validity=excluded.uid_validity, top_uid=excluded.top_uid, below_uid=excluded.below_uid, "
        "done=excluded.done, fetched=excluded.fetched, total=excluded.total"));
    q.addBindValue(c.jobId);
    q.addBindValue(c.folderId);
    q.addBindValue(c.uidValidity);
    q.addBindValue(c.topUid);
    q.addBindValue(c.belowUid);
    q.addBindValue(c.done);
    q.addBindValue(c.fetched);
    q.addBindValue(c.total);
    if (!q.exec()) {
        *error = storageError(QStringLiteral("Cannot save the backfill position"), q);
        return false;
    }
    return true;
}

// ---- pages ---------------------------------------------------------------

bool ArchiveStore::storePage(const QVector<MessageRecord> &messages, const FolderCursor &cursor,
                             qint64 jobFetched, int *inserted, SyncError *error)
{
    SqlTransaction tx(m_db);
    if (!tx.isActive()) {
        *error = SyncError::make(ErrorCategory::Storage,
                                 QStringLiteral("Cannot write to the archive: %1").arg(m_db.lastError().text()));
        return false;
    }
    if (!writeMessages(messages, inserted, error) || !saveCursor(cursor, error))
        return false;
    QSqlQuery &q = prepared("jobFetched", QStringLiteral("UPDATE backfill_jobs SET fetched=? WHERE id=?"));
    q.addBindValue(jobFetched);
    q.addBindValue(cursor.jobId);
    if (!q.exec()) {
        *error = storageError(QStringLiteral("Cannot save the backfill"), q);
        return false;
    }
    if (!tx.commit()) {
        *error = SyncError::make(ErrorCategory::Storage,
                                 QStringLiteral("Cannot commit to the archive: %1").arg(m_db.lastError().text()));
        return false;
    }
    return true;
}

bool ArchiveStore::storeLivePage(const QVector<MessageRecord> &messages, const FolderRecord &folder,
                                 int *inserted, SyncError *error)
{
    SqlTransaction tx(m_db);
    if (!writeMessages(messages, inserted, error)
        || !setFolderLiveCursor(folder.id, folder.liveUidNext, folder.highestModSeq, error))
        return false;
    if (!tx.commit()) {
        *error = SyncError::make(ErrorCategory::Storage,
                                 QStringLiteral("Cannot commit to the archive: %1").arg(m_db.lastError().text()));
        return false;
    }
    return true;
}

bool ArchiveStore::writeMessages(const QVector<MessageRecord> &messages, int *inserted, SyncError *error)
{
    int count = 0;
    for (const MessageRecord &m : messages) {
        bool isNew = false;
        if (!writeOne(m, &isNew, error))
            return false;
        if (isNew)
            ++count;
    }
    if (inserted)
        *inserted = count;
    return true;
}

QString ArchiveStore::resolveThreadKey(const MessageRecord &m)
{
    QStringList parents;
    if (!m.inReplyTo.isEmpty())
        parents << m.inReplyTo;
    for (int i = m.references.size() - 1; i >= 0 && parents.size() < 6; --i)
        parents << m.references.at(i);
    QSqlQuery &q = prepared("threadOf", QStringLiteral(
        "SELECT thread_key FROM messages WHERE connection_id=? AND message_id=? LIMIT 1"));
    for (const QString &parent : parents) {
        q.addBindValue(m.connectionId);
        q.addBindValue(parent);
        if (q.exec() && q.next()) {
            const QString key = q.value(0).toString();
            q.finish();
            if (!key.isEmpty())
                return key;
        }
    }
    return m.threadKey;
}

bool ArchiveStore::addLocation(qint64 messageRowId, const MessageRecord &m, SyncError *error)
{
    if (m.folderId <= 0)
        return true;
    QSqlQuery &q = prepared("addLocation", QStringLiteral(
        "INSERT INTO locations(message_row, folder_id, uid_validity, uid) VALUES(?,?,?,?) "
        "ON CONFLICT(message_row, folder_id) DO UPDATE SET uid_validity=excluded.uid_validity, uid=excluded.uid"));
    q.addBindValue(messageRowId);
    q.addBindValue(m.folderId);
    q.addBindValue(m.uidValidity);
    q.addBindValue(m.uid);
    if (!q.exec()) {
        *error = storageError(QStringLiteral("Cannot save where the message lives"), q);
        return false;
    }
    return true;
}

bool ArchiveStore::writeOne(const MessageRecord &m, bool *inserted, SyncError *error)
{
    *inserted = false;
    qint64 existing = 0;
    if (!m.locationOnly) {
        QSqlQuery &byProvider = prepared("byProvider", QStringLiteral(
            "SELECT id FROM messages WHERE connection_id=? AND provider_id=?"));
        byProvider.addBindValue(m.connectionId);
        byProvider.addBindValue(m.providerId);
        if (!byProvider.exec()) {
            *error = storageError(QStringLiteral("Cannot read the archive"), byProvider);
            return false;
        }
        if (byProvider.next())
            existing = byProvider.value(0).toLongLong();
        byProvider.finish();
    }
    if (existing == 0 && !m.messageId.isEmpty()) {
        QSqlQuery &byMessageId = prepared("byMessageId", QStringLiteral(
            "SELECT id FROM messages WHERE connection_id=? AND message_id=? LIMIT 1"));
        byMessageId.addBindValue(m.connectionId);
        byMessageId.addBindValue(m.messageId);
        if (!byMessageId.exec()) {
            *error = storageError(QStringLiteral("Cannot read the archive"), byMessageId);
            return false;
        }
        if (byMessageId.next())
            existing = byMessageId.value(0).toLongLong();
        byMessageId.finish();
    }
    if (existing != 0)
        return addLocation(existing, m, error);
    if (m.locationOnly)
        return true; // nothing to attach it to: the caller's match went stale

    QSqlQuery &ins = prepared("insertMessage", QStringLiteral(
        "INSERT INTO messages(connection_id, provider_id, message_id, thread_key, from_name, from_address, "
        "to_text, cc_text, subject, received_at, sent_at, size, snippet, body_text, body_html, in_reply_to, "
        "refs, has_attachments) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    ins.addBindValue(m.connectionId);
    ins.addBindValue(m.providerId);
    ins.addBindValue(m.messageId.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(m.messageId));
    ins.addBindValue(resolveThreadKey(m));
    ins.addBindValue(m.fromName);
    ins.addBindValue(m.fromAddress);
    ins.addBindValue(m.toText);
    ins.addBindValue(m.ccText);
    ins.addBindValue(m.subject);
    ins.addBindValue(m.receivedAt.toMSecsSinceEpoch());
    ins.addBindValue(toDb(m.sentAt));
    ins.addBindValue(m.size);
    ins.addBindValue(m.snippet);
    ins.addBindValue(m.bodyText);
    ins.addBindValue(m.bodyHtml);
    ins.addBindValue(m.inReplyTo);
    ins.addBindValue(m.references.join(QLatin1Char(' ')));
    ins.addBindValue(m.attachments.isEmpty() ? 0 : 1);
    if (!ins.exec()) {
        *error = storageError(QStringLiteral("Cannot store a message"), ins);
        return false;
    }
    const qint64 row = ins.lastInsertId().toLongLong();

    QSqlQuery &att = prepared("insertAttachment", QStringLiteral(
        "INSERT INTO attachments(message_row, file_name, mime_type, size, part) VALUES(?,?,?,?,?)"));
    for (const AttachmentRecord &a : m.attachments) {
        att.addBindValue(row);
        att.addBindValue(a.fileName);
        att.addBindValue(a.mimeType);
        att.addBindValue(a.size);
        att.addBindValue(a.partNumber);
        if (!att.exec()) {
            *error = storageError(QStringLiteral("Cannot store an attachment's details"), att);
            return false;
        }
    }

    QSqlQuery &fts = prepared("insertFts", QStringLiteral(
        "INSERT INTO message_fts(rowid, subject, sender, recipients, body) VALUES(?,?,?,?,?)"));
    fts.addBindValue(row);
    fts.addBindValue(m.subject);
    fts.addBindValue(QString(m.fromName + QLatin1Char(' ') + m.fromAddress));
    fts.addBindValue(QString(m.toText + QLatin1Char(' ') + m.ccText));
    QString body = m.bodyText;
    for (const AttachmentRecord &a : m.attachments)
        body += QLatin1Char('\n') + a.fileName;
    fts.addBindValue(body);
    if (!fts.exec()) {
        *error = storageError(QStringLiteral("Cannot index a message"), fts);
        return false;
    }
    *inserted = true;
    return addLocation(row, m, error);
}

QHash<QString, qint64> ArchiveStore::findByMessageIds(qint64 connectionId, const QStringList &messageIds)
{
    QHash<QString, qint64> result;
    QSqlQuery &q = prepared("byMessageId", QStringLiteral(
        "SELECT id FROM messages WHERE connection_id=? AND message_id=? LIMIT 1"));
    for (const QString &id : messageIds) {
        if (id.isEmpty())
            continue;
        q.addBindValue(connectionId);
        q.addBindValue(id);
        if (q.exec() && q.next())
            result.insert(id, q.value(0).toLongLong());
        q.finish();
    }
    return result;
}

QVector<quint32> ArchiveStore::archivedUids(qint64 folderId, quint32 uidValidity)
{
    QVector<quint32> result;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT uid FROM locations WHERE folder_id=? AND uid_validity=? AND uid>0 ORDER BY uid"));
    q.addBindValue(folderId);
    q.addBindValue(uidValidity);
    if (q.exec()) {
        while (q.next())
            result << q.value(0).toUInt();
    }
    return result;
}

// ---- reading -------------------------------------------------------------

qint64 ArchiveStore::messageCount(qint64 connectionId, const QString &role)
{
    QSqlQuery q(m_db);
    if (role.isEmpty()) {
        q.prepare(QStringLiteral("SELECT COUNT(*) FROM messages WHERE connection_id=?"));
        q.addBindValue(connectionId);
    } else {
        q.prepare(QStringLiteral("SELECT COUNT(DISTINCT l.message_row) FROM locations l JOIN folders f "
                                 "ON f.id = l.folder_id WHERE f.connection_id=? AND f.role=?"));
        q.addBindValue(connectionId);
        q.addBindValue(role);
    }
    if (!q.exec() || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

bool ArchiveStore::message(qint64 id, MessageRecord *out)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral(
        "SELECT id, connection_id, provider_id, message_id, thread_key, from_name, from_address, to_text, "
        "cc_text, subject, received_at, sent_at, size, snippet, body_text, body_html, in_reply_to, refs "
        "FROM messages WHERE id=?"));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return false;
    MessageRecord m;
    m.id = q.value(0).toLongLong();
    m.connectionId = q.value(1).toLongLong();
    m.providerId = q.value(2).toString();
    m.messageId = q.value(3).toString();
    m.threadKey = q.value(4).toString();
    m.fromName = q.value(5).toString();
    m.fromAddress = q.value(6).toString();
    m.toText = q.value(7).toString();
    m.ccText = q.value(8).toString();
    m.subject = q.value(9).toString();
    m.receivedAt = fromDb(q.value(10));
    m.sentAt = fromDb(q.value(11));
    m.size = q.value(12).toLongLong();
    m.snippet = q.value(13).toString();
    m.bodyText = q.value(14).toString();
    m.bodyHtml = q.value(15).toString();
    m.inReplyTo = q.value(16).toString();
    m.references = q.value(17).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    q.prepare(QStringLiteral("SELECT file_name, mime_type, size, part FROM attachments WHERE message_row=? ORDER BY id"));
    q.addBindValue(id);
    if (q.exec()) {
        while (q.next())
            m.attachments << AttachmentRecord{q.value(0).toString(), q.value(1).toString(),
                                              q.value(2).toLongLong(), q.value(3).toString()};
    }
    q.prepare(QStringLiteral("SELECT f.role FROM locations l JOIN folders f ON f.id = l.folder_id "
                             "WHERE l.message_row=? ORDER BY f.role LIMIT 1"));
    q.addBindValue(id);
    if (q.exec() && q.next())
        m.folderRole = q.value(0).toString();
    *out = m;
    return true;
}

QVector<MessageSummary> ArchiveStore::summaries(QSqlQuery &q)
{
    QVector<MessageSummary> result;
    while (q.next()) {
        MessageSummary s;
        s.id = q.value(0).toLongLong();
        s.connectionId = q.value(1).toLongLong();
        s.threadKey = q.value(2).toString();
        s.fromName = q.value(3).toString();
        s.fromAddress = q.value(4).toString();
        s.toText = q.value(5).toString();
        s.subject = q.value(6).toString();
        s.snippet = q.value(7).toString();
        s.receivedAt = fromDb(q.value(8));
        s.hasAttachments = q.value(9).toBool();
        s.inInbox = q.value(10).toBool();
        s.inSent = q.value(11).toBool();
        result << s;
    }
    return result;
}

QVector<MessageSummary> ArchiveStore::search(const SearchQuery &query, int limit, int offset, SyncError *error)
{
    QString sql = QLatin1String("SELECT ") + QLatin1String(kSummaryColumns) + QLatin1String("FROM messages m ");
    QStringList where;
    QVariantList binds;
    const QString fts = query.ftsExpression();
    if (!fts.isEmpty()) {
        sql += QLatin1String("JOIN message_fts ON message_fts.rowid = m.id ");
        where << QStringLiteral("message_fts MATCH ?");
        binds << fts;
    }
    if (query.connectionId > 0) {
        where << QStringLiteral("m.connection_id = ?");
        binds << query.connectionId;
    }
    if (query.after.isValid()) {
        where << QStringLiteral("m.received_at >= ?");
        binds << query.after.startOfDay().toMSecsSinceEpoch();
    }
    if (query.before.isValid()) {
        where << QStringLiteral("m.received_at < ?");
        binds << query.before.startOfDay().toMSecsSinceEpoch();
    }
    if (!query.folderRole.isEmpty()) {
        where << QStringLiteral("EXISTS(SELECT 1 FROM locations l JOIN folders f ON f.id = l.folder_id "
                                "WHERE l.message_row = m.id AND f.role = ?)");
        binds << query.folderRole;
    }
    if (!where.isEmpty())
        sql += QLatin1String("WHERE ") + where.join(QLatin1String(" AND ")) + QLatin1Char(' ');
    sql += QLatin1String("ORDER BY m.received_at DESC, m.id DESC LIMIT ? OFFSET ?");
    binds << limit << offset;
    QSqlQuery q(m_db);
    q.prepare(sql);
    for (const QVariant &v : binds)
        q.addBindValue(v);
    if (!q.exec()) {
        if (error)
            *error = SyncError::make(ErrorCategory::Protocol,
                                     QStringLiteral("Cannot search for that: %1").arg(q.lastError().databaseText()));
        return {};
    }
    return summaries(q);
}

QVector<MessageSummary> ArchiveStore::list(qint64 connectionId, const QString &role, int limit, int offset)
{
    SearchQuery query;
    query.connectionId = connectionId;
    query.folderRole = role;
    return search(query, limit, offset, nullptr);
}

QVector<MessageSummary> ArchiveStore::thread(qint64 connectionId, const QString &threadKey)
{
    QSqlQuery q(m_db);
    // The newest 500 of a very long thread, shown oldest first.
    q.prepare(QLatin1String("SELECT ") + QLatin1String(kSummaryColumns)
              + QLatin1String("FROM messages m WHERE m.connection_id=? AND m.thread_key=? "
                              "ORDER BY m.received_at DESC LIMIT 500"));
    q.addBindValue(connectionId);
    q.addBindValue(threadKey);
    if (!q.exec())
        return {};
    QVector<MessageSummary> result = summaries(q);
    std::reverse(result.begin(), result.end());
    return result;
}

QVector<MessageSummary> ArchiveStore::correspondent(qint64 connectionId, const QString &address, int limit, int offset)
{
    // Received from them, or sent (or copied) to them: both sides in one list.
    // FTS narrows by the address's words; the exact address then decides, so
    // bob@example.org does not also match alice.bob@example.org.
    const QString exact = address.trimmed().toLower();
    QString phrase = exact;
    phrase.replace(QLatin1Char('"'), QLatin1String("\"\""));
    QSqlQuery q(m_db);
    q.prepare(QLatin1String("SELECT ") + QLatin1String(kSummaryColumns)
              + QLatin1String("FROM messages m WHERE (? = 0 OR m.connection_id = ?) AND "
                              "(lower(m.from_address) = ? OR (m.id IN ("
                              "  SELECT rowid FROM message_fts WHERE message_fts MATCH ?) AND "
                              "  (instr(lower(' ' || ifnull(m.to_text, '') || ', ' || ifnull(m.cc_text, '') || ','), ?) > 0 OR "
                              "   instr(lower(' ' || ifnull(m.to_text, '') || ', ' || ifnull(m.cc_text, '') || ','), ?) > 0))) "
                              "ORDER BY m.received_at DESC, m.id DESC LIMIT ? OFFSET ?"));
    q.addBindValue(connectionId);
    q.addBindValue(connectionId);
    q.addBindValue(exact);
    q.addBindValue(QStringLiteral("recipients : \"%1\"").arg(phrase));
    q.addBindValue(QString(QLatin1Char('<') + exact + QLatin1Char('>'))); // "Name <bob@example.org>"
    q.addBindValue(QString(QLatin1Char(' ') + exact + QLatin1Char(','))); // a bare address in the list
    q.addBindValue(limit);
    q.addBindValue(offset);
    if (!q.exec()) {
        qCWarning(lcArchive) << "correspondent query failed" << q.lastError().text();
        return {};
    }
    return summaries(q);
}

// ---- sync log ------------------------------------------------------------

bool ArchiveStore::beginRun(SyncRunRecord *run, SyncError *error)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO sync_runs(connection_id, kind, started_at, fetched, outcome, message) "
                             "VALUES(?,?,?,?,?,?)"));
    if (!run->startedAt.isValid())
        run->startedAt = QDateTime::currentDateTimeUtc();
    if (run->outcome.isEmpty())
        run->outcome = QStringLiteral("running");
    q.addBindValue(run->connectionId);
    q.addBindValue(run->kind);
    q.addBindValue(toDb(run->startedAt));
    q.addBindValue(run->fetched);
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
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE sync_runs SET ended_at=?, fetched=?, outcome=?, message=? WHERE id=?"));
    q.addBindValue(toDb(run.endedAt.isValid() ? run.endedAt : QDateTime::currentDateTimeUtc()));
    q.addBindValue(run.fetched);
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
    q.prepare(QStringLiteral("SELECT id, connection_id, kind, started_at, ended_at, fetched, outcome, message "
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
        r.outcome = q.value(6).toString();
        r.message = q.value(7).toString();
        result << r;
    }
    return result;
}

} // namespace Lookback
