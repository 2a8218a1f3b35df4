#pragma once

#include "common/syncerror.h"

#include <QMetaType>
#include <QString>

namespace Lookback {

// The state of a connection as its badge shows it. Stored in the archive and
// printed by `lookback-cli status --json` by its stable name.
enum class Health {
    Healthy,
    Syncing,
    Paused,
    Throttled,       // the provider asked us to slow down; retrying at a known time
    NeedsReconnect,  // password changed, token expired or revoked
    PermissionLost,  // access revoked, shared-mailbox grant removed
    WaitingOnParent, // a shared mailbox whose personal connection needs reconnecting
    Offline,         // network down; retrying
    Failed,          // anything else, with its message
};

QString healthName(Health health);               // "healthy", "needs-reconnect", ...
Health healthFromName(const QString &name);      // unknown names read as Failed
// What a connection shows while (or after) failing with this error.
Health healthForError(ErrorCategory category);
// True for the states in which a card shows a cause and the action that fixes it.
bool healthNeedsAttention(Health health);

} // namespace Lookback

Q_DECLARE_METATYPE(Lookback::Health)
