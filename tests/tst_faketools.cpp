// Proves the fault tools do what they say, on the wire, against a real
// Dovecot: FaultProxy drops, cuts and stalls at the byte; ImapInjector's rules
// change exactly what they name and record what the client sent.

#include "dovecotserver.h"
#include "faultproxy.h"
#include "imapinjector.h"

#include <QElapsedTimer>
#include <QSet>
#include <QThread>
#include <QRegularExpression>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTest>

using namespace Lookback::Test;

namespace {

// A blocking client on the test's thread (the tools run on threads of their own).
class RawClient
{
public:
    bool connectTo(quint16 port)
    {
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        return m_socket.waitForConnected(5000);
    }
    QSslSocket &socket() { return m_socket; }
    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }
    // One response (literals inlined, CRLF kept); null on timeout or close.
    QByteArray readResponse(int timeoutMs = 5000)
    {
        QByteArray out;
        for (;;) {
            qsizetype eol;
            while ((eol = m_buffer.indexOf("\r\n")) < 0) {
                if (!fill(timeoutMs))
                    return QByteArray();
            }
            const QByteArray line = m_buffer.left(eol + 2);
            m_buffer.remove(0, eol + 2);
            out += line;
            static const QRegularExpression literal(QStringLiteral("\\{(\\d+)\\}\\r\\n$"));
            const QRegularExpressionMatch m = literal.match(QString::fromLatin1(line.right(24)));
            if (!m.hasMatch())
                return out;
            const qint64 n = m.captured(1).toLongLong();
            while (m_buffer.size() < n) {
                if (!fill(timeoutMs))
                    return QByteArray();
            }
            out += m_buffer.left(n);
            m_buffer.remove(0, n);
        }
    }
    // Sends "tN text" and returns every response up to and including the tagged one.
    QList<QByteArray> command(const QByteArray &text, int timeoutMs = 5000)
    {
        const QByteArray tag = "t" + QByteArray::number(++m_tag);
        send(tag + ' ' + text + "\r\n");
        QList<QByteArray> responses;
        for (;;) {
            const QByteArray r = readResponse(timeoutMs);
            if (r.isNull())
                return responses;
            responses << r;
            if (r.startsWith(QByteArray(tag + ' ')))
                return responses;
        }
    }
    qint64 totalRead() const { return m_total; } // every byte received so far
    QByteArray lastTag() const { return "t" + QByteArray::number(m_tag); }
    // Everything until the server side closes (or timeout); includes what was buffered.
    QByteArray readUntilClosed(int timeoutMs = 10000)
    {
        QElapsedTimer t;
        t.start();
        while (m_socket.state() == QAbstractSocket::ConnectedState && t.elapsed() < timeoutMs) {
            if (!m_socket.waitForReadyRead(int(timeoutMs - t.elapsed())))
                break;
            m_buffer += readAll();
        }
        m_buffer += readAll();
        return std::exchange(m_buffer, QByteArray());
    }
    bool login(const DovecotServer &server)
    {
        const QByteArray greeting = readResponse();
        if (!greeting.startsWith("* OK"))
            return false;
        const QList<QByteArray> r = command("LOGIN " + server.user().toUtf8() + " \"" + server.password().toUtf8() + '"');
        return !r.isEmpty() && r.last().startsWith(QByteArray(lastTag() + " OK"));
    }

private:
    bool fill(int timeoutMs)
    {
        if (m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(timeoutMs))
            return false;
        m_buffer += readAll();
        return true;
    }
    QByteArray readAll()
    {
        const QByteArray data = m_socket.readAll();
        m_total += data.size();
        return data;
    }

    QSslSocket m_socket;
    QByteArray m_buffer;
    qint64 m_total = 0;
    int m_tag = 0;
};

QByteArray joined(const QList<QByteArray> &responses)
{
    QByteArray all;
    for (const QByteArray &r : responses)
        all += r;
    return all;
}

} // namespace

