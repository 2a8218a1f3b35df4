// A fake of Google's OAuth endpoints and of the Gmail REST API, on a free
// 127.0.0.1 port, following /work/shared/PROVIDERS.md (sections 2, 3.1, 3.2,
// 3.4 and the Qt NetworkAuth 6.4.2 quirks of section 4) to the letter: the
// same paths, parameters, JSON shapes and error bodies as Google, plus
// switches that turn on the failures a real account shows now and then.
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

// One Google account with one OAuth client, served by QHttpServer.
//
// OAuth (authUrl(), tokenUrl()):
// - /o/oauth2/v2/auth checks client_id (unknown: a 400 page "Error 401:
//   invalid_client"), redirect_uri (http://127.0.0.1:<any port>/<path>, RFC
//   8252 §7.3; anything else, localhost included: a 400 page "Error 400:
//   redirect_uri_mismatch"), response_type=code and scope, then answers 302 to
//   redirect_uri?code=…&state=…&scope=… . The code is "4/0A" + random and is
//   percent-encoded in the Location, so its "/" arrives as "%2F". With
//   setDenyConsent(true) the redirect carries error=access_denied instead.
// - /token, authorization_code: the code must be one issued, unused and at
//   most codeLifetime old, sent once decoded (a double-encoded "4%2F0A…" gets
//   invalid_grant "Malformed auth code."); the PKCE verifier must match the
//   challenge (S256 or plain, RFC 7636; a missing or wrong verifier gets
//   invalid_grant); client_id and client_secret must be the configured ones
//   (else 401 invalid_client); redirect_uri must equal the authorize
//   request's exactly (else 400 redirect_uri_mismatch). A code is consumed
//   by its first successful exchange only. A refresh token comes only with
//   access_type=offline, and, as at Google, only on the account's first
//   offline consent for this client or when prompt=consent was given.
//   id_token only when openid, email or profile was among the scopes.
// - /token, refresh_token: a present but empty client_secret (what Qt 6.4.2
//   sends) gets 401 invalid_client, a missing one 400 invalid_request
//   "client_secret is missing." (setRequireClientSecret(false) allows that);
//   a revoked or unknown token 400 invalid_grant "Token has been expired or
//   revoked."; success gives a new access token and, as Google does not
//   rotate them, no refresh_token.
// - A parameter sent twice (QMultiMap::insert adds a second "code") gets 400
//   invalid_request, RFC 6749 §3.1.
//
// Gmail (apiUrl() + "/gmail/v1/users/me/…", and "/batch/gmail/v1"):
// profile, labels.get, messages.list, messages.get (full, metadata, minimal,
// raw), messages.attachments.get and the batch endpoint. Every call needs
// "Authorization: Bearer <live access token>" (else 401 with the exact body
// of PROVIDERS.md 2.4 and WWW-Authenticate), a token whose scopes include a
// Gmail scope (else 403 insufficientPermissions; gmail.metadata alone
// forbids q and format=full|raw like Google), and quota: a per-user sliding
// window of cost units (list 5, get 5, attachments 5, profile 1, labels 1;
// each part of a batch charged on its own). Checks run in that order; a call
// refused before the quota check costs nothing, and neither does a refused
// one. history.list is not served (404).
//
// Over quota a call gets 429 RESOURCE_EXHAUSTED "User-rate limit exceeded.
// Retry after <RFC 3339 time>" with a Retry-After header in seconds (or 403
// userRateLimitExceeded, setQuotaRefusalAs403(true)); a batch part gets the
// same as its inner response while the batch is 200. The fake remembers the
// Retry-After it gave and counts the requests that arrive before it ran out
// (requestsBeforeRetryAfter(): a well-behaved client keeps it at 0).
//
// Thread: the server runs on a thread of its own, so the test's thread may
// block (e.g. on a lookback-cli child process) while requests are answered.
// Every public method is thread-safe and meant for the test's thread.
// Owner: the test.
class GoogleFake
{
public:
    // A message of the mailbox. Empty id: a fresh one is made (16 lowercase
    // hex digits like Gmail's, growing with internalDateMs); empty threadId:
    // the id. `raw` is the RFC 822 message (makeRaw() builds one).
    struct Message
    {
        QString id;
        QString threadId;
        QStringList labelIds; // e.g. {"INBOX", "UNREAD"}, {"SENT"}, {"DRAFT"}
        qint64 internalDateMs = 0;
        QByteArray raw;
    };

