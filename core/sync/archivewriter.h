#pragma once

#include "archive/pagewrite.h"
#include "common/syncerror.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <functional>
#include <memory>

class QThread;

namespace Lookback {

class ArchiveStore;

// The one writer of the archive in this process: every page of every sync
// task, and every other write the engine makes, runs on this object's thread
// through its own SQLite connection, one transaction after the other. So any
// number of connections syncing at once never contend for the write lock
// among themselves; against another process (the CLI beside the desktop
// program) each transaction waits on SQLite's busy timeout and is tried again
// while the archive stays busy.
//
// Pages of one stream (one task) are written in the order submitted. Once a
// page of a stream fails, the pages of that stream queued behind it are not
// written (their cursors assume it was) until the stream moves to a new epoch.
//
// Thread: the object lives on the thread start() creates; submit(), run() and
// drain() may be called from any other thread. Owner: SyncService (or a test);
// stop() or the destructor closes the archive on the writer's thread.
class ArchiveWriter : public QObject
{
    Q_OBJECT
public:
    using PageDone = std::function<void(const SyncError &, const PageOutcome &)>;
    struct Stream
    {
        quint64 id = 0;     // one per task
        quint64 epoch = 0;  // bumped by the task after a failed page
    };

    explicit ArchiveWriter(const QString &archivePath);
    ~ArchiveWriter() override;

    QString archivePath() const { return m_path; }
    // Starts the thread and opens the archive there.
    bool start(SyncError *error);
    // Writes what is queued, closes the archive on the writer's thread, ends it.
    void stop();
    bool isRunning() const;

    static quint64 newStreamId();

    // Queues a page; `done` runs on `receiver`'s thread (not at all if it is gone).
    void submit(const PageWrite &page, Stream stream, QObject *receiver, PageDone done);
    // Runs `work` on the writer's thread after everything queued before it,
    // and waits for it. Never call it from the writer's own thread.
    SyncError run(std::function<SyncError(ArchiveStore &)> work);
    // Waits until everything submitted before is written.
    void drain();

private:
    void writeOne(const PageWrite &page, Stream stream, QPointer<QObject> receiver, PageDone done);
    bool writeWithRetry(const PageWrite &page, PageOutcome *outcome, SyncError *error);

    QString m_path;
    QThread *m_thread = nullptr;
    std::unique_ptr<ArchiveStore> m_store;   // created and destroyed on m_thread
    QHash<quint64, quint64> m_failedEpoch;   // stream -> the epoch whose page failed (writer thread only)
};

} // namespace Lookback
