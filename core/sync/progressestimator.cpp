#include "progressestimator.h"

#include <cmath>

namespace Lookback {

ProgressEstimator::ProgressEstimator(qint64 windowMs, qint64 minimumMs)
    : m_windowMs(windowMs)
    , m_minimumMs(minimumMs)
{
}

void ProgressEstimator::reset()
{
    m_samples.clear();
    m_firstMs = -1;
}

void ProgressEstimator::addSample(qint64 timeMs, qint64 fetched)
{
    if (m_firstMs < 0)
        m_firstMs = timeMs;
    if (!m_samples.isEmpty() && timeMs <= m_samples.last().timeMs) {
        m_samples.last().fetched = fetched;
        return;
    }
    m_samples.append({timeMs, fetched});
    // Keep one sample older than the window so the window is always covered.
    while (m_samples.size() > 2 && m_samples.at(1).timeMs < timeMs - m_windowMs)
        m_samples.removeFirst();
}

double ProgressEstimator::rateBetween(const Sample &a, const Sample &b) const
{
    const qint64 dt = b.timeMs - a.timeMs;
    if (dt <= 0)
        return 0.0;
    return double(b.fetched - a.fetched) * 1000.0 / double(dt);
}

double ProgressEstimator::rate() const
{
    if (m_samples.size() < 2)
        return 0.0;
    return rateBetween(m_samples.first(), m_samples.last());
}

bool ProgressEstimator::isStable() const
{
    if (m_samples.size() < 3 || m_samples.last().timeMs - m_firstMs < m_minimumMs)
        return false;
    // Stable when the recent half of the window agrees with the whole of it.
    const Sample &last = m_samples.last();
    const qint64 middleTime = m_samples.first().timeMs + (last.timeMs - m_samples.first().timeMs) / 2;
    int middle = 0;
    while (middle < m_samples.size() - 1 && m_samples.at(middle).timeMs < middleTime)
        ++middle;
    if (middle >= m_samples.size() - 1)
        return false;
    const double whole = rate();
    const double recent = rateBetween(m_samples.at(middle), last);
    if (whole <= 0.0 || recent <= 0.0)
        return false;
    return std::abs(recent - whole) / whole < 0.25;
}

int ProgressEstimator::etaSeconds(qint64 remaining) const
{
    if (!isStable())
        return -1;
    if (remaining <= 0)
        return 0;
    return int(std::ceil(double(remaining) / rate()));
}

} // namespace Lookback
