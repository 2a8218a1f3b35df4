#include "microsoftfake.h"

#include "fakehttp.h"

#include <QCryptographicHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QMutex>
#include <QMutexLocker>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTimer>
#include <QUrlQuery>
#include <QUuid>

#include <algorithm>
#include <deque>
#include <functional>
#include <memory>
#include <optional>

namespace Lookback::Test {

const char *const MicrosoftFake::defaultClientId = "0c5e1d2a-7b3f-4e8a-9d61-2f4b8c0a1e37";
const char *const MicrosoftFake::imapScope = "https://outlook.office.com/IMAP.AccessAsUser.All";
const QStringList MicrosoftFake::graphScopes = {
    QStringLiteral("offline_access"), QStringLiteral("Mail.Read"), QStringLiteral("Mail.Read.Shared"),
    QStringLiteral("User.Read"), QStringLiteral("openid"), QStringLiteral("profile"),
};

namespace {

using namespace FakeHttp; // Request, Reply, the form and PKCE rules

constexpr int kDefaultTop = 10;      // PROVIDERS.md 1.1
constexpr int kMaxTop = 1000;
constexpr int kDefaultDeltaPage = 10;
constexpr int kMaxDeltaPage = 1000;
constexpr int kFilteredDeltaCap = 5000; // PROVIDERS.md 1.4

const QString kGraphAppId = QStringLiteral("00000003-0000-0000-c000-000000000000");
const QString kTenantId = QStringLiteral("9188040d-6c67-4c5b-b112-36a304b66dad");
const QString kGraphPrefix = QStringLiteral("https://graph.microsoft.com/");

// The Graph permissions the fake knows, in their canonical spelling.
const QStringList kGraphPermissions = {
    QStringLiteral("Mail.Read"), QStringLiteral("Mail.Read.Shared"), QStringLiteral("Mail.ReadWrite"),
    QStringLiteral("Mail.ReadWrite.Shared"), QStringLiteral("Mail.ReadBasic"), QStringLiteral("Mail.Send"),
    QStringLiteral("User.Read"), QStringLiteral("User.ReadWrite"), QStringLiteral("User.ReadBasic.All"),
    QStringLiteral("User.Read.All"),
};
const QStringList kOidcScopes = {QStringLiteral("offline_access"), QStringLiteral("openid"), QStringLiteral("profile"),
                                 QStringLiteral("email")};

// Well-known folders: name -> display name, in Outlook's order.
const QList<QPair<QString, QString>> kFolders = {
    {QStringLiteral("inbox"), QStringLiteral("Inbox")},
    {QStringLiteral("sentitems"), QStringLiteral("Sent Items")},
    {QStringLiteral("drafts"), QStringLiteral("Drafts")},
    {QStringLiteral("deleteditems"), QStringLiteral("Deleted Items")},
    {QStringLiteral("junkemail"), QStringLiteral("Junk Email")},
    {QStringLiteral("archive"), QStringLiteral("Archive")},
    {QStringLiteral("outbox"), QStringLiteral("Outbox")},
};
const QString kRoot = QStringLiteral("msgfolderroot");

// Message properties, in the order Graph writes them; the last two only when selected.
const QStringList kMessageProperties = {
    QStringLiteral("createdDateTime"), QStringLiteral("lastModifiedDateTime"), QStringLiteral("changeKey"),
    QStringLiteral("categories"), QStringLiteral("receivedDateTime"), QStringLiteral("sentDateTime"),
    QStringLiteral("hasAttachments"), QStringLiteral("internetMessageId"), QStringLiteral("subject"),
    QStringLiteral("bodyPreview"), QStringLiteral("importance"), QStringLiteral("parentFolderId"),
    QStringLiteral("conversationId"), QStringLiteral("conversationIndex"),
    QStringLiteral("isDeliveryReceiptRequested"), QStringLiteral("isReadReceiptRequested"), QStringLiteral("isRead"),
    QStringLiteral("isDraft"), QStringLiteral("webLink"), QStringLiteral("inferenceClassification"),
    QStringLiteral("body"), QStringLiteral("sender"), QStringLiteral("from"), QStringLiteral("toRecipients"),
    QStringLiteral("ccRecipients"), QStringLiteral("bccRecipients"), QStringLiteral("replyTo"), QStringLiteral("flag"),
    QStringLiteral("internetMessageHeaders"), QStringLiteral("uniqueBody"),
};
const QStringList kSelectOnly = {QStringLiteral("internetMessageHeaders"), QStringLiteral("uniqueBody")};
const QStringList kDateProperties = {QStringLiteral("receivedDateTime"), QStringLiteral("sentDateTime"),
                                     QStringLiteral("createdDateTime"), QStringLiteral("lastModifiedDateTime")};
const QStringList kBoolProperties = {QStringLiteral("isRead"), QStringLiteral("isDraft"), QStringLiteral("hasAttachments")};
const QStringList kAttachmentProperties = {QStringLiteral("lastModifiedDateTime"), QStringLiteral("name"),
                                           QStringLiteral("contentType"), QStringLiteral("size"),
                                           QStringLiteral("isInline"), QStringLiteral("contentId"),
                                           QStringLiteral("contentLocation")};
const QString kContentBytesCast = QStringLiteral("microsoft.graph.fileAttachment/contentBytes");

const QByteArray kGraphJson = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

// A JSON value as text ("…" with quotes for a string).
QByteArray jsonValue(const QJsonValue &value)
{
    const QByteArray array = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

QByteArray jsonString(const QString &text)
{
    return jsonValue(QJsonValue(text));
}

// A JSON object whose keys keep the order they were added in, as
// Microsoft's answers have them (QJsonObject sorts its keys).
class Obj
{
public:
    Obj &add(const QString &key, const QJsonValue &value) { return raw(key, jsonValue(value)); }
    Obj &add(const QString &key, const QString &value) { return raw(key, jsonValue(QJsonValue(value))); }
    Obj &raw(const QString &key, const QByteArray &json)
    {
        if (!m_out.isEmpty())
            m_out += ',';
        m_out += jsonString(key) + ':' + json;
        return *this;
    }
    QByteArray done() const { return '{' + m_out + '}'; }

private:
    QByteArray m_out;
};

QByteArray jsonArray(const QList<QByteArray> &items)
{
    QByteArray out = "[";
    for (qsizetype i = 0; i < items.size(); ++i)
        out += (i ? "," : "") + items.at(i);
    return out + ']';
}

QString uuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

const char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const char kAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

QString base64url(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString hashTag(const QString &text, int length)
{
    return base64url(QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256)).left(length);
}

// Graph's date-time: "2024-05-01T10:20:30Z".
QString graphDate(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss'Z'"));
}

// RFC 7231 IMF-fixdate, for Retry-After.
QByteArray httpDate(qint64 ms)
{
    return QLocale::c()
        .toString(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"))
        .toLatin1();
}

QString canonical(const QString &name, const QStringList &known)
{
    for (const QString &k : known) {
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return k;
    }
    return QString();
}

// A scope as Microsoft reads it: OpenID, a Graph permission, Outlook's IMAP
// permission, or nothing the fake knows.
struct Scope
{
    enum Kind { Oidc, Graph, Outlook, Invalid };
    Kind kind = Invalid;
    QString name; // canonical: "openid", "Mail.Read", the full Outlook URL
};

Scope parseScope(const QString &raw)
{
    if (const QString oidc = canonical(raw, kOidcScopes); !oidc.isEmpty())
        return {Scope::Oidc, oidc};
    if (raw.compare(QLatin1String(MicrosoftFake::imapScope), Qt::CaseInsensitive) == 0
        || raw.compare(QLatin1String("https://outlook.office365.com/IMAP.AccessAsUser.All"), Qt::CaseInsensitive) == 0)
        return {Scope::Outlook, QString::fromLatin1(MicrosoftFake::imapScope)};
    QString name = raw;
    if (name.startsWith(kGraphPrefix, Qt::CaseInsensitive))
        name = name.mid(kGraphPrefix.size());
    if (const QString permission = canonical(name, kGraphPermissions); !permission.isEmpty())
        return {Scope::Graph, permission};
    return {Scope::Invalid, raw};
}

// "Name <address>" or "address".
QPair<QString, QString> parseAddress(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^\\s*\"?([^\"<]*?)\"?\\s*<([^>]+)>\\s*$"));
    const QRegularExpressionMatch m = re.match(text);
    if (m.hasMatch())
        return {m.captured(1).trimmed(), m.captured(2).trimmed()};
    return {text.trimmed(), text.trimmed()};
}

QByteArray emailAddress(const QString &name, const QString &address)
{
    return Obj().raw(QStringLiteral("emailAddress"),
                     Obj().add(QStringLiteral("name"), name).add(QStringLiteral("address"), address).done())
        .done();
}

QByteArray recipients(const QStringList &list)
{
    QList<QByteArray> items;
    for (const QString &r : list) {
        const auto a = parseAddress(r);
        items << emailAddress(a.first, a.second);
    }
    return jsonArray(items);
}

QString htmlToText(const QString &html)
{
    static const QRegularExpression blocks(QStringLiteral("<(style|script|head)[^>]*>.*?</\\1>"),
                                           QRegularExpression::CaseInsensitiveOption
                                               | QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression breaks(QStringLiteral("<br\\s*/?>|</p>|</div>"),
                                           QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression tags(QStringLiteral("<[^>]*>"));
    QString text = html;
    text.remove(blocks);
    text.replace(breaks, QStringLiteral("\r\n"));
    text.remove(tags);
    text.replace(QLatin1String("&nbsp;"), QLatin1String(" "));
    text.replace(QLatin1String("&lt;"), QLatin1String("<"));
    text.replace(QLatin1String("&gt;"), QLatin1String(">"));
    text.replace(QLatin1String("&quot;"), QLatin1String("\""));
    text.replace(QLatin1String("&#39;"), QLatin1String("'"));
    text.replace(QLatin1String("&amp;"), QLatin1String("&"));
    return text.trimmed();
}

QString textToHtml(const QString &text)
{
    QString escaped = text.toHtmlEscaped();
    escaped.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    escaped.replace(QLatin1Char('\n'), QLatin1String("<br>\r\n"));
    return QStringLiteral("<div>%1</div>").arg(escaped);
}

// What Outlook stores for an HTML body: a whole document.
QString htmlDocument(const QString &inner)
{
    if (inner.contains(QLatin1String("<html"), Qt::CaseInsensitive))
        return inner;
    return QStringLiteral("<html><head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">"
                          "</head><body>%1</body></html>")
        .arg(inner);
}

// ---------------------------------------------------------------------------
// OData query options

struct FilterTerm
{
    QString property;
    QString op; // eq ne gt ge lt le
    bool isDate = true;
    qint64 ms = 0;
    bool boolean = false;
};

std::optional<QVector<FilterTerm>> parseFilter(const QString &filter)
{
    static const QRegularExpression andRe(QStringLiteral("\\s+and\\s+"), QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression termRe(QStringLiteral("^\\s*(\\w+)\\s+(eq|ne|gt|ge|lt|le)\\s+(\\S+)\\s*$"),
                                           QRegularExpression::CaseInsensitiveOption);
    QVector<FilterTerm> terms;
    for (const QString &part : filter.split(andRe)) {
        const QRegularExpressionMatch m = termRe.match(part);
        if (!m.hasMatch())
            return std::nullopt;
        FilterTerm term;
        term.op = m.captured(2).toLower();
        QString value = m.captured(3);
        if (const QString date = canonical(m.captured(1), kDateProperties); !date.isEmpty()) {
            term.property = date;
            const QDateTime dt = QDateTime::fromString(value, Qt::ISODateWithMs);
            if (!dt.isValid() || dt.timeSpec() == Qt::LocalTime)
                return std::nullopt;
            term.ms = dt.toMSecsSinceEpoch();
        } else if (const QString flag = canonical(m.captured(1), kBoolProperties); !flag.isEmpty()) {
            term.property = flag;
            term.isDate = false;
            if (value != QLatin1String("true") && value != QLatin1String("false"))
                return std::nullopt;
            if (term.op != QLatin1String("eq") && term.op != QLatin1String("ne"))
                return std::nullopt;
            term.boolean = value == QLatin1String("true");
        } else {
            return std::nullopt;
        }
        terms << term;
    }
    return terms;
}

struct OrderKey
{
    QString property;
    bool descending = false;
};

// "receivedDateTime desc,sentDateTime"; nullopt with *bad the offending property.
std::optional<QVector<OrderKey>> parseOrderBy(const QString &orderBy, QString *bad)
{
    QVector<OrderKey> keys;
    for (const QString &part : orderBy.split(QLatin1Char(','))) {
        const QStringList words = part.simplified().split(QLatin1Char(' '));
        if (words.isEmpty() || words.size() > 2 || words.first().isEmpty()) {
            *bad = part;
            return std::nullopt;
        }
        OrderKey key;
        key.property = canonical(words.first(), kDateProperties);
        if (key.property.isEmpty()) {
            *bad = words.first();
            return std::nullopt;
        }
        if (words.size() == 2) {
            if (words.at(1).compare(QLatin1String("desc"), Qt::CaseInsensitive) == 0)
                key.descending = true;
            else if (words.at(1).compare(QLatin1String("asc"), Qt::CaseInsensitive) != 0) {
                *bad = part;
                return std::nullopt;
            }
        }
        keys << key;
    }
    return keys;
}

// The Prefer headers of a request, PROVIDERS.md 1.1, 1.4, 1.8.
struct Prefs
{
    bool immutable = false;
    int bodyType = -1; // -1 none, 0 html, 1 text
    int maxPageSize = 0;
    QStringList applied; // as echoed in Preference-Applied
};

Prefs parsePrefer(const Request &req)
{
    Prefs prefs;
    QStringList items;
    for (const QByteArray &value : req.headerValues("Prefer")) {
        // Split on commas outside quotes.
        QString current;
        bool quoted = false;
        for (const QChar c : QString::fromUtf8(value)) {
            if (c == QLatin1Char('"'))
                quoted = !quoted;
            if (c == QLatin1Char(',') && !quoted) {
                items << current.trimmed();
                current.clear();
            } else {
                current += c;
            }
        }
        items << current.trimmed();
    }
    for (const QString &item : std::as_const(items)) {
        const qsizetype eq = item.indexOf(QLatin1Char('='));
        const QString name = (eq < 0 ? item : item.left(eq)).trimmed().toLower();
        QString value = eq < 0 ? QString() : item.mid(eq + 1).trimmed();
        if (value.size() >= 2 && value.startsWith(QLatin1Char('"')) && value.endsWith(QLatin1Char('"')))
            value = value.mid(1, value.size() - 2);
        if (name == QLatin1String("idtype") && value.compare(QLatin1String("ImmutableId"), Qt::CaseInsensitive) == 0) {
            prefs.immutable = true;
            prefs.applied << QStringLiteral("IdType=\"ImmutableId\"");
        } else if (name == QLatin1String("outlook.body-content-type")) {
            if (value.compare(QLatin1String("text"), Qt::CaseInsensitive) == 0) {
                prefs.bodyType = 1;
                prefs.applied << QStringLiteral("outlook.body-content-type=\"text\"");
            } else if (value.compare(QLatin1String("html"), Qt::CaseInsensitive) == 0) {
                prefs.bodyType = 0;
                prefs.applied << QStringLiteral("outlook.body-content-type=\"html\"");
            }
        } else if (name == QLatin1String("odata.maxpagesize")) {
            bool ok = false;
            const int n = value.toInt(&ok);
            if (ok && n > 0) {
                prefs.maxPageSize = std::min(n, kMaxDeltaPage);
                prefs.applied << QStringLiteral("odata.maxpagesize=%1").arg(prefs.maxPageSize);
            }
        }
    }
    return prefs;
}

} // namespace

struct MicrosoftFake::Private
{
    mutable QMutex mutex; // guards everything below; held while a request is answered

    FakeHttp::Host host{QStringLiteral("microsoftfake")}; // its thread answers every request

    // Client and user.
    QString clientId = QString::fromLatin1(defaultClientId);
    QStringList redirectPaths = {QStringLiteral("/")};
    QString userId = QStringLiteral("6e1f3a52-94c1-4c2e-8d8b-0b5f2a7c9e14");

    // OAuth state and switches.
    struct Code
    {
        QString redirectUri;
        QString challenge;
        QStringList scopes; // consented, canonical, all resources and OpenID
        qint64 expiresMs = 0;
        bool used = false;
    };
    QHash<QString, Code> codes;
    struct AccessToken
    {
        qint64 expiresMs = 0;
        QStringList scopes; // of its one resource
        bool outlook = false;
    };
    QHash<QString, AccessToken> accessTokens;
    struct RefreshToken
    {
        QStringList scopes; // consented
        bool rotated = false;
        int failCode = 0;
    };
    QHash<QString, RefreshToken> refreshTokens;
    bool denyConsent = false;
    bool omitScope = false;
    bool invalidateRotated = false;
    int accessLifetimeS = 3599;
    int codeLifetimeS = 600;
    AuthorizeRequest lastAuthorize;
    QVector<TokenRequest> tokenRequests;

    // Mailboxes.
    struct Mailbox
    {
        QString address; // as given
        QString displayName;
        QString userId;
        bool own = false;
        QSet<QString> grants; // folder names the signed-in user may read
        QHash<QString, int> extraItems;
        // Throttling.
        std::deque<qint64> window;
        int inFlight = 0;
        int peak = 0;
        qint64 retryAfterUntilMs = 0;
        int beforeRetryAfter = 0;
    };
    QHash<QString, Mailbox> mailboxes; // by lower-case address
    QString ownKey;

    struct Stored
    {
        Message m; // m.id is the immutable id
        QString mailbox;
        int moveGeneration = 0;
        int version = 1;
        qint64 createdMs = 0;
        qint64 modifiedMs = 0;
        QString conversationIndex;
    };
    QHash<QString, Stored> messages;         // by immutable id
    QHash<QString, QString> regularToImmutable;

    // Listing: where each issued $skip resumes.
    struct Boundary
    {
        QVector<qint64> keys;
        QString id;
    };
    QHash<QString, Boundary> issuedSkips; // chain key + "\n" + skip

    // Delta.
    struct Known
    {
        int version = 0;
        QString regularId;
    };
    using Snapshot = QHash<QString, Known>;
    struct Entry
    {
        QString id; // immutable
        bool removed = false;
        QString regularId; // at the snapshot, for a removed one
    };
    struct DeltaQuery
    {
        QString mailbox;
        QString folder;
        QVector<FilterTerm> filter;
        QStringList select; // canonical; empty: the default set
        QString changeType; // "", created, updated, deleted
        int top = 0;        // 0: no cap
    };
    struct Round
    {
        DeltaQuery query;
        QVector<Entry> entries;
        Snapshot next; // what the round's deltaLink starts from
    };
    struct DeltaToken
    {
        int generation = 0;
        bool isDelta = false;
        std::shared_ptr<Round> round; // skiptoken: the round and where it is
        int position = 0;
        DeltaQuery query; // deltatoken: the query and what it has seen
        Snapshot base;
    };
    QHash<QString, DeltaToken> deltaTokens;
    int deltaGeneration = 0;   // tokens older than expiredBefore are dead
    int expiredBefore = 0;
    int deltaExpiryStatus = 410;
    int filteredCap = kFilteredDeltaCap;

    // Throttling switches.
    int windowRequests = 10000;
    int windowMs = 600000;
    bool retryAfterHttpDate = false;
    int maxConcurrency = 4;
    int unavailableCount = 0;
    int unavailableEveryNth = 0;
    int unavailableRetryAfterS = 1;
    qint64 throttleChecked = 0;
    int delayMs = 0;
    QHash<Endpoint, int> endpointDelayMs; // Graph endpoints with a delay of their own

    // The request being answered.
    QString requestId;
    QString clientRequestId;

    // Counters.
    QHash<int, int> endpointCounts;
    QHash<QString, int> contentFetches;
    int drafts = 0;
    int throttled429 = 0;
    int concurrencyRefusals = 0;
    int unavailable503 = 0;
    int unissuedSkips = 0;
    int withoutImmutable = 0;
    QStringList selects, filters, tops, orderBys;
    QVector<RequestRecord> log;

    Private();
    void count(Endpoint e) { ++endpointCounts[int(e)]; }
    QString base() const { return QStringLiteral("http://127.0.0.1:%1").arg(host.port()); }
    Mailbox *mailboxFor(const QString &address);
    const Mailbox *mailboxFor(const QString &address) const;
    QString folderIdOf(const QString &mailboxKey, const QString &folder) const;
    QString regularIdOf(const Stored &s) const;
    void indexRegular(const Stored &s) { regularToImmutable.insert(regularIdOf(s), s.m.id); }
    void unindexRegular(const Stored &s) { regularToImmutable.remove(regularIdOf(s)); }
    void touch(Stored &s);

    Reply answer(const Request &req);
    void finished(const Reply &reply);

    // OAuth
    Reply authorize(const Request &req);
    Reply token(const Request &req);
    Reply exchangeCode(const Params &form);
    Reply refresh(const Params &form);
    Reply aadError(int status, const QString &error, int code, const QString &text) const;
    Reply refreshFailure(int code) const;
    QString newAccessToken(const QStringList &scopes, bool outlook);
    QString newRefreshToken(const QStringList &scopes);
    QByteArray idToken() const;
    Reply tokenAnswer(const QStringList &resourceScopes, bool outlook, const QStringList &oidc,
                      const QString &refreshToken);
    std::optional<Reply> checkTokenScopes(const QStringList &requested, const QStringList &consented,
                                          QStringList *resourceScopes, bool *outlook);

    // Graph
    Reply graph(const Request &req);
    Reply graphError(int status, const QString &code, const QString &message) const;
    Reply graphJson(const QByteArray &body, const Prefs &prefs) const;
    std::optional<Reply> throttle(Mailbox &mailbox, qint64 now, RequestRecord *record);
    Reply retryAfterReply(Reply reply, Mailbox &mailbox, qint64 now, qint64 seconds, RequestRecord *record);
    Reply me(const Mailbox &mailbox);
    QByteArray folderJson(const QString &key, const QString &folder) const;
    Reply folderList(const QString &key);
    Reply list(const Request &req, const QString &key, const QString &folder, const Prefs &prefs);
    Reply getMessage(const Request &req, const Stored &s, const Prefs &prefs);
    Reply attachments(const Request &req, const Stored &s, const QString &attachmentRef, bool value);
    Reply delta(const Request &req, const QString &key, const QString &folder, const Prefs &prefs);
    Reply deltaPage(const Request &req, const std::shared_ptr<Round> &round, int position, const Prefs &prefs);
    QByteArray messageJson(const Stored &s, const QStringList &select, const Prefs &prefs, bool withType = false);
    bool matches(const Stored &s, const QVector<FilterTerm> &filter) const;
};

MicrosoftFake::Private::Private()
{
    Mailbox own;
    own.address = QStringLiteral("lookback.test@contoso.onmicrosoft.com");
    own.displayName = QStringLiteral("Lookback Test");
    own.userId = userId;
    own.own = true;
    ownKey = own.address.toLower();
    mailboxes.insert(ownKey, own);
}

MicrosoftFake::Private::Mailbox *MicrosoftFake::Private::mailboxFor(const QString &address)
{
    if (address.isEmpty())
        return &mailboxes[ownKey];
    auto it = mailboxes.find(address.toLower());
    return it == mailboxes.end() ? nullptr : &*it;
}

const MicrosoftFake::Private::Mailbox *MicrosoftFake::Private::mailboxFor(const QString &address) const
{
    if (address.isEmpty())
        return &*mailboxes.constFind(ownKey);
    auto it = mailboxes.constFind(address.toLower());
    return it == mailboxes.constEnd() ? nullptr : &*it;
}

QString MicrosoftFake::Private::folderIdOf(const QString &mailboxKey, const QString &folder) const
{
    // Outlook's folder ids: "AQMkAD…" base64, the same for one folder always.
    return QStringLiteral("AQMkAD") + hashTag(mailboxKey + QLatin1Char('/') + folder, 42) + QStringLiteral("AAAAAEMAAAA=");
}

QString MicrosoftFake::Private::regularIdOf(const Stored &s) const
{
    // Regular ids name the folder and change on every move; they carry the
    // immutable id reversed, so two ids that differ only in case stay so.
    QString reversed = s.m.id;
    std::reverse(reversed.begin(), reversed.end());
    return QStringLiteral("AAMkAD") + hashTag(s.mailbox + QLatin1Char('/') + s.m.folder, 8)
        + QString::number(s.moveGeneration) + QStringLiteral("BGAAAAAA") + reversed;
}

void MicrosoftFake::Private::touch(Stored &s)
{
    ++s.version;
    s.modifiedMs = std::max(s.modifiedMs + 1000, QDateTime::currentMSecsSinceEpoch());
}

// An answer went out: its tag is the mailbox whose in-flight slot it held.
void MicrosoftFake::Private::finished(const Reply &reply)
{
    if (reply.tag.isEmpty())
        return;
    auto it = mailboxes.find(reply.tag);
    if (it != mailboxes.end() && it->inFlight > 0)
        --it->inFlight;
}

// ---------------------------------------------------------------------------
// Dispatch

Reply MicrosoftFake::Private::answer(const Request &req)
{
    const QString path = req.url.path();
    if (path == QLatin1String("/common/oauth2/v2.0/authorize") && req.method == "GET")
        return authorize(req);
    if (path == QLatin1String("/common/oauth2/v2.0/token") && req.method == "POST")
        return token(req);
    if (path.startsWith(QLatin1String("/v1.0/")))
        return graph(req);
    return Reply{404, QByteArrayLiteral("text/html; charset=utf-8"), {},
                 QByteArrayLiteral("<!DOCTYPE html><html><body><h2>404 - File or directory not found.</h2></body></html>")};
}

// ---------------------------------------------------------------------------
// OAuth

namespace {

// The page the sign-in screen shows for a request it cannot redirect.
Reply errorPage(const QString &description)
{
    const QString html = QStringLiteral("<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body>"
                                        "<div id=\"error\"><h1>Sorry, but we\xe2\x80\x99re having trouble signing you in.</h1>"
                                        "<p>%1</p></div></body></html>")
                             .arg(description.toHtmlEscaped());
    return Reply{400, QByteArrayLiteral("text/html; charset=utf-8"), {}, html.toUtf8()};
}

QString traceSuffix(const QString &trace, const QString &correlation, const QString &timestamp)
{
    return QStringLiteral("\r\nTrace ID: %1\r\nCorrelation ID: %2\r\nTimestamp: %3").arg(trace, correlation, timestamp);
}

QString aadTimestamp()
{
    return QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss'Z'"));
}

// The loopback redirect_uri rules of PROVIDERS.md 3.1 and 3.3.
bool redirectAllowed(const QString &redirectUri, const QStringList &paths)
{
    const QUrl url(redirectUri, QUrl::StrictMode);
    return url.isValid() && url.scheme() == QLatin1String("http") && url.host() == QLatin1String("127.0.0.1")
        && url.userInfo().isEmpty() && !url.hasQuery() && !url.hasFragment()
        && paths.contains(url.path().isEmpty() ? QStringLiteral("/") : url.path());
}

// Equal except for the port.
bool sameRedirect(const QString &a, const QString &b)
{
    QUrl ua(a), ub(b);
    ua.setPort(-1);
    ub.setPort(-1);
    return ua.isValid() && ua == ub;
}

} // namespace

Reply MicrosoftFake::Private::authorize(const Request &req)
{
    count(Endpoint::Authorize);
    const Params params = parseForm(req.url.query(QUrl::FullyEncoded).toLatin1());
    lastAuthorize.parameters = params;
    const QString trace = uuid(), correlation = uuid(), timestamp = aadTimestamp();
    const QString suffix = traceSuffix(trace, correlation, timestamp);

    if (const QString dup = duplicateParam(params); !dup.isEmpty())
        return errorPage(QStringLiteral("AADSTS9000411: The request is not properly formatted. The parameter '%1' is duplicated.").arg(dup) + suffix);
    const QString client = paramValue(params, QStringLiteral("client_id"));
    if (client != clientId) {
        return errorPage(QStringLiteral("AADSTS700016: Application with identifier '%1' was not found in the directory "
                                        "'Contoso'. This can happen if the application has not been installed by the "
                                        "administrator of the tenant or consented to by any user in the tenant. You may "
                                        "have sent your authentication request to the wrong tenant.").arg(client) + suffix);
    }
    const QString redirectUri = paramValue(params, QStringLiteral("redirect_uri"));
    if (!redirectAllowed(redirectUri, redirectPaths)) {
        return errorPage(QStringLiteral("AADSTS50011: The redirect URI '%1' specified in the request does not match the "
                                        "redirect URIs configured for the application '%2'. Make sure the redirect URI "
                                        "sent in the request matches one added to your application in the Azure portal. "
                                        "Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to "
                                        "fix this.").arg(redirectUri, clientId) + suffix);
    }

    const bool hasState = hasParam(params, QStringLiteral("state"));
    const QByteArray state = QUrl::toPercentEncoding(paramValue(params, QStringLiteral("state")));
    const QByteArray location = redirectUri.toUtf8() + '?';
    auto redirect = [&](const QByteArray &query) {
        Reply reply{302, QByteArrayLiteral("text/html; charset=utf-8"), {}, QByteArray()};
        reply.headers << qMakePair(QByteArrayLiteral("Location"),
                                   location + query + (hasState ? "&state=" + state : QByteArray()));
        return reply;
    };
    auto fail = [&](const char *error, const QString &description) {
        return redirect("error=" + QByteArray(error) + "&error_description="
                        + QUrl::toPercentEncoding(description + suffix));
    };

    const QString responseType = paramValue(params, QStringLiteral("response_type"));
    if (responseType.isEmpty())
        return fail("invalid_request", QStringLiteral("AADSTS900144: The request body must contain the following parameter: 'response_type'."));
    if (responseType != QLatin1String("code"))
        return fail("unsupported_response_type", QStringLiteral("AADSTS700054: response_type '%1' is not enabled for the application.").arg(responseType));
    const QString responseMode = paramValue(params, QStringLiteral("response_mode"));
    if (!responseMode.isEmpty() && responseMode != QLatin1String("query"))
        return fail("invalid_request", QStringLiteral("AADSTS900144: The fake answers response_mode=query only, not '%1'.").arg(responseMode));
    const QStringList rawScopes = paramValue(params, QStringLiteral("scope")).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (rawScopes.isEmpty())
        return fail("invalid_request", QStringLiteral("AADSTS900144: The request body must contain the following parameter: 'scope'."));
    QStringList scopes;
    for (const QString &raw : rawScopes) {
        const Scope scope = parseScope(raw);
        if (scope.kind == Scope::Invalid) {
            return fail("invalid_scope", QStringLiteral("AADSTS650053: The application 'Lookback' asked for scope '%1' that "
                                                        "doesn't exist on the resource '%2'. Contact the app vendor.")
                                             .arg(raw, kGraphAppId));
        }
        if (!scopes.contains(scope.name))
            scopes << scope.name;
    }
    const QString challenge = paramValue(params, QStringLiteral("code_challenge"));
    if (challenge.isEmpty())
        return fail("invalid_request", QStringLiteral("AADSTS900144: The request body must contain the following parameter: 'code_challenge'."));
    // Microsoft knows "plain" too; the fake insists on S256 (PROVIDERS.md 3.2).
    if (paramValue(params, QStringLiteral("code_challenge_method")) != QLatin1String("S256"))
        return fail("invalid_request", QStringLiteral("AADSTS501491: Invalid code_challenge_method; this application requires S256."));
    if (!isValidVerifier(challenge))
        return fail("invalid_request", QStringLiteral("AADSTS501491: Invalid size of Code_Challenge parameter."));
    if (denyConsent)
        return fail("access_denied", QStringLiteral("AADSTS65004: User declined to consent to access the app."));

    // A personal account's code: '.', '-', '_' and also '!', '*', '$', which the Location must percent-encode.
    const QString code = QStringLiteral("M.C5%1_BAY.2.U.%2.%3!%4*%5$$")
                             .arg(QRandomGenerator::global()->bounded(10, 100))
                             .arg(uuid(), randomString(24, kBase64Url), randomString(60, kBase64Url),
                                  randomString(40, kBase64Url));
    codes.insert(code, Code{redirectUri, challenge, scopes,
                            QDateTime::currentMSecsSinceEpoch() + qint64(codeLifetimeS) * 1000, false});
    return redirect("code=" + QUrl::toPercentEncoding(code));
}

Reply MicrosoftFake::Private::aadError(int status, const QString &error, int code, const QString &text) const
{
    const QString trace = uuid(), correlation = uuid(), timestamp = aadTimestamp();
    const QByteArray body = Obj()
                                .add(QStringLiteral("error"), error)
                                .add(QStringLiteral("error_description"),
                                     QStringLiteral("AADSTS%1: %2").arg(code).arg(text) + traceSuffix(trace, correlation, timestamp))
                                .raw(QStringLiteral("error_codes"), '[' + QByteArray::number(code) + ']')
                                .add(QStringLiteral("timestamp"), timestamp)
                                .add(QStringLiteral("trace_id"), trace)
                                .add(QStringLiteral("correlation_id"), correlation)
                                .add(QStringLiteral("error_uri"), base() + QStringLiteral("/error?code=%1").arg(code))
                                .done();
    return Reply{status, QByteArrayLiteral("application/json; charset=utf-8"), {}, body};
}

// The invalid_grant family of PROVIDERS.md 3.3.
Reply MicrosoftFake::Private::refreshFailure(int code) const
{
    const QString issued = QDateTime::currentDateTimeUtc().addDays(-91).toString(Qt::ISODateWithMs);
    switch (code) {
    case 700082:
        return aadError(400, QStringLiteral("invalid_grant"), code,
                        QStringLiteral("The refresh token has expired due to inactivity. The token was issued on %1 and "
                                       "was inactive for 90.00:00:00.").arg(issued));
    case 70008:
        return aadError(400, QStringLiteral("invalid_grant"), code,
                        QStringLiteral("The provided authorization code or refresh token has expired due to inactivity. "
                                       "Send a new interactive authorization request for this user and resource."));
    case 50173:
        return aadError(400, QStringLiteral("invalid_grant"), code,
                        QStringLiteral("The provided grant has expired due to it being revoked, a fresh auth token is "
                                       "needed. The user might have changed or reset their password. The grant was issued "
                                       "on '%1' and the TokensValidFrom date (before which tokens are not valid) for this "
                                       "user is '%2'.").arg(issued, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)));
    case 50076:
        return aadError(400, QStringLiteral("interaction_required"), code,
                        QStringLiteral("Due to a configuration change made by your administrator, or because you moved to "
                                       "a new location, you must use multi-factor authentication to access '%1'.").arg(kGraphAppId));
    case 50079:
        return aadError(400, QStringLiteral("interaction_required"), code,
                        QStringLiteral("Due to a configuration change made by your administrator, or because you moved to "
                                       "a new location, you must enroll in multi-factor authentication to access '%1'.").arg(kGraphAppId));
    case 65001:
        return aadError(400, QStringLiteral("invalid_grant"), code,
                        QStringLiteral("The user or administrator has not consented to use the application with ID '%1' "
                                       "named 'Lookback'. Send an interactive authorization request for this user and "
                                       "resource.").arg(clientId));
    case 70000:
        return aadError(400, QStringLiteral("invalid_grant"), code, QStringLiteral("Provided grant is invalid or malformed."));
    default:
        return aadError(400, QStringLiteral("invalid_grant"), code, QStringLiteral("The refresh token is no longer valid."));
    }
}

Reply MicrosoftFake::Private::token(const Request &req)
{
    const Params form = parseForm(req.body);
    const QString grantType = paramValue(form, QStringLiteral("grant_type"));
    count(grantType == QLatin1String("refresh_token") ? Endpoint::TokenRefresh : Endpoint::Token);
    auto missing = [this](const char *name) {
        return aadError(400, QStringLiteral("invalid_request"), 900144,
                        QStringLiteral("The request body must contain the following parameter: '%1'.").arg(QLatin1String(name)));
    };
    Reply reply;
    if (!req.header("Content-Type").toLower().startsWith("application/x-www-form-urlencoded")) {
        reply = missing("grant_type");
    } else if (const QString dup = duplicateParam(form); !dup.isEmpty()) {
        reply = aadError(400, QStringLiteral("invalid_request"), 9000411,
                         QStringLiteral("The request is not properly formatted. The parameter '%1' is duplicated.").arg(dup));
    } else if (!hasParam(form, QStringLiteral("client_id"))) {
        reply = missing("client_id");
    } else if (paramValue(form, QStringLiteral("client_id")) != clientId) {
        reply = aadError(400, QStringLiteral("unauthorized_client"), 700016,
                         QStringLiteral("Application with identifier '%1' was not found in the directory 'Contoso'. This "
                                        "can happen if the application has not been installed by the administrator of the "
                                        "tenant or consented to by any user in the tenant. You may have sent your "
                                        "authentication request to the wrong tenant.")
                             .arg(paramValue(form, QStringLiteral("client_id"))));
    } else if (hasParam(form, QStringLiteral("client_secret")) || hasParam(form, QStringLiteral("client_assertion"))) {
        // Even an empty one, as Qt 6.4.2 sends on every refresh (PROVIDERS.md 3.3, 4).
        reply = aadError(401, QStringLiteral("invalid_client"), 700025,
                         QStringLiteral("Client is public so neither 'client_assertion' nor 'client_secret' should be presented."));
    } else if (grantType.isEmpty()) {
        reply = missing("grant_type");
    } else if (grantType == QLatin1String("authorization_code")) {
        reply = exchangeCode(form);
    } else if (grantType == QLatin1String("refresh_token")) {
        reply = refresh(form);
    } else {
        reply = aadError(400, QStringLiteral("unsupported_grant_type"), 70003,
                         QStringLiteral("The app requested an unsupported grant type '%1'.").arg(grantType));
    }
    tokenRequests << TokenRequest{{form}, reply.status, reply.status == 200 ? QByteArray() : reply.body};
    return reply;
}

// Splits the requested scopes of a token request into one resource's and
// the OpenID ones; an error if they span resources or were not consented.
std::optional<Reply> MicrosoftFake::Private::checkTokenScopes(const QStringList &requested, const QStringList &consented,
                                                             QStringList *resourceScopes, bool *outlook)
{
    bool graph = false;
    *outlook = false;
    resourceScopes->clear();
    for (const QString &raw : requested) {
        const Scope scope = parseScope(raw);
        if (scope.kind == Scope::Invalid) {
            return aadError(400, QStringLiteral("invalid_scope"), 70011,
                            QStringLiteral("The provided request must include a 'scope' input parameter. The provided value "
                                           "for the input parameter 'scope' is not valid. The scope %1 is not valid.")
                                .arg(requested.join(QLatin1Char(' '))));
        }
        if (scope.kind == Scope::Oidc)
            continue;
        (scope.kind == Scope::Graph ? graph : *outlook) = true;
        if (!resourceScopes->contains(scope.name))
            *resourceScopes << scope.name;
    }
    if (graph && *outlook) {
        return aadError(400, QStringLiteral("invalid_scope"), 28000,
                        QStringLiteral("Provided value for the input parameter scope is not valid because it contains more "
                                       "than one resource. Scope %1 is not valid.").arg(requested.join(QLatin1Char(' '))));
    }
    for (const QString &s : std::as_const(*resourceScopes)) {
        if (!consented.contains(s))
            return refreshFailure(65001);
    }
    return std::nullopt;
}

QString MicrosoftFake::Private::newAccessToken(const QStringList &scopes, bool outlook)
{
    // JWT-shaped like Entra's (the signature is not real).
    const qint64 nowS = QDateTime::currentSecsSinceEpoch();
    const Mailbox &own = mailboxes[ownKey];
    const QJsonObject header{{QStringLiteral("typ"), QStringLiteral("JWT")},
                             {QStringLiteral("nonce"), randomString(43, kBase64Url)},
                             {QStringLiteral("alg"), QStringLiteral("RS256")},
                             {QStringLiteral("kid"), QStringLiteral("lookback-fake")}};
    const QJsonObject claims{{QStringLiteral("aud"), outlook ? QStringLiteral("https://outlook.office.com") : kGraphAppId},
                             {QStringLiteral("iss"), QStringLiteral("https://sts.windows.net/%1/").arg(kTenantId)},
                             {QStringLiteral("iat"), nowS},
                             {QStringLiteral("nbf"), nowS},
                             {QStringLiteral("exp"), nowS + accessLifetimeS},
                             {QStringLiteral("appid"), clientId},
                             {QStringLiteral("scp"), scopes.join(QLatin1Char(' '))},
                             {QStringLiteral("upn"), own.address},
                             {QStringLiteral("oid"), userId},
                             {QStringLiteral("tid"), kTenantId},
                             {QStringLiteral("uti"), randomString(22, kBase64Url)}};
    const QString token = base64url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + QLatin1Char('.')
        + base64url(QJsonDocument(claims).toJson(QJsonDocument::Compact)) + QLatin1Char('.') + randomString(342, kBase64Url);
    accessTokens.insert(token, AccessToken{QDateTime::currentMSecsSinceEpoch() + qint64(accessLifetimeS) * 1000, scopes, outlook});
    return token;
}

QString MicrosoftFake::Private::newRefreshToken(const QStringList &scopes)
{
    const QString token = QStringLiteral("0.AXoA") + randomString(180, kBase64Url) + QLatin1Char('.')
        + randomString(120, kBase64Url) + QStringLiteral("-") + randomString(60, kBase64Url);
    refreshTokens.insert(token, RefreshToken{scopes, false, 0});
    return token;
}

QByteArray MicrosoftFake::Private::idToken() const
{
    const qint64 nowS = QDateTime::currentSecsSinceEpoch();
    const Mailbox &own = *mailboxes.constFind(ownKey);
    const QJsonObject claims{{QStringLiteral("aud"), clientId},
                             {QStringLiteral("iss"), QStringLiteral("https://login.microsoftonline.com/%1/v2.0").arg(kTenantId)},
                             {QStringLiteral("iat"), nowS},
                             {QStringLiteral("nbf"), nowS},
                             {QStringLiteral("exp"), nowS + 3600},
                             {QStringLiteral("name"), own.displayName},
                             {QStringLiteral("oid"), userId},
                             {QStringLiteral("preferred_username"), own.address},
                             {QStringLiteral("sub"), hashTag(userId, 43)},
                             {QStringLiteral("tid"), kTenantId},
                             {QStringLiteral("ver"), QStringLiteral("2.0")}};
    return (base64url(R"({"typ":"JWT","alg":"RS256","kid":"lookback-fake"})") + QLatin1Char('.')
            + base64url(QJsonDocument(claims).toJson(QJsonDocument::Compact)) + QStringLiteral(".c2lnbmF0dXJl"))
        .toLatin1();
}

Reply MicrosoftFake::Private::tokenAnswer(const QStringList &resourceScopes, bool outlook, const QStringList &oidc,
                                          const QString &refreshToken)
{
    Obj answer;
    answer.add(QStringLiteral("token_type"), QStringLiteral("Bearer"));
    if (!omitScope) {
        QStringList scope = resourceScopes;
        for (const QString &s : oidc) {
            if (s != QLatin1String("offline_access"))
                scope << s;
        }
        answer.add(QStringLiteral("scope"), scope.join(QLatin1Char(' ')));
    }
    answer.add(QStringLiteral("expires_in"), accessLifetimeS)
        .add(QStringLiteral("ext_expires_in"), accessLifetimeS)
        .add(QStringLiteral("access_token"), newAccessToken(resourceScopes, outlook));
    if (!refreshToken.isEmpty())
        answer.add(QStringLiteral("refresh_token"), refreshToken);
    if (oidc.contains(QStringLiteral("openid")))
        answer.add(QStringLiteral("id_token"), QString::fromLatin1(idToken()));
    return Reply{200, QByteArrayLiteral("application/json; charset=utf-8"), {}, answer.done()};
}

namespace {

QStringList oidcOf(const QStringList &scopes)
{
    QStringList out;
    for (const QString &s : scopes) {
        if (kOidcScopes.contains(s))
            out << s;
    }
    return out;
}

// The consented scopes of one resource when a token request names none:
// Graph's if any, else Outlook's; nullopt if consent spans both.
std::optional<QStringList> defaultResourceScopes(const QStringList &consented, bool *outlook)
{
    QStringList graph, outlookScopes;
    for (const QString &s : consented) {
        const Scope scope = parseScope(s);
        if (scope.kind == Scope::Graph)
            graph << s;
        else if (scope.kind == Scope::Outlook)
            outlookScopes << s;
    }
    if (!graph.isEmpty() && !outlookScopes.isEmpty())
        return std::nullopt;
    *outlook = graph.isEmpty() && !outlookScopes.isEmpty();
    return *outlook ? outlookScopes : graph;
}

} // namespace

Reply MicrosoftFake::Private::exchangeCode(const Params &form)
{
    if (!hasParam(form, QStringLiteral("code")))
        return aadError(400, QStringLiteral("invalid_request"), 900144,
                        QStringLiteral("The request body must contain the following parameter: 'code'."));
    // A code still percent-encoded ("%2A", Qt 6.4.2's double encoding) is no code the fake issued.
    const auto it = codes.find(paramValue(form, QStringLiteral("code")));
    if (it == codes.end())
        return refreshFailure(70000);
    if (it->used)
        return aadError(400, QStringLiteral("invalid_grant"), 54005,
                        QStringLiteral("OAuth2 Authorization code was already redeemed, please retry with a new valid code "
                                       "or use an existing refresh token."));
    if (QDateTime::currentMSecsSinceEpoch() > it->expiresMs)
        return refreshFailure(70008);
    if (!hasParam(form, QStringLiteral("redirect_uri")))
        return aadError(400, QStringLiteral("invalid_request"), 900144,
                        QStringLiteral("The request body must contain the following parameter: 'redirect_uri'."));
    const QString redirectUri = paramValue(form, QStringLiteral("redirect_uri"));
    if (!sameRedirect(redirectUri, it->redirectUri))
        return aadError(400, QStringLiteral("invalid_grant"), 500112,
                        QStringLiteral("The reply address '%1' does not match the reply address '%2' provided when "
                                       "requesting Authorization code.").arg(redirectUri, it->redirectUri));
    const QString verifier = paramValue(form, QStringLiteral("code_verifier"));
    const QString expected = base64url(QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256));
    if (!isValidVerifier(verifier) || expected != it->challenge)
        return aadError(400, QStringLiteral("invalid_grant"), 501481,
                        QStringLiteral("The Code_Verifier does not match the code_challenge supplied in the authorization request."));

    QStringList resourceScopes;
    bool outlook = false;
    const QStringList requested = paramValue(form, QStringLiteral("scope")).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (requested.isEmpty()) {
        const std::optional<QStringList> defaults = defaultResourceScopes(it->scopes, &outlook);
        if (!defaults)
            return aadError(400, QStringLiteral("invalid_request"), 28003,
                            QStringLiteral("Provided value for the input parameter scope cannot be empty when requesting an "
                                           "access token using the provided authorization code. Please specify a valid scope."));
        resourceScopes = *defaults;
    } else if (std::optional<Reply> error = checkTokenScopes(requested, it->scopes, &resourceScopes, &outlook)) {
        return *error;
    }

    it->used = true;
    const QStringList oidc = oidcOf(it->scopes);
    const QString refreshToken = oidc.contains(QStringLiteral("offline_access")) ? newRefreshToken(it->scopes) : QString();
    return tokenAnswer(resourceScopes, outlook, oidc, refreshToken);
}

Reply MicrosoftFake::Private::refresh(const Params &form)
{
    if (!hasParam(form, QStringLiteral("refresh_token")))
        return aadError(400, QStringLiteral("invalid_request"), 900144,
                        QStringLiteral("The request body must contain the following parameter: 'refresh_token'."));
    const auto it = refreshTokens.find(paramValue(form, QStringLiteral("refresh_token")));
    if (it == refreshTokens.end())
        return refreshFailure(70000);
    if (it->failCode)
        return refreshFailure(it->failCode);
    if (it->rotated && invalidateRotated)
        return refreshFailure(70000);

    QStringList resourceScopes;
    bool outlook = false;
    const QStringList requested = paramValue(form, QStringLiteral("scope")).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (requested.isEmpty()) {
        // Graph's scopes by default, like a token request without scope.
        QStringList graph;
        for (const QString &s : std::as_const(it->scopes)) {
            if (parseScope(s).kind == Scope::Graph)
                graph << s;
        }
        if (graph.isEmpty())
            resourceScopes = defaultResourceScopes(it->scopes, &outlook).value_or(QStringList());
        else
            resourceScopes = graph;
    } else if (std::optional<Reply> error = checkTokenScopes(requested, it->scopes, &resourceScopes, &outlook)) {
        return *error;
    }

    // Rotation (PROVIDERS.md 3.3): every refresh answers a new refresh token.
    it->rotated = true;
    const QStringList consented = it->scopes;
    const QString next = newRefreshToken(consented);
    return tokenAnswer(resourceScopes, outlook, oidcOf(consented), next);
}

// ---------------------------------------------------------------------------
// Graph

Reply MicrosoftFake::Private::graphError(int status, const QString &code, const QString &message) const
{
    const QByteArray inner = Obj()
                                 .add(QStringLiteral("date"), QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss")))
                                 .add(QStringLiteral("request-id"), requestId)
                                 .add(QStringLiteral("client-request-id"), clientRequestId)
                                 .done();
    const QByteArray body = Obj()
                                .raw(QStringLiteral("error"), Obj()
                                                                  .add(QStringLiteral("code"), code)
                                                                  .add(QStringLiteral("message"), message)
                                                                  .raw(QStringLiteral("innerError"), inner)
                                                                  .done())
                                .done();
    return Reply{status, QByteArrayLiteral("application/json"), {}, body};
}

Reply MicrosoftFake::Private::graphJson(const QByteArray &body, const Prefs &prefs) const
{
    Reply reply{200, kGraphJson, {}, body};
    if (!prefs.applied.isEmpty())
        reply.headers << qMakePair(QByteArrayLiteral("Preference-Applied"), prefs.applied.join(QStringLiteral(", ")).toUtf8());
    return reply;
}

Reply MicrosoftFake::Private::retryAfterReply(Reply reply, Mailbox &mailbox, qint64 now, qint64 seconds,
                                              RequestRecord *record)
{
    qint64 until = now + seconds * 1000;
    QByteArray value;
    if (retryAfterHttpDate) {
        until = (until + 999) / 1000 * 1000; // the date has whole seconds: round up
        value = httpDate(until);
    } else {
        value = QByteArray::number(seconds);
    }
    reply.headers << qMakePair(QByteArrayLiteral("Retry-After"), value);
    reply.immediate = true;
    mailbox.retryAfterUntilMs = std::max(mailbox.retryAfterUntilMs, until);
    record->retryAfterUntilMs = until;
    return reply;
}

// PROVIDERS.md 1.5, per mailbox: concurrency, then the sliding window, then
// the 503 mode. Every request that gets here is usage, refused or not.
std::optional<Reply> MicrosoftFake::Private::throttle(Mailbox &m, qint64 now, RequestRecord *record)
{
    record->duringRetryAfter = now < m.retryAfterUntilMs;
    if (record->duringRetryAfter)
        ++m.beforeRetryAfter;
    while (!m.window.empty() && m.window.front() <= now - windowMs)
        m.window.pop_front();
    m.window.push_back(now);
    ++throttleChecked;
    if (m.inFlight >= maxConcurrency) {
        ++throttled429;
        ++concurrencyRefusals;
        // The body as observed (PROVIDERS.md 1.5), without innerError.
        const Reply reply{429, QByteArrayLiteral("application/json"), {},
                          QByteArrayLiteral("{\"error\":{\"code\":\"ApplicationThrottled\",\"message\":"
                                            "\"Application is over its MailboxConcurrency limit.\"}}")};
        return retryAfterReply(reply, m, now, 1, record);
    }
    const qsizetype n = qsizetype(m.window.size());
    if (n > windowRequests) {
        ++throttled429;
        // When enough of the window has aged out for one more request to fit.
        const qint64 fitsAt = m.window[size_t(n - windowRequests)] + windowMs;
        const qint64 seconds = std::max<qint64>(1, (fitsAt - now + 999) / 1000);
        return retryAfterReply(graphError(429, QStringLiteral("TooManyRequests"), QStringLiteral("Please retry again later.")),
                               m, now, seconds, record);
    }
    bool unavailable = false;
    if (unavailableCount > 0) {
        --unavailableCount;
        unavailable = true;
    } else if (unavailableEveryNth > 0 && throttleChecked % unavailableEveryNth == 0) {
        unavailable = true;
    }
    if (unavailable) {
        ++unavailable503;
        return retryAfterReply(graphError(503, QStringLiteral("ServiceUnavailable"),
                                          QStringLiteral("The service is temporarily unavailable. Please retry later.")),
                               m, now, unavailableRetryAfterS, record);
    }
    ++m.inFlight;
    m.peak = std::max(m.peak, m.inFlight);
    record->inFlight = m.inFlight;
    return std::nullopt;
}

namespace {

bool hasAnyScope(const QStringList &have, std::initializer_list<const char *> wanted)
{
    for (const char *w : wanted) {
        if (have.contains(QLatin1String(w)))
            return true;
    }
    return false;
}

QString folderName(const QString &ref)
{
    const QString lower = ref.toLower();
    if (lower == kRoot)
        return kRoot;
    for (const auto &f : kFolders) {
        if (f.first == lower)
            return f.first;
    }
    return QString();
}

QString displayNameOf(const QString &folder)
{
    if (folder == kRoot)
        return QStringLiteral("Top of Information Store");
    for (const auto &f : kFolders) {
        if (f.first == folder)
            return f.second;
    }
    return folder;
}

// $select for messages: canonical names, or the unknown one in *bad.
std::optional<QStringList> parseSelect(const QString &select, const QStringList &known, QString *bad)
{
    QStringList out;
    for (const QString &raw : select.split(QLatin1Char(','))) {
        const QString name = raw.trimmed();
        if (name.isEmpty())
            continue;
        if (name.compare(QLatin1String("id"), Qt::CaseInsensitive) == 0)
            continue; // always there
        const QString c = canonical(name, known);
        if (c.isEmpty()) {
            *bad = name;
            return std::nullopt;
        }
        if (!out.contains(c))
            out << c;
    }
    if (out.isEmpty())
        out << QStringLiteral("id"); // "$select=id": nothing but id and @odata.etag
    return out;
}

QString preview(const QString &text)
{
    return text.simplified().left(255);
}

} // namespace

Reply MicrosoftFake::Private::graph(const Request &req)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    requestId = uuid();
    const QByteArray clientRequest = req.header("client-request-id");
    clientRequestId = clientRequest.isEmpty() ? requestId : QString::fromLatin1(clientRequest);
    const Prefs prefs = parsePrefer(req);

    RequestRecord record;
    record.arrivalMs = now;
    record.target = QString::fromLatin1(req.method) + QLatin1Char(' ') + req.url.path(QUrl::FullyEncoded);
    if (req.url.hasQuery())
        record.target += QLatin1Char('?') + req.url.query(QUrl::FullyEncoded);
    record.immutableId = prefs.immutable;
    if (!prefs.immutable)
        ++withoutImmutable;

    // Route: /v1.0/{me|users/{ref}}/…
    QStringList segments = req.url.path(QUrl::FullyDecoded).mid(6).split(QLatin1Char('/'));
    while (!segments.isEmpty() && segments.last().isEmpty())
        segments.removeLast();
    auto is = [](const QString &a, const char *b) { return a.compare(QLatin1String(b), Qt::CaseInsensitive) == 0; };
    Endpoint endpoint = Endpoint::Other;
    QString mailboxRef, folderRef, messageRef, attachmentRef;
    bool folderListing = false, attachmentValue = false;
    QStringList rest;
    if (!segments.isEmpty() && is(segments.at(0), "me")) {
        mailboxRef = QStringLiteral("me");
        rest = segments.mid(1);
    } else if (segments.size() >= 2 && is(segments.at(0), "users")) {
        mailboxRef = segments.at(1);
        rest = segments.mid(2);
    }
    if (!mailboxRef.isEmpty()) {
        static const QRegularExpression folderCall(QStringLiteral("^mailFolders\\('([^']*)'\\)$"),
                                                   QRegularExpression::CaseInsensitiveOption);
        QStringList messagePart;
        if (rest.isEmpty()) {
            endpoint = Endpoint::Me;
        } else if (is(rest.at(0), "mailFolders") || folderCall.match(rest.at(0)).hasMatch()) {
            const QRegularExpressionMatch call = folderCall.match(rest.at(0));
            if (call.hasMatch()) {
                folderRef = call.captured(1);
                rest = rest.mid(1);
            } else if (rest.size() >= 2) {
                folderRef = rest.at(1);
                rest = rest.mid(2);
            } else {
                folderListing = true;
                rest.clear();
                endpoint = Endpoint::Folder;
            }
            if (!folderListing) {
                if (rest.isEmpty())
                    endpoint = Endpoint::Folder;
                else if (is(rest.at(0), "messages"))
                    messagePart = rest;
            }
        } else if (is(rest.at(0), "messages")) {
            messagePart = rest;
        }
        if (!messagePart.isEmpty()) {
            if (messagePart.size() == 1) {
                endpoint = Endpoint::List;
            } else if (messagePart.size() == 2 && (is(messagePart.at(1), "delta") || is(messagePart.at(1), "delta()"))) {
                endpoint = folderRef.isEmpty() ? Endpoint::Other : Endpoint::Delta;
            } else {
                messageRef = messagePart.at(1);
                if (messagePart.size() == 2)
                    endpoint = Endpoint::Get;
                else if (is(messagePart.at(2), "attachments")) {
                    if (messagePart.size() == 3)
                        endpoint = Endpoint::Attachments;
                    else if (messagePart.size() == 4) {
                        endpoint = Endpoint::Attachment;
                        attachmentRef = messagePart.at(3);
                    } else if (messagePart.size() == 5 && messagePart.at(4) == QLatin1String("$value")) {
                        endpoint = Endpoint::AttachmentValue;
                        attachmentRef = messagePart.at(3);
                        attachmentValue = true;
                    }
                }
            }
        }
    }
    record.endpoint = endpoint;
    count(endpoint);

    QString slot;
    auto respond = [&](Reply reply) {
        reply.tag = slot;
        reply.delayMs = endpointDelayMs.value(endpoint, -1);
        reply.headers << qMakePair(QByteArrayLiteral("request-id"), requestId.toLatin1())
                      << qMakePair(QByteArrayLiteral("client-request-id"), clientRequestId.toLatin1());
        record.status = reply.status;
        log << record;
        return reply;
    };
    auto unauthorized = [&](const QString &message) {
        Reply reply = graphError(401, QStringLiteral("InvalidAuthenticationToken"), message);
        reply.headers << qMakePair(QByteArrayLiteral("WWW-Authenticate"),
                                   QStringLiteral("Bearer realm=\"\", authorization_uri=\"%1/common/oauth2/authorize\", "
                                                  "client_id=\"%2\"").arg(base(), kGraphAppId).toLatin1());
        return respond(reply);
    };
    auto accessDenied = [&] {
        return respond(graphError(403, QStringLiteral("ErrorAccessDenied"),
                                  QStringLiteral("Access is denied. Check credentials and try again.")));
    };
    auto notFound = [&] {
        return respond(graphError(404, QStringLiteral("ErrorItemNotFound"),
                                  QStringLiteral("The specified object was not found in the store.")));
    };

    if (req.method != "GET")
        return respond(graphError(405, QStringLiteral("ErrorInvalidRequest"),
                                  QStringLiteral("The OData request is not supported.")));
    if (endpoint == Endpoint::Other)
        return respond(graphError(400, QStringLiteral("BadRequest"),
                                  QStringLiteral("Resource not found for the segment '%1'.").arg(segments.value(segments.size() - 1))));

    // Credentials.
    const QByteArray authorization = req.header("Authorization");
    const QString bearer = authorization.startsWith("Bearer ") ? QString::fromLatin1(authorization.mid(7).trimmed()) : QString();
    if (bearer.isEmpty())
        return unauthorized(QStringLiteral("Access token is empty."));
    const auto token = accessTokens.constFind(bearer);
    if (token == accessTokens.constEnd() || now >= token->expiresMs)
        return unauthorized(QStringLiteral("Access token has expired or is not yet valid."));
    if (token->outlook)
        return unauthorized(QStringLiteral("Access token validation failure. Invalid audience."));

    // The mailbox.
    QString key;
    if (mailboxRef == QLatin1String("me")) {
        key = ownKey;
    } else if (mailboxes.contains(mailboxRef.toLower())) {
        key = mailboxRef.toLower();
    } else {
        for (auto it = mailboxes.cbegin(); it != mailboxes.cend(); ++it) {
            if (it->userId.compare(mailboxRef, Qt::CaseInsensitive) == 0)
                key = it.key();
        }
    }
    if (key.isEmpty())
        return respond(graphError(404, QStringLiteral("ErrorInvalidUser"),
                                  QStringLiteral("The requested user '%1' is invalid.").arg(mailboxRef)));
    Mailbox &mailbox = mailboxes[key];
    record.mailbox = key;

    if (endpoint == Endpoint::Me) {
        // A directory call, not Outlook's: no mailbox throttling.
        const bool allowed = mailbox.own ? hasAnyScope(token->scopes, {"User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All"})
                                         : hasAnyScope(token->scopes, {"User.ReadBasic.All", "User.Read.All"});
        if (!allowed)
            return respond(graphError(403, QStringLiteral("Authorization_RequestDenied"),
                                      QStringLiteral("Insufficient privileges to complete the operation.")));
        return respond(me(mailbox));
    }

    if (std::optional<Reply> refusal = throttle(mailbox, now, &record))
        return respond(*refusal);
    slot = key; // from here on the answer frees an in-flight slot

    const bool mailScope = mailbox.own
        ? hasAnyScope(token->scopes, {"Mail.Read", "Mail.ReadWrite", "Mail.Read.Shared", "Mail.ReadWrite.Shared"})
        : hasAnyScope(token->scopes, {"Mail.Read.Shared", "Mail.ReadWrite.Shared"});
    if (!mailScope)
        return accessDenied();

    QString folder;
    if (!folderRef.isEmpty()) {
        folder = folderName(folderRef);
        if (folder.isEmpty()) {
            QStringList names{kRoot};
            for (const auto &f : kFolders)
                names << f.first;
            for (const QString &name : std::as_const(names)) {
                if (folderIdOf(key, name) == folderRef)
                    folder = name;
            }
        }
        if (folder.isEmpty()) {
            if (folderRef.size() < 20)
                return respond(graphError(400, QStringLiteral("ErrorInvalidIdMalformed"), QStringLiteral("Id is malformed.")));
            return notFound();
        }
    }
    auto granted = [&](const QString &f) { return mailbox.own || mailbox.grants.contains(f) || mailbox.grants.contains(kRoot); };
    if (folder == QLatin1String("drafts"))
        ++drafts;
    if (!folder.isEmpty() && !granted(folder))
        return accessDenied();
    if ((folderListing || (endpoint == Endpoint::List && folder.isEmpty())) && !granted(kRoot))
        return accessDenied();

    const Stored *stored = nullptr;
    if (!messageRef.isEmpty()) {
        auto it = messages.constFind(messageRef);
        if (it == messages.constEnd())
            it = messages.constFind(regularToImmutable.value(messageRef));
        if (it == messages.constEnd() || it->mailbox != key)
            return notFound();
        stored = &*it;
        if (folder != QLatin1String("drafts") && stored->m.folder == QLatin1String("drafts"))
            ++drafts;
        if (!granted(stored->m.folder))
            return accessDenied();
    }

    switch (endpoint) {
    case Endpoint::Folder: {
        if (folderListing)
            return respond(folderList(key));
        const QString context = base() + QStringLiteral("/v1.0/$metadata#users('%1')/mailFolders/$entity").arg(mailbox.userId);
        return respond(graphJson("{\"@odata.context\":" + jsonString(context) + ',' + folderJson(key, folder).mid(1), prefs));
    }
    case Endpoint::List: return respond(list(req, key, folder, prefs));
    case Endpoint::Delta: return respond(delta(req, key, folder, prefs));
    case Endpoint::Get: return respond(getMessage(req, *stored, prefs));
    case Endpoint::Attachments: return respond(attachments(req, *stored, QString(), false));
    case Endpoint::Attachment:
    case Endpoint::AttachmentValue: return respond(attachments(req, *stored, attachmentRef, attachmentValue));
    default: return notFound();
    }
}

Reply MicrosoftFake::Private::me(const Mailbox &mailbox)
{
    const QStringList names = mailbox.displayName.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const QByteArray body = Obj()
                                .add(QStringLiteral("@odata.context"), base() + QStringLiteral("/v1.0/$metadata#users/$entity"))
                                .raw(QStringLiteral("businessPhones"), "[]")
                                .add(QStringLiteral("displayName"), mailbox.displayName)
                                .add(QStringLiteral("givenName"), names.value(0))
                                .raw(QStringLiteral("jobTitle"), "null")
                                .add(QStringLiteral("mail"), mailbox.address)
                                .raw(QStringLiteral("mobilePhone"), "null")
                                .raw(QStringLiteral("officeLocation"), "null")
                                .raw(QStringLiteral("preferredLanguage"), "null")
                                .add(QStringLiteral("surname"), names.mid(1).join(QLatin1Char(' ')))
                                .add(QStringLiteral("userPrincipalName"), mailbox.address)
                                .add(QStringLiteral("id"), mailbox.userId)
                                .done();
    return graphJson(body, Prefs());
}

QByteArray MicrosoftFake::Private::folderJson(const QString &key, const QString &folder) const
{
    int total = 0, unread = 0;
    qint64 size = 0;
    for (const Stored &s : messages) {
        if (s.mailbox != key || s.m.folder != folder)
            continue;
        ++total;
        if (!s.m.isRead)
            ++unread;
        size += s.m.bodyHtml.size() + 2000;
    }
    const Mailbox &m = *mailboxes.constFind(key);
    total += m.extraItems.value(folder);
    const bool root = folder == kRoot;
    return Obj()
        .add(QStringLiteral("id"), folderIdOf(key, folder))
        .add(QStringLiteral("displayName"), displayNameOf(folder))
        .add(QStringLiteral("parentFolderId"), folderIdOf(key, root ? QStringLiteral("root") : kRoot))
        .add(QStringLiteral("childFolderCount"), root ? int(kFolders.size()) : 0)
        .add(QStringLiteral("unreadItemCount"), unread)
        .add(QStringLiteral("totalItemCount"), total)
        .add(QStringLiteral("sizeInBytes"), double(size))
        .add(QStringLiteral("isHidden"), false)
        .done();
}

Reply MicrosoftFake::Private::folderList(const QString &key)
{
    QList<QByteArray> items;
    for (const auto &f : kFolders)
        items << folderJson(key, f.first);
    return graphJson(Obj()
                         .add(QStringLiteral("@odata.context"),
                              base() + QStringLiteral("/v1.0/$metadata#users('%1')/mailFolders").arg(mailboxes[key].userId))
                         .raw(QStringLiteral("value"), jsonArray(items))
                         .done(),
                     Prefs());
}

bool MicrosoftFake::Private::matches(const Stored &s, const QVector<FilterTerm> &filter) const
{
    for (const FilterTerm &t : filter) {
        if (t.isDate) {
            qint64 v = 0;
            if (t.property == QLatin1String("receivedDateTime"))
                v = s.m.received.toMSecsSinceEpoch();
            else if (t.property == QLatin1String("sentDateTime"))
                v = s.m.sent.toMSecsSinceEpoch();
            else if (t.property == QLatin1String("createdDateTime"))
                v = s.createdMs;
            else
                v = s.modifiedMs;
            v = v / 1000 * 1000; // Graph's dates have whole seconds
            const bool ok = t.op == QLatin1String("eq") ? v == t.ms
                : t.op == QLatin1String("ne")           ? v != t.ms
                : t.op == QLatin1String("gt")           ? v > t.ms
                : t.op == QLatin1String("ge")           ? v >= t.ms
                : t.op == QLatin1String("lt")           ? v < t.ms
                                                        : v <= t.ms;
            if (!ok)
                return false;
        } else {
            bool v = false;
            if (t.property == QLatin1String("isRead"))
                v = s.m.isRead;
            else if (t.property == QLatin1String("isDraft"))
                v = s.m.folder == QLatin1String("drafts");
            else
                v = std::any_of(s.m.attachments.begin(), s.m.attachments.end(), [](const Attachment &a) { return !a.isInline; });
            if ((t.op == QLatin1String("eq")) != (v == t.boolean))
                return false;
        }
    }
    return true;
}

QByteArray MicrosoftFake::Private::messageJson(const Stored &s, const QStringList &select, const Prefs &prefs, bool withType)
{
    const Message &m = s.m;
    const bool all = select.isEmpty();
    auto want = [&](const QString &p) { return all ? !kSelectOnly.contains(p) : select.contains(p); };
    const QString changeKey = QStringLiteral("CQAAABYAAAB") + hashTag(m.id + QLatin1Char(':') + QString::number(s.version), 29);
    const bool draft = m.folder == QLatin1String("drafts");
    const QString id = prefs.immutable ? m.id : regularIdOf(s);
    Obj o;
    if (withType)
        o.add(QStringLiteral("@odata.type"), QStringLiteral("#microsoft.graph.message"));
    o.add(QStringLiteral("@odata.etag"), QStringLiteral("W/\"%1\"").arg(changeKey));
    o.add(QStringLiteral("id"), id);
    bool content = false;
    auto body = [&] {
        content = true;
        if (prefs.bodyType == 1)
            return Obj().add(QStringLiteral("contentType"), QStringLiteral("text")).add(QStringLiteral("content"), m.bodyText).done();
        return Obj().add(QStringLiteral("contentType"), QStringLiteral("html")).add(QStringLiteral("content"), htmlDocument(m.bodyHtml)).done();
    };
    for (const QString &p : kMessageProperties) {
        if (!want(p))
            continue;
        if (p == QLatin1String("createdDateTime"))
            o.add(p, graphDate(s.createdMs));
        else if (p == QLatin1String("lastModifiedDateTime"))
            o.add(p, graphDate(s.modifiedMs));
        else if (p == QLatin1String("changeKey"))
            o.add(p, changeKey);
        else if (p == QLatin1String("categories"))
            o.add(p, QJsonArray::fromStringList(m.categories));
        else if (p == QLatin1String("receivedDateTime"))
            o.add(p, graphDate(m.received.toMSecsSinceEpoch()));
        else if (p == QLatin1String("sentDateTime"))
            o.add(p, graphDate(m.sent.toMSecsSinceEpoch()));
        else if (p == QLatin1String("hasAttachments")) // inline ones do not count (PROVIDERS.md 1.8)
            o.add(p, std::any_of(m.attachments.begin(), m.attachments.end(), [](const Attachment &a) { return !a.isInline; }));
        else if (p == QLatin1String("internetMessageId"))
            o.add(p, m.internetMessageId);
        else if (p == QLatin1String("subject"))
            o.add(p, m.subject);
        else if (p == QLatin1String("bodyPreview"))
            o.add(p, preview(m.bodyText));
        else if (p == QLatin1String("importance"))
            o.add(p, QStringLiteral("normal"));
        else if (p == QLatin1String("parentFolderId"))
            o.add(p, folderIdOf(s.mailbox, m.folder));
        else if (p == QLatin1String("conversationId"))
            o.add(p, m.conversationId);
        else if (p == QLatin1String("conversationIndex"))
            o.add(p, s.conversationIndex);
        else if (p == QLatin1String("isDeliveryReceiptRequested") || p == QLatin1String("isReadReceiptRequested"))
            o.add(p, false);
        else if (p == QLatin1String("isRead"))
            o.add(p, m.isRead);
        else if (p == QLatin1String("isDraft"))
            o.add(p, draft);
        else if (p == QLatin1String("webLink"))
            o.add(p, QStringLiteral("https://outlook.office365.com/owa/?ItemID=%1&exvsurl=1&viewmodel=ReadMessageItem")
                         .arg(QString::fromLatin1(QUrl::toPercentEncoding(id))));
        else if (p == QLatin1String("inferenceClassification"))
            o.add(p, QStringLiteral("focused"));
        else if (p == QLatin1String("body") || p == QLatin1String("uniqueBody"))
            o.raw(p, body());
        else if (p == QLatin1String("sender") || p == QLatin1String("from"))
            o.raw(p, emailAddress(m.fromName, m.fromAddress));
        else if (p == QLatin1String("toRecipients"))
            o.raw(p, recipients(m.to));
        else if (p == QLatin1String("ccRecipients"))
            o.raw(p, recipients(m.cc));
        else if (p == QLatin1String("bccRecipients"))
            o.raw(p, recipients(m.bcc));
        else if (p == QLatin1String("replyTo"))
            o.raw(p, "[]");
        else if (p == QLatin1String("flag"))
            o.raw(p, Obj().add(QStringLiteral("flagStatus"), QStringLiteral("notFlagged")).done());
        else if (p == QLatin1String("internetMessageHeaders")) {
            QList<QByteArray> headers;
            auto header = [&](const QString &name, const QString &value) {
                headers << Obj().add(QStringLiteral("name"), name).add(QStringLiteral("value"), value).done();
            };
            if (!draft) { // drafts have no headers yet
                header(QStringLiteral("Received"), QStringLiteral("from mail.example.org by EXCH01.contoso.com; %1")
                                                       .arg(m.received.toUTC().toString(Qt::RFC2822Date)));
                header(QStringLiteral("MIME-Version"), QStringLiteral("1.0"));
                header(QStringLiteral("Date"), m.sent.toUTC().toString(Qt::RFC2822Date));
                header(QStringLiteral("Message-ID"), m.internetMessageId);
                header(QStringLiteral("Subject"), m.subject);
                header(QStringLiteral("From"), QStringLiteral("%1 <%2>").arg(m.fromName, m.fromAddress));
                if (!m.to.isEmpty())
                    header(QStringLiteral("To"), m.to.join(QStringLiteral(", ")));
                if (!m.cc.isEmpty())
                    header(QStringLiteral("Cc"), m.cc.join(QStringLiteral(", ")));
                header(QStringLiteral("Content-Type"), QStringLiteral("text/html; charset=\"utf-8\""));
            }
            o.raw(p, jsonArray(headers));
        }
    }
    if (content)
        ++contentFetches[m.id];
    return o.done();
}

namespace {

QVector<qint64> sortKeys(const MicrosoftFake::Message &m, qint64 createdMs, qint64 modifiedMs, const QVector<OrderKey> &keys)
{
    QVector<qint64> out;
    for (const OrderKey &k : keys) {
        if (k.property == QLatin1String("receivedDateTime"))
            out << m.received.toMSecsSinceEpoch() / 1000;
        else if (k.property == QLatin1String("sentDateTime"))
            out << m.sent.toMSecsSinceEpoch() / 1000;
        else if (k.property == QLatin1String("createdDateTime"))
            out << createdMs / 1000;
        else
            out << modifiedMs / 1000;
    }
    return out;
}

// <0 when (ka, ida) sorts before (kb, idb).
int compareKeys(const QVector<qint64> &ka, const QString &ida, const QVector<qint64> &kb, const QString &idb,
                const QVector<OrderKey> &keys)
{
    for (int i = 0; i < keys.size(); ++i) {
        if (ka.at(i) != kb.at(i)) {
            const bool less = ka.at(i) < kb.at(i);
            return (less != keys.at(i).descending) ? -1 : 1;
        }
    }
    if (ida == idb)
        return 0;
    const bool less = ida < idb;
    return (less != keys.first().descending) ? -1 : 1;
}

} // namespace

Reply MicrosoftFake::Private::list(const Request &req, const QString &key, const QString &folder, const Prefs &prefs)
{
    const Params params = parseForm(req.url.query(QUrl::FullyEncoded).toLatin1());
    const QString select = paramValue(params, QStringLiteral("$select"));
    const QString filter = paramValue(params, QStringLiteral("$filter"));
    const QString top = paramValue(params, QStringLiteral("$top"));
    const QString orderBy = paramValue(params, QStringLiteral("$orderby"));
    selects << select;
    filters << filter;
    tops << top;
    orderBys << orderBy;
    auto badRequest = [this](const QString &message) { return graphError(400, QStringLiteral("BadRequest"), message); };

    if (const QString dup = duplicateParam(params); !dup.isEmpty())
        return badRequest(QStringLiteral("Query option '%1' was specified more than once, but it must be specified at most once.").arg(dup));
    for (const auto &p : params) {
        static const QStringList allowed = {QStringLiteral("$select"), QStringLiteral("$filter"), QStringLiteral("$top"),
                                            QStringLiteral("$orderby"), QStringLiteral("$skip"), QStringLiteral("$count")};
        if (p.first.startsWith(QLatin1Char('$')) && !allowed.contains(p.first))
            return badRequest(QStringLiteral("Query option '%1' is not supported by the fake.").arg(p.first));
    }
    // $count=true: "@odata.count", the size of the whole filtered collection, on every page.
    bool count = false;
    if (hasParam(params, QStringLiteral("$count"))) {
        const QString value = paramValue(params, QStringLiteral("$count")).toLower();
        if (value != QLatin1String("true") && value != QLatin1String("false"))
            return badRequest(QStringLiteral("Invalid value '%1' for $count; use true or false.").arg(value));
        count = value == QLatin1String("true");
    }
    int pageSize = kDefaultTop;
    if (hasParam(params, QStringLiteral("$top"))) {
        bool ok = false;
        pageSize = top.toInt(&ok);
        if (!ok || pageSize < 1 || pageSize > kMaxTop)
            return badRequest(QStringLiteral("Invalid page size specified: '%1'. Must be between 1 and 1000 inclusive.").arg(top));
    }
    QStringList selected;
    if (hasParam(params, QStringLiteral("$select"))) {
        QString bad;
        const std::optional<QStringList> parsed = parseSelect(select, kMessageProperties, &bad);
        if (!parsed)
            return graphError(400, QStringLiteral("RequestBroker--ParseUri"),
                              QStringLiteral("Could not find a property named '%1' on type 'microsoft.graph.message'.").arg(bad));
        selected = *parsed;
    }
    QVector<FilterTerm> terms;
    if (!filter.trimmed().isEmpty()) {
        const std::optional<QVector<FilterTerm>> parsed = parseFilter(filter);
        if (!parsed)
            return badRequest(QStringLiteral("Invalid filter clause"));
        terms = *parsed;
    }
    QVector<OrderKey> keys{OrderKey{QStringLiteral("receivedDateTime"), true}};
    if (!orderBy.trimmed().isEmpty()) {
        QString bad;
        const std::optional<QVector<OrderKey>> parsed = parseOrderBy(orderBy, &bad);
        if (!parsed) {
            if (canonical(bad, kMessageProperties).isEmpty())
                return graphError(400, QStringLiteral("RequestBroker--ParseUri"),
                                  QStringLiteral("Could not find a property named '%1' on type 'microsoft.graph.message'.").arg(bad));
            return badRequest(QStringLiteral("The fake orders by date properties only, not '%1'.").arg(bad));
        }
        keys = *parsed;
        // PROVIDERS.md 1.3: every $orderby property in the $filter, in the same order, first.
        if (!terms.isEmpty()) {
            bool efficient = keys.size() <= terms.size();
            for (int i = 0; efficient && i < keys.size(); ++i)
                efficient = terms.at(i).property == keys.at(i).property;
            if (!efficient)
                return graphError(400, QStringLiteral("InefficientFilter"),
                                  QStringLiteral("The restriction or sort order is too complex for this operation."));
        }
    }

    struct Item
    {
        const Stored *s;
        QVector<qint64> keys;
    };
    QVector<Item> items;
    for (const Stored &s : messages) {
        if (s.mailbox == key && (folder.isEmpty() || s.m.folder == folder) && matches(s, terms))
            items << Item{&s, sortKeys(s.m, s.createdMs, s.modifiedMs, keys)};
    }
    std::sort(items.begin(), items.end(), [&](const Item &a, const Item &b) {
        return compareKeys(a.keys, a.s->m.id, b.keys, b.s->m.id, keys) < 0;
    });

    const QString chain = key + QLatin1Char('\n') + folder + QLatin1Char('\n') + filter + QLatin1Char('\n') + orderBy
        + QLatin1Char('\n') + QString::number(pageSize) + QLatin1Char('\n');
    qsizetype start = 0;
    if (hasParam(params, QStringLiteral("$skip"))) {
        const QString skip = paramValue(params, QStringLiteral("$skip"));
        const auto issued = issuedSkips.constFind(chain + skip);
        if (issued != issuedSkips.constEnd()) {
            // Resume after the last message of the previous page: arrivals
            // and removals meanwhile do not shift the pages.
            while (start < items.size()
                   && compareKeys(items.at(start).keys, items.at(start).s->m.id, issued->keys, issued->id, keys) <= 0)
                ++start;
        } else {
            ++unissuedSkips;
            bool ok = false;
            const qint64 n = skip.toLongLong(&ok);
            if (!ok || n < 0 || (n > 0 && (n - 1) % 3 != 0))
                return badRequest(QStringLiteral("The value '%1' of $skip is not valid.").arg(skip));
            start = std::min<qsizetype>(items.size(), n == 0 ? 0 : (n - 1) / 3);
        }
    }
    const qsizetype end = std::min<qsizetype>(items.size(), start + pageSize);
    QList<QByteArray> page;
    for (qsizetype i = start; i < end; ++i)
        page << messageJson(*items.at(i).s, selected, prefs);

    const Mailbox &mailbox = *mailboxes.constFind(key);
    QString context = base() + QStringLiteral("/v1.0/$metadata#users('%1')").arg(mailbox.userId);
    context += folder.isEmpty() ? QStringLiteral("/messages") : QStringLiteral("/mailFolders('%1')/messages").arg(folder);
    if (!selected.isEmpty())
        context += QLatin1Char('(') + selected.join(QLatin1Char(',')) + QLatin1Char(')');
    Obj answer;
    answer.add(QStringLiteral("@odata.context"), context);
    if (count)
        answer.add(QStringLiteral("@odata.count"), QJsonValue(double(items.size())));
    answer.raw(QStringLiteral("value"), jsonArray(page));
    if (end < items.size()) {
        // Not page × size, and larger than the page size from the first page on (PROVIDERS.md 1.2).
        const qint64 nextSkip = 3 * qint64(end) + 1;
        const Stored &last = *items.at(end - 1).s;
        issuedSkips.insert(chain + QString::number(nextSkip), Boundary{items.at(end - 1).keys, last.m.id});
        QByteArray query;
        for (const auto &p : params) {
            if (p.first == QLatin1String("$skip"))
                continue;
            query += QUrl::toPercentEncoding(p.first) + '=' + QUrl::toPercentEncoding(p.second) + '&';
        }
        query += "%24skip=" + QByteArray::number(nextSkip);
        answer.add(QStringLiteral("@odata.nextLink"),
                   base() + req.url.path(QUrl::FullyEncoded) + QLatin1Char('?') + QString::fromLatin1(query));
    }
    return graphJson(answer.done(), prefs);
}

Reply MicrosoftFake::Private::getMessage(const Request &req, const Stored &s, const Prefs &prefs)
{
    const Params params = parseForm(req.url.query(QUrl::FullyEncoded).toLatin1());
    QStringList selected;
    if (hasParam(params, QStringLiteral("$select"))) {
        QString bad;
        const std::optional<QStringList> parsed = parseSelect(paramValue(params, QStringLiteral("$select")), kMessageProperties, &bad);
        if (!parsed)
            return graphError(400, QStringLiteral("RequestBroker--ParseUri"),
                              QStringLiteral("Could not find a property named '%1' on type 'microsoft.graph.message'.").arg(bad));
        selected = *parsed;
    }
    const QByteArray message = messageJson(s, selected, prefs);
    const QString context = base() + QStringLiteral("/v1.0/$metadata#users('%1')/messages/$entity")
                                         .arg(mailboxes.constFind(s.mailbox)->userId);
    return graphJson("{\"@odata.context\":" + jsonString(context) + ',' + message.mid(1), prefs);
}

namespace {

QString attachmentIdOf(const QString &messageId, int index)
{
    return QStringLiteral("AAMkAD") + hashTag(messageId + QLatin1Char('#') + QString::number(index), 64) + QStringLiteral("BEgAQA=");
}

} // namespace

Reply MicrosoftFake::Private::attachments(const Request &req, const Stored &s, const QString &attachmentRef, bool value)
{
    const Message &m = s.m;
    int index = -1;
    if (!attachmentRef.isEmpty()) {
        for (int i = 0; i < m.attachments.size(); ++i) {
            if (attachmentIdOf(m.id, i) == attachmentRef)
                index = i;
        }
        if (index < 0)
            return graphError(404, QStringLiteral("ErrorItemNotFound"), QStringLiteral("The specified object was not found in the store."));
    }
    if (value) {
        ++contentFetches[m.id];
        const Attachment &a = m.attachments.at(index);
        return Reply{200, a.contentType.toUtf8(), {}, a.bytes};
    }
    const Params params = parseForm(req.url.query(QUrl::FullyEncoded).toLatin1());
    QStringList selected;
    bool all = true;
    if (hasParam(params, QStringLiteral("$select"))) {
        all = false;
        for (const QString &raw : paramValue(params, QStringLiteral("$select")).split(QLatin1Char(','))) {
            const QString name = raw.trimmed();
            if (name.isEmpty() || name.compare(QLatin1String("id"), Qt::CaseInsensitive) == 0)
                continue;
            if (name.compare(kContentBytesCast, Qt::CaseInsensitive) == 0) {
                selected << QStringLiteral("contentBytes");
                continue;
            }
            const QString c = canonical(name, kAttachmentProperties);
            if (c.isEmpty()) // "contentBytes" too: it is fileAttachment's, not attachment's
                return graphError(400, QStringLiteral("RequestBroker--ParseUri"),
                                  QStringLiteral("Could not find a property named '%1' on type 'microsoft.graph.attachment'.").arg(name));
            selected << c;
        }
    }
    const bool withBytes = all || selected.contains(QStringLiteral("contentBytes"));
    auto one = [&](int i) {
        const Attachment &a = m.attachments.at(i);
        Obj o;
        o.add(QStringLiteral("@odata.type"), QStringLiteral("#microsoft.graph.fileAttachment"));
        if (all)
            o.add(QStringLiteral("@odata.mediaContentType"), a.contentType);
        o.add(QStringLiteral("id"), attachmentIdOf(m.id, i));
        for (const QString &p : kAttachmentProperties) {
            if (!all && !selected.contains(p))
                continue;
            if (p == QLatin1String("lastModifiedDateTime"))
                o.add(p, graphDate(s.createdMs));
            else if (p == QLatin1String("name"))
                o.add(p, a.name);
            else if (p == QLatin1String("contentType"))
                o.add(p, a.contentType);
            else if (p == QLatin1String("size"))
                o.add(p, int(a.bytes.size()));
            else if (p == QLatin1String("isInline"))
                o.add(p, a.isInline);
            else if (p == QLatin1String("contentId"))
                o.raw(p, a.contentId.isEmpty() ? QByteArray("null") : jsonString(a.contentId));
            else
                o.raw(p, "null");
        }
        if (withBytes)
            o.add(QStringLiteral("contentBytes"), QString::fromLatin1(a.bytes.toBase64()));
        return o.done();
    };
    const QString context = base() + QStringLiteral("/v1.0/$metadata#users('%1')/messages('%2')/attachments")
                                         .arg(mailboxes.constFind(s.mailbox)->userId, m.id);
    if (index >= 0) {
        if (withBytes)
            ++contentFetches[m.id];
        return graphJson("{\"@odata.context\":" + jsonString(context + QStringLiteral("/$entity")) + ',' + one(index).mid(1), Prefs());
    }
    QList<QByteArray> items;
    for (int i = 0; i < m.attachments.size(); ++i)
        items << one(i);
    if (withBytes && !items.isEmpty())
        ++contentFetches[m.id];
    return graphJson(Obj().add(QStringLiteral("@odata.context"), context).raw(QStringLiteral("value"), jsonArray(items)).done(),
                     Prefs());
}

// ---------------------------------------------------------------------------
// Delta (PROVIDERS.md 1.4)

Reply MicrosoftFake::Private::delta(const Request &req, const QString &key, const QString &folder, const Prefs &prefs)
{
    const Params params = parseForm(req.url.query(QUrl::FullyEncoded).toLatin1());
    selects << paramValue(params, QStringLiteral("$select"));
    filters << paramValue(params, QStringLiteral("$filter"));
    tops << paramValue(params, QStringLiteral("$top"));
    orderBys << paramValue(params, QStringLiteral("$orderby"));
    const QString deltaPath = base() + req.url.path(QUrl::FullyEncoded);
    auto badRequest = [this](const QString &message) { return graphError(400, QStringLiteral("BadRequest"), message); };
    auto current = [&](const QVector<FilterTerm> &filter) {
        QVector<const Stored *> out;
        for (const Stored &s : messages) {
            if (s.mailbox == key && s.m.folder == folder && matches(s, filter))
                out << &s;
        }
        std::sort(out.begin(), out.end(), [](const Stored *a, const Stored *b) {
            const qint64 ra = a->m.received.toMSecsSinceEpoch(), rb = b->m.received.toMSecsSinceEpoch();
            return ra != rb ? ra > rb : a->m.id > b->m.id;
        });
        return out;
    };
    auto snapshotOf = [&](const QVector<const Stored *> &items) {
        Snapshot snapshot;
        for (const Stored *s : items)
            snapshot.insert(s->m.id, Known{s->version, regularIdOf(*s)});
        return snapshot;
    };
    auto cap = [&](QVector<Entry> *entries, const DeltaQuery &q) {
        if (q.top > 0 && entries->size() > q.top)
            entries->resize(q.top);
        if (!q.filter.isEmpty() && entries->size() > filteredCap)
            entries->resize(filteredCap);
    };

    const bool hasSkipToken = hasParam(params, QStringLiteral("$skiptoken"));
    if (hasSkipToken || hasParam(params, QStringLiteral("$deltatoken"))) {
        const QString value = paramValue(params, hasSkipToken ? QStringLiteral("$skiptoken") : QStringLiteral("$deltatoken"));
        const auto it = deltaTokens.constFind(value);
        const DeltaQuery *query = it == deltaTokens.constEnd() ? nullptr : it->isDelta ? &it->query : &it->round->query;
        if (!query || it->generation < expiredBefore || query->mailbox != key || query->folder != folder) {
            // Outlook's state is gone (or never was): 410 with an empty $deltatoken, or the bare 40x.
            Reply reply = graphError(deltaExpiryStatus, QStringLiteral("SyncStateNotFound"),
                                     QStringLiteral("The sync state generation is not found; generation=%1;")
                                         .arg(QRandomGenerator::global()->bounded(1000, 99999)));
            if (deltaExpiryStatus == 410)
                reply.headers << qMakePair(QByteArrayLiteral("Location"), (deltaPath + QStringLiteral("?$deltatoken=")).toUtf8());
            return reply;
        }
        if (!it->isDelta)
            return deltaPage(req, it->round, it->position, prefs);
        // A new round: what changed since the last one began.
        auto round = std::make_shared<Round>();
        round->query = it->query;
        const Snapshot base = it->base;
        const QVector<const Stored *> now = current(round->query.filter);
        const QString changeType = round->query.changeType;
        for (const Stored *s : now) {
            const auto known = base.constFind(s->m.id);
            if (known == base.constEnd()) {
                if (changeType.isEmpty() || changeType == QLatin1String("created"))
                    round->entries << Entry{s->m.id, false, QString()};
            } else if (known->version != s->version) {
                if (changeType.isEmpty() || changeType == QLatin1String("updated"))
                    round->entries << Entry{s->m.id, false, QString()};
            }
        }
        round->next = snapshotOf(now);
        if (changeType.isEmpty() || changeType == QLatin1String("deleted")) {
            QStringList gone;
            for (auto k = base.cbegin(); k != base.cend(); ++k) {
                if (!round->next.contains(k.key()))
                    gone << k.key();
            }
            gone.sort();
            for (const QString &id : std::as_const(gone))
                round->entries << Entry{id, true, base.value(id).regularId};
        }
        cap(&round->entries, round->query);
        return deltaPage(req, round, 0, prefs);
    }

    // The first call: its options are the round's for good.
    static const QStringList allowed = {QStringLiteral("$select"), QStringLiteral("$top"), QStringLiteral("$filter"),
                                        QStringLiteral("$orderby"), QStringLiteral("$expand"), QStringLiteral("changeType")};
    if (const QString dup = duplicateParam(params); !dup.isEmpty())
        return badRequest(QStringLiteral("Query option '%1' was specified more than once, but it must be specified at most once.").arg(dup));
    for (const auto &p : params) {
        if ((p.first.startsWith(QLatin1Char('$')) || p.first == QLatin1String("changeType")) && !allowed.contains(p.first))
            return badRequest(QStringLiteral("Query option '%1' is not supported with delta.").arg(p.first));
    }
    auto round = std::make_shared<Round>();
    DeltaQuery &q = round->query;
    q.mailbox = key;
    q.folder = folder;
    if (hasParam(params, QStringLiteral("$select"))) {
        QString bad;
        const std::optional<QStringList> parsed = parseSelect(paramValue(params, QStringLiteral("$select")), kMessageProperties, &bad);
        if (!parsed)
            return graphError(400, QStringLiteral("RequestBroker--ParseUri"),
                              QStringLiteral("Could not find a property named '%1' on type 'microsoft.graph.message'.").arg(bad));
        q.select = *parsed;
    }
    if (const QString filter = paramValue(params, QStringLiteral("$filter")); !filter.trimmed().isEmpty()) {
        const std::optional<QVector<FilterTerm>> parsed = parseFilter(filter);
        if (!parsed)
            return badRequest(QStringLiteral("Invalid filter clause"));
        for (const FilterTerm &t : *parsed) {
            if (t.property != QLatin1String("receivedDateTime") || (t.op != QLatin1String("ge") && t.op != QLatin1String("gt")))
                return badRequest(QStringLiteral("The only $filter supported with delta is receivedDateTime ge|gt."));
        }
        q.filter = *parsed;
    }
    if (const QString orderBy = paramValue(params, QStringLiteral("$orderby")); !orderBy.isEmpty()
        && orderBy.simplified().compare(QLatin1String("receivedDateTime desc"), Qt::CaseInsensitive) != 0)
        return badRequest(QStringLiteral("The only $orderby supported with delta is receivedDateTime desc."));
    if (hasParam(params, QStringLiteral("$top"))) {
        bool ok = false;
        q.top = paramValue(params, QStringLiteral("$top")).toInt(&ok);
        if (!ok || q.top < 1)
            return badRequest(QStringLiteral("Invalid page size specified: '%1'.").arg(paramValue(params, QStringLiteral("$top"))));
    }
    q.changeType = paramValue(params, QStringLiteral("changeType"));
    if (!q.changeType.isEmpty() && q.changeType != QLatin1String("created") && q.changeType != QLatin1String("updated")
        && q.changeType != QLatin1String("deleted"))
        return badRequest(QStringLiteral("Invalid changeType '%1'.").arg(q.changeType));

    const QVector<const Stored *> now = current(q.filter);
    for (const Stored *s : now)
        round->entries << Entry{s->m.id, false, QString()};
    // What the cap leaves out is in the snapshot all the same: it never comes.
    round->next = snapshotOf(now);
    cap(&round->entries, q);
    return deltaPage(req, round, 0, prefs);
}

Reply MicrosoftFake::Private::deltaPage(const Request &req, const std::shared_ptr<Round> &round, int position, const Prefs &prefs)
{
    const QString deltaPath = base() + req.url.path(QUrl::FullyEncoded);
    const int pageSize = prefs.maxPageSize > 0 ? prefs.maxPageSize : kDefaultDeltaPage;
    const int end = std::min<int>(int(round->entries.size()), position + pageSize);
    QList<QByteArray> items;
    for (int i = position; i < end; ++i) {
        const Entry &e = round->entries.at(i);
        const auto it = messages.constFind(e.id);
        const bool gone = e.removed || it == messages.constEnd() || it->mailbox != round->query.mailbox
            || it->m.folder != round->query.folder;
        if (gone) {
            const QString regular = e.removed ? e.regularId : round->next.value(e.id).regularId;
            items << Obj()
                         .add(QStringLiteral("id"), prefs.immutable ? e.id : regular)
                         .raw(QStringLiteral("@removed"), "{\"reason\":\"deleted\"}")
                         .done();
        } else {
            items << messageJson(*it, round->query.select, prefs, true);
        }
    }
    auto newToken = []() -> QString { // a QStringBuilder would outlive its parts
        return randomString(96, kBase64Url) + QLatin1Char('.') + randomString(43, kBase64Url);
    };
    Obj answer;
    answer.add(QStringLiteral("@odata.context"), base() + QStringLiteral("/v1.0/$metadata#Collection(message)"))
        .raw(QStringLiteral("value"), jsonArray(items));
    if (end < round->entries.size()) {
        const QString token = newToken();
        DeltaToken t;
        t.generation = deltaGeneration;
        t.round = round;
        t.position = end;
        deltaTokens.insert(token, t);
        answer.add(QStringLiteral("@odata.nextLink"), deltaPath + QStringLiteral("?$skiptoken=") + token);
    } else {
        const QString token = newToken();
        DeltaToken t;
        t.generation = deltaGeneration;
        t.isDelta = true;
        t.query = round->query;
        t.base = round->next;
        deltaTokens.insert(token, t);
        answer.add(QStringLiteral("@odata.deltaLink"), deltaPath + QStringLiteral("?$deltatoken=") + token);
    }
    return graphJson(answer.done(), prefs);
}

// ---------------------------------------------------------------------------
// Public side

MicrosoftFake::MicrosoftFake()
    : d(std::make_unique<Private>())
{
}

MicrosoftFake::~MicrosoftFake()
{
    stop();
}

bool MicrosoftFake::start(QString *error)
{
    if (d->host.running())
        return true;
    Private *p = d.get();
    return d->host.start(
        &d->mutex, [p](const Request &req) { return p->answer(req); }, [p] { return p->delayMs; },
        [p](const Reply &reply) { p->finished(reply); }, error);
}

void MicrosoftFake::stop()
{
    d->host.stop();
    // Answers that were waiting went with the host: no request is in flight.
    QMutexLocker lock(&d->mutex);
    for (auto &mailbox : d->mailboxes)
        mailbox.inFlight = 0;
}

quint16 MicrosoftFake::port() const
{
    return d->host.port();
}

QUrl MicrosoftFake::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port()));
}

