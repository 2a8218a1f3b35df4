// What the drivers that run the engine in-process against a fake provider
// (bench_gmail, bench_graph) do the same way: one timed backfill through
// SyncService, the budget the engine gives a connection, and the time a
// provider's sliding window allows.
//
// Not a test: used by the drivers in bench/ only.
#pragma once

#include "auth/requestbudget.h"
#include "sync/syncprogress.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace Lookback {
class SyncService;
struct ConnectionRecord;
namespace Test {
class OAuthHarness;
}
} // namespace Lookback

namespace Lookback::Bench {

// The time a sliding window of `perWindow` units per `windowMs` allows for
// `needed` units: the first window's worth can all go at t = 0, and each
// further (partial) window's worth only once the one before it has aged out,
// so the last unit goes at (ceil(needed / perWindow) - 1) x windowMs at the
// earliest.
qint64 slidingWindowFloorMs(qint64 needed, qint64 perWindow, qint64 windowMs);

// The budget the engine will use for this connection, as SourceFactory makes it.
RequestBudget::Limits engineBudget(const ConnectionRecord &connection);

// "12.3 s"
QString seconds(qint64 ms);

// The value after argument `i` (which it steps past) as a whole number of at
// least `min`; prints `usage` and dies when it is missing or not one.
int wholeNumberAfter(const QStringList &args, int &i, int min, const std::function<void()> &usage);

// The fake's account signed in through the browser step as `name`, and a
// SyncService open on its archive with the desktop's default options. Dies
// on failure.
struct SignedIn
{
    qint64 id = 0;
    std::unique_ptr<SyncService> service;
    RequestBudget::Limits budget; // the engine's for this connection
};
SignedIn signInAndOpen(Test::OAuthHarness &harness, const QString &name);

struct BackfillRun
{
    bool finished = false; // false: the timeout came first
    qint64 wallMs = 0;     // startBackfill() to `finished` (or to the timeout)
    SyncProgress result;   // the `finished` one
    SyncProgress last;     // the last progress seen
};

// One backfill of everything for connection `id`, timed from startBackfill()
// to its `finished`; every `tickMs` `tick` prints a progress line on stderr.
// Dies when startBackfill() refuses.
BackfillRun runBackfill(SyncService &service, qint64 id, qint64 timeoutMs, int tickMs,
                        const std::function<void(const SyncProgress &last, qint64 elapsedMs)> &tick);

} // namespace Lookback::Bench
