// The plumbing FaultProxy and ImapInjector share: a TCP relay on a free
// 127.0.0.1 port, on a thread of its own, in front of a real server.
#pragma once

#include <QString>

#include <functional>
#include <memory>

class QObject;
class QTcpSocket;

namespace Lookback::Test {

// Listens on 127.0.0.1 (port 0, so tests can run in parallel) and, for each
// client, opens a connection to the upstream server. Once that is open it
// calls the factory with both sockets; the factory makes the session object
// that relays between them (it must take ownership of both sockets). If the
// upstream cannot be reached, the client is simply closed.
//
// Thread: start(), stop() and the getters are called from the test's thread;
// the listening socket, the sessions and the factory run on the relay's own
// thread, so a test may block (QProcess::waitForFinished, waitForReadyRead)
// while traffic flows. Owner: the FaultProxy or ImapInjector using it.
class TcpRelay
{
public:
    // Runs on the relay thread. `index` counts connections from 0.
    using SessionFactory = std::function<QObject *(QTcpSocket *client, QTcpSocket *upstream, int index)>;

    explicit TcpRelay(SessionFactory factory);
    ~TcpRelay(); // stop()
    TcpRelay(const TcpRelay &) = delete;
    TcpRelay &operator=(const TcpRelay &) = delete;

    bool start(const QString &upstreamHost, quint16 upstreamPort, QString *error);
    // Closes the listening socket and every session; the port is then closed
    // ("Cannot reach ..."). Idempotent.
    void stop();
    quint16 port() const;
    int connections() const; // accepted so far
    // Runs `fn` on the relay thread and waits for it (no-op when not running).
    void runOnThread(const std::function<void()> &fn) const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Lookback::Test