QUrl MicrosoftFake::authUrl() const
{
    return QUrl(baseUrl().toString() + QStringLiteral("/common/oauth2/v2.0/authorize"));
}

QUrl MicrosoftFake::tokenUrl() const
{
    return QUrl(baseUrl().toString() + QStringLiteral("/common/oauth2/v2.0/token"));
}

QUrl MicrosoftFake::apiUrl() const
{
    return QUrl(baseUrl().toString() + QStringLiteral("/v1.0"));
}

void MicrosoftFake::setClientId(const QString &clientId)
{
    QMutexLocker lock(&d->mutex);
    d->clientId = clientId;
}

QString MicrosoftFake::clientId() const
{
    QMutexLocker lock(&d->mutex);
    return d->clientId;
}

void MicrosoftFake::setRedirectPaths(const QStringList &paths)
{
    QMutexLocker lock(&d->mutex);
    d->redirectPaths = paths;
}

void MicrosoftFake::setUserAddress(const QString &address)
{
    QMutexLocker lock(&d->mutex);
    const QString key = address.toLower();
    if (key == d->ownKey) {
        d->mailboxes[key].address = address;
        return;
    }
    Private::Mailbox own = d->mailboxes.take(d->ownKey);
    own.address = address;
    for (Private::Stored &s : d->messages) {
        if (s.mailbox == d->ownKey)
            s.mailbox = key;
    }
    d->ownKey = key;
    d->mailboxes.insert(key, own);
    d->regularToImmutable.clear(); // regular ids name the mailbox
    for (const Private::Stored &s : std::as_const(d->messages))
        d->indexRegular(s);
}

