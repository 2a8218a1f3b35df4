#include "backfillworker.h"

#include "archive/archivestore.h"
#include "common/logging.h"
#include "imap/imapsource.h"
#include "backfill/pagewriter.h"

#include <QLocale>
#include <QThread>

namespace Lookback {

QString Health::forError(ErrorCategory category)
{
    switch (category) {
    case ErrorCategory::AuthExpired: return NeedsReconnect;
    case ErrorCategory::PermissionDenied: return PermissionLost;
    case ErrorCategory::Network: return Offline;
    case ErrorCategory::Throttled: return Throttled;
    case ErrorCategory::None: return Healthy;
    default: return Failed;
    }
}

BackfillWorker::BackfillWorker(const BackfillRequest &request)
    : m_request(request)
    , m_retry(1000, 5 * 60 * 1000, request.maxRetries)
{
    qRegisterMetaType<Lookback::BackfillProgress>();
    qRegisterMetaType<Lookback::SyncError>();
}

BackfillWorker::~BackfillWorker()
{
    ++m_generation;
    delete m_source;
    if (m_writerThread) {
        m_writerThread->quit();
        m_writerThread->wait();
        delete m_writer;
        delete m_writerThread;
    }
}

void BackfillWorker::start()
{
    m_clock.start();
    m_retryTimer = new QTimer(this);
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &BackfillWorker::connectSource);

    m_progress.connectionId = m_request.connectionId;
    m_progress.range = m_request.range;
    m_store = std::make_unique<ArchiveStore>(m_request.archivePath);
    SyncError error;
    if (!m_store->open(&error)) {
        finish(BackfillState::Failed, Health::Failed, error.message);
        return;
    }
    if (!m_store->connectionById(m_request.connectionId, &m_connection)) {
        m_progress.error = SyncError::make(ErrorCategory::Configuration, tr("No such connection"));
        finish(BackfillState::Failed, Health::Failed, m_progress.error.message);
        return;
    }

    BackfillJobRecord latest;
    const bool haveLatest = m_store->latestJob(m_connection.id, &latest);
    const bool unfinished = haveLatest && (latest.state == BackfillState::Running || latest.state == BackfillState::Paused
                                           || latest.state == BackfillState::Failed);
    if (m_request.continueLatest && unfinished && latest.range.days == m_request.range.days) {
        // Resume: same job, same fixed range start, so a resume next week does not drift.
        m_job = latest;
        m_job.state = BackfillState::Running;
        m_job.errorCategory.clear();
        m_job.errorMessage.clear();
        for (const FolderCursor &c : m_store->cursors(m_job.id))
            m_cursors.insert(c.role, c);
    } else {
        if (unfinished) {
            latest.state = BackfillState::Cancelled;
            latest.finishedAt = QDateTime::currentDateTimeUtc();
            latest.errorMessage = tr("Replaced by a backfill of another range");
            m_store->updateJob(latest, &error);
        }
        m_job = BackfillJobRecord();
        m_job.connectionId = m_connection.id;
        m_job.range = m_request.range;
        m_job.startedAt = QDateTime::currentDateTimeUtc();
        m_job.rangeStart = m_request.range.startFor(m_job.startedAt);
        if (!m_store->createJob(&m_job, &error)) {
            finish(BackfillState::Failed, Health::Failed, error.message);
            return;
        }
    }
    m_store->updateJob(m_job, &error);
    m_sentFetched = m_job.fetched;
    qRegisterMetaType<Lookback::FolderCursor>();
    qRegisterMetaType<QVector<Lookback::MessageRecord>>();
    m_writerThread = new QThread;
    m_writerThread->setObjectName(QStringLiteral("archive-writer-%1").arg(m_connection.id));
    m_writer = new PageWriter(m_request.archivePath);
    m_writer->moveToThread(m_writerThread);
    connect(m_writer, &PageWriter::written, this, &BackfillWorker::onWritten, Qt::QueuedConnection);
    m_writerThread->start();
    m_progress.jobId = m_job.id;
    m_progress.range = m_job.range;
    m_progress.fetched = m_job.fetched;
    m_progress.estimatedTotal = m_job.estimatedTotal;
    m_run = SyncRunRecord();
    m_run.connectionId = m_connection.id;
    m_run.kind = QStringLiteral("backfill");
    m_store->beginRun(&m_run, &error);
    m_store->setHealth(m_connection.id, Health::Syncing, QString());
    m_progress.health = Health::Syncing;
    emitProgress(true);
    connectSource();
}

