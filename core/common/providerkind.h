#pragma once

#include <QString>

namespace Lookback {

// Which kind of mailbox a connection is. The source factory picks the
// provider's source and sign-in by it; the archive stores the name.
enum class ProviderKind {
    Imap,
    Gmail,
    Microsoft,
    Scripted, // tests only: a source a test registers with SourceFactory
};

QString providerKindName(ProviderKind kind);                  // "imap", "gmail", "microsoft", "scripted"
bool providerKindFromName(const QString &name, ProviderKind *out);

} // namespace Lookback
