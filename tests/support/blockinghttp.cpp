#include "blockinghttp.h"

#include <QCryptographicHash>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkProxy>
#include <QTcpSocket>
#include <QTimer>

namespace Lookback::Test {

QByteArray HttpAnswer::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return QByteArray();
}

QJsonObject HttpAnswer::json() const
{
    return QJsonDocument::fromJson(body).object();
}

BlockingHttp::BlockingHttp()
{
    m_nam.setProxy(QNetworkProxy::NoProxy);
}

QNetworkRequest BlockingHttp::request(const QUrl &url, const RawHeaders &headers) const
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    for (const auto &h : headers)
        request.setRawHeader(h.first, h.second);
    return request;
}

HttpAnswer BlockingHttp::answerOf(QNetworkReply *reply)
{
    HttpAnswer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    answer.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return answer;
}

HttpAnswer BlockingHttp::send(const QByteArray &method, const QUrl &url, const QByteArray &body,
                              const RawHeaders &headers)
{
    const QNetworkRequest req = request(url, headers);
    QNetworkReply *reply = method == "GET" ? m_nam.get(req) : m_nam.sendCustomRequest(req, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    return answerOf(reply);
}

HttpAnswer BlockingHttp::form(const QUrl &url, const RawHeaders &fields)
{
    QByteArray body;
    for (const auto &f : fields)
        body += (body.isEmpty() ? "" : "&") + QUrl::toPercentEncoding(QString::fromUtf8(f.first)) + '='
            + QUrl::toPercentEncoding(QString::fromUtf8(f.second));
    return send("POST", url, body, {{"Content-Type", "application/x-www-form-urlencoded"}});
}

RedirectListener::RedirectListener(const QString &path)
    : m_path(path)
{
    listen(QHostAddress::LocalHost, 0);
    connect(this, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = nextPendingConnection()) {
            connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                const QByteArray data = socket->readAll();
                if (requestLine.isEmpty())
                    requestLine = data.left(data.indexOf("\r\n"));
                socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
                socket->disconnectFromHost();
            });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
}

QString RedirectListener::redirectUri() const
{
    return QStringLiteral("http://127.0.0.1:%1%2").arg(serverPort()).arg(m_path);
}

QString pkceChallenge(const QString &verifier)
{
    return QString::fromLatin1(QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256)
                                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace Lookback::Test
