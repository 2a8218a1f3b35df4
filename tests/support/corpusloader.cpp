#include "corpusloader.h"

#include "dovecotserver.h"
#include "testpaths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>

#include <algorithm>

namespace Lookback::Test {

namespace {

QByteArray readHeaderBlock(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArray();
    QByteArray head;
    while (!f.atEnd() && head.size() < 256 * 1024) {
        const QByteArray line = f.readLine(64 * 1024);
        if (line == "\n" || line == "\r\n")
            break;
        head += line;
    }
    return head;
}

// Numeric-aware file-name order ("2_" < "10_"); plain byte order otherwise.
bool naturalLess(const QString &a, const QString &b)
{
    int i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (a.at(i).isDigit() && b.at(j).isDigit()) {
            int ei = i, ej = j;
            while (ei < a.size() && a.at(ei).isDigit())
                ++ei;
            while (ej < b.size() && b.at(ej).isDigit())
                ++ej;
            const qulonglong na = a.mid(i, ei - i).toULongLong();
            const qulonglong nb = b.mid(j, ej - j).toULongLong();
            if (na != nb)
                return na < nb;
            if (ei - i != ej - j)
                return ei - i < ej - j;
            i = ei;
            j = ej;
            continue;
        }
        if (a.at(i) != b.at(j))
            return a.at(i) < b.at(j);
        ++i;
        ++j;
    }
    return a.size() - i < b.size() - j;
}

QStringList filesIn(const QString &dir, bool natural)
{
    QStringList names = QDir(dir).entryList(QDir::Files | QDir::NoDotAndDotDot, QDir::Name);
    if (natural)
        std::sort(names.begin(), names.end(), naturalLess);
    QStringList paths;
    for (const QString &n : names)
        paths << QDir(dir).filePath(n);
    return paths;
}

struct Item {
    QString path;
    QString mailbox;
};

int loadItems(DovecotServer &server, const QList<Item> &items, QString *error)
{
    QList<QByteArray> dateHeaders;
    dateHeaders.reserve(items.size());
    for (const Item &item : items)
        dateHeaders << CorpusLoader::headerValue(readHeaderBlock(item.path), "Date");
    const QList<QDateTime> dates = CorpusLoader::shiftedDates(dateHeaders);
    int loaded = 0;
    for (int i = 0; i < items.size(); ++i) {
        QFile f(items.at(i).path);
        if (!f.open(QIODevice::ReadOnly)) {
            if (error)
                *error = QStringLiteral("cannot read %1: %2").arg(items.at(i).path, f.errorString());
            return -1;
        }
        if (!server.addMessage(items.at(i).mailbox, f.readAll(), dates.at(i), error))
            return -1;
        ++loaded;
    }
    return loaded;
}

} // namespace

bool CorpusLoader::unpack(const QString &archiveName, const QString &dir, QString *error)
{
    QString why;
    if (!corpusArchiveAvailable(archiveName, &why)) {
        if (error)
            *error = why;
        return false;
    }
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = QStringLiteral("cannot create %1").arg(dir);
        return false;
    }
    QProcess tar;
    tar.setProcessChannelMode(QProcess::MergedChannels);
    tar.start(QStringLiteral("tar"), {QStringLiteral("-xJf"), corpusArchivePath(archiveName), QStringLiteral("-C"), dir});
    if (!tar.waitForFinished(600000) || tar.exitStatus() != QProcess::NormalExit || tar.exitCode() != 0) {
        if (error)
            *error = QStringLiteral("tar -xJf %1 -C %2 failed (%3): %4")
                         .arg(corpusArchivePath(archiveName), dir, tar.errorString(), QString::fromLocal8Bit(tar.readAll()));
        return false;
    }
    return true;
}

int CorpusLoader::loadCygwin(DovecotServer &server, const QString &unpackedDir, int limit, QString *error)
{
    const QString cur = unpackedDir + QStringLiteral("/maildir/cur");
    if (!QFileInfo(cur).isDir()) {
        if (error)
            *error = QStringLiteral("%1 is not a folder: unpack cygwin-patches.tar.xz into %2 first").arg(cur, unpackedDir);
        return -1;
    }
    QStringList files = filesIn(cur, false);
    if (limit > 0 && files.size() > limit)
        files = files.mid(0, limit);
    QList<Item> items;
    for (const QString &f : files)
        items << Item{f, QStringLiteral("INBOX")};
    return loadItems(server, items, error);
}