QString MicrosoftFake::userAddress() const
{
    QMutexLocker lock(&d->mutex);
    return d->mailboxes.value(d->ownKey).address;
}

void MicrosoftFake::setUserDisplayName(const QString &name)
{
    QMutexLocker lock(&d->mutex);
    d->mailboxes[d->ownKey].displayName = name;
}

QString MicrosoftFake::userId() const
{
    QMutexLocker lock(&d->mutex);
    return d->userId;
}

void MicrosoftFake::setDenyConsent(bool deny)
{
    QMutexLocker lock(&d->mutex);
    d->denyConsent = deny;
}

void MicrosoftFake::setOmitScope(bool omit)
{
    QMutexLocker lock(&d->mutex);
    d->omitScope = omit;
}

void MicrosoftFake::setAccessTokenLifetime(int seconds)
{
    QMutexLocker lock(&d->mutex);
    d->accessLifetimeS = seconds;
}

void MicrosoftFake::setCodeLifetime(int seconds)
{
    QMutexLocker lock(&d->mutex);
    d->codeLifetimeS = seconds;
}

void MicrosoftFake::setInvalidateRotatedRefreshTokens(bool on)
{
    QMutexLocker lock(&d->mutex);
    d->invalidateRotated = on;
}

void MicrosoftFake::failRefreshTokens(int aadstsCode)
{
    QMutexLocker lock(&d->mutex);
    for (auto &token : d->refreshTokens)
        token.failCode = aadstsCode;
}

