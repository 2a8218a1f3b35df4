#pragma once

// Private to core/message: helpers more than one decoder file needs. Qt only, no
// GMime (gmimeinternal.h has the GMime glue), so that the files that only need
// these (htmltext.cpp, snippets.cpp) build without GMime. Not part of any API:
// nothing outside core/message includes this.

#include <QByteArray>
#include <QChar>
#include <QString>

#include <algorithm>

namespace Lookback::Mime::detail {

// windows-1252 for 0x80..0x9F; the five holes map to the C1 control of the
// same value, as WHATWG does, so that this decoding never fails.
inline constexpr char16_t kCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

inline QChar cp1252Char(uchar b)
{
    return (b >= 0x80 && b < 0xA0) ? QChar(kCp1252High[b - 0x80]) : QChar(b);
}

inline void appendUcs4(QString &out, char32_t cp)
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

inline int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

inline QString crlfToLf(QString s)
{
    if (s.contains(QLatin1Char('\r')))
        s.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    return s;
}

// A header value with its folding removed (CR and LF dropped, NUL as a space).
inline QByteArray unfold(const QByteArray &raw)
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

inline QString controlsToSpaces(QString s)
{
    for (QChar &c : s) {
        const char16_t u = c.unicode();
        if (u < 0x20 || u == 0x7F)
            c = QLatin1Char(' ');
    }
    return s;
}

inline bool allDigits(const QString &s)
{
    return !s.isEmpty() && std::all_of(s.cbegin(), s.cend(), [](QChar c) { return c.isDigit(); });
}

inline bool isZeroWidth(char16_t u)
{
    return u == 0x200B || u == 0x200C || u == 0x200D || u == 0x2060 || u == 0xFEFF || u == 0x00AD
        || u == 0x034F || u == 0x200E || u == 0x200F;
}

// charset.cpp
// The fallback decoding: valid UTF-8 sequences as UTF-8, every other byte as
// windows-1252. Equals plain UTF-8 for valid UTF-8 and plain windows-1252 for
// text without multi-byte sequences.
QString decodeUtf8OrCp1252(const QByteArray &bytes);
bool hasEightBit(const QByteArray &bytes);
// A charset label as mailers write it, made comparable: lower case, quotes, an
// RFC 2231 language suffix and a doubled "3D" removed.
QByteArray normalizeCharsetLabel(const QByteArray &label);

// headers.cpp
// Removes (comments), outside <...> and "..." only.
QString stripComments(const QString &s);
// Where the header block starting at `start` ends: just after the line break that
// precedes the empty line, or data.size() when there is no empty line.
qsizetype headerBlockEnd(const QByteArray &data, qsizetype start);

// parameters.cpp
// A file name safe to show and to save under: control characters and directory
// parts removed; "." and ".." become empty.
QString sanitizeFileName(const QString &raw);

} // namespace Lookback::Mime::detail
