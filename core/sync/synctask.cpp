#include "synctask.h"

#include "archive/archivestore.h"
#include "auth/signin.h"
#include "common/logging.h"
#include "source/sourcefactory.h"
#include "sync/storeview.h"

#include <QLocale>
#include <QThread>
#include <QTimer>

namespace Lookback {

SyncTask::SyncTask(const SyncTaskRequest &request)
    : m_request(request)
    , m_retry(request.options.retryBaseMs, request.options.retryCapMs, -1)
{
    qRegisterMetaType<Lookback::SyncProgress>();
    qRegisterMetaType<Lookback::SyncError>();
}

SyncTask::~SyncTask()
{
    ++m_generation;
    delete m_source;
    m_view.reset();
    m_read.reset();
}

SyncError SyncTask::writePlan(const FolderRecord &folder, const FolderPlan &plan, const FolderCursor *cursor)
{
    PageWrite w;
    w.connectionId = m_connection.id;
    w.folderId = folder.id;
    if (cursor) {
        w.jobId = m_job.id;
        w.hasCursor = true;
        w.cursor = *cursor;
    }
    w.hasFolderState = true;
    w.folderState = plan.folderState;
    w.forgetLocationIds = plan.forgetLocationIds;
    return write([&w](ArchiveStore &s) {
        SyncError e;
        PageOutcome o;
        s.writePage(w, &o, &e);
        return e;
    });
}

SyncError SyncTask::write(std::function<SyncError(ArchiveStore &)> work)
{
    return m_request.writer->run(std::move(work));
}

void SyncTask::start()
{
    m_clock.start();
    m_retryTimer = new QTimer(this);
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &SyncTask::connectSource);
    m_pageSize = std::max(1, m_request.options.pageSize);
    m_stream.id = ArchiveWriter::newStreamId();

    m_progress.connectionId = m_request.connectionId;
    m_progress.kind = m_request.kind;
    m_progress.range = m_request.range;
    m_read = std::make_unique<ArchiveStore>(m_request.archivePath);
    SyncError error;
    if (!m_request.writer || !m_read->open(&error)) {
        m_progress.error = error.isError() ? error : SyncError::make(ErrorCategory::Storage, tr("No archive writer"));
        finish(BackfillState::Failed, Health::Failed, m_progress.error.message);
        return;
    }
    if (!m_read->connectionById(m_request.connectionId, &m_connection)) {
        m_progress.error = SyncError::make(ErrorCategory::Configuration, tr("No such connection"));
        finish(BackfillState::Failed, Health::Failed, m_progress.error.message);
        return;
    }

    if (m_request.kind == TaskKind::Backfill) {
        BackfillJobRecord latest;
        const bool haveLatest = m_read->latestJob(m_connection.id, &latest);
        const bool unfinished = haveLatest && (latest.state == BackfillState::Running
                                               || latest.state == BackfillState::Paused
                                               || latest.state == BackfillState::Failed);
        if (m_request.continueLatest && unfinished && latest.range.days == m_request.range.days) {
            // Resume: same job, same fixed range start, so a resume next week does not drift.
            m_job = latest;
            for (const FolderCursor &c : m_read->cursors(m_job.id))
                m_cursors.insert(c.role, c);
        } else {
            if (unfinished) {
                latest.state = BackfillState::Cancelled;
                latest.finishedAt = QDateTime::currentDateTimeUtc();
                latest.errorMessage = tr("Replaced by a backfill of another range");
                latest.interrupted = false;
                error = write([&latest](ArchiveStore &s) {
                    SyncError e;
                    s.updateJob(latest, &e);
                    return e;
                });
            }
            m_job = BackfillJobRecord();
            m_job.connectionId = m_connection.id;
            m_job.range = m_request.range;
            m_job.startedAt = QDateTime::currentDateTimeUtc();
            m_job.rangeStart = m_request.range.startFor(m_job.startedAt);
            if (!error.isError()) {
                error = write([this](ArchiveStore &s) {
                    SyncError e;
                    s.createJob(&m_job, &e);
                    return e;
                });
            }
        }
        m_job.state = BackfillState::Running;
        m_job.errorCategory.clear();
        m_job.errorMessage.clear();
        m_job.interrupted = false;
        if (!error.isError()) {
            error = write([this](ArchiveStore &s) {
                SyncError e;
                s.updateJob(m_job, &e);
                return e;
            });
        }
        if (error.isError()) {
            m_progress.error = error;
            finish(BackfillState::Failed, Health::Failed, error.message);
            return;
        }
        m_progress.jobId = m_job.id;
        m_progress.range = m_job.range;
        m_progress.fetched = m_job.fetched;
        m_progress.estimatedTotal = m_job.estimatedTotal;
        m_progress.unreadable = m_read->failureCount(m_connection.id, m_job.id);
    }
    beginRun();
    connectSource();
}