void MicrosoftFake::expireAccessTokens()
{
    QMutexLocker lock(&d->mutex);
    d->accessTokens.clear();
}

QString MicrosoftFake::issueAccessToken(const QStringList &scopes)
{
    QMutexLocker lock(&d->mutex);
    QStringList canonicalScopes;
    bool outlook = false;
    for (const QString &s : scopes) {
        const Scope scope = parseScope(s);
        if (scope.kind == Scope::Outlook)
            outlook = true;
        if (scope.kind != Scope::Oidc)
            canonicalScopes << scope.name;
    }
    return d->newAccessToken(canonicalScopes, outlook);
}

QString MicrosoftFake::issueRefreshToken(const QStringList &scopes)
{
    QMutexLocker lock(&d->mutex);
    QStringList canonicalScopes;
    for (const QString &s : scopes)
        canonicalScopes << parseScope(s).name;
    if (!canonicalScopes.contains(QStringLiteral("offline_access")))
        canonicalScopes << QStringLiteral("offline_access");
    return d->newRefreshToken(canonicalScopes);
}

MicrosoftFake::AuthorizeRequest MicrosoftFake::lastAuthorizeRequest() const
{
    QMutexLocker lock(&d->mutex);
    return d->lastAuthorize;
}

QVector<MicrosoftFake::TokenRequest> MicrosoftFake::tokenRequests() const
{
    QMutexLocker lock(&d->mutex);
    return d->tokenRequests;
}

