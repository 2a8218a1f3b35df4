#pragma once

#include "archive/records.h"
#include "common/health.h"
#include "common/syncerror.h"

#include <QDateTime>
#include <QMetaType>

namespace Lookback {

// What a sync task does: pull a range of history (a backfill job, which can
// pause and resume across runs), or fetch what arrived since the last sync.
enum class TaskKind { Backfill, CatchUp };

// A snapshot of a connection's sync, for cards, the CLI and logs.
struct SyncProgress
{
    qint64 connectionId = 0;
    TaskKind kind = TaskKind::Backfill;
    qint64 jobId = 0;               // the backfill job; 0 for a catch-up or a connection never backfilled
    BackfillRange range;
    BackfillState state = BackfillState::Running;
    Health health = Health::Syncing;
    qint64 fetched = 0;             // messages this job (or catch-up) added to the archive
    qint64 estimatedTotal = -1;     // "~M", -1 while counting
    qint64 unreadable = 0;          // messages that could not be read (recorded, retried next run)
    double rate = 0.0;              // messages per second
    int etaSeconds = -1;            // -1 until the rate is stable
    qint64 bytesRead = 0;
    QString currentFolder;
    QDateTime retryAt;              // when throttled or offline
    SyncError error;                // the last error (cause of Failed, or of the current wait)
    QString message;                // the outcome, in words, once finished
};

// How a task behaves; the desktop program and the CLI choose differently.
struct SyncOptions
{
    int pageSize = 500;             // the largest page; pages shrink on a bad link and grow back
    bool retryFirstConnect = true;  // the CLI reports an unreachable server at once instead
    // Attempts in a row that stored nothing before the task gives up; -1 = never (the desktop keeps trying).
    int maxAttemptsWithoutProgress = -1;
    bool catchUpLive = true;        // fetch mail that arrived during the backfill before finishing
    int progressIntervalMs = 100;   // at most ~10 progress signals a second; 0 = every page
    int retryBaseMs = 1000;         // first backoff step (then doubling, jittered, capped)
    int retryCapMs = 5 * 60 * 1000;
    int timeoutMs = 60000;          // a provider silent this long while we wait counts as offline
};

} // namespace Lookback

Q_DECLARE_METATYPE(Lookback::SyncProgress)
