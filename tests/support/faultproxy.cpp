#include "faultproxy.h"

#include "tcprelay.h"

#include <QMutex>
#include <QMutexLocker>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace Lookback::Test {

namespace {

constexpr qint64 kChunk = 64 * 1024;
// Neither side reads more than this ahead, so a stall holds the server back
// through TCP instead of piling its data up here.
constexpr qint64 kReadBuffer = 256 * 1024;
// A server whose client was cut notices at last (as after a NAT timeout), so
// sessions do not pile up against the server's per-user connection limit.
constexpr int kCutLingerMs = 2000;

} // namespace

QString FaultProxy::Fault::describe() const
{
    switch (kind) {
    case Drop: return QStringLiteral("drop@%1").arg(atByte);
    case CutClient: return QStringLiteral("cut@%1").arg(atByte);
    case Stall:
        return stallMs < 0 ? QStringLiteral("stall-forever@%1").arg(atByte)
                           : QStringLiteral("stall%1ms@%2").arg(stallMs).arg(atByte);
    }
    return {};
}

struct FaultProxy::Private
{
    mutable QMutex mutex;
    QVector<Plan> plans;
    Plan thereafter;
    bool random = false;
    quint32 seed = 0;
    RandomSpec spec;
    QVector<ConnectionStats> stats; // by connection index
    std::unique_ptr<TcpRelay> relay;

    Plan planFor(int index) const
    {
        QMutexLocker lock(&mutex);
        Plan plan = random ? randomPlan(seed, index, spec) : index < plans.size() ? plans.at(index) : thereafter;
        std::stable_sort(plan.begin(), plan.end(), [](const Fault &a, const Fault &b) { return a.atByte < b.atByte; });
        return plan;
    }
    template<typename F>
    void update(int index, F f)
    {
        QMutexLocker lock(&mutex);
        if (stats.size() <= index)
            stats.resize(index + 1);
        f(stats[index]);
    }
};

namespace {

// One relayed connection; lives on the relay thread.
class FaultSession : public QObject
{
public:
    using Update = std::function<void(std::function<void(FaultProxy::ConnectionStats &)>)>;

    FaultSession(QTcpSocket *client, QTcpSocket *server, const FaultProxy::Plan &plan, Update update)
        : m_client(client)
        , m_server(server)
        , m_plan(plan)
        , m_update(std::move(update))
    {
        client->setParent(this);
        server->setParent(this);
        client->setReadBufferSize(kReadBuffer);
        server->setReadBufferSize(kReadBuffer);
        m_stallTimer.setSingleShot(true);
        connect(&m_stallTimer, &QTimer::timeout, this, [this] {
            m_stalled = false;
            pumpUp();
            pumpDown();
        });
        connect(server, &QTcpSocket::readyRead, this, &FaultSession::pumpDown);
        connect(client, &QTcpSocket::readyRead, this, &FaultSession::pumpUp);
        connect(server, &QTcpSocket::disconnected, this, [this] {
            m_serverGone = true;
            m_update([](FaultProxy::ConnectionStats &s) { s.serverOpen = false; });
            pumpDown(); // what the server sent before it closed still goes through, then the close
            maybeDone();
        });
        connect(client, &QTcpSocket::disconnected, this, [this] {
            m_clientGone = true;
            m_update([](FaultProxy::ConnectionStats &s) { s.clientOpen = false; });
            if (!m_cut)
                m_server->disconnectFromHost();
            maybeDone();
        });
        QStringList described;
        for (const FaultProxy::Fault &f : m_plan)
            described << f.describe();
        m_update([&](FaultProxy::ConnectionStats &s) {
            s.plan = described.join(QLatin1Char(' '));
            s.clientOpen = s.serverOpen = true;
        });
        pumpDown(); // a fault at byte 0 applies before anything is relayed
        pumpUp();
    }

private:
    void pumpUp()
    {
        if (m_stalled || m_clientGone || m_cut)
            return;
        const QByteArray data = m_client->readAll();
        if (data.isEmpty())
            return;
        m_server->write(data);
        m_update([n = data.size()](FaultProxy::ConnectionStats &s) { s.toServer += n; });
    }

    void pumpDown()
    {
        for (;;) {
            if (m_stalled || m_dropped)
                return;
            if (m_next < m_plan.size() && m_delivered >= m_plan.at(m_next).atByte) {
                apply(m_plan.at(m_next++));
                continue;
            }
            const qint64 room = m_next < m_plan.size() ? std::min(kChunk, m_plan.at(m_next).atByte - m_delivered) : kChunk;
            const QByteArray chunk = m_server->read(room);
            if (chunk.isEmpty())
                break;
            if (m_cut || m_clientGone)
                continue; // nobody to give it to
            m_client->write(chunk);
            m_delivered += chunk.size();
            m_update([n = chunk.size()](FaultProxy::ConnectionStats &s) { s.toClient += n; });
        }
        if (m_serverGone && !m_clientGone && !m_cut)
            m_client->disconnectFromHost();
        maybeDone();
    }

