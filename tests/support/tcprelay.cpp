#include "tcprelay.h"

#include <QAtomicInt>
#include <QHostAddress>
#include <QMetaObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

namespace Lookback::Test {

struct TcpRelay::Private
{
    SessionFactory factory;
    QThread *thread = nullptr;
    QObject *home = nullptr; // on the relay thread: parent of the server and every session
    quint16 port = 0;
    QAtomicInt connections = 0;
};

TcpRelay::TcpRelay(SessionFactory factory)
    : d(std::make_unique<Private>())
{
    d->factory = std::move(factory);
}

TcpRelay::~TcpRelay()
{
    stop();
}

quint16 TcpRelay::port() const
{
    return d->port;
}

int TcpRelay::connections() const
{
    return d->connections.loadAcquire();
}

void TcpRelay::runOnThread(const std::function<void()> &fn) const
{
    if (!d->thread || !d->thread->isRunning())
        return;
    if (QThread::currentThread() == d->thread)
        fn();
    else
        QMetaObject::invokeMethod(d->home, fn, Qt::BlockingQueuedConnection);
}

bool TcpRelay::start(const QString &upstreamHost, quint16 upstreamPort, QString *error)
{
    if (d->thread)
        return true;
    d->thread = new QThread;
    d->thread->setObjectName(QStringLiteral("tcprelay"));
    d->home = new QObject;
    d->home->moveToThread(d->thread);
    QObject::connect(d->thread, &QThread::finished, d->home, &QObject::deleteLater);
    d->thread->start();
    QString listenError;
    Private *p = d.get();
    runOnThread([p, upstreamHost, upstreamPort, &listenError] {
        auto *server = new QTcpServer(p->home);
        if (!server->listen(QHostAddress::LocalHost, 0)) {
            listenError = server->errorString();
            return;
        }
        p->port = server->serverPort();
        QObject::connect(server, &QTcpServer::newConnection, server, [p, server, upstreamHost, upstreamPort] {
            while (QTcpSocket *client = server->nextPendingConnection()) {
                client->setParent(p->home);
                const int index = p->connections.fetchAndAddOrdered(1);
                auto *upstream = new QTcpSocket(p->home);
                QPointer<QTcpSocket> guardClient(client);
                QObject::connect(upstream, &QTcpSocket::connected, p->home, [p, client, upstream, index, guardClient] {
                    QObject::disconnect(upstream, nullptr, p->home, nullptr);
                    if (!guardClient) {
                        upstream->deleteLater();
                        return;
                    }
                    QObject *session = p->factory(client, upstream, index);
                    if (session && !session->parent())
                        session->setParent(p->home);
                });
                QObject::connect(upstream, &QTcpSocket::errorOccurred, p->home, [p, upstream, guardClient] {
                    // Not reachable: the client sees its connection closed.
                    QObject::disconnect(upstream, nullptr, p->home, nullptr);
                    if (guardClient)
                        guardClient->deleteLater();
                    upstream->deleteLater();
                });
                upstream->connectToHost(upstreamHost, upstreamPort);
            }
        });
    });
    if (!listenError.isEmpty()) {
        if (error)
            *error = QStringLiteral("relay cannot listen: %1").arg(listenError);
        stop();
        return false;
    }
    return true;
}

void TcpRelay::stop()
{
    if (!d->thread)
        return;
    Private *p = d.get();
    runOnThread([p] {
        // Sessions, their sockets and the server: all children of home.
        QList<QPointer<QObject>> children;
        for (QObject *child : p->home->children())
            children << child;
        for (const QPointer<QObject> &child : children)
            delete child.data();
    });
    d->thread->quit();
    d->thread->wait();
    delete d->thread;
    d->thread = nullptr;
    d->home = nullptr; // deleted by the thread's finished signal
}

} // namespace Lookback::Test