int CorpusLoader::loadEnronUser(DovecotServer &server, const QString &unpackedDir, const QString &user, QString *error)
{
    const QString base = unpackedDir + QStringLiteral("/maildir/") + user;
    if (!QFileInfo(base).isDir()) {
        if (error)
            *error = QStringLiteral("%1 is not a folder: unpack enron-13users.tar.xz into %2 first").arg(base, unpackedDir);
        return -1;
    }
    QList<Item> items;
    for (const QString &f : filesIn(base + QStringLiteral("/inbox"), true))
        items << Item{f, QStringLiteral("INBOX")};
    for (const char *sent : {"sent", "sent_items", "_sent_mail"})
        for (const QString &f : filesIn(base + QLatin1Char('/') + QLatin1String(sent), true))
            items << Item{f, QStringLiteral("Sent")};
    if (items.isEmpty()) {
        if (error)
            *error = QStringLiteral("no messages under %1/{inbox,sent,sent_items,_sent_mail}").arg(base);
        return -1;
    }
    return loadItems(server, items, error);
}

QByteArray CorpusLoader::headerValue(const QByteArray &message, const QByteArray &name)
{
    const QByteArray lowerName = name.toLower() + ':';
    QByteArray value;
    bool inField = false;
    int pos = 0;
    while (pos < message.size()) {
        int eol = message.indexOf('\n', pos);
        if (eol < 0)
            eol = message.size();
        QByteArray line = message.mid(pos, eol - pos);
        pos = eol + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            break; // end of the header
        if (line.at(0) == ' ' || line.at(0) == '\t') {
            if (inField)
                value += ' ' + line.trimmed();
            continue;
        }
        if (inField)
            break;
        if (line.toLower().startsWith(lowerName)) {
            inField = true;
            value = line.mid(lowerName.size()).trimmed();
        }
    }
    return value;
}

QDateTime CorpusLoader::parseRfc2822Date(const QString &input)
{
    QString text = input;
    // drop comments such as "(PDT)"
    static const QRegularExpression comment(QStringLiteral("\\([^()]*\\)"));
    text.replace(comment, QStringLiteral(" "));
    text = text.simplified();

    static const QStringList months{QStringLiteral("jan"), QStringLiteral("feb"), QStringLiteral("mar"),
                                    QStringLiteral("apr"), QStringLiteral("may"), QStringLiteral("jun"),
                                    QStringLiteral("jul"), QStringLiteral("aug"), QStringLiteral("sep"),
                                    QStringLiteral("oct"), QStringLiteral("nov"), QStringLiteral("dec")};
    static const QRegularExpression rfc(QStringLiteral(
        "^(?:[A-Za-z]{2,9}\\s*,?\\s*)?(\\d{1,2})[\\s-]+([A-Za-z]{3,9})\\.?[\\s-]+(\\d{2,4})\\s+"
        "(\\d{1,2}):(\\d{1,2})(?::(\\d{1,2}))?(?:\\.\\d+)?\\s*([+-]\\d{2}:?\\d{2}|[A-Za-z]{1,5})?"));
    static const QRegularExpression asctime(QStringLiteral(
        "^[A-Za-z]{3,9},?\\s+([A-Za-z]{3,9})\\s+(\\d{1,2})\\s+(\\d{1,2}):(\\d{2}):(\\d{2})\\s+"
        "(?:([A-Za-z]{1,5}|[+-]\\d{4})\\s+)?(\\d{4})"));

    int day = 0, month = 0, year = 0, hour = 0, minute = 0, second = 0;
    QString zone;
    QRegularExpressionMatch m = rfc.match(text);
    if (m.hasMatch()) {
        day = m.captured(1).toInt();
        month = months.indexOf(m.captured(2).left(3).toLower()) + 1;
        const QString y = m.captured(3);
        year = y.toInt();
        if (y.size() == 2)
            year += year < 50 ? 2000 : 1900;
        else if (y.size() == 3)
            year += 1900;
        hour = m.captured(4).toInt();
        minute = m.captured(5).toInt();
        second = m.captured(6).isEmpty() ? 0 : m.captured(6).toInt();
        zone = m.captured(7);
    } else if ((m = asctime.match(text)).hasMatch()) {
        month = months.indexOf(m.captured(1).left(3).toLower()) + 1;
        day = m.captured(2).toInt();
        hour = m.captured(3).toInt();
        minute = m.captured(4).toInt();
        second = m.captured(5).toInt();
        zone = m.captured(6);
        year = m.captured(7).toInt();
    } else {
        return QDateTime();
    }
    if (second == 60)
        second = 59; // leap second
    const QDate date(year, month, day);
    const QTime time(hour, minute, second);
    if (month < 1 || !date.isValid() || !time.isValid())
        return QDateTime();

    int offsetSecs = 0;
    if (!zone.isEmpty() && (zone.at(0) == QLatin1Char('+') || zone.at(0) == QLatin1Char('-'))) {
        QString digits = zone.mid(1);
        digits.remove(QLatin1Char(':'));
        const int hh = digits.left(2).toInt(), mm = digits.mid(2, 2).toInt();
        if (hh > 23 || mm > 59)
            return QDateTime();
        offsetSecs = (hh * 3600 + mm * 60) * (zone.at(0) == QLatin1Char('-') ? -1 : 1);
    } else if (!zone.isEmpty()) {
        static const QHash<QString, int> named{
            {QStringLiteral("UT"), 0},   {QStringLiteral("UTC"), 0},  {QStringLiteral("GMT"), 0},
            {QStringLiteral("Z"), 0},    {QStringLiteral("EST"), -5}, {QStringLiteral("EDT"), -4},
            {QStringLiteral("CST"), -6}, {QStringLiteral("CDT"), -5}, {QStringLiteral("MST"), -7},
            {QStringLiteral("MDT"), -6}, {QStringLiteral("PST"), -8}, {QStringLiteral("PDT"), -7},
            {QStringLiteral("CET"), 1},  {QStringLiteral("CEST"), 2}, {QStringLiteral("BST"), 1},
            {QStringLiteral("MET"), 1},  {QStringLiteral("MEST"), 2}, {QStringLiteral("JST"), 9}};
        offsetSecs = named.value(zone.toUpper(), 0) * 3600;
    }
    return QDateTime(date, time, Qt::OffsetFromUTC, offsetSecs).toUTC();
}