void BackfillWorker::dropSource()
{
    if (!m_source)
        return;
    ImapSource *source = m_source;
    m_source = nullptr;
    source->close();
    source->deleteLater();
}

void BackfillWorker::connectSource()
{
    if (m_finished)
        return;
    if (m_queued > 0) {
        // Pages fetched before the fault are still being written; plan after them.
        m_reconnectWhenIdle = true;
        return;
    }
    dropSource();
    const quint64 gen = ++m_generation;
    m_progress.retryAt = QDateTime();
    m_source = new ImapSource(m_request.settings, m_store.get(), m_connection.id, this);
    m_source->open([this, gen](const SyncError &error) {
        if (!guard(gen))
            return;
        if (error.isError()) {
            handleError(error);
            return;
        }
        m_everConnected = true;
        ensureFolders();
    });
}

void BackfillWorker::ensureFolders()
{
    m_folders.clear();
    for (const QString &role : m_source->roles()) {
        FolderRecord folder;
        SyncError error;
        if (!m_store->ensureFolder(m_connection.id, role, m_source->remoteName(role), &folder, &error)) {
            handleError(error);
            return;
        }
        m_folders << folder;
    }
    if (m_folders.size() < 2)
        qCWarning(lcBackfill) << "no Sent folder found on" << m_request.settings.host << "- backfilling Inbox only";
    planNext(0);
}

void BackfillWorker::planNext(int index)
{
    if (index >= m_folders.size()) {
        m_job.estimatedTotal = m_job.fetched + remaining();
        m_progress.estimatedTotal = m_job.estimatedTotal;
        SyncError error;
        m_store->updateJob(m_job, &error);
        m_estimator.addSample(m_clock.elapsed(), m_job.fetched);
        emitProgress(true);
        scheduleNext(&BackfillWorker::fetchNext);
        return;
    }
    const FolderRecord folder = m_folders.at(index);
    FolderCursor cursor = m_cursors.value(folder.role);
    cursor.jobId = m_job.id;
    cursor.folderId = folder.id;
    cursor.role = folder.role;
    const quint64 gen = m_generation;
    m_source->planFolder(folder, m_job.rangeStart, cursor, [this, gen, index](const SyncError &error, const FolderPlan &plan) {
        if (!guard(gen))
            return;
        if (error.isError()) {
            handleError(error);
            return;
        }
        FolderCursor cursor = plan.cursor;
        cursor.jobId = m_job.id;
        SyncError storeError;
        if (!m_store->saveCursor(cursor, &storeError)) {
            handleError(storeError);
            return;
        }
        m_cursors.insert(plan.role, cursor);
        planNext(index + 1);
    });
}

qint64 BackfillWorker::remaining() const
{
    qint64 n = 0;
    if (m_source) {
        for (const FolderRecord &f : m_folders)
            n += m_source->pendingCount(f.role);
    }
    return n;
}

void BackfillWorker::scheduleNext(void (BackfillWorker::*step)())
{
    // One page per event-loop turn: queued pause/cancel/stop are seen between pages.
    QMetaObject::invokeMethod(this, step, Qt::QueuedConnection);
}

QString BackfillWorker::nextRole() const
{
    for (const FolderRecord &f : m_folders) {
        if (m_source->pendingCount(f.role) > 0)
            return f.role;
    }
    return {};
}

void BackfillWorker::requestPage(const QString &role)
{
    m_fetching = true;
    m_progress.currentFolder = role;
    const quint64 gen = m_generation;
    m_source->fetchPage(role, m_request.pageSize, [this, gen](const SyncError &error, const PageResult &page) {
        onPage(error, page, gen);
    });
}

