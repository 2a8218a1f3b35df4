#include "fakehttp.h"

#include <QAbstractHttpServer>
#include <QHostAddress>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QPointer>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>

namespace Lookback::Test::FakeHttp {

QByteArray Request::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return QByteArray();
}

QList<QByteArray> Request::headerValues(const QByteArray &name) const
{
    QList<QByteArray> values;
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            values << h.second;
    }
    return values;
}

QString Form::value(const QString &name) const
{
    return paramValue(parameters, name);
}

bool Form::has(const QString &name) const
{
    return hasParam(parameters, name);
}

Params parseForm(const QByteArray &encoded)
{
    Params params;
    for (const QByteArray &pair : encoded.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        QByteArray name = eq < 0 ? pair : pair.left(eq);
        QByteArray value = eq < 0 ? QByteArray() : pair.mid(eq + 1);
        name.replace('+', ' ');
        value.replace('+', ' ');
        params << qMakePair(QString::fromUtf8(QByteArray::fromPercentEncoding(name)),
                            QString::fromUtf8(QByteArray::fromPercentEncoding(value)));
    }
    return params;
}

QString paramValue(const Params &params, const QString &name)
{
    for (const auto &p : params) {
        if (p.first == name)
            return p.second;
    }
    return QString();
}

bool hasParam(const Params &params, const QString &name)
{
    return std::any_of(params.begin(), params.end(), [&](const auto &p) { return p.first == name; });
}

QString duplicateParam(const Params &params)
{
    QSet<QString> seen;
    for (const auto &p : params) {
        if (seen.contains(p.first))
            return p.first;
        seen.insert(p.first);
    }
    return QString();
}

QString randomString(int length, const char *alphabet)
{
    const int size = int(qstrlen(alphabet));
    QString out;
    out.reserve(length);
    for (int i = 0; i < length; ++i)
        out += QLatin1Char(alphabet[QRandomGenerator::global()->bounded(size)]);
    return out;
}

bool isValidVerifier(const QString &verifier)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9\\-._~]{43,128}$"));
    return re.match(verifier).hasMatch();
}

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get: return "GET";
    case QHttpServerRequest::Method::Post: return "POST";
    case QHttpServerRequest::Method::Put: return "PUT";
    case QHttpServerRequest::Method::Delete: return "DELETE";
    case QHttpServerRequest::Method::Patch: return "PATCH";
    default: return "OTHER";
    }
}

class Server : public QAbstractHttpServer
{
public:
    // Each callback runs with `guard` (the fake's mutex; may be null) held.
    Server(QMutex *guard, Host::Answer answer, Host::Delay delay, Host::Written written)
        : m_guard(guard)
        , m_answer(std::move(answer))
        , m_delay(std::move(delay))
        , m_written(std::move(written))
    {
    }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        Request req;
        req.method = methodName(request.method());
        req.url = request.url();
        req.headers = request.headers();
        req.body = request.body();
        const Reply reply = [&] {
            QMutexLocker lock(m_guard);
            return m_answer(req);
        }();

        QPointer<QTcpSocket> guard(socket);
        auto responder = std::make_shared<QHttpServerResponder>(makeResponder(request, socket));
        auto send = [this, guard, responder, reply] {
            if (guard && guard->state() == QAbstractSocket::ConnectedState) {
                QHttpServerResponse response(reply.contentType, reply.body,
                                             QHttpServerResponse::StatusCode(reply.status));
                for (const auto &h : reply.headers)
                    response.addHeader(h.first, h.second);
                response.write(std::move(*responder));
            }
            if (m_written) {
                QMutexLocker lock(m_guard);
                m_written(reply);
            }
        };
        const int delayMs = reply.immediate ? 0 : reply.delayMs >= 0 ? reply.delayMs : defaultDelayMs();
        if (delayMs > 0) {
            // On a timer, not a nested event loop (which would hold an earlier
            // answer until every later one had gone out).
            QTimer::singleShot(delayMs, Qt::PreciseTimer, this, send);
        } else {
            send();
        }
        return true;
    }
    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override {}

private:
    int defaultDelayMs() const
    {
        if (!m_delay)
            return 0;
        QMutexLocker lock(m_guard);
        return m_delay();
    }

    QMutex *m_guard;
    Host::Answer m_answer;
    Host::Delay m_delay;
    Host::Written m_written;
};

} // namespace

struct Host::Private
{
    QString threadName;
    std::atomic<quint16> port{0};
    QThread *thread = nullptr;
    QObject *home = nullptr;  // on `thread`, deleted when it finishes
    Server *server = nullptr; // on `thread`, a child of `home`
};

Host::Host(const QString &threadName)
    : d(std::make_unique<Private>())
{
    d->threadName = threadName;
}

Host::~Host()
{
    stop();
}

bool Host::running() const
{
    return d->thread != nullptr;
}

bool Host::start(QMutex *guard, Answer answer, Delay delay, Written written, QString *error)
{
    if (d->thread) {
        if (error)
            *error = QStringLiteral("%1 is already running").arg(d->threadName);
        return false;
    }
    d->thread = new QThread;
    d->thread->setObjectName(d->threadName);
    d->home = new QObject;
    d->home->moveToThread(d->thread);
    QObject::connect(d->thread, &QThread::finished, d->home, &QObject::deleteLater);
    d->thread->start();
    Private *p = d.get();
    quint16 port = 0;
    // Made, listening and answering on its own thread.
    QMetaObject::invokeMethod(d->home, [&] {
        p->server = new Server(guard, std::move(answer), std::move(delay), std::move(written));
        p->server->setParent(p->home);
        port = p->server->listen(QHostAddress::LocalHost, 0);
    }, Qt::BlockingQueuedConnection);
    if (port == 0) {
        if (error)
            *error = QStringLiteral("%1 cannot listen on 127.0.0.1").arg(d->threadName);
        stop();
        return false;
    }
    d->port = port;
    return true;
}

quint16 Host::port() const
{
    return d->port;
}

void Host::stop()
{
    if (!d->thread)
        return;
    Private *p = d.get();
    if (p->server) {
        // It stops listening here; it goes, with the answers still waiting on
        // its timers, when `home` is deleted as the thread finishes.
        QMetaObject::invokeMethod(p->server, [p] {
            for (QTcpServer *listener : p->server->servers())
                listener->close();
            p->server = nullptr;
        }, Qt::BlockingQueuedConnection);
    }
    d->thread->quit();
    d->thread->wait();
    delete d->thread;
    d->thread = nullptr;
    d->home = nullptr;
    d->port = 0;
}

} // namespace Lookback::Test::FakeHttp
