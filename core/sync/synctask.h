#pragma once

#include "archive/records.h"
#include "source/mailsource.h"
#include "sync/archivewriter.h"
#include "sync/progressestimator.h"
#include "sync/retrypolicy.h"
#include "sync/syncprogress.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <memory>

class QTimer;

namespace Lookback {

class ArchiveStore;
class SignIn;
class StoreView;

struct SyncTaskRequest
{
    TaskKind kind = TaskKind::Backfill;
    qint64 connectionId = 0;
    BackfillRange range;            // Backfill: how much history
    bool continueLatest = true;     // resume an unfinished job of the same range instead of starting anew
    QString archivePath;
    SyncOptions options;
    QPointer<SignIn> signIn;        // the account's sign-in (SyncService's)
    ArchiveWriter *writer = nullptr; // the process's writer (SyncService's); outlives the task
};

// Syncs one connection: a backfill of a range (newest first, page by page,
// resumable across runs), or a catch-up of what arrived since the last sync.
// One instance per connection, moved to its own QThread: created without a
// parent, start() queued after the move; its read connection to the archive,
// the source and the timers are created in start(), on that thread. Every
// write goes through the process's ArchiveWriter. Commands arrive as queued
// calls, results leave as signals carrying values. One page per event-loop
// turn; at most two pages wait in the writer while the next is fetched.
// `finished` is emitted exactly once per start(): complete, cancelled, failed,
// or paused by stop().
//
// On a bad link, what arrived whole is stored, pages shrink while attempts
// fail and grow back after successes, and the task keeps trying for as long
// as attempts store something; only maxAttemptsWithoutProgress attempts in a
// row that stored nothing end it.
class SyncTask : public QObject
{
    Q_OBJECT
public:
    explicit SyncTask(const SyncTaskRequest &request);
    ~SyncTask() override;

public slots:
    void start();
    void pause();       // at the end of the current page
    void resume();
    void cancel();      // stops for good now; what was stored stays
    void stop();        // pause, then finish (Ctrl-C)
    void stopForQuit(); // stop, and resume at the program's next start

signals:
    void progressChanged(const Lookback::SyncProgress &progress);
    void finished(const Lookback::SyncProgress &progress);

private:
    SyncError write(std::function<SyncError(ArchiveStore &)> work);
    // Stores what a plan decided about a folder (its new state; with `cursor`, the
    // job's position in it too), before the folder's first page.
    SyncError writePlan(const FolderRecord &folder, const FolderPlan &plan, const FolderCursor *cursor);
    void connectSource();
    void ensureFolders();
    void planNext(int index);
    void fetchNext();
    QString nextRole() const;
    void requestPage(const QString &role);
    void onPage(const SyncError &error, const SourcePage &page, quint64 generation, bool live);
    void submitPage(const SourcePage &page, const QString &role, bool live);
    void onWritten(const SyncError &error, const PageOutcome &outcome, quint64 epoch);
    // Decides the next step once a page was fetched or written: ask for another,
    // or pause / finish / reconnect when nothing is in flight any more.
    void pump();
    void catchUpNext(int index);
    void fetchLive(int index);
    void complete();
    void enterPaused();
    void handleError(const SyncError &error);
    void finish(BackfillState state, Health health, const QString &message);
    void emitProgress(bool force);
    void scheduleNext(void (SyncTask::*step)());
    bool guard(quint64 generation) const { return generation == m_generation && !m_finished; }
    void dropSource();
    void beginRun();
    int folderIndex(const QString &role) const;
    qint64 remaining() const;

    SyncTaskRequest m_request;
    std::unique_ptr<ArchiveStore> m_read;   // this thread's read connection
    std::unique_ptr<StoreView> m_view;
    MailSource *m_source = nullptr;
    ConnectionRecord m_connection;
    BackfillJobRecord m_job;
    SyncRunRecord m_run;
    QVector<FolderRecord> m_folders;
    QHash<QString, FolderCursor> m_cursors;
    SyncProgress m_progress;
    ProgressEstimator m_estimator;
    RetryPolicy m_retry;
    QElapsedTimer m_clock;
    qint64 m_lastEmitMs = -1000;
    QTimer *m_retryTimer = nullptr;
    quint64 m_generation = 0;
    bool m_everConnected = false;
    bool m_pauseRequested = false;
    bool m_stopRequested = false;
    bool m_interrupted = false;     // stopped by the program quitting
    bool m_paused = false;
    bool m_finished = false;
    bool m_fetching = false;        // a page is being fetched
    bool m_live = false;            // fetching live pages (after the backfill, or a catch-up)
    int m_liveIndex = 0;
    int m_queued = 0;               // pages handed to the writer, not yet answered
    ArchiveWriter::Stream m_stream;
    bool m_reconnectWhenIdle = false;
    SyncError m_deferredError;      // an error to act on once the writer has answered every page
    // The bad-link policy.
    int m_pageSize = 0;
    int m_attemptsWithoutProgress = 0;
    // Refusals for rate in a row: waited out, not counted as attempts that
    // failed (the provider said when to come back), but they lengthen the backoff.
    int m_throttledInARow = 0;
    bool m_storedThisAttempt = false;
    // Some folder's plan was the provider's estimate: the total is corrected as pages arrive.
    bool m_estimated = false;
    static constexpr int kMaxQueued = 2;
    static constexpr int kMaxProtocolAttempts = 3;
};

} // namespace Lookback
