#pragma once

#include "archive/pagewrite.h"
#include "archive/records.h"
#include "archive/searchquery.h"
#include "common/syncerror.h"

#include <QHash>
#include <QSet>
#include <QSqlDatabase>
#include <QString>
#include <memory>

class QSqlQuery;
class QThread;

namespace Lookback {

// The local archive: one SQLite file (WAL, FTS5), forward-only migrations.
//
// One class, four concerns, one source file each:
// - archivestore.cpp  opening and migrations;
// - bookkeeping.cpp   connections, folders, jobs and cursors, runs, coverage, failures;
// - archivewrite.cpp  the write path: pages (every kind, one path), identity and
//                     dedupe, the full-text index, deletes;
// - archiveread.cpp   the read path: messages, lists, search, threads, correspondents.
//
// Every write transaction starts with BEGIN IMMEDIATE, so two writers (two
// threads, or the CLI beside the desktop program) wait for each other on
// SQLite's busy timeout instead of failing on a lock upgrade. In the sync
// engine all writes go through one ArchiveWriter thread per process.
//
// Thread: an ArchiveStore is used only on the thread that opened it and closes
// its connection there (destroy it on that thread too); every thread that
// needs the archive opens its own. Owner: whoever created it; not a QObject.
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
    // How long a writer waits for another one (another process) before giving up.
    static constexpr int kBusyTimeoutMs = 30000;

    bool open(SyncError *error);
    bool isOpen() const;
    QString filePath() const { return m_path; }

    // ---- bookkeeping ------------------------------------------------------
    bool addConnection(ConnectionRecord *connection, SyncError *error);
    bool updateConnection(const ConnectionRecord &connection, SyncError *error);
    bool connectionByName(const QString &name, ConnectionRecord *out);
    bool connectionById(qint64 id, ConnectionRecord *out);
    QVector<ConnectionRecord> connections();
    bool setHealth(qint64 connectionId, Health health, const QString &detail, SyncError *error = nullptr);

    bool ensureFolder(qint64 connectionId, const QString &role, const QString &remoteName,
                      FolderRecord *out, SyncError *error);
    QVector<FolderRecord> folders(qint64 connectionId);
    bool folderById(qint64 folderId, FolderRecord *out);
    // Records the source's new state for a folder. With forgetLocationIds the
    // provider's numbering of the folder changed (IMAP UIDVALIDITY): the UIDs
    // archived under the old numbering no longer name anything on the server
    // and are forgotten; the messages themselves stay.
    bool saveFolderState(qint64 folderId, const QByteArray &state, bool forgetLocationIds, SyncError *error);

    bool createJob(BackfillJobRecord *job, SyncError *error);
    bool updateJob(const BackfillJobRecord &job, SyncError *error);
    bool latestJob(qint64 connectionId, BackfillJobRecord *out);
    QVector<FolderCursor> cursors(qint64 jobId);
    bool saveCursor(const FolderCursor &cursor, SyncError *error);

    bool beginRun(SyncRunRecord *run, SyncError *error);
    bool endRun(const SyncRunRecord &run, SyncError *error);
    QVector<SyncRunRecord> runs(qint64 connectionId, int limit = 200);

    // Coverage: which received dates of a folder are completely archived.
    // Adding merges with what overlaps or touches; reading gives disjoint
    // intervals, oldest first.
    bool addCoverage(qint64 folderId, const QDateTime &start, const QDateTime &end, SyncError *error);
    QVector<CoverageInterval> coverage(qint64 folderId);

    // Messages that could not be read, newest report first.
    struct FailureRow
    {
        QString providerId;
        QString folderRole;
        QString reason;
        int attempts = 0;
        QDateTime lastSeenAt;
    };
    QVector<FailureRow> failures(qint64 connectionId, int limit = 100);
    qint64 failureCount(qint64 connectionId, qint64 jobId = 0); // jobId 0: all of the connection

    // ---- the write path ---------------------------------------------------
    // Stores a page in one transaction: its messages and failures, the
    // backfill cursor after it and the folder's new source state, and the
    // job's and run's counts. Identity: a message is its provider id; an
    // unknown provider id whose content matches an archived message
    // (sameMessage) becomes a second provider id and location of it;
    // anything else is a new row. Nothing else creates, replaces or merges.
    bool writePage(const PageWrite &page, PageOutcome *outcome, SyncError *error);
    // Deletes messages with their index entries, attachments and locations.
    bool deleteMessages(const QVector<qint64> &rowIds, SyncError *error);

    // ---- what sources may look at (through a read-only ArchiveView) -------
    // UIDs of this folder archived under this UIDVALIDITY, ascending.
    QVector<quint32> archivedUids(qint64 folderId, quint32 uidValidity);
    // Of these provider ids, the ones archived for the connection.
    QSet<QString> knownProviderIds(qint64 connectionId, const QStringList &providerIds);
    // The row that is this message already (same provider id, or the same
    // content: see sameMessage), 0 when none.
    qint64 findArchived(const MessageRecord &message);
    // Archived messages of a folder whose UID was forgotten (the folder was renumbered).
    qint64 forgottenUidCount(qint64 folderId);
    // Provider ids of a folder recorded as unreadable at or after `since`.
    QSet<QString> unreadableSince(qint64 folderId, const QDateTime &since);

    // ---- the read path ----------------------------------------------------
    qint64 messageCount(qint64 connectionId, const QString &role = QString());
    bool message(qint64 id, MessageRecord *out);
    QVector<MessageSummary> search(const SearchQuery &query, int limit, int offset, SyncError *error);
    // Newest first, for browsing a folder (role empty: all) or a thread.
    QVector<MessageSummary> list(qint64 connectionId, const QString &role, int limit, int offset);
    QVector<MessageSummary> thread(qint64 connectionId, const QString &threadKey);
    // Both directions of the conversation with one address.
    QVector<MessageSummary> correspondent(qint64 connectionId, const QString &address, int limit, int offset);

    QSqlDatabase database() const { return m_db; }

private:
    bool migrate(SyncError *error);
    bool writeOne(const PageWrite &page, const MessageRecord &m, bool clearFailures, PageOutcome *outcome,
                  SyncError *error);
    qint64 rowForProviderId(qint64 connectionId, const QString &providerId, SyncError *error);
    qint64 sameMessage(const MessageRecord &m, SyncError *error);
    bool addLocation(qint64 messageRowId, const MessageRecord &m, SyncError *error);
    QString resolveThreadKey(const MessageRecord &m);
    QSqlQuery &prepared(const char *key, const QString &sql);
    SyncError storageError(const QString &what, const QSqlQuery &q) const;
    QVector<MessageSummary> summaries(QSqlQuery &q);

    QString m_path;
    QString m_connectionName;
    QSqlDatabase m_db;
    QThread *m_thread = nullptr; // the thread that opened m_db
    QHash<QByteArray, std::shared_ptr<QSqlQuery>> m_statements;
};

} // namespace Lookback
