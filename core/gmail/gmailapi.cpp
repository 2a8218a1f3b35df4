#include "gmailapi.h"

#include "auth/requestbudget.h"
#include "common/logging.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTimer>

namespace Lookback {

namespace Gmail {

namespace {

constexpr qint64 kMaxReplyBytes = 128ll * 1024 * 1024;

QString tr(const char *text)
{
    return QCoreApplication::translate("Gmail", text);
}

QString reasonOf(const QJsonObject &error)
{
    const QJsonArray errors = error.value(QLatin1String("errors")).toArray();
    return errors.isEmpty() ? QString() : errors.first().toObject().value(QLatin1String("reason")).toString();
}

QString messageOf(const QJsonObject &error)
{
    return error.value(QLatin1String("message")).toString().left(300).simplified();
}

} // namespace

bool isRateLimited(const Reply &reply)
{
    if (reply.status == 429)
        return true;
    if (reply.status != 403)
        return false;
    const QString reason = reasonOf(reply.json().value(QLatin1String("error")).toObject());
    return reason == QLatin1String("userRateLimitExceeded") || reason == QLatin1String("rateLimitExceeded");
}

SyncError errorFor(const Reply &reply)
{
    const QJsonObject error = reply.json().value(QLatin1String("error")).toObject();
    const QString reason = reasonOf(error);
    const QString message = messageOf(error);
    if (reply.status == 401)
        return SyncError::make(ErrorCategory::AuthExpired,
                               tr("Google refused the sign-in (%1)").arg(message.isEmpty() ? tr("HTTP 401") : message));
    if (isRateLimited(reply)) {
        SyncError e = SyncError::make(ErrorCategory::Throttled, tr("Gmail asked Lookback to slow down"));
        e.retryAfterSeconds = retryAfterSeconds(reply.retryAfter);
        return e;
    }
    if (reply.status == 403 && reason == QLatin1String("dailyLimitExceeded")) {
        SyncError e = SyncError::make(ErrorCategory::Throttled, tr("Gmail's daily limit for this account is used up"));
        e.retryAfterSeconds = 3600;
        return e;
    }
    if (reply.status == 403)
        return SyncError::make(ErrorCategory::PermissionDenied,
                               tr("Gmail no longer lets Lookback read this mailbox (%1)")
                                   .arg(message.isEmpty() ? reason : message));
    if (reply.status >= 500 || reply.status == 0)
        return SyncError::make(ErrorCategory::Network, tr("Gmail is not answering (HTTP %1)").arg(reply.status));
    return SyncError::make(ErrorCategory::Protocol, tr("Gmail refused a request (HTTP %1: %2)")
                                                        .arg(reply.status)
                                                        .arg(message.isEmpty() ? tr("no reason given") : message));
}

QByteArray batchBody(const QStringList &paths, const QByteArray &boundary)
{
    QByteArray out;
    for (int i = 0; i < paths.size(); ++i) {
        out += "--" + boundary + "\r\n";
        out += "Content-Type: application/http\r\n";
        out += "Content-ID: <" + QByteArray::number(i) + ">\r\n\r\n";
        out += "GET " + paths.at(i).toUtf8() + "\r\n\r\n";
    }
    out += "--" + boundary + "--\r\n";
    return out;
}

namespace {

QByteArray boundaryOf(const QByteArray &contentType)
{
    const int at = contentType.toLower().indexOf("boundary=");
    if (at < 0)
        return {};
    QByteArray b = contentType.mid(at + 9);
    const int semi = b.indexOf(';');
    if (semi >= 0)
        b.truncate(semi);
    b = b.trimmed();
    if (b.size() >= 2 && b.startsWith('"') && b.endsWith('"'))
        b = b.mid(1, b.size() - 2);
    return b;
}

// Splits "headers CRLF CRLF body" (LF alone accepted).
bool splitHead(const QByteArray &text, QByteArray *head, QByteArray *body)
{
    int at = text.indexOf("\r\n\r\n");
    int skip = 4;
    const int lf = text.indexOf("\n\n");
    if (at < 0 || (lf >= 0 && lf < at)) {
        at = lf;
        skip = 2;
    }
    if (at < 0) {
        *head = text;
        body->clear();
        return false;
    }
    *head = text.left(at);
    *body = text.mid(at + skip);
    return true;
}

QByteArray headerIn(const QByteArray &head, const QByteArray &name)
{
    for (const QByteArray &line : head.split('\n')) {
        const int colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == name)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

} // namespace

bool parseBatch(const QByteArray &contentType, const QByteArray &body, int expected, QVector<Reply> *replies,
                QString *why)
{
    const QByteArray boundary = boundaryOf(contentType);
    if (boundary.isEmpty()) {
        *why = tr("Gmail's batch answer has no boundary");
        return false;
    }
    const QByteArray delimiter = "--" + boundary;
    QVector<Reply> byPosition;
    QVector<Reply> byId(expected);
    QVector<bool> haveId(expected, false);
    int from = body.indexOf(delimiter);
    while (from >= 0) {
        from += delimiter.size();
        if (body.mid(from, 2) == "--")
            break;
        const int next = body.indexOf(delimiter, from);
        if (next < 0)
            break;
        const QByteArray part = body.mid(from, next - from).trimmed();
        from = next;
        QByteArray partHead, http;
        splitHead(part, &partHead, &http);
        QByteArray innerHead, innerBody;
        splitHead(http, &innerHead, &innerBody);
        const int eol = innerHead.indexOf('\n');
        const QList<QByteArray> statusLine = (eol < 0 ? innerHead : innerHead.left(eol)).trimmed().split(' ');
        Reply r;
        r.status = statusLine.size() >= 2 ? statusLine.at(1).toInt() : 0;
        r.body = innerBody;
        r.retryAfter = headerIn(innerHead, "retry-after");
        byPosition << r;
        QByteArray id = headerIn(partHead, "content-id");
        id.replace('<', "").replace('>', "");
        if (id.startsWith("response-")) {
            bool ok = false;
            const int n = id.mid(9).toInt(&ok);
            if (ok && n >= 0 && n < expected && !haveId.at(n)) {
                byId[n] = r;
                haveId[n] = true;
            }
        }
    }
    if (byPosition.size() != expected) {
        *why = tr("Gmail's batch answer has %1 parts for %2 requests").arg(byPosition.size()).arg(expected);
        return false;
    }
    const bool allIds = std::all_of(haveId.cbegin(), haveId.cend(), [](bool b) { return b; });
    *replies = allIds ? byId : byPosition;
    return true;
}

} // namespace Gmail

GmailApi::GmailApi(const QUrl &apiBase, std::shared_ptr<RequestBudget> budget, int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_base(apiBase)
    , m_budget(std::move(budget))
    , m_timeoutMs(timeoutMs)
    , m_nam(new QNetworkAccessManager(this))
{
    m_nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

QUrl GmailApi::urlFor(const QString &path) const
{
    QString base = m_base.toString(QUrl::FullyEncoded);
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return QUrl(base + path, QUrl::StrictMode);
}

void GmailApi::abandon()
{
    ++m_generation;
}

void GmailApi::send(std::function<QNetworkReply *()> start, std::function<void(QNetworkReply *)> finished, int cost)
{
    const qint64 wait = m_budget ? m_budget->reserve(cost) : 0;
    const quint64 gen = m_generation;
    auto go = [this, gen, start, finished] {
        if (gen != m_generation)
            return;
        QNetworkReply *reply = start();
        connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
            if (received > Gmail::kMaxReplyBytes)
                reply->abort();
        });
        connect(reply, &QNetworkReply::finished, this, [this, gen, reply, finished] {
            reply->deleteLater();
            if (gen != m_generation)
                return;
            finished(reply);
        });
    };
    if (wait <= 0)
        go();
    else
        QTimer::singleShot(int(std::min<qint64>(wait, 24 * 3600 * 1000)), Qt::PreciseTimer, this, go);
}

namespace {

Gmail::Reply readReply(QNetworkReply *reply, qint64 *bytes)
{
    Gmail::Reply r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.retryAfter = reply->rawHeader("Retry-After");
    *bytes += r.body.size();
    if (r.status == 0)
        qCInfo(lcSync) << "gmail request failed:" << reply->errorString();
    return r;
}

} // namespace

void GmailApi::get(const QString &path, int cost, ReplyDone done)
{
    const QUrl url = urlFor(path);
    send([this, url] {
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer " + m_token);
        request.setRawHeader("Accept", "application/json");
        request.setTransferTimeout(m_timeoutMs);
        return m_nam->get(request);
    }, [this, done](QNetworkReply *reply) {
        Gmail::Reply r = readReply(reply, &m_bytes);
        if (r.status == 0)
            r.body = reply->errorString().toUtf8();
        done(r);
    }, cost);
}

void GmailApi::batch(const QStringList &paths, int costEach, BatchDone done)
{
    Q_ASSERT(!paths.isEmpty() && paths.size() <= kMaxBatch);
    const QByteArray boundary = "lookback_" + QByteArray::number(QRandomGenerator::system()->generate64(), 36);
    const QByteArray body = Gmail::batchBody(paths, boundary);
    const int count = int(paths.size());
    send([this, boundary, body] {
        QNetworkRequest request(urlFor(QStringLiteral("/batch/gmail/v1")));
        request.setRawHeader("Authorization", "Bearer " + m_token);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("multipart/mixed; boundary=" + boundary));
        request.setTransferTimeout(m_timeoutMs);
        return m_nam->post(request, body);
    }, [this, done, count](QNetworkReply *reply) {
        const Gmail::Reply whole = readReply(reply, &m_bytes);
        if (whole.status == 0) {
            done(SyncError::make(ErrorCategory::Network,
                                 Gmail::tr("Lost the connection to Gmail: %1").arg(reply->errorString())),
                 {});
            return;
        }
        if (!whole.ok()) {
            // The batch itself was refused: every call in it gets that answer.
            done(SyncError(), QVector<Gmail::Reply>(count, whole));
            return;
        }
        QVector<Gmail::Reply> parts;
        QString why;
        if (!Gmail::parseBatch(reply->header(QNetworkRequest::ContentTypeHeader).toByteArray(), whole.body, count,
                               &parts, &why)) {
            done(SyncError::make(ErrorCategory::Protocol, why), {});
            return;
        }
        done(SyncError(), parts);
    }, costEach * count);
}

} // namespace Lookback
