// What the drivers that run the engine in-process against a fake provider
// (bench_gmail, bench_graph) do the same way: one timed backfill through
// SyncService, the budget the engine gives a connection, and the time a
// provider's sliding window allows.
//
// Not a test: used by the drivers in bench/ only.
#pragma once

#include "auth/requestbudget.h"
#include "common/providerkind.h"
#include "sync/syncprogress.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace Lookback {
class SyncService;
struct ConnectionRecord;
namespace Test {
class KeyringSession;
class OAuthHarness;
} // namespace Test
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
// Every new sign-in of `kind` gets a budget of `limits` (a scaled-down quota).
void useBudget(ProviderKind kind, const RequestBudget::Limits &limits);

// Starts the keychain session and the harness's fake (`fakeName` in the
// message when it cannot); dies on failure.
void startKeyringAndFake(Test::KeyringSession &keyring, Test::OAuthHarness &harness, const QString &fakeName);

// "12.3 s"
QString seconds(qint64 ms);

// The value after argument `i` (which it steps past) as a whole number of at
// least `min`; prints `usage` and dies when it is missing or not one.
int wholeNumberAfter(const QStringList &args, int &i, int min, const std::function<void()> &usage);

// The arguments every driver takes: --help, --messages N, --timeout-s S,
// --request-log FILE, --quick.
struct DriverOptions
{
    int messages = 6000;
    bool sized = false; // --messages was given (--quick leaves it then)
    int timeoutS = 0;   // 0: from the provider's limits
    bool quick = false;
    QString requestLog; // the fake's request log, one line a request
};
// Reads argument `i` (and its value, stepping past it) into `o` when it is
// one of those; false when it is not. --help prints `usage` and exits.
bool readDriverOption(const QStringList &args, int &i, DriverOptions &o, const std::function<void()> &usage);

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
    qint64 wallMs = 0;     // startBackfill() to `finished`
    SyncProgress result;   // the `finished` one
};

// One backfill of everything for connection `id`, timed from startBackfill()
// to its `finished`; every `tickMs` `tick` prints a progress line on stderr.
// Dies when startBackfill() refuses, or when `timeoutMs` passes first (saying
// how many of the `expected` messages were archived by then).
BackfillRun runBackfill(SyncService &service, qint64 id, qint64 expected, qint64 timeoutMs, int tickMs,
                        const std::function<void(const SyncProgress &last, qint64 elapsedMs)> &tick);

} // namespace Lookback::Bench
