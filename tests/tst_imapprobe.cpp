// ImapProbe against a real Dovecot: "Test connection" outcomes (trusted, untrusted
// certificate, wrong password, nothing listening) and the range picker's counts.

#include "dovecotserver.h"
#include "imap/imapconnection.h"
#include "imap/imapprobe.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTcpServer>
#include <QtTest>

using namespace Lookback;
using namespace Lookback::Test;

class TestImapProbe : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void trustedCertificate_data();
    void trustedCertificate();
    void untrustedCertificate_data();
    void untrustedCertificate();
    void otherTrustedCertificateIsNotEnough();
    void plainConnection();
    void wrongPassword();
    void nothingListening();
    void emptyHost();
    void answersInOrder();
    void countsPerRange();
    void countFailsWithLoginError();
    void destroyWhileRunning();

private:
    ImapSettings settings(Security security = Security::Tls, bool trusted = true) const;
    ProbeResult runTest(const ImapSettings &s);
    RangeCounts runCount(const ImapSettings &s, const QList<int> &days = {});

    DovecotServer m_server;
    QSslCertificate m_cert;
    QDateTime m_now;
    // Age in days of every message, per mailbox.
    QMap<QString, QList<double>> m_ages;
};

ImapSettings TestImapProbe::settings(Security security, bool trusted) const
{
    ImapSettings s;
    s.host = m_server.host();
    s.security = security;
    s.port = security == Security::Tls ? m_server.tlsPort() : m_server.plainPort();
    s.username = m_server.user();
    s.password = m_server.password();
    if (trusted)
        s.trustedCertSha256 = ImapConnection::digestHex(m_cert);
    return s;
}

ProbeResult TestImapProbe::runTest(const ImapSettings &s)
{
    ImapProbe probe;
    QSignalSpy spy(&probe, &ImapProbe::tested);
    probe.test(s);
    ProbeResult none;
    none.error = SyncError::make(ErrorCategory::Protocol, QStringLiteral("no answer from the probe"));
    if (!spy.wait(30000))
        return none;
    return spy.first().first().value<ProbeResult>();
}

RangeCounts TestImapProbe::runCount(const ImapSettings &s, const QList<int> &days)
{
    ImapProbe probe;
    QSignalSpy spy(&probe, &ImapProbe::counted);
    probe.count(s, days);
    RangeCounts none;
    none.error = SyncError::make(ErrorCategory::Protocol, QStringLiteral("no answer from the probe"));
    if (!spy.wait(30000))
        return none;
    return spy.first().first().value<RangeCounts>();
}

void TestImapProbe::initTestCase()
{
    QString error;
    QVERIFY2(m_server.start(&error), qPrintable(error));
    m_cert = QSslCertificate(m_server.certificatePem(), QSsl::Pem);
    QVERIFY(!m_cert.isNull());
    m_now = QDateTime::currentDateTimeUtc();

    // Ages well away from the 30/90/365-day boundaries (SEARCH SINCE compares whole days).
    const QList<double> inbox = {0.2, 1.5, 5, 10, 20, 45, 60, 75, 120, 200, 300, 500, 800, 1200};
    const QList<double> sent = {0.5, 3, 50, 100, 250, 400, 1000};
    int n = 0;
    auto plant = [&](const QString &mailbox, double ageDays) {
        const QDateTime when = m_now.addSecs(qint64(-ageDays * 86400));
        ++n;
        const QByteArray raw = DovecotServer::makeMessage(
            QStringLiteral("probe%1@lookback.test").arg(n), QStringLiteral("Message %1").arg(n),
            QStringLiteral("Bob <bob@example.org>"), QStringLiteral("alice@example.org"), when,
            QStringLiteral("Body %1\n").arg(n));
        QString err;
        QVERIFY2(m_server.addMessage(mailbox, raw, when, &err), qPrintable(err));
        m_ages[mailbox] << ageDays;
    };
    for (double age : inbox)
        plant(QStringLiteral("INBOX"), age);
    for (double age : sent)
        plant(QStringLiteral("Sent"), age);
    // More than a sample's worth of recent Inbox mail, so the rate is measured on 50.
    for (int i = 0; i < 60; ++i)
        plant(QStringLiteral("INBOX"), 2 + i * 0.1);
    // Never counted: other folders, however recent.
    plant(QStringLiteral("Drafts"), 1);
    plant(QStringLiteral("Archive"), 1);
}

void TestImapProbe::trustedCertificate_data()
{
    QTest::addColumn<int>("securityValue"); // Lookback::Security
    QTest::newRow("tls") << int(Security::Tls);
    QTest::newRow("starttls") << int(Security::StartTls);
}

void TestImapProbe::trustedCertificate()
{
    QFETCH(int, securityValue);
    const Security security = Security(securityValue);
    const ProbeResult r = runTest(settings(security));
    QVERIFY2(r.ok(), qPrintable(r.error.message));
    QCOMPARE(r.inboxName, QStringLiteral("INBOX"));
    QCOMPARE(r.sentName, QStringLiteral("Sent"));
    QVERIFY(r.capabilities.contains(QStringLiteral("IMAP4REV1")));
    QVERIFY(r.capabilities.contains(QStringLiteral("SPECIAL-USE")));
    QVERIFY(!r.certificateUntrusted);
    QVERIFY(r.certificateFingerprint.isEmpty());
}

void TestImapProbe::untrustedCertificate_data()
{
    trustedCertificate_data();
}

