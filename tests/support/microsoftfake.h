// A fake of Microsoft identity (the OAuth 2.0 v2.0 endpoints) and of Microsoft
// Graph mail, on a free 127.0.0.1 port, following /work/shared/PROVIDERS.md
// (sections 1, 3.1-3.3 and the Qt NetworkAuth 6.4.2 quirks of section 4) to
// the letter: the same paths, parameters, JSON shapes and error bodies as
// Microsoft, plus switches that turn on the failures a real account shows now
// and then. The Graph client (core/graph) is written against it.
#pragma once

#include "fakehttp.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QVector>

#include <memory>

namespace Lookback::Test {

// One Microsoft 365 user with one public (desktop) client, served by
// QHttpServer.
//
// OAuth (authUrl() = /common/oauth2/v2.0/authorize, tokenUrl() = …/token):
// - authorize checks client_id (unknown: a 400 page "AADSTS700016"), then
//   redirect_uri: http://127.0.0.1:<any port>/<path> where the port is
//   ignored for matching and the path must be a registered one (default "/",
//   setRedirectPaths()); https, "localhost", another host, a query or a
//   fragment: a 400 page "AADSTS50011". Once the redirect_uri is good, every
//   other problem is redirected as error=…&error_description=AADSTS…&state=…
//   (missing response_type, scope, code_challenge: invalid_request
//   AADSTS900144; response_type other than code: unsupported_response_type;
//   code_challenge_method other than S256: invalid_request; an unknown Graph
//   permission: invalid_scope AADSTS650053; setDenyConsent(true):
//   access_denied AADSTS65004). Otherwise 302 to redirect_uri?code=…&state=… .
//   PKCE (S256) is required and bound to the code. Codes look like a personal
//   account's ("M.C5…_BAY.2.U.…") and contain '.', '-', '_' and also '!', '*'
//   and '$', which the Location percent-encodes: a client that encodes the
//   code again (Qt 6.4.2, QTBUG-81624) sends "%2A" and gets invalid_grant.
//   Consent may span several resources (Graph and Outlook's IMAP scope); a
//   single token may not.
// - token, authorization_code: the code must be one issued, unused (a second
//   use: invalid_grant AADSTS54005) and at most codeLifetime old (AADSTS70008);
//   the code_verifier must match (invalid_grant AADSTS501481); redirect_uri
//   must equal the authorize request's except for the port (invalid_grant
//   AADSTS500112); scope is optional (default: the consented scopes, which
//   must then be of one resource, else AADSTS28003) and must be consented
//   (AADSTS65001) and of one resource: Graph scopes with
//   https://outlook.office.com/IMAP.AccessAsUser.All give invalid_scope
//   AADSTS28000. A refresh token comes only with offline_access, an id_token
//   only with openid.
// - token, refresh_token: refresh tokens ROTATE, every refresh answers a new
//   one. A rotated-away token still works, as at Microsoft, unless
//   setInvalidateRotatedRefreshTokens(true) (then: invalid_grant AADSTS70000,
//   so a client that does not persist the new one is caught).
//   failRefreshTokens(code) makes every refresh token issued so far fail with
//   700082/70008 (inactivity), 50173 (revoked, password changed), 50076/50079
//   (MFA, error "interaction_required") or 65001 (consent). The same token
//   can be refreshed for the Outlook IMAP scope (a second token, PROVIDERS 3.3).
// - On both grants: any client_secret parameter, even an empty one (Qt 6.4.2
//   always sends one on refresh), gets 401 invalid_client AADSTS700025; an
//   unknown client_id 400 unauthorized_client AADSTS700016; a parameter sent
//   twice (QMultiMap::insert) 400 invalid_request AADSTS9000411; a missing one
//   invalid_request AADSTS900144.
// - Every token error has Microsoft's shape: 400 (401 for invalid_client)
//   {"error","error_description":"AADSTS<n>: <text>\r\nTrace ID: …\r\n
//   Correlation ID: …\r\nTimestamp: …","error_codes":[n],"timestamp",
//   "trace_id","correlation_id","error_uri"}.
// - Success: {token_type,scope,expires_in,ext_expires_in,access_token,
//   refresh_token?,id_token?}; "scope" lists the resource's scopes (Graph's in
//   short form) and the OpenID ones, not offline_access; setOmitScope(true)
//   leaves it out (QTBUG-66415). Access tokens are JWT-shaped (not signed).
//
// Graph (apiUrl() = /v1.0), GET only:
//   /me                                                       Me (needs User.Read)
//   {mbx}/mailFolders                                          Folder (the folder list)
//   {mbx}/mailFolders/{f}  (also mailFolders('{f}'))           Folder
//   {mbx}/mailFolders/{f}/messages  and  {mbx}/messages        List
//   {mbx}/mailFolders/{f}/messages/delta                       Delta
//   {mbx}/[mailFolders/{f}/]messages/{id}                      Get
//   {mbx}/[mailFolders/{f}/]messages/{id}/attachments[/{aid}]  Attachments / Attachment
//   {mbx}/[mailFolders/{f}/]messages/{id}/attachments/{aid}/$value  AttachmentValue
// where {mbx} is "/me" or "/users/{upn|user id}" and {f} a folder id or a
// well-known name (case-insensitive: inbox, sentitems, drafts, deleteditems,
// junkemail, archive, outbox, msgfolderroot). An unknown /users/{upn} gets
// 404 ErrorInvalidUser "The requested user '…' is invalid." (what Graph
// answers for a UPN with no user; MailboxNotEnabledForRESTAPI is for a user
// without an Exchange Online mailbox, which the fake does not model).
//
// Checks, in order: Authorization "Bearer <live Graph token>" (else 401
// InvalidAuthenticationToken "Access token has expired or is not yet valid."
// — "Access token is empty." without the header, "Access token validation
// failure. Invalid audience." for an Outlook token — with WWW-Authenticate);
// the mailbox; throttling (below); scope (Mail.Read[.Shared]/Mail.ReadWrite
// [.Shared]; .Shared for another mailbox) and, on a shared mailbox, the
// signed-in user's grant on the folder involved (grant()): else 403
// ErrorAccessDenied "Access is denied. Check credentials and try again.";
// then the request itself. /me without User.Read: 403
// Authorization_RequestDenied, as Graph's directory answers. Every error
// body is {"error":{"code","message","innerError":{"date","request-id",
// "client-request-id"}}} (except the concurrency refusal, quoted below).
//
// Listing: $top 1..1000 (default 10; else 400), $select (id and @odata.etag
// always; an unknown property: 400 RequestBroker--ParseUri "Could not find a
// property named '…' on type 'microsoft.graph.message'."), $filter (terms
// "<prop> eq|ne|gt|ge|lt|le <value>" joined by "and", for receivedDateTime,
// sentDateTime, createdDateTime, lastModifiedDateTime, isRead, isDraft,
// hasAttachments; else 400 BadRequest "Invalid filter clause"), $orderby on
// those date properties (default receivedDateTime desc). With both, every
// $orderby property must be in the $filter, in the same order and first,
// else 400 InefficientFilter "The restriction or sort order is too complex
// for this operation." $count=true adds "@odata.count" (the whole filtered
// collection) to every page. Other $-options ($search, $expand, …): 400.
// @odata.nextLink is absolute, keeps every original query option and adds
// %24skip=3×offset+1: never page × size, larger than the page size from the
// first page on. A $skip the fake issued resumes after the last message of
// the previous page (so pages stay complete and stable while mail arrives or
// goes); any other value is read as 3×offset+1 (0 as the start; a value of
// neither form: 400) and is counted by unissuedSkips(). The last page has no
// nextLink.
//
// Messages are Graph's JSON (dates as "2024-05-01T10:20:30Z"): id,
// @odata.etag, createdDateTime, lastModifiedDateTime, changeKey, categories,
// receivedDateTime, sentDateTime, hasAttachments (false when all are inline),
// internetMessageId, subject, bodyPreview, importance, parentFolderId,
// conversationId, conversationIndex, isDeliveryReceiptRequested,
// isReadReceiptRequested, isRead, isDraft, webLink, inferenceClassification,
// body{contentType,content}, sender, from, toRecipients, ccRecipients,
// bccRecipients, replyTo, flag{flagStatus}; internetMessageHeaders and
// uniqueBody only when selected.
//
// Prefer (one or several headers, comma-separated): IdType="ImmutableId"
// gives immutable ids, else regular ids, which are other strings and change
// when the message moves (both kinds are accepted in URLs, and ids are
// case-sensitive: two messages may have ids that differ only in case, see
// caseTwinId()); outlook.body-content-type="text" gives text bodies, else
// html; odata.maxpagesize=N sets delta pages (1..1000). Each one applied is
// echoed in Preference-Applied on a 2xx answer. Folder ids are the same in
// both id kinds.
//
// Attachments: {value:[{@odata.type:"#microsoft.graph.fileAttachment",
// @odata.mediaContentType, id, lastModifiedDateTime, name, contentType, size,
// isInline, contentId, contentLocation, contentBytes}]}; $select narrows it
// (id and @odata.type always); "contentBytes" must be selected as
// "microsoft.graph.fileAttachment/contentBytes", as at Graph. An answer with
// contentBytes, and every $value, counts as a content fetch of the message;
// so does any message JSON that carries body or uniqueBody.
//
// Delta (PROVIDERS 1.4): the first call takes $select, $top (caps how many
// messages the first round returns, [unverified]: Graph encodes it into the
// tokens), $filter (receivedDateTime ge|gt only), $orderby (receivedDateTime
// desc only) and changeType=created|updated|deleted; later calls carry only
// an opaque $skiptoken or $deltatoken (their other options are ignored).
// Pages hold Prefer odata.maxpagesize messages (default 10); each but the
// last has @odata.nextLink, the last @odata.deltaLink. A filtered round
// returns at most filteredDeltaCap() (5,000) messages, the newest; the rest
// are never reported. The next round reports what was created or updated
// since the round began (the full message) and what left the folder as
// {"id":…,"@removed":{"reason":"deleted"}}. expireDeltaTokens() kills every
// token so far: 410 Gone, Location: …/messages/delta?$deltatoken= (empty) and
// a SyncStateNotFound body; expireDeltaTokens(400) gives the body without
// Location. A token the fake never issued, or one of another folder, is
// treated as expired.
//
// Throttling, per mailbox (PROVIDERS 1.5; /me and the OAuth endpoints are not
// throttled): at most 4 requests in flight (arrival to answer): the 5th gets
// 429 {"error":{"code":"ApplicationThrottled","message":"Application is over
// its MailboxConcurrency limit."}} with Retry-After: 1. A sliding window of
// requests per mailbox (default 10,000 per 600,000 ms; setRequestWindow()):
// over it, 429 TooManyRequests "Please retry again later." with Retry-After
// in seconds, or as an HTTP-date (setRetryAfterAsHttpDate(true)). Every
// request that reaches the throttle counts in the window, refused ones too,
// like Graph. A 503 mode (setServiceUnavailable(), …EveryNth()) answers 503
// ServiceUnavailable with Retry-After. The fake remembers each Retry-After it
// gave per mailbox and counts the requests that arrive before it ran out
// (requestsBeforeRetryAfter(): a well-behaved client keeps it at 0).
// Refusals are answered at once; every other answer waits
// setResponseDelayMs() on a timer of the server thread (each answer its own
// delay, other connections served meanwhile, so concurrency is observable
// and a delay acts as the network's and Graph's latency).
//
// Thread: the server runs on a thread of its own, so the test's thread may
// block (e.g. on a lookback-cli child process) while requests are answered.
// Every public method is thread-safe and meant for the test's thread.
// Owner: the test.
class MicrosoftFake
{
public:
    struct Attachment
    {
        QString name;
        QString contentType = QStringLiteral("application/octet-stream");
        bool isInline = false;
        QByteArray bytes;
        QString contentId; // for inline parts; "" when none
    };

