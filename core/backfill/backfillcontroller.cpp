#include "backfillcontroller.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QThread>
#include <QTimer>

namespace Lookback {

BackfillController::BackfillController(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<Lookback::BackfillProgress>();
}

BackfillController::~BackfillController()
{
    stopAll();
}

bool BackfillController::start(const BackfillRequest &request)
{
    if (m_entries.contains(request.connectionId))
        return false;
    Entry entry;
    entry.thread = new QThread;
    entry.thread->setObjectName(QStringLiteral("backfill-%1").arg(request.connectionId));
    entry.worker = new BackfillWorker(request);
    entry.worker->moveToThread(entry.thread);
    connect(entry.thread, &QThread::started, entry.worker, &BackfillWorker::start);
    connect(entry.thread, &QThread::finished, entry.worker, &QObject::deleteLater);
    connect(entry.thread, &QThread::finished, entry.thread, &QObject::deleteLater);
    connect(entry.worker, &BackfillWorker::progressChanged, this, &BackfillController::progressChanged,
            Qt::QueuedConnection);
    connect(entry.worker, &BackfillWorker::finished, this, &BackfillController::onFinished, Qt::QueuedConnection);
    m_entries.insert(request.connectionId, entry);
    entry.thread->start();
    return true;
}

bool BackfillController::isRunning(qint64 connectionId) const
{
    return m_entries.contains(connectionId);
}

void BackfillController::invoke(qint64 connectionId, void (BackfillWorker::*command)())
{
    const auto it = m_entries.constFind(connectionId);
    if (it != m_entries.cend())
        QMetaObject::invokeMethod(it->worker, command, Qt::QueuedConnection);
}

void BackfillController::pause(qint64 connectionId) { invoke(connectionId, &BackfillWorker::pause); }
void BackfillController::resume(qint64 connectionId) { invoke(connectionId, &BackfillWorker::resume); }
void BackfillController::cancel(qint64 connectionId) { invoke(connectionId, &BackfillWorker::cancel); }
void BackfillController::stop(qint64 connectionId) { invoke(connectionId, &BackfillWorker::stop); }

void BackfillController::onFinished(const BackfillProgress &progress)
{
    const Entry entry = m_entries.take(progress.connectionId);
    if (entry.thread) {
        entry.thread->quit();
        entry.thread->wait();
    }
    emit finished(progress);
}

bool BackfillController::stopAll(int timeoutMs)
{
    if (m_entries.isEmpty())
        return true;
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it)
        QMetaObject::invokeMethod(it->worker, &BackfillWorker::stop, Qt::QueuedConnection);
    QEventLoop loop;
    QDeadlineTimer deadline(timeoutMs);
    QTimer tick;
    connect(&tick, &QTimer::timeout, &loop, [&] {
        if (m_entries.isEmpty() || deadline.hasExpired())
            loop.quit();
    });
    tick.start(20);
    loop.exec();
    const bool clean = m_entries.isEmpty();
    // Whatever did not stop in time is cancelled: its page in flight is not stored.
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
        QMetaObject::invokeMethod(it->worker, &BackfillWorker::cancel, Qt::QueuedConnection);
        it->thread->quit();
        it->thread->wait(5000);
    }
    m_entries.clear();
    return clean;
}

} // namespace Lookback