void SyncTask::beginRun()
{
    m_run = SyncRunRecord();
    m_run.connectionId = m_connection.id;
    m_run.kind = m_request.kind == TaskKind::Backfill ? QStringLiteral("backfill") : QStringLiteral("live");
    m_run.startedAt = QDateTime::currentDateTimeUtc();
    write([this](ArchiveStore &s) {
        SyncError e;
        if (s.beginRun(&m_run, &e))
            s.setHealth(m_connection.id, Health::Syncing, QString(), &e);
        return e;
    });
    if (!m_view)
        m_view = std::make_unique<StoreView>(m_read.get(), m_run.startedAt);
    else
        m_view->setRunStart(m_run.startedAt);
    m_progress.state = BackfillState::Running;
    m_progress.health = Health::Syncing;
    m_progress.message.clear();
    m_attemptsWithoutProgress = 0;
    m_estimator.reset();
    emitProgress(true);
}

void SyncTask::dropSource()
{
    if (!m_source)
        return;
    MailSource *source = m_source;
    m_source = nullptr;
    source->close();
    source->deleteLater();
}

void SyncTask::connectSource()
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
    m_storedThisAttempt = false;
    m_fetching = false;
    m_live = false;
    SourceContext context;
    context.connection = m_connection;
    context.signIn = m_request.signIn;
    context.archive = m_view.get();
    context.timeoutMs = m_request.options.timeoutMs;
    SyncError error;
    m_source = SourceFactory::createSource(context, this, &error);
    if (!m_source) {
        m_progress.error = error;
        finish(BackfillState::Failed, Health::Failed, error.message);
        return;
    }
    m_source->open([this, gen](const SyncError &e) {
        if (!guard(gen))
            return;
        if (e.isError()) {
            handleError(e);
            return;
        }
        m_everConnected = true;
        ensureFolders();
    });
}

void SyncTask::ensureFolders()
{
    m_folders.clear();
    for (const SourceFolder &f : m_source->folders()) {
        FolderRecord folder;
        const SyncError error = write([&](ArchiveStore &s) {
            SyncError e;
            s.ensureFolder(m_connection.id, f.role, f.remoteName, &folder, &e);
            return e;
        });
        if (error.isError()) {
            handleError(error);
            return;
        }
        m_folders << folder;
    }
    if (m_folders.size() < 2)
        qCWarning(lcSync) << "no Sent folder found for connection" << m_connection.id << "- syncing Inbox only";
    if (m_request.kind == TaskKind::CatchUp)
        catchUpNext(0);
    else
        planNext(0);
}

int SyncTask::folderIndex(const QString &role) const
{
    for (int i = 0; i < m_folders.size(); ++i) {
        if (m_folders.at(i).role == role)
            return i;
    }
    return -1;
}