    // A message of a mailbox. Empty id: a fresh immutable id is made; a given
    // id is used as is (ids are case-sensitive). Recipients are "address" or
    // "Name <address>". Empty bodyHtml: made from bodyText, and the other way
    // round. Empty sent: received. Empty internetMessageId or conversationId:
    // made up.
    struct Message
    {
        QString id;
        QString folder = QStringLiteral("inbox"); // a well-known name
        QDateTime received;
        QDateTime sent;
        QString subject;
        QString fromName;
        QString fromAddress;
        QStringList to;
        QStringList cc;
        QStringList bcc;
        QString internetMessageId;
        QString conversationId;
        QString bodyHtml;
        QString bodyText;
        bool isRead = false;
        QStringList categories;
        QVector<Attachment> attachments;
    };

    // What requests(Endpoint) counts: every request routed there, refused or not.
    enum class Endpoint {
        Authorize,
        Token,        // grant_type=authorization_code (and any other grant type)
        TokenRefresh, // grant_type=refresh_token
        Me,
        Folder,
        List,
        Get,
        Attachments,
        Attachment,
        AttachmentValue,
        Delta,
        Other,        // a /v1.0 path the fake does not serve (400)
    };

    // One request to Graph.
    struct RequestRecord
    {
        qint64 arrivalMs = 0;  // QDateTime::currentMSecsSinceEpoch() on arrival
        Endpoint endpoint = Endpoint::Other;
        QString mailbox;       // lower-case address; "" for /me and unknown mailboxes
        QString target;        // "GET /v1.0/me/mailFolders/inbox/messages?…"
        int status = 0;
        int inFlight = 0;      // requests of the mailbox in flight once this one was let in (0 if refused)
        bool immutableId = false;      // carried Prefer: IdType="ImmutableId"
        qint64 retryAfterUntilMs = 0;  // refused with Retry-After: when it runs out; else 0
        bool duringRetryAfter = false; // arrived while an earlier Retry-After of its mailbox was running
    };