void MicrosoftFake::addSharedMailbox(const QString &address, const QString &displayName)
{
    QMutexLocker lock(&d->mutex);
    const QString key = address.toLower();
    if (key == d->ownKey)
        return;
    Private::Mailbox &m = d->mailboxes[key];
    m.address = address;
    m.displayName = displayName.isEmpty() ? address.section(QLatin1Char('@'), 0, 0) : displayName;
    if (m.userId.isEmpty()) {
        const QByteArray h = QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Md5);
        m.userId = QUuid::fromRfc4122(h).toString(QUuid::WithoutBraces);
    }
}

void MicrosoftFake::grant(const QString &mailboxAddress, const QString &folder, bool granted)
{
    QMutexLocker lock(&d->mutex);
    Private::Mailbox *m = d->mailboxFor(mailboxAddress);
    if (!m)
        return;
    if (granted)
        m->grants.insert(folder.toLower());
    else
        m->grants.remove(folder.toLower());
}

QString MicrosoftFake::addMessage(const QString &mailboxAddress, const Message &message)
{
    QMutexLocker lock(&d->mutex);
    Private::Mailbox *mailbox = d->mailboxFor(mailboxAddress);
    const QString folder = folderName(message.folder);
    if (!mailbox || folder.isEmpty() || folder == kRoot)
        return QString();
    Private::Stored s;
    s.m = message;
    s.m.folder = folder;
    s.mailbox = mailboxAddress.isEmpty() ? d->ownKey : mailboxAddress.toLower();
    if (s.m.id.isEmpty()) {
        do
            s.m.id = makeImmutableId();
        while (d->messages.contains(s.m.id));
    }
    if (!s.m.received.isValid())
        s.m.received = QDateTime::currentDateTimeUtc();
    s.m.received = s.m.received.toUTC();
    if (!s.m.sent.isValid())
        s.m.sent = s.m.received;
    s.m.sent = s.m.sent.toUTC();
    if (s.m.fromAddress.isEmpty())
        s.m.fromAddress = (folder == QLatin1String("sentitems") || folder == QLatin1String("drafts")) ? mailbox->address
                                                                                                      : QStringLiteral("sender@example.org");
    if (s.m.fromName.isEmpty())
        s.m.fromName = s.m.fromAddress == mailbox->address ? mailbox->displayName : s.m.fromAddress;
    if (s.m.internetMessageId.isEmpty())
        s.m.internetMessageId = QStringLiteral("<%1@%2>").arg(hashTag(s.m.id, 16), s.m.fromAddress.section(QLatin1Char('@'), 1));
    if (s.m.conversationId.isEmpty()) {
        QString topic = s.m.subject;
        static const QRegularExpression prefix(QStringLiteral("^((re|fw|fwd|aw|wg)\\s*:\\s*)+"), QRegularExpression::CaseInsensitiveOption);
        topic.remove(prefix);
        s.m.conversationId = QStringLiteral("AAQkAD") + hashTag(s.mailbox + QLatin1Char('/') + topic, 40) + QStringLiteral("AQAA=");
    }
    if (s.m.bodyHtml.isEmpty())
        s.m.bodyHtml = textToHtml(s.m.bodyText);
    if (s.m.bodyText.isEmpty())
        s.m.bodyText = htmlToText(s.m.bodyHtml);
    s.createdMs = s.m.received.toMSecsSinceEpoch();
    s.modifiedMs = s.createdMs;
    QByteArray index(22, Qt::Uninitialized);
    for (char &c : index)
        c = char(QRandomGenerator::global()->bounded(256));
    s.conversationIndex = QString::fromLatin1(index.toBase64());
    if (auto old = d->messages.constFind(s.m.id); old != d->messages.constEnd()) {
        d->unindexRegular(*old);
        s.version = old->version + 1;
    }
    d->messages.insert(s.m.id, s);
    d->indexRegular(s);
    return s.m.id;
}

