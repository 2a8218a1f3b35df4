#include "retrypolicy.h"

#include <QRandomGenerator>
#include <algorithm>

namespace Lookback {

RetryPolicy::RetryPolicy(qint64 baseMs, qint64 capMs, int maxAttempts)
    : m_baseMs(baseMs)
    , m_capMs(capMs)
    , m_maxAttempts(maxAttempts)
{
}

qint64 RetryPolicy::delayFor(const SyncError &error, int attempt) const
{
    if (!error.isTransient() || attempt < 1)
        return -1;
    if (m_maxAttempts >= 0 && attempt > m_maxAttempts)
        return -1;
    if (error.retryAfterSeconds >= 0)
        return std::min<qint64>(qint64(error.retryAfterSeconds) * 1000, 3600 * 1000);
    const int shift = std::min(attempt - 1, 20);
    const qint64 exponential = std::min(m_capMs, m_baseMs << shift);
    // Full jitter in the upper half: between 50% and 100% of the exponential step.
    const qint64 half = exponential / 2;
    return half + qint64(QRandomGenerator::global()->bounded(quint64(half) + 1));
}

} // namespace Lookback
