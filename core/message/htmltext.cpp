#include "htmltext.h"

#include "mimeinternal.h"

#include <QStringView>

#include <algorithm>

namespace Lookback::Mime {

using namespace detail;

namespace {

struct Entity
{
    const char *name;
    char16_t code;
};

constexpr Entity kEntities[] = {
    {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}, {"nbsp", 0xA0},
    {"iexcl", 161}, {"cent", 162}, {"pound", 163}, {"curren", 164}, {"yen", 165},
    {"brvbar", 166}, {"sect", 167}, {"uml", 168}, {"copy", 169}, {"ordf", 170},
    {"laquo", 171}, {"not", 172}, {"shy", 173}, {"reg", 174}, {"macr", 175}, {"deg", 176},
    {"plusmn", 177}, {"sup2", 178}, {"sup3", 179}, {"acute", 180}, {"micro", 181},
    {"para", 182}, {"middot", 183}, {"cedil", 184}, {"sup1", 185}, {"ordm", 186},
    {"raquo", 187}, {"frac14", 188}, {"frac12", 189}, {"frac34", 190}, {"iquest", 191},
    {"Agrave", 192}, {"Aacute", 193}, {"Acirc", 194}, {"Atilde", 195}, {"Auml", 196},
    {"Aring", 197}, {"AElig", 198}, {"Ccedil", 199}, {"Egrave", 200}, {"Eacute", 201},
    {"Ecirc", 202}, {"Euml", 203}, {"Igrave", 204}, {"Iacute", 205}, {"Icirc", 206},
    {"Iuml", 207}, {"ETH", 208}, {"Ntilde", 209}, {"Ograve", 210}, {"Oacute", 211},
    {"Ocirc", 212}, {"Otilde", 213}, {"Ouml", 214}, {"times", 215}, {"Oslash", 216},
    {"Ugrave", 217}, {"Uacute", 218}, {"Ucirc", 219}, {"Uuml", 220}, {"Yacute", 221},
    {"THORN", 222}, {"szlig", 223}, {"agrave", 224}, {"aacute", 225}, {"acirc", 226},
    {"atilde", 227}, {"auml", 228}, {"aring", 229}, {"aelig", 230}, {"ccedil", 231},
    {"egrave", 232}, {"eacute", 233}, {"ecirc", 234}, {"euml", 235}, {"igrave", 236},
    {"iacute", 237}, {"icirc", 238}, {"iuml", 239}, {"eth", 240}, {"ntilde", 241},
    {"ograve", 242}, {"oacute", 243}, {"ocirc", 244}, {"otilde", 245}, {"ouml", 246},
    {"divide", 247}, {"oslash", 248}, {"ugrave", 249}, {"uacute", 250}, {"ucirc", 251},
    {"uuml", 252}, {"yacute", 253}, {"thorn", 254}, {"yuml", 255},
    {"OElig", 0x152}, {"oelig", 0x153}, {"Scaron", 0x160}, {"scaron", 0x161}, {"Yuml", 0x178},
    {"fnof", 0x192}, {"circ", 0x2C6}, {"tilde", 0x2DC}, {"ensp", 0x2002}, {"emsp", 0x2003},
    {"thinsp", 0x2009}, {"zwnj", 0x200C}, {"zwj", 0x200D}, {"lrm", 0x200E}, {"rlm", 0x200F},
    {"ndash", 0x2013}, {"mdash", 0x2014}, {"lsquo", 0x2018}, {"rsquo", 0x2019},
    {"sbquo", 0x201A}, {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"bdquo", 0x201E},
    {"dagger", 0x2020}, {"Dagger", 0x2021}, {"bull", 0x2022}, {"hellip", 0x2026},
    {"permil", 0x2030}, {"prime", 0x2032}, {"Prime", 0x2033}, {"lsaquo", 0x2039},
    {"rsaquo", 0x203A}, {"euro", 0x20AC}, {"trade", 0x2122}, {"larr", 0x2190},
    {"uarr", 0x2191}, {"rarr", 0x2192}, {"darr", 0x2193}, {"harr", 0x2194}, {"minus", 0x2212},
    {"infin", 0x221E}, {"ne", 0x2260}, {"le", 0x2264}, {"ge", 0x2265}, {"hearts", 0x2665},
    {"check", 0x2713}, {"star", 0x2606}, {"starf", 0x2605}, {"Tab", '\t'}, {"NewLine", '\n'},
};

// Entities HTML accepts without the closing semicolon (the common legacy ones).
constexpr const char *kBareEntities[] = {"amp", "lt", "gt", "quot", "nbsp", "copy", "reg"};

QString decodeEntities(QStringView text)
{
    if (!text.contains(QLatin1Char('&')))
        return text.toString();
    QString out;
    out.reserve(text.size());
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = text[i];
        if (c != QLatin1Char('&')) {
            out.append(c);
            ++i;
            continue;
        }
        qsizetype j = i + 1;
        if (j < n && text[j] == QLatin1Char('#')) {
            ++j;
            const bool hex = j < n && (text[j] == QLatin1Char('x') || text[j] == QLatin1Char('X'));
            if (hex)
                ++j;
            const qsizetype digitsStart = j;
            char32_t cp = 0;
            bool overflow = false;
            while (j < n) {
                const char16_t u = text[j].unicode();
                const int d = u >= 128 ? -1 : hex ? hexValue(char(u)) : (u >= '0' && u <= '9' ? u - '0' : -1);
                if (d < 0)
                    break;
                cp = cp * (hex ? 16 : 10) + char32_t(d);
                if (cp > 0x10FFFF)
                    overflow = true, cp = 0x110000;
                ++j;
            }
            if (j == digitsStart) {
                out.append(c);
                ++i;
                continue;
            }
            if (j < n && text[j] == QLatin1Char(';'))
                ++j;
            if (overflow)
                cp = 0xFFFD;
            else if (cp >= 0x80 && cp < 0xA0)
                cp = kCp1252High[cp - 0x80]; // what browsers do with &#150;
            appendUcs4(out, cp);
            i = j;
            continue;
        }
        while (j < n && j - i <= 32 && text[j].unicode() < 128 && text[j].isLetterOrNumber())
            ++j;
        const QStringView name = text.mid(i + 1, j - i - 1);
        const bool semicolon = j < n && text[j] == QLatin1Char(';');
        bool found = false;
        if (!name.isEmpty()) {
            for (const Entity &e : kEntities) {
                if (name == QLatin1String(e.name)) {
                    const bool bare = std::any_of(std::begin(kBareEntities), std::end(kBareEntities),
                                                  [&](const char *b) { return qstrcmp(b, e.name) == 0; });
                    if (semicolon || bare) {
                        out.append(QChar(e.code));
                        i = semicolon ? j + 1 : j;
                        found = true;
                    }
                    break;
                }
            }
        }
        if (!found) {
            out.append(c);
            ++i;
        }
    }
    return out;
}

bool isHtmlSpace(char16_t u)
{
    return u == ' ' || u == '\t' || u == '\n' || u == '\r' || u == '\f' || u == 0xA0
        || u == 0x2002 || u == 0x2003 || u == 0x2009 || u == 0x3000;
}

// Accumulates text with pending white space and line breaks, so that runs
// collapse and nothing leads or trails.
class TextBuilder
{
public:
    void space() { m_pendingSpace = true; }
    void blockBreak(int lines) { m_pendingBreaks = std::max(m_pendingBreaks, lines); }
    void lineBreak() { m_pendingBreaks = std::min(m_pendingBreaks + 1, 2); }

