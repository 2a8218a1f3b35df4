#include "headers.h"

#include "charset.h"
#include "gmimeinternal.h"
#include "messageparser.h"
#include "mimeinternal.h"

#include <algorithm>

// Everything here runs on whichever worker thread calls it: GMime address lists,
// dates and parser options are created per call and released before returning.

namespace Lookback::Mime::detail {

// Removes (comments), outside <...> and "..." only.
QString stripComments(const QString &s)
{
    QString out;
    int depth = 0;
    bool inAngle = false;
    bool inQuote = false;
    for (int i = 0; i < s.size(); ++i) {
        const QChar c = s[i];
        if (depth == 0 && !inQuote && c == QLatin1Char('<'))
            inAngle = true;
        else if (depth == 0 && !inQuote && c == QLatin1Char('>'))
            inAngle = false;
        else if (depth == 0 && !inAngle && c == QLatin1Char('"'))
            inQuote = !inQuote;
        if (!inAngle && !inQuote) {
            if (c == QLatin1Char('(')) {
                ++depth;
                continue;
            }
            if (c == QLatin1Char(')') && depth > 0) {
                --depth;
                out.append(QLatin1Char(' '));
                continue;
            }
        }
        if (depth == 0)
            out.append(c);
    }
    return out;
}

qsizetype headerBlockEnd(const QByteArray &data, qsizetype start)
{
    const qsizetype lf = data.indexOf("\n\n", start);
    const qsizetype crlf = data.indexOf("\n\r\n", start);
    if (lf < 0 && crlf < 0)
        return data.size();
    if (lf < 0)
        return crlf + 1;
    if (crlf < 0)
        return lf + 1;
    return std::min(lf, crlf) + 1;
}

} // namespace Lookback::Mime::detail

namespace Lookback::Mime {

using namespace detail;

namespace {

// ---------------------------------------------------------------------------
// RFC 2047

struct HeaderSegment
{
    bool encoded = false;
    QByteArray charset; // normalised, encoded segments only
    QByteArray bytes;   // payload (encoded) or raw text
};

bool isCharsetChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || QByteArrayView("!#$%&'+-^_`{}~*.:").contains(c);
}

// Parses "=?charset?B|Q?text?=" at pos; tolerant like mail clients are: the
// word need not be delimited by white space, and Q text may contain spaces.
bool parseEncodedWord(const QByteArray &s, qsizetype pos, qsizetype *end, HeaderSegment *seg)
{
    const qsizetype n = s.size();
    const qsizetype csStart = pos + 2;
    qsizetype q1 = csStart;
    while (q1 < n && s[q1] != '?' && isCharsetChar(s[q1]) && q1 - csStart <= 64)
        ++q1;
    if (q1 >= n || s[q1] != '?' || q1 == csStart)
        return false;
    if (q1 + 2 >= n || s[q1 + 2] != '?')
        return false;
    const char enc = s[q1 + 1];
    if (enc != 'B' && enc != 'b' && enc != 'Q' && enc != 'q')
        return false;
    const qsizetype textStart = q1 + 3;
    // RFC 2047 words are at most 75 characters; looking much further would
    // make a header full of unterminated words quadratic.
    const QByteArrayView window =
        QByteArrayView(s).sliced(textStart, std::min<qsizetype>(2000, n - textStart));
    const qsizetype closeInWindow = window.indexOf("?=");
    if (closeInWindow < 0)
        return false;
    const qsizetype close = textStart + closeInWindow;
    const QByteArray text = s.mid(textStart, close - textStart);
    if (text.contains("=?")) // ran into the next word: this one is unterminated
        return false;

    QByteArray payload;
    if (enc == 'B' || enc == 'b') {
        QByteArray compact;
        compact.reserve(text.size());
        for (char c : text) {
            if (c != ' ' && c != '\t')
                compact.append(c);
        }
        payload = QByteArray::fromBase64(compact);
    } else {
        payload.reserve(text.size());
        for (qsizetype i = 0; i < text.size(); ++i) {
            const char c = text[i];
            if (c == '_') {
                payload.append(' ');
            } else if (c == '=' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0
                       && hexValue(text[i + 2]) >= 0) {
                payload.append(char(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2])));
                i += 2;
            } else {
                payload.append(c);
            }
        }
    }
    seg->encoded = true;
    seg->charset = normalizeCharsetLabel(s.mid(csStart, q1 - csStart));
    seg->bytes = payload;
    *end = close + 2;
    return true;
}