QList<QDateTime> CorpusLoader::shiftedDates(const QList<QByteArray> &dateHeaders, const QDateTime &newestWanted)
{
    const int n = int(dateHeaders.size());
    QList<QDateTime> parsed;
    parsed.reserve(n);
    const QDateTime earliestPlausible(QDate(1980, 1, 1), QTime(0, 0), Qt::UTC);
    for (const QByteArray &h : dateHeaders) {
        QDateTime d = parseRfc2822Date(QString::fromLatin1(h));
        if (d.isValid() && d < earliestPlausible)
            d = QDateTime();
        parsed << d;
    }
    // Fill the gaps from the neighbours (file order = load order).
    int lastValid = -1;
    for (int i = 0; i < n; ++i) {
        if (parsed.at(i).isValid()) {
            lastValid = i;
        } else if (lastValid >= 0) {
            parsed[i] = parsed.at(lastValid).addSecs(60 * (i - lastValid));
        }
    }
    int nextValid = -1;
    for (int i = n - 1; i >= 0; --i) {
        if (parsed.at(i).isValid())
            nextValid = i;
        else if (nextValid >= 0)
            parsed[i] = parsed.at(nextValid).addSecs(-60 * (nextValid - i));
    }
    const QDateTime target = newestWanted.isValid()
        ? newestWanted.toUTC()
        : QDateTime::currentDateTimeUtc().addDays(-1);
    QList<QDateTime> out;
    out.reserve(n);
    if (nextValid < 0) {
        // No message has a usable date: one minute apart, the last one newest.
        for (int i = 0; i < n; ++i)
            out << target.addSecs(-60 * (n - 1 - i));
        return out;
    }
    // The newest date, ignoring a lone far-future outlier (more than a year after the
    // 99th percentile), which would otherwise push everything years back.
    QList<qint64> sorted;
    sorted.reserve(n);
    for (const QDateTime &d : parsed)
        sorted << d.toSecsSinceEpoch();
    std::sort(sorted.begin(), sorted.end());
    qint64 newest = sorted.last();
    const qint64 p99 = sorted.at(std::min<int>(int(sorted.size()) - 1, int(sorted.size() * 99 / 100)));
    if (newest - p99 > 365LL * 86400)
        newest = p99;
    const qint64 shift = target.toSecsSinceEpoch() - newest;
    for (const QDateTime &d : parsed)
        out << QDateTime::fromSecsSinceEpoch(std::min(d.toSecsSinceEpoch(), newest) + shift, Qt::UTC);
    return out;
}

} // namespace Lookback::Test