    // The parameters of one authorize request, decoded, in order.
    struct AuthorizeRequest : FakeHttp::Form // value(name): "" when absent
    {
    };

    // The form parameters of one token request, decoded, in order.
    struct TokenRequest : FakeHttp::Form
    {
        int status = 0;          // what the fake answered
        QByteArray errorBody;    // the answer when status != 200
    };

    MicrosoftFake();
    ~MicrosoftFake(); // stop()
    MicrosoftFake(const MicrosoftFake &) = delete;
    MicrosoftFake &operator=(const MicrosoftFake &) = delete;

    bool start(QString *error); // listens on a free 127.0.0.1 port
    void stop();                // closes the port; idempotent
    quint16 port() const;
    QUrl baseUrl() const;  // http://127.0.0.1:<port>
    QUrl authUrl() const;  // baseUrl() + /common/oauth2/v2.0/authorize
    QUrl tokenUrl() const; // baseUrl() + /common/oauth2/v2.0/token
    QUrl apiUrl() const;   // baseUrl() + /v1.0

    // The scopes Lookback asks for (PROVIDERS 3.3) and Outlook's IMAP scope.
    static const QStringList graphScopes; // offline_access Mail.Read Mail.Read.Shared User.Read openid profile
    static const char *const imapScope;   // https://outlook.office.com/IMAP.AccessAsUser.All

