// Many connections syncing at once into one archive never fail on a locked
// database: two accounts in one process, and a second process beside it.

#include "archive/archivestore.h"
#include "backfillharness.h"
#include "cliprocess.h"
#include "dovecotserver.h"
#include "keyringsession.h"
#include "testpaths.h"

#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>

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
    void cliBesideTheDesktopProgram();
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

// lookback-cli backfilling one account while the desktop program's SyncService
// backfills another, into the same archive: two processes, two writers, small pages.
void TestConcurrentSync::cliBesideTheDesktopProgram()
{
    KeyringSession keyring;
    DovecotServer a, b;
    QString error;
    QVERIFY2(keyring.start(&error), qPrintable(error));
    QVERIFY2(a.start(&error), qPrintable(error));
    QVERIFY2(b.start(&error), qPrintable(error));
    fill(a, 500, QStringLiteral("cli"));
    fill(b, 500, QStringLiteral("app"));

    QTemporaryDir dataDir;
    const QString archive = ArchiveStore::defaultPath(dataDir.path());
    {
        const CliResult add = runCli({QStringLiteral("--data-dir"), dataDir.path(), QStringLiteral("add-imap"), QStringLiteral("cli"),
                                      QStringLiteral("--host"), a.host(), QStringLiteral("--port"), QString::number(a.tlsPort()),
                                      QStringLiteral("--security"), QStringLiteral("tls"), QStringLiteral("--user"), a.user(),
                                      QStringLiteral("--password-stdin"), QStringLiteral("--trust-cert"), a.certificatePath()},
                                     a.password().toUtf8() + '\n', keyring.environment(), 30000);
        QVERIFY2(add.exitCode == 0, qPrintable(add.err));
    }
    qint64 appConnection = 0;
    {
        ArchiveStore store(archive);
        SyncError e;
        QVERIFY2(store.open(&e), qPrintable(e.message));
        ConnectionRecord c = connectionFor(b, QStringLiteral("app"));
        QVERIFY2(store.addConnection(&c, &e), qPrintable(e.message));
        appConnection = c.id;
    }

    // Started, not waited for: the desktop side runs while it does.
    auto cli = std::make_unique<QProcess>();
    cli->setProcessEnvironment(keyring.environment());
    cli->start(cliPath(), {QStringLiteral("--data-dir"), dataDir.path(), QStringLiteral("backfill"), QStringLiteral("cli"),
                           QStringLiteral("--range"), QStringLiteral("60d"), QStringLiteral("--page-size"), QStringLiteral("5")});
    QVERIFY(cli->waitForStarted());
    cli->closeWriteChannel();
    HarnessRequest request;
    request.range = BackfillRange{60};
    request.connectionId = appConnection;
    request.password = b.password();
    request.options.pageSize = 5;
    request.options.retryFirstConnect = false;
    request.options.maxAttemptsWithoutProgress = 3;
    request.options.retryBaseMs = 200;
    QVERIFY2(cli->state() == QProcess::Running, "the CLI is still backfilling when the desktop side starts");
    const QHash<qint64, SyncProgress> finished = BackfillHarness::runAll(archive, {request});
    // (waitForFinished() is false for a process that already ended.)
    QVERIFY(cli->state() == QProcess::NotRunning || cli->waitForFinished(120000));
    const QByteArray cliErrors = cli->readAllStandardError();
    QVERIFY2(cli->exitCode() == 0, cliErrors.constData());
    QVERIFY2(!cliErrors.contains("locked"), cliErrors.constData());
    QCOMPARE(finished.size(), 1);
    const SyncProgress app = finished.value(appConnection);
    QVERIFY2(app.state == BackfillState::Complete, qPrintable(app.error.message + QLatin1Char(' ') + app.message));

    ArchiveStore store(archive);
    SyncError e;
    QVERIFY(store.open(&e));
    QCOMPARE(store.messageCount(appConnection), qint64(500));
    QSqlQuery all(store.database());
    QVERIFY(all.exec(QStringLiteral("SELECT count(*), count(DISTINCT message_id) FROM messages")) && all.next());
    QCOMPARE(all.value(0).toLongLong(), qint64(1000));
    QCOMPARE(all.value(1).toLongLong(), qint64(1000));
}

QTEST_GUILESS_MAIN(TestConcurrentSync)
#include "tst_concurrentsync.moc"
