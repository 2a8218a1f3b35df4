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
// year would not match it before the century is fixed). Date and time are
// read apart: read together they would be the local clock's, and a time of
// day that clock skips (spring forward) would be no date at all.
QDateTime httpDate(const QByteArray &value)
{
    QString text = QString::fromLatin1(value).simplified();
    const int comma = text.indexOf(QLatin1Char(','));
    const bool asctime = comma < 0;
    text = asctime ? text.section(QLatin1Char(' '), 1) : text.mid(comma + 1).trimmed();
    const QStringList words = text.split(QLatin1Char(' '));
    const QLocale c = QLocale::c();
    // IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94
    // 08:49:37 GMT", asctime "Sun Nov  6 08:49:37 1994" (simplified: one space).
    struct Form
    {
        int words;
        int timeWord;
        QString dateFormat;
    };
    const QList<Form> forms = asctime
        ? QList<Form>{{4, 2, QStringLiteral("MMM d yyyy")}}
        : QList<Form>{{5, 3, QStringLiteral("dd MMM yyyy")}, {3, 1, QStringLiteral("dd-MMM-yy")}};
    for (const Form &form : forms) {
        if (words.size() != form.words || (!asctime && words.last() != QLatin1String("GMT")))
            continue;
        QStringList dateWords = words;
        dateWords.removeAt(form.timeWord);
        if (!asctime)
            dateWords.removeLast();
        QDate date = c.toDate(dateWords.join(QLatin1Char(' ')), form.dateFormat);
        const QTime time = c.toTime(words.at(form.timeWord), QStringLiteral("HH:mm:ss"));
        if (date.isValid() && time.isValid()) {
            if (date.year() < 1970)
                date = date.addYears(100); // two-digit years of RFC 850 read as 19xx
            return QDateTime(date, time, QTimeZone::utc());
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
