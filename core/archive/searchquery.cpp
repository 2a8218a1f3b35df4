#include "searchquery.h"

namespace Lookback {

namespace {

QStringList tokenize(const QString &text)
{
    QStringList tokens;
    QString current;
    bool inQuotes = false;
    for (const QChar c : text) {
        if (c == QLatin1Char('"')) {
            inQuotes = !inQuotes;
            current += c;
        } else if (c.isSpace() && !inQuotes) {
            if (!current.isEmpty())
                tokens << current;
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.isEmpty())
        tokens << current;
    return tokens;
}

QString unquote(QString value)
{
    value.remove(QLatin1Char('"'));
    return value.trimmed();
}

QDate parseDate(const QString &value)
{
    for (const char *format : {"yyyy-MM-dd", "yyyy/MM/dd", "yyyy-M-d", "yyyy/M/d", "yyyy-MM", "yyyy"}) {
        QDate d = QDate::fromString(value, QLatin1String(format));
        if (d.isValid())
            return d;
    }
    return {};
}

// One FTS5 phrase, prefix-matched. Double quotes inside are doubled, so user
// input can never become FTS syntax.
QString phrase(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + escaped + QLatin1String("\"*");
}

} // namespace

SearchQuery SearchQuery::parse(const QString &text)
{
    SearchQuery q;
    for (const QString &token : tokenize(text)) {
        const int colon = token.indexOf(QLatin1Char(':'));
        const QString key = colon > 0 ? token.left(colon).toLower() : QString();
        const QString value = colon > 0 ? unquote(token.mid(colon + 1)) : QString();
        if (key == QLatin1String("from") && !value.isEmpty()) {
            q.from << value;
        } else if (key == QLatin1String("to") && !value.isEmpty()) {
            q.to << value;
        } else if (key == QLatin1String("subject") && !value.isEmpty()) {
            q.subject << value;
        } else if (key == QLatin1String("before") || key == QLatin1String("after")) {
            const QDate d = parseDate(value);
            if (!d.isValid()) {
                q.error = QStringLiteral("Not a date: %1 (use YYYY-MM-DD)").arg(value);
                continue;
            }
            (key == QLatin1String("before") ? q.before : q.after) = d;
        } else if (key == QLatin1String("in") && (value == QLatin1String("inbox") || value == QLatin1String("sent"))) {
            q.folderRole = value;
        } else {
            const QString word = unquote(token);
            if (!word.isEmpty())
                q.words << word;
        }
    }
    return q;
}

bool SearchQuery::isEmpty() const
{
    return words.isEmpty() && from.isEmpty() && to.isEmpty() && subject.isEmpty()
        && !before.isValid() && !after.isValid() && folderRole.isEmpty();
}

QString SearchQuery::ftsExpression() const
{
    QStringList parts;
    for (const QString &w : words)
        parts << phrase(w);
    for (const QString &f : from)
        parts << QLatin1String("sender : ") + phrase(f);
    for (const QString &t : to)
        parts << QLatin1String("recipients : ") + phrase(t);
    for (const QString &s : subject)
        parts << QLatin1String("subject : ") + phrase(s);
    return parts.join(QLatin1String(" AND "));
}

} // namespace Lookback
