// What the HTTP sources (Gmail API, Microsoft Graph) get back from one call.
#pragma once

#include <QByteArray>
#include <QJsonObject>

namespace Lookback {

// One answer: a call alone, or one part of a batch. Plain value, any thread.
struct HttpReply
{
    int status = 0;           // HTTP status; 0 when nothing came back
    QByteArray body;          // the body; the transport's error text when status is 0
    QByteArray retryAfter;    // the Retry-After header, when there was one
    QJsonObject json() const;
    bool ok() const { return status >= 200 && status < 300; }
};

// A Retry-After header in seconds from now: a decimal number of seconds, or an
// HTTP-date (RFC 9110 10.2.3; IMF-fixdate, and the obsolete RFC 850 and asctime
// forms). -1 when there is none or it cannot be read; 0 for a date passed.
int retryAfterSeconds(const QByteArray &header);

} // namespace Lookback
