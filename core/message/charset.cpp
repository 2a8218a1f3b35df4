#include "charset.h"

#include "common/logging.h"
#include "gmimeinternal.h"
#include "messageparser.h"
#include "mimeinternal.h"

#include <QVector>

#include <algorithm>
#include <cerrno>
#include <iconv.h>

// Everything here runs on whichever worker thread calls it: iconv descriptors are
// opened per call and closed before returning; the tables below are const.

namespace Lookback::Mime::detail {

namespace {

// ---------------------------------------------------------------------------
// Unicode helpers

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

} // namespace

// The fallback decoding: valid UTF-8 sequences as UTF-8, every other byte as
// windows-1252. Equals plain UTF-8 for valid UTF-8 and plain windows-1252 for
// text without multi-byte sequences.
QString decodeUtf8OrCp1252(const QByteArray &bytes)
{
    return decodeUtf8OrCp1252(bytes.constData(), bytes.size());
}

bool hasEightBit(const QByteArray &bytes)
{
    return std::any_of(bytes.begin(), bytes.end(), [](char c) { return uchar(c) >= 0x80; });
}

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

} // namespace Lookback::Mime::detail

namespace Lookback::Mime {

using namespace detail;

namespace {

QString decodeCp1252(const QByteArray &bytes)
{
    QString out;
    out.reserve(bytes.size());
    for (char c : bytes)
        out.append(cp1252Char(uchar(c)));
    return out;
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

} // namespace

QString decodeCharset(const QByteArray &bytes, const QByteArray &charset)
{
    return decodeWithLabel(bytes, charset);
}

} // namespace Lookback::Mime