void SyncTask::planNext(int index)
{
    if (index >= m_folders.size()) {
        m_job.estimatedTotal = m_job.fetched + remaining();
        m_progress.estimatedTotal = m_job.estimatedTotal;
        write([this](ArchiveStore &s) {
            SyncError e;
            s.updateJob(m_job, &e);
            return e;
        });
        m_estimator.addSample(m_clock.elapsed(), m_job.fetched);
        emitProgress(true);
        scheduleNext(&SyncTask::fetchNext);
        return;
    }
    const FolderRecord folder = m_folders.at(index);
    const FolderCursor stored = m_cursors.value(folder.role);
    const quint64 gen = m_generation;
    m_source->planBackfill(folder, m_job.rangeStart, stored.state,
                           [this, gen, index, folder, stored](const SyncError &error, const FolderPlan &plan) {
        if (!guard(gen))
            return;
        if (error.isError()) {
            handleError(error);
            return;
        }
        FolderCursor cursor = stored;
        cursor.jobId = m_job.id;
        cursor.folderId = folder.id;
        cursor.role = folder.role;
        cursor.state = plan.cursor;
        cursor.done = plan.pending == 0;
        cursor.total = plan.totalInRange;
        if (!plan.exact)
            m_estimated = true;
        // The cursor and the folder's live position are stored before page 1.
        const SyncError storeError = writePlan(folder, plan, &cursor);
        if (storeError.isError()) {
            handleError(storeError);
            return;
        }
        m_folders[index].sourceState = plan.folderState;
        m_cursors.insert(folder.role, cursor);
        planNext(index + 1);
    });
}

qint64 SyncTask::remaining() const
{
    qint64 n = 0;
    if (m_source) {
        for (const FolderRecord &f : m_folders)
            n += m_source->pending(f.role);
    }
    return n;
}

void SyncTask::scheduleNext(void (SyncTask::*step)())
{
    // One page per event-loop turn: queued pause/cancel/stop are seen between pages.
    QMetaObject::invokeMethod(this, step, Qt::QueuedConnection);
}

QString SyncTask::nextRole() const
{
    for (const FolderRecord &f : m_folders) {
        if (m_source->hasMore(f.role))
            return f.role;
    }
    return {};
}

void SyncTask::requestPage(const QString &role)
{
    m_fetching = true;
    m_progress.currentFolder = role;
    const quint64 gen = m_generation;
    m_source->fetchPage(role, m_pageSize, [this, gen, role](const SyncError &error, const SourcePage &page) {
        if (!guard(gen))
            return;
        if (page.settled > 0 || page.hasFolderState || !page.messages.isEmpty() || !page.failures.isEmpty())
            submitPage(page, role, m_live);
        onPage(error, page, gen, m_live);
    });
}

void SyncTask::fetchNext()
{
    if (m_finished || !m_source || m_fetching)
        return;
    if (m_stopRequested || m_pauseRequested) {
        if (m_queued == 0)
            enterPaused();
        return;
    }
    if (m_live) {
        fetchLive(m_liveIndex);
        return;
    }
    const QString role = nextRole();
    if (role.isEmpty()) {
        if (m_queued > 0)
            return; // pump() comes back once the writer is done
        if (m_request.options.catchUpLive)
            catchUpNext(0);
        else
            complete();
        return;
    }
    requestPage(role);
}

void SyncTask::submitPage(const SourcePage &page, const QString &role, bool live)
{
    const int index = folderIndex(role);
    if (index < 0)
        return;
    PageWrite w;
    w.connectionId = m_connection.id;
    w.folderId = m_folders.at(index).id;
    w.jobId = m_request.kind == TaskKind::Backfill ? m_job.id : 0;
    w.runId = m_run.id;
    w.messages = page.messages;
    w.failures = page.failures;
    if (!live && m_request.kind == TaskKind::Backfill) {
        FolderCursor &cursor = m_cursors[role];
        cursor.state = page.cursor;
        cursor.done = !page.hasMore;
        w.hasCursor = true;
        w.cursor = cursor;
    }
    if (page.hasFolderState) {
        w.hasFolderState = true;
        w.folderState = page.folderState;
        m_folders[index].sourceState = page.folderState;
    }
    ++m_queued;
    const quint64 epoch = m_stream.epoch;
    m_request.writer->submit(w, m_stream, this, [this, epoch](const SyncError &error, const PageOutcome &outcome) {
        onWritten(error, outcome, epoch);
    });
}

