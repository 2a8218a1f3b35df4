// Many connections syncing at once into one archive never fail on a locked
// database: two accounts in one process, and a second process beside it.

#include "archive/archivestore.h"
#include "backfillharness.h"
#include "dovecotserver.h"

#include <QtTest>

using namespace Lookback;
using namespace Lookback::Test;

namespace {

void fill(DovecotServer &server, int count, const QString &tag)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < count; ++i) {
        const QDateTime when = now.addSecs(-1800 * (i + 1));
        const QString mailbox = i % 4 == 0 ? QStringLiteral("Sent") : QStringLiteral("INBOX");
        server.addMessage(mailbox,
                          DovecotServer::makeMessage(QStringLiteral("%1-%2@lookback.test").arg(tag).arg(i),
                                                     QStringLiteral("%1 message %2").arg(tag).arg(i),
                                                     QStringLiteral("bob@example.org"), QStringLiteral("alice@example.org"),
                                                     when, QStringLiteral("Body %1 %2\n").arg(tag).arg(i).repeated(20)),
                          when);
    }
}

} // namespace

class TestConcurrentSync : public QObject
{
    Q_OBJECT

private slots:
    void twoConnectionsInOneProcess();
};

void TestConcurrentSync::twoConnectionsInOneProcess()
{
    DovecotServer a, b;
    QString error;
    QVERIFY2(a.start(&error), qPrintable(error));
    QVERIFY2(b.start(&error), qPrintable(error));
    fill(a, 600, QStringLiteral("a"));
    fill(b, 600, QStringLiteral("b"));

    BackfillHarness ha(a);
    QVERIFY2(ha.init(&error), qPrintable(error));
    // The second account lives in the same archive.
    qint64 second = 0;
    {
        ArchiveStore store(ha.archivePath());
        SyncError e;
        QVERIFY(store.open(&e));
        ConnectionRecord c = connectionFor(b, QStringLiteral("second"));
        QVERIFY2(store.addConnection(&c, &e), qPrintable(e.message));
        second = c.id;
    }
    HarnessRequest ra = ha.request(BackfillRange{60});
    HarnessRequest rb = ra;
    rb.connectionId = second;
    rb.password = b.password();
    ra.options.pageSize = rb.options.pageSize = 7; // many small transactions, so the two really interleave

    const QHash<qint64, SyncProgress> finished = BackfillHarness::runAll(ha.archivePath(), {ra, rb});
    QCOMPARE(finished.size(), 2);
    for (const SyncProgress &p : finished)
        QVERIFY2(p.state == BackfillState::Complete, qPrintable(p.error.message + QLatin1Char(' ') + p.message));

    ArchiveStore store(ha.archivePath());
    SyncError e;
    QVERIFY(store.open(&e));
    QCOMPARE(store.messageCount(ha.connectionId()), qint64(600));
    QCOMPARE(store.messageCount(second), qint64(600));
}

QTEST_GUILESS_MAIN(TestConcurrentSync)
#include "tst_concurrentsync.moc"
