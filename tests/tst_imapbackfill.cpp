// Backfill of Inbox and Sent from a real Dovecot: range, pause/resume, cancel,
// mail arriving meanwhile, UIDVALIDITY changes, TLS trust and login failure.

#include "archive/archivestore.h"
#include "backfillharness.h"
#include "dovecotserver.h"
#include "imap/imapconnection.h"

#include <QSqlQuery>
#include <QtTest>

using namespace Lookback;
using namespace Lookback::Test;

namespace {

struct Planted
{
    QString messageId;
    QString mailbox;
    QDateTime internalDate;
};

QString plant(DovecotServer &server, QVector<Planted> &planted, const QString &mailbox, const QDateTime &when,
              const QString &subject = QString())
{
    const QString id = QStringLiteral("m%1.%2@lookback.test").arg(planted.size()).arg(mailbox.toLower());
    const QString from = mailbox == QLatin1String("Sent") ? QStringLiteral("alice@example.org")
                                                          : QStringLiteral("Bob Example <bob@example.org>");
    const QString to = mailbox == QLatin1String("Sent") ? QStringLiteral("carol@example.org")
                                                        : QStringLiteral("alice@example.org");
    const QByteArray raw = DovecotServer::makeMessage(id, subject.isEmpty() ? QStringLiteral("Message %1").arg(planted.size()) : subject,
                                                      from, to, when, QStringLiteral("Body of message %1\n").arg(planted.size()));
    QString error;
    if (!server.addMessage(mailbox, raw, when, &error))
        qWarning() << "addMessage failed" << error;
    planted.append({id, mailbox, when});
    return id;
}

} // namespace

class TestImapBackfill : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void range_data();
    void range();
    void pauseThenResumeMatchesUninterrupted();
    void cancelKeepsWhatWasStored();
    void mailArrivingDuringBackfill();
    void serverGoneMidBackfillRetriesAndCompletes();
    void pauseWhileWaitingToRetry();
    void uidValidityChangeRematchesByMessageId();
    void sameMessageInInboxAndSentIsOneRow();
    void untrustedCertificateIsRefused();
    void starttlsWithTrustedCertificate();
    void wrongPasswordNeedsReconnect();
    void attachmentsAreMetadataOnly();

private:
    DovecotServer m_server;
    QVector<Planted> m_planted;
    QDateTime m_now;
};

void TestImapBackfill::initTestCase()
{
    QString error;
    m_server.setRawLogEnabled(true);
    QVERIFY2(m_server.start(&error), qPrintable(error));
    m_now = QDateTime::currentDateTimeUtc();
    // Two years of mail: Inbox every 5 days, Sent every 9 days.
    for (int day = 1; day <= 730; day += 5)
        plant(m_server, m_planted, QStringLiteral("INBOX"), m_now.addDays(-day).addSecs(-3600));
    for (int day = 2; day <= 730; day += 9)
        plant(m_server, m_planted, QStringLiteral("Sent"), m_now.addDays(-day).addSecs(-7200));
    // A few minutes either side of each boundary.
    for (int days : {30, 90, 365}) {
        plant(m_server, m_planted, QStringLiteral("INBOX"), m_now.addDays(-days).addSecs(+180));
        plant(m_server, m_planted, QStringLiteral("INBOX"), m_now.addDays(-days).addSecs(-180));
        plant(m_server, m_planted, QStringLiteral("Sent"), m_now.addDays(-days).addSecs(+240));
        plant(m_server, m_planted, QStringLiteral("Sent"), m_now.addDays(-days).addSecs(-240));
    }
    // Never fetched: drafts and other folders, however recent.
    for (int i = 0; i < 5; ++i) {
        plant(m_server, m_planted, QStringLiteral("Drafts"), m_now.addSecs(-600 * (i + 1)));
        plant(m_server, m_planted, QStringLiteral("Archive"), m_now.addSecs(-600 * (i + 1)));
    }
}