    // What requests(Endpoint) counts. Get counts standalone messages.get calls
    // of any format; Raw counts format=raw gets, standalone or in a batch;
    // BatchPart counts the parts of batches (a part is counted only there, not
    // under its own endpoint); GlobalBatch counts calls of the retired /batch.
    enum class Endpoint {
        Authorize,
        Token,        // grant_type=authorization_code (and any other grant type)
        TokenRefresh, // grant_type=refresh_token
        Profile,
        Labels,
        List,
        Get,
        Batch,
        BatchPart,
        Attachment,
        Raw,
        GlobalBatch,
    };

    // One HTTP request to the Gmail API, or one part of a batch.
    struct RequestRecord
    {
        qint64 arrivalMs = 0;      // QDateTime::currentMSecsSinceEpoch() on arrival
        Endpoint endpoint = Endpoint::Profile;
        QString target;            // method and path with query: "GET /gmail/v1/users/me/profile"
        int status = 0;            // what it was answered (a part: its inner status)
        qint64 retryAfterUntilMs = 0; // refused over quota: when its Retry-After runs out; else 0
        bool duringRetryAfter = false; // arrived while an earlier Retry-After was still running
    };

    // The parameters of one /o/oauth2/v2/auth request, decoded, in order.
    struct AuthorizeRequest : FakeHttp::Form // value(name): "" when absent
    {
        bool offline() const { return value(QStringLiteral("access_type")) == QLatin1String("offline"); }
        bool promptConsent() const { return value(QStringLiteral("prompt")).split(QLatin1Char(' ')).contains(QStringLiteral("consent")); }
    };

    // The form parameters of one /token request, decoded, in order.
    struct TokenRequest : FakeHttp::Form
    {
        int status = 0; // what the fake answered
    };

    GoogleFake();
    ~GoogleFake(); // stop()
    GoogleFake(const GoogleFake &) = delete;
    GoogleFake &operator=(const GoogleFake &) = delete;

    bool start(QString *error); // listens on a free 127.0.0.1 port
    void stop();                // closes the port; idempotent
    quint16 port() const;
    QUrl baseUrl() const;  // http://127.0.0.1:<port>
    QUrl authUrl() const;  // baseUrl() + /o/oauth2/v2/auth
    QUrl tokenUrl() const; // baseUrl() + /token
    QUrl apiUrl() const;   // baseUrl(); the client appends /gmail/v1/users/me/… and /batch/gmail/v1

    // The one OAuth client the fake knows. Defaults: defaultClientId and
    // defaultClientSecret (Google desktop clients have a non-confidential
    // secret and send it).
    static const char *const defaultClientId;
    static const char *const defaultClientSecret;
    void setClient(const QString &clientId, const QString &clientSecret);
    QString clientId() const;
    QString clientSecret() const;
    void setUserEmail(const QString &email); // default "lookback.test@gmail.com"
    QString userEmail() const;

