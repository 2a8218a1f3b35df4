#include "googlefake.h"

#include "fakehttp.h"

#include "message/messageparser.h"

#include <QCryptographicHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QMutexLocker>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTimeZone>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <deque>
#include <functional>
#include <memory>
#include <optional>

// GLib's headers use "signals" as a name, which Qt defines as a macro.
#pragma push_macro("signals")
#undef signals
#include <gmime/gmime.h>
#pragma pop_macro("signals")

namespace Lookback::Test {

const char *const GoogleFake::defaultClientId = "123456789012-lookbacktest.apps.googleusercontent.com";
const char *const GoogleFake::defaultClientSecret = "GOCSPX-lookback-test-secret";

namespace {

using namespace FakeHttp; // Request, Reply, the form and PKCE rules

constexpr int kMaxBatchParts = 100;   // PROVIDERS.md 2.3
constexpr int kDefaultMaxResults = 100; // PROVIDERS.md 2.1
constexpr int kMaxMaxResults = 500;

const QStringList kGmailReadScopes = {
    QStringLiteral("https://mail.google.com/"),
    QStringLiteral("https://www.googleapis.com/auth/gmail.readonly"),
    QStringLiteral("https://www.googleapis.com/auth/gmail.modify"),
    QStringLiteral("https://www.googleapis.com/auth/gmail.metadata"),
};
const QString kMetadataScope = QStringLiteral("https://www.googleapis.com/auth/gmail.metadata");

const QStringList kSystemLabels = {
    QStringLiteral("INBOX"), QStringLiteral("SENT"), QStringLiteral("DRAFT"), QStringLiteral("SPAM"),
    QStringLiteral("TRASH"), QStringLiteral("UNREAD"), QStringLiteral("STARRED"), QStringLiteral("IMPORTANT"),
    QStringLiteral("CHAT"), QStringLiteral("CATEGORY_PERSONAL"), QStringLiteral("CATEGORY_SOCIAL"),
    QStringLiteral("CATEGORY_PROMOTIONS"), QStringLiteral("CATEGORY_UPDATES"), QStringLiteral("CATEGORY_FORUMS"),
};

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 302: return "Found";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
    }
}

