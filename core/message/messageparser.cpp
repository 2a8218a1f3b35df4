#include "messageparser.h"

#include "charset.h"
#include "common/logging.h"
#include "gmimeinternal.h"
#include "mimeinternal.h"
#include "parameters.h"
#include "transferencoding.h"

#include <algorithm>
#include <mutex>

// Everything here runs on whichever worker thread calls it: GMime objects and
// parser options are created per call and released before returning.

namespace Lookback::Mime {

using namespace detail;

void ensureInitialized()
{
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

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
        const QString text = crlfToLf(decodeCharset(decoded, charset ? QByteArray(charset) : QByteArray()));
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
