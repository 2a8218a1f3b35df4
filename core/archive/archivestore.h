#pragma once

#include "common/syncerror.h"
#include "records.h"
#include "searchquery.h"

#include <QHash>
#include <QSqlDatabase>
#include <QString>
#include <memory>

class QSqlQuery;

namespace Lookback {

// The local archive: one SQLite file (WAL, FTS5), forward-only migrations.
//
// Thread: an ArchiveStore is used only on the thread that opened it; every
// thread that needs the archive opens its own (WAL lets the browser read while
// a worker writes). Owner: whoever created it; not a QObject.
class ArchiveStore
{
public:
    explicit ArchiveStore(const QString &filePath);
    ~ArchiveStore();
    ArchiveStore(const ArchiveStore &) = delete;
    ArchiveStore &operator=(const ArchiveStore &) = delete;

    // The default location: <AppDataLocation>/archive.sqlite, or <dataDir>/archive.sqlite.
    static QString defaultPath(const QString &dataDir = QString());
    static int schemaVersion();

    bool open(SyncError *error);
    bool isOpen() const;
    QString filePath() const { return m_path; }

    // Connections
    bool addConnection(ConnectionRecord *connection, SyncError *error);
    bool updateConnection(const ConnectionRecord &connection, SyncError *error);
    bool connectionByName(const QString &name, ConnectionRecord *out);
    bool connectionById(qint64 id, ConnectionRecord *out);
    QVector<ConnectionRecord> connections();
    bool setHealth(qint64 connectionId, const QString &health, const QString &detail);

    // Folders
    bool ensureFolder(qint64 connectionId, const QString &role, const QString &remoteName,
                      FolderRecord *out, SyncError *error);
    QVector<FolderRecord> folders(qint64 connectionId);
    // Records a new UIDVALIDITY. Locations under the old one no longer name
    // anything on the server and are dropped; the messages themselves stay.
    bool setFolderUidValidity(qint64 folderId, quint32 uidValidity, SyncError *error);
    bool setFolderLiveCursor(qint64 folderId, quint32 uidNext, quint64 highestModSeq, SyncError *error);

    // Backfill jobs and their per-folder cursors
    bool createJob(BackfillJobRecord *job, SyncError *error);
    bool updateJob(const BackfillJobRecord &job, SyncError *error);
    bool latestJob(qint64 connectionId, BackfillJobRecord *out);
    QVector<FolderCursor> cursors(qint64 jobId);
    bool saveCursor(const FolderCursor &cursor, SyncError *error);

    // Stores a page of messages and the cursor after it in one transaction.
    // Messages already archived (same provider id, or same Message-ID) add at
    // most a folder location, never a second row. `inserted` gets the number
    // of new rows.
    bool storePage(const QVector<MessageRecord> &messages, const FolderCursor &cursor,
                   qint64 jobFetched, int *inserted, SyncError *error);
    // Same, for live sync: no job cursor, the folder's live cursor moves instead.
    bool storeLivePage(const QVector<MessageRecord> &messages, const FolderRecord &folder,
                       int *inserted, SyncError *error);

    // Message-ID -> archived row id, for the given ids that are archived for this connection.
    QHash<QString, qint64> findByMessageIds(qint64 connectionId, const QStringList &messageIds);
    // UIDs of this folder already archived under this UIDVALIDITY.
    QVector<quint32> archivedUids(qint64 folderId, quint32 uidValidity);

    // Reading
    qint64 messageCount(qint64 connectionId, const QString &role = QString());
    bool message(qint64 id, MessageRecord *out);
    QVector<MessageSummary> search(const SearchQuery &query, int limit, int offset, SyncError *error);
    // Newest first, for browsing a folder (role empty: all) or a thread.
    QVector<MessageSummary> list(qint64 connectionId, const QString &role, int limit, int offset);
    QVector<MessageSummary> thread(qint64 connectionId, const QString &threadKey);
    // Both directions of the conversation with one address.
    QVector<MessageSummary> correspondent(qint64 connectionId, const QString &address, int limit, int offset);

    // Sync log
    bool beginRun(SyncRunRecord *run, SyncError *error);
    bool endRun(const SyncRunRecord &run, SyncError *error);
    QVector<SyncRunRecord> runs(qint64 connectionId, int limit = 200);

    QSqlDatabase database() const { return m_db; }

private:
    bool migrate(SyncError *error);
    bool writeMessages(const QVector<MessageRecord> &messages, int *inserted, SyncError *error);
    bool writeOne(const MessageRecord &m, bool *inserted, SyncError *error);
    bool addLocation(qint64 messageRowId, const MessageRecord &m, SyncError *error);
    QString resolveThreadKey(const MessageRecord &m);
    QSqlQuery &prepared(const char *key, const QString &sql);
    SyncError storageError(const QString &what, const QSqlQuery &q) const;
    QVector<MessageSummary> summaries(QSqlQuery &q);

    QString m_path;
    QString m_connectionName;
    QSqlDatabase m_db;
    QHash<QByteArray, std::shared_ptr<QSqlQuery>> m_statements;
};

} // namespace Lookback
