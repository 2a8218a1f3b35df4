#pragma once

#include "common/syncerror.h"

#include <QtGlobal>

namespace Lookback {

// How long to wait before trying again after a transient fault: the server's
// Retry-After when it gave one, otherwise exponential backoff with jitter so
// that many clients do not come back in step.
class RetryPolicy
{
public:
    explicit RetryPolicy(qint64 baseMs = 1000, qint64 capMs = 5 * 60 * 1000, int maxAttempts = -1);

    // Milliseconds to wait before attempt `attempt` (1-based) after `error`;
    // -1 when the error must not be retried or attempts are used up.
    qint64 delayFor(const SyncError &error, int attempt) const;
    int maxAttempts() const { return m_maxAttempts; }

private:
    qint64 m_baseMs;
    qint64 m_capMs;
    int m_maxAttempts;
};

} // namespace Lookback