bool MicrosoftFake::moveMessage(const QString &id, const QString &folder)
{
    QMutexLocker lock(&d->mutex);
    const QString name = folderName(folder);
    auto it = d->messages.find(id);
    if (it == d->messages.end() || name.isEmpty() || name == kRoot)
        return false;
    d->unindexRegular(*it);
    it->m.folder = name;
    ++it->moveGeneration;
    d->touch(*it);
    d->indexRegular(*it);
    return true;
}

bool MicrosoftFake::removeMessage(const QString &id)
{
    QMutexLocker lock(&d->mutex);
    auto it = d->messages.find(id);
    if (it == d->messages.end())
        return false;
    d->unindexRegular(*it);
    d->messages.erase(it);
    return true;
}

bool MicrosoftFake::setFlagRead(const QString &id, bool read)
{
    QMutexLocker lock(&d->mutex);
    auto it = d->messages.find(id);
    if (it == d->messages.end())
        return false;
    it->m.isRead = read;
    d->touch(*it);
    return true;
}

void MicrosoftFake::clearMessages()
{
    QMutexLocker lock(&d->mutex);
    d->messages.clear();
    d->regularToImmutable.clear();
}

int MicrosoftFake::messageCount(const QString &mailboxAddress, const QString &folder) const
{
    QMutexLocker lock(&d->mutex);
    const QString key = mailboxAddress.isEmpty() ? d->ownKey : mailboxAddress.toLower();
    const QString name = folder.toLower();
    return int(std::count_if(d->messages.cbegin(), d->messages.cend(), [&](const Private::Stored &s) {
        return s.mailbox == key && (name.isEmpty() || s.m.folder == name);
    }));
}

