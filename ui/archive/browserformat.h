#pragma once

#include <QDateTime>
#include <QString>
#include <QVector>

// Small text helpers shared by the archive browser's models and views.
// Thread: GUI (they read the default QLocale).
namespace Lookback::Ui {

struct DisplayAddress
{
    QString name;
    QString email;
    // What a person reads: the name when there is one, otherwise the address.
    QString label() const { return name.isEmpty() ? email : name; }
};

// The archive keeps To and Cc as Mime::formatAddressList wrote them
// ("Name <a@b>, \"Doe, J\" <j@d>"); read them back with the same parser.
QVector<DisplayAddress> parseAddressList(const QString &formatted);
// "Bob, Carol": names only, for a narrow list column.
QString shortNames(const QString &formatted);

// A list column date: the time for today, the locale's short date otherwise.
QString listDate(const QDateTime &utc);
// The message header date: the locale's long date and its short time.
QString longDate(const QDateTime &utc);

} // namespace Lookback::Ui