bool isBlank(const QByteArray &b)
{
    return std::all_of(b.begin(), b.end(), [](char c) { return c == ' ' || c == '\t'; });
}

// Splits an (unfolded) header value into raw text and encoded-word runs. White
// space between two encoded words is dropped (RFC 2047 section 6.2) and adjacent
// words in the same charset are joined before conversion, so a multi-byte
// character split across two words survives.
QVector<HeaderSegment> splitEncodedWords(const QByteArray &s)
{
    QVector<HeaderSegment> segs;
    const qsizetype n = s.size();
    qsizetype textStart = 0;
    qsizetype i = 0;
    while (i + 1 < n) {
        if (s[i] == '=' && s[i + 1] == '?') {
            HeaderSegment word;
            qsizetype end = 0;
            if (parseEncodedWord(s, i, &end, &word)) {
                if (i > textStart) {
                    HeaderSegment text;
                    text.bytes = s.mid(textStart, i - textStart);
                    // Blank text between two encoded words is not part of the text.
                    if (!(isBlank(text.bytes) && !segs.isEmpty() && segs.last().encoded))
                        segs.append(text);
                }
                if (!segs.isEmpty() && segs.last().encoded && segs.last().charset == word.charset)
                    segs.last().bytes += word.bytes;
                else
                    segs.append(word);
                i = end;
                textStart = i;
                continue;
            }
        }
        ++i;
    }
    if (textStart < n) {
        HeaderSegment text;
        text.bytes = s.mid(textStart);
        segs.append(text);
    }
    return segs;
}

QString decodeRawHeaderBytes(const QByteArray &bytes)
{
    // Raw ISO-2022-JP in a header (7-bit, so only the escape gives it away).
    if (bytes.contains("\x1b$"))
        return decodeCharset(bytes, "iso-2022-jp");
    return decodeUtf8OrCp1252(bytes);
}

QString decodeSegments(const QVector<HeaderSegment> &segs)
{
    QString out;
    for (const HeaderSegment &seg : segs)
        out += seg.encoded ? decodeCharset(seg.bytes, seg.charset) : decodeRawHeaderBytes(seg.bytes);
    return out;
}

// A structured header (addresses) made safe for GMime: encoded-word runs are
// decoded here, with our charset policy, and re-encoded as UTF-8 words; raw
// 8-bit text becomes UTF-8. GMime then parses the structure.
QByteArray prepareStructured(const QByteArray &raw)
{
    const QVector<HeaderSegment> segs = splitEncodedWords(unfold(raw));
    QByteArray out;
    bool previousEncoded = false;
    for (const HeaderSegment &seg : segs) {
        if (seg.encoded) {
            if (previousEncoded)
                out.append(' ');
            const QByteArray utf8 =
                controlsToSpaces(decodeCharset(seg.bytes, seg.charset)).toUtf8();
            out += "=?UTF-8?B?" + utf8.toBase64() + "?=";
        } else {
            out += hasEightBit(seg.bytes) || seg.bytes.contains('\x1b')
                ? decodeRawHeaderBytes(seg.bytes).toUtf8()
                : seg.bytes;
        }
        previousEncoded = seg.encoded;
    }
    return out;
}

// ---------------------------------------------------------------------------
// Addresses

QString cleanName(const QString &raw)
{
    QString name = controlsToSpaces(raw).trimmed();
    // Outlook writes 'Name' in single quotes; some gateways double-quote twice.
    while (name.size() >= 2
           && ((name.startsWith(QLatin1Char('\'')) && name.endsWith(QLatin1Char('\'')))
               || (name.startsWith(QLatin1Char('"')) && name.endsWith(QLatin1Char('"'))))) {
        name = name.mid(1, name.size() - 2).trimmed();
    }
    return name;
}

void collectAddresses(InternetAddressList *list, QVector<Address> &out, int depth)
{
    if (!list || depth > 4)
        return;
    const int count = internet_address_list_length(list);
    for (int i = 0; i < count; ++i) {
        InternetAddress *ia = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(ia)) {
            collectAddresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), out,
                             depth + 1);
        } else if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
            Address a;
            a.name = cleanName(QString::fromUtf8(internet_address_get_name(ia)));
            a.email = controlsToSpaces(QString::fromUtf8(
                                           internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia))))
                          .trimmed();
            // A bare phrase GMime took for a local part ("=?utf-8?q?...?=" with no
            // address): it is a name.
            if (!a.email.contains(QLatin1Char('@')) && a.email.contains(QLatin1String("=?"))) {
                if (a.name.isEmpty())
                    a.name = cleanName(decodeHeaderText(a.email.toUtf8()));
                a.email.clear();
            }
            if (!a.name.isEmpty() || !a.email.isEmpty())
                out.append(a);
        }
    }
}

