#include "archivewriter.h"

#include "archive/archivestore.h"
#include "common/logging.h"

#include <QAtomicInteger>
#include <QThread>

namespace Lookback {

namespace {
// Each try already waited ArchiveStore::kBusyTimeoutMs for the lock.
constexpr int kBusyTries = 4;

bool isBusy(const SyncError &e)
{
    return e.category == ErrorCategory::Storage
        && (e.message.contains(QLatin1String("locked")) || e.message.contains(QLatin1String("busy")));
}
} // namespace

ArchiveWriter::ArchiveWriter(const QString &archivePath)
    : m_path(archivePath)
{
    qRegisterMetaType<Lookback::PageWrite>();
    qRegisterMetaType<Lookback::PageOutcome>();
}

ArchiveWriter::~ArchiveWriter()
{
    stop();
}

quint64 ArchiveWriter::newStreamId()
{
    static QAtomicInteger<quint64> next(1);
    return next.fetchAndAddRelaxed(1);
}

bool ArchiveWriter::isRunning() const
{
    return m_thread && m_thread->isRunning();
}

bool ArchiveWriter::start(SyncError *error)
{
    if (isRunning())
        return true;
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("archive-writer"));
    moveToThread(m_thread);
    m_thread->start();
    SyncError result;
    QMetaObject::invokeMethod(this, [this, &result] {
        // Opened here: a QSqlDatabase belongs to the thread that opened it.
        m_store = std::make_unique<ArchiveStore>(m_path);
        if (!m_store->open(&result))
            m_store.reset();
    }, Qt::BlockingQueuedConnection);
    if (result.isError()) {
        if (error)
            *error = result;
        stop();
        return false;
    }
    return true;
}

void ArchiveWriter::stop()
{
    if (!m_thread)
        return;
    if (m_thread->isRunning() && QThread::currentThread() != m_thread) {
        QThread *caller = QThread::currentThread();
        QMetaObject::invokeMethod(this, [this, caller] {
            m_store.reset(); // closed on the thread that opened it
            moveToThread(caller);
        }, Qt::BlockingQueuedConnection);
        m_thread->quit();
        m_thread->wait();
    }
    delete m_thread;
    m_thread = nullptr;
}

void ArchiveWriter::submit(const PageWrite &page, Stream stream, QObject *receiver, PageDone done)
{
    QPointer<QObject> target(receiver);
    QMetaObject::invokeMethod(this, [this, page, stream, target, done = std::move(done)] {
        writeOne(page, stream, target, done);
    }, Qt::QueuedConnection);
}

void ArchiveWriter::writeOne(const PageWrite &page, Stream stream, QPointer<QObject> receiver, PageDone done)
{
    PageOutcome outcome;
    SyncError error;
    const auto failed = m_failedEpoch.constFind(stream.id);
    if (failed != m_failedEpoch.cend() && stream.epoch <= failed.value()) {
        error = SyncError::make(ErrorCategory::Storage, tr("Not written: an earlier page could not be stored"));
    } else if (!m_store) {
        error = SyncError::make(ErrorCategory::Storage, tr("The archive is not open"));
    } else if (!writeWithRetry(page, &outcome, &error)) {
        m_failedEpoch.insert(stream.id, stream.epoch);
    }
    if (receiver)
        QMetaObject::invokeMethod(receiver, [done, error, outcome] { done(error, outcome); }, Qt::QueuedConnection);
}

bool ArchiveWriter::writeWithRetry(const PageWrite &page, PageOutcome *outcome, SyncError *error)
{
    for (int attempt = 1;; ++attempt) {
        *error = SyncError();
        if (m_store->writePage(page, outcome, error))
            return true;
        if (!isBusy(*error) || attempt >= kBusyTries)
            return false;
        qCInfo(lcSync) << "the archive is busy (another program is writing); trying again";
        QThread::msleep(500);
    }
}

SyncError ArchiveWriter::run(std::function<SyncError(ArchiveStore &)> work)
{
    Q_ASSERT(QThread::currentThread() != thread());
    if (!isRunning())
        return SyncError::make(ErrorCategory::Storage, tr("The archive is not open"));
    SyncError result;
    QMetaObject::invokeMethod(this, [this, &work, &result] {
        if (!m_store) {
            result = SyncError::make(ErrorCategory::Storage, tr("The archive is not open"));
            return;
        }
        for (int attempt = 1;; ++attempt) {
            result = work(*m_store);
            if (!isBusy(result) || attempt >= kBusyTries)
                break;
            QThread::msleep(500);
        }
    }, Qt::BlockingQueuedConnection);
    return result;
}

void ArchiveWriter::drain()
{
    if (isRunning() && QThread::currentThread() != thread())
        QMetaObject::invokeMethod(this, [] {}, Qt::BlockingQueuedConnection);
}

} // namespace Lookback
