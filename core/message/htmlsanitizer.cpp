#include "message/htmlsanitizer.h"

#include <QRegularExpression>
#include <QStringList>

namespace Lookback {

namespace {

constexpr auto kOptions = QRegularExpression::CaseInsensitiveOption
    | QRegularExpression::DotMatchesEverythingOption;

// Attribute values as the HTML parser will see them: numeric character
// references decoded, white space and control characters (which browsers
// skip inside a scheme) removed, lower case. Only used to decide, never shown.
QString normalizedUrl(const QString &value)
{
    static const QRegularExpression numeric(QStringLiteral("&#(x?)([0-9a-f]+);?"), kOptions);
    QString decoded;
    qsizetype last = 0;
    auto it = numeric.globalMatch(value);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        decoded += value.mid(last, m.capturedStart() - last);
        bool ok = false;
        const uint code = m.captured(2).toUInt(&ok, m.captured(1).isEmpty() ? 10 : 16);
        if (ok && code > 0 && code < 0x110000)
            decoded += QString::fromUcs4(reinterpret_cast<const char32_t *>(&code), 1);
        last = m.capturedEnd();
    }
    decoded += value.mid(last);
    QString out;
    out.reserve(decoded.size());
    for (const QChar c : decoded) {
        if (!c.isSpace() && c.unicode() >= 0x20)
            out += c.toLower();
    }
    return out;
}

bool isRemote(const QString &url)
{
    return url.startsWith(QLatin1String("http:")) || url.startsWith(QLatin1String("https:"))
        || url.startsWith(QLatin1String("//"));
}

bool isSafeLink(const QString &url)
{
    if (url.isEmpty() || url.startsWith(QLatin1Char('#')))
        return true;
    for (const char *scheme : {"http:", "https:", "mailto:", "cid:"}) {
        if (url.startsWith(QLatin1String(scheme)))
            return true;
    }
    return false;
}

bool isKeptResource(const QString &url)
{
    return url.startsWith(QLatin1String("http:")) || url.startsWith(QLatin1String("https:"))
        || url.startsWith(QLatin1String("cid:"));
}

QString unquoted(const QString &value)
{
    if (value.size() >= 2
        && (value.startsWith(QLatin1Char('"')) || value.startsWith(QLatin1Char('\'')))
        && value.endsWith(value.at(0)))
        return value.mid(1, value.size() - 2);
    return value;
}

} // namespace

SanitizedHtml sanitizeHtml(const QString &input)
{
    SanitizedHtml out;
    QString html = input;

    static const QRegularExpression comments(QStringLiteral("<!--.*?(-->|$)"), kOptions);
    html.remove(comments);

    // Elements removed with everything inside; an unclosed one hides the rest,
    // as it would in a web browser.
    static const QRegularExpression blocks(
        QStringLiteral("<(script|style|iframe|object|applet|template|noembed|noframes|frameset|svg|math)"
                       "\\b[^>]*>.*?(</\\1\\s*>|$)"),
        kOptions);
    // Tags removed, their text (if any) kept.
    static const QRegularExpression tagsOnly(
        QStringLiteral("</?(embed|form|input|button|select|option|optgroup|textarea|label|fieldset|link|meta|"
                       "base|frame|param|source|track|audio|video|canvas|keygen|isindex|portal)\\b[^>]*>"),
        kOptions);
    html.remove(blocks);
    html.remove(tagsOnly);

    static const QRegularExpression tag(
        QStringLiteral("<([a-zA-Z][a-zA-Z0-9:-]*)((?:\"[^\"]*\"|'[^']*'|[^'\">])*)>"));
    static const QRegularExpression attribute(
        QStringLiteral("([^\\s\"'>/=]+)(?:\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s\"'>]+))?"));
    static const QRegularExpression cssUrl(QStringLiteral("url\\s*\\([^)]*\\)?"), kOptions);
    static const QRegularExpression cssRemote(QStringLiteral("url\\s*\\(\\s*['\"]?\\s*(https?:)?//"), kOptions);
    static const QRegularExpression cssColour(
        QStringLiteral("(^|[;\\s])(color|background|background-color)\\s*:"), kOptions);
    static const QRegularExpression cssScript(QStringLiteral("expression\\s*\\(|javascript:|behavior\\s*:"),
                                              kOptions);

    QString result;
    result.reserve(html.size());
    qsizetype last = 0;
    auto tags = tag.globalMatch(html);
    while (tags.hasNext()) {
        const QRegularExpressionMatch t = tags.next();
        result += QStringView(html).mid(last, t.capturedStart() - last);
        last = t.capturedEnd();

        const QString name = t.captured(1);
        const QString rest = t.captured(2);
        QString rebuilt = QLatin1Char('<') + name;
        auto attributes = attribute.globalMatch(rest);
        while (attributes.hasNext()) {
            const QRegularExpressionMatch a = attributes.next();
            const QString attrName = a.captured(1).toLower();
            const QString rawValue = a.captured(2);
            const QString value = unquoted(rawValue);
            if (attrName.startsWith(QLatin1String("on")))
                continue; // event handlers
            if (attrName == QLatin1String("href") || attrName == QLatin1String("xlink:href")
                || attrName == QLatin1String("action") || attrName == QLatin1String("formaction")) {
                if (!isSafeLink(normalizedUrl(value)))
                    continue;
            } else if (attrName == QLatin1String("src") || attrName == QLatin1String("background")
                       || attrName == QLatin1String("lowsrc") || attrName == QLatin1String("dynsrc")
                       || attrName == QLatin1String("poster") || attrName == QLatin1String("srcset")
                       || attrName == QLatin1String("longdesc") || attrName == QLatin1String("usemap")) {
                const QString url = normalizedUrl(value);
                if (isRemote(url))
                    out.remoteContent = true;
                if (!isKeptResource(url) || attrName == QLatin1String("srcset"))
                    continue;
            } else if (attrName == QLatin1String("style")) {
                if (cssRemote.match(value).hasMatch())
                    out.remoteContent = true;
                if (cssScript.match(normalizedUrl(value)).hasMatch())
                    continue;
                if (cssColour.match(value).hasMatch())
                    out.setsColours = true;
                QString style = value;
                style.replace(cssUrl, QStringLiteral("none"));
                style.replace(QLatin1Char('"'), QLatin1Char('\''));
                rebuilt += QLatin1String(" style=\"") + style + QLatin1Char('"');
                continue;
            } else if (attrName == QLatin1String("color") || attrName == QLatin1String("bgcolor")
                       || attrName == QLatin1String("text") || attrName == QLatin1String("link")
                       || attrName == QLatin1String("vlink") || attrName == QLatin1String("alink")) {
                out.setsColours = true;
            }
            rebuilt += QLatin1Char(' ') + a.captured(1);
            if (!rawValue.isEmpty())
                rebuilt += QLatin1Char('=') + rawValue;
        }
        if (rest.trimmed().endsWith(QLatin1Char('/')))
            rebuilt += QLatin1String(" /");
        rebuilt += QLatin1Char('>');
        result += rebuilt;
    }
    result += QStringView(html).mid(last);
    out.html = result;
    return out;
}

} // namespace Lookback