    void addText(QStringView text, bool pre)
    {
        for (QChar ch : text) {
            const char16_t u = ch.unicode();
            if (isZeroWidth(u) || u == '\r')
                continue;
            if (pre) {
                if (u == '\n') {
                    lineBreak();
                    continue;
                }
                flush();
                m_out.append(u == 0xA0 ? QChar(QLatin1Char(' ')) : ch);
                continue;
            }
            if (isHtmlSpace(u)) {
                m_pendingSpace = true;
                continue;
            }
            flush();
            m_out.append(ch);
        }
    }

    QString result() const { return m_out; }

private:
    void flush()
    {
        if (!m_out.isEmpty()) {
            if (m_pendingBreaks > 0)
                m_out.append(QString(m_pendingBreaks, QLatin1Char('\n')));
            else if (m_pendingSpace)
                m_out.append(QLatin1Char(' '));
        }
        m_pendingBreaks = 0;
        m_pendingSpace = false;
    }

    QString m_out;
    bool m_pendingSpace = false;
    int m_pendingBreaks = 0;
};

qsizetype indexOfCi(const QString &haystack, const QString &needle, qsizetype from)
{
    return haystack.indexOf(needle, from, Qt::CaseInsensitive);
}

bool isAsciiLetter(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z');
}

bool isTagNameChar(QChar c)
{
    const char16_t u = c.unicode();
    return isAsciiLetter(c) || (u >= '0' && u <= '9') || u == '-' || u == ':' || u == '_';
}

} // namespace

