#pragma once

#include <QMetaType>
#include <QString>

namespace Lookback {

// What kind of failure happened. core reports one of these plus a detail
// message; ui turns the category into a badge and translated words.
enum class ErrorCategory {
    None,
    Network,          // host unreachable, connection dropped, timeout: retried
    Throttled,        // provider asked us to slow down: retried after a delay
    AuthExpired,      // login rejected, token expired or revoked: needs reconnect
    PermissionDenied, // access revoked, folder no longer shared: final
    Tls,              // certificate not trusted: needs the user's decision
    Protocol,         // the server said something we cannot accept
    Storage,          // the local archive could not be written
    Configuration,    // missing Inbox/Sent, bad settings
    Keychain,         // no usable OS keychain
    CursorExpired,    // the provider forgot our incremental cursor: resync the folder
    WaitingOnParent,  // a shared mailbox's parent sign-in failed: wait for its reconnect
};

// An error always carries its category and its message together.
struct SyncError
{
    ErrorCategory category = ErrorCategory::None;
    QString message;
    int retryAfterSeconds = -1; // for Throttled: what the server asked for, -1 if unknown
    // For a connection that dropped part way: bytes that arrived before it did
    // ("dropped after 700 KB"); -1 when the connection never got that far.
    qint64 bytesBeforeDrop = -1;

    bool isError() const { return category != ErrorCategory::None; }
    // Transient faults are retried with backoff; the others stop and report.
    bool isTransient() const
    {
        return category == ErrorCategory::Network || category == ErrorCategory::Throttled;
    }

    static SyncError make(ErrorCategory category, const QString &message)
    {
        SyncError e;
        e.category = category;
        e.message = message;
        return e;
    }
};

// Stable machine names, used in the archive, the CLI's --json output and logs.
QString categoryName(ErrorCategory category);
ErrorCategory categoryFromName(const QString &name);

} // namespace Lookback

Q_DECLARE_METATYPE(Lookback::SyncError)
