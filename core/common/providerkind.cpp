#include "providerkind.h"

namespace Lookback {

QString providerKindName(ProviderKind kind)
{
    switch (kind) {
    case ProviderKind::Imap: return QStringLiteral("imap");
    case ProviderKind::Gmail: return QStringLiteral("gmail");
    case ProviderKind::Microsoft: return QStringLiteral("microsoft");
    case ProviderKind::Scripted: return QStringLiteral("scripted");
    }
    return QStringLiteral("imap");
}

bool providerKindFromName(const QString &name, ProviderKind *out)
{
    for (ProviderKind k : {ProviderKind::Imap, ProviderKind::Gmail, ProviderKind::Microsoft, ProviderKind::Scripted}) {
        if (name == providerKindName(k)) {
            *out = k;
            return true;
        }
    }
    return false;
}

} // namespace Lookback
