#pragma once

#include <QVector>
#include <QtGlobal>

namespace Lookback {

// Rate and ETA of a backfill from (time, fetched) samples. The ETA is only
// given once the rate is stable, so the card never shows a number that jumps
// from 2 minutes to 40 and back.
//
// Thread: any, but one instance is used from one thread. Owner: its worker.
class ProgressEstimator
{
public:
    // Window over which the rate is measured, and how long before an ETA is trusted.
    explicit ProgressEstimator(qint64 windowMs = 60000, qint64 minimumMs = 15000);

    void reset();
    void addSample(qint64 timeMs, qint64 fetched);
    // Messages per second over the window, 0 before two samples.
    double rate() const;
    bool isStable() const;
    // Seconds left for `remaining` messages; -1 while the rate is not stable.
    int etaSeconds(qint64 remaining) const;

private:
    struct Sample { qint64 timeMs; qint64 fetched; };
    double rateBetween(const Sample &a, const Sample &b) const;

    qint64 m_windowMs;
    qint64 m_minimumMs;
    QVector<Sample> m_samples;
    qint64 m_firstMs = -1;
};

} // namespace Lookback