void MicrosoftFake::setExtraItems(const QString &folder, int count)
{
    setExtraItems(QString(), folder, count);
}

void MicrosoftFake::setExtraItems(const QString &mailboxAddress, const QString &folder, int count)
{
    QMutexLocker lock(&d->mutex);
    if (Private::Mailbox *m = d->mailboxFor(mailboxAddress))
        m->extraItems[folder.toLower()] = count;
}

QString MicrosoftFake::regularId(const QString &immutableId) const
{
    QMutexLocker lock(&d->mutex);
    const auto it = d->messages.constFind(immutableId);
    return it == d->messages.constEnd() ? QString() : d->regularIdOf(*it);
}

QString MicrosoftFake::folderId(const QString &mailboxAddress, const QString &folder) const
{
    QMutexLocker lock(&d->mutex);
    const QString key = mailboxAddress.isEmpty() ? d->ownKey : mailboxAddress.toLower();
    return d->folderIdOf(key, folder.toLower());
}

QString MicrosoftFake::makeImmutableId()
{
    // Like Outlook's immutable ids: a fixed store prefix, then the item's own part.
    QByteArray bytes(36, Qt::Uninitialized);
    for (char &c : bytes)
        c = char(QRandomGenerator::global()->bounded(256));
    return QStringLiteral("AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A") + base64url(bytes) + QStringLiteral("AAA=");
}

