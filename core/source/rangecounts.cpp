#include "rangecounts.h"

namespace Lookback {

qint64 RangeCounts::countFor(int days) const
{
    if (days < 0)
        return everything;
    switch (days) {
    case 30: return last30 >= 0 ? last30 : byDays.value(30, -1);
    case 90: return last90 >= 0 ? last90 : byDays.value(90, -1);
    case 365: return last365 >= 0 ? last365 : byDays.value(365, -1);
    default: return byDays.value(days, -1);
    }
}

} // namespace Lookback