void SyncTask::onPage(const SyncError &error, const SourcePage &page, quint64 generation, bool live)
{
    if (!guard(generation))
        return;
    m_fetching = false;
    m_progress.bytesRead += page.bytes;
    if (error.isError()) {
        handleError(error);
        return;
    }
    // A page that went through: the next may be larger again.
    m_pageSize = std::min(std::max(1, m_request.options.pageSize), m_pageSize * 2);
    Q_UNUSED(live)
    pump();
}

void SyncTask::onWritten(const SyncError &error, const PageOutcome &outcome, quint64 epoch)
{
    --m_queued;
    if (m_finished)
        return;
    if (epoch != m_stream.epoch) {
        pump(); // behind a page that failed: not written, as it must not be
        return;
    }
    if (error.isError()) {
        // Nothing behind this page may be written: its cursor assumed this one.
        ++m_stream.epoch;
        m_progress.error = error;
        if (m_queued > 0)
            m_request.writer->drain();
        finish(BackfillState::Failed, Health::Failed, error.message);
        return;
    }
    m_job.fetched += outcome.inserted;
    m_progress.fetched += outcome.inserted;
    if (outcome.failed > 0)
        m_progress.unreadable = m_read->failureCount(m_connection.id, m_request.kind == TaskKind::Backfill ? m_job.id : 0);
    if (outcome.settled() > 0 || outcome.stale > 0) {
        m_storedThisAttempt = true;
        m_attemptsWithoutProgress = 0;
    }
    if (!m_progress.retryAt.isValid()) {
        m_progress.health = Health::Syncing;
        m_progress.error = SyncError();
    }
    if (m_estimated && m_queued == 0 && m_source && m_request.kind == TaskKind::Backfill) {
        // "≈": the provider's estimate, corrected by what the pages showed.
        m_progress.estimatedTotal = m_progress.fetched + remaining();
    }
    m_estimator.addSample(m_clock.elapsed(), m_progress.fetched);
    emitProgress(false);
    if (m_queued == 0 && m_deferredError.isError()) {
        const SyncError deferred = std::exchange(m_deferredError, SyncError());
        handleError(deferred);
        return;
    }
    pump();
}

void SyncTask::pump()
{
    if (m_finished)
        return;
    if (m_deferredError.isError()) {
        if (m_queued == 0) {
            const SyncError deferred = std::exchange(m_deferredError, SyncError());
            handleError(deferred);
        }
        return;
    }
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
            scheduleNext(&SyncTask::fetchNext);
        else
            enterPaused(); // waiting to retry: nothing left in flight
        return;
    }
    if (!m_source || m_fetching)
        return;
    if (m_live) {
        if (m_queued == 0)
            scheduleNext(&SyncTask::fetchNext);
        return;
    }
    const QString role = nextRole();
    if (role.isEmpty()) {
        if (m_queued == 0)
            scheduleNext(&SyncTask::fetchNext); // on to the live catch-up
        return;
    }
    if (m_queued < kMaxQueued)
        requestPage(role);
}

