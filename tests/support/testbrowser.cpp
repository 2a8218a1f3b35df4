#include "testbrowser.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>
#include <QUrlQuery>

// Only QtCore and QtNetwork here: lookback-test-browser compiles this file too.

namespace Lookback::Test {

namespace {

constexpr int kMaxRedirects = 5;

// The app's redirect target as announced in the authorization URL, if any.
QUrl announcedRedirect(const QUrl &url)
{
    const QString value = QUrlQuery(url).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded);
    return value.isEmpty() ? QUrl() : QUrl(value);
}

bool sameEndpoint(const QUrl &a, const QUrl &b)
{
    return a.scheme() == b.scheme() && a.host() == b.host() && a.port(80) == b.port(80)
        && (a.path().isEmpty() ? QStringLiteral("/") : a.path()) == (b.path().isEmpty() ? QStringLiteral("/") : b.path());
}

bool isLoopbackHttp(const QUrl &url)
{
    return url.scheme() == QLatin1String("http") && url.host() == QLatin1String("127.0.0.1");
}

} // namespace

bool followAuthorization(const QUrl &url, QString *error, QVector<BrowserHop> *hops, int hopTimeoutMs)
{
    QNetworkAccessManager nam;
    nam.setProxy(QNetworkProxy::NoProxy); // everything here is on loopback
    const QUrl redirectTarget = announcedRedirect(url);
    QUrl current = url;
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };

    for (int hop = 0; hop <= kMaxRedirects; ++hop) {
        QNetworkRequest request(current);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("lookback-test-browser"));
        QPointer<QNetworkReply> reply = nam.get(request);
        QEventLoop loop;
        QTimer timer;
        timer.setSingleShot(true);
        QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
        QObject::connect(reply.data(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
        timer.start(hopTimeoutMs);
        if (!reply->isFinished())
            loop.exec();

        BrowserHop record;
        record.url = current;
        if (!reply->isFinished()) {
            reply->abort();
            record.error = QStringLiteral("no answer within %1 ms").arg(hopTimeoutMs);
        } else {
            record.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (record.status == 0)
                record.error = reply->errorString();
        }
        const QByteArray location = reply->rawHeader("Location");
        reply->deleteLater();
        if (hops)
            hops->append(record);
        if (record.status == 0)
            return fail(QStringLiteral("GET %1: %2").arg(current.toString(), record.error));

        // The app's listener has answered: the browser's part is done.
        const bool atApp = hop > 0
            && (redirectTarget.isValid() ? sameEndpoint(current, redirectTarget) : isLoopbackHttp(current));
        const bool redirect = record.status >= 300 && record.status < 400 && !location.isEmpty();
        if (atApp || !redirect) {
            if (record.status >= 200 && record.status < 300) {
                if (error)
                    error->clear();
                return true;
            }
            return fail(QStringLiteral("GET %1 answered %2").arg(current.toString()).arg(record.status));
        }
        // Keep the Location's own encoding: "code=4%2F0A..." must reach the app as sent.
        current = current.resolved(QUrl::fromEncoded(location));
    }
    return fail(QStringLiteral("more than %1 redirects, last to %2").arg(kMaxRedirects).arg(current.toString()));
}

} // namespace Lookback::Test