void TestImapBackfill::range_data()
{
    QTest::addColumn<QString>("range");
    QTest::newRow("30 days") << QStringLiteral("30d");
    QTest::newRow("90 days") << QStringLiteral("90d");
    QTest::newRow("365 days") << QStringLiteral("365d");
    QTest::newRow("everything") << QStringLiteral("all");
}

void TestImapBackfill::range()
{
    QFETCH(QString, range);
    BackfillRange r;
    QVERIFY(BackfillRange::parse(range, &r));
    BackfillHarness h(m_server);
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    HarnessRequest request = h.request(r);
    request.options.pageSize = 17;
    const SyncProgress result = h.run(request);
    QCOMPARE(backfillStateName(result.state), QStringLiteral("complete"));

    // The range start is fixed when the job starts; read it back.
    ArchiveStore store(h.archivePath());
    SyncError e;
    QVERIFY(store.open(&e));
    BackfillJobRecord job;
    QVERIFY(store.latestJob(h.connectionId(), &job));
    QSet<QString> expected;
    int expectedInbox = 0, expectedSent = 0;
    for (const Planted &p : m_planted) {
        if (p.mailbox != QLatin1String("INBOX") && p.mailbox != QLatin1String("Sent"))
            continue;
        if (job.rangeStart.isValid() && p.internalDate < job.rangeStart)
            continue;
        expected.insert(p.messageId);
        (p.mailbox == QLatin1String("INBOX") ? expectedInbox : expectedSent) += 1;
    }
    const QHash<QString, int> archived = h.archivedMessageIds();
    QSet<QString> got;
    for (auto it = archived.cbegin(); it != archived.cend(); ++it) {
        QCOMPARE(it.value(), 1);
        got.insert(it.key());
    }
    QCOMPARE(got - expected, QSet<QString>());
    QCOMPARE(expected - got, QSet<QString>());
    QCOMPARE(h.archivedCount(QStringLiteral("inbox")), qint64(expectedInbox));
    QCOMPARE(h.archivedCount(QStringLiteral("sent")), qint64(expectedSent));
    // The count on the server was right before anything was fetched.
    QCOMPARE(job.estimatedTotal, qint64(expected.size()));
    QCOMPARE(result.fetched, qint64(expected.size()));
}

void TestImapBackfill::pauseThenResumeMatchesUninterrupted()
{
    QString error;
    BackfillHarness straight(m_server);
    QVERIFY2(straight.init(&error), qPrintable(error));
    HarnessRequest request = straight.request(BackfillRange::everything());
    request.options.pageSize = 10;
    QCOMPARE(backfillStateName(straight.run(request).state), QStringLiteral("complete"));

    m_server.clearRawLogs();
    BackfillHarness paused(m_server);
    QVERIFY2(paused.init(&error), qPrintable(error));
    request = paused.request(BackfillRange::everything());
    request.options.pageSize = 10;
    bool pauseSent = false, sawPaused = false, resumeSent = false;
    qint64 fetchedAtPause = -1;
    const SyncProgress result = paused.run(request, [&](SyncService &c, const SyncProgress &p) {
        if (!pauseSent && p.fetched >= 30) {
            pauseSent = true;
            c.pause(p.connectionId);
        }
        if (p.state == BackfillState::Paused && !resumeSent) {
            sawPaused = true;
            fetchedAtPause = p.fetched;
            resumeSent = true;
            // Stay paused a moment: nothing may move while paused.
            QTimer::singleShot(300, [&c, id = p.connectionId] { c.resume(id); });
        }
    });
    QVERIFY(sawPaused);
    QVERIFY2(fetchedAtPause > 0 && fetchedAtPause < result.fetched, "the pause happened mid-backfill");
    QCOMPARE(fetchedAtPause % 10, 0); // stopped at the end of a page
    QCOMPARE(backfillStateName(result.state), QStringLiteral("complete"));
    QCOMPARE(paused.archivedMessageIds(), straight.archivedMessageIds());
    QCOMPARE(paused.archivedCount(QStringLiteral("inbox")), straight.archivedCount(QStringLiteral("inbox")));
    QCOMPARE(paused.archivedCount(QStringLiteral("sent")), straight.archivedCount(QStringLiteral("sent")));

    // What the server saw: no UID was asked for its content twice.
    const auto counts = m_server.fullFetchCountsByMailboxUid();
    QVERIFY(!counts.isEmpty());
    int total = 0;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        QVERIFY2(it.value() == 1, qPrintable(QStringLiteral("%1 UID %2 fetched %3 times").arg(it.key().first).arg(it.key().second).arg(it.value())));
        QVERIFY(it.key().first == QLatin1String("INBOX") || it.key().first == QLatin1String("Sent"));
        ++total;
    }
    QCOMPARE(qint64(total), result.fetched);
}