class TestFakeTools : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    // FaultProxy
    void proxyRelaysAndCounts();
    void dropsAtTheExactByte_data();
    void dropsAtTheExactByte();
    void plansPerConnectionThenThereafter();
    void cutClosesOnlyTheClientSide();
    void stallHoldsThenResumes();
    void stallForeverKeepsTheConnectionOpen();
    void tlsPassesThrough();
    void randomPlansAreReproducible();
    // ImapInjector
    void injectorRelaysAndLogsWhatTheClientSent();
    void greetingIsReplaced();
    void insertAtStartOfAFetchAnswer();
    void insertBeforeAChosenResponse();
    void refuseOneUid();
    void corruptOneUid_data();
    void corruptOneUid();
    void dripSendsOneByteAtATime();
    void floodIsMadeOnlyAsFastAsItIsRead();
    void plainSearchAnswerOverOneMiB();
    void rewriteAndReplaceTagged();
    void startTlsPassesThroughOrGetsPlaintextBehind();

private:
    DovecotServer m_server;
    QByteArray m_big; // the 1 MB message, UID 3 of INBOX
};

void TestFakeTools::initTestCase()
{
    QString error;
    QVERIFY2(m_server.start(&error), qPrintable(error));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 1; i <= 2; ++i)
        QVERIFY(m_server.addMessage(QStringLiteral("INBOX"),
                                    DovecotServer::makeMessage(QStringLiteral("small%1@tools.test").arg(i), QStringLiteral("Small %1").arg(i),
                                                               QStringLiteral("a@example.org"), QStringLiteral("b@example.org"),
                                                               now.addSecs(-3600 * i), QStringLiteral("small body %1\n").arg(i)),
                                    now.addSecs(-3600 * i)));
    QString body;
    for (int i = 0; body.size() < 1024 * 1024; ++i)
        body += QStringLiteral("line %1 of a big message, to be cut somewhere in the middle\n").arg(i);
    m_big = DovecotServer::makeMessage(QStringLiteral("big@tools.test"), QStringLiteral("Big"), QStringLiteral("a@example.org"),
                                       QStringLiteral("b@example.org"), now.addSecs(-60), body);
    QVERIFY(m_server.addMessage(QStringLiteral("INBOX"), m_big, now.addSecs(-60)));
}

// ---- FaultProxy ---------------------------------------------------------------

void TestFakeTools::proxyRelaysAndCounts()
{
    FaultProxy proxy;
    QString error;
    QVERIFY2(proxy.start(m_server.host(), m_server.plainPort(), &error), qPrintable(error));
    RawClient c;
    QVERIFY(c.connectTo(proxy.port()));
    QVERIFY(c.login(m_server));
    QVERIFY(c.command("SELECT INBOX").last().contains(" OK "));
    const QByteArray fetched = joined(c.command("UID FETCH 3 (BODY.PEEK[])"));
    QVERIFY(fetched.contains(m_big));
    c.command("LOGOUT");
    c.readUntilClosed();
    QTRY_COMPARE(proxy.connectionStats().value(0).clientOpen, false);
    QCOMPARE(proxy.connections(), 1);
    QVERIFY2(proxy.bytesToClient() > m_big.size(), qPrintable(QString::number(proxy.bytesToClient())));
    QVERIFY(proxy.bytesToServer() > 40);
    QCOMPARE(proxy.faultsApplied(), 0);
    QCOMPARE(proxy.connectionStats().value(0).plan, QString());
}

void TestFakeTools::dropsAtTheExactByte_data()
{
    QTest::addColumn<qint64>("atByte");
    QTest::newRow("in the greeting") << qint64(7);
    QTest::newRow("after 100 KB") << qint64(100 * 1024);
    QTest::newRow("after 700 KB") << qint64(700 * 1024);
}