    // --- OAuth switches (each off by default) ---
    void setDenyConsent(bool deny);          // authorize redirects with error=access_denied
    void setOmitScope(bool omit);            // token answers leave out "scope" (QTBUG-66415)
    void setAccessTokenLifetime(int seconds); // expires_in and the real expiry; default 3599
    void setCodeLifetime(int seconds);       // how long a code may wait for its exchange; default 60
    void setRequireClientSecret(bool require); // refresh without client_secret: default true (400)
    // Every refresh token issued so far answers invalid_grant "Token has been
    // expired or revoked." from now on: revocation, a password change, 6 months
    // unused, the 7-day expiry of apps in "Testing" all look the same.
    void revokeRefreshTokens();
    // The next refresh request only gets this answer (JSON body), then the switch is off.
    void setRefreshFailure(int httpStatus, const QByteArray &body);
    // Every access token issued so far is dead at once (the API answers 401).
    void expireAccessTokens();
    // Forget that the account consented before: the next offline code gets a
    // refresh token even without prompt=consent.
    void forgetConsent();
    // Issues tokens without the browser dance, for API tests.
    QString issueAccessToken(const QStringList &scopes = {QStringLiteral("https://www.googleapis.com/auth/gmail.readonly")});
    QString issueRefreshToken(const QStringList &scopes = {QStringLiteral("https://www.googleapis.com/auth/gmail.readonly")});

    // --- What the OAuth side has seen ---
    AuthorizeRequest lastAuthorizeRequest() const; // empty parameters before the first
    QVector<TokenRequest> tokenRequests() const;   // every /token request, oldest first

    // --- Mailbox ---
    QString addMessage(const Message &message); // returns its id; replaces one with the same id
    void removeMessage(const QString &id);
    void clearMessages();
    int messageCount() const;
    qint64 historyId() const; // the account's current history id (grows with every change)
    // A fresh Gmail-looking id (16 lowercase hex digits).
    static QString makeId(qint64 internalDateMs);
    // How far a list's resultSizeEstimate may be from the `matches` it stands
    // for (PROVIDERS.md 2.1: deliberately inexact): a quarter of them, plus one.
    static qint64 estimateSlack(qint64 matches);
    // A small RFC 822 message with CRLF line ends: text/plain, or
    // multipart/mixed with one base64 attachment when attachmentName is given.
    static QByteArray makeRaw(const QString &from, const QString &to, const QString &subject,
                              const QDateTime &date, const QString &body, const QString &messageId,
                              const QString &attachmentName = QString(),
                              const QByteArray &attachmentBytes = QByteArray());

    // --- API switches (each off by default) ---
    // Quota: a sliding window; a call fits when the units charged in the last
    // windowMs plus its cost stay within unitsPerWindow. Default 15,000 per 60,000 ms.
    void setQuota(int unitsPerWindow, int windowMs);
    void setQuotaRefusalAs403(bool as403); // 403 userRateLimitExceeded instead of 429
    // Batch parts that answer inner 429 "Too many concurrent requests for
    // user." while the batch is 200: a seeded random share of them, or every
    // nth part (counted over all batches). 0 turns it off.
    void setBatchPartFailures(double chance, quint32 seed = 1);
    void setBatchPartFailureEveryNth(int n);
    void setInsufficientPermissions(bool on); // every Gmail call: 403 insufficientPermissions
    // Each answer waits this long (its own timer on the server thread, so
    // other connections are served meanwhile and the delay acts as latency).
    // Default 0.
    void setResponseDelayMs(int ms);

    // --- Counters (resetCounters() zeroes them all, and the request log) ---
    int requests(Endpoint endpoint) const;
    // messages.get answered 200 with format full, raw or metadata for this id,
    // standalone or in a batch (minimal is not content).
    int contentFetches(const QString &id) const;
    QHash<QString, int> allContentFetches() const;
    QStringList queriesSeen() const;          // the q of each messages.list ("" when none)
    QVector<QStringList> labelIdsSeen() const; // the labelIds of each messages.list
    int maxBatchParts() const;                // most parts seen in one batch
    qint64 unitsCharged() const;
    int quotaRefusals() const;                // calls and parts refused over quota
    int requestsBeforeRetryAfter() const;     // requests that ignored a running Retry-After
    QVector<RequestRecord> requestLog() const;
    void resetCounters();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Lookback::Test
