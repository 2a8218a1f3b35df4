#pragma once

#include "source/rangecounts.h"

#include <QByteArray>
#include <QList>
#include <QVector>

#include <functional>

class QObject;

namespace Lookback {

class SignIn;

// What one counting request answered: a count, or an error (status 401: the
// access token was refused, and the sign-in is asked for a new one once).
struct CountAnswer
{
    int status = 200;
    SyncError error;
    qint64 count = 0;
};

// One counting request of a range (days < 0: everything); the counts of the
// requests of one range (Inbox, Sent) are added up.
struct RangeCountCall
{
    int days = 0;
    std::function<void(const QByteArray &accessToken, std::function<void(const CountAnswer &)> answered)> send;
};

// Which counts a provider gives exactly: a longer range never shows fewer
// messages than a shorter one, and the exact ones bound the estimates.
enum class ExactCounts {
    Ranges,     // e.g. Graph's @odata.count; everything (totalItemCount) is at least the longest range
    Everything, // e.g. Gmail's label totals; no range shows more than everything
};

// The choices of the range picker: 30, 90 and 365 days and the custom ones.
QList<int> rangePickerDays(const QList<int> &customDays);

// Runs `calls` one after another, each with the sign-in's current access
// token (a 401 refreshes it once per count), and answers the sums on
// `qcontext`'s thread; the first error ends the count. A `setupError`
// answers at once (queued) with it.
void countRangesInTurn(SignIn *signIn, QObject *qcontext, QVector<RangeCountCall> calls, ExactCounts exact,
                       const SyncError &setupError, std::function<void(const RangeCounts &)> done);

} // namespace Lookback