QVector<Address> parseAddressList(const QByteArray &value)
{
    QVector<Address> out;
    const QByteArray prepared = prepareStructured(value);
    if (isBlank(prepared))
        return out;
    ParserOptions options;
    InternetAddressList *list = internet_address_list_parse(options.get(), prepared.constData());
    const bool parsed = list && internet_address_list_length(list) > 0;
    collectAddresses(list, out, 0);
    if (list)
        g_object_unref(list);
    if (parsed)
        return out; // possibly empty: "undisclosed-recipients:;"

    // Not an address list at all ("Foo Bar <foo at bar>", "garbage"). Keep what a
    // person can read rather than show nothing.
    QString text = controlsToSpaces(decodeHeaderText(value)).trimmed();
    Address a;
    const int lt = text.indexOf(QLatin1Char('<'));
    const int gt = lt >= 0 ? text.indexOf(QLatin1Char('>'), lt) : -1;
    if (lt >= 0 && gt > lt) {
        a.email = text.mid(lt + 1, gt - lt - 1).trimmed();
        a.name = cleanName(text.left(lt) + QLatin1Char(' ') + text.mid(gt + 1));
    } else {
        a.name = cleanName(text);
    }
    const bool onlyPunctuation = std::all_of(a.name.cbegin(), a.name.cend(), [](QChar c) {
        return c.isSpace() || c.isPunct();
    });
    if (onlyPunctuation)
        a.name.clear();
    if (!a.name.isEmpty() || !a.email.isEmpty())
        out.append(a);
    return out;
}

// ---------------------------------------------------------------------------
// Message-IDs

QString removeWhitespace(const QString &s)
{
    QString out;
    out.reserve(s.size());
    for (QChar c : s) {
        if (!c.isSpace())
            out.append(c);
    }
    return out;
}

// Every <msg-id> in order; without brackets, bare tokens with an "@" count.
QStringList parseMessageIdList(const QByteArray &value)
{
    const QString s = stripComments(controlsToSpaces(decodeUtf8OrCp1252(unfold(value))));
    QStringList ids;
    int pos = 0;
    while (pos < s.size()) {
        const int lt = s.indexOf(QLatin1Char('<'), pos);
        if (lt < 0)
            break;
        const int gt = s.indexOf(QLatin1Char('>'), lt + 1);
        if (gt < 0)
            break;
        const QString id = removeWhitespace(s.mid(lt + 1, gt - lt - 1));
        if (!id.isEmpty() && !id.contains(QLatin1Char('<')) && !ids.contains(id))
            ids.append(id);
        pos = gt + 1;
    }
    if (ids.isEmpty() && !s.contains(QLatin1Char('<'))) {
        QString spaced = s;
        spaced.replace(QLatin1Char(','), QLatin1Char(' '));
        const QStringList tokens = spaced.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        for (const QString &t : tokens) {
            if (t.contains(QLatin1Char('@')) && !t.startsWith(QLatin1Char('@'))
                && !t.endsWith(QLatin1Char('@')) && !ids.contains(t)) {
                ids.append(t);
            }
        }
    }
    return ids;
}

QString parseMessageId(const QByteArray &value)
{
    const QString s = stripComments(controlsToSpaces(decodeUtf8OrCp1252(unfold(value)))).trimmed();
    const int lt = s.indexOf(QLatin1Char('<'));
    if (lt >= 0) {
        const int gt = s.indexOf(QLatin1Char('>'), lt + 1);
        if (gt < 0)
            return QString();
        return removeWhitespace(s.mid(lt + 1, gt - lt - 1));
    }
    // Bare "id@host" from broken mailers is still an id; prose is not.
    if (!s.isEmpty() && !s.contains(QLatin1Char(' ')) && s.contains(QLatin1Char('@'))
        && !s.contains(QLatin1Char('>'))) {
        return s;
    }
    return QString();
}

// ---------------------------------------------------------------------------
// Dates

struct ZoneName
{
    const char *name;
    int minutes;
};