void TestImapBackfill::cancelKeepsWhatWasStored()
{
    QString error;
    BackfillHarness h(m_server);
    QVERIFY2(h.init(&error), qPrintable(error));
    HarnessRequest request = h.request(BackfillRange::everything());
    request.options.pageSize = 5;
    bool cancelled = false;
    const SyncProgress result = h.run(request, [&](SyncService &c, const SyncProgress &p) {
        if (!cancelled && p.fetched >= 20) {
            cancelled = true;
            c.cancel(p.connectionId);
        }
    });
    QCOMPARE(backfillStateName(result.state), QStringLiteral("cancelled"));
    QCOMPARE(result.health, Health::Healthy);
    const qint64 kept = h.archivedCount();
    QVERIFY(kept >= 20);
    QVERIFY(kept < result.estimatedTotal);
    ArchiveStore store(h.archivePath());
    SyncError e;
    QVERIFY(store.open(&e));
    ConnectionRecord conn;
    QVERIFY(store.connectionById(h.connectionId(), &conn));
    QCOMPARE(conn.health, Health::Healthy);
    const auto runs = store.runs(h.connectionId());
    QCOMPARE(runs.size(), 1);
    QCOMPARE(runs.first().outcome, QStringLiteral("cancelled"));
    QVERIFY(runs.first().message.contains(QLocale().toString(result.fetched)));
}

void TestImapBackfill::mailArrivingDuringBackfill()
{
    DovecotServer server;
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    QVector<Planted> planted;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < 120; ++i)
        plant(server, planted, QStringLiteral("INBOX"), now.addSecs(-3600 * (i + 1)));
    BackfillHarness h(server);
    QVERIFY2(h.init(&error), qPrintable(error));
    HarnessRequest request = h.request(BackfillRange{30});
    request.options.pageSize = 5;
    bool added = false;
    const SyncProgress result = h.run(request, [&](SyncService &, const SyncProgress &p) {
        if (!added && p.fetched >= 10) {
            added = true;
            for (int i = 0; i < 4; ++i)
                plant(server, planted, QStringLiteral("INBOX"), QDateTime::currentDateTimeUtc());
            plant(server, planted, QStringLiteral("Sent"), QDateTime::currentDateTimeUtc());
        }
    });
    QVERIFY(added);
    QCOMPARE(backfillStateName(result.state), QStringLiteral("complete"));
    const QHash<QString, int> archived = h.archivedMessageIds();
    QCOMPARE(archived.size(), planted.size());
    for (const Planted &p : planted)
        QVERIFY2(archived.value(p.messageId) == 1, qPrintable(p.messageId));
}