void SyncTask::catchUpNext(int index)
{
    if (index >= m_folders.size()) {
        complete();
        return;
    }
    m_live = true;
    m_liveIndex = index;
    const quint64 gen = m_generation;
    const FolderRecord folder = m_folders.at(index);
    m_source->planLive(folder, [this, gen, index, folder](const SyncError &error, const FolderPlan &plan) {
        if (!guard(gen))
            return;
        if (error.isError()) {
            handleError(error);
            return;
        }
        if (!plan.folderState.isEmpty() && plan.folderState != folder.sourceState) {
            const SyncError storeError = writePlan(folder, plan, nullptr);
            if (storeError.isError()) {
                handleError(storeError);
                return;
            }
            m_folders[index].sourceState = plan.folderState;
        }
        if (plan.pending > 0) {
            m_progress.estimatedTotal = std::max<qint64>(m_progress.estimatedTotal, m_progress.fetched) + plan.pending;
            emitProgress(true);
        } else if (m_request.kind == TaskKind::CatchUp && m_progress.estimatedTotal < 0) {
            m_progress.estimatedTotal = m_progress.fetched;
        }
        fetchLive(index);
    });
}

void SyncTask::fetchLive(int index)
{
    if (m_finished || !m_source || m_fetching)
        return;
    if (m_stopRequested || m_pauseRequested) {
        if (m_queued == 0)
            enterPaused();
        return;
    }
    const QString role = m_folders.at(index).role;
    if (!m_source->hasMore(role)) {
        if (m_queued == 0)
            catchUpNext(index + 1);
        return;
    }
    requestPage(role);
}

void SyncTask::complete()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QString message;
    if (m_request.kind == TaskKind::Backfill) {
        // Coverage: every message of the range in these folders is archived
        // (or recorded as unreadable), up to now thanks to the live catch-up.
        write([this, now](ArchiveStore &s) {
            SyncError e;
            for (const FolderRecord &f : m_folders) {
                if (!s.addCoverage(f.id, m_job.rangeStart, now, &e))
                    break;
            }
            return e;
        });
        // No %n here: lookback-cli prints this without loading a translation.
        const int days = m_job.range.days;
        const QString what = m_job.range.isEverything() ? tr("all mail")
            : days == 1 ? tr("the last day") : tr("the last %1 days").arg(days);
        message = m_progress.fetched == 1 ? tr("Sync complete — 1 message from %1").arg(what)
                                          : tr("Sync complete — %1 messages from %2")
                                                .arg(QLocale().toString(m_progress.fetched), what);
    } else {
        // Live sync saw everything after the folder's live position: what was
        // complete up to the last sync is complete up to now.
        write([this, now](ArchiveStore &s) {
            SyncError e;
            for (const FolderRecord &f : m_folders) {
                const QVector<CoverageInterval> covered = s.coverage(f.id);
                if (!covered.isEmpty() && !s.addCoverage(f.id, covered.last().end, now, &e))
                    break;
            }
            return e;
        });
        message = m_progress.fetched == 0 ? tr("Up to date")
            : m_progress.fetched == 1     ? tr("Up to date — 1 new message")
                                          : tr("Up to date — %1 new messages").arg(QLocale().toString(m_progress.fetched));
    }
    if (m_progress.unreadable > 0)
        message += m_progress.unreadable == 1 ? tr("; 1 message could not be read")
                                              : tr("; %1 messages could not be read").arg(QLocale().toString(m_progress.unreadable));
    finish(BackfillState::Complete, Health::Healthy, message);
}

void SyncTask::enterPaused()
{
    m_retryTimer->stop();
    ++m_generation;
    dropSource();
    const QString message = tr("Paused after %1 messages").arg(QLocale().toString(m_progress.fetched));
    if (m_stopRequested) {
        finish(BackfillState::Paused, Health::Paused, message);
        return;
    }
    m_paused = true;
    m_pauseRequested = false;
    m_job.state = BackfillState::Paused;
    m_run.outcome = QStringLiteral("paused");
    m_run.message = message;
    write([this, message](ArchiveStore &s) {
        SyncError e;
        if (m_job.id)
            s.updateJob(m_job, &e);
        s.endRun(m_run, &e);
        s.setHealth(m_connection.id, Health::Paused, QString(), &e);
        return e;
    });
    m_progress.state = BackfillState::Paused;
    m_progress.health = Health::Paused;
    m_progress.message = message;
    m_progress.etaSeconds = -1;
    m_progress.retryAt = QDateTime();
    emitProgress(true);
}