void BackfillWorker::fetchNext()
{
    if (m_finished || !m_source || m_fetching)
        return;
    if (m_stopRequested || m_pauseRequested) {
        if (m_queued == 0)
            enterPaused();
        return;
    }
    const QString role = nextRole();
    if (role.isEmpty()) {
        if (m_request.catchUpLive)
            catchUpNext(0);
        else
            complete();
        return;
    }
    requestPage(role);
}

void BackfillWorker::onPage(const SyncError &error, const PageResult &page, quint64 generation)
{
    if (!guard(generation))
        return;
    m_fetching = false;
    if (error.isError()) {
        handleError(error);
        return;
    }
    // To the writer thread; the cursor is committed with the page, there.
    FolderCursor cursor = page.cursor;
    cursor.jobId = m_job.id;
    m_sentFetched += page.requested;
    m_runFetched += page.requested;
    m_progress.bytesRead += page.bytes;
    ++m_queued;
    const QVector<MessageRecord> messages = page.messages;
    const qint64 jobFetched = m_sentFetched;
    PageWriter *writer = m_writer;
    QMetaObject::invokeMethod(writer, [writer, messages, cursor, jobFetched] {
        writer->write(messages, cursor, jobFetched);
    }, Qt::QueuedConnection);
    pump();
}

void BackfillWorker::onWritten(const FolderCursor &cursor, qint64 jobFetched, const SyncError &error)
{
    --m_queued;
    if (m_finished)
        return;
    if (error.isError()) {
        finish(BackfillState::Failed, Health::Failed, error.message);
        return;
    }
    m_job.fetched = jobFetched;
    m_cursors.insert(cursor.role, cursor);
    m_attempt = 0;
    m_progress.fetched = jobFetched;
    if (!m_progress.retryAt.isValid()) {
        m_progress.health = Health::Syncing;
        m_progress.error = SyncError();
    }
    m_estimator.addSample(m_clock.elapsed(), jobFetched);
    emitProgress(false);
    pump();
}

void BackfillWorker::pump()
{
    if (m_finished)
        return;
    if (m_reconnectWhenIdle) {
        if (m_queued == 0) {
            m_reconnectWhenIdle = false;
            if (m_stopRequested || m_pauseRequested)
                enterPaused();
            else
                connectSource();
        }
        return;
    }
    if (m_stopRequested || m_pauseRequested) {
        // A pause lands on a page boundary: everything fetched is written first.
        if (m_fetching || m_queued > 0)
            return;
        if (m_source)
            scheduleNext(&BackfillWorker::fetchNext);
        else
            enterPaused(); // waiting to retry: nothing left in flight
        return;
    }
    if (!m_source || m_fetching)
        return;
    const QString role = nextRole();
    if (role.isEmpty()) {
        if (m_queued == 0)
            scheduleNext(&BackfillWorker::fetchNext); // on to the live catch-up
        return;
    }
    if (m_queued < kMaxQueued)
        requestPage(role);
}

void BackfillWorker::drainWriter()
{
    // Waits for the pages already handed over: the writer works through its
    // queue in order, so an empty call returns once they are committed.
    if (m_writerThread && m_writerThread->isRunning())
        QMetaObject::invokeMethod(m_writer, [] {}, Qt::BlockingQueuedConnection);
}

FolderRecord BackfillWorker::storedFolder(int index) const
{
    // The archive's row, which holds the live cursor recorded before page 1.
    FolderRecord folder = m_folders.at(index);
    for (const FolderRecord &f : m_store->folders(m_connection.id)) {
        if (f.id == folder.id)
            folder = f;
    }
    return folder;
}

void BackfillWorker::catchUpNext(int index)
{
    if (index >= m_folders.size()) {
        complete();
        return;
    }
    const quint64 gen = m_generation;
    const FolderRecord folder = storedFolder(index);
    m_source->planLive(folder, [this, gen, index](const SyncError &error, const FolderPlan &plan) {
        if (!guard(gen))
            return;
        if (error.isError()) {
            handleError(error);
            return;
        }
        if (plan.pending > 0) {
            m_progress.estimatedTotal += plan.pending;
            emitProgress(true);
        }
        fetchLive(plan.role, index);
    });
}