void TestImapProbe::untrustedCertificate()
{
    QFETCH(int, securityValue);
    const Security security = Security(securityValue);
    const ProbeResult r = runTest(settings(security, false));
    QCOMPARE(categoryName(r.error.category), QStringLiteral("tls"));
    QVERIFY(r.certificateUntrusted);
    QCOMPARE(r.certificateFingerprint, ImapConnection::fingerprint(m_cert));
    QCOMPARE(r.certificateDigestHex, ImapConnection::digestHex(m_cert));
    QVERIFY(r.certificateFingerprint.contains(QLatin1Char(':')));
    QVERIFY(r.inboxName.isEmpty());
    QVERIFY(r.sentName.isEmpty());
    // The digest it hands back is what makes the next attempt succeed.
    ImapSettings s = settings(security, false);
    s.trustedCertSha256 = r.certificateDigestHex;
    const ProbeResult again = runTest(s);
    QVERIFY2(again.ok(), qPrintable(again.error.message));
}

void TestImapProbe::otherTrustedCertificateIsNotEnough()
{
    ImapSettings s = settings();
    s.trustedCertSha256 = QString(64, QLatin1Char('a'));
    const ProbeResult r = runTest(s);
    QCOMPARE(categoryName(r.error.category), QStringLiteral("tls"));
    QVERIFY(r.certificateUntrusted);
    QCOMPARE(r.certificateFingerprint, ImapConnection::fingerprint(m_cert));
}

void TestImapProbe::plainConnection()
{
    const ProbeResult r = runTest(settings(Security::None, false));
    QVERIFY2(r.ok(), qPrintable(r.error.message));
    QCOMPARE(r.sentName, QStringLiteral("Sent"));
}

void TestImapProbe::wrongPassword()
{
    ImapSettings s = settings();
    s.password = QStringLiteral("not-the-password");
    const ProbeResult r = runTest(s);
    QCOMPARE(categoryName(r.error.category), QStringLiteral("auth-expired"));
    QVERIFY(!r.certificateUntrusted);
    QVERIFY(!r.error.message.contains(s.password));
}

void TestImapProbe::nothingListening()
{
    quint16 port = 0;
    {
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
        port = listener.serverPort();
    }
    ImapSettings s = settings();
    s.port = port;
    const ProbeResult r = runTest(s);
    QCOMPARE(categoryName(r.error.category), QStringLiteral("network"));
    QVERIFY(!r.error.message.isEmpty());
}

void TestImapProbe::emptyHost()
{
    ImapSettings s = settings();
    s.host = QStringLiteral("  ");
    const ProbeResult r = runTest(s);
    QCOMPARE(categoryName(r.error.category), QStringLiteral("configuration"));
}

void TestImapProbe::answersInOrder()
{
    ImapProbe probe;
    QSignalSpy spy(&probe, &ImapProbe::tested);
    ImapSettings wrong = settings();
    wrong.password = QStringLiteral("wrong");
    probe.test(wrong);
    probe.test(settings());
    probe.test(settings(Security::Tls, false));
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 3, 30000);
    QCOMPARE(categoryName(spy.at(0).first().value<ProbeResult>().error.category), QStringLiteral("auth-expired"));
    QVERIFY(spy.at(1).first().value<ProbeResult>().ok());
    QCOMPARE(categoryName(spy.at(2).first().value<ProbeResult>().error.category), QStringLiteral("tls"));
    QTest::qWait(200);
    QCOMPARE(spy.size(), 3); // exactly one answer per request
}

void TestImapProbe::countsPerRange()
{
    const RangeCounts c = runCount(settings(), {14, 280});
    QVERIFY2(c.ok(), qPrintable(c.error.message));
    auto expected = [this](double days) {
        qint64 n = 0;
        for (const QString &mailbox : {QStringLiteral("INBOX"), QStringLiteral("Sent")}) {
            for (double age : m_ages.value(mailbox))
                n += (days < 0 || age < days) ? 1 : 0;
        }
        return n;
    };
    QCOMPARE(c.last30, expected(30));
    QCOMPARE(c.last90, expected(90));
    QCOMPARE(c.last365, expected(365));
    QCOMPARE(c.everything, expected(-1));
    QCOMPARE(c.byDays.value(14, -1), expected(14));
    QCOMPARE(c.byDays.value(280, -1), expected(280));
    QCOMPARE(c.countFor(30), c.last30);
    QCOMPARE(c.countFor(-1), c.everything);
    QCOMPARE(c.countFor(14), expected(14));
    QCOMPARE(c.countFor(7), qint64(-1));
    // Sanity: the plan above really separates the ranges.
    QVERIFY(c.last30 < c.last90 && c.last90 < c.last365 && c.last365 < c.everything);
    QVERIFY2(c.messagesPerSecond > 0, qPrintable(QString::number(c.messagesPerSecond)));
}

void TestImapProbe::countFailsWithLoginError()
{
    ImapSettings s = settings();
    s.password = QStringLiteral("wrong");
    const RangeCounts c = runCount(s);
    QCOMPARE(categoryName(c.error.category), QStringLiteral("auth-expired"));
    QCOMPARE(c.everything, qint64(-1));
    QCOMPARE(c.messagesPerSecond, 0.0);
}

void TestImapProbe::destroyWhileRunning()
{
    // A server that accepts the connection and then says nothing: the probe is stuck
    // waiting for the greeting when it is destroyed.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    ImapSettings s = settings();
    s.port = silent.serverPort();
    QElapsedTimer t;
    {
        ImapProbe probe;
        probe.count(s);
        probe.test(settings());
        QVERIFY(silent.waitForNewConnection(5000));
        t.start();
    }
    QVERIFY2(t.elapsed() < 2000, "destroying a busy probe must not wait for the server");
}

QTEST_GUILESS_MAIN(TestImapProbe)
#include "tst_imapprobe.moc"