// Zone names seen in real Date: headers. GMime knows the RFC 822 ones; these
// are the rest (IST as India, by far the most common meaning in mail).
constexpr ZoneName kZones[] = {
    {"UT", 0}, {"UTC", 0}, {"GMT", 0}, {"Z", 0}, {"WET", 0}, {"BST", 60}, {"WEST", 60},
    {"CET", 60}, {"MET", 60}, {"MEZ", 60}, {"CEST", 120}, {"MEST", 120}, {"MESZ", 120},
    {"EET", 120}, {"EEST", 180}, {"MSK", 180}, {"MSD", 240}, {"SAST", 120}, {"CAT", 120},
    {"EAT", 180}, {"WAT", 60}, {"IST", 330}, {"PKT", 300}, {"ICT", 420}, {"WIB", 420},
    {"HKT", 480}, {"SGT", 480}, {"PHT", 480}, {"AWST", 480}, {"CST", -360}, {"JST", 540},
    {"KST", 540}, {"ACST", 570}, {"AEST", 600}, {"AEDT", 660}, {"NZST", 720}, {"NZDT", 780},
    {"EST", -300}, {"EDT", -240}, {"CDT", -300}, {"MST", -420}, {"MDT", -360}, {"PST", -480},
    {"PDT", -420}, {"AKST", -540}, {"AKDT", -480}, {"HST", -600}, {"AST", -240}, {"ADT", -180},
    {"NST", -210}, {"NDT", -150},
};

QString numericZone(int minutes)
{
    const QChar sign = minutes < 0 ? QLatin1Char('-') : QLatin1Char('+');
    minutes = std::abs(minutes);
    return sign + QStringLiteral("%1%2").arg(minutes / 60, 2, 10, QLatin1Char('0')).arg(minutes % 60, 2, 10, QLatin1Char('0'));
}

// Rewrites zone spellings GMime misreads into "+hhmm": "+05:30", "GMT+1",
// "UTC+05:30", "CEST". Other tokens pass through untouched.
QString normalizeDateZones(const QString &value)
{
    QStringList tokens = stripComments(value).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    bool haveNumeric = false;
    for (QString &t : tokens) {
        if ((t.startsWith(QLatin1Char('+')) || t.startsWith(QLatin1Char('-'))) && t.size() == 6
            && t[3] == QLatin1Char(':') && allDigits(t.mid(1, 2)) && allDigits(t.mid(4, 2))) {
            t.remove(3, 1);
            haveNumeric = true;
            continue;
        }
        if ((t.startsWith(QLatin1Char('+')) || t.startsWith(QLatin1Char('-'))) && t.size() == 5
            && allDigits(t.mid(1))) {
            haveNumeric = true;
            continue;
        }
        const QString upper = t.toUpper();
        for (const char *prefix : {"GMT", "UTC", "UT"}) {
            const QString p = QLatin1String(prefix);
            if (upper.size() > p.size() + 1 && upper.startsWith(p)
                && (upper[p.size()] == QLatin1Char('+') || upper[p.size()] == QLatin1Char('-'))) {
                const QString rest = upper.mid(p.size() + 1);
                const QString digits = QString(rest).remove(QLatin1Char(':'));
                if (!allDigits(digits) || digits.size() > 4)
                    break;
                int hours = 0, mins = 0;
                if (digits.size() <= 2) {
                    hours = digits.toInt();
                } else {
                    hours = digits.left(digits.size() - 2).toInt();
                    mins = digits.right(2).toInt();
                }
                const int total = (hours * 60 + mins) * (upper[p.size()] == QLatin1Char('-') ? -1 : 1);
                t = numericZone(total);
                haveNumeric = true;
                break;
            }
        }
    }
    if (!haveNumeric) {
        for (QString &t : tokens) {
            const QString upper = t.toUpper();
            for (const ZoneName &z : kZones) {
                if (upper == QLatin1String(z.name)) {
                    t = numericZone(z.minutes);
                    goto done;
                }
            }
        }
    done:;
    }
    return tokens.join(QLatin1Char(' '));
}

QDateTime parseDate(const QByteArray &value)
{
    const QString text = controlsToSpaces(decodeUtf8OrCp1252(unfold(value))).simplified();
    if (text.isEmpty())
        return QDateTime();
    const QByteArray normalized = normalizeDateZones(text).toUtf8();
    GDateTime *dt = g_mime_utils_header_decode_date(normalized.constData());
    if (dt) {
        const qint64 secs = g_date_time_to_unix(dt);
        g_date_time_unref(dt);
        return QDateTime::fromSecsSinceEpoch(secs, Qt::UTC);
    }
    // ISO 8601 from scripts and some web mailers.
    QDateTime iso = QDateTime::fromString(text, Qt::ISODate);
    if (iso.isValid())
        return iso.toUTC();
    return QDateTime();
}