void TestFakeTools::dropsAtTheExactByte()
{
    QFETCH(qint64, atByte);
    FaultProxy proxy;
    QString error;
    QVERIFY2(proxy.start(m_server.host(), m_server.plainPort(), &error), qPrintable(error));
    proxy.setEveryConnection({{FaultProxy::Fault::Drop, atByte}});
    // Every connection, not only the first.
    for (int round = 0; round < 2; ++round) {
        RawClient c;
        QVERIFY(c.connectTo(proxy.port()));
        QByteArray got;
        if (atByte > 1000) {
            QVERIFY(c.login(m_server));
            c.send("s SELECT INBOX\r\nf UID FETCH 3 (BODY.PEEK[])\r\n");
        }
        got = c.readUntilClosed();
        QCOMPARE(c.socket().state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(c.totalRead(), atByte);
        if (atByte > 1000)
            QVERIFY2(got.contains(m_big.left(4096)), "the bytes that arrived are the server's own");
    }
    QCOMPARE(proxy.connections(), 2);
    QCOMPARE(proxy.faultsApplied(), 2);
    for (const FaultProxy::ConnectionStats &s : proxy.connectionStats())
        QCOMPARE(s.toClient, atByte);
}

void TestFakeTools::plansPerConnectionThenThereafter()
{
    FaultProxy proxy;
    QString error;
    QVERIFY2(proxy.start(m_server.host(), m_server.plainPort(), &error), qPrintable(error));
    proxy.setPlans({{{FaultProxy::Fault::Drop, 20}}, {}}, {{FaultProxy::Fault::Drop, 40}});
    QList<int> sizes;
    for (int i = 0; i < 4; ++i) {
        RawClient c;
        QVERIFY(c.connectTo(proxy.port()));
        if (i == 1) {
            QVERIFY2(c.login(m_server), "the connection without a fault works");
            c.command("LOGOUT");
        }
        sizes << int(c.readUntilClosed().size());
    }
    QCOMPARE(sizes.at(0), 20);
    QCOMPARE(sizes.at(2), 40);
    QCOMPARE(sizes.at(3), 40);
    const auto stats = proxy.connectionStats();
    QCOMPARE(stats.size(), 4);
    QCOMPARE(stats.at(0).plan, QStringLiteral("drop@20"));
    QCOMPARE(stats.at(1).plan, QString());
    QCOMPARE(stats.at(3).plan, QStringLiteral("drop@40"));
}

void TestFakeTools::cutClosesOnlyTheClientSide()
{
    FaultProxy proxy;
    QString error;
    QVERIFY2(proxy.start(m_server.host(), m_server.plainPort(), &error), qPrintable(error));
    proxy.setEveryConnection({{FaultProxy::Fault::CutClient, 30}});
    RawClient c;
    QVERIFY(c.connectTo(proxy.port()));
    QCOMPARE(c.readUntilClosed().size(), 30);
    QTRY_COMPARE(proxy.connectionStats().value(0).clientOpen, false);
    QVERIFY2(proxy.connectionStats().value(0).serverOpen, "the server was not told");
    // ... until it notices, as after a NAT timeout.
    QTRY_COMPARE_WITH_TIMEOUT(proxy.connectionStats().value(0).serverOpen, false, 5000);
}

void TestFakeTools::stallHoldsThenResumes()
{
    FaultProxy proxy;
    QString error;
    QVERIFY2(proxy.start(m_server.host(), m_server.plainPort(), &error), qPrintable(error));
    // A stall long enough that a test thread late by most of a second still
    // waits inside it.
    proxy.setEveryConnection({{FaultProxy::Fault::Stall, 10, 1600}});
    // The clock starts before the connection, so before the stall can.
    QElapsedTimer t;
    t.start();
    RawClient c;
    QVERIFY(c.connectTo(proxy.port()));
    QVERIFY(c.socket().waitForReadyRead(5000));
    QByteArray got = c.socket().readAll();
    QCOMPARE(got.size(), 10);
    QVERIFY2(!c.socket().waitForReadyRead(600), "nothing while stalled");
    QVERIFY(c.socket().waitForReadyRead(3000));
    // The whole stall, but for the 5% early a coarse timer may fire.
    QVERIFY2(t.elapsed() >= 1600 * 95 / 100, qPrintable(QString::number(t.elapsed())));
    got += c.socket().readAll();
    while (!got.endsWith("\r\n") && c.socket().waitForReadyRead(2000))
        got += c.socket().readAll();
    QVERIFY2(got.startsWith("* OK") && got.endsWith("\r\n"), got.constData());
}

void TestFakeTools::stallForeverKeepsTheConnectionOpen()
{
    FaultProxy proxy;
    QString error;
    QVERIFY2(proxy.start(m_server.host(), m_server.plainPort(), &error), qPrintable(error));
    proxy.setEveryConnection({{FaultProxy::Fault::Stall, 0, -1}});
    RawClient c;
    QVERIFY(c.connectTo(proxy.port()));
    QVERIFY(!c.socket().waitForReadyRead(1500));
    QCOMPARE(c.socket().state(), QAbstractSocket::ConnectedState);
    QCOMPARE(proxy.connectionStats().value(0).toClient, qint64(0));
    QCOMPARE(proxy.connectionStats().value(0).faultsApplied, 1);
}

void TestFakeTools::tlsPassesThrough()
{
    FaultProxy proxy;
    QString error;
    QVERIFY2(proxy.start(m_server.host(), m_server.tlsPort(), &error), qPrintable(error));
    RawClient c;
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setCaCertificates(QSslCertificate::fromData(m_server.certificatePem(), QSsl::Pem));
    c.socket().setSslConfiguration(config);
    c.socket().connectToHostEncrypted(QStringLiteral("127.0.0.1"), proxy.port());
    QVERIFY2(c.socket().waitForEncrypted(5000), qPrintable(c.socket().errorString()));
    QVERIFY(c.login(m_server));
    QVERIFY(proxy.bytesToClient() > 1000); // the certificate went through it
}

void TestFakeTools::randomPlansAreReproducible()
{
    FaultProxy::RandomSpec spec;
    spec.minByte = 100;
    spec.maxByte = 5000;
    QSet<int> kinds;
    int none = 0, differ = 0;
    for (int i = 0; i < 200; ++i) {
        const FaultProxy::Plan a = FaultProxy::randomPlan(42, i, spec);
        const FaultProxy::Plan b = FaultProxy::randomPlan(42, i, spec);
        QCOMPARE(a.size(), b.size());
        if (a.isEmpty()) {
            ++none;
            continue;
        }
        QCOMPARE(a.first().describe(), b.first().describe());
        QVERIFY(a.first().atByte >= 100 && a.first().atByte <= 5000);
        kinds.insert(a.first().kind * 2 + (a.first().stallMs < 0 ? 1 : 0));
        const FaultProxy::Plan other = FaultProxy::randomPlan(43, i, spec);
        differ += other.isEmpty() || other.first().describe() != a.first().describe() ? 1 : 0;
    }
    QVERIFY2(none > 20 && none < 120, qPrintable(QString::number(none))); // about 30% clean
    QCOMPARE(kinds.size(), 4); // drop, cut, short stall, stall forever
    QVERIFY(differ > 100);

    // The proxy gives each connection its index's plan.
    FaultProxy proxy;
    QString error;
    QVERIFY2(proxy.start(m_server.host(), m_server.plainPort(), &error), qPrintable(error));
    spec.minByte = 5;
    spec.maxByte = 60;
    spec.maxStallMs = 50;
    spec.allowStallForever = false;
    proxy.setRandom(7, spec);
    for (int i = 0; i < 5; ++i) {
        RawClient c;
        QVERIFY(c.connectTo(proxy.port()));
        c.readResponse(1500);
    }
    const auto stats = proxy.connectionStats();
    QCOMPARE(stats.size(), 5);
    for (int i = 0; i < 5; ++i) {
        const FaultProxy::Plan plan = FaultProxy::randomPlan(7, i, spec);
        QCOMPARE(stats.at(i).plan, plan.isEmpty() ? QString() : plan.first().describe());
    }
}

// ---- ImapInjector -------------------------------------------------------------

void TestFakeTools::injectorRelaysAndLogsWhatTheClientSent()
{
    ImapInjector injector;
    QString error;
    QVERIFY2(injector.start(m_server.host(), m_server.plainPort(), &error), qPrintable(error));
    RawClient c;
    QVERIFY(c.connectTo(injector.port()));
    QVERIFY(c.login(m_server));
    QVERIFY(c.command("SELECT \"INBOX\"").last().contains(" OK "));
    const QByteArray fetched = joined(c.command("UID FETCH 3 (BODY.PEEK[])"));
    QVERIFY(fetched.contains(m_big)); // a 1 MB literal framed and relayed whole
    c.command("NOOP");
    const QList<ImapInjector::ClientLine> lines = injector.clientLines();
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines.at(0).tag, QByteArray("t1"));
    QVERIFY(lines.at(0).text.startsWith("LOGIN "));
    QCOMPARE(lines.at(1).text, QByteArray("SELECT \"INBOX\""));
    QCOMPARE(lines.at(2).text, QByteArray("UID FETCH 3 (BODY.PEEK[])"));
    QCOMPARE(lines.at(2).mailbox, QStringLiteral("INBOX"));
    QCOMPARE(lines.at(3).text, QByteArray("NOOP"));
    QVERIFY(injector.toClient(0).startsWith("* OK"));
    QVERIFY(injector.toClient(0).contains(m_big));
}