    // The one public client the fake knows (no secret) and its redirect paths.
    static const char *const defaultClientId;
    void setClientId(const QString &clientId);
    QString clientId() const;
    void setRedirectPaths(const QStringList &paths); // default {"/"}

    // The signed-in user: /me and /users/<address> (or /users/<userId()>) are
    // the same mailbox.
    void setUserAddress(const QString &address); // default "lookback.test@contoso.onmicrosoft.com"
    QString userAddress() const;
    void setUserDisplayName(const QString &name); // default "Lookback Test"
    QString userId() const;                       // a fixed GUID

    // --- OAuth switches (each off by default) ---
    void setDenyConsent(bool deny);              // authorize redirects with access_denied AADSTS65004
    void setOmitScope(bool omit);                // token answers leave out "scope" (QTBUG-66415)
    void setAccessTokenLifetime(int seconds);    // expires_in, ext_expires_in and the real expiry; default 3599
    void setCodeLifetime(int seconds);           // how long a code may wait for its exchange; default 600
    void setInvalidateRotatedRefreshTokens(bool on); // a rotated-away refresh token is dead
    // Every refresh token issued so far fails from now on with this AADSTS
    // code (700082, 70008, 50173, 50076, 50079, 65001; any other number gets
    // invalid_grant with a generic text). Tokens issued later work. 0: none.
    void failRefreshTokens(int aadstsCode);
    void expireAccessTokens(); // every access token issued so far is dead at once (401)
    // Tokens without the browser, for API tests. Scopes in short form for
    // Graph ("Mail.Read"), imapScope for an Outlook token.
    QString issueAccessToken(const QStringList &scopes = {QStringLiteral("Mail.Read"), QStringLiteral("Mail.Read.Shared"),
                                                          QStringLiteral("User.Read")});
    QString issueRefreshToken(const QStringList &scopes = graphScopes);