void SyncTask::pause()
{
    if (m_finished || m_paused)
        return;
    m_pauseRequested = true;
    if (m_retryTimer && m_retryTimer->isActive() && m_queued == 0)
        enterPaused(); // waiting to retry: nothing in flight, pause now
}

void SyncTask::resume()
{
    if (m_finished)
        return;
    if (!m_paused) {
        m_pauseRequested = false; // pause asked but not yet reached: simply carry on
        return;
    }
    m_paused = false;
    m_job.state = BackfillState::Running;
    if (m_job.id) {
        write([this](ArchiveStore &s) {
            SyncError e;
            s.updateJob(m_job, &e);
            return e;
        });
    }
    beginRun();
    connectSource();
}

void SyncTask::cancel()
{
    if (m_finished)
        return;
    ++m_generation; // the page being fetched is dropped, never half-stored
    if (m_queued > 0) {
        // Pages already fetched are still written: what was pulled stays, and is counted.
        m_request.writer->drain();
        BackfillJobRecord stored;
        if (m_job.id && m_read->latestJob(m_connection.id, &stored) && stored.id == m_job.id)
            m_progress.fetched = m_job.fetched = stored.fetched;
    }
    finish(BackfillState::Cancelled, Health::Healthy,
           tr("Cancelled — %1 messages kept").arg(QLocale().toString(m_progress.fetched)));
}

void SyncTask::stop()
{
    if (m_finished)
        return;
    m_stopRequested = true;
    if (m_paused || (((m_retryTimer && m_retryTimer->isActive()) || !m_source) && m_queued == 0 && !m_fetching))
        enterPaused();
}

void SyncTask::stopForQuit()
{
    m_interrupted = true;
    stop();
}

void SyncTask::handleError(const SyncError &error)
{
    if (m_finished)
        return;
    if (m_queued > 0) {
        // Pages of this attempt are still being written; decide once they are,
        // knowing whether the attempt stored anything.
        m_deferredError = error;
        ++m_generation;
        dropSource();
        return;
    }
    if (m_connection.parentId > 0 && error.category == ErrorCategory::AuthExpired) {
        // A shared mailbox signs in as its parent: the parent must reconnect,
        // and its card says so even when it is not syncing itself.
        ConnectionRecord parent;
        const QString owner = m_read->connectionById(m_connection.parentId, &parent) ? parent.username
                                                                                    : tr("the personal connection");
        const qint64 parentId = m_connection.parentId;
        const QString reason = error.message;
        write([parentId, reason](ArchiveStore &s) {
            SyncError e;
            s.setHealth(parentId, Health::NeedsReconnect, reason, &e);
            return e;
        });
        SyncError waiting = SyncError::make(ErrorCategory::WaitingOnParent,
                                            tr("Waiting on %1 — reconnect it").arg(owner));
        handleError(waiting);
        return;
    }
    qCInfo(lcSync) << "connection" << m_connection.id << categoryName(error.category) << error.message;
    m_progress.error = error;
    if (m_storedThisAttempt) {
        m_attemptsWithoutProgress = 0;
        m_throttledInARow = 0;
    } else if (error.category == ErrorCategory::Throttled) {
        ++m_throttledInARow;
    } else {
        ++m_attemptsWithoutProgress;
    }
    m_storedThisAttempt = false;
    // The bad-link policy: smaller pages after a failure. A reply we cannot
    // accept may be one message's fault: try one message at a time.
    m_pageSize = error.category == ErrorCategory::Protocol ? 1 : std::max(1, m_pageSize / 2);

    const bool protocolRetry = error.category == ErrorCategory::Protocol && m_everConnected
        && m_attemptsWithoutProgress < kMaxProtocolAttempts;
    if (!error.isTransient() && !protocolRetry) {
        finish(BackfillState::Failed, healthForError(error.category), error.message);
        return;
    }
    if (!m_everConnected && !m_request.options.retryFirstConnect) {
        finish(BackfillState::Failed, healthForError(error.category), error.message);
        return;
    }
    const int limit = m_request.options.maxAttemptsWithoutProgress;
    if (limit >= 0 && m_attemptsWithoutProgress >= limit) {
        const QString message = m_attemptsWithoutProgress > 1
            ? tr("%1, %2 times in a row").arg(error.message).arg(m_attemptsWithoutProgress)
            : error.message;
        m_progress.error.message = message;
        finish(BackfillState::Failed, healthForError(error.category), message);
        return;
    }
    if (m_stopRequested || m_pauseRequested) {
        enterPaused();
        return;
    }
    SyncError forBackoff = error;
    if (!forBackoff.isTransient())
        forBackoff.category = ErrorCategory::Network;
    const qint64 delay = m_retry.delayFor(forBackoff, std::max(1, m_attemptsWithoutProgress + m_throttledInARow));
    ++m_generation;
    dropSource();
    m_progress.health = healthForError(error.category);
    m_progress.retryAt = QDateTime::currentDateTime().addMSecs(delay);
    m_progress.etaSeconds = -1;
    write([this, error](ArchiveStore &s) {
        SyncError e;
        s.setHealth(m_connection.id, m_progress.health, error.message, &e);
        return e;
    });
    emitProgress(true);
    m_retryTimer->start(int(delay));
}

