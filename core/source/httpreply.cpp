#include "httpreply.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLocale>
#include <QTimeZone>

#include <algorithm>

namespace Lookback {

QJsonObject HttpReply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

namespace {

// An HTTP-date in UTC; invalid when it is none of the three forms.
QDateTime httpDate(const QByteArray &value)
{
    const QString text = QString::fromLatin1(value).simplified();
    const QLocale c = QLocale::c();
    // IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94
    // 08:49:37 GMT", asctime "Sun Nov  6 08:49:37 1994" (simplified: one space).
    for (const QString &format : {QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"),
                                  QStringLiteral("dddd, dd-MMM-yy HH:mm:ss 'GMT'"),
                                  QStringLiteral("ddd MMM d HH:mm:ss yyyy")}) {
        QDateTime at = c.toDateTime(text, format);
        if (at.isValid()) {
            if (at.date().year() < 1970)
                at = at.addYears(100); // two-digit years of RFC 850 read as 19xx
            at.setTimeZone(QTimeZone::utc());
            return at;
        }
    }
    // Anything else that is still a valid RFC 2822 date ("+0000" zones).
    return QDateTime::fromString(text, Qt::RFC2822Date);
}

} // namespace

int retryAfterSeconds(const QByteArray &header)
{
    const QByteArray value = header.trimmed();
    if (value.isEmpty())
        return -1;
    bool ok = false;
    const double seconds = value.toDouble(&ok);
    if (ok)
        return seconds <= 0 ? 0 : int(std::min(seconds + 0.999, 86400.0));
    const QDateTime at = httpDate(value);
    if (!at.isValid())
        return -1;
    const qint64 ms = QDateTime::currentDateTimeUtc().msecsTo(at);
    return int(std::clamp<qint64>((ms + 999) / 1000, 0, 86400));
}

} // namespace Lookback