    // --- What the OAuth side has seen ---
    AuthorizeRequest lastAuthorizeRequest() const; // empty parameters before the first
    QVector<TokenRequest> tokenRequests() const;   // every token request, oldest first

    // --- Mailboxes and their content ---
    void addSharedMailbox(const QString &address, const QString &displayName = QString());
    // Grants (or takes back) the signed-in user's read access to one folder
    // (well-known name) of a shared mailbox; takes effect on the next request.
    void grant(const QString &mailboxAddress, const QString &folder, bool granted);
    // Returns the immutable id; "" when the mailbox is unknown. An empty
    // address is the signed-in user's mailbox. Replaces a message with that id.
    QString addMessage(const QString &mailboxAddress, const Message &message);
    QString addMessage(const Message &message) { return addMessage(QString(), message); }
    bool moveMessage(const QString &id, const QString &folder); // the regular id changes, the immutable one stays
    bool removeMessage(const QString &id);
    bool setFlagRead(const QString &id, bool read);
    void clearMessages(); // every mailbox
    // Messages of a mailbox ("" own) in a folder ("" all folders).
    int messageCount(const QString &mailboxAddress = QString(), const QString &folder = QString()) const;
    // Items that are not messages (contacts, meeting items…) that
    // mailFolder.totalItemCount counts too, so it is only an estimate.
    void setExtraItems(const QString &folder, int count); // own mailbox
    void setExtraItems(const QString &mailboxAddress, const QString &folder, int count);
    QString regularId(const QString &immutableId) const; // "" when unknown
    QString folderId(const QString &mailboxAddress, const QString &folder) const;
    // A fresh immutable id in Graph's style.
    static QString makeImmutableId();
    // The same id with the case of its last letter flipped: seed two messages
    // with these to catch a client that compares ids case-insensitively.
    static QString caseTwinId(const QString &id);

    // --- Graph switches (each off by default) ---
    // Sliding window per mailbox: a request is let in while fewer than
    // `requests` arrived in the last `windowMs`. Default 10,000 per 600,000.
    // Clears the windows.
    void setRequestWindow(int requests, int windowMs);
    void setRetryAfterAsHttpDate(bool httpDate);
    void setMaxConcurrency(int perMailbox); // default 4
    // The next `count` throttle-checked requests get 503 with Retry-After.
    void setServiceUnavailable(int count, int retryAfterSeconds = 1);
    // Every nth throttle-checked request gets 503 (0: off).
    void setServiceUnavailableEveryNth(int n, int retryAfterSeconds = 1);
    void setResponseDelayMs(int ms); // default 0
    // A Graph endpoint's own delay instead (e.g. list pages with bodies take
    // longer than an attachment listing); -1: back to the one above.
    void setResponseDelayMs(Endpoint endpoint, int ms);
    void setFilteredDeltaCap(int messages); // default 5,000
    int filteredDeltaCap() const;
    // Every delta token issued so far is dead: 410 with Location (default),
    // or the given status with the SyncStateNotFound body only.
    void expireDeltaTokens(int httpStatus = 410);

    // --- Counters (resetCounters() zeroes them all, the request log and the
    // remembered Retry-Afters) ---
    int requests(Endpoint endpoint) const;
    int contentFetches(const QString &immutableId) const;
    QHash<QString, int> allContentFetches() const;
    int draftsRequests() const;        // Graph requests that touched the Drafts folder or a draft
    int peakInFlight(const QString &mailboxAddress = QString()) const;
    int requestsBeforeRetryAfter() const; // all mailboxes
    int requestsBeforeRetryAfter(const QString &mailboxAddress) const;
    int throttled429s() const;         // concurrency and window refusals
    int concurrencyRefusals() const;   // the ApplicationThrottled ones
    int serviceUnavailable503s() const;
    int unissuedSkips() const;         // list requests with a $skip the fake did not issue
    int requestsWithoutImmutableId() const; // Graph requests without Prefer: IdType="ImmutableId"
    // The raw $select, $filter, $top and $orderby of each List and Delta
    // request ("" when absent), in order.
    QStringList selectsSeen() const;
    QStringList filtersSeen() const;
    QStringList topsSeen() const;
    QStringList orderBysSeen() const;
    QVector<RequestRecord> requestLog() const;
    void resetCounters();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Lookback::Test
