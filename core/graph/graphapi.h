#pragma once

#include "common/syncerror.h"
#include "source/httpreply.h"

#include <QByteArray>
#include <QObject>
#include <QSet>
#include <QUrl>
#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace Lookback {

class RequestBudget;

namespace Graph {

using Reply = HttpReply;

// Graph's error code ("ErrorAccessDenied", "TooManyRequests", ...) from the
// envelope {"error":{"code","message","innerError"}}; empty when there is none.
QString errorCode(const Reply &reply);
// What went wrong with an answer, by PROVIDERS.md 1.5 and 1.6:
//   401                          AuthExpired (the caller refreshes once first)
//   403                          PermissionDenied (ErrorAccessDenied: scope or share missing)
//   429, 503                     Throttled, with Retry-After when given
//   500, 502, 504, nothing       Network (transient)
//   404                          Protocol "not found" (a mailbox or message that is not there)
//   anything else                Protocol, with Graph's code and message
SyncError errorFor(const Reply &reply);
// True for an answer that is only a matter of waiting: 429, 503, 504, 500, 502.
bool isRetryable(const Reply &reply);

} // namespace Graph

// HTTP GETs to Microsoft Graph with a bearer token, inside the account's
// request budget, which a shared mailbox shares with its parent: each call
// waits until nothing blocks the budget (a Retry-After), for its unit in the
// sliding window (10,000 requests per 10 minutes per mailbox, PROVIDERS.md
// 1.5), and for one of the 4 concurrent slots. Every request carries
// `Prefer: IdType="ImmutableId"` and the body type chosen.
//
// Refusals that are only a matter of waiting (429, 503, 504, 500, 502) are
// sent again by the call itself: after the Retry-After the answer gave (in
// seconds or as an HTTP date; every user of the budget waits for it too), or
// without one after a jittered backoff from one second, up to kAttempts in
// all and as long as each wait is at most kLongestInternalWait; beyond that
// the call answers with the refusal and the sync engine waits, showing
// Throttled with the time.
//
// An absolute URL (a nextLink Graph gave) is called verbatim, but only on the
// API's own origin: the bearer token is never sent anywhere else.
//
// Thread: the sync task's (its own QNetworkAccessManager). Owner: the source.
class GraphApi : public QObject
{
    Q_OBJECT
public:
    using ReplyDone = std::function<void(const Graph::Reply &)>;

    static constexpr int kMaxInFlight = 4;
    static constexpr int kAttempts = 6;
    static constexpr int kLongestInternalWaitSeconds = 30;

    GraphApi(const QUrl &apiBase, std::shared_ptr<RequestBudget> budget, int timeoutMs, QObject *parent = nullptr);
    ~GraphApi() override;

    void setAccessToken(const QByteArray &token) { m_token = token; }
    // Body type of messages: true for text, false for HTML (the default).
    void setTextBodies(bool text) { m_textBodies = text; }
    // Extra Prefer preferences for the calls that follow ("odata.maxpagesize=50").
    void setExtraPreference(const QByteArray &preference) { m_extraPrefer = preference; }

    // `path` below the API base, with its query ("/me/mailFolders/inbox").
    void get(const QString &path, ReplyDone done);
    // An absolute URL Graph gave (a nextLink or deltaLink), sent as it is.
    void getUrl(const QUrl &url, ReplyDone done);
    // The URL for a path below the API base.
    QUrl urlFor(const QString &path) const;
    // True for a URL on the API's scheme, host and port (and below its path).
    bool onApiOrigin(const QUrl &url) const;

    qint64 bytesRead() const { return m_bytes; }
    // Drops every request in flight or waiting; no callback runs afterwards.
    void abandon();

private:
    struct Call;
    void stageBudget(std::shared_ptr<Call> call);
    void stageSlot(std::shared_ptr<Call> call);
    void issue(std::shared_ptr<Call> call);
    void finished(std::shared_ptr<Call> call, QNetworkReply *reply);

    QUrl m_base;
    std::shared_ptr<RequestBudget> m_budget;
    int m_timeoutMs;
    QNetworkAccessManager *m_nam;
    QByteArray m_token;
    QByteArray m_extraPrefer;
    bool m_textBodies = false;
    qint64 m_bytes = 0;
    quint64 m_generation = 0;
    QSet<quint64> m_tickets; // waits for a slot in the budget
    QSet<QNetworkReply *> m_inFlight; // each holds a slot of the budget
};

} // namespace Lookback