void TestFakeTools::greetingIsReplaced()
{
    ImapInjector injector;
    QString error;
    QVERIFY2(injector.start(m_server.host(), m_server.plainPort(), &error), qPrintable(error));
    const int rule = injector.setGreeting("* PREAUTH [CAPABILITY IMAP4rev1] Logged in as alice");
    RawClient c;
    QVERIFY(c.connectTo(injector.port()));
    QCOMPARE(c.readResponse(), QByteArray("* PREAUTH [CAPABILITY IMAP4rev1] Logged in as alice\r\n"));
    QCOMPARE(injector.fired(rule), 1);
    // Only the greeting: the server's later answers are its own.
    QVERIFY(c.command("CAPABILITY").last().contains(" OK "));
}

void TestFakeTools::insertAtStartOfAFetchAnswer()
{
    ImapInjector injector;
    QString error;
    QVERIFY2(injector.start(m_server.host(), m_server.plainPort(), &error), qPrintable(error));
    const QByteArray unsolicited = "* 1 FETCH (UID 1 FLAGS (\\Seen))\r\n";
    const int rule = injector.insertAtStart({"BODYSTRUCTURE", QStringLiteral("INBOX")}, unsolicited);
    RawClient c;
    QVERIFY(c.connectTo(injector.port()));
    QVERIFY(c.login(m_server));
    c.command("SELECT INBOX");
    const QList<QByteArray> r = c.command("UID FETCH 2:3 (UID BODYSTRUCTURE)");
    QCOMPARE(r.size(), 4);
    QCOMPARE(r.at(0), unsolicited);
    QVERIFY(r.at(1).startsWith("* 2 FETCH (UID 2 BODYSTRUCTURE"));
    const QList<QByteArray> plain = c.command("UID FETCH 2 (UID FLAGS)");
    QCOMPARE(plain.size(), 2); // another command: untouched
    c.command("UID FETCH 3 (BODYSTRUCTURE)");
    QCOMPARE(injector.fired(rule), 2); // once per matching command
}