void BackfillWorker::fetchLive(const QString &role, int index)
{
    if (m_finished || !m_source)
        return;
    if (m_stopRequested || m_pauseRequested) {
        enterPaused();
        return;
    }
    if (m_source->pendingCount(role) == 0) {
        catchUpNext(index + 1);
        return;
    }
    const quint64 gen = m_generation;
    m_source->fetchPage(role, m_request.pageSize, [this, gen, role, index](const SyncError &error, const PageResult &page) {
        if (!guard(gen))
            return;
        if (error.isError()) {
            handleError(error);
            return;
        }
        FolderRecord folder = storedFolder(index);
        folder.liveUidNext = page.liveUidNext;
        int inserted = 0;
        SyncError storeError;
        if (!m_store->storeLivePage(page.messages, folder, &inserted, &storeError)) {
            handleError(storeError);
            return;
        }
        m_runFetched += page.requested;
        m_progress.fetched += page.requested;
        m_progress.bytesRead += page.bytes;
        emitProgress(false);
        QMetaObject::invokeMethod(this, [this, role, index] { fetchLive(role, index); }, Qt::QueuedConnection);
    });
}

void BackfillWorker::complete()
{
    m_job.estimatedTotal = m_job.fetched;
    // No %n here: lookback-cli prints this without loading a translation.
    const int days = m_job.range.days;
    const QString what = m_job.range.isEverything() ? tr("all mail")
        : days == 0 ? tr("new mail") : days == 1 ? tr("the last day") : tr("the last %1 days").arg(days);
    finish(BackfillState::Complete, Health::Healthy,
           m_progress.fetched == 1 ? tr("Sync complete — 1 message from %1").arg(what)
                                   : tr("Sync complete — %1 messages from %2").arg(QLocale().toString(m_progress.fetched), what));
}

void BackfillWorker::enterPaused()
{
    m_retryTimer->stop();
    ++m_generation;
    dropSource();
    const QString message = tr("Paused after %1 messages").arg(QLocale().toString(m_job.fetched));
    if (m_stopRequested) {
        finish(BackfillState::Paused, Health::Paused, message);
        return;
    }
    m_paused = true;
    m_pauseRequested = false;
    m_job.state = BackfillState::Paused;
    SyncError error;
    m_store->updateJob(m_job, &error);
    m_run.outcome = QStringLiteral("paused");
    m_run.fetched = m_runFetched;
    m_run.message = message;
    m_store->endRun(m_run, &error);
    m_store->setHealth(m_connection.id, Health::Paused, QString());
    m_progress.state = BackfillState::Paused;
    m_progress.health = Health::Paused;
    m_progress.message = message;
    m_progress.etaSeconds = -1;
    emitProgress(true);
}

void BackfillWorker::pause()
{
    if (m_finished || m_paused)
        return;
    m_pauseRequested = true;
    if (m_retryTimer && m_retryTimer->isActive() && m_queued == 0)
        enterPaused(); // waiting to retry: nothing in flight, pause now
}

void BackfillWorker::resume()
{
    if (m_finished)
        return;
    if (!m_paused) {
        m_pauseRequested = false; // pause asked but not yet reached: simply carry on
        return;
    }
    m_paused = false;
    m_job.state = BackfillState::Running;
    SyncError error;
    m_store->updateJob(m_job, &error);
    m_run = SyncRunRecord();
    m_run.connectionId = m_connection.id;
    m_run.kind = QStringLiteral("backfill");
    m_runFetched = 0;
    m_store->beginRun(&m_run, &error);
    m_store->setHealth(m_connection.id, Health::Syncing, QString());
    m_progress.state = BackfillState::Running;
    m_progress.health = Health::Syncing;
    m_progress.message.clear();
    m_estimator.reset();
    m_attempt = 0;
    emitProgress(true);
    connectSource();
}

