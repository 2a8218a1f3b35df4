#include "mimedecoder.h"

#include "common/logging.h"

// GLib's headers use "signals" as a name, which Qt defines as a macro.
#pragma push_macro("signals")
#undef signals
#include <gmime/gmime.h>
#pragma pop_macro("signals")

#include <algorithm>
#include <cerrno>
#include <iconv.h>
#include <mutex>

// Everything here runs on whichever worker thread calls it. No function keeps
// state between calls: GMime objects, iconv descriptors and parser options are
// created per call and released before returning. The tables below are const.

namespace Lookback::Mime {

void ensureInitialized()
{
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

namespace {

// ---------------------------------------------------------------------------
// Unicode helpers

// windows-1252 for 0x80..0x9F; the five holes map to the C1 control of the
// same value, as WHATWG does, so that this decoding never fails.
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

inline QChar cp1252Char(uchar b)
{
    return (b >= 0x80 && b < 0xA0) ? QChar(kCp1252High[b - 0x80]) : QChar(b);
}

void appendUcs4(QString &out, char32_t cp)
{
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp >= 0x10000) {
        out.append(QChar(QChar::highSurrogate(cp)));
        out.append(QChar(QChar::lowSurrogate(cp)));
    } else {
        out.append(QChar(char16_t(cp)));
    }
}

// Length of the valid UTF-8 sequence starting at p[i] (2..4), or 0.
int utf8SequenceLength(const uchar *p, qsizetype i, qsizetype n, char32_t *cpOut)
{
    const uchar c = p[i];
    int len = 0;
    char32_t cp = 0;
    uchar lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F; // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (i + len > n)
        return 0;
    for (int k = 1; k < len; ++k) {
        const uchar cc = p[i + k];
        if (cc < (k == 1 ? lo : 0x80) || cc > (k == 1 ? hi : 0xBF))
            return 0;
        cp = (cp << 6) | (cc & 0x3F);
    }
    *cpOut = cp;
    return len;
}

// The fallback decoding: valid UTF-8 sequences as UTF-8, every other byte as
// windows-1252. Equals plain UTF-8 for valid UTF-8 and plain windows-1252 for
// text without multi-byte sequences.
QString decodeUtf8OrCp1252(const char *data, qsizetype n)
{
    QString out;
    out.reserve(n);
    const auto *p = reinterpret_cast<const uchar *>(data);
    qsizetype i = 0;
    while (i < n) {
        qsizetype runEnd = i;
        while (runEnd < n && p[runEnd] < 0x80)
            ++runEnd;
        if (runEnd > i) {
            out.append(QLatin1String(data + i, runEnd - i));
            i = runEnd;
            continue;
        }
        char32_t cp = 0;
        const int len = utf8SequenceLength(p, i, n, &cp);
        if (len > 0) {
            appendUcs4(out, cp);
            i += len;
        } else {
            out.append(cp1252Char(p[i]));
            ++i;
        }
    }
    return out;
}

QString decodeUtf8OrCp1252(const QByteArray &bytes)
{
    return decodeUtf8OrCp1252(bytes.constData(), bytes.size());
}

QString decodeCp1252(const QByteArray &bytes)
{
    QString out;
    out.reserve(bytes.size());
    for (char c : bytes)
        out.append(cp1252Char(uchar(c)));
    return out;
}

bool hasEightBit(const QByteArray &bytes)
{
    return std::any_of(bytes.begin(), bytes.end(), [](char c) { return uchar(c) >= 0x80; });
}

bool isValidUtf8(const QByteArray &bytes)
{
    const auto *p = reinterpret_cast<const uchar *>(bytes.constData());
    const qsizetype n = bytes.size();
    for (qsizetype i = 0; i < n;) {
        if (p[i] < 0x80) {
            ++i;
            continue;
        }
        char32_t cp = 0;
        const int len = utf8SequenceLength(p, i, n, &cp);
        if (len == 0)
            return false;
        i += len;
    }
    return true;
}

// ---------------------------------------------------------------------------
// Charsets

// Labels that name no charset at all; the bytes decide (UTF-8, else cp1252).
// us-ascii is here because 7-bit text decodes the same either way, and 8-bit
// bytes under a us-ascii label mean the label is wrong.
constexpr const char *kNoCharsetLabels[] = {
    "binary", "unknown", "unknown-8bit", "x-unknown", "x-user-defined", "default", "none",
    "8bit", "7bit", "charset", "auto", "_autodetect", "_autodetect_all", "x-binaryenc",
    "us-ascii", "ascii", "us", "ansi_x3.4-1968", "ansi_x3.4-1986", "iso646-us", "iso-ir-6",
    "cp367", "ibm367", "csascii", "x-ascii", "iso_646.irv:1991",
    "utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8", "unicode-2-0-utf-8", "x-utf-8",
};

constexpr const char *kCp1252Labels[] = {
    "windows-1252", "cp1252", "x-cp1252", "ms-ansi", "ansi", "iso-8859-1", "iso8859-1",
    "iso_8859-1", "iso_8859-1:1987", "latin1", "l1", "iso-ir-100", "cp819", "ibm819",
    "csisolatin1", "8859-1", "iso-8859-1-i", "iso-latin-1",
};

struct CharsetAlias
{
    const char *label;
    const char *iconvNames[3]; // tried in order; the first with no error wins
};

// Mail labels iconv does not know, or knows only as a stricter subset of what
// mailers actually write under that label.
constexpr CharsetAlias kAliases[] = {
    {"gb2312", {"GB18030"}}, {"gbk", {"GB18030"}}, {"x-gbk", {"GB18030"}},
    {"gb_2312-80", {"GB18030"}}, {"gb_2312", {"GB18030"}}, {"euc-cn", {"GB18030"}},
    {"x-euc-cn", {"GB18030"}}, {"cp936", {"GB18030"}}, {"ms936", {"GB18030"}},
    {"windows-936", {"GB18030"}}, {"csgb2312", {"GB18030"}}, {"chinese", {"GB18030"}},
    {"gb18030", {"GB18030"}},
    {"ks_c_5601-1987", {"CP949"}}, {"ks_c_5601-1989", {"CP949"}}, {"ks_c_5601", {"CP949"}},
    {"ksc5601", {"CP949"}}, {"ksc_5601", {"CP949"}}, {"euc-kr", {"CP949"}},
    {"x-euc-kr", {"CP949"}}, {"x-windows-949", {"CP949"}}, {"windows-949", {"CP949"}},
    {"cp949", {"CP949"}}, {"uhc", {"CP949"}}, {"korean", {"CP949"}},
    {"csksc56011987", {"CP949"}}, {"iso-ir-149", {"CP949"}},
    {"shift_jis", {"CP932", "SHIFT_JIS"}}, {"shift-jis", {"CP932", "SHIFT_JIS"}},
    {"sjis", {"CP932", "SHIFT_JIS"}}, {"x-sjis", {"CP932", "SHIFT_JIS"}},
    {"ms_kanji", {"CP932", "SHIFT_JIS"}}, {"csshiftjis", {"CP932", "SHIFT_JIS"}},
    {"windows-31j", {"CP932"}}, {"cp932", {"CP932"}}, {"ms932", {"CP932"}},
    {"x-ms-cp932", {"CP932"}},
    {"euc-jp", {"EUC-JP", "EUC-JP-MS"}}, {"eucjp", {"EUC-JP", "EUC-JP-MS"}},
    {"x-euc-jp", {"EUC-JP", "EUC-JP-MS"}}, {"x-euc", {"EUC-JP", "EUC-JP-MS"}},
    {"iso-2022-jp", {"ISO-2022-JP", "ISO-2022-JP-2", "ISO-2022-JP-3"}},
    {"csiso2022jp", {"ISO-2022-JP", "ISO-2022-JP-2", "ISO-2022-JP-3"}},
    {"iso2022jp", {"ISO-2022-JP", "ISO-2022-JP-2", "ISO-2022-JP-3"}},
    {"big5", {"BIG5", "BIG5-HKSCS"}}, {"x-big5", {"BIG5", "BIG5-HKSCS"}},
    {"cn-big5", {"BIG5", "BIG5-HKSCS"}}, {"csbig5", {"BIG5", "BIG5-HKSCS"}},
    {"big5-hkscs", {"BIG5-HKSCS"}},
    {"iso-8859-8-i", {"ISO-8859-8"}}, {"iso-8859-8-e", {"ISO-8859-8"}},
    {"iso-8859-6-i", {"ISO-8859-6"}}, {"iso-8859-6-e", {"ISO-8859-6"}},
    {"tis-620", {"CP874"}}, {"windows-874", {"CP874"}}, {"x-windows-874", {"CP874"}},
    {"iso-8859-11", {"CP874"}}, {"dos-874", {"CP874"}},
    {"x-mac-roman", {"MACINTOSH"}}, {"mac", {"MACINTOSH"}}, {"macintosh", {"MACINTOSH"}},
    {"x-mac", {"MACINTOSH"}},
    {"unicode-1-1-utf-7", {"UTF-7"}}, {"x-unicode-2-0-utf-7", {"UTF-7"}}, {"utf-7", {"UTF-7"}},
};

QByteArray normalizeCharsetLabel(const QByteArray &label)
{
    QByteArray l = label.trimmed().toLower();
    while (l.size() >= 2 && (l.startsWith('"') || l.startsWith('\'')))
        l = l.mid(1);
    while (!l.isEmpty() && (l.endsWith('"') || l.endsWith('\'') || l.endsWith(';')))
        l.chop(1);
    l = l.trimmed();
    // RFC 2231 language suffix inside an RFC 2047 charset: "utf-8*en".
    const int star = l.indexOf('*');
    if (star >= 0)
        l.truncate(star);
    // "charset=3Dutf-8": a header quoted-printable-encoded twice.
    if (l.startsWith("3d") && l.size() > 2)
        l = l.mid(2);
    return l;
}

struct IconvResult
{
    bool opened = false;
    int errors = 0;
    QByteArray utf8;
};

// iconv that never gives up: an invalid or incomplete sequence becomes U+FFFD
// and is counted, and conversion carries on with the next byte.
IconvResult iconvToUtf8(const char *fromCharset, const QByteArray &in)
{
    IconvResult result;
    iconv_t cd = iconv_open("UTF-8", fromCharset);
    if (cd == reinterpret_cast<iconv_t>(-1))
        return result;
    result.opened = true;

    QByteArray &out = result.utf8;
    out.resize(in.size() * 2 + 64);
    qsizetype outPos = 0;
    char *inPtr = const_cast<char *>(in.constData());
    size_t inLeft = size_t(in.size());

    auto ensureRoom = [&](qsizetype needed) {
        if (out.size() - outPos < needed)
            out.resize(std::max(out.size() * 2, outPos + needed + 64));
    };
    auto appendReplacement = [&] {
        ensureRoom(3);
        out[outPos++] = char(0xEF);
        out[outPos++] = char(0xBF);
        out[outPos++] = char(0xBD);
    };

    while (inLeft > 0) {
        ensureRoom(16);
        char *outPtr = out.data() + outPos;
        size_t outLeft = size_t(out.size() - outPos);
        const size_t r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft);
        outPos = outPtr - out.data();
        if (r != size_t(-1))
            continue;
        if (errno == E2BIG) {
            out.resize(out.size() * 2);
        } else if (errno == EILSEQ) {
            ++result.errors;
            appendReplacement();
            ++inPtr;
            --inLeft;
        } else { // EINVAL: incomplete sequence at the end; anything else: give up
            ++result.errors;
            appendReplacement();
            inLeft = 0;
        }
    }
    for (;;) { // flush the shift state of stateful encodings (ISO-2022-JP)
        ensureRoom(16);
        char *outPtr = out.data() + outPos;
        size_t outLeft = size_t(out.size() - outPos);
        const size_t r = iconv(cd, nullptr, nullptr, &outPtr, &outLeft);
        outPos = outPtr - out.data();
        if (r == size_t(-1) && errno == E2BIG) {
            out.resize(out.size() * 2);
            continue;
        }
        break;
    }
    iconv_close(cd);
    out.truncate(outPos);
    return result;
}

bool labelIn(const QByteArray &label, const char *const *begin, const char *const *end)
{
    return std::any_of(begin, end, [&](const char *l) { return label == l; });
}

QString decodeWithLabel(const QByteArray &bytes, const QByteArray &rawLabel)
{
    if (bytes.isEmpty())
        return QString();
    const QByteArray label = normalizeCharsetLabel(rawLabel);
    if (label.isEmpty()
        || labelIn(label, std::begin(kNoCharsetLabels), std::end(kNoCharsetLabels))) {
        return decodeUtf8OrCp1252(bytes);
    }
    if (labelIn(label, std::begin(kCp1252Labels), std::end(kCp1252Labels)))
        return decodeCp1252(bytes);

    QVector<QByteArray> candidates;
    for (const CharsetAlias &alias : kAliases) {
        if (label == alias.label) {
            for (const char *name : alias.iconvNames) {
                if (name)
                    candidates.append(QByteArray(name));
            }
            break;
        }
    }
    if (candidates.isEmpty()) {
        // GMime remembers every name it is asked about: keep hostile junk away.
        const bool plausible = label.size() <= 40 && std::all_of(label.begin(), label.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                || c == '.' || c == ':';
        });
        if (!plausible)
            return decodeUtf8OrCp1252(bytes);
        ensureInitialized();
        // GMime knows the common mail spellings ("latin2", "iso8859_2", ...).
        const char *name = g_mime_charset_iconv_name(label.constData());
        candidates.append(QByteArray(name ? name : label.constData()));
    }

