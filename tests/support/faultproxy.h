// A TCP proxy that breaks the link between a client and a real server on
// purpose: drops, one-sided cuts and stalls at chosen byte counts.
#pragma once

#include <QString>
#include <QVector>

#include <memory>

namespace Lookback::Test {

// Sits on a free 127.0.0.1 port in front of a real server (Dovecot's plain or
// implicit-TLS port: it relays bytes, so TLS passes through untouched) and
// applies faults to each connection, counted in bytes the server sent to the
// client ("every connection after 700 KB").
//
// Faults are chosen per connection when it is accepted: a list for the first
// connections, then one plan for every later one, or random plans from a seed
// (the same seed gives every connection index the same plan).
//
// Thread: the relay runs on a thread of its own (see TcpRelay); every method
// here is called from the test's thread and is thread-safe, so a test may
// block while traffic flows. Owner: the test.
class FaultProxy
{
public:
    struct Fault
    {
        enum Kind {
            Drop,      // close both sides: the client has received exactly `atByte` bytes
            CutClient, // close only the client's side; the server's session stays open until stop()
            Stall,     // forward nothing either way for `stallMs` ms (-1: never again), then carry on
        };
        Kind kind = Drop;
        qint64 atByte = 0;  // server->client bytes delivered before the fault
        int stallMs = -1;   // Stall only
        QString describe() const;
    };
    using Plan = QVector<Fault>; // applied in order of atByte

    // What random plans look like. Each connection gets no fault with
    // probability 1 - faultChance, otherwise one fault: a drop, a cut or a
    // stall (short, or beyond the client's timeout, or forever) at a byte
    // count in [minByte, maxByte], log-uniform (early protocol phases get
    // their share).
    struct RandomSpec
    {
        double faultChance = 0.7;
        qint64 minByte = 1;
        qint64 maxByte = 400 * 1024;
        int maxStallMs = 3000;
        bool allowStallForever = true;
    };

    // What happened to one connection.
    struct ConnectionStats
    {
        int index = 0;
        QString plan;             // describe() of its faults, "" for none
        qint64 toClient = 0;      // server->client bytes delivered
        qint64 toServer = 0;      // client->server bytes delivered
        int faultsApplied = 0;
        bool clientOpen = false;
        bool serverOpen = false;
    };

    FaultProxy();
    ~FaultProxy();
    FaultProxy(const FaultProxy &) = delete;
    FaultProxy &operator=(const FaultProxy &) = delete;

    bool start(const QString &host, quint16 port, QString *error);
    void stop(); // closes every connection and the port
    quint16 port() const;

    // Connection i (from 0) gets plans[i]; later ones get `thereafter`.
    // Applies to connections accepted from now on.
    void setPlans(const QVector<Plan> &plans, const Plan &thereafter = {});
    void setEveryConnection(const Plan &plan) { setPlans({}, plan); }
    void setRandom(quint32 seed, const RandomSpec &spec);
    void clearFaults() { setPlans({}, {}); }
    // The plan the random generator gives connection `index` (for messages).
    static Plan randomPlan(quint32 seed, int index, const RandomSpec &spec);

    int connections() const;
    qint64 bytesToClient() const; // all connections
    qint64 bytesToServer() const;
    int faultsApplied() const;
    QVector<ConnectionStats> connectionStats() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Lookback::Test
