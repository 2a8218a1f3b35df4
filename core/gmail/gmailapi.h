#pragma once

#include "common/syncerror.h"
#include "source/httpreply.h"

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>
#include <QVector>
#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace Lookback {

class RequestBudget;

namespace Gmail {

// One answer of the API: a call alone, or one part of a batch.
using Reply = HttpReply;

// What went wrong with an answer, by PROVIDERS.md 2.4:
//   401                                   AuthExpired (the caller refreshes once first)
//   429, 403 rate/userRateLimitExceeded   Throttled, with Retry-After when given
//   403 insufficientPermissions           PermissionDenied (never retried)
//   403 dailyLimitExceeded                Throttled for an hour
//   5xx                                   Network (transient)
//   anything else                         Protocol, with Google's message
SyncError errorFor(const Reply &reply);
// True for a refusal that is only a matter of waiting (retried with backoff).
bool isRateLimited(const Reply &reply);
// The Retry-After header in seconds (a number or an HTTP date); -1 if none.
using Lookback::retryAfterSeconds;

// The batch request body (multipart/mixed, one application/http GET per path,
// Content-ID "<n>") and its answer, parsed back into one Reply per call in the
// order asked. The answer's parts are matched by "response-<n>" when Google
// echoes the ids, by position otherwise.
QByteArray batchBody(const QStringList &paths, const QByteArray &boundary);
bool parseBatch(const QByteArray &contentType, const QByteArray &body, int expected, QVector<Reply> *replies,
                QString *why);

} // namespace Gmail

// HTTP to the Gmail API with a bearer token, inside the account's request
// budget: every call waits for its units (list 5, get 5, profile 1, labels 1;
// PROVIDERS.md 2.4) before it is sent, so the account stays under its
// per-user quota instead of being refused. Only GETs of the account's own
// resources and batches of them to /batch/gmail/v1; nothing else is ever sent.
//
// Thread: the sync task's (its own QNetworkAccessManager). Owner: GmailSource.
class GmailApi : public QObject
{
    Q_OBJECT
public:
    using ReplyDone = std::function<void(const Gmail::Reply &)>;
    using BatchDone = std::function<void(const SyncError &transport, const QVector<Gmail::Reply> &parts)>;

    // The largest batch sent (Google: "larger than 50 is not recommended").
    static constexpr int kMaxBatch = 50;
    // Units per call (PROVIDERS.md 2.4).
    static constexpr int kCostList = 5;
    static constexpr int kCostGet = 5;
    static constexpr int kCostProfile = 1;
    static constexpr int kCostLabel = 1;

    GmailApi(const QUrl &apiBase, std::shared_ptr<RequestBudget> budget, int timeoutMs, QObject *parent = nullptr);

    void setAccessToken(const QByteArray &token) { m_token = token; }
    // `path` below the API base, with its query: "/gmail/v1/users/me/profile".
    void get(const QString &path, int cost, ReplyDone done);
    // At most kMaxBatch GETs in one request; `done` gets one Reply per path.
    void batch(const QStringList &paths, int costEach, BatchDone done);
    // Bytes read from the API so far.
    qint64 bytesRead() const { return m_bytes; }
    // Drops every request in flight or waiting; no callback runs afterwards.
    void abandon();

private:
    void send(std::function<QNetworkReply *()> start, std::function<void(QNetworkReply *)> finished, int cost);
    QUrl urlFor(const QString &path) const;

    QUrl m_base;
    std::shared_ptr<RequestBudget> m_budget;
    int m_timeoutMs;
    QNetworkAccessManager *m_nam;
    QByteArray m_token;
    qint64 m_bytes = 0;
    quint64 m_generation = 0;
};

} // namespace Lookback
