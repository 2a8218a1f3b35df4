#include "archivestore.h"

#include "common/logging.h"
#include "archivesql.h"
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
    // 1 -> 2: a provider-neutral engine. Folder and cursor state become the
    // source's own (opaque) data; provider ids merged into one message are
    // kept; unreadable messages and complete date ranges are recorded; the
    // full-text index reads its text from the archive, so it can be rebuilt
    // and entries deleted exactly.
    R"SQL(
ALTER TABLE folders ADD COLUMN source_state TEXT;
UPDATE folders SET source_state = json_object('uidValidity', uid_validity, 'liveUidNext', live_uid_next,
  'highestModSeq', highest_modseq);
ALTER TABLE folders DROP COLUMN uid_validity;
ALTER TABLE folders DROP COLUMN live_uid_next;
ALTER TABLE folders DROP COLUMN highest_modseq;
ALTER TABLE backfill_cursors ADD COLUMN state TEXT;
UPDATE backfill_cursors SET state = json_object('uidValidity', uid_validity, 'topUid', top_uid);
ALTER TABLE backfill_cursors DROP COLUMN uid_validity;
ALTER TABLE backfill_cursors DROP COLUMN top_uid;
ALTER TABLE backfill_cursors DROP COLUMN below_uid;
ALTER TABLE backfill_jobs ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_runs ADD COLUMN failed INTEGER NOT NULL DEFAULT 0;
CREATE TABLE message_aliases (
  connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  provider_id TEXT NOT NULL COLLATE BINARY,
  message_row INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  PRIMARY KEY(connection_id, provider_id)) WITHOUT ROWID;
CREATE INDEX message_aliases_row ON message_aliases(message_row);
CREATE TABLE message_failures (
  connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  provider_id TEXT NOT NULL COLLATE BINARY,
  folder_id INTEGER REFERENCES folders(id) ON DELETE CASCADE,
  job_id INTEGER REFERENCES backfill_jobs(id) ON DELETE SET NULL,
  reason TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 1,
  first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  PRIMARY KEY(connection_id, provider_id)) WITHOUT ROWID;
CREATE TABLE coverage (
  id INTEGER PRIMARY KEY,
  folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
  start_at INTEGER,
  end_at INTEGER NOT NULL);
CREATE INDEX coverage_folder ON coverage(folder_id);
INSERT INTO coverage(folder_id, start_at, end_at)
  SELECT c.folder_id, j.range_start, j.finished_at FROM backfill_jobs j
  JOIN backfill_cursors c ON c.job_id = j.id WHERE j.state = 'complete' AND j.finished_at IS NOT NULL;
DROP INDEX messages_message_id;
CREATE INDEX messages_identity ON messages(connection_id, message_id, sent_at);
DROP TABLE message_fts;
CREATE VIEW message_fts_source AS SELECT m.id AS id,
  ifnull(m.subject, '') AS subject,
  ifnull(m.from_name, '') || ' ' || ifnull(m.from_address, '') AS sender,
  ifnull(m.to_text, '') || ' ' || ifnull(m.cc_text, '') AS recipients,
  ifnull(m.body_text, '') || ifnull((SELECT group_concat(char(10) || ifnull(a.file_name, ''), '')
                                     FROM attachments a WHERE a.message_row = m.id), '') AS body
  FROM messages m;
CREATE VIRTUAL TABLE message_fts USING fts5(subject, sender, recipients, body,
  content='message_fts_source', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
INSERT INTO message_fts(message_fts) VALUES('rebuild');
)SQL",
};

QString uniqueConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("lookback-archive-%1").arg(counter.fetchAndAddRelaxed(1));
}

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
        if (m_thread != QThread::currentThread())
            qCCritical(lcArchive) << "the archive connection" << m_connectionName
                                  << "is closed on a thread other than the one that opened it";
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
    m_thread = QThread::currentThread();
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(m_path);
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
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
                               // SQLite's default page cache (2 MiB): 16 MiB saved 2.5% of
                               // the backfill's CPU for 14 MiB more peak memory
                               // (docs/PERFORMANCE.md), so it stays the default.
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
    q.finish(); // no statement may stay open on the schema while a migration changes it
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
                *error = storageError(QStringLiteral("Cannot upgrade the archive to schema %1 (%2)").arg(v + 1).arg(statement.trimmed().left(60)), q);
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

} // namespace Lookback