    void apply(const FaultProxy::Fault &f)
    {
        m_update([](FaultProxy::ConnectionStats &s) { ++s.faultsApplied; });
        switch (f.kind) {
        case FaultProxy::Fault::Drop:
            m_dropped = true;
            m_client->disconnectFromHost(); // after what was written, so the client gets exactly atByte
            m_server->disconnectFromHost();
            break;
        case FaultProxy::Fault::CutClient:
            m_cut = true;
            m_client->disconnectFromHost();
            QTimer::singleShot(kCutLingerMs, this, [s = QPointer<QTcpSocket>(m_server)] {
                if (s)
                    s->disconnectFromHost();
            });
            break;
        case FaultProxy::Fault::Stall:
            m_stalled = true;
            if (f.stallMs >= 0)
                m_stallTimer.start(f.stallMs);
            break;
        }
    }

    void maybeDone()
    {
        if (m_client->state() == QAbstractSocket::UnconnectedState && m_server->state() == QAbstractSocket::UnconnectedState)
            deleteLater();
    }

    QTcpSocket *m_client;
    QTcpSocket *m_server;
    FaultProxy::Plan m_plan;
    Update m_update;
    QTimer m_stallTimer;
    int m_next = 0;
    qint64 m_delivered = 0;
    bool m_stalled = false;
    bool m_dropped = false;
    bool m_cut = false;
    bool m_clientGone = false;
    bool m_serverGone = false;
};

} // namespace

FaultProxy::FaultProxy()
    : d(std::make_unique<Private>())
{
    Private *p = d.get();
    d->relay = std::make_unique<TcpRelay>([p](QTcpSocket *client, QTcpSocket *server, int index) -> QObject * {
        return new FaultSession(client, server, p->planFor(index), [p, index](std::function<void(ConnectionStats &)> f) {
            p->update(index, [&](ConnectionStats &s) {
                s.index = index;
                f(s);
            });
        });
    });
}

FaultProxy::~FaultProxy()
{
    stop();
}

bool FaultProxy::start(const QString &host, quint16 port, QString *error)
{
    return d->relay->start(host, port, error);
}

void FaultProxy::stop()
{
    d->relay->stop();
}

quint16 FaultProxy::port() const
{
    return d->relay->port();
}

void FaultProxy::setPlans(const QVector<Plan> &plans, const Plan &thereafter)
{
    QMutexLocker lock(&d->mutex);
    d->random = false;
    d->plans = plans;
    d->thereafter = thereafter;
}

void FaultProxy::setRandom(quint32 seed, const RandomSpec &spec)
{
    QMutexLocker lock(&d->mutex);
    d->random = true;
    d->seed = seed;
    d->spec = spec;
}

FaultProxy::Plan FaultProxy::randomPlan(quint32 seed, int index, const RandomSpec &spec)
{
    // Each connection index has a generator of its own: the plan does not
    // depend on how many draws earlier connections made.
    QRandomGenerator g(seed * 2654435761u + quint32(index) * 40503u + 1u);
    if (g.generateDouble() >= spec.faultChance)
        return {};
    Fault f;
    // Log-uniform: as many drops in the first kilobytes (TLS handshake, login,
    // a page's headers) as in the next hundreds (its bodies).
    const double low = std::log(double(std::max<qint64>(1, spec.minByte)));
    const double high = std::log(double(std::max(spec.maxByte, std::max<qint64>(1, spec.minByte))));
    f.atByte = std::clamp(qint64(std::llround(std::exp(low + g.generateDouble() * (high - low)))), spec.minByte,
                          std::max(spec.minByte, spec.maxByte));
    switch (g.bounded(spec.allowStallForever ? 4 : 3)) {
    case 0: f.kind = Fault::Drop; break;
    case 1: f.kind = Fault::CutClient; break;
    case 2:
        f.kind = Fault::Stall;
        f.stallMs = int(g.bounded(quint32(std::max(1, spec.maxStallMs))));
        break;
    default: f.kind = Fault::Stall; f.stallMs = -1; break;
    }
    return {f};
}

int FaultProxy::connections() const
{
    return d->relay->connections();
}

qint64 FaultProxy::bytesToClient() const
{
    QMutexLocker lock(&d->mutex);
    qint64 n = 0;
    for (const ConnectionStats &s : d->stats)
        n += s.toClient;
    return n;
}

qint64 FaultProxy::bytesToServer() const
{
    QMutexLocker lock(&d->mutex);
    qint64 n = 0;
    for (const ConnectionStats &s : d->stats)
        n += s.toServer;
    return n;
}

int FaultProxy::faultsApplied() const
{
    QMutexLocker lock(&d->mutex);
    int n = 0;
    for (const ConnectionStats &s : d->stats)
        n += s.faultsApplied;
    return n;
}

QVector<FaultProxy::ConnectionStats> FaultProxy::connectionStats() const
{
    QMutexLocker lock(&d->mutex);
    return d->stats;
}

} // namespace Lookback::Test
