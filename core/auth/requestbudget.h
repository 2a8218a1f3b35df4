#pragma once

#include <QtGlobal>

#include <deque>
#include <functional>
#include <mutex>
#include <vector>

class QObject;

namespace Lookback {

// What an account may ask of its provider, shared by every source that uses
// the account's sign-in (a shared mailbox uses its parent's): request units in
// a sliding window, how many requests may be in flight, and a time before
// which nothing is sent at all (the provider's Retry-After).
//
// Keeping under the provider's limit is the point: the budget spreads
// requests out so the provider never has to refuse one. A refusal still
// happens (another client of the same account spends the same quota); then
// blockFor() stops every user of the budget until the time the provider gave.
//
// Thread: thread-safe; used from every sync task's thread. Owner: shared
// (std::shared_ptr) by the account's SignIn and the sources it serves.
class RequestBudget
{
public:
    struct Limits
    {
        int unitsPerWindow = 0; // 0: no unit limit
        qint64 windowMs = 60000;
        int maxInFlight = 0;    // 0: no limit on concurrent requests
        // The provider counts a request when it arrives and handles it, a
        // little after we send it, and a request's parts (a batch) over time:
        // each charge is kept this much longer than the window, so a window
        // the provider sees never holds more than ours.
        qint64 slackMs = 0;
    };

    explicit RequestBudget(const Limits &limits);

    Limits limits() const { return m_limits; }

    // Charges `cost` units and answers how many milliseconds from now the
    // request must wait before it is sent (0: at once). The units count from
    // that moment, so callers that wait as told never exceed the window.
    // `sendAtMs`, when given, is that moment on nowMs()'s clock.
    qint64 reserve(int cost, qint64 *sendAtMs = nullptr);
    // The provider refused with a Retry-After (or we back off): nothing is sent
    // by any user of this budget for `ms` milliseconds.
    void blockFor(qint64 ms);
    // Milliseconds until the block ends; 0 when not blocked.
    qint64 blockedForMs() const;

    // Concurrency: a request in flight holds a slot. False when all are taken.
    bool tryAcquire();
    void release();
    // After a failed tryAcquire(): `wake` runs once, queued on `context`'s
    // thread, after the next release() (then try again; another user may have
    // been quicker). The ticket cancels the wait; a user must cancel its
    // waits before `context` is destroyed.
    quint64 waitForSlot(QObject *context, std::function<void()> wake);
    void cancelWait(quint64 ticket);

    // For benchmarks and tests.
    qint64 unitsCharged() const;
    int peakInFlight() const;

    // Monotonic milliseconds, the clock every budget uses.
    static qint64 nowMs();

private:
    struct Charge
    {
        qint64 atMs;
        int cost;
    };
    void expire(qint64 now);
    qint64 span() const { return m_limits.windowMs + m_limits.slackMs; }

    Limits m_limits;
    mutable std::mutex m_mutex;
    std::deque<Charge> m_charges; // by time, non-decreasing
    qint64 m_windowUnits = 0;     // sum of m_charges' costs
    qint64 m_blockedUntilMs = 0;
    qint64 m_unitsCharged = 0;
    int m_inFlight = 0;
    int m_peakInFlight = 0;
    struct Waiter
    {
        quint64 ticket;
        QObject *context;
        std::function<void()> wake;
    };
    std::vector<Waiter> m_waiters;
    quint64 m_nextTicket = 1;
};

} // namespace Lookback