// ---------------------------------------------------------------------------
// Header blocks

struct HeaderField
{
    QByteArray name; // lower-case
    QByteArray value;
};

bool isFieldNameChar(char c)
{
    return uchar(c) > 32 && uchar(c) < 127 && c != ':';
}

QVector<HeaderField> splitHeaderFields(const QByteArray &block)
{
    QVector<HeaderField> fields;
    const qsizetype n = block.size();
    qsizetype pos = 0;
    if (block.startsWith("From ")) { // mbox separator, not a header
        const qsizetype nl = block.indexOf('\n');
        pos = nl < 0 ? n : nl + 1;
    }
    bool current = false;
    while (pos < n) {
        qsizetype lineEnd = block.indexOf('\n', pos);
        if (lineEnd < 0)
            lineEnd = n;
        QByteArray line = block.mid(pos, lineEnd - pos);
        pos = lineEnd + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            break; // end of the header block
        if (line[0] == ' ' || line[0] == '\t') {
            if (current)
                fields.last().value += line;
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        const QByteArray name = colon > 0 ? line.left(colon).trimmed() : QByteArray();
        if (name.isEmpty() || !std::all_of(name.begin(), name.end(), isFieldNameChar)) {
            current = false; // garbage line: ignore it and its continuation
            continue;
        }
        fields.append({name.toLower(), line.mid(colon + 1)});
        current = true;
    }
    return fields;
}

} // namespace

QString decodeHeaderText(const QByteArray &raw)
{
    return controlsToSpaces(decodeSegments(splitEncodedWords(unfold(raw)))).trimmed();
}

HeaderInfo parseHeaders(const QByteArray &rawHeaderBlock)
{
    ensureInitialized();
    HeaderInfo info;
    bool haveSubject = false, haveMessageId = false, haveInReplyTo = false, haveReferences = false,
         haveDate = false;
    for (const HeaderField &f : splitHeaderFields(rawHeaderBlock)) {
        const QByteArray &name = f.name;
        if (name == "subject") {
            if (!haveSubject)
                info.subject = decodeHeaderText(f.value);
            haveSubject = true;
        } else if (name == "from") {
            info.from += parseAddressList(f.value);
        } else if (name == "to") {
            info.to += parseAddressList(f.value);
        } else if (name == "cc") {
            info.cc += parseAddressList(f.value);
        } else if (name == "bcc") {
            info.bcc += parseAddressList(f.value);
        } else if (name == "reply-to") {
            info.replyTo += parseAddressList(f.value);
        } else if (name == "message-id") {
            if (!haveMessageId)
                info.messageId = parseMessageId(f.value);
            haveMessageId = true;
        } else if (name == "in-reply-to") {
            if (!haveInReplyTo) {
                const QStringList ids = parseMessageIdList(f.value);
                info.inReplyTo = ids.value(0);
            }
            haveInReplyTo = true;
        } else if (name == "references") {
            if (!haveReferences)
                info.references = parseMessageIdList(f.value);
            haveReferences = true;
        } else if (name == "date") {
            if (!haveDate)
                info.date = parseDate(f.value);
            haveDate = true;
        }
    }
    return info;
}

QString formatAddress(const Address &address)
{
    const QString name = address.name.trimmed();
    const QString email = address.email.trimmed();
    if (email.isEmpty())
        return name;
    if (name.isEmpty() || name.compare(email, Qt::CaseInsensitive) == 0)
        return email;
    // Everything that would change the meaning when the list is parsed back
    // (the archive browser does): separators, comments, quotes.
    static constexpr char16_t kSpecials[] = u",;:<>@\"()[]\\";
    const bool needsQuotes = std::any_of(std::begin(kSpecials), std::end(kSpecials) - 1,
                                         [&](char16_t c) { return name.contains(QChar(c)); });
    if (!needsQuotes)
        return name + QLatin1String(" <") + email + QLatin1Char('>');
    QString quoted = name;
    quoted.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    quoted.replace(QLatin1Char('"'), QLatin1String("\\\""));
    return QLatin1Char('"') + quoted + QLatin1String("\" <") + email + QLatin1Char('>');
}

QString formatAddressList(const QVector<Address> &addresses)
{
    QStringList parts;
    parts.reserve(addresses.size());
    for (const Address &a : addresses) {
        const QString f = formatAddress(a);
        if (!f.isEmpty())
            parts.append(f);
    }
    return parts.join(QLatin1String(", "));
}

} // namespace Lookback::Mime
