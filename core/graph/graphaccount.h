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

// What the rest of the program asks of a Microsoft 365 mailbox outside a backfill.
namespace Graph {

// The range picker's counts: Inbox's and Sent Items' totalItemCount for
// everything (it counts every item type: an estimate, PROVIDERS.md 1.8), and
// each range's @odata.count of the filtered list (one id asked for).
// `done` runs on `qcontext`'s thread.
void countRanges(const SourceContext &context, const QList<int> &customDays, QObject *qcontext,
                 std::function<void(const RangeCounts &)> done);

// Whose mailbox a fresh access token opens (/me: mail, else userPrincipalName).
void identify(const QByteArray &accessToken, int timeoutMs, QObject *qcontext,
              std::function<void(const SyncError &, const QString &address)> done);

} // namespace Graph

} // namespace Lookback
