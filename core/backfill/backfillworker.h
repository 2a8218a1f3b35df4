#pragma once

#include "archive/records.h"
#include "backfill/mailsource.h"
#include "backfill/progressestimator.h"
#include "backfill/retrypolicy.h"
#include "common/syncerror.h"
#include "imap/imapconnection.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <memory>

namespace Lookback {

class ArchiveStore;
class ImapSource;
class PageWriter;

// Health of a connection as the badges show it. Stable names for the archive and --json.
namespace Health {
inline const QString Healthy = QStringLiteral("healthy");
inline const QString Syncing = QStringLiteral("syncing");
inline const QString Paused = QStringLiteral("paused");
inline const QString Throttled = QStringLiteral("throttled");
inline const QString NeedsReconnect = QStringLiteral("needs-reconnect");
inline const QString PermissionLost = QStringLiteral("permission-lost");
inline const QString WaitingOnParent = QStringLiteral("waiting-on-parent");
inline const QString Offline = QStringLiteral("offline");
inline const QString Failed = QStringLiteral("failed");
QString forError(ErrorCategory category);
}

struct BackfillRequest
{
    qint64 connectionId = 0;
    BackfillRange range;
    bool continueLatest = true;     // resume an unfinished job of the same range instead of starting anew
    QString archivePath;
    ImapSettings settings;          // carries the secret, in memory only
    int pageSize = 500;
    bool retryFirstConnect = true;  // the CLI reports an unreachable server at once instead
    int maxRetries = -1;            // consecutive transient failures tolerated; -1 = forever
    bool catchUpLive = true;        // fetch mail that arrived during the backfill before finishing
    int progressIntervalMs = 100;   // at most ~10 progress signals a second; 0 = every page
};

// A snapshot of a backfill for cards, the CLI and logs.
struct BackfillProgress
{
    qint64 connectionId = 0;
    qint64 jobId = 0;
    BackfillRange range;
    BackfillState state = BackfillState::Running;
    QString health = Health::Syncing;
    qint64 fetched = 0;             // messages archived by this job
    qint64 estimatedTotal = -1;     // "~M", -1 while counting
    double rate = 0.0;              // messages per second
    int etaSeconds = -1;            // -1 until the rate is stable
    qint64 bytesRead = 0;
    QString currentFolder;
    QDateTime retryAt;              // when throttled or offline
    SyncError error;                // the last error (cause of Failed, or of the current wait)
    QString message;                // the outcome, in words, once finished
};

// Backfills one connection. One instance per connection, moved to its own
// QThread: created without a parent, start() queued after the move; the
// archive connection, the socket and the timers are created in start(), on
// that thread. Commands arrive as queued calls, results leave as signals
// carrying values. One page per event-loop turn. `finished` is emitted exactly
// once per start(): complete, cancelled, failed, or paused by stop().
class BackfillWorker : public QObject
{
    Q_OBJECT
public:
    explicit BackfillWorker(const BackfillRequest &request);
    ~BackfillWorker() override;

public slots:
    void start();
    void pause();   // at the end of the current page
    void resume();
    void cancel();  // stops for good now; what was stored stays
    void stop();    // pause, then finish (program exit, Ctrl-C)

signals:
    void progressChanged(const Lookback::BackfillProgress &progress);
    void finished(const Lookback::BackfillProgress &progress);

private:
    void connectSource();
    void ensureFolders();
    void planNext(int index);
    void fetchNext();
    QString nextRole() const;
    void requestPage(const QString &role);
    void onPage(const SyncError &error, const PageResult &page, quint64 generation);
    void onWritten(const FolderCursor &cursor, qint64 jobFetched, const SyncError &error);
    // Decides the next step once a page was fetched or written: ask for another,
    // or pause / finish / reconnect when nothing is in flight any more.
    void pump();
    bool idle() const { return !m_fetching && m_queued == 0; }
    void drainWriter();
    void catchUpNext(int index);
    FolderRecord storedFolder(int index) const;
    void fetchLive(const QString &role, int index);
    void complete();
    void enterPaused();
    void handleError(const SyncError &error);
    void finish(BackfillState state, const QString &health, const QString &message);
    void emitProgress(bool force);
    void scheduleNext(void (BackfillWorker::*step)());
    bool guard(quint64 generation) const { return generation == m_generation && !m_finished; }
    void dropSource();
    qint64 remaining() const;

    BackfillRequest m_request;
    std::unique_ptr<ArchiveStore> m_store;
    ImapSource *m_source = nullptr;
    ConnectionRecord m_connection;
    BackfillJobRecord m_job;
    SyncRunRecord m_run;
    QVector<FolderRecord> m_folders;
    QHash<QString, FolderCursor> m_cursors;
    BackfillProgress m_progress;
    ProgressEstimator m_estimator;
    RetryPolicy m_retry;
    QElapsedTimer m_clock;
    qint64 m_lastEmitMs = -1000;
    QTimer *m_retryTimer = nullptr;
    quint64 m_generation = 0;
    int m_attempt = 0;
    bool m_everConnected = false;
    bool m_pauseRequested = false;
    bool m_stopRequested = false;
    bool m_paused = false;
    bool m_finished = false;
    qint64 m_runFetched = 0;
    QThread *m_writerThread = nullptr;
    PageWriter *m_writer = nullptr;
    bool m_fetching = false;        // a page is being fetched
    int m_queued = 0;               // pages handed to the writer, not yet committed
    qint64 m_sentFetched = 0;       // job count including the queued pages
    bool m_reconnectWhenIdle = false;
    static constexpr int kMaxQueued = 2;
};

} // namespace Lookback

Q_DECLARE_METATYPE(Lookback::BackfillProgress)
