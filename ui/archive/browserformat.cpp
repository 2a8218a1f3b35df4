#include "archive/browserformat.h"

#include "message/headers.h"

#include <QCoreApplication>
#include <QLocale>

namespace Lookback::Ui {

QVector<DisplayAddress> parseAddressList(const QString &formatted)
{
    QVector<DisplayAddress> result;
    QString line = formatted;
    line.replace(QLatin1Char('\r'), QLatin1Char(' '));
    line.replace(QLatin1Char('\n'), QLatin1Char(' '));
    line = line.trimmed();
    if (line.isEmpty())
        return result;
    const Mime::HeaderInfo header = Mime::parseHeaders(QByteArrayLiteral("To: ") + line.toUtf8() + "\r\n");
    for (const Mime::Address &a : header.to) {
        if (!a.name.isEmpty() || !a.email.isEmpty())
            result.append(DisplayAddress{a.name, a.email});
    }
    if (result.isEmpty()) // not an address list after all ("undisclosed-recipients:;")
        result.append(DisplayAddress{line, QString()});
    return result;
}

QString shortNames(const QString &formatted)
{
    QStringList names;
    for (const DisplayAddress &a : parseAddressList(formatted))
        names << a.label();
    return QLocale().createSeparatedList(names);
}

QString listDate(const QDateTime &utc)
{
    if (!utc.isValid())
        return QString();
    const QDateTime local = utc.toLocalTime();
    const QLocale locale;
    if (local.date() == QDate::currentDate())
        return locale.toString(local.time(), QLocale::ShortFormat);
    return locale.toString(local.date(), QLocale::ShortFormat);
}

QString longDate(const QDateTime &utc)
{
    if (!utc.isValid())
        return QString();
    const QDateTime local = utc.toLocalTime();
    const QLocale locale;
    //: A message's date in its header: %1 is the long date, %2 the time.
    return QCoreApplication::translate("Lookback::Ui::MessageView", "%1, %2")
        .arg(locale.toString(local.date(), QLocale::LongFormat),
             locale.toString(local.time(), QLocale::ShortFormat));
}

} // namespace Lookback::Ui