void TestImapBackfill::serverGoneMidBackfillRetriesAndCompletes()
{
    DovecotServer server;
    QString error;
    server.setRawLogEnabled(true);
    QVERIFY2(server.start(&error), qPrintable(error));
    QVector<Planted> planted;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < 300; ++i)
        plant(server, planted, i % 4 ? QStringLiteral("INBOX") : QStringLiteral("Sent"), now.addSecs(-1800 * (i + 1)));
    BackfillHarness h(server);
    QVERIFY2(h.init(&error), qPrintable(error));
    HarnessRequest request = h.request(BackfillRange::everything());
    request.options.pageSize = 5;
    request.options.maxAttemptsWithoutProgress = 6;
    bool dropped = false, sawOffline = false;
    const SyncProgress result = h.run(request, [&](SyncService &, const SyncProgress &p) {
        if (!dropped && p.fetched >= 40) {
            dropped = true;
            // The session is cut under the page in flight, and the server stays away.
            server.doveadm({QStringLiteral("kick"), server.user()});
            server.stop();
        }
        if (dropped && !sawOffline && p.health == Health::Offline && p.retryAt.isValid()) {
            sawOffline = true;
            QString e;
            QVERIFY2(server.restart(&e), qPrintable(e)); // back before the retry
        }
    });
    QVERIFY(dropped);
    QVERIFY2(sawOffline, "the card said Offline, retrying at a given time");
    QCOMPARE(backfillStateName(result.state), QStringLiteral("complete"));
    const QHash<QString, int> archived = h.archivedMessageIds();
    QCOMPARE(archived.size(), planted.size());
    for (auto it = archived.cbegin(); it != archived.cend(); ++it)
        QCOMPARE(it.value(), 1);
    // At most the page in flight (and the one asked for ahead of it) was fetched again.
    int twice = 0;
    const auto counts = server.fullFetchCountsByMailboxUid();
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        twice += it.value() > 1 ? 1 : 0;
    QVERIFY2(twice <= 2 * request.options.pageSize, qPrintable(QString::number(twice)));
}

void TestImapBackfill::pauseWhileWaitingToRetry()
{
    DovecotServer server;
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    QVector<Planted> planted;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < 200; ++i)
        plant(server, planted, QStringLiteral("INBOX"), now.addSecs(-1800 * (i + 1)));
    BackfillHarness h(server);
    QVERIFY2(h.init(&error), qPrintable(error));
    HarnessRequest request = h.request(BackfillRange::everything());
    request.options.pageSize = 5;
    request.options.maxAttemptsWithoutProgress = 6;
    bool dropped = false, pausedWhileOffline = false, resumed = false;
    qint64 atPause = -1;
    const SyncProgress result = h.run(request, [&](SyncService &c, const SyncProgress &p) {
        if (!dropped && p.fetched >= 30) {
            dropped = true;
            server.doveadm({QStringLiteral("kick"), server.user()});
            server.stop();
        }
        if (dropped && !pausedWhileOffline && p.health == Health::Offline) {
            pausedWhileOffline = true;
            c.pause(p.connectionId); // the user pauses while it waits to retry
        }
        if (pausedWhileOffline && !resumed && p.state == BackfillState::Paused) {
            resumed = true;
            atPause = p.fetched;
            QString e;
            QVERIFY2(server.restart(&e), qPrintable(e));
            c.resume(p.connectionId);
        }
    });
    QVERIFY(pausedWhileOffline);
    QVERIFY2(resumed, "the pause landed while the backfill was waiting to retry");
    QCOMPARE(atPause % 5, 0);
    QCOMPARE(backfillStateName(result.state), QStringLiteral("complete"));
    const QHash<QString, int> archived = h.archivedMessageIds();
    QCOMPARE(archived.size(), planted.size());
}

