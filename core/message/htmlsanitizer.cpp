#include "message/htmlsanitizer.h"

#include <QSet>
#include <QStringList>
#include <QVector>

namespace Lookback {

namespace {

// The HTML subset QTextDocument renders, less what can load or run anything.
const QSet<QString> &allowedTags()
{
    static const QSet<QString> tags = {
        QStringLiteral("a"),      QStringLiteral("abbr"),   QStringLiteral("acronym"), QStringLiteral("address"),
        QStringLiteral("b"),      QStringLiteral("bdo"),    QStringLiteral("big"),     QStringLiteral("blockquote"),
        QStringLiteral("body"),   QStringLiteral("br"),     QStringLiteral("caption"), QStringLiteral("center"),
        QStringLiteral("cite"),   QStringLiteral("code"),   QStringLiteral("col"),     QStringLiteral("colgroup"),
        QStringLiteral("dd"),     QStringLiteral("del"),    QStringLiteral("dfn"),     QStringLiteral("div"),
        QStringLiteral("dl"),     QStringLiteral("dt"),     QStringLiteral("em"),      QStringLiteral("font"),
        QStringLiteral("h1"),     QStringLiteral("h2"),     QStringLiteral("h3"),      QStringLiteral("h4"),
        QStringLiteral("h5"),     QStringLiteral("h6"),     QStringLiteral("head"),    QStringLiteral("hr"),
        QStringLiteral("html"),   QStringLiteral("i"),      QStringLiteral("img"),     QStringLiteral("ins"),
        QStringLiteral("kbd"),    QStringLiteral("li"),     QStringLiteral("mark"),    QStringLiteral("nobr"),
        QStringLiteral("ol"),     QStringLiteral("p"),      QStringLiteral("pre"),     QStringLiteral("q"),
        QStringLiteral("s"),      QStringLiteral("samp"),   QStringLiteral("small"),   QStringLiteral("span"),
        QStringLiteral("strike"), QStringLiteral("strong"), QStringLiteral("sub"),     QStringLiteral("sup"),
        QStringLiteral("table"),  QStringLiteral("tbody"),  QStringLiteral("td"),      QStringLiteral("tfoot"),
        QStringLiteral("th"),     QStringLiteral("thead"),  QStringLiteral("tr"),      QStringLiteral("tt"),
        QStringLiteral("u"),      QStringLiteral("ul"),     QStringLiteral("var"),     QStringLiteral("wbr"),
    };
    return tags;
}

// Removed with everything up to their end tag (or the end of the input).
const QSet<QString> &removedWithContent()
{
    static const QSet<QString> tags = {
        QStringLiteral("script"),   QStringLiteral("style"),    QStringLiteral("title"),   QStringLiteral("iframe"),
        QStringLiteral("object"),   QStringLiteral("applet"),   QStringLiteral("template"), QStringLiteral("noembed"),
        QStringLiteral("noframes"), QStringLiteral("frameset"), QStringLiteral("svg"),     QStringLiteral("math"),
        QStringLiteral("xmp"),
    };
    return tags;
}

// Attributes QTextDocument understands that carry no URL; href, src,
// background and style are decided one by one.
const QSet<QString> &plainAttributes()
{
    static const QSet<QString> names = {
        QStringLiteral("align"),    QStringLiteral("alink"),       QStringLiteral("alt"),
        QStringLiteral("bgcolor"),  QStringLiteral("border"),      QStringLiteral("bordercolor"),
        QStringLiteral("cellpadding"), QStringLiteral("cellspacing"), QStringLiteral("class"),
        QStringLiteral("clear"),    QStringLiteral("color"),       QStringLiteral("cols"),
        QStringLiteral("colspan"),  QStringLiteral("compact"),     QStringLiteral("dir"),
        QStringLiteral("face"),     QStringLiteral("frame"),       QStringLiteral("height"),
        QStringLiteral("hspace"),   QStringLiteral("id"),          QStringLiteral("lang"),
        QStringLiteral("link"),     QStringLiteral("name"),        QStringLiteral("noshade"),
        QStringLiteral("nowrap"),   QStringLiteral("rows"),        QStringLiteral("rowspan"),
        QStringLiteral("rules"),    QStringLiteral("scope"),       QStringLiteral("size"),
        QStringLiteral("span"),     QStringLiteral("start"),       QStringLiteral("summary"),
        QStringLiteral("text"),     QStringLiteral("title"),       QStringLiteral("type"),
        QStringLiteral("valign"),   QStringLiteral("value"),       QStringLiteral("vlink"),
        QStringLiteral("vspace"),   QStringLiteral("width"),
    };
    return names;
}

bool isColourAttribute(const QString &name)
{
    for (const char *colour : {"color", "bgcolor", "text", "link", "vlink", "alink"}) {
        if (name == QLatin1String(colour))
            return true;
    }
    return false;
}

bool takesBackground(const QString &tag)
{
    for (const char *name : {"body", "table", "td", "th", "tr"}) {
        if (tag == QLatin1String(name))
            return true;
    }
    return false;
}

bool isAsciiLetter(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'));
}

bool isAsciiDigit(QChar c)
{
    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
}

// The value of a hexadecimal digit, or -1.
int hexValue(QChar c)
{
    if (isAsciiDigit(c))
        return c.unicode() - '0';
    const char16_t lower = c.toLower().unicode();
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
}

bool isHtmlSpace(QChar c)
{
    return c == QLatin1Char(' ') || c == QLatin1Char('\t') || c == QLatin1Char('\n') || c == QLatin1Char('\r')
        || c == QLatin1Char('\f');
}

bool isTagNameChar(QChar c)
{
    return isAsciiLetter(c) || isAsciiDigit(c) || c == QLatin1Char(':') || c == QLatin1Char('-');
}

void appendCodePoint(QString *out, uint code)
{
    // Nothing a document could use to hide a character from a check.
    if (code == 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
        code = 0xfffd;
    const char32_t c = code;
    out->append(QString::fromUcs4(&c, 1));
}

// Character references in an attribute value, decoded as a browser would:
// numeric ones with or without the semicolon, and the named ones that occur
// in URLs and titles. Any other & stays a literal & (and is written out
// escaped, so QTextDocument cannot decode it into anything else either).
QString decodeReferences(QStringView value)
{
    static const struct { const char *name; char16_t code; } named[] = {
        {"amp", u'&'}, {"lt", u'<'}, {"gt", u'>'}, {"quot", u'"'}, {"apos", u'\''}, {"nbsp", 0xa0},
    };
    QString out;
    out.reserve(value.size());
    const qsizetype n = value.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = value.at(i);
        if (c != QLatin1Char('&')) {
            out += c;
            continue;
        }
        if (i + 1 < n && value.at(i + 1) == QLatin1Char('#')) {
            qsizetype j = i + 2;
            const bool hex = j < n && (value.at(j) == QLatin1Char('x') || value.at(j) == QLatin1Char('X'));
            if (hex)
                ++j;
            const qsizetype digitsStart = j;
            quint64 code = 0;
            while (j < n && (hex ? hexValue(value.at(j)) >= 0 : isAsciiDigit(value.at(j)))) {
                if (code <= 0x10ffff) // stays out of range once it is, without overflowing
                    code = code * (hex ? 16 : 10) + uint(hexValue(value.at(j)));
                ++j;
            }
            if (j > digitsStart) {
                appendCodePoint(&out, code > 0x10ffff ? 0xfffd : uint(code));
                if (j < n && value.at(j) == QLatin1Char(';'))
                    ++j;
                i = j - 1;
                continue;
            }
        } else {
            bool decoded = false;
            for (const auto &entity : named) {
                const QLatin1String name(entity.name);
                if (value.mid(i + 1).startsWith(name, Qt::CaseSensitive) && i + 1 + name.size() < n
                    && value.at(i + 1 + name.size()) == QLatin1Char(';')) {
                    out += QChar(entity.code);
                    i += name.size() + 1;
                    decoded = true;
                    break;
                }
            }
            if (decoded)
                continue;
        }
        out += c;
    }
    return out;
}

// A decoded value without the control characters nobody writes on purpose
// (tab, line feed and carriage return stay).
QString withoutControls(const QString &value)
{
    QString out;
    out.reserve(value.size());
    for (const QChar c : value) {
        if ((c.unicode() < 0x20 && c != QLatin1Char('\t') && c != QLatin1Char('\n') && c != QLatin1Char('\r'))
            || c.unicode() == 0x7f)
            continue;
        out += c;
    }
    return out;
}

// A value as it is written out: markup escaped.
QString attributeText(const QString &value)
{
    QString out;
    out.reserve(value.size() + 8);
    for (const QChar c : value) {
        switch (c.unicode()) {
        case '&': out += QLatin1String("&amp;"); break;
        case '<': out += QLatin1String("&lt;"); break;
        case '>': out += QLatin1String("&gt;"); break;
        case '"': out += QLatin1String("&quot;"); break;
        default: out += c;
        }
    }
    return out;
}

// A URL as a loader would see its start: white space and control characters
// (which browsers skip inside a scheme) removed, backslashes read as slashes
// (\\host is //host), lower case. Only used to decide, never shown.
QString normalizedUrl(const QString &value)
{
    QString out;
    out.reserve(value.size());
    for (const QChar c : value) {
        if (c.isSpace() || c.unicode() < 0x20 || c.unicode() == 0x7f)
            continue;
        out += c == QLatin1Char('\\') ? QLatin1Char('/') : c.toLower();
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
    if (url.startsWith(QLatin1String("//")))
        return false; // another machine's share (or a protocol-relative address)
    for (const char *scheme : {"http:", "https:", "mailto:", "cid:"}) {
        if (url.startsWith(QLatin1String(scheme)))
            return true;
    }
    return false;
}

// Without its /* comments */ (an unclosed one runs to the end).
QString withoutComments(const QString &css)
{
    QString out;
    qsizetype i = 0;
    while (i < css.size()) {
        const qsizetype open = css.indexOf(QLatin1String("/*"), i);
        if (open < 0) {
            out += QStringView(css).mid(i);
            break;
        }
        out += QStringView(css).mid(i, open - i);
        const qsizetype close = css.indexOf(QLatin1String("*/"), open + 2);
        i = close < 0 ? css.size() : close + 2;
    }
    return out;
}

bool isCssPropertyName(const QString &name)
{
    qsizetype i = name.startsWith(QLatin1Char('-')) ? 1 : 0;
    if (i >= name.size() || !(name.at(i) >= QLatin1Char('a') && name.at(i) <= QLatin1Char('z')))
        return false;
    for (; i < name.size(); ++i) {
        const QChar c = name.at(i);
        if (!(c >= QLatin1Char('a') && c <= QLatin1Char('z')) && !isAsciiDigit(c) && c != QLatin1Char('-'))
            return false;
    }
    return true;
}

// One style attribute, already decoded: the declarations that load nothing.
// Written without regular expressions on purpose: a match that fails (on
// text a regular expression engine rejects) must not mean "allowed".
QString cleanStyle(const QString &value, SanitizedHtml *out)
{
    QStringList kept;
    for (const QString &part : withoutComments(value).split(QLatin1Char(';'))) {
        const QString declaration = part.trimmed();
        if (declaration.isEmpty())
            continue;
        const QString squashed = normalizedUrl(declaration);
        // Every function called, by the name in front of its '('. Remote
        // backgrounds are reported whether or not the rest is kept.
        bool loadsOnlyParts = true;
        bool allowedFunctions = true;
        for (qsizetype open = squashed.indexOf(QLatin1Char('(')); open >= 0;
             open = squashed.indexOf(QLatin1Char('('), open + 1)) {
            qsizetype start = open;
            while (start > 0
                   && (isAsciiLetter(squashed.at(start - 1)) || isAsciiDigit(squashed.at(start - 1))
                       || squashed.at(start - 1) == QLatin1Char('-') || squashed.at(start - 1) == QLatin1Char('_')))
                --start;
            const QStringView name = QStringView(squashed).mid(start, open - start);
            if (name == QLatin1String("url")) {
                QStringView target = QStringView(squashed).mid(open + 1);
                if (target.startsWith(QLatin1Char('\'')) || target.startsWith(QLatin1Char('"')))
                    target = target.mid(1);
                if (isRemote(target.toString()))
                    out->remoteContent = true;
                if (!target.startsWith(QLatin1String("cid:")))
                    loadsOnlyParts = false;
            } else if (name != QLatin1String("rgb") && name != QLatin1String("rgba") && name != QLatin1String("hsl")
                       && name != QLatin1String("hsla")) {
                allowedFunctions = false; // expression(), image-set(), and whatever comes next
            }
        }
        const qsizetype colon = declaration.indexOf(QLatin1Char(':'));
        if (colon <= 0 || !loadsOnlyParts || !allowedFunctions)
            continue;
        const QString name = declaration.left(colon).trimmed().toLower();
        if (!isCssPropertyName(name) || name.startsWith(QLatin1String("-qt-"))
            || name.startsWith(QLatin1String("-moz-")) || name == QLatin1String("behavior"))
            continue;
        // CSS escapes can spell anything; an & left over is a reference
        // nobody decoded; markup has no place in a declaration.
        if (declaration.contains(QLatin1Char('\\')) || declaration.contains(QLatin1Char('&'))
            || declaration.contains(QLatin1Char('<')) || declaration.contains(QLatin1Char('>'))
            || squashed.contains(QLatin1String("javascript:")) || squashed.contains(QLatin1String("vbscript:")))
            continue;
        if (name == QLatin1String("color") || name == QLatin1String("background")
            || name == QLatin1String("background-color"))
            out->setsColours = true;
        kept << declaration;
    }
    return kept.join(QLatin1String("; "));
}

struct Attribute
{
    QString name;  // lower case
    QString value; // decoded
    bool hasValue = false;
};

// A tag as the tokenizer read it. `complete` is false when the input ended
// inside it (an unclosed quote, say): such a tag is dropped with the rest.
struct Tag
{
    QString name; // lower case
    QVector<Attribute> attributes;
    bool endTag = false;
    bool selfClosing = false;
    bool complete = false;
    qsizetype end = 0; // index after the '>'
};

// Reads the attributes and the closing '>' of a tag from `pos`, the way the
// HTML5 tokenizer does: names end at white space, '/', '>' or '='; values are
// quoted or run to white space or '>'; stray '/' are white space.
void readAttributes(QStringView html, qsizetype pos, Tag *tag)
{
    const qsizetype n = html.size();
    while (true) {
        while (pos < n && (isHtmlSpace(html.at(pos)) || html.at(pos) == QLatin1Char('/'))) {
            tag->selfClosing = html.at(pos) == QLatin1Char('/');
            ++pos;
        }
        if (pos >= n)
            return; // incomplete
        if (html.at(pos) == QLatin1Char('>')) {
            tag->complete = true;
            tag->end = pos + 1;
            return;
        }
        tag->selfClosing = false;
        Attribute attribute;
        const qsizetype nameStart = pos;
        ++pos; // the first character may be '='
        while (pos < n && !isHtmlSpace(html.at(pos)) && html.at(pos) != QLatin1Char('/')
               && html.at(pos) != QLatin1Char('>') && html.at(pos) != QLatin1Char('='))
            ++pos;
        attribute.name = html.mid(nameStart, pos - nameStart).toString().toLower();
        qsizetype look = pos;
        while (look < n && isHtmlSpace(html.at(look)))
            ++look;
        if (look < n && html.at(look) == QLatin1Char('=')) {
            pos = look + 1;
            while (pos < n && isHtmlSpace(html.at(pos)))
                ++pos;
            if (pos >= n)
                return;
            const QChar quote = html.at(pos);
            if (quote == QLatin1Char('"') || quote == QLatin1Char('\'')) {
                const qsizetype close = html.indexOf(quote, pos + 1);
                if (close < 0)
                    return; // the quote never closes: the tag takes the rest of the input
                attribute.value = withoutControls(decodeReferences(html.mid(pos + 1, close - pos - 1)));
                pos = close + 1;
            } else {
                const qsizetype valueStart = pos;
                while (pos < n && !isHtmlSpace(html.at(pos)) && html.at(pos) != QLatin1Char('>'))
                    ++pos;
                attribute.value = withoutControls(decodeReferences(html.mid(valueStart, pos - valueStart)));
            }
            attribute.hasValue = true;
        }
        tag->attributes.append(attribute);
    }
}

// A tag starting at `pos` (at its '<'), or an empty name if there is none.
Tag readTag(QStringView html, qsizetype pos)
{
    Tag tag;
    const qsizetype n = html.size();
    qsizetype i = pos + 1;
    if (i < n && html.at(i) == QLatin1Char('/')) {
        tag.endTag = true;
        ++i;
    }
    if (i >= n || !isAsciiLetter(html.at(i)))
        return tag;
    const qsizetype nameStart = i;
    while (i < n && isTagNameChar(html.at(i)))
        ++i;
    if (i < n && !isHtmlSpace(html.at(i)) && html.at(i) != QLatin1Char('/') && html.at(i) != QLatin1Char('>'))
        return tag; // "a<b:c" is text, not a tag
    tag.name = html.mid(nameStart, i - nameStart).toString().toLower();
    readAttributes(html, i, &tag);
    return tag;
}

// Where the content of a removed element ends: after its end tag, or at the
// end of the input.
qsizetype endOfRemoved(QStringView html, qsizetype from, const QString &name)
{
    const QString closing = QLatin1String("</") + name;
    qsizetype at = from;
    while ((at = html.indexOf(closing, at, Qt::CaseInsensitive)) >= 0) {
        const qsizetype after = at + closing.size();
        if (after >= html.size())
            return html.size();
        const QChar c = html.at(after);
        if (isHtmlSpace(c) || c == QLatin1Char('/') || c == QLatin1Char('>')) {
            Tag end = readTag(html, at);
            return end.complete ? end.end : html.size();
        }
        at = after;
    }
    return html.size();
}

QString writeTag(const Tag &tag, SanitizedHtml *out)
{
    if (tag.endTag)
        return QLatin1String("</") + tag.name + QLatin1Char('>');
    QString written = QLatin1Char('<') + tag.name;
    QSet<QString> seen;
    for (const Attribute &a : tag.attributes) {
        if (seen.contains(a.name))
            continue; // the first one counts, as in a browser
        seen.insert(a.name);
        QString value = a.value;
        if (a.name == QLatin1String("href")) {
            if (tag.name != QLatin1String("a") || !isSafeLink(normalizedUrl(value)))
                continue;
        } else if (a.name == QLatin1String("src") || a.name == QLatin1String("background")) {
            const bool takesIt = a.name == QLatin1String("src") ? tag.name == QLatin1String("img")
                                                                 : takesBackground(tag.name);
            const QString url = normalizedUrl(value);
            if (takesIt && isRemote(url))
                out->remoteContent = true;
            if (!takesIt || !url.startsWith(QLatin1String("cid:")))
                continue;
        } else if (a.name == QLatin1String("style")) {
            value = cleanStyle(value, out);
            if (value.isEmpty())
                continue;
        } else if (!plainAttributes().contains(a.name)) {
            continue; // on* handlers, source, srcset, formaction, xmlns:..., data-..., anything unknown
        } else if (isColourAttribute(a.name)) {
            out->setsColours = true;
        }
        written += QLatin1Char(' ') + a.name;
        if (a.hasValue)
            written += QLatin1String("=\"") + attributeText(value) + QLatin1Char('"');
    }
    if (tag.selfClosing)
        written += QLatin1String(" /");
    written += QLatin1Char('>');
    return written;
}

// The length of a well-formed character reference at `pos` (at its '&'):
// &name; &#123; or &#x1F; -- or 0.
qsizetype referenceLength(QStringView html, qsizetype pos)
{
    const qsizetype n = html.size();
    qsizetype i = pos + 1;
    qsizetype start = i;
    qsizetype maxLength = 32;
    bool (*isPart)(QChar) = [](QChar c) { return isAsciiLetter(c) || isAsciiDigit(c); };
    if (i < n && html.at(i) == QLatin1Char('#')) {
        ++i;
        isPart = isAsciiDigit;
        if (i < n && (html.at(i) == QLatin1Char('x') || html.at(i) == QLatin1Char('X'))) {
            ++i;
            isPart = [](QChar c) { return hexValue(c) >= 0; };
        }
        start = i;
        maxLength = 8;
    } else if (i >= n || !isAsciiLetter(html.at(i))) {
        return 0;
    }
    while (i < n && i - start < maxLength && isPart(html.at(i)))
        ++i;
    if (i == start || i >= n || html.at(i) != QLatin1Char(';'))
        return 0;
    return i + 1 - pos;
}

// The text with every lone surrogate replaced by U+FFFD, so that no later step
// meets UTF-16 that Qt's own functions would reject.
QString validUtf16(const QString &input)
{
    for (qsizetype i = 0; i < input.size(); ++i) {
        const QChar c = input.at(i);
        if (c.isHighSurrogate() && i + 1 < input.size() && input.at(i + 1).isLowSurrogate()) {
            ++i;
        } else if (c.isSurrogate()) {
            const QList<uint> ucs4 = input.toUcs4(); // replaces them
            return QString::fromUcs4(reinterpret_cast<const char32_t *>(ucs4.constData()), ucs4.size());
        }
    }
    return input;
}

} // namespace

SanitizedHtml sanitizeHtml(const QString &input)
{
    SanitizedHtml out;
    const QString text = validUtf16(input);
    const QStringView html(text);
    const qsizetype n = html.size();
    QString &result = out.html;
    result.reserve(n);

    qsizetype i = 0;
    while (i < n) {
        const QChar c = html.at(i);
        if (c == QLatin1Char('&')) {
            const qsizetype length = referenceLength(html, i);
            if (length > 0) {
                result += html.mid(i, length);
                i += length;
            } else {
                result += QLatin1String("&amp;");
                ++i;
            }
            continue;
        }
        if (c == QLatin1Char('>')) {
            result += QLatin1String("&gt;");
            ++i;
            continue;
        }
        if (c.unicode() == 0) {
            ++i;
            continue;
        }
        if (c != QLatin1Char('<')) {
            result += c;
            ++i;
            continue;
        }

        // Comments end at "-->", as QTextDocument reads them; an unclosed one
        // hides the rest.
        if (html.mid(i, 4) == QLatin1String("<!--")) {
            const qsizetype close = html.indexOf(QLatin1String("-->"), i + 4);
            i = close < 0 ? n : close + 3;
            continue;
        }
        // <!DOCTYPE>, <![CDATA[, <?xml ?>, </ followed by no name: up to the next '>'.
        if (i + 1 < n
            && (html.at(i + 1) == QLatin1Char('!') || html.at(i + 1) == QLatin1Char('?')
                || (html.at(i + 1) == QLatin1Char('/') && (i + 2 >= n || !isAsciiLetter(html.at(i + 2)))))) {
            const qsizetype close = html.indexOf(QLatin1Char('>'), i + 1);
            i = close < 0 ? n : close + 1;
            continue;
        }
        const Tag tag = readTag(html, i);
        if (tag.name.isEmpty()) {
            result += QLatin1String("&lt;");
            ++i;
            continue;
        }
        if (!tag.complete)
            break; // the input ended inside the tag: it is dropped with what follows
        i = tag.end;
        if (removedWithContent().contains(tag.name)) {
            if (!tag.endTag)
                i = endOfRemoved(html, i, tag.name);
            continue;
        }
        if (allowedTags().contains(tag.name))
            result += writeTag(tag, &out);
    }
    return out;
}

} // namespace Lookback
