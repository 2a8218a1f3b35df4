#include "snippets.h"

#include "mimeinternal.h"

#include <QStringList>
#include <QStringView>

#include <algorithm>
#include <iterator>

namespace Lookback::Mime {

using namespace detail;

namespace {

constexpr const char16_t *kReplyPrefixes[] = {
    u"re", u"fwd", u"fw", u"aw", u"wg", u"sv", u"vs", u"antw", u"tr", u"odp", u"ynt",
    u"rif", u"enc", u"res", u"rv", u"vl", u"ref", u"回复", u"回覆", u"答复", u"答覆",
    u"转发", u"轉寄", u"轉發",
};

// Length of a reply/forward prefix ("Re:", "RE :", "Re[2]:", "AW：") at pos, or 0.
int replyPrefixLength(const QString &s, int pos)
{
    const int n = s.size();
    for (const char16_t *prefix : kReplyPrefixes) {
        const QStringView p(prefix);
        if (pos + p.size() > n || QStringView(s).mid(pos, p.size()).compare(p, Qt::CaseInsensitive) != 0)
            continue;
        int j = pos + int(p.size());
        // Optional counter: Re[2]: Re(2): Re^2:
        if (j < n && (s[j] == QLatin1Char('[') || s[j] == QLatin1Char('('))) {
            const QChar close = s[j] == QLatin1Char('[') ? QLatin1Char(']') : QLatin1Char(')');
            int k = j + 1;
            while (k < n && s[k].isDigit())
                ++k;
            if (k > j + 1 && k < n && s[k] == close)
                j = k + 1;
        } else if (j < n && s[j] == QLatin1Char('^')) {
            int k = j + 1;
            while (k < n && s[k].isDigit())
                ++k;
            if (k > j + 1)
                j = k;
        }
        while (j < n && (s[j] == QLatin1Char(' ') || s[j] == QLatin1Char('\t')))
            ++j;
        if (j < n && (s[j] == QLatin1Char(':') || s[j] == QChar(0xFF1A)))
            return j + 1 - pos;
    }
    return 0;
}

bool isSignatureSeparator(const QString &line)
{
    return line == QLatin1String("-- ") || line == QLatin1String("--")
        || line == QLatin1String("-- \r");
}

bool isOriginalMessageSeparator(const QString &trimmed)
{
    if (trimmed.startsWith(QLatin1String("________________________________")))
        return true;
    if (!trimmed.startsWith(QLatin1String("---")))
        return false;
    const QString inner = QString(trimmed).remove(QLatin1Char('-')).trimmed();
    static constexpr const char *kMarkers[] = {
        "Original Message", "Forwarded message", "Forwarded Message", "Ursprüngliche Nachricht",
        "Message d'origine", "Mensaje original", "Messaggio originale", "Oorspronkelijk bericht",
        "Weitergeleitete Nachricht", "Original message",
    };
    return std::any_of(std::begin(kMarkers), std::end(kMarkers), [&](const char *m) {
        return inner.startsWith(QString::fromUtf8(m), Qt::CaseInsensitive);
    });
}

} // namespace

QString makeSnippet(const QString &text, int maxChars)
{
    if (maxChars <= 0)
        return QString();
    // The first screenful is plenty, even for a 2 MB patch.
    const QStringList lines = QStringView(text).left(std::max<qsizetype>(qsizetype(maxChars) * 500, 65536))
                                  .toString()
                                  .split(QLatin1Char('\n'));
    QStringList kept;
    QStringList quoted;
    qsizetype keptChars = 0;
    for (int i = 0; i < lines.size() && keptChars <= qsizetype(maxChars) * 2; ++i) {
        QString line = lines[i];
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        const QString trimmed = line.trimmed();
        if (trimmed.isEmpty())
            continue;
        if (isSignatureSeparator(line))
            break;
        if (isOriginalMessageSeparator(trimmed)) {
            if (!kept.isEmpty())
                break;
            continue;
        }
        if (trimmed.startsWith(QLatin1Char('>'))) {
            QString q = trimmed;
            while (q.startsWith(QLatin1Char('>')))
                q = q.mid(1).trimmed();
            if (!q.isEmpty())
                quoted.append(q);
            continue;
        }
        // "On Mon, Jan 1, John wrote:" right before the quote it introduces.
        if (trimmed.endsWith(QLatin1Char(':')) || trimmed.endsWith(QChar(0xFF1A))) {
            int k = i + 1;
            while (k < lines.size() && lines[k].trimmed().isEmpty())
                ++k;
            if (k < lines.size() && lines[k].trimmed().startsWith(QLatin1Char('>')))
                continue;
        }
        kept.append(trimmed);
        keptChars += trimmed.size();
    }
    if (kept.isEmpty())
        kept = quoted;

    QString s;
    for (const QString &line : kept) {
        for (QChar c : line) {
            if (isZeroWidth(c.unicode()))
                continue;
            if (c.isSpace() || c.unicode() < 0x20) {
                if (!s.isEmpty() && !s.endsWith(QLatin1Char(' ')))
                    s.append(QLatin1Char(' '));
            } else {
                s.append(c);
            }
        }
        if (!s.isEmpty() && !s.endsWith(QLatin1Char(' ')))
            s.append(QLatin1Char(' '));
        if (s.size() > qsizetype(maxChars) * 2)
            break;
    }
    s = s.trimmed();
    if (s.size() <= maxChars)
        return s;

    const int limit = maxChars - 1; // room for the ellipsis
    int cut = limit;
    const int space = int(s.lastIndexOf(QLatin1Char(' '), limit));
    if (space > limit / 2)
        cut = space;
    if (cut > 0 && s[cut - 1].isHighSurrogate())
        --cut;
    QString result = s.left(cut);
    while (!result.isEmpty()
           && (result.endsWith(QLatin1Char(' ')) || result.endsWith(QLatin1Char(','))
               || result.endsWith(QLatin1Char(';')) || result.endsWith(QLatin1Char(':'))))
        result.chop(1);
    return result + QChar(0x2026);
}

QString normalizedSubject(const QString &subject)
{
    QString s = controlsToSpaces(subject);
    QStringList tags;
    QStringList tagKeys;
    int pos = 0;
    for (int guard = 0; guard < 1000; ++guard) {
        while (pos < s.size() && s[pos].isSpace())
            ++pos;
        if (pos >= s.size())
            break;
        if (s[pos] == QLatin1Char('[')) {
            const int close = int(s.indexOf(QLatin1Char(']'), pos + 1));
            if (close < 0)
                break;
            const QString inner = s.mid(pos + 1, close - pos - 1).simplified();
            if (inner.isEmpty()) {
                pos = close + 1;
                continue;
            }
            // "[Fwd: Subject]": the whole subject wrapped by an old forwarder.
            if (replyPrefixLength(inner, 0) > 0 && s.mid(close + 1).trimmed().isEmpty()) {
                s = inner;
                pos = 0;
                continue;
            }
            const QString key = inner.toCaseFolded();
            if (!tagKeys.contains(key)) {
                tagKeys.append(key);
                tags.append(QLatin1Char('[') + inner + QLatin1Char(']'));
            }
            pos = close + 1;
            continue;
        }
        const int prefix = replyPrefixLength(s, pos);
        if (prefix > 0) {
            pos += prefix;
            continue;
        }
        break;
    }
    QString rest = s.mid(pos).trimmed();
    while (rest.endsWith(QLatin1String("(fwd)"), Qt::CaseInsensitive))
        rest = rest.left(rest.size() - 5).trimmed();
    tags.append(rest);
    return tags.join(QLatin1Char(' ')).toCaseFolded().simplified();
}

} // namespace Lookback::Mime