    IconvResult best;
    for (const QByteArray &name : candidates) {
        IconvResult r = iconvToUtf8(name.constData(), bytes);
        if (!r.opened)
            continue;
        if (r.errors == 0)
            return QString::fromUtf8(r.utf8);
        if (!best.opened || r.errors < best.errors)
            best = std::move(r);
    }
    if (!best.opened) {
        qCDebug(lcMime) << "unknown charset" << rawLabel << "- decoding as UTF-8/windows-1252";
        return decodeUtf8OrCp1252(bytes);
    }
    // The label is wrong: 8-bit bytes that are valid UTF-8 are UTF-8, and many
    // errors mean some other charset; a few errors in a long text are damage.
    if (hasEightBit(bytes) && isValidUtf8(bytes))
        return QString::fromUtf8(bytes);
    const bool sevenBitCharset = label.startsWith("iso-2022") || label.startsWith("csiso2022")
        || label.contains("utf-7") || label == "hz-gb-2312";
    if (qsizetype(best.errors) * 20 > bytes.size() || (sevenBitCharset && hasEightBit(bytes)))
        return decodeUtf8OrCp1252(bytes);
    return QString::fromUtf8(best.utf8);
}

// ---------------------------------------------------------------------------
// Transfer encodings

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

QByteArray decodeQuotedPrintable(const QByteArray &in)
{
    QByteArray out;
    out.reserve(in.size());
    const qsizetype n = in.size();
    qsizetype i = 0;
    while (i < n) {
        const char c = in[i];
        if (c != '=') {
            out.append(c);
            ++i;
            continue;
        }
        // Soft line break: "=" plus optional transport padding, then end of line.
        qsizetype j = i + 1;
        while (j < n && (in[j] == ' ' || in[j] == '\t'))
            ++j;
        if (j == n) {
            i = n;
            continue;
        }
        if (in[j] == '\n') {
            i = j + 1;
            continue;
        }
        if (in[j] == '\r') {
            i = (j + 1 < n && in[j + 1] == '\n') ? j + 2 : j + 1;
            continue;
        }
        if (i + 2 < n) {
            const int hi = hexValue(in[i + 1]);
            const int lo = hexValue(in[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out.append(char(hi * 16 + lo));
                i += 3;
                continue;
            }
        }
        out.append('='); // not an escape: keep it, as every tolerant decoder does
        ++i;
    }
    return out;
}

QByteArray decodeBase64(const QByteArray &in)
{
    ensureInitialized();
    GMimeEncoding state;
    g_mime_encoding_init_decode(&state, GMIME_CONTENT_ENCODING_BASE64);
    QByteArray out;
    out.resize(qsizetype(g_mime_encoding_outlen(&state, size_t(in.size()))) + 16);
    size_t len = g_mime_encoding_step(&state, in.constData(), size_t(in.size()), out.data());
    len += g_mime_encoding_flush(&state, in.constData() + in.size(), 0, out.data() + len);
    out.truncate(qsizetype(len));
    return out;
}

QString crlfToLf(QString s)
{
    if (s.contains(QLatin1Char('\r')))
        s.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    return s;
}

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

QByteArray unfold(const QByteArray &raw)
{
    QByteArray s;
    s.reserve(raw.size());
    for (char c : raw) {
        if (c == '\r' || c == '\n')
            continue;
        s.append(c == '\0' ? ' ' : c);
    }
    return s;
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
        return decodeWithLabel(bytes, "iso-2022-jp");
    return decodeUtf8OrCp1252(bytes);
}

QString decodeSegments(const QVector<HeaderSegment> &segs)
{
    QString out;
    for (const HeaderSegment &seg : segs)
        out += seg.encoded ? decodeWithLabel(seg.bytes, seg.charset) : decodeRawHeaderBytes(seg.bytes);
    return out;
}

QString controlsToSpaces(QString s)
{
    for (QChar &c : s) {
        const char16_t u = c.unicode();
        if (u < 0x20 || u == 0x7F)
            c = QLatin1Char(' ');
    }
    return s;
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
                controlsToSpaces(decodeWithLabel(seg.bytes, seg.charset)).toUtf8();
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
// GMime helpers

// Parser options for one call: lenient everywhere, UTF-8 then windows-1252 for
// stray 8-bit header text. Owned by the caller, never shared between threads.
class ParserOptions
{
public:
    ParserOptions()
        : m_options(g_mime_parser_options_new())
    {
        const char *charsets[] = {"UTF-8", "windows-1252", nullptr};
        g_mime_parser_options_set_fallback_charsets(m_options, charsets);
        g_mime_parser_options_set_address_compliance_mode(m_options, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_options_set_parameter_compliance_mode(m_options, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_options_set_rfc2047_compliance_mode(m_options, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_options_set_allow_addresses_without_domain(m_options, TRUE);
    }
    ~ParserOptions() { g_mime_parser_options_free(m_options); }
    ParserOptions(const ParserOptions &) = delete;
    ParserOptions &operator=(const ParserOptions &) = delete;
    GMimeParserOptions *get() const { return m_options; }

private:
    GMimeParserOptions *m_options;
};

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

bool allDigits(const QString &s)
{
    return !s.isEmpty() && std::all_of(s.cbegin(), s.cend(), [](QChar c) { return c.isDigit(); });
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

// ---------------------------------------------------------------------------
// Attachments

QByteArray unquote(const QByteArray &v)
{
    QByteArray t = v.trimmed();
    if (t.size() >= 2 && t.startsWith('"') && t.endsWith('"'))
        return t.mid(1, t.size() - 2);
    return t;
}

QByteArray percentDecode(const QByteArray &in)
{
    QByteArray out;
    out.reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        if (in[i] == '%' && i + 2 < in.size() && hexValue(in[i + 1]) >= 0
            && hexValue(in[i + 2]) >= 0) {
            out.append(char(hexValue(in[i + 1]) * 16 + hexValue(in[i + 2])));
            i += 2;
        } else {
            out.append(in[i]);
        }
    }
    return out;
}

// One parameter's value: RFC 2231 (single or continued) if present, else the
// plain form with RFC 2047 words or raw 8-bit text.
QString parameterValue(const QVector<QPair<QByteArray, QByteArray>> &params, const QByteArray &base)
{
    struct Section
    {
        int index;
        bool extended;
        QByteArray value;
    };
    QVector<Section> sections;
    QByteArray plain;
    bool havePlain = false;
    const QByteArray prefix = base + '*';
    for (const auto &p : params) {
        const QByteArray name = p.first.trimmed().toLower();
        if (name == base) {
            if (!havePlain) {
                plain = unquote(p.second);
                havePlain = true;
            }
        } else if (name == prefix) {
            sections.append({0, true, unquote(p.second)});
        } else if (name.startsWith(prefix)) {
            QByteArray rest = name.mid(prefix.size());
            const bool extended = rest.endsWith('*');
            if (extended)
                rest.chop(1);
            bool ok = false;
            const int index = rest.toInt(&ok);
            if (ok && index >= 0 && index < 1000 && allDigits(QString::fromLatin1(rest)))
                sections.append({index, extended, unquote(p.second)});
        }
    }
    if (!sections.isEmpty()) {
        std::stable_sort(sections.begin(), sections.end(),
                         [](const Section &a, const Section &b) { return a.index < b.index; });
        QByteArray bytes;
        QByteArray charset;
        bool anyExtended = false;
        int lastIndex = -1;
        for (int i = 0; i < sections.size(); ++i) {
            const Section &s = sections[i];
            if (s.index == lastIndex)
                continue; // duplicate section: the first one counts
            lastIndex = s.index;
            QByteArray v = s.value;
            if (s.extended) {
                anyExtended = true;
                if (i == 0) {
                    // charset'language'value
                    const qsizetype q1 = v.indexOf('\'');
                    const qsizetype q2 = q1 >= 0 ? v.indexOf('\'', q1 + 1) : -1;
                    if (q1 >= 0 && q2 > q1) {
                        charset = v.left(q1);
                        v = v.mid(q2 + 1);
                    }
                }
                bytes += percentDecode(v);
            } else {
                bytes += v;
            }
        }
        const QString value = anyExtended ? decodeWithLabel(bytes, charset) : decodeHeaderText(bytes);
        if (!value.trimmed().isEmpty())
            return value;
    }
    if (havePlain)
        return decodeHeaderText(plain);
    return QString();
}

QString sanitizeFileName(const QString &raw)
{
    QString name;
    name.reserve(raw.size());
    for (QChar c : raw) {
        const char16_t u = c.unicode();
        if (u == '\t')
            name.append(QLatin1Char(' '));
        else if (u >= 0x20 && u != 0x7F)
            name.append(c);
    }
    const int slash = std::max(name.lastIndexOf(QLatin1Char('/')), name.lastIndexOf(QLatin1Char('\\')));
    if (slash >= 0)
        name = name.mid(slash + 1);
    name = name.trimmed();
    if (name == QLatin1String(".") || name == QLatin1String(".."))
        name.clear();
    return name;
}

// ---------------------------------------------------------------------------
// HTML

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

bool isZeroWidth(char16_t u)
{
    return u == 0x200B || u == 0x200C || u == 0x200D || u == 0x2060 || u == 0xFEFF || u == 0x00AD
        || u == 0x034F || u == 0x200E || u == 0x200F;
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

// ---------------------------------------------------------------------------
// Subjects and snippets

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

// ===========================================================================
// Public API

QByteArray decodeTransferEncoding(const QByteArray &content, const QByteArray &transferEncoding)
{
    const QByteArray enc = transferEncoding.trimmed().toLower();
    if (enc == "base64")
        return decodeBase64(content);
    if (enc == "quoted-printable")
        return decodeQuotedPrintable(content);
    return content; // 7bit, 8bit, binary, and anything we do not know
}

QString decodeCharset(const QByteArray &bytes, const QByteArray &charset)
{
    return decodeWithLabel(bytes, charset);
}

QString decodeBody(const QByteArray &content, const QByteArray &transferEncoding,
                   const QByteArray &charset)
{
    return crlfToLf(decodeWithLabel(decodeTransferEncoding(content, transferEncoding), charset));
}

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

QVector<QPair<QByteArray, QByteArray>> parseHeaderParameters(const QByteArray &headerValue)
{
    QVector<QPair<QByteArray, QByteArray>> params;
    const QByteArray s = unfold(headerValue);
    const qsizetype n = s.size();
    qsizetype i = 0;
    // Skip the leading "type/subtype" or disposition token, unless it is
    // already a parameter (a broken header without a type).
    {
        qsizetype semi = i;
        bool inQuote = false;
        while (semi < n && (inQuote || s[semi] != ';')) {
            if (s[semi] == '"')
                inQuote = !inQuote;
            ++semi;
        }
        if (!s.left(semi).contains('='))
            i = semi;
    }
    while (i < n) {
        while (i < n && (s[i] == ';' || s[i] == ' ' || s[i] == '\t'))
            ++i;
        const qsizetype nameStart = i;
        while (i < n && s[i] != '=' && s[i] != ';')
            ++i;
        const QByteArray name = s.mid(nameStart, i - nameStart).trimmed().toLower();
        if (i >= n || s[i] == ';')
            continue; // a token without a value: ignore
        ++i;          // '='
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            ++i;
        QByteArray value;
        if (i < n && s[i] == '"') {
            ++i;
            while (i < n && s[i] != '"') {
                // Only \" and \\ are escapes: Windows paths keep their backslashes.
                if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '"' || s[i + 1] == '\\'))
                    ++i;
                value.append(s[i]);
                ++i;
            }
            if (i < n)
                ++i; // closing quote
            while (i < n && s[i] != ';')
                ++i; // junk after the quoted string
        } else {
            const qsizetype valueStart = i;
            while (i < n && s[i] != ';')
                ++i;
            value = s.mid(valueStart, i - valueStart).trimmed();
        }
        if (!name.isEmpty())
            params.append({name, value});
    }
    return params;
}

QString attachmentFileName(const QVector<QPair<QByteArray, QByteArray>> &dispositionParams,
                           const QVector<QPair<QByteArray, QByteArray>> &typeParams)
{
    ensureInitialized();
    QString name = sanitizeFileName(parameterValue(dispositionParams, "filename"));
    if (name.isEmpty())
        name = sanitizeFileName(parameterValue(typeParams, "name"));
    return name;
}

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

// ---------------------------------------------------------------------------
// Whole messages

namespace {

QByteArray rawHeaderValue(GMimeObject *object, const char *name)
{
    GMimeHeaderList *headers = g_mime_object_get_header_list(object);
    if (!headers)
        return QByteArray();
    GMimeHeader *header = g_mime_header_list_get_header(headers, name);
    if (!header)
        return QByteArray();
    const char *raw = g_mime_header_get_raw_value(header);
    return raw ? QByteArray(raw) : QByteArray();
}

QString partFileName(GMimeObject *object)
{
    return attachmentFileName(parseHeaderParameters(rawHeaderValue(object, "Content-Disposition")),
                              parseHeaderParameters(rawHeaderValue(object, "Content-Type")));
}

QString partMimeType(GMimeObject *object)
{
    GMimeContentType *type = g_mime_object_get_content_type(object);
    if (!type)
        return QStringLiteral("application/octet-stream");
    char *mime = g_mime_content_type_get_mime_type(type);
    const QString result = QString::fromUtf8(mime).toLower();
    g_free(mime);
    return result;
}

// The part's content exactly as it is in the message, still transfer-encoded.
QByteArray rawPartContent(GMimePart *part, QByteArray *encodingName)
{
    GMimeDataWrapper *wrapper = g_mime_part_get_content(part);
    if (!wrapper)
        return QByteArray();
    const char *enc = g_mime_content_encoding_to_string(g_mime_data_wrapper_get_encoding(wrapper));
    *encodingName = enc ? QByteArray(enc) : QByteArray();
    GMimeStream *stream = g_mime_data_wrapper_get_stream(wrapper);
    if (!stream)
        return QByteArray();
    QByteArray out;
    if (g_mime_stream_reset(stream) < 0)
        return out;
    char buffer[65536];
    for (;;) {
        const ssize_t n = g_mime_stream_read(stream, buffer, sizeof buffer);
        if (n <= 0)
            break;
        out.append(buffer, qsizetype(n));
    }
    return out;
}

bool isSignatureType(const QString &mime)
{
    return mime == QLatin1String("application/pgp-signature")
        || mime == QLatin1String("application/pkcs7-signature")
        || mime == QLatin1String("application/x-pkcs7-signature");
}

void appendText(QString &target, const QString &text)
{
    if (text.trimmed().isEmpty())
        return;
    if (!target.isEmpty())
        target += QLatin1String("\n\n");
    target += text;
}

void walkPart(GMimeObject *object, GMimeObject *parent, int index, int depth, ParsedMessage &out)
{
    if (!object || depth > 64)
        return;
    if (GMIME_IS_MULTIPART(object)) {
        GMimeMultipart *multipart = GMIME_MULTIPART(object);
        const int count = g_mime_multipart_get_count(multipart);
        for (int i = 0; i < count; ++i)
            walkPart(g_mime_multipart_get_part(multipart, i), object, i, depth + 1, out);
        return;
    }
    if (GMIME_IS_MESSAGE_PART(object)) {
        ParsedMessage::Attachment a;
        a.mimeType = partMimeType(object);
        a.fileName = partFileName(object);
        GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
        if (inner) {
            if (a.fileName.isEmpty()) {
                QString subject = controlsToSpaces(QString::fromUtf8(g_mime_message_get_subject(inner)));
                subject.replace(QLatin1Char('/'), QLatin1Char('-')).replace(QLatin1Char('\\'), QLatin1Char('-'));
                subject = sanitizeFileName(subject);
                if (!subject.isEmpty())
                    a.fileName = subject + QLatin1String(".eml");
            }
            GMimeStream *null = g_mime_stream_null_new();
            const ssize_t written = g_mime_object_write_to_stream(GMIME_OBJECT(inner), nullptr, null);
            g_object_unref(null);
            a.size = written > 0 ? qint64(written) : 0;
        }
        out.attachments.append(a);
        return;
    }
    if (!GMIME_IS_PART(object))
        return;

    const QString mime = partMimeType(object);
    if (parent && GMIME_IS_MULTIPART_SIGNED(parent) && index == GMIME_MULTIPART_SIGNED_SIGNATURE
        && isSignatureType(mime)) {
        return;
    }
    GMimeContentDisposition *disposition = g_mime_object_get_content_disposition(object);
    const bool markedAttachment = disposition && g_mime_content_disposition_is_attachment(disposition);
    const QString fileName = partFileName(object);
    const bool isText = mime == QLatin1String("text/plain") || mime == QLatin1String("text/html");

    QByteArray encoding;
    const QByteArray decoded = decodeTransferEncoding(rawPartContent(GMIME_PART(object), &encoding), encoding);
    if (isText && !markedAttachment) {
        const char *charset = g_mime_object_get_content_type_parameter(object, "charset");
        const QString text = crlfToLf(decodeWithLabel(decoded, charset ? QByteArray(charset) : QByteArray()));
        appendText(mime == QLatin1String("text/plain") ? out.plainText : out.htmlText, text);
    }
    if (markedAttachment || !fileName.isEmpty() || !isText)
        out.attachments.append({fileName, mime, qint64(decoded.size())});
}

} // namespace

ParsedMessage parseMessage(const QByteArray &rfc822)
{
    ensureInitialized();
    ParsedMessage result;
    qsizetype start = 0;
    if (rfc822.startsWith("From ")) { // mbox separator line
        const qsizetype nl = rfc822.indexOf('\n');
        start = nl < 0 ? rfc822.size() : nl + 1;
    }
    // Lines of nothing but spaces before the first header (seen in exports):
    // not the empty line that would end the header, just junk.
    for (;;) {
        qsizetype i = start;
        while (i < rfc822.size() && (rfc822[i] == ' ' || rfc822[i] == '\t' || rfc822[i] == '\r'))
            ++i;
        if (i == start || i >= rfc822.size() || rfc822[i] != '\n'
            || std::all_of(rfc822.begin() + start, rfc822.begin() + i, [](char c) { return c == '\r'; }))
            break;
        start = i + 1;
    }
    result.headers = parseHeaders(rfc822.mid(start, headerBlockEnd(rfc822, start) - start));
    if (start >= rfc822.size())
        return result;

    GMimeStream *stream = g_mime_stream_mem_new_with_buffer(rfc822.constData() + start,
                                                            size_t(rfc822.size() - start));
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    g_object_unref(stream); // the parser holds its own reference
    g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
    ParserOptions options;
    GMimeMessage *message = g_mime_parser_construct_message(parser, options.get());
    g_object_unref(parser);
    if (!message) {
        qCDebug(lcMime) << "GMime could not parse a message of" << rfc822.size() << "bytes";
        return result;
    }
    walkPart(g_mime_message_get_mime_part(message), nullptr, 0, 0, result);
    g_object_unref(message);
    return result;
}

} // namespace Lookback::Mime