void BackfillWorker::cancel()
{
    if (m_finished)
        return;
    ++m_generation; // the page being fetched is dropped, never half-stored
    if (m_queued > 0) {
        // Pages already fetched are still written: what was pulled stays, and is counted.
        drainWriter();
        m_job.fetched = m_sentFetched;
        m_progress.fetched = m_sentFetched;
    }
    finish(BackfillState::Cancelled, Health::Healthy,
           tr("Cancelled — %1 messages kept").arg(QLocale().toString(m_job.fetched)));
}

void BackfillWorker::stop()
{
    if (m_finished)
        return;
    m_stopRequested = true;
    if (m_paused || (((m_retryTimer && m_retryTimer->isActive()) || !m_source) && m_queued == 0))
        enterPaused();
}

void BackfillWorker::handleError(const SyncError &error)
{
    qCInfo(lcBackfill) << "connection" << m_connection.id << categoryName(error.category) << error.message;
    m_progress.error = error;
    if (error.isTransient()) {
        if (!m_everConnected && !m_request.retryFirstConnect) {
            finish(BackfillState::Failed, Health::forError(error.category), error.message);
            return;
        }
        const qint64 delay = m_retry.delayFor(error, ++m_attempt);
        if (delay >= 0) {
            if (m_stopRequested || m_pauseRequested) {
                enterPaused();
                return;
            }
            ++m_generation;
            dropSource();
            m_progress.health = Health::forError(error.category);
            m_progress.retryAt = QDateTime::currentDateTime().addMSecs(delay);
            m_progress.etaSeconds = -1;
            m_store->setHealth(m_connection.id, m_progress.health, error.message);
            emitProgress(true);
            m_retryTimer->start(int(delay));
            return;
        }
    }
    finish(BackfillState::Failed, Health::forError(error.category), error.message);
}

void BackfillWorker::finish(BackfillState state, const QString &health, const QString &message)
{
    if (m_finished)
        return;
    m_finished = true;
    ++m_generation;
    if (m_retryTimer)
        m_retryTimer->stop();
    dropSource();
    if (m_queued > 0) {
        // Cancelled or failed with pages still being written: they are kept, and counted.
        drainWriter();
        m_job.fetched = m_sentFetched;
        m_progress.fetched = m_sentFetched;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (m_store && m_store->isOpen() && m_job.id) {
        SyncError error;
        m_job.state = state;
        if (state != BackfillState::Paused)
            m_job.finishedAt = now;
        if (state == BackfillState::Failed) {
            m_job.errorCategory = categoryName(m_progress.error.category);
            m_job.errorMessage = message;
        }
        m_store->updateJob(m_job, &error);
        if (m_run.id) {
            m_run.outcome = backfillStateName(state);
            m_run.fetched = m_runFetched;
            m_run.message = message;
            m_run.endedAt = now;
            m_store->endRun(m_run, &error);
        }
        m_connection.health = health;
        m_connection.healthDetail = state == BackfillState::Failed ? message : QString();
        if (state == BackfillState::Complete)
            m_connection.lastSyncAt = now;
        m_store->updateConnection(m_connection, &error);
    }
    m_progress.state = state;
    m_progress.health = health;
    m_progress.message = message;
    m_progress.etaSeconds = -1;
    m_progress.retryAt = QDateTime();
    if (state == BackfillState::Complete)
        m_progress.estimatedTotal = m_progress.fetched;
    emitProgress(true);
    emit finished(m_progress);
}

void BackfillWorker::emitProgress(bool force)
{
    const qint64 now = m_clock.isValid() ? m_clock.elapsed() : 0;
    // About ten updates a second at most, so the GUI thread is never flooded.
    if (!force && now - m_lastEmitMs < m_request.progressIntervalMs)
        return;
    m_lastEmitMs = now;
    m_progress.rate = m_estimator.rate();
    if (m_progress.state == BackfillState::Running && m_progress.estimatedTotal >= 0)
        m_progress.etaSeconds = m_estimator.etaSeconds(m_progress.estimatedTotal - m_progress.fetched);
    emit progressChanged(m_progress);
}

} // namespace Lookback