void SyncTask::finish(BackfillState state, Health health, const QString &message)
{
    if (m_finished)
        return;
    m_finished = true;
    ++m_generation;
    if (m_retryTimer)
        m_retryTimer->stop();
    dropSource();
    if (m_queued > 0 && m_request.writer) {
        // Failed or stopped with pages still being written: they are kept, and counted.
        m_request.writer->drain();
        BackfillJobRecord stored;
        if (m_job.id && m_read->latestJob(m_connection.id, &stored) && stored.id == m_job.id)
            m_progress.fetched = m_job.fetched = stored.fetched;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (m_read && m_read->isOpen() && m_connection.id && m_request.writer) {
        m_job.state = state;
        if (state != BackfillState::Paused)
            m_job.finishedAt = now;
        m_job.interrupted = state == BackfillState::Paused && m_interrupted;
        if (state == BackfillState::Failed) {
            m_job.errorCategory = categoryName(m_progress.error.category);
            m_job.errorMessage = message;
        }
        m_run.outcome = backfillStateName(state);
        m_run.message = message;
        m_run.endedAt = now;
        write([&](ArchiveStore &s) {
            SyncError e;
            if (m_job.id)
                s.updateJob(m_job, &e);
            if (m_run.id)
                s.endRun(m_run, &e);
            ConnectionRecord c;
            if (s.connectionById(m_connection.id, &c)) {
                c.health = health;
                c.healthDetail = state == BackfillState::Failed ? message : QString();
                if (state == BackfillState::Complete)
                    c.lastSyncAt = now;
                s.updateConnection(c, &e);
            }
            return e;
        });
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

void SyncTask::emitProgress(bool force)
{
    const qint64 now = m_clock.isValid() ? m_clock.elapsed() : 0;
    // About ten updates a second at most, so the GUI thread is never flooded.
    if (!force && now - m_lastEmitMs < m_request.options.progressIntervalMs)
        return;
    m_lastEmitMs = now;
    m_progress.rate = m_estimator.rate();
    if (m_progress.state == BackfillState::Running && m_progress.estimatedTotal >= 0)
        m_progress.etaSeconds = m_estimator.etaSeconds(m_progress.estimatedTotal - m_progress.fetched);
    emit progressChanged(m_progress);
}

} // namespace Lookback
