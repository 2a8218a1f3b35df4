#include "graphapi.h"

#include "auth/requestbudget.h"
#include "common/logging.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTimer>

namespace Lookback {

namespace Graph {

namespace {

constexpr qint64 kMaxReplyBytes = 64ll * 1024 * 1024;

QString tr(const char *text)
{
    return QCoreApplication::translate("Graph", text);
}

QString messageOf(const Reply &reply)
{
    return reply.json().value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString().left(300).simplified();
}

} // namespace

QString errorCode(const Reply &reply)
{
    return reply.json().value(QLatin1String("error")).toObject().value(QLatin1String("code")).toString().left(100);
}

bool isRetryable(const Reply &reply)
{
    return reply.status == 429 || reply.status == 503 || reply.status == 504 || reply.status == 500
        || reply.status == 502;
}

SyncError errorFor(const Reply &reply)
{
    const QString code = errorCode(reply);
    const QString message = messageOf(reply);
    const QString said = message.isEmpty() ? code : message;
    if (reply.status == 401)
        return SyncError::make(ErrorCategory::AuthExpired,
                               tr("Microsoft refused the sign-in (%1)").arg(said.isEmpty() ? tr("HTTP 401") : said));
    if (reply.status == 403)
        return SyncError::make(ErrorCategory::PermissionDenied,
                               tr("Microsoft no longer lets Lookback read this mailbox (%1)")
                                   .arg(said.isEmpty() ? tr("HTTP 403") : said));
    if (reply.status == 429 || reply.status == 503) {
        SyncError e = SyncError::make(ErrorCategory::Throttled, tr("Microsoft asked Lookback to slow down"));
        e.retryAfterSeconds = retryAfterSeconds(reply.retryAfter);
        return e;
    }
    if (reply.status == 0 || reply.status >= 500)
        return SyncError::make(ErrorCategory::Network,
                               reply.status == 0 ? tr("Cannot reach Microsoft Graph: %1").arg(QString::fromUtf8(reply.body).left(200))
                                                 : tr("Microsoft Graph is not answering (HTTP %1)").arg(reply.status));
    if (reply.status == 404)
        return SyncError::make(ErrorCategory::Protocol,
                               tr("Microsoft Graph does not know that mailbox or folder (%1)")
                                   .arg(said.isEmpty() ? tr("HTTP 404") : said));
    return SyncError::make(ErrorCategory::Protocol, tr("Microsoft Graph refused a request (HTTP %1: %2)")
                                                        .arg(reply.status)
                                                        .arg(said.isEmpty() ? tr("no reason given") : said));
}

} // namespace Graph

struct GraphApi::Call
{
    QUrl url;
    ReplyDone done;
    int attempt = 0;
    bool charged = false;
    quint64 generation = 0;
};

GraphApi::GraphApi(const QUrl &apiBase, std::shared_ptr<RequestBudget> budget, int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_base(apiBase)
    , m_budget(std::move(budget))
    , m_timeoutMs(timeoutMs)
    , m_nam(new QNetworkAccessManager(this))
{
    m_nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

GraphApi::~GraphApi()
{
    abandon();
    // Requests still out give their slots back now; their answers are not read.
    for (QNetworkReply *reply : std::as_const(m_inFlight)) {
        disconnect(reply, nullptr, this, nullptr);
        if (m_budget)
            m_budget->release();
        reply->abort();
    }
    m_inFlight.clear();
}

QUrl GraphApi::urlFor(const QString &path) const
{
    QUrl url = m_base;
    const int q = path.indexOf(QLatin1Char('?'));
    QString basePath = url.path();
    while (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    url.setPath(basePath + (q < 0 ? path : path.left(q)), QUrl::TolerantMode);
    if (q >= 0)
        url.setQuery(path.mid(q + 1), QUrl::TolerantMode);
    return url;
}

bool GraphApi::onApiOrigin(const QUrl &url) const
{
    if (url.scheme().compare(m_base.scheme(), Qt::CaseInsensitive) != 0
        || url.host().compare(m_base.host(), Qt::CaseInsensitive) != 0)
        return false;
    const int defaultPort = m_base.scheme() == QLatin1String("https") ? 443 : 80;
    if (url.port(defaultPort) != m_base.port(defaultPort))
        return false;
    QString basePath = m_base.path();
    while (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    return url.path().startsWith(basePath + QLatin1Char('/'));
}

void GraphApi::get(const QString &path, ReplyDone done)
{
    auto call = std::make_shared<Call>();
    call->url = urlFor(path);
    call->done = std::move(done);
    call->generation = m_generation;
    stageBudget(call);
}

void GraphApi::getUrl(const QUrl &url, ReplyDone done)
{
    if (!onApiOrigin(url)) {
        Graph::Reply refused;
        refused.body = tr("Microsoft Graph pointed Lookback at another server (%1); refused")
                           .arg(url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemovePath))
                           .toUtf8();
        const quint64 gen = m_generation;
        QMetaObject::invokeMethod(this, [this, gen, done, refused] {
            if (gen == m_generation)
                done(refused);
        }, Qt::QueuedConnection);
        return;
    }
    auto call = std::make_shared<Call>();
    call->url = url;
    call->done = std::move(done);
    call->generation = m_generation;
    stageBudget(call);
}

void GraphApi::stageBudget(std::shared_ptr<Call> call)
{
    if (call->generation != m_generation)
        return;
    // One unit per request in the sliding window, charged once per attempt.
    qint64 wait = 0;
    if (m_budget && !call->charged) {
        wait = m_budget->reserve(1);
        call->charged = true;
    }
    if (m_budget)
        wait = std::max(wait, m_budget->blockedForMs());
    if (wait > 0) {
        QTimer::singleShot(int(std::min<qint64>(wait, 24 * 3600 * 1000)), Qt::PreciseTimer, this, [this, call] { stageBudget(call); });
        return;
    }
    stageSlot(call);
}

void GraphApi::stageSlot(std::shared_ptr<Call> call)
{
    if (call->generation != m_generation)
        return;
    if (m_budget) {
        // A Retry-After that came in while this call waited for its slot.
        if (const qint64 blocked = m_budget->blockedForMs(); blocked > 0) {
            QTimer::singleShot(int(blocked), Qt::PreciseTimer, this, [this, call] { stageSlot(call); });
            return;
        }
        if (!m_budget->tryAcquire()) {
            auto ticket = std::make_shared<quint64>(0);
            *ticket = m_budget->waitForSlot(this, [this, call, ticket] {
                m_tickets.remove(*ticket);
                stageSlot(call);
            });
            m_tickets.insert(*ticket);
            return;
        }
    }
    issue(call);
}

void GraphApi::issue(std::shared_ptr<Call> call)
{
    QNetworkRequest request(call->url);
    request.setRawHeader("Authorization", "Bearer " + m_token);
    request.setRawHeader("Accept", "application/json");
    // Every request: immutable ids (PROVIDERS.md 1.8), and the body type.
    QByteArray prefer = QByteArrayLiteral("IdType=\"ImmutableId\", outlook.body-content-type=\"")
        + (m_textBodies ? "text" : "html") + '"';
    if (!m_extraPrefer.isEmpty())
        prefer += ", " + m_extraPrefer;
    request.setRawHeader("Prefer", prefer);
    request.setTransferTimeout(m_timeoutMs);
    QNetworkReply *reply = m_nam->get(request);
    m_inFlight.insert(reply);
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > Graph::kMaxReplyBytes)
            reply->abort();
    });
    const quint64 gen = call->generation;
    connect(reply, &QNetworkReply::finished, this, [this, gen, call, reply] {
        reply->deleteLater();
        m_inFlight.remove(reply);
        if (m_budget)
            m_budget->release();
        if (gen != m_generation)
            return;
        finished(call, reply);
    });
}

void GraphApi::finished(std::shared_ptr<Call> call, QNetworkReply *reply)
{
    Graph::Reply r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.retryAfter = reply->rawHeader("Retry-After");
    m_bytes += r.body.size();
    if (r.status == 0) {
        qCInfo(lcSync) << "graph request failed:" << reply->errorString();
        r.body = reply->errorString().toUtf8();
    }
    if (Graph::isRetryable(r)) {
        const int given = retryAfterSeconds(r.retryAfter);
        qint64 waitMs;
        if (given >= 0) {
            waitMs = given * 1000ll;
        } else {
            // No Retry-After: exponential from one second, with up to as much again of jitter.
            waitMs = 1000ll << std::min(call->attempt, 5);
            waitMs += QRandomGenerator::global()->bounded(int(waitMs));
        }
        // Nothing is sent by any user of this sign-in's budget before then.
        if (m_budget && (r.status == 429 || r.status == 503))
            m_budget->blockFor(waitMs);
        if (++call->attempt < kAttempts && waitMs <= kLongestInternalWaitSeconds * 1000ll) {
            qCInfo(lcSync) << "graph answered" << r.status << Graph::errorCode(r) << "; again in" << waitMs << "ms";
            call->charged = false;
            QTimer::singleShot(int(waitMs), Qt::PreciseTimer, this, [this, call] { stageBudget(call); });
            return;
        }
        if (given < 0 && (r.status == 429 || r.status == 503))
            r.retryAfter = QByteArray::number((waitMs + 999) / 1000);
    }
    call->done(r);
}

void GraphApi::abandon()
{
    ++m_generation;
    if (m_budget) {
        for (quint64 t : std::as_const(m_tickets))
            m_budget->cancelWait(t);
    }
    m_tickets.clear();
}

} // namespace Lookback
