#pragma once

#include "common/syncerror.h"
#include "source/rangecounts.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <functional>

class QObject;

namespace Lookback {

struct SourceContext;

// What the rest of the program asks of a Gmail account outside a backfill.
namespace Gmail {

// The range picker's counts: labels.get (INBOX, SENT) messagesTotal for
// everything, and each range's resultSizeEstimate from messages.list (one id
// asked for). Gmail has no exact count by date, so every count is an estimate.
// `done` runs on `qcontext`'s thread.
void countRanges(const SourceContext &context, const QList<int> &customDays, QObject *qcontext,
                 std::function<void(const RangeCounts &)> done);

// Whose mailbox a fresh access token opens (users.getProfile emailAddress).
void identify(const QByteArray &accessToken, int timeoutMs, QObject *qcontext,
              std::function<void(const SyncError &, const QString &address)> done);

} // namespace Gmail

} // namespace Lookback