void TestImapBackfill::uidValidityChangeRematchesByMessageId()
{
    DovecotServer server;
    QString error;
    server.setRawLogEnabled(true);
    QVERIFY2(server.start(&error), qPrintable(error));
    QVector<Planted> planted;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < 40; ++i)
        plant(server, planted, QStringLiteral("INBOX"), now.addDays(-i - 1));
    BackfillHarness h(server);
    QVERIFY2(h.init(&error), qPrintable(error));
    HarnessRequest request = h.request(BackfillRange::everything());
    request.options.pageSize = 8;
    QCOMPARE(backfillStateName(h.run(request).state), QStringLiteral("complete"));
    QCOMPARE(h.archivedCount(), qint64(40));

    quint32 before = server.uidValidity(QStringLiteral("INBOX"));
    quint32 after = 0;
    QVERIFY2(server.bumpUidValidity(QStringLiteral("INBOX"), &error, &after), qPrintable(error));
    QVERIFY(after != before);
    const QString newOne = plant(server, planted, QStringLiteral("INBOX"), now.addSecs(-60));
    server.clearRawLogs();

    const SyncProgress second = h.run(request);
    QCOMPARE(backfillStateName(second.state), QStringLiteral("complete"));
    const QHash<QString, int> archived = h.archivedMessageIds();
    QCOMPARE(archived.size(), 41);
    for (auto it = archived.cbegin(); it != archived.cend(); ++it)
        QCOMPARE(it.value(), 1);
    QCOMPARE(h.archivedCount(QStringLiteral("inbox")), qint64(41));
    // Only the new message was downloaded again; the others were matched by Message-ID.
    const auto counts = server.fullFetchCountsByMailboxUid();
    QCOMPARE(counts.size(), 1);
    Q_UNUSED(newOne)
}

void TestImapBackfill::sameMessageInInboxAndSentIsOneRow()
{
    DovecotServer server;
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    const QDateTime when = QDateTime::currentDateTimeUtc().addDays(-2);
    const QByteArray raw = DovecotServer::makeMessage(QStringLiteral("self-cc@lookback.test"), QStringLiteral("Note to self"),
                                                      QStringLiteral("alice@example.org"), QStringLiteral("alice@example.org"),
                                                      when, QStringLiteral("cc to myself\n"));
    QVERIFY(server.addMessage(QStringLiteral("INBOX"), raw, when));
    QVERIFY(server.addMessage(QStringLiteral("Sent"), raw, when));
    BackfillHarness h(server);
    QVERIFY2(h.init(&error), qPrintable(error));
    QCOMPARE(backfillStateName(h.run(h.request(BackfillRange{30})).state), QStringLiteral("complete"));
    QCOMPARE(h.archivedCount(), qint64(1));
    QCOMPARE(h.archivedCount(QStringLiteral("inbox")), qint64(1));
    QCOMPARE(h.archivedCount(QStringLiteral("sent")), qint64(1));
}

void TestImapBackfill::untrustedCertificateIsRefused()
{
    BackfillHarness h(m_server);
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    HarnessRequest request = h.request(BackfillRange{30});
    QVERIFY(h.editConnection([](ConnectionRecord &c) { c.trustedCertSha256.clear(); }));
    const SyncProgress result = h.run(request);
    QCOMPARE(backfillStateName(result.state), QStringLiteral("failed"));
    QCOMPARE(result.error.category, ErrorCategory::Tls);
    QVERIFY2(result.error.message.contains(QStringLiteral("not trusted")), qPrintable(result.error.message));
    const QSslCertificate cert(m_server.certificatePem(), QSsl::Pem);
    QVERIFY2(result.error.message.contains(ImapConnection::fingerprint(cert)), qPrintable(result.error.message));
    QCOMPARE(h.archivedCount(), qint64(0));

    // A different certificate's fingerprint is not a licence either.
    QVERIFY(h.editConnection([](ConnectionRecord &c) { c.trustedCertSha256 = QString(64, QLatin1Char('a')); }));
    QCOMPARE(h.run(request).error.category, ErrorCategory::Tls);
}

void TestImapBackfill::starttlsWithTrustedCertificate()
{
    BackfillHarness h(m_server);
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    HarnessRequest request = h.request(BackfillRange{30});
    QVERIFY(h.editConnection([this](ConnectionRecord &c) {
        c.port = m_server.plainPort();
        c.security = QStringLiteral("starttls");
    }));
    const SyncProgress result = h.run(request);
    QCOMPARE(backfillStateName(result.state), QStringLiteral("complete"));
    QVERIFY(h.archivedCount() > 0);
}