void TestFakeTools::insertBeforeAChosenResponse()
{
    ImapInjector injector;
    QString error;
    QVERIFY2(injector.start(m_server.host(), m_server.plainPort(), &error), qPrintable(error));
    injector.insertBeforeResponse("FETCH (UID 2 ", "* 9 EXISTS\r\n");
    RawClient c;
    QVERIFY(c.connectTo(injector.port()));
    QVERIFY(c.login(m_server));
    c.command("SELECT INBOX");
    const QList<QByteArray> r = c.command("UID FETCH 1:3 (UID FLAGS)");
    QCOMPARE(r.size(), 5);
    QVERIFY(r.at(0).contains("UID 1 "));
    QCOMPARE(r.at(1), QByteArray("* 9 EXISTS\r\n"));
    QVERIFY(r.at(2).contains("UID 2 "));
}

void TestFakeTools::refuseOneUid()
{
    ImapInjector injector;
    QString error;
    QVERIFY2(injector.start(m_server.host(), m_server.plainPort(), &error), qPrintable(error));
    const int rule = injector.refuseFetch(QStringLiteral("INBOX"), 2);
    RawClient c;
    QVERIFY(c.connectTo(injector.port()));
    QVERIFY(c.login(m_server));
    c.command("SELECT INBOX");
    const QList<QByteArray> r = c.command("UID FETCH 1:3 (UID RFC822.SIZE)");
    QCOMPARE(r.size(), 3);
    QVERIFY(r.at(0).contains("UID 1 "));
    QVERIFY(r.at(1).contains("UID 3 "));
    QCOMPARE(r.at(2), c.lastTag() + " NO Some messages could not be FETCHed (Failure)\r\n");
    QVERIFY(c.command("UID FETCH 1 (UID RFC822.SIZE)").last().startsWith(QByteArray(c.lastTag() + " OK")));
    QCOMPARE(c.command("UID FETCH 2 (UID BODYSTRUCTURE)").size(), 1); // alone, still refused
    QCOMPARE(injector.fired(rule), 2);
}

void TestFakeTools::corruptOneUid_data()
{
    QTest::addColumn<int>("how");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("bad size") << int(ImapInjector::Corruption::BadSize) << QByteArray("RFC822.SIZE x ");
    QTest::newRow("bad bodystructure") << int(ImapInjector::Corruption::BadBodyStructure) << QByteArray("BODYSTRUCTURE NIL ");
    QTest::newRow("no bodystructure") << int(ImapInjector::Corruption::NoBodyStructure) << QByteArray("(UID 2 RFC822.SIZE ");
    QTest::newRow("broken syntax") << int(ImapInjector::Corruption::BrokenSyntax) << QByteArray("BODYSTRUCTURE ((\"text\"");
}

