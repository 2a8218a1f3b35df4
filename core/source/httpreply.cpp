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

// An HTTP-date in UTC; invalid when it is none of the three forms. The day
// name is dropped first: it only repeats the date (and a two-digit RFC 850
// year would not match it before the century is fixed).
QDateTime httpDate(const QByteArray &value)
{
    QString text = QString::fromLatin1(value).simplified();
    const int comma = text.indexOf(QLatin1Char(','));
    const bool asctime = comma < 0;
    text = asctime ? text.section(QLatin1Char(' '), 1) : text.mid(comma + 1).trimmed();
    const QLocale c = QLocale::c();
    // IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94
    // 08:49:37 GMT", asctime "Sun Nov  6 08:49:37 1994" (simplified: one space).
    const QStringList formats = asctime
        ? QStringList{QStringLiteral("MMM d HH:mm:ss yyyy")}
        : QStringList{QStringLiteral("dd MMM yyyy HH:mm:ss 'GMT'"), QStringLiteral("dd-MMM-yy HH:mm:ss 'GMT'")};
    for (const QString &format : formats) {
        QDateTime at = c.toDateTime(text, format);
        if (at.isValid()) {
            if (at.date().year() < 1970)
                at = at.addYears(100); // two-digit years of RFC 850 read as 19xx
            return QDateTime(at.date(), at.time(), QTimeZone::utc());
        }
    }
    // Anything else that is still a valid RFC 2822 date ("+0000" zones).
    return QDateTime::fromString(QString::fromLatin1(value).simplified(), Qt::RFC2822Date);
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
