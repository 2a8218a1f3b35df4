#include "messageparser.h"

#include "charset.h"
#include "common/logging.h"
#include "gmimeinternal.h"
#include "headers.h"
#include "mimeinternal.h"
#include "parameters.h"
#include "partrule.h"
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

// Whether the part's content is empty (0 octets), without reading all of it.
bool hasNoContent(GMimePart *part)
{
    GMimeDataWrapper *wrapper = g_mime_part_get_content(part);
    GMimeStream *stream = wrapper ? g_mime_data_wrapper_get_stream(wrapper) : nullptr;
    if (!stream)
        return true;
    const gint64 length = g_mime_stream_length(stream);
    if (length >= 0)
        return length == 0;
    char byte;
    return g_mime_stream_reset(stream) < 0 || g_mime_stream_read(stream, &byte, 1) <= 0;
}

void appendText(QString &target, const QString &text)
{
    if (text.trimmed().isEmpty())
        return;
    if (!target.isEmpty())
        target += QLatin1String("\n\n");
    target += text;
}

struct Leaf
{
    GMimeObject *object;
    QByteArray partNumber; // as IMAP numbers it
    LeafPart part;
};

QByteArray childNumber(const QByteArray &base, int index)
{
    const QByteArray n = QByteArray::number(index + 1);
    return base.isEmpty() ? n : base + '.' + n;
}

// The leaves in document order, described for decideParts(). Numbered as IMAP
// numbers the parts of a message: a single-part message's body is "1".
void collectLeaves(GMimeObject *object, const QByteArray &number, bool inAlternative, bool signatureSlot,
                   int depth, QVector<Leaf> &out)
{
    if (!object || depth > 64)
        return;
    const QString mime = partMimeType(object);
    const qsizetype slash = mime.indexOf(QLatin1Char('/'));
    LeafPart part;
    part.type = (slash < 0 ? mime : mime.left(slash)).toLatin1();
    part.subtype = (slash < 0 ? QString() : mime.mid(slash + 1)).toLatin1();
    if (GMIME_IS_MULTIPART(object) && isContainer(part.type)) {
        GMimeMultipart *multipart = GMIME_MULTIPART(object);
        const bool alternative = inAlternative || part.subtype == "alternative";
        const bool isSigned = part.subtype == "signed";
        const int count = g_mime_multipart_get_count(multipart);
        for (int i = 0; i < count; ++i) {
            collectLeaves(g_mime_multipart_get_part(multipart, i), childNumber(number, i), alternative,
                          isSigned && i == 1, depth + 1, out);
        }
        return;
    }
    if (!GMIME_IS_MESSAGE_PART(object) && !GMIME_IS_PART(object))
        return;
    GMimeContentDisposition *disposition = g_mime_object_get_content_disposition(object);
    const char *dispositionValue = disposition ? g_mime_content_disposition_get_disposition(disposition) : nullptr;
    part.disposition = QByteArray(dispositionValue ? dispositionValue : "").toLower();
    part.hasFileName = hasFileNameParameter(parseHeaderParameters(rawHeaderValue(object, "Content-Disposition")),
                                            parseHeaderParameters(rawHeaderValue(object, "Content-Type")));
    part.inAlternative = inAlternative;
    part.signatureSlot = signatureSlot;
    part.empty = GMIME_IS_PART(object) && hasNoContent(GMIME_PART(object));
    out.append({object, number.isEmpty() ? QByteArray("1") : number, part});
}

ParsedMessage::Attachment attachedMessage(GMimeObject *object)
{
    ParsedMessage::Attachment a;
    a.mimeType = partMimeType(object);
    a.fileName = partFileName(object);
    GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
    if (inner) {
        if (a.fileName.isEmpty())
            a.fileName = attachedMessageFileName(decodeHeaderText(rawHeaderValue(GMIME_OBJECT(inner), "Subject")));
        GMimeStream *null = g_mime_stream_null_new();
        const ssize_t written = g_mime_object_write_to_stream(GMIME_OBJECT(inner), nullptr, null);
        g_object_unref(null);
        a.size = written > 0 ? qint64(written) : 0;
    }
    return a;
}

void walkMessage(GMimeObject *root, ParsedMessage &out)
{
    QVector<Leaf> leaves;
    collectLeaves(root, QByteArray(), false, false, 0, leaves);
    QVector<LeafPart> parts;
    parts.reserve(leaves.size());
    for (const Leaf &leaf : leaves)
        parts.append(leaf.part);
    const QVector<PartRole> roles = decideParts(parts);
    for (int i = 0; i < leaves.size(); ++i) {
        GMimeObject *object = leaves.at(i).object;
        if (roles.at(i) == PartRole::Skip)
            continue;
        if (GMIME_IS_MESSAGE_PART(object)) { // decideParts() never makes it body text
            ParsedMessage::Attachment a = attachedMessage(object);
            a.partNumber = leaves.at(i).partNumber;
            out.attachments.append(a);
            continue;
        }
        QByteArray encoding;
        const QByteArray decoded = decodeTransferEncoding(rawPartContent(GMIME_PART(object), &encoding), encoding);
        if (roles.at(i) == PartRole::Attachment) {
            out.attachments.append({partFileName(object), partMimeType(object), qint64(decoded.size()),
                                    leaves.at(i).partNumber});
            continue;
        }
        const char *charset = g_mime_object_get_content_type_parameter(object, "charset");
        const QString text = crlfToLf(decodeCharset(decoded, charset ? QByteArray(charset) : QByteArray()));
        appendText(roles.at(i) == PartRole::BodyPlain ? out.plainText : out.htmlText, text);
    }
}

} // namespace

qsizetype messageStart(const QByteArray &rfc822)
{
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
    return start;
}

ParsedMessage parseMessage(const QByteArray &rfc822)
{
    ensureInitialized();
    ParsedMessage result;
    const qsizetype start = messageStart(rfc822);
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
    walkMessage(g_mime_message_get_mime_part(message), result);
    g_object_unref(message);
    return result;
}

} // namespace Lookback::Mime
