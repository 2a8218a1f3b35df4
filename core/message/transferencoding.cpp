#include "transferencoding.h"

#include "charset.h"
#include "gmimeinternal.h"
#include "messageparser.h"
#include "mimeinternal.h"

namespace Lookback::Mime {

using namespace detail;

namespace {

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

} // namespace

QByteArray decodeTransferEncoding(const QByteArray &content, const QByteArray &transferEncoding)
{
    const QByteArray enc = transferEncoding.trimmed().toLower();
    if (enc == "base64")
        return decodeBase64(content);
    if (enc == "quoted-printable")
        return decodeQuotedPrintable(content);
    return content; // 7bit, 8bit, binary, and anything we do not know
}

QString decodeBody(const QByteArray &content, const QByteArray &transferEncoding,
                   const QByteArray &charset)
{
    return crlfToLf(decodeCharset(decodeTransferEncoding(content, transferEncoding), charset));
}

} // namespace Lookback::Mime