QString MicrosoftFake::caseTwinId(const QString &id)
{
    QString twin = id;
    for (qsizetype i = twin.size() - 1; i >= 0; --i) {
        const QChar c = twin.at(i);
        if (c.isLetter()) {
            twin[i] = c.isUpper() ? c.toLower() : c.toUpper();
            break;
        }
    }
    return twin;
}

void MicrosoftFake::setRequestWindow(int requests, int windowMs)
{
    QMutexLocker lock(&d->mutex);
    d->windowRequests = requests;
    d->windowMs = windowMs;
    for (auto &m : d->mailboxes)
        m.window.clear();
}

void MicrosoftFake::setRetryAfterAsHttpDate(bool httpDate)
{
    QMutexLocker lock(&d->mutex);
    d->retryAfterHttpDate = httpDate;
}

void MicrosoftFake::setMaxConcurrency(int perMailbox)
{
    QMutexLocker lock(&d->mutex);
    d->maxConcurrency = perMailbox;
}

void MicrosoftFake::setServiceUnavailable(int count, int retryAfterSeconds)
{
    QMutexLocker lock(&d->mutex);
    d->unavailableCount = count;
    d->unavailableRetryAfterS = retryAfterSeconds;
}

void MicrosoftFake::setServiceUnavailableEveryNth(int n, int retryAfterSeconds)
{
    QMutexLocker lock(&d->mutex);
    d->unavailableEveryNth = n;
    d->unavailableRetryAfterS = retryAfterSeconds;
    d->throttleChecked = 0;
}

void MicrosoftFake::setResponseDelayMs(int ms)
{
    QMutexLocker lock(&d->mutex);
    d->delayMs = ms;
}

void MicrosoftFake::setResponseDelayMs(Endpoint endpoint, int ms)
{
    QMutexLocker lock(&d->mutex);
    if (ms < 0)
        d->endpointDelayMs.remove(endpoint);
    else
        d->endpointDelayMs.insert(endpoint, ms);
}

void MicrosoftFake::setFilteredDeltaCap(int messages)
{
    QMutexLocker lock(&d->mutex);
    d->filteredCap = messages;
}

int MicrosoftFake::filteredDeltaCap() const
{
    QMutexLocker lock(&d->mutex);
    return d->filteredCap;
}

void MicrosoftFake::expireDeltaTokens(int httpStatus)
{
    QMutexLocker lock(&d->mutex);
    d->expiredBefore = ++d->deltaGeneration;
    d->deltaExpiryStatus = httpStatus;
}

int MicrosoftFake::requests(Endpoint endpoint) const
{
    QMutexLocker lock(&d->mutex);
    return d->endpointCounts.value(int(endpoint));
}

int MicrosoftFake::contentFetches(const QString &immutableId) const
{
    QMutexLocker lock(&d->mutex);
    return d->contentFetches.value(immutableId);
}

QHash<QString, int> MicrosoftFake::allContentFetches() const
{
    QMutexLocker lock(&d->mutex);
    return d->contentFetches;
}

int MicrosoftFake::draftsRequests() const
{
    QMutexLocker lock(&d->mutex);
    return d->drafts;
}

int MicrosoftFake::peakInFlight(const QString &mailboxAddress) const
{
    QMutexLocker lock(&d->mutex);
    const Private::Mailbox *m = d->mailboxFor(mailboxAddress);
    return m ? m->peak : 0;
}

int MicrosoftFake::requestsBeforeRetryAfter() const
{
    QMutexLocker lock(&d->mutex);
    int total = 0;
    for (const auto &m : std::as_const(d->mailboxes))
        total += m.beforeRetryAfter;
    return total;
}

int MicrosoftFake::requestsBeforeRetryAfter(const QString &mailboxAddress) const
{
    QMutexLocker lock(&d->mutex);
    const Private::Mailbox *m = d->mailboxFor(mailboxAddress);
    return m ? m->beforeRetryAfter : 0;
}

int MicrosoftFake::throttled429s() const
{
    QMutexLocker lock(&d->mutex);
    return d->throttled429;
}

int MicrosoftFake::concurrencyRefusals() const
{
    QMutexLocker lock(&d->mutex);
    return d->concurrencyRefusals;
}

int MicrosoftFake::serviceUnavailable503s() const
{
    QMutexLocker lock(&d->mutex);
    return d->unavailable503;
}

int MicrosoftFake::unissuedSkips() const
{
    QMutexLocker lock(&d->mutex);
    return d->unissuedSkips;
}

int MicrosoftFake::requestsWithoutImmutableId() const
{
    QMutexLocker lock(&d->mutex);
    return d->withoutImmutable;
}

QStringList MicrosoftFake::selectsSeen() const
{
    QMutexLocker lock(&d->mutex);
    return d->selects;
}

QStringList MicrosoftFake::filtersSeen() const
{
    QMutexLocker lock(&d->mutex);
    return d->filters;
}

QStringList MicrosoftFake::topsSeen() const
{
    QMutexLocker lock(&d->mutex);
    return d->tops;
}

QStringList MicrosoftFake::orderBysSeen() const
{
    QMutexLocker lock(&d->mutex);
    return d->orderBys;
}

QVector<MicrosoftFake::RequestRecord> MicrosoftFake::requestLog() const
{
    QMutexLocker lock(&d->mutex);
    return d->log;
}

void MicrosoftFake::resetCounters()
{
    QMutexLocker lock(&d->mutex);
    d->endpointCounts.clear();
    d->contentFetches.clear();
    d->drafts = 0;
    d->throttled429 = 0;
    d->concurrencyRefusals = 0;
    d->unavailable503 = 0;
    d->unissuedSkips = 0;
    d->withoutImmutable = 0;
    d->selects.clear();
    d->filters.clear();
    d->tops.clear();
    d->orderBys.clear();
    d->log.clear();
    for (auto &m : d->mailboxes) {
        m.peak = m.inFlight;
        m.beforeRetryAfter = 0;
        m.retryAfterUntilMs = 0;
    }
}
} // namespace Lookback::Test