void TestImapBackfill::wrongPasswordNeedsReconnect()
{
    BackfillHarness h(m_server);
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    HarnessRequest request = h.request(BackfillRange{30});
    request.password = QStringLiteral("not-the-password");
    const SyncProgress result = h.run(request);
    QCOMPARE(backfillStateName(result.state), QStringLiteral("failed"));
    QCOMPARE(result.error.category, ErrorCategory::AuthExpired);
    QCOMPARE(result.health, Health::NeedsReconnect);
    ArchiveStore store(h.archivePath());
    SyncError e;
    QVERIFY(store.open(&e));
    ConnectionRecord conn;
    QVERIFY(store.connectionById(h.connectionId(), &conn));
    QCOMPARE(conn.health, Health::NeedsReconnect);
    QVERIFY(!conn.healthDetail.contains(QStringLiteral("not-the-password")));
}

void TestImapBackfill::attachmentsAreMetadataOnly()
{
    DovecotServer server;
    QString error;
    server.setRawLogEnabled(true);
    QVERIFY2(server.start(&error), qPrintable(error));
    const QDateTime when = QDateTime::currentDateTimeUtc().addDays(-1);
    const QByteArray payload = QByteArray(300000, 'Z').toBase64();
    QByteArray wrapped;
    for (int i = 0; i < payload.size(); i += 76)
        wrapped += payload.mid(i, 76) + "\r\n";
    const QByteArray raw =
        "From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@example.de>\r\n"
        "To: alice@example.org\r\n"
        "Subject: =?ISO-8859-1?Q?Gr=FC=DFe_mit_Anhang?=\r\n"
        "Message-ID: <attach-1@lookback.test>\r\n"
        "Date: " + when.toString(Qt::RFC2822Date).toLatin1() + "\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"XYZ\"\r\n\r\n"
        "--XYZ\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        "Hier ist der Bericht f=FCr M=E4rz.\r\n"
        "--XYZ\r\nContent-Type: application/pdf; name=\"bericht.pdf\"\r\n"
        "Content-Disposition: attachment; filename*=UTF-8''Bericht%20M%C3%A4rz.pdf\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n" + wrapped +
        "--XYZ--\r\n";
    QVERIFY(server.addMessage(QStringLiteral("INBOX"), raw, when));
    BackfillHarness h(server);
    QVERIFY2(h.init(&error), qPrintable(error));
    const SyncProgress result = h.run(h.request(BackfillRange{30}));
    QCOMPARE(backfillStateName(result.state), QStringLiteral("complete"));
    // 400 KB of attachment on the server, a few KB read.
    QVERIFY2(result.bytesRead < 20000, qPrintable(QString::number(result.bytesRead)));

    ArchiveStore store(h.archivePath());
    SyncError e;
    QVERIFY(store.open(&e));
    const auto list = store.list(h.connectionId(), QStringLiteral("inbox"), 10, 0);
    QCOMPARE(list.size(), 1);
    MessageRecord m;
    QVERIFY(store.message(list.first().id, &m));
    QCOMPARE(m.subject, QStringLiteral("Grüße mit Anhang"));
    QCOMPARE(m.fromName, QStringLiteral("Jürgen Müller"));
    QVERIFY2(m.bodyText.contains(QStringLiteral("Bericht für März")), qPrintable(m.bodyText));
    QCOMPARE(m.attachments.size(), 1);
    QCOMPARE(m.attachments.first().fileName, QStringLiteral("Bericht März.pdf"));
    QCOMPARE(m.attachments.first().mimeType, QStringLiteral("application/pdf"));
    QVERIFY(m.attachments.first().size > 300000);
    // Searchable by the decoded words.
    SearchQuery q = SearchQuery::parse(QStringLiteral("from:juergen märz"));
    QCOMPARE(store.search(q, 10, 0, &e).size(), 1);
}

QTEST_GUILESS_MAIN(TestImapBackfill)
#include "tst_imapbackfill.moc"