void TestFakeTools::corruptOneUid()
{
    QFETCH(int, how);
    QFETCH(QByteArray, expected);
    ImapInjector injector;
    QString error;
    QVERIFY2(injector.start(m_server.host(), m_server.plainPort(), &error), qPrintable(error));
    const int rule = injector.corruptFetch(QStringLiteral("INBOX"), 2, ImapInjector::Corruption(how));
    RawClient c;
    QVERIFY(c.connectTo(injector.port()));
    QVERIFY(c.login(m_server));
    c.command("SELECT INBOX");
    const QList<QByteArray> r = c.command("UID FETCH 1:2 (UID RFC822.SIZE BODYSTRUCTURE BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
    QCOMPARE(r.size(), 3);
    QVERIFY2(r.at(1).contains(expected), r.at(1).constData());
    QVERIFY2(r.at(1).contains("Subject: Small 2"), "the rest of the response is intact");
    if (how == int(ImapInjector::Corruption::NoBodyStructure))
        QVERIFY(!r.at(1).contains("BODYSTRUCTURE"));
    // UID 1 is untouched.
    QVERIFY(!r.at(0).contains("RFC822.SIZE x"));
    QVERIFY2(r.at(0).contains("BODYSTRUCTURE (\"text\" \"plain\""), r.at(0).constData());
    QVERIFY(r.last().startsWith(QByteArray(c.lastTag() + " OK")));
    QCOMPARE(injector.fired(rule), 1);
}

void TestFakeTools::dripSendsOneByteAtATime()
{
    ImapInjector injector;
    QString error;
    QVERIFY2(injector.start(m_server.host(), m_server.plainPort(), &error), qPrintable(error));
    injector.drip({"NOOP"}, 40);
    RawClient c;
    QVERIFY(c.connectTo(injector.port()));
    QVERIFY(c.login(m_server));
    QElapsedTimer t;
    t.start();
    c.send("d NOOP\r\n");
    QByteArray got;
    int reads = 0;
    while (!got.endsWith("\r\n") && c.socket().waitForReadyRead(2000)) {
        got += c.socket().readAll();
        ++reads;
    }
    QVERIFY2(got.startsWith("d OK"), got.constData());
    QVERIFY2(reads >= got.size() * 3 / 4, qPrintable(QStringLiteral("%1 reads for %2 bytes").arg(reads).arg(got.size())));
    QVERIFY2(t.elapsed() >= (got.size() - 1) * 40 * 8 / 10, qPrintable(QString::number(t.elapsed())));
}

void TestFakeTools::floodIsMadeOnlyAsFastAsItIsRead()
{
    ImapInjector injector;
    QString error;
    QVERIFY2(injector.start(m_server.host(), m_server.plainPort(), &error), qPrintable(error));
    const QByteArray line = "* 1 FETCH (UID 1 FLAGS (\\Seen))";
    injector.flood({"NOOP"}, line, 20000, 1);
    injector.flood({"CHECK"}, line, 100 * 1000 * 1000, 1); // 3 GB, were it all made
    RawClient c;
    QVERIFY(c.connectTo(injector.port()));
    QVERIFY(c.login(m_server));
    c.command("SELECT INBOX");
    const QList<QByteArray> r = c.command("NOOP");
    QCOMPARE(r.size(), 20001);
    QCOMPARE(r.at(19999), line + "\r\n");
    QVERIFY(r.last().startsWith(QByteArray(c.lastTag() + " OK")));
    QCOMPARE(injector.floodLinesDelivered(), qint64(20000));

    // A client that stops reading after a megabyte and hangs up.
    c.send("x CHECK\r\n");
    qint64 read = 0;
    while (read < 1024 * 1024 && c.socket().waitForReadyRead(2000))
        read += c.socket().readAll().size();
    QThread::msleep(200);
    c.socket().abort();
    QTest::qWait(200);
    const qint64 made = injector.floodLinesDelivered() - 20000;
    // What the sockets buffer (some MB), not 3 GB.
    QVERIFY2(made < 1500 * 1000, qPrintable(QString::number(made)));
}

void TestFakeTools::plainSearchAnswerOverOneMiB()
{
    ImapInjector injector;
    QString error;
    QVERIFY2(injector.start(m_server.host(), m_server.plainPort(), &error), qPrintable(error));
    injector.removeCapability("ESEARCH");
    QVector<quint32> uids;
    for (quint32 i = 0; i < 130000; ++i)
        uids << 10000001 + i;
    const int rule = injector.answerSearch({"UID SEARCH"}, uids);
    RawClient c;
    QVERIFY(c.connectTo(injector.port()));
    const QByteArray greeting = c.readResponse();
    QVERIFY(greeting.contains("CAPABILITY "));
    QVERIFY2(!greeting.contains(" ESEARCH"), greeting.constData());
    c.command("LOGIN " + m_server.user().toUtf8() + " \"" + m_server.password().toUtf8() + '"');
    const QByteArray caps = joined(c.command("CAPABILITY"));
    QVERIFY2(caps.contains("CAPABILITY IMAP4rev1") && !caps.contains("ESEARCH"), caps.constData());
    QVERIFY(caps.contains(" SEARCHRES")); // only that one word went
    c.command("SELECT INBOX");
    const QList<QByteArray> r = c.command("UID SEARCH RETURN (ALL) ALL");
    QCOMPARE(r.size(), 2);
    QVERIFY(r.at(0).startsWith("* SEARCH 10000001 10000002 "));
    QVERIFY(r.at(0).endsWith(" 10130000\r\n"));
    QVERIFY(r.at(0).size() > 1024 * 1024);
    QVERIFY(r.at(1).startsWith(QByteArray(c.lastTag() + " OK")));
    QCOMPARE(injector.fired(rule), 1);
    QVERIFY(injector.longestLineDelivered() > 1024 * 1024);
}

void TestFakeTools::rewriteAndReplaceTagged()
{
    ImapInjector injector;
    QString error;
    QVERIFY2(injector.start(m_server.host(), m_server.plainPort(), &error), qPrintable(error));
    injector.rewrite({"SELECT", QStringLiteral("INBOX")}, QRegularExpression(QStringLiteral("^\\* \\d+ EXISTS")), "* 130000 EXISTS");
    injector.replaceTagged({"EXAMINE"}, "NO <b>x</b><img src=\"http://tracker.example/p.png\">");
    RawClient c;
    QVERIFY(c.connectTo(injector.port()));
    QVERIFY(c.login(m_server));
    QVERIFY(joined(c.command("SELECT INBOX")).contains("* 130000 EXISTS\r\n"));
    QVERIFY(!joined(c.command("SELECT Sent")).contains("130000"));
    const QByteArray refused = c.command("EXAMINE INBOX").last();
    QCOMPARE(refused, c.lastTag() + " NO <b>x</b><img src=\"http://tracker.example/p.png\">\r\n");
}

void TestFakeTools::startTlsPassesThroughOrGetsPlaintextBehind()
{
    ImapInjector injector;
    QString error;
    QVERIFY2(injector.start(m_server.host(), m_server.plainPort(), &error), qPrintable(error));
    {
        // No rule: after the OK it is the server's TLS, untouched.
        RawClient c;
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setCaCertificates(QSslCertificate::fromData(m_server.certificatePem(), QSsl::Pem));
        c.socket().setSslConfiguration(config);
        c.socket().setPeerVerifyName(QStringLiteral("127.0.0.1"));
        QVERIFY(c.connectTo(injector.port()));
        c.readResponse();
        QVERIFY(c.command("STARTTLS").last().contains(" OK "));
        c.socket().startClientEncryption();
        QVERIFY2(c.socket().waitForEncrypted(5000), qPrintable(c.socket().errorString()));
        const QList<QByteArray> r = c.command("LOGIN " + m_server.user().toUtf8() + " \"" + m_server.password().toUtf8() + '"');
        QVERIFY(!r.isEmpty() && r.last().contains(" OK "));
        QCOMPARE(injector.clientLines().size(), 1); // STARTTLS; what followed was encrypted
    }
    const int rule = injector.injectAfterStartTls("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected in plain text\r\n");
    RawClient c;
    QVERIFY(c.connectTo(injector.port()));
    c.readResponse();
    c.send("s STARTTLS\r\n");
    QVERIFY(c.socket().waitForReadyRead(5000));
    QByteArray first = c.socket().readAll();
    QVERIFY2(first.startsWith("s OK ") && first.endsWith("\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected in plain text\r\n"),
             first.constData());
    QCOMPARE(injector.fired(rule), 1);
}

QTEST_GUILESS_MAIN(TestFakeTools)
#include "tst_faketools.moc"
