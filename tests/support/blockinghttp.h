// Raw HTTP for the fakes' own tests (tst_googlefake, tst_microsoftfake): a
// blocking client on the test thread that does not follow redirects, the
// app's loopback redirect listener, and the PKCE challenge of a verifier.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPair>
#include <QString>
#include <QTcpServer>
#include <QUrl>

namespace Lookback::Test {

using RawHeaders = QList<QPair<QByteArray, QByteArray>>;

// What a server answered (status 0: no answer within the wait).
struct HttpAnswer
{
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;
    QByteArray header(const QByteArray &name) const; // the first, case-insensitive; "" when absent
    QJsonObject json() const;
};

// Thread: the test's; each call spins a local event loop until its answer.
class BlockingHttp
{
public:
    BlockingHttp(); // no proxy

    QNetworkRequest request(const QUrl &url, const RawHeaders &headers) const;
    static HttpAnswer answerOf(QNetworkReply *reply); // and deletes it later
    HttpAnswer send(const QByteArray &method, const QUrl &url, const QByteArray &body = QByteArray(),
                    const RawHeaders &headers = {});
    // POST application/x-www-form-urlencoded.
    HttpAnswer form(const QUrl &url, const RawHeaders &fields);
    QNetworkAccessManager &nam() { return m_nam; }

private:
    QNetworkAccessManager m_nam;
};

// A loopback listener standing in for the app's redirect handler: answers 200
// and remembers the first request line it got.
class RedirectListener : public QTcpServer
{
public:
    explicit RedirectListener(const QString &path);
    QByteArray requestLine;
    QString redirectUri() const; // http://127.0.0.1:<port><path>

private:
    QString m_path;
};

// RFC 7636 §4.2: BASE64URL(SHA256(verifier)), no padding.
QString pkceChallenge(const QString &verifier);

} // namespace Lookback::Test
