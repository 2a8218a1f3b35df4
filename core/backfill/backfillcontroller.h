#pragma once

#include "backfill/backfillworker.h"

#include <QHash>
#include <QObject>

class QThread;

namespace Lookback {

// Starts and commands the backfill workers, one QThread per connection.
//
// Thread: lives on the thread that created it (the GUI thread, or the CLI's
// main thread) and relays the workers' queued signals there. Owner: the
// program's main window or the CLI command. Never touches a worker directly:
// every command is a queued call into the worker's thread.
class BackfillController : public QObject
{
    Q_OBJECT
public:
    explicit BackfillController(QObject *parent = nullptr);
    ~BackfillController() override;

    // False when a backfill for that connection is already running.
    bool start(const BackfillRequest &request);
    bool isRunning(qint64 connectionId) const;
    void pause(qint64 connectionId);
    void resume(qint64 connectionId);
    void cancel(qint64 connectionId);
    void stop(qint64 connectionId);
    // Asks every worker to stop at the end of its page and waits (program exit).
    // Returns false if a worker did not finish within the time.
    bool stopAll(int timeoutMs = 30000);

signals:
    void progressChanged(const Lookback::BackfillProgress &progress);
    void finished(const Lookback::BackfillProgress &progress);

private:
    struct Entry
    {
        QThread *thread = nullptr;
        BackfillWorker *worker = nullptr;
    };
    void invoke(qint64 connectionId, void (BackfillWorker::*command)());
    void onFinished(const BackfillProgress &progress);

    QHash<qint64, Entry> m_entries;
};

} // namespace Lookback