// A JSON string literal, quotes included.
QByteArray jsonString(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

Reply jsonReply(int status, const QByteArray &body)
{
    return Reply{status, QByteArrayLiteral("application/json; charset=UTF-8"), {}, body};
}

Reply jsonReply(int status, const QJsonObject &object)
{
    return jsonReply(status, QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// Google's API error body, keys in Google's order:
// {"error":{"code":…,"message":…,"errors":[{"message":…,"domain":…,"reason":…}],"status":…}}
QByteArray apiErrorBody(int code, const QString &message, const QString &domain, const QString &reason,
                        const QString &status, const QString &errorsMessage = QString())
{
    return "{\"error\":{\"code\":" + QByteArray::number(code) + ",\"message\":" + jsonString(message)
        + ",\"errors\":[{\"message\":" + jsonString(errorsMessage.isEmpty() ? message : errorsMessage)
        + ",\"domain\":" + jsonString(domain) + ",\"reason\":" + jsonString(reason) + "}],\"status\":"
        + jsonString(status) + "}}";
}

Reply apiError(int code, const QString &message, const QString &domain, const QString &reason, const QString &status,
               const QString &errorsMessage = QString())
{
    return jsonReply(code, apiErrorBody(code, message, domain, reason, status, errorsMessage));
}

Reply notFound()
{
    return apiError(404, QStringLiteral("Requested entity was not found."), QStringLiteral("global"),
                    QStringLiteral("notFound"), QStringLiteral("NOT_FOUND"));
}

Reply invalidArgument(const QString &message)
{
    return apiError(400, message, QStringLiteral("global"), QStringLiteral("invalidArgument"),
                    QStringLiteral("INVALID_ARGUMENT"));
}

// PROVIDERS.md 2.4, byte for byte.
Reply unauthorized()
{
    Reply reply = jsonReply(401, QByteArrayLiteral(
        "{\"error\":{\"errors\":[{\"domain\":\"global\",\"reason\":\"authError\",\"message\":\"Invalid Credentials\","
        "\"locationType\":\"header\",\"location\":\"Authorization\"}],\"code\":401,\"message\":\"Invalid Credentials\"}}"));
    reply.headers << qMakePair(QByteArrayLiteral("WWW-Authenticate"),
                               QByteArrayLiteral("Bearer realm=\"https://accounts.google.com/\""));
    return reply;
}

Reply insufficientPermissions()
{
    return apiError(403, QStringLiteral("Request had insufficient authentication scopes."), QStringLiteral("global"),
                    QStringLiteral("insufficientPermissions"), QStringLiteral("PERMISSION_DENIED"),
                    QStringLiteral("Insufficient Permission"));
}

Reply forbidden(const QString &message)
{
    return apiError(403, message, QStringLiteral("global"), QStringLiteral("forbidden"),
                    QStringLiteral("PERMISSION_DENIED"));
}

Reply tooManyConcurrent()
{
    return apiError(429, QStringLiteral("Too many concurrent requests for user."), QStringLiteral("global"),
                    QStringLiteral("rateLimitExceeded"), QStringLiteral("RESOURCE_EXHAUSTED"));
}

// The OAuth token endpoint's error body: {"error":…,"error_description":…}.
Reply oauthError(int status, const QString &error, const QString &description)
{
    return jsonReply(status, "{\"error\":" + jsonString(error) + ",\"error_description\":" + jsonString(description) + "}");
}

// The HTML page Google's consent screen shows for a broken authorization request.
Reply errorPage(int status, const QString &title, const QString &detail = QString())
{
    const QString html = QStringLiteral("<!DOCTYPE html><html><head><title>%1</title></head><body>"
                                        "<h1>Access blocked: authorization error</h1><p>%1</p><p>%2</p></body></html>")
                             .arg(title.toHtmlEscaped(), detail.toHtmlEscaped());
    return Reply{status, QByteArrayLiteral("text/html; charset=utf-8"), {}, html.toUtf8()};
}

Reply htmlNotFound()
{
    return Reply{404, QByteArrayLiteral("text/html; charset=UTF-8"), {},
                 QByteArrayLiteral("<!DOCTYPE html><html><title>Error 404 (Not Found)!!1</title>"
                                   "<p><b>404.</b> That\xe2\x80\x99s an error.</p>"
                                   "<p>The requested URL was not found on this server.</p></html>")};
}

const char kTokenAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

QByteArray base64url(const QByteArray &bytes, bool padded = true)
{
    return bytes.toBase64(padded ? QByteArray::Base64UrlEncoding
                                 : QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// "after:2024/03/01" is midnight in Google's Pacific time (PROVIDERS.md 2.1); digits are epoch seconds.
std::optional<qint64> parseQueryDate(const QString &value)
{
    static const QRegularExpression digits(QStringLiteral("^\\d+$"));
    static const QRegularExpression date(QStringLiteral("^(\\d{4})[/-](\\d{1,2})[/-](\\d{1,2})$"));
    if (digits.match(value).hasMatch())
        return value.toLongLong() * 1000;
    const QRegularExpressionMatch m = date.match(value);
    if (!m.hasMatch())
        return std::nullopt;
    const QDate day(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    if (!day.isValid())
        return std::nullopt;
    QTimeZone pacific("America/Los_Angeles");
    if (!pacific.isValid())
        pacific = QTimeZone(-8 * 3600); // no tz database: PST all year
    return QDateTime(day, QTime(0, 0), pacific).toMSecsSinceEpoch();
}

// ---------------------------------------------------------------------------
// Gmail's payload tree, built with GMime.

QString mimeTypeOf(GMimeObject *object)
{
    GMimeContentType *type = g_mime_object_get_content_type(object);
    if (!type)
        return QStringLiteral("text/plain");
    char *mime = g_mime_content_type_get_mime_type(type);
    const QString result = QString::fromUtf8(mime).toLower();
    g_free(mime);
    return result;
}

QJsonArray headerArray(GMimeObject *object, const QStringList &filter)
{
    QJsonArray headers;
    GMimeHeaderList *list = g_mime_object_get_header_list(object);
    const int count = list ? g_mime_header_list_get_count(list) : 0;
    for (int i = 0; i < count; ++i) {
        GMimeHeader *header = g_mime_header_list_get_header_at(list, i);
        const QString name = QString::fromUtf8(g_mime_header_get_name(header));
        if (!filter.isEmpty() && !filter.contains(name, Qt::CaseInsensitive))
            continue;
        const char *value = g_mime_header_get_value(header);
        headers.append(QJsonObject{{QStringLiteral("name"), name},
                                   {QStringLiteral("value"), QString::fromUtf8(value ? value : "").trimmed()}});
    }
    return headers;
}

QByteArray streamBytes(GMimeStream *stream)
{
    GByteArray *array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
    return QByteArray(reinterpret_cast<const char *>(array->data), qsizetype(array->len));
}

// The decoded content of a leaf part (transfer encoding undone, charset untouched, as Gmail's body.data).
QByteArray decodedContent(GMimeObject *object)
{
    GMimeStream *stream = g_mime_stream_mem_new();
    if (GMIME_IS_PART(object)) {
        if (GMimeDataWrapper *wrapper = g_mime_part_get_content(GMIME_PART(object)))
            g_mime_data_wrapper_write_to_stream(wrapper, stream);
    } else if (GMIME_IS_MESSAGE_PART(object)) {
        if (GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object)))
            g_mime_object_write_to_stream(GMIME_OBJECT(inner), nullptr, stream);
    }
    const QByteArray bytes = streamBytes(stream);
    g_object_unref(stream);
    return bytes;
}

QString attachmentIdFor(const QString &messageId, const QString &partId)
{
    const QByteArray digest = QCryptographicHash::hash((messageId + QLatin1Char(':') + partId).toUtf8(),
                                                       QCryptographicHash::Sha256);
    return QStringLiteral("ANGjdJ") + QString::fromLatin1(base64url(digest + digest, false));
}

struct PayloadContext
{
    QString messageId;
    bool metadataOnly = false;
    QStringList headerFilter;
    QHash<QString, QByteArray> attachments; // attachmentId -> decoded bytes
};

// One MessagePart of Gmail's payload. `headersOf` is the object whose headers
// belong to this part: the message itself for the top level.
QJsonObject payloadPart(GMimeObject *object, GMimeObject *headersOf, const QString &partId, PayloadContext &ctx)
{
    QJsonObject part;
    part[QStringLiteral("partId")] = partId;
    part[QStringLiteral("mimeType")] = mimeTypeOf(object);
    QString fileName;
    if (GMIME_IS_PART(object)) {
        const char *name = g_mime_part_get_filename(GMIME_PART(object));
        fileName = QString::fromUtf8(name ? name : "");
    } else if (GMIME_IS_MESSAGE_PART(object)) {
        const char *name = g_mime_object_get_content_disposition_parameter(object, "filename");
        fileName = QString::fromUtf8(name ? name : "");
    }
    part[QStringLiteral("filename")] = fileName;
    part[QStringLiteral("headers")] = headerArray(headersOf, ctx.metadataOnly ? ctx.headerFilter : QStringList());
    if (ctx.metadataOnly)
        return part;

    if (GMIME_IS_MULTIPART(object)) {
        part[QStringLiteral("body")] = QJsonObject{{QStringLiteral("size"), 0}};
        QJsonArray parts;
        GMimeMultipart *multipart = GMIME_MULTIPART(object);
        const int count = g_mime_multipart_get_count(multipart);
        for (int i = 0; i < count; ++i) {
            GMimeObject *child = g_mime_multipart_get_part(multipart, i);
            const QString childId = partId.isEmpty() ? QString::number(i) : partId + QLatin1Char('.') + QString::number(i);
            parts.append(payloadPart(child, child, childId, ctx));
        }
        part[QStringLiteral("parts")] = parts;
        return part;
    }

    const QByteArray content = decodedContent(object);
    const char *disposition = g_mime_object_get_disposition(object);
    const bool attachment = !fileName.isEmpty() || GMIME_IS_MESSAGE_PART(object)
        || (disposition && qstricmp(disposition, "attachment") == 0);
    QJsonObject body{{QStringLiteral("size"), int(content.size())}};
    if (attachment) {
        const QString id = attachmentIdFor(ctx.messageId, partId);
        ctx.attachments.insert(id, content);
        body[QStringLiteral("attachmentId")] = id;
    } else {
        body[QStringLiteral("data")] = QString::fromLatin1(base64url(content));
    }
    part[QStringLiteral("body")] = body;
    return part;
}

// The payload of a whole message; an empty object if GMime cannot parse it.
QJsonObject buildPayload(const QByteArray &raw, PayloadContext &ctx)
{
    Mime::ensureInitialized();
    GMimeStream *stream = g_mime_stream_mem_new_with_buffer(raw.constData(), size_t(raw.size()));
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    g_object_unref(stream);
    GMimeMessage *message = g_mime_parser_construct_message(parser, nullptr);
    g_object_unref(parser);
    if (!message)
        return QJsonObject();
    QJsonObject payload;
    if (GMimeObject *root = g_mime_message_get_mime_part(message))
        payload = payloadPart(root, GMIME_OBJECT(message), QString(), ctx);
    g_object_unref(message);
    return payload;
}

// About 200 characters of the body text, HTML-escaped, as Gmail's snippet.
QString snippetOf(const QByteArray &raw)
{
    const Mime::ParsedMessage parsed = Mime::parseMessage(raw);
    QString text = parsed.plainText;
    if (text.trimmed().isEmpty()) {
        static const QRegularExpression tags(QStringLiteral("<[^>]*>"));
        text = QString(parsed.htmlText).replace(tags, QStringLiteral(" "));
    }
    text = text.simplified().left(200);
    return text.toHtmlEscaped().replace(QLatin1Char('\''), QStringLiteral("&#39;"));
}

// ---------------------------------------------------------------------------
// messages.list's q.

struct Query
{
    struct Term
    {
        enum Kind { After, Before, Label, Text, Header, Nothing };
        Kind kind = Text;
        bool negated = false;
        qint64 ms = 0;
        QString label;  // Label
        QString text;   // Text, Header (lower-case)
        QByteArray header; // Header: "from", "to", "subject"
    };
    QVector<Term> terms;
    bool mentionsDrafts = false;    // in:drafts / label:draft among the terms
    bool mentionsSpamTrash = false; // in:spam, in:trash, in:anywhere
    bool anywhere = false;
};

QStringList splitQuery(const QString &q)
{
    QStringList words;
    QString current;
    bool quoted = false;
    for (const QChar c : q) {
        if (c == QLatin1Char('"')) {
            quoted = !quoted;
        } else if (c.isSpace() && !quoted) {
            if (!current.isEmpty())
                words << current;
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.isEmpty())
        words << current;
    return words;
}

QString labelForIn(const QString &value)
{
    const QString v = value.toLower();
    if (v == QLatin1String("inbox")) return QStringLiteral("INBOX");
    if (v == QLatin1String("sent")) return QStringLiteral("SENT");
    if (v == QLatin1String("drafts") || v == QLatin1String("draft")) return QStringLiteral("DRAFT");
    if (v == QLatin1String("spam")) return QStringLiteral("SPAM");
    if (v == QLatin1String("trash")) return QStringLiteral("TRASH");
    if (v == QLatin1String("chats") || v == QLatin1String("chat")) return QStringLiteral("CHAT");
    if (v == QLatin1String("starred")) return QStringLiteral("STARRED");
    if (v == QLatin1String("important")) return QStringLiteral("IMPORTANT");
    return value;
}

// Supported: after:/before:/newer:/older: (epoch seconds or YYYY/MM/DD),
// in:, label:, is:unread|starred|important, from:/to:/subject: (substring of
// that header), any of them negated with "-", and bare words (substring of
// the raw message). Anything Google would not understand matches as text.
Query parseQuery(const QString &q)
{
    Query query;
    for (QString word : splitQuery(q)) {
        Query::Term term;
        if (word.startsWith(QLatin1Char('-')) && word.size() > 1) {
            term.negated = true;
            word.remove(0, 1);
        }
        const qsizetype colon = word.indexOf(QLatin1Char(':'));
        const QString key = colon > 0 ? word.left(colon).toLower() : QString();
        const QString value = colon > 0 ? word.mid(colon + 1) : QString();
        if (key == QLatin1String("after") || key == QLatin1String("newer")
            || key == QLatin1String("before") || key == QLatin1String("older")) {
            const std::optional<qint64> ms = parseQueryDate(value);
            if (ms) {
                term.kind = (key == QLatin1String("after") || key == QLatin1String("newer")) ? Query::Term::After
                                                                                             : Query::Term::Before;
                term.ms = *ms;
            } else {
                term.kind = Query::Term::Nothing; // Gmail finds nothing for a date it cannot read
            }
        } else if (key == QLatin1String("in") || key == QLatin1String("label") || key == QLatin1String("is")) {
            if (value.compare(QLatin1String("anywhere"), Qt::CaseInsensitive) == 0 && key == QLatin1String("in")) {
                query.anywhere = !term.negated;
                query.mentionsSpamTrash = true;
                continue;
            }
            term.kind = Query::Term::Label;
            term.label = key == QLatin1String("label") ? value : labelForIn(value);
            if (key == QLatin1String("is"))
                term.label = value.toUpper();
            if (term.label.compare(QLatin1String("DRAFT"), Qt::CaseInsensitive) == 0 && !term.negated)
                query.mentionsDrafts = true;
            if (!term.negated && (term.label == QLatin1String("SPAM") || term.label == QLatin1String("TRASH")))
                query.mentionsSpamTrash = true;
        } else if (key == QLatin1String("from") || key == QLatin1String("to") || key == QLatin1String("subject")) {
            term.kind = Query::Term::Header;
            term.header = key.toLatin1();
            term.text = value.toLower();
        } else {
            term.kind = Query::Term::Text;
            term.text = word.toLower();
        }
        query.terms << term;
    }
    return query;
}

bool hasLabel(const QStringList &labels, const QString &wanted)
{
    return labels.contains(wanted, Qt::CaseInsensitive);
}

// The raw value of one top-level header, lower-case ("" when absent).
QString rawHeaderLower(const QByteArray &raw, const QByteArray &name)
{
    const qsizetype end = raw.indexOf("\r\n\r\n") >= 0 ? raw.indexOf("\r\n\r\n") : raw.indexOf("\n\n");
    const QByteArray block = raw.left(end < 0 ? raw.size() : end);
    QString value;
    bool inHeader = false;
    for (const QByteArray &line : block.split('\n')) {
        if (!line.isEmpty() && (line.at(0) == ' ' || line.at(0) == '\t')) {
            if (inHeader)
                value += QString::fromUtf8(line.trimmed()) + QLatin1Char(' ');
            continue;
        }
        inHeader = line.toLower().startsWith(QByteArray(name + ':'));
        if (inHeader)
            value += QString::fromUtf8(line.mid(name.size() + 1).trimmed()) + QLatin1Char(' ');
    }
    return value.toLower();
}

bool termMatches(const Query::Term &term, const GoogleFake::Message &m)
{
    bool match = false;
    switch (term.kind) {
    case Query::Term::After: match = m.internalDateMs >= term.ms; break;
    case Query::Term::Before: match = m.internalDateMs < term.ms; break;
    case Query::Term::Label: match = hasLabel(m.labelIds, term.label); break;
    case Query::Term::Header: match = rawHeaderLower(m.raw, term.header).contains(term.text); break;
    case Query::Term::Text: match = QString::fromUtf8(m.raw).toLower().contains(term.text); break;
    case Query::Term::Nothing: return false;
    }
    return term.negated ? !match : match;
}

} // namespace

struct GoogleFake::Private
{
    mutable QMutex mutex; // guards everything below; held while a request is answered

    FakeHttp::Host host{QStringLiteral("googlefake")}; // its thread answers every request

    // Account and client.
    QString clientId = QString::fromLatin1(defaultClientId);
    QString clientSecret = QString::fromLatin1(defaultClientSecret);
    QString email = QStringLiteral("lookback.test@gmail.com");

    // OAuth state and switches.
    struct Code
    {
        QString redirectUri;
        QString challenge;
        QString method; // "S256", "plain", "" (no PKCE)
        QStringList scopes;
        bool refreshToken = false; // the exchange gets one
        qint64 expiresMs = 0;
        bool used = false;
    };
    QHash<QString, Code> codes;
    struct AccessToken
    {
        qint64 expiresMs = 0;
        QStringList scopes;
    };
    QHash<QString, AccessToken> accessTokens;
    struct RefreshToken
    {
        QStringList scopes;
        bool revoked = false;
    };
    QHash<QString, RefreshToken> refreshTokens;
    bool consentedOffline = false;
    bool denyConsent = false;
    bool omitScope = false;
    bool requireClientSecret = true;
    int accessLifetimeS = 3599;
    int codeLifetimeS = 60;
    std::optional<QPair<int, QByteArray>> refreshFailure;
    AuthorizeRequest lastAuthorize;
    QVector<TokenRequest> tokenRequests;

    // Mailbox.
    struct Stored
    {
        Message message;
        qint64 historyId = 0;
    };
    QHash<QString, Stored> messages;
    qint64 history = 4'100'000;
    struct PageBoundary
    {
        QString queryKey;
        qint64 dateMs = 0;
        QString id;
    };
    QHash<QString, PageBoundary> pageTokens;

    // Quota: the charges of the sliding window, oldest first.
    int quotaUnits = 15000;
    int quotaWindowMs = 60000;
    bool quotaAs403 = false;
    std::deque<QPair<qint64, int>> charges;
    qint64 retryAfterUntilMs = 0;

    // Faults.
    double partFailureChance = 0;
    QRandomGenerator partRng;
    int partFailureEveryNth = 0;
    qint64 partsSeen = 0;
    bool insufficient = false;
    int delayMs = 0;

    // Counters.
    QHash<int, int> endpointCounts;
    QHash<QString, int> contentFetches;
    QStringList queries;
    QVector<QStringList> labelIdsSeen;
    int maxBatchParts = 0;
    qint64 unitsCharged = 0;
    int quotaRefusals = 0;
    int beforeRetryAfter = 0;
    QVector<RequestRecord> log;

    void count(Endpoint e) { ++endpointCounts[int(e)]; }
    void bumpHistory() { history += 1 + QRandomGenerator::global()->bounded(4); } // ids grow with gaps

    Reply answer(const Request &req);
    Reply authorize(const Request &req);
    Reply token(const Request &req);
    Reply exchangeCode(const Params &form);
    Reply refresh(const Params &form);
    QJsonObject tokenAnswer(const QStringList &scopes, const QString &refreshToken);
    QString newAccessToken(const QStringList &scopes);

    // A Gmail API call, standalone or one part of a batch. `retryUntil`
    // gets the Retry-After deadline if the call is refused over quota.
    Reply gmailCall(const Request &req, bool inBatch, qint64 now, Endpoint *endpoint, qint64 *retryUntil);
    Reply batch(const Request &req, qint64 now, bool duringRetryAfter);
    std::optional<Reply> chargeQuota(int cost, qint64 now, qint64 *retryUntil);
    bool failThisPart();
    Reply profile();
    Reply label(const QString &id);
    Reply list(const QUrlQuery &query, const AccessToken &token);
    Reply get(const QString &id, const QUrlQuery &query, const AccessToken &token, bool inBatch);
    Reply attachment(const QString &id, const QString &attachmentId);
    QVector<const Stored *> sortedMatches(const QStringList &labelIds, const Query &q, bool includeSpamTrash) const;
};

// ---------------------------------------------------------------------------
// Dispatch

Reply GoogleFake::Private::answer(const Request &req)
{
    const QString path = req.url.path();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (path == QLatin1String("/o/oauth2/v2/auth") && req.method == "GET")
        return authorize(req);
    if (path == QLatin1String("/token") && req.method == "POST")
        return token(req);

    const bool apiCall = path.startsWith(QLatin1String("/gmail/v1/"))
        || (path == QLatin1String("/batch/gmail/v1") && req.method == "POST");
    if (!apiCall) {
        if (path == QLatin1String("/batch") || path.startsWith(QLatin1String("/batch/")))
            count(Endpoint::GlobalBatch); // retired in 2020 (PROVIDERS.md 2.3)
        return htmlNotFound();
    }

    RequestRecord record;
    record.arrivalMs = now;
    record.target = QString::fromLatin1(req.method) + QLatin1Char(' ') + req.url.toString(QUrl::FullyEncoded);
    record.duringRetryAfter = now < retryAfterUntilMs;
    if (record.duringRetryAfter)
        ++beforeRetryAfter;
    Reply reply;
    if (path == QLatin1String("/batch/gmail/v1")) {
        record.endpoint = Endpoint::Batch;
        reply = batch(req, now, record.duringRetryAfter);
    } else {
        reply = gmailCall(req, false, now, &record.endpoint, &record.retryAfterUntilMs);
    }
    record.status = reply.status;
    log << record;
    return reply;
}

// ---------------------------------------------------------------------------
// OAuth

Reply GoogleFake::Private::authorize(const Request &req)
{
    count(Endpoint::Authorize);
    const Params params = parseForm(req.url.query(QUrl::FullyEncoded).toLatin1());
    lastAuthorize.parameters = params;

    if (const QString dup = duplicateParam(params); !dup.isEmpty())
        return errorPage(400, QStringLiteral("Error 400: invalid_request"), QStringLiteral("Duplicate parameter: %1").arg(dup));
    if (paramValue(params, QStringLiteral("client_id")) != clientId)
        return errorPage(400, QStringLiteral("Error 401: invalid_client"), QStringLiteral("The OAuth client was not found."));

    // RFC 8252 §7.3 and §8.3: http on the IPv4 loopback literal, any port, any path.
    const QString redirectUri = paramValue(params, QStringLiteral("redirect_uri"));
    const QUrl redirect(redirectUri, QUrl::StrictMode);
    if (!redirect.isValid() || redirect.scheme() != QLatin1String("http") || redirect.host() != QLatin1String("127.0.0.1")
        || redirect.hasFragment() || !redirect.userInfo().isEmpty()) {
        return errorPage(400, QStringLiteral("Error 400: redirect_uri_mismatch"),
                         QStringLiteral("redirect_uri=%1").arg(redirectUri));
    }
    if (paramValue(params, QStringLiteral("response_type")) != QLatin1String("code"))
        return errorPage(400, QStringLiteral("Error 400: invalid_request"), QStringLiteral("Invalid response_type"));
    const QStringList scopes = paramValue(params, QStringLiteral("scope")).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (scopes.isEmpty())
        return errorPage(400, QStringLiteral("Error 400: invalid_request"), QStringLiteral("Missing required parameter: scope"));

    Code code;
    code.challenge = paramValue(params, QStringLiteral("code_challenge"));
    code.method = paramValue(params, QStringLiteral("code_challenge_method"));
    if (!code.challenge.isEmpty() && code.method.isEmpty())
        code.method = QStringLiteral("plain"); // RFC 7636 §4.3
    if (code.challenge.isEmpty() && !code.method.isEmpty())
        return errorPage(400, QStringLiteral("Error 400: invalid_request"), QStringLiteral("Missing code_challenge"));
    if (!code.method.isEmpty() && code.method != QLatin1String("S256") && code.method != QLatin1String("plain"))
        return errorPage(400, QStringLiteral("Error 400: invalid_request"), QStringLiteral("Invalid code_challenge_method"));
    if (!code.challenge.isEmpty() && !isValidVerifier(code.challenge)) // the same alphabet and length, §4.2
        return errorPage(400, QStringLiteral("Error 400: invalid_request"), QStringLiteral("Invalid code_challenge"));

    const bool hasState = hasParam(params, QStringLiteral("state"));
    const QByteArray state = QUrl::toPercentEncoding(paramValue(params, QStringLiteral("state")));
    const QByteArray separator = redirectUri.contains(QLatin1Char('?')) ? "&" : "?";
    QByteArray location = redirectUri.toUtf8() + separator;
    if (denyConsent) {
        location += "error=access_denied";
        if (hasState)
            location += "&state=" + state;
    } else {
        // Google's codes look like "4/0A…": the "/" must survive the redirect (QTBUG-81624).
        const QString value = QStringLiteral("4/0A") + randomString(70, kTokenAlphabet);
        const bool offline = lastAuthorize.offline();
        code.redirectUri = redirectUri;
        code.scopes = scopes;
        code.refreshToken = offline && (!consentedOffline || lastAuthorize.promptConsent());
        code.expiresMs = QDateTime::currentMSecsSinceEpoch() + qint64(codeLifetimeS) * 1000;
        if (offline)
            consentedOffline = true;
        codes.insert(value, code);
        location += "code=" + QUrl::toPercentEncoding(value);
        if (hasState)
            location += "&state=" + state;
        location += "&scope=" + QUrl::toPercentEncoding(scopes.join(QLatin1Char(' ')));
    }
    Reply reply{302, QByteArrayLiteral("text/html; charset=UTF-8"), {}, QByteArray()};
    reply.headers << qMakePair(QByteArrayLiteral("Location"), location);
    return reply;
}

Reply GoogleFake::Private::token(const Request &req)
{
    const Params form = parseForm(req.body);
    const QString grantType = paramValue(form, QStringLiteral("grant_type"));
    count(grantType == QLatin1String("refresh_token") ? Endpoint::TokenRefresh : Endpoint::Token);
    Reply reply;
    if (!req.header("Content-Type").toLower().startsWith("application/x-www-form-urlencoded")) {
        reply = oauthError(400, QStringLiteral("invalid_request"),
                           QStringLiteral("Content-Type must be application/x-www-form-urlencoded"));
    } else if (const QString dup = duplicateParam(form); !dup.isEmpty()) {
        reply = oauthError(400, QStringLiteral("invalid_request"), QStringLiteral("Duplicate parameter: %1").arg(dup));
    } else if (grantType == QLatin1String("authorization_code")) {
        reply = exchangeCode(form);
    } else if (grantType == QLatin1String("refresh_token")) {
        reply = refresh(form);
    } else {
        reply = oauthError(400, QStringLiteral("unsupported_grant_type"), QStringLiteral("Invalid grant_type: %1").arg(grantType));
    }
    tokenRequests << TokenRequest{{form}, reply.status};
    return reply;
}

QString GoogleFake::Private::newAccessToken(const QStringList &scopes)
{
    const QString token = QStringLiteral("ya29.a0") + randomString(120, kTokenAlphabet);
    accessTokens.insert(token, AccessToken{QDateTime::currentMSecsSinceEpoch() + qint64(accessLifetimeS) * 1000, scopes});
    return token;
}

QJsonObject GoogleFake::Private::tokenAnswer(const QStringList &scopes, const QString &refreshToken)
{
    QJsonObject answer{
        {QStringLiteral("access_token"), newAccessToken(scopes)},
        {QStringLiteral("expires_in"), accessLifetimeS},
        {QStringLiteral("token_type"), QStringLiteral("Bearer")},
    };
    if (!refreshToken.isEmpty())
        answer[QStringLiteral("refresh_token")] = refreshToken;
    if (!omitScope)
        answer[QStringLiteral("scope")] = scopes.join(QLatin1Char(' '));
    // An OpenID Connect id_token only when an identity scope was granted, as at Google (signature not real).
    const bool identity = std::any_of(scopes.begin(), scopes.end(), [](const QString &s) {
        return s == QLatin1String("openid") || s.endsWith(QLatin1String("email")) || s.endsWith(QLatin1String("profile"));
    });
    if (identity) {
        const qint64 nowS = QDateTime::currentSecsSinceEpoch();
        const QJsonObject claims{{QStringLiteral("iss"), QStringLiteral("https://accounts.google.com")},
                                 {QStringLiteral("aud"), clientId},
                                 {QStringLiteral("sub"), QStringLiteral("104242424242424242424")},
                                 {QStringLiteral("email"), email},
                                 {QStringLiteral("email_verified"), true},
                                 {QStringLiteral("iat"), nowS},
                                 {QStringLiteral("exp"), nowS + accessLifetimeS}};
        answer[QStringLiteral("id_token")] = QString::fromLatin1(
            base64url(R"({"alg":"RS256","kid":"lookback-fake","typ":"JWT"})", false) + '.'
            + base64url(QJsonDocument(claims).toJson(QJsonDocument::Compact), false) + ".c2lnbmF0dXJl");
    }
    return answer;
}

Reply GoogleFake::Private::exchangeCode(const Params &form)
{
    if (paramValue(form, QStringLiteral("client_id")) != clientId
        || paramValue(form, QStringLiteral("client_secret")) != clientSecret)
        return oauthError(401, QStringLiteral("invalid_client"), QStringLiteral("Unauthorized"));

    const QString value = paramValue(form, QStringLiteral("code"));
    // A code sent still percent-encoded ("4%2F0A…", Qt 6.4.2's double encoding) is not a code at all.
    if (value.contains(QLatin1Char('%')))
        return oauthError(400, QStringLiteral("invalid_grant"), QStringLiteral("Malformed auth code."));
    auto it = codes.find(value);
    if (it == codes.end() || it->used || QDateTime::currentMSecsSinceEpoch() > it->expiresMs)
        return oauthError(400, QStringLiteral("invalid_grant"), QStringLiteral("Bad Request"));
    if (paramValue(form, QStringLiteral("redirect_uri")) != it->redirectUri)
        return oauthError(400, QStringLiteral("redirect_uri_mismatch"), QStringLiteral("Bad Request"));

    if (!it->challenge.isEmpty()) {
        if (!hasParam(form, QStringLiteral("code_verifier")))
            return oauthError(400, QStringLiteral("invalid_grant"), QStringLiteral("Missing code verifier."));
        const QString verifier = paramValue(form, QStringLiteral("code_verifier"));
        const QString expected = it->method == QLatin1String("S256")
            ? QString::fromLatin1(base64url(QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256), false))
            : verifier;
        if (!isValidVerifier(verifier) || expected != it->challenge)
            return oauthError(400, QStringLiteral("invalid_grant"), QStringLiteral("Invalid code verifier."));
    }

    it->used = true;
    QString refreshToken;
    if (it->refreshToken) {
        refreshToken = QStringLiteral("1//0") + randomString(100, kTokenAlphabet);
        refreshTokens.insert(refreshToken, RefreshToken{it->scopes, false});
    }
    return jsonReply(200, tokenAnswer(it->scopes, refreshToken));
}

Reply GoogleFake::Private::refresh(const Params &form)
{
    const bool secretSent = hasParam(form, QStringLiteral("client_secret"));
    const QString secret = paramValue(form, QStringLiteral("client_secret"));
    if (paramValue(form, QStringLiteral("client_id")) != clientId)
        return oauthError(401, QStringLiteral("invalid_client"), QStringLiteral("Unauthorized"));
    if (secretSent && secret != clientSecret) // Qt 6.4.2 sends "client_secret=" (PROVIDERS.md 4)
        return oauthError(401, QStringLiteral("invalid_client"), QStringLiteral("Unauthorized"));
    if (!secretSent && requireClientSecret)
        return oauthError(400, QStringLiteral("invalid_request"), QStringLiteral("client_secret is missing."));
    if (refreshFailure) {
        const auto failure = *refreshFailure;
        refreshFailure.reset();
        return jsonReply(failure.first, failure.second);
    }
    const auto it = refreshTokens.constFind(paramValue(form, QStringLiteral("refresh_token")));
    if (it == refreshTokens.constEnd() || it->revoked)
        return oauthError(400, QStringLiteral("invalid_grant"), QStringLiteral("Token has been expired or revoked."));
    return jsonReply(200, tokenAnswer(it->scopes, QString())); // Google does not rotate refresh tokens
}

// ---------------------------------------------------------------------------
// Gmail

std::optional<Reply> GoogleFake::Private::chargeQuota(int cost, qint64 now, qint64 *retryUntil)
{
    while (!charges.empty() && charges.front().first <= now - quotaWindowMs)
        charges.pop_front();
    qint64 used = 0;
    for (const auto &c : charges)
        used += c.second;
    if (used + cost <= quotaUnits) {
        charges.push_back(qMakePair(now, cost));
        unitsCharged += cost;
        return std::nullopt;
    }
    // When enough of the window's charges have aged out for this call to fit.
    qint64 fitsAt = now + quotaWindowMs;
    qint64 remaining = used;
    for (const auto &c : charges) {
        remaining -= c.second;
        if (remaining + cost <= quotaUnits) {
            fitsAt = c.first + quotaWindowMs;
            break;
        }
    }
    const qint64 seconds = std::max<qint64>(1, (fitsAt - now + 999) / 1000);
    const qint64 until = now + seconds * 1000;
    retryAfterUntilMs = std::max(retryAfterUntilMs, until);
    if (retryUntil)
        *retryUntil = until;
    ++quotaRefusals;
    const QString message = QStringLiteral("User-rate limit exceeded.  Retry after %1")
                                .arg(QDateTime::fromMSecsSinceEpoch(until, Qt::UTC).toString(Qt::ISODateWithMs));
    Reply reply = quotaAs403 ? apiError(403, message, QStringLiteral("usageLimits"), QStringLiteral("userRateLimitExceeded"),
                                        QStringLiteral("PERMISSION_DENIED"))
                             : apiError(429, message, QStringLiteral("usageLimits"), QStringLiteral("rateLimitExceeded"),
                                        QStringLiteral("RESOURCE_EXHAUSTED"));
    reply.headers << qMakePair(QByteArrayLiteral("Retry-After"), QByteArray::number(seconds));
    return reply;
}

bool GoogleFake::Private::failThisPart()
{
    ++partsSeen;
    if (partFailureEveryNth > 0 && partsSeen % partFailureEveryNth == 0)
        return true;
    return partFailureChance > 0 && partRng.generateDouble() < partFailureChance;
}

Reply GoogleFake::Private::gmailCall(const Request &req, bool inBatch, qint64 now, Endpoint *endpoint, qint64 *retryUntil)
{
    // Route: /gmail/v1/users/{userId}/{resource...}
    const QStringList segments = req.url.path().split(QLatin1Char('/'));
    // "", "gmail", "v1", "users", userId, ...
    if (segments.size() < 6 || segments.at(1) != QLatin1String("gmail") || segments.at(2) != QLatin1String("v1")
        || segments.at(3) != QLatin1String("users") || req.method != "GET")
        return htmlNotFound();
    const QString userId = segments.at(4);
    const QStringList rest = segments.mid(5);
    int cost = 0;
    Endpoint e;
    if (rest.size() == 1 && rest.at(0) == QLatin1String("profile")) {
        e = Endpoint::Profile;
        cost = 1;
    } else if (rest.size() == 2 && rest.at(0) == QLatin1String("labels")) {
        e = Endpoint::Labels;
        cost = 1;
    } else if (rest.size() == 1 && rest.at(0) == QLatin1String("messages")) {
        e = Endpoint::List;
        cost = 5;
    } else if (rest.size() == 2 && rest.at(0) == QLatin1String("messages")) {
        e = Endpoint::Get;
        cost = 5;
    } else if (rest.size() == 4 && rest.at(0) == QLatin1String("messages") && rest.at(2) == QLatin1String("attachments")) {
        e = Endpoint::Attachment;
        cost = 5;
    } else {
        return htmlNotFound(); // history.list and the rest are not served
    }
    *endpoint = inBatch ? Endpoint::BatchPart : e;
    count(*endpoint);
    const QUrlQuery query(req.url);
    if (e == Endpoint::Get
        && query.queryItemValue(QStringLiteral("format")).compare(QLatin1String("raw"), Qt::CaseInsensitive) == 0)
        count(Endpoint::Raw);

    // Credentials, then scopes, then quota.
    const QByteArray authorization = req.header("Authorization");
    if (!authorization.startsWith("Bearer "))
        return unauthorized();
    const auto token = accessTokens.constFind(QString::fromLatin1(authorization.mid(7).trimmed()));
    if (token == accessTokens.constEnd() || now >= token->expiresMs)
        return unauthorized();
    if (userId != QLatin1String("me") && userId.compare(email, Qt::CaseInsensitive) != 0)
        return forbidden(QStringLiteral("Delegation denied for %1").arg(email));
    const bool gmailScope = std::any_of(token->scopes.begin(), token->scopes.end(),
                                        [](const QString &s) { return kGmailReadScopes.contains(s); });
    if (insufficient || !gmailScope)
        return insufficientPermissions();
    if (inBatch && failThisPart())
        return tooManyConcurrent();
    if (std::optional<Reply> refusal = chargeQuota(cost, now, retryUntil))
        return *refusal;

    switch (e) {
    case Endpoint::Profile: return profile();
    case Endpoint::Labels: return label(rest.at(1));
    case Endpoint::List: return list(query, *token);
    case Endpoint::Get: return get(rest.at(1), query, *token, inBatch);
    case Endpoint::Attachment: return attachment(rest.at(1), rest.at(3));
    default: return htmlNotFound();
    }
}

Reply GoogleFake::Private::profile()
{
    QSet<QString> threads;
    for (const Stored &s : std::as_const(messages))
        threads.insert(s.message.threadId);
    return jsonReply(200, QJsonObject{{QStringLiteral("emailAddress"), email},
                                      {QStringLiteral("messagesTotal"), int(messages.size())},
                                      {QStringLiteral("threadsTotal"), int(threads.size())},
                                      {QStringLiteral("historyId"), QString::number(history)}});
}

Reply GoogleFake::Private::label(const QString &id)
{
    int total = 0, unread = 0;
    QSet<QString> threads, unreadThreads;
    bool known = kSystemLabels.contains(id);
    for (const Stored &s : std::as_const(messages)) {
        if (!s.message.labelIds.contains(id))
            continue;
        known = true;
        ++total;
        threads.insert(s.message.threadId);
        if (s.message.labelIds.contains(QLatin1String("UNREAD"))) {
            ++unread;
            unreadThreads.insert(s.message.threadId);
        }
    }
    if (!known)
        return notFound();
    return jsonReply(200, QJsonObject{{QStringLiteral("id"), id},
                                      {QStringLiteral("name"), id},
                                      {QStringLiteral("type"), kSystemLabels.contains(id) ? QStringLiteral("system") : QStringLiteral("user")},
                                      {QStringLiteral("messagesTotal"), total},
                                      {QStringLiteral("messagesUnread"), unread},
                                      {QStringLiteral("threadsTotal"), int(threads.size())},
                                      {QStringLiteral("threadsUnread"), int(unreadThreads.size())}});
}

QVector<const GoogleFake::Private::Stored *> GoogleFake::Private::sortedMatches(const QStringList &labelIds, const Query &q,
                                                                               bool includeSpamTrash) const
{
    QVector<const Stored *> out;
    const bool wantsDrafts = q.mentionsDrafts || labelIds.contains(QLatin1String("DRAFT"));
    const bool wantsSpamTrash = includeSpamTrash || q.mentionsSpamTrash || labelIds.contains(QLatin1String("SPAM"))
        || labelIds.contains(QLatin1String("TRASH"));
    for (const Stored &s : messages) {
        const Message &m = s.message;
        if (!std::all_of(labelIds.begin(), labelIds.end(), [&](const QString &l) { return m.labelIds.contains(l); }))
            continue;
        // PROVIDERS.md 2.1: labelIds=INBOX/SENT never lists drafts.
        if (!labelIds.isEmpty() && !wantsDrafts && m.labelIds.contains(QLatin1String("DRAFT")))
            continue;
        if (!wantsSpamTrash && (m.labelIds.contains(QLatin1String("SPAM")) || m.labelIds.contains(QLatin1String("TRASH"))))
            continue;
        if (!std::all_of(q.terms.begin(), q.terms.end(), [&](const Query::Term &t) { return termMatches(t, m); }))
            continue;
        out << &s;
    }
    // Newest first; the id breaks ties so that paging is deterministic.
    std::sort(out.begin(), out.end(), [](const Stored *a, const Stored *b) {
        if (a->message.internalDateMs != b->message.internalDateMs)
            return a->message.internalDateMs > b->message.internalDateMs;
        return a->message.id > b->message.id;
    });
    return out;
}

Reply GoogleFake::Private::list(const QUrlQuery &query, const AccessToken &token)
{
    const QString q = query.queryItemValue(QStringLiteral("q"), QUrl::FullyDecoded);
    QStringList labelIds = query.allQueryItemValues(QStringLiteral("labelIds"), QUrl::FullyDecoded);
    queries << q;
    labelIdsSeen << labelIds;
    if (!q.isEmpty() && token.scopes == QStringList{kMetadataScope})
        return forbidden(QStringLiteral("Metadata scope does not support 'q' parameter"));

    int maxResults = kDefaultMaxResults;
    if (query.hasQueryItem(QStringLiteral("maxResults"))) {
        bool ok = false;
        maxResults = query.queryItemValue(QStringLiteral("maxResults")).toInt(&ok);
        if (!ok || maxResults < 0)
            return invalidArgument(QStringLiteral("Invalid value at 'max_results' (TYPE_UINT32), \"%1\"")
                                       .arg(query.queryItemValue(QStringLiteral("maxResults"))));
        if (maxResults == 0)
            maxResults = kDefaultMaxResults;
        maxResults = std::min(maxResults, kMaxMaxResults); // Google clamps silently
    }
    const bool includeSpamTrash = query.queryItemValue(QStringLiteral("includeSpamTrash")) == QLatin1String("true");
    QStringList sortedLabels = labelIds;
    sortedLabels.sort();
    const QString queryKey = q + QLatin1Char('\n') + sortedLabels.join(QLatin1Char(',')) + QLatin1Char('\n')
        + (includeSpamTrash ? QLatin1Char('1') : QLatin1Char('0'));

    const QVector<const Stored *> matches = sortedMatches(labelIds, parseQuery(q), includeSpamTrash);
    qsizetype start = 0;
    if (query.hasQueryItem(QStringLiteral("pageToken"))) {
        const auto it = pageTokens.constFind(query.queryItemValue(QStringLiteral("pageToken")));
        if (it == pageTokens.constEnd() || it->queryKey != queryKey)
            return invalidArgument(QStringLiteral("Invalid pageToken"));
        // The boundary is the last message of the previous page, so messages
        // added meanwhile do not shift the pages.
        while (start < matches.size()) {
            const Message &m = matches.at(start)->message;
            if (m.internalDateMs < it->dateMs || (m.internalDateMs == it->dateMs && m.id < it->id))
                break;
            ++start;
        }
    }
    QJsonArray page;
    const qsizetype end = std::min<qsizetype>(matches.size(), start + maxResults);
    for (qsizetype i = start; i < end; ++i) {
        page.append(QJsonObject{{QStringLiteral("id"), matches.at(i)->message.id},
                                {QStringLiteral("threadId"), matches.at(i)->message.threadId}});
    }
    QJsonObject answer;
    if (!page.isEmpty())
        answer[QStringLiteral("messages")] = page;
    if (end < matches.size()) {
        const QString token = randomString(20, "0123456789");
        const Message &last = matches.at(end - 1)->message;
        pageTokens.insert(token, PageBoundary{queryKey, last.internalDateMs, last.id});
        answer[QStringLiteral("nextPageToken")] = token;
    }
    // Deliberately inexact (PROVIDERS.md 2.1), the same for the same query and count.
    const qsizetype n = matches.size();
    qint64 estimate = 0;
    if (n > 0) {
        const size_t h = qHash(queryKey, 0x6d61696cU);
        const qint64 delta = 1 + qint64(h % size_t(estimateSlack(n)));
        estimate = (h >> 8) & 1 ? n + delta : n - delta;
        if (estimate < 1)
            estimate = n + delta;
    }
    answer[QStringLiteral("resultSizeEstimate")] = estimate;
    return jsonReply(200, answer);
}

Reply GoogleFake::Private::get(const QString &id, const QUrlQuery &query, const AccessToken &token, bool inBatch)
{
    Q_UNUSED(inBatch);
    const QString format = query.hasQueryItem(QStringLiteral("format"))
        ? query.queryItemValue(QStringLiteral("format")).toLower()
        : QStringLiteral("full");
    if (format != QLatin1String("full") && format != QLatin1String("metadata") && format != QLatin1String("minimal")
        && format != QLatin1String("raw"))
        return invalidArgument(QStringLiteral("Invalid value at 'format' (type.googleapis.com/google.apps.gmail.v1.Format), \"%1\"")
                                   .arg(query.queryItemValue(QStringLiteral("format"))));
    if (token.scopes == QStringList{kMetadataScope} && (format == QLatin1String("full") || format == QLatin1String("raw")))
        return forbidden(QStringLiteral("Metadata scope doesn't allow format %1").arg(format.toUpper()));
    const auto it = messages.constFind(id);
    if (it == messages.constEnd()) {
        static const QRegularExpression hex(QStringLiteral("^[0-9a-f]+$"));
        if (!hex.match(id).hasMatch())
            return invalidArgument(QStringLiteral("Invalid id value"));
        return notFound();
    }
    const Message &m = it->message;
    QJsonObject answer{{QStringLiteral("id"), m.id},
                       {QStringLiteral("threadId"), m.threadId},
                       {QStringLiteral("labelIds"), QJsonArray::fromStringList(m.labelIds)},
                       {QStringLiteral("snippet"), snippetOf(m.raw)},
                       {QStringLiteral("sizeEstimate"), int(m.raw.size())},
                       {QStringLiteral("historyId"), QString::number(it->historyId)},
                       {QStringLiteral("internalDate"), QString::number(m.internalDateMs)}};
    if (format == QLatin1String("raw")) {
        answer[QStringLiteral("raw")] = QString::fromLatin1(base64url(m.raw));
    } else if (format != QLatin1String("minimal")) {
        PayloadContext ctx;
        ctx.messageId = m.id;
        ctx.metadataOnly = format == QLatin1String("metadata");
        ctx.headerFilter = query.allQueryItemValues(QStringLiteral("metadataHeaders"), QUrl::FullyDecoded);
        answer[QStringLiteral("payload")] = buildPayload(m.raw, ctx);
    }
    if (format != QLatin1String("minimal"))
        ++contentFetches[m.id];
    return jsonReply(200, answer);
}

Reply GoogleFake::Private::attachment(const QString &id, const QString &attachmentId)
{
    const auto it = messages.constFind(id);
    if (it == messages.constEnd())
        return notFound();
    PayloadContext ctx;
    ctx.messageId = id;
    buildPayload(it->message.raw, ctx);
    const auto found = ctx.attachments.constFind(attachmentId);
    if (found == ctx.attachments.constEnd())
        return invalidArgument(QStringLiteral("Invalid attachment token"));
    return jsonReply(200, QJsonObject{{QStringLiteral("size"), int(found->size())},
                                      {QStringLiteral("data"), QString::fromLatin1(base64url(*found))}});
}

// ---------------------------------------------------------------------------
// Batch (PROVIDERS.md 2.3)

namespace {

struct BatchPart
{
    QByteArray contentType;
    QByteArray contentId; // without the angle brackets
    QByteArray http;      // the embedded request
};

QByteArray boundaryOf(const QByteArray &contentType)
{
    static const QRegularExpression re(QStringLiteral("boundary=(\"([^\"]+)\"|([^;\\s]+))"),
                                       QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = re.match(QString::fromLatin1(contentType));
    if (!m.hasMatch())
        return QByteArray();
    return (m.captured(2).isEmpty() ? m.captured(3) : m.captured(2)).toLatin1();
}

// Headers and body of one MIME entity or HTTP message, split at the first blank line.
void splitHead(const QByteArray &entity, QList<QByteArray> *headLines, QByteArray *body)
{
    qsizetype end = entity.indexOf("\r\n\r\n");
    qsizetype skip = 4;
    const qsizetype lf = entity.indexOf("\n\n");
    if (end < 0 || (lf >= 0 && lf < end)) {
        end = lf;
        skip = 2;
    }
    const QByteArray head = end < 0 ? entity : entity.left(end);
    *body = end < 0 ? QByteArray() : entity.mid(end + skip);
    headLines->clear();
    for (QByteArray line : head.split('\n')) {
        line = line.trimmed();
        if (!line.isEmpty())
            headLines->append(line);
    }
}

// The parts of a multipart/mixed body; false if it has no closing delimiter.
bool parseMultipart(const QByteArray &body, const QByteArray &boundary, QVector<BatchPart> *parts)
{
    const QByteArray delimiter = "--" + boundary;
    qsizetype pos = body.indexOf(delimiter);
    if (pos < 0)
        return false;
    while (true) {
        pos += delimiter.size();
        if (body.mid(pos, 2) == "--")
            return true; // closing delimiter
        const qsizetype lineEnd = body.indexOf('\n', pos);
        if (lineEnd < 0)
            return false;
        const qsizetype next = body.indexOf(delimiter, lineEnd);
        if (next < 0)
            return false;
        QByteArray entity = body.mid(lineEnd + 1, next - lineEnd - 1);
        // The line break before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
        if (entity.endsWith("\r\n"))
            entity.chop(2);
        else if (entity.endsWith('\n'))
            entity.chop(1);
        QList<QByteArray> headLines;
        BatchPart part;
        splitHead(entity, &headLines, &part.http);
        for (const QByteArray &line : headLines) {
            const qsizetype colon = line.indexOf(':');
            if (colon < 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-type")
                part.contentType = value;
            else if (name == "content-id")
                part.contentId = value.startsWith('<') && value.endsWith('>') ? value.mid(1, value.size() - 2) : value;
        }
        parts->append(part);
        pos = next;
    }
}

// The embedded request of a batch part: "GET /gmail/v1/… HTTP/1.1", headers, body.
bool parseEmbeddedRequest(const QByteArray &http, Request *req)
{
    QList<QByteArray> lines;
    splitHead(http, &lines, &req->body);
    if (lines.isEmpty())
        return false;
    const QList<QByteArray> requestLine = lines.takeFirst().split(' ');
    if (requestLine.size() < 2)
        return false;
    req->method = requestLine.at(0).toUpper();
    const QUrl target = QUrl::fromEncoded(requestLine.at(1));
    if (!target.isValid())
        return false;
    req->url = QUrl(); // keep only path and query, also of an absolute URL
    req->url.setPath(target.path(QUrl::FullyEncoded), QUrl::TolerantMode);
    req->url.setQuery(target.query(QUrl::FullyEncoded), QUrl::TolerantMode);
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            req->headers << qMakePair(line.left(colon).trimmed(), line.mid(colon + 1).trimmed());
    }
    return true;
}

QByteArray embeddedResponse(const Reply &reply)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(reply.status) + ' ' + reasonPhrase(reply.status) + "\r\n";
    out += "Content-Type: " + (reply.contentType.isEmpty() ? QByteArrayLiteral("application/json; charset=UTF-8")
                                                           : reply.contentType) + "\r\n";
    for (const auto &h : reply.headers)
        out += h.first + ": " + h.second + "\r\n";
    out += "\r\n" + reply.body;
    return out;
}

} // namespace

Reply GoogleFake::Private::batch(const Request &req, qint64 now, bool duringRetryAfter)
{
    count(Endpoint::Batch);
    const QByteArray contentType = req.header("Content-Type");
    const QByteArray boundary = boundaryOf(contentType);
    QVector<BatchPart> parts;
    if (!contentType.toLower().startsWith("multipart/mixed") || boundary.isEmpty()
        || !parseMultipart(req.body, boundary, &parts) || parts.isEmpty())
        return invalidArgument(QStringLiteral("Failed to parse batch request"));
    maxBatchParts = std::max(maxBatchParts, int(parts.size()));
    if (parts.size() > kMaxBatchParts)
        return invalidArgument(QStringLiteral("Too many requests in batch. Max %1.").arg(kMaxBatchParts));

    const QByteArray outerAuthorization = req.header("Authorization");
    const QByteArray responseBoundary = "batch_" + randomString(24, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789").toLatin1();
    QByteArray body;
    for (const BatchPart &part : parts) {
        RequestRecord record;
        record.arrivalMs = now;
        record.endpoint = Endpoint::BatchPart;
        record.duringRetryAfter = duringRetryAfter;
        Reply inner;
        Request embedded;
        if (!part.contentType.toLower().startsWith("application/http") || !parseEmbeddedRequest(part.http, &embedded)) {
            count(Endpoint::BatchPart);
            inner = invalidArgument(QStringLiteral("Failed to parse batch request part"));
        } else {
            // The batch's own credentials apply unless the part carries its own.
            if (embedded.header("Authorization").isEmpty() && !outerAuthorization.isEmpty())
                embedded.headers << qMakePair(QByteArrayLiteral("Authorization"), outerAuthorization);
            record.target = QString::fromLatin1(embedded.method) + QLatin1Char(' ') + embedded.url.toString(QUrl::FullyEncoded);
            if (embedded.url.path().startsWith(QLatin1String("/gmail/v1/"))) {
                inner = gmailCall(embedded, true, now, &record.endpoint, &record.retryAfterUntilMs);
            } else {
                count(Endpoint::BatchPart);
                inner = htmlNotFound();
            }
        }
        record.status = inner.status;
        log << record;
        body += "--" + responseBoundary + "\r\nContent-Type: application/http\r\n";
        if (!part.contentId.isEmpty())
            body += "Content-ID: <response-" + part.contentId + ">\r\n";
        body += "\r\n" + embeddedResponse(inner) + "\r\n";
    }
    body += "--" + responseBoundary + "--\r\n";
    return Reply{200, "multipart/mixed; boundary=" + responseBoundary, {}, body};
}

// ---------------------------------------------------------------------------
// Public side

GoogleFake::GoogleFake()
    : d(std::make_unique<Private>())
{
}

GoogleFake::~GoogleFake()
{
    stop();
}

bool GoogleFake::start(QString *error)
{
    if (d->host.running())
        return true;
    Mime::ensureInitialized();
    Private *p = d.get();
    return d->host.start(
        &d->mutex, [p](const Request &req) { return p->answer(req); }, [p] { return p->delayMs; },
        {}, error);
}

void GoogleFake::stop()
{
    d->host.stop();
}

quint16 GoogleFake::port() const
{
    return d->host.port();
}

QUrl GoogleFake::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port()));
}

QUrl GoogleFake::authUrl() const
{
    return QUrl(baseUrl().toString() + QStringLiteral("/o/oauth2/v2/auth"));
}

QUrl GoogleFake::tokenUrl() const
{
    return QUrl(baseUrl().toString() + QStringLiteral("/token"));
}

QUrl GoogleFake::apiUrl() const
{
    return baseUrl();
}

void GoogleFake::setClient(const QString &clientId, const QString &clientSecret)
{
    QMutexLocker lock(&d->mutex);
    d->clientId = clientId;
    d->clientSecret = clientSecret;
}

QString GoogleFake::clientId() const
{
    QMutexLocker lock(&d->mutex);
    return d->clientId;
}

QString GoogleFake::clientSecret() const
{
    QMutexLocker lock(&d->mutex);
    return d->clientSecret;
}

void GoogleFake::setUserEmail(const QString &email)
{
    QMutexLocker lock(&d->mutex);
    d->email = email;
}

QString GoogleFake::userEmail() const
{
    QMutexLocker lock(&d->mutex);
    return d->email;
}

void GoogleFake::setDenyConsent(bool deny)
{
    QMutexLocker lock(&d->mutex);
    d->denyConsent = deny;
}

void GoogleFake::setOmitScope(bool omit)
{
    QMutexLocker lock(&d->mutex);
    d->omitScope = omit;
}

void GoogleFake::setAccessTokenLifetime(int seconds)
{
    QMutexLocker lock(&d->mutex);
    d->accessLifetimeS = seconds;
}

void GoogleFake::setCodeLifetime(int seconds)
{
    QMutexLocker lock(&d->mutex);
    d->codeLifetimeS = seconds;
}

void GoogleFake::setRequireClientSecret(bool require)
{
    QMutexLocker lock(&d->mutex);
    d->requireClientSecret = require;
}

void GoogleFake::revokeRefreshTokens()
{
    QMutexLocker lock(&d->mutex);
    for (auto &token : d->refreshTokens)
        token.revoked = true;
}

void GoogleFake::setRefreshFailure(int httpStatus, const QByteArray &body)
{
    QMutexLocker lock(&d->mutex);
    d->refreshFailure = qMakePair(httpStatus, body);
}

void GoogleFake::expireAccessTokens()
{
    QMutexLocker lock(&d->mutex);
    d->accessTokens.clear();
}

void GoogleFake::forgetConsent()
{
    QMutexLocker lock(&d->mutex);
    d->consentedOffline = false;
}

QString GoogleFake::issueAccessToken(const QStringList &scopes)
{
    QMutexLocker lock(&d->mutex);
    return d->newAccessToken(scopes);
}

QString GoogleFake::issueRefreshToken(const QStringList &scopes)
{
    QMutexLocker lock(&d->mutex);
    const QString token = QStringLiteral("1//0") + randomString(100, kTokenAlphabet);
    d->refreshTokens.insert(token, Private::RefreshToken{scopes, false});
    return token;
}

GoogleFake::AuthorizeRequest GoogleFake::lastAuthorizeRequest() const
{
    QMutexLocker lock(&d->mutex);
    return d->lastAuthorize;
}

QVector<GoogleFake::TokenRequest> GoogleFake::tokenRequests() const
{
    QMutexLocker lock(&d->mutex);
    return d->tokenRequests;
}

QString GoogleFake::addMessage(const Message &message)
{
    QMutexLocker lock(&d->mutex);
    Message m = message;
    if (m.id.isEmpty()) {
        do
            m.id = makeId(m.internalDateMs);
        while (d->messages.contains(m.id));
    }
    if (m.threadId.isEmpty())
        m.threadId = m.id;
    d->bumpHistory();
    d->messages.insert(m.id, Private::Stored{m, d->history});
    return m.id;
}

void GoogleFake::removeMessage(const QString &id)
{
    QMutexLocker lock(&d->mutex);
    if (d->messages.remove(id))
        d->bumpHistory();
}

void GoogleFake::clearMessages()
{
    QMutexLocker lock(&d->mutex);
    if (!d->messages.isEmpty())
        d->bumpHistory();
    d->messages.clear();
}

int GoogleFake::messageCount() const
{
    QMutexLocker lock(&d->mutex);
    return int(d->messages.size());
}

qint64 GoogleFake::historyId() const
{
    QMutexLocker lock(&d->mutex);
    return d->history;
}

qint64 GoogleFake::estimateSlack(qint64 matches)
{
    return matches / 4 + 1;
}

QString GoogleFake::makeId(qint64 internalDateMs)
{
    // Gmail's ids grow with time: milliseconds in the high bits, randomness below.
    const quint64 value = (quint64(std::max<qint64>(0, internalDateMs)) << 20) | QRandomGenerator::global()->bounded(1u << 20);
    return QStringLiteral("%1").arg(value, 16, 16, QLatin1Char('0')).right(16);
}

QByteArray GoogleFake::makeRaw(const QString &from, const QString &to, const QString &subject, const QDateTime &date,
                               const QString &body, const QString &messageId, const QString &attachmentName,
                               const QByteArray &attachmentBytes)
{
    auto isAscii = [](const QString &s) {
        return std::all_of(s.begin(), s.end(), [](QChar c) { return c.unicode() < 128; });
    };
    const QByteArray encodedSubject = isAscii(subject)
        ? subject.toUtf8()
        : "=?UTF-8?B?" + subject.toUtf8().toBase64() + "?=";
    QByteArray id = messageId.toUtf8();
    if (!id.startsWith('<'))
        id = '<' + id + '>';
    QByteArray text = body.toUtf8();
    text.replace("\r\n", "\n");
    text.replace('\n', "\r\n");
    if (!text.endsWith("\r\n"))
        text += "\r\n";
    const bool plain = isAscii(body);
    const QByteArray textHeaders = "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: "
        + QByteArray(plain ? "7bit" : "base64") + "\r\n";
    auto wrap76 = [](const QByteArray &b64) {
        QByteArray out;
        for (qsizetype i = 0; i < b64.size(); i += 76)
            out += b64.mid(i, 76) + "\r\n";
        return out;
    };
    const QByteArray textBody = plain ? text : wrap76(text.toBase64());

    QByteArray raw = "From: " + from.toUtf8() + "\r\nTo: " + to.toUtf8() + "\r\nSubject: " + encodedSubject
        + "\r\nDate: " + date.toString(Qt::RFC2822Date).toLatin1() + "\r\nMessage-ID: " + id + "\r\nMIME-Version: 1.0\r\n";
    if (attachmentName.isEmpty())
        return raw + textHeaders + "\r\n" + textBody;
    const QByteArray boundary = "lookback-fake-" + QCryptographicHash::hash(id, QCryptographicHash::Md5).toHex();
    const QByteArray name = attachmentName.toUtf8();
    raw += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
    raw += "--" + boundary + "\r\n" + textHeaders + "\r\n" + textBody;
    raw += "--" + boundary + "\r\nContent-Type: application/octet-stream; name=\"" + name
        + "\"\r\nContent-Disposition: attachment; filename=\"" + name + "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + wrap76(attachmentBytes.toBase64());
    raw += "--" + boundary + "--\r\n";
    return raw;
}

void GoogleFake::setQuota(int unitsPerWindow, int windowMs)
{
    QMutexLocker lock(&d->mutex);
    d->quotaUnits = unitsPerWindow;
    d->quotaWindowMs = windowMs;
    d->charges.clear();
}

void GoogleFake::setQuotaRefusalAs403(bool as403)
{
    QMutexLocker lock(&d->mutex);
    d->quotaAs403 = as403;
}

void GoogleFake::setBatchPartFailures(double chance, quint32 seed)
{
    QMutexLocker lock(&d->mutex);
    d->partFailureChance = chance;
    d->partRng.seed(seed);
}

void GoogleFake::setBatchPartFailureEveryNth(int n)
{
    QMutexLocker lock(&d->mutex);
    d->partFailureEveryNth = n;
    d->partsSeen = 0;
}

void GoogleFake::setInsufficientPermissions(bool on)
{
    QMutexLocker lock(&d->mutex);
    d->insufficient = on;
}

void GoogleFake::setResponseDelayMs(int ms)
{
    QMutexLocker lock(&d->mutex);
    d->delayMs = ms;
}

int GoogleFake::requests(Endpoint endpoint) const
{
    QMutexLocker lock(&d->mutex);
    return d->endpointCounts.value(int(endpoint));
}

int GoogleFake::contentFetches(const QString &id) const
{
    QMutexLocker lock(&d->mutex);
    return d->contentFetches.value(id);
}

QHash<QString, int> GoogleFake::allContentFetches() const
{
    QMutexLocker lock(&d->mutex);
    return d->contentFetches;
}

QStringList GoogleFake::queriesSeen() const
{
    QMutexLocker lock(&d->mutex);
    return d->queries;
}

QVector<QStringList> GoogleFake::labelIdsSeen() const
{
    QMutexLocker lock(&d->mutex);
    return d->labelIdsSeen;
}

int GoogleFake::maxBatchParts() const
{
    QMutexLocker lock(&d->mutex);
    return d->maxBatchParts;
}

qint64 GoogleFake::unitsCharged() const
{
    QMutexLocker lock(&d->mutex);
    return d->unitsCharged;
}

int GoogleFake::quotaRefusals() const
{
    QMutexLocker lock(&d->mutex);
    return d->quotaRefusals;
}

int GoogleFake::requestsBeforeRetryAfter() const
{
    QMutexLocker lock(&d->mutex);
    return d->beforeRetryAfter;
}

QVector<GoogleFake::RequestRecord> GoogleFake::requestLog() const
{
    QMutexLocker lock(&d->mutex);
    return d->log;
}

void GoogleFake::resetCounters()
{
    QMutexLocker lock(&d->mutex);
    d->endpointCounts.clear();
    d->contentFetches.clear();
    d->queries.clear();
    d->labelIdsSeen.clear();
    d->maxBatchParts = 0;
    d->unitsCharged = 0;
    d->quotaRefusals = 0;
    d->beforeRetryAfter = 0;
    d->log.clear();
}

} // namespace Lookback::Test