QString htmlToText(const QString &html)
{
    TextBuilder b;
    const qsizetype n = html.size();
    qsizetype i = 0;
    int preDepth = 0;
    while (i < n) {
        const qsizetype lt = html.indexOf(QLatin1Char('<'), i);
        const qsizetype textEnd = lt < 0 ? n : lt;
        if (textEnd > i)
            b.addText(decodeEntities(QStringView(html).mid(i, textEnd - i)), preDepth > 0);
        if (lt < 0)
            break;
        i = lt;
        if (i + 1 >= n) {
            b.addText(u"<", preDepth > 0);
            break;
        }
        const QChar next = html[i + 1];
        if (next == QLatin1Char('!')) {
            if (QStringView(html).mid(i, 4) == QLatin1String("<!--")) {
                const qsizetype e = html.indexOf(QLatin1String("-->"), i + 4);
                i = e < 0 ? n : e + 3;
            } else if (QStringView(html).mid(i, 9) == QLatin1String("<![CDATA[")) {
                const qsizetype e = html.indexOf(QLatin1String("]]>"), i + 9);
                b.addText(QStringView(html).mid(i + 9, (e < 0 ? n : e) - i - 9), preDepth > 0);
                i = e < 0 ? n : e + 3;
            } else { // <!DOCTYPE>, <![if mso]>
                const qsizetype e = html.indexOf(QLatin1Char('>'), i + 2);
                i = e < 0 ? n : e + 1;
            }
            continue;
        }
        if (next == QLatin1Char('?')) {
            const qsizetype e = html.indexOf(QLatin1Char('>'), i + 2);
            i = e < 0 ? n : e + 1;
            continue;
        }
        const bool closing = next == QLatin1Char('/');
        const qsizetype nameStart = i + (closing ? 2 : 1);
        if (nameStart >= n || !isAsciiLetter(html[nameStart])) {
            b.addText(u"<", preDepth > 0); // "a < b" is text
            ++i;
            continue;
        }
        qsizetype j = nameStart;
        while (j < n && isTagNameChar(html[j]))
            ++j;
        const QString name = html.mid(nameStart, j - nameStart).toLower();
        // The end of the tag; a quote opens a quoted value only right after '='.
        qsizetype k = j;
        QChar quote;
        QChar lastNonSpace;
        while (k < n) {
            const QChar ch = html[k];
            if (!quote.isNull()) {
                if (ch == quote)
                    quote = QChar();
            } else if ((ch == QLatin1Char('"') || ch == QLatin1Char('\''))
                       && lastNonSpace == QLatin1Char('=')) {
                quote = ch;
            } else if (ch == QLatin1Char('>')) {
                break;
            }
            if (!ch.isSpace())
                lastNonSpace = ch;
            ++k;
        }
        if (k >= n)
            break; // unterminated tag at the end: dropped, as browsers do
        const qsizetype tagEnd = k + 1;

        if (!closing
            && (name == QLatin1String("script") || name == QLatin1String("style")
                || name == QLatin1String("title") || name == QLatin1String("noscript")
                || name == QLatin1String("template") || name == QLatin1String("xml"))) {
            const qsizetype e = indexOfCi(html, QLatin1String("</") + name, tagEnd);
            if (e < 0) {
                i = n;
            } else {
                const qsizetype g = html.indexOf(QLatin1Char('>'), e);
                i = g < 0 ? n : g + 1;
            }
            continue;
        }
        if (!closing && name == QLatin1String("head")) {
            const qsizetype e = indexOfCi(html, QStringLiteral("</head"), tagEnd);
            if (e >= 0) {
                const qsizetype g = html.indexOf(QLatin1Char('>'), e);
                i = g < 0 ? n : g + 1;
                continue;
            }
            const qsizetype body = indexOfCi(html, QStringLiteral("<body"), tagEnd);
            i = body >= 0 ? body : tagEnd; // no </head>: skip to <body>, or ignore the tag
            continue;
        }

        if (name == QLatin1String("br")) {
            b.lineBreak();
        } else if (name == QLatin1String("pre")) {
            preDepth = closing ? std::max(0, preDepth - 1) : preDepth + 1;
            b.blockBreak(2);
        } else if (name == QLatin1String("p") || name == QLatin1String("blockquote")
                   || name == QLatin1String("table") || name == QLatin1String("ul")
                   || name == QLatin1String("ol") || name == QLatin1String("dl")
                   || name == QLatin1String("hr")
                   || (name.size() == 2 && name[0] == QLatin1Char('h') && name[1] >= QLatin1Char('1')
                       && name[1] <= QLatin1Char('6'))) {
            b.blockBreak(2);
        } else if (name == QLatin1String("div") || name == QLatin1String("li")
                   || name == QLatin1String("tr") || name == QLatin1String("dt")
                   || name == QLatin1String("dd") || name == QLatin1String("section")
                   || name == QLatin1String("article") || name == QLatin1String("header")
                   || name == QLatin1String("footer") || name == QLatin1String("nav")
                   || name == QLatin1String("aside") || name == QLatin1String("main")
                   || name == QLatin1String("form") || name == QLatin1String("fieldset")
                   || name == QLatin1String("caption") || name == QLatin1String("center")
                   || name == QLatin1String("address") || name == QLatin1String("figure")
                   || name == QLatin1String("figcaption") || name == QLatin1String("body")
                   || name == QLatin1String("tbody") || name == QLatin1String("thead")
                   || name == QLatin1String("tfoot") || name == QLatin1String("details")
                   || name == QLatin1String("summary") || name == QLatin1String("option")) {
            b.blockBreak(1);
        } else if (name == QLatin1String("td") || name == QLatin1String("th")) {
            b.space();
        }
        i = tagEnd;
    }
    return b.result();
}

} // namespace Lookback::Mime
