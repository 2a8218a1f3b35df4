#include "parameters.h"

#include "charset.h"
#include "headers.h"
#include "messageparser.h"
#include "mimeinternal.h"

#include <algorithm>

namespace Lookback::Mime::detail {

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

} // namespace Lookback::Mime::detail

namespace Lookback::Mime {

using namespace detail;

namespace {

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
        const QString value = anyExtended ? decodeCharset(bytes, charset) : decodeHeaderText(bytes);
        if (!value.trimmed().isEmpty())
            return value;
    }
    if (havePlain)
        return decodeHeaderText(plain);
    return QString();
}

} // namespace

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

QString attachedMessageFileName(const QString &decodedSubject)
{
    QString subject = controlsToSpaces(decodedSubject);
    subject.replace(QLatin1Char('/'), QLatin1Char('-')).replace(QLatin1Char('\\'), QLatin1Char('-'));
    subject = sanitizeFileName(subject);
    return subject.isEmpty() ? QString() : subject + QLatin1String(".eml");
}

} // namespace Lookback::Mime
