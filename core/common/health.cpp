#include "health.h"

namespace Lookback {

namespace {
struct Entry { Health health; const char *name; };
constexpr Entry kNames[] = {
    {Health::Healthy, "healthy"},
    {Health::Syncing, "syncing"},
    {Health::Paused, "paused"},
    {Health::Throttled, "throttled"},
    {Health::NeedsReconnect, "needs-reconnect"},
    {Health::PermissionLost, "permission-lost"},
    {Health::WaitingOnParent, "waiting-on-parent"},
    {Health::Offline, "offline"},
    {Health::Failed, "failed"},
};
} // namespace

QString healthName(Health health)
{
    for (const Entry &e : kNames) {
        if (e.health == health)
            return QString::fromLatin1(e.name);
    }
    return QStringLiteral("failed");
}

Health healthFromName(const QString &name)
{
    for (const Entry &e : kNames) {
        if (name == QLatin1String(e.name))
            return e.health;
    }
    return Health::Failed;
}

Health healthForError(ErrorCategory category)
{
    switch (category) {
    case ErrorCategory::None: return Health::Healthy;
    case ErrorCategory::Network: return Health::Offline;
    case ErrorCategory::Throttled: return Health::Throttled;
    case ErrorCategory::AuthExpired: return Health::NeedsReconnect;
    case ErrorCategory::PermissionDenied: return Health::PermissionLost;
    case ErrorCategory::WaitingOnParent: return Health::WaitingOnParent;
    default: return Health::Failed;
    }
}

bool healthNeedsAttention(Health health)
{
    return health == Health::Failed || health == Health::NeedsReconnect || health == Health::PermissionLost
        || health == Health::WaitingOnParent || health == Health::Offline;
}

} // namespace Lookback
