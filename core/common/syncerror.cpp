#include "syncerror.h"

namespace Lookback {

namespace {
struct NameEntry { ErrorCategory category; const char *name; };
constexpr NameEntry kNames[] = {
    {ErrorCategory::None, "none"},
    {ErrorCategory::Network, "network"},
    {ErrorCategory::Throttled, "throttled"},
    {ErrorCategory::AuthExpired, "auth-expired"},
    {ErrorCategory::PermissionDenied, "permission-denied"},
    {ErrorCategory::Tls, "tls"},
    {ErrorCategory::Protocol, "protocol"},
    {ErrorCategory::Storage, "storage"},
    {ErrorCategory::Configuration, "configuration"},
    {ErrorCategory::Keychain, "keychain"},
    {ErrorCategory::CursorExpired, "cursor-expired"},
    {ErrorCategory::WaitingOnParent, "waiting-on-parent"},
};
} // namespace

QString categoryName(ErrorCategory category)
{
    for (const auto &entry : kNames) {
        if (entry.category == category)
            return QString::fromLatin1(entry.name);
    }
    return QStringLiteral("none");
}

ErrorCategory categoryFromName(const QString &name)
{
    for (const auto &entry : kNames) {
        if (name == QLatin1String(entry.name))
            return entry.category;
    }
    return ErrorCategory::None;
}

} // namespace Lookback
