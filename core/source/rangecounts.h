#pragma once

#include "common/syncerror.h"

#include <QMap>
#include <QMetaType>

namespace Lookback {

// What each choice of the range picker would fetch, counted at the provider.
// Counts are Inbox + Sent (a message in both may count twice; the backfill
// stores it once); providers count whole days or estimate, so these are
// estimates, not the exact backfill plan. -1 means unknown.
struct RangeCounts
{
    SyncError error;
    qint64 last30 = -1;
    qint64 last90 = -1;
    qint64 last365 = -1;
    qint64 everything = -1;
    // Measured at the provider: the newest messages fetched the way the
    // backfill fetches them, per second of wall time. 0 when nothing was measured.
    double messagesPerSecond = 0;
    QMap<int, qint64> byDays; // the customDays asked for, and 30/90/365

    bool ok() const { return !error.isError(); }
    // The count for a number of days (< 0: everything), -1 when it was not counted.
    qint64 countFor(int days) const;
};

} // namespace Lookback

Q_DECLARE_METATYPE(Lookback::RangeCounts)
