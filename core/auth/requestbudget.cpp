#include "requestbudget.h"

#include <QElapsedTimer>
#include <QMetaObject>
#include <QObject>

#include <algorithm>

namespace Lookback {

RequestBudget::RequestBudget(const Limits &limits)
    : m_limits(limits)
{
}

qint64 RequestBudget::nowMs()
{
    static const QElapsedTimer clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return clock.elapsed();
}

void RequestBudget::expire(qint64 now)
{
    while (!m_charges.empty() && m_charges.front().atMs <= now - span()) {
        m_windowUnits -= m_charges.front().cost;
        m_charges.pop_front();
    }
}

qint64 RequestBudget::reserve(int cost, qint64 *sendAtMs)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    const qint64 now = nowMs();
    expire(now);
    qint64 at = std::max(now, m_blockedUntilMs);
    if (!m_charges.empty())
        at = std::max(at, m_charges.back().atMs); // first come, first sent
    if (m_limits.unitsPerWindow > 0) {
        // Every charge so far is at or before `at`. Those still inside the
        // window at `at` count; while they and this one do not fit, wait for
        // the oldest to leave it.
        qint64 units = m_windowUnits;
        auto it = m_charges.cbegin();
        for (; it != m_charges.cend() && it->atMs <= at - span(); ++it)
            units -= it->cost;
        for (; it != m_charges.cend() && units + cost > m_limits.unitsPerWindow; ++it) {
            at = std::max(at, it->atMs + span());
            units -= it->cost;
        }
    }
    m_charges.push_back({at, cost});
    m_windowUnits += cost;
    m_unitsCharged += cost;
    if (sendAtMs)
        *sendAtMs = at;
    return at - now;
}

void RequestBudget::blockFor(qint64 ms)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_blockedUntilMs = std::max(m_blockedUntilMs, nowMs() + std::max<qint64>(0, ms));
}

qint64 RequestBudget::blockedForMs() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return std::max<qint64>(0, m_blockedUntilMs - nowMs());
}

bool RequestBudget::tryAcquire()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_limits.maxInFlight > 0 && m_inFlight >= m_limits.maxInFlight)
        return false;
    ++m_inFlight;
    m_peakInFlight = std::max(m_peakInFlight, m_inFlight);
    return true;
}

void RequestBudget::release()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_inFlight = std::max(0, m_inFlight - 1);
    // Every waiter tries again (few: at most a mailbox's requests per source).
    // Posted under the lock, so a context cancelling its waits is either
    // still alive here or no longer listed.
    for (Waiter &w : m_waiters)
        QMetaObject::invokeMethod(w.context, std::move(w.wake), Qt::QueuedConnection);
    m_waiters.clear();
}

quint64 RequestBudget::waitForSlot(QObject *context, std::function<void()> wake)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    const quint64 ticket = m_nextTicket++;
    if (m_limits.maxInFlight <= 0 || m_inFlight < m_limits.maxInFlight) {
        // Freed between the caller's tryAcquire() and now.
        QMetaObject::invokeMethod(context, std::move(wake), Qt::QueuedConnection);
        return ticket;
    }
    m_waiters.push_back({ticket, context, std::move(wake)});
    return ticket;
}

void RequestBudget::cancelWait(quint64 ticket)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_waiters.erase(std::remove_if(m_waiters.begin(), m_waiters.end(),
                                   [ticket](const Waiter &w) { return w.ticket == ticket; }),
                    m_waiters.end());
}

qint64 RequestBudget::unitsCharged() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_unitsCharged;
}

int RequestBudget::peakInFlight() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_peakInFlight;
}

} // namespace Lookback
