// lookback-cli end to end: a real Dovecot, the real Secret Service, the real binary.

#include "archive/archivestore.h"
#include "cliprocess.h"
#include "dovecotserver.h"
#include "keyringsession.h"
#include "testpaths.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace Lookback;
using namespace Lookback::Test;


class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void addBackfillStatusSearch();
    void passwordOnlyInKeychain();
    void badArguments_data();
    void badArguments();
    void unreachableServer();
    void noKeychainIsAClearError();
    void ctrlCPausesAndRunningAgainResumes();
    void sigkillAtSeveralPointsThenResume();
    void sigkillAtRandomMomentsThenResume();

private:
    CliResult run(const QStringList &args, const QByteArray &input = QByteArray(),
                  const QProcessEnvironment &env = QProcessEnvironment(), int timeoutMs = 120000);
    QProcess *launch(const QStringList &args, const QByteArray &input);
    QStringList base() const { return {QStringLiteral("--data-dir"), m_dataDir.path()}; }
    bool addConnection(const QString &name, DovecotServer &server, const QString &dataDir);
    qint64 countRows(const QString &dataDir, QHash<QString, int> *ids = nullptr);

    KeyringSession m_keyring;
    DovecotServer m_server;
    QTemporaryDir m_dataDir;
    QDateTime m_planted;
};

void TestCli::initTestCase()
{
    QString error;
    QVERIFY2(m_keyring.start(&error), qPrintable(error));
    QVERIFY2(m_server.start(&error), qPrintable(error));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < 60; ++i) {
        const bool sent = i % 3 == 0;
        const QDateTime when = now.addSecs(-i * 86400 - 3600);
        const QByteArray raw = DovecotServer::makeMessage(
            QStringLiteral("cli%1@lookback.test").arg(i),
            sent ? QStringLiteral("Re: quarterly numbers %1").arg(i) : QStringLiteral("Invoice %1 from Bob").arg(i),
            sent ? QStringLiteral("alice@example.org") : QStringLiteral("Bob Builder <bob@example.org>"),
            sent ? QStringLiteral("bob@example.org") : QStringLiteral("alice@example.org"), when,
            QStringLiteral("Please find the figures for item %1.\n").arg(i));
        QVERIFY(m_server.addMessage(sent ? QStringLiteral("Sent") : QStringLiteral("INBOX"), raw, when));
    }
    m_planted = now;
}

QProcess *TestCli::launch(const QStringList &args, const QByteArray &input)
{
    auto *p = new QProcess(this);
    p->setProcessEnvironment(m_keyring.environment());
    p->start(cliPath(), args);
    p->waitForStarted();
    p->write(input);
    p->closeWriteChannel();
    return p;
}

CliResult TestCli::run(const QStringList &args, const QByteArray &input, const QProcessEnvironment &env, int timeoutMs)
{
    return runCli(args, input, env.isEmpty() ? m_keyring.environment() : env, timeoutMs);
}

bool TestCli::addConnection(const QString &name, DovecotServer &server, const QString &dataDir)
{
    const CliResult r = run({QStringLiteral("--data-dir"), dataDir, QStringLiteral("add-imap"), name,
                             QStringLiteral("--host"), server.host(), QStringLiteral("--port"),
                             QString::number(server.tlsPort()), QStringLiteral("--security"), QStringLiteral("tls"),
                             QStringLiteral("--user"), server.user(), QStringLiteral("--password-stdin"),
                             QStringLiteral("--trust-cert"), server.certificatePath()},
                            server.password().toUtf8() + '\n');
    if (r.exitCode != 0)
        qWarning() << r.err;
    return r.exitCode == 0;
}

qint64 TestCli::countRows(const QString &dataDir, QHash<QString, int> *ids)
{
    ArchiveStore store(ArchiveStore::defaultPath(dataDir));
    SyncError e;
    if (!store.open(&e))
        return -1;
    QSqlQuery q(store.database());
    q.exec(QStringLiteral("SELECT message_id FROM messages"));
    qint64 n = 0;
    while (q.next()) {
        ++n;
        if (ids)
            (*ids)[q.value(0).toString()] += 1;
    }
    return n;
}

void TestCli::addBackfillStatusSearch()
{
    QVERIFY(addConnection(QStringLiteral("work"), m_server, m_dataDir.path()));

    CliResult r = run(base() + QStringList{QStringLiteral("backfill"), QStringLiteral("work"), QStringLiteral("--range"), QStringLiteral("30d")});
    QCOMPARE(r.exitCode, 0);
    // 30 days of one message a day, a third of them in Sent.
    QVERIFY2(r.out.contains(QStringLiteral("Sync complete — 30 messages from the last 30 days")), qPrintable(r.out + r.err));
    QVERIFY2(r.err.contains(QStringLiteral("of ~30 messages")), qPrintable(r.err));

    r = run(base() + QStringList{QStringLiteral("status"), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray all = QJsonDocument::fromJson(r.out.toUtf8()).array();
    QCOMPARE(all.size(), 1);
    const QJsonObject work = all.first().toObject();
    QCOMPARE(work.value(QStringLiteral("name")).toString(), QStringLiteral("work"));
    QCOMPARE(work.value(QStringLiteral("health")).toString(), QStringLiteral("healthy"));
    const QJsonObject b = work.value(QStringLiteral("backfill")).toObject();
    QCOMPARE(b.value(QStringLiteral("state")).toString(), QStringLiteral("complete"));
    QCOMPARE(b.value(QStringLiteral("fetched")).toInt(), 30);
    QCOMPARE(b.value(QStringLiteral("estimatedTotal")).toInt(), 30);
    const QJsonObject counts = work.value(QStringLiteral("archive")).toObject();
    QCOMPARE(counts.value(QStringLiteral("inbox")).toInt(), 20);
    QCOMPARE(counts.value(QStringLiteral("sent")).toInt(), 10);

    r = run(base() + QStringList{QStringLiteral("status")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QStringLiteral("20 in Inbox, 10 in Sent")), qPrintable(r.out));

    // Widening the range fetches only the missing part.
    r = run(base() + QStringList{QStringLiteral("backfill"), QStringLiteral("work"), QStringLiteral("--range"), QStringLiteral("45d")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QStringLiteral("Sync complete — 15 messages")), qPrintable(r.out));
    QCOMPARE(countRows(m_dataDir.path()), qint64(45));

    r = run(base() + QStringList{QStringLiteral("search"), QStringLiteral("--json"), QStringLiteral("invoice from:bob")});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray hits = QJsonDocument::fromJson(r.out.toUtf8()).array();
    QCOMPARE(hits.size(), 30);
    for (const QJsonValue &v : hits)
        QCOMPARE(v.toObject().value(QStringLiteral("fromAddress")).toString(), QStringLiteral("bob@example.org"));
    r = run(base() + QStringList{QStringLiteral("search"), QStringLiteral("--json"), QStringLiteral("subject:quarterly"), QStringLiteral("to:bob")});
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).array().size(), 15);
    const QDate afterDay = QDate::currentDate().addDays(-10);
    int expectedAfter = 0;
    for (int i = 0; i < 45; ++i)
        expectedAfter += m_planted.addSecs(-i * 86400 - 3600) >= afterDay.startOfDay() ? 1 : 0;
    r = run(base() + QStringList{QStringLiteral("search"), QStringLiteral("figures"), QStringLiteral("after:") + afterDay.toString(Qt::ISODate)});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QStringLiteral("%1 messages").arg(expectedAfter)), qPrintable(r.out));
}

void TestCli::passwordOnlyInKeychain()
{
    QTemporaryDir dir;
    QVERIFY(addConnection(QStringLiteral("secret-check"), m_server, dir.path()));
    const QByteArray password = m_server.password().toUtf8();
    // QtKeychain's libsecret backend keeps binary secrets base64-encoded.
    const QStringList secrets = m_keyring.dumpAllSecrets();
    QVERIFY2(secrets.contains(m_server.password()) || secrets.contains(QString::fromLatin1(password.toBase64())),
             qPrintable(secrets.join(QLatin1Char(','))));
    QCOMPARE(run({QStringLiteral("--data-dir"), dir.path(), QStringLiteral("backfill"), QStringLiteral("secret-check"),
                  QStringLiteral("--range"), QStringLiteral("7d")}).exitCode, 0);
    // Nowhere on disk but the keyring: not the archive, its WAL, nor anything else in the data folder.
    QDirIterator it(dir.path(), QDir::Files, QDirIterator::Subdirectories);
    int files = 0;
    while (it.hasNext()) {
        QFile f(it.next());
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray content = f.readAll();
        QVERIFY2(!content.contains(password) && !content.contains(password.toBase64()), qPrintable(f.fileName()));
        ++files;
    }
    QVERIFY(files > 0);
}

void TestCli::badArguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no command") << QStringList{} << QStringLiteral("no command");
    QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << QStringLiteral("unknown command");
    QTest::newRow("bad range") << QStringList{QStringLiteral("backfill"), QStringLiteral("work"), QStringLiteral("--range"), QStringLiteral("lots")} << QStringLiteral("--range");
    QTest::newRow("no such connection") << QStringList{QStringLiteral("backfill"), QStringLiteral("nope")} << QStringLiteral("no connection named");
    QTest::newRow("bad port") << QStringList{QStringLiteral("add-imap"), QStringLiteral("x"), QStringLiteral("--host"), QStringLiteral("h"), QStringLiteral("--port"), QStringLiteral("99999"), QStringLiteral("--user"), QStringLiteral("u"), QStringLiteral("--password-stdin")} << QStringLiteral("--port");
    QTest::newRow("bad security") << QStringList{QStringLiteral("add-imap"), QStringLiteral("x"), QStringLiteral("--host"), QStringLiteral("h"), QStringLiteral("--port"), QStringLiteral("993"), QStringLiteral("--security"), QStringLiteral("ssl3"), QStringLiteral("--user"), QStringLiteral("u"), QStringLiteral("--password-stdin")} << QStringLiteral("--security");
    QTest::newRow("password on command line refused") << QStringList{QStringLiteral("add-imap"), QStringLiteral("x"), QStringLiteral("--host"), QStringLiteral("h"), QStringLiteral("--port"), QStringLiteral("993"), QStringLiteral("--user"), QStringLiteral("u")} << QStringLiteral("--password-stdin");
    QTest::newRow("duplicate name") << QStringList{QStringLiteral("add-imap"), QStringLiteral("work"), QStringLiteral("--host"), QStringLiteral("h"), QStringLiteral("--port"), QStringLiteral("993"), QStringLiteral("--user"), QStringLiteral("u"), QStringLiteral("--password-stdin")} << QStringLiteral("already exists");
    QTest::newRow("bad date in search") << QStringList{QStringLiteral("search"), QStringLiteral("before:yesterday")} << QStringLiteral("Not a date");
}

void TestCli::badArguments()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const qint64 before = countRows(m_dataDir.path());
    const CliResult r = run(base() + args, "pw\n");
    QCOMPARE(r.exitCode, 2);
    const QStringList lines = r.err.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines.first().startsWith(QStringLiteral("lookback-cli: ")), qPrintable(r.err));
    QVERIFY2(r.err.contains(expected), qPrintable(r.err));
    QCOMPARE(countRows(m_dataDir.path()), before);
}

void TestCli::unreachableServer()
{
    QTemporaryDir dir;
    // A port nothing listens on.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    CliResult r = run({QStringLiteral("--data-dir"), dir.path(), QStringLiteral("add-imap"), QStringLiteral("gone"),
                       QStringLiteral("--host"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"), QString::number(port),
                       QStringLiteral("--user"), QStringLiteral("u"), QStringLiteral("--password-stdin")}, "pw\n");
    QCOMPARE(r.exitCode, 0);
    QElapsedTimer t;
    t.start();
    r = run({QStringLiteral("--data-dir"), dir.path(), QStringLiteral("backfill"), QStringLiteral("gone")});
    QCOMPARE(r.exitCode, 1);
    const QStringList errLines = r.err.trimmed().split(QLatin1Char('\n'));
    QVERIFY2(errLines.last().startsWith(QStringLiteral("lookback-cli: Cannot reach 127.0.0.1 port")), qPrintable(r.err));
    QVERIFY2(t.elapsed() < 15000, "an unreachable server is reported at once, not after minutes of retries");
    r = run({QStringLiteral("--data-dir"), dir.path(), QStringLiteral("status"), QStringLiteral("--json")});
    const QJsonObject gone = QJsonDocument::fromJson(r.out.toUtf8()).array().first().toObject();
    QCOMPARE(gone.value(QStringLiteral("health")).toString(), QStringLiteral("offline"));
    QCOMPARE(gone.value(QStringLiteral("backfill")).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
}

void TestCli::noKeychainIsAClearError()
{
    QTemporaryDir dir;
    QProcessEnvironment env = m_keyring.environment();
    // A bus address where no bus is: the Secret Service cannot be reached.
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=") + dir.filePath(QStringLiteral("no-bus")));
    const CliResult r = run({QStringLiteral("--data-dir"), dir.path(), QStringLiteral("add-imap"), QStringLiteral("k"),
                             QStringLiteral("--host"), m_server.host(), QStringLiteral("--port"), QString::number(m_server.tlsPort()),
                             QStringLiteral("--user"), m_server.user(), QStringLiteral("--password-stdin")},
                            "pw-never-stored\n", env);
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains(QStringLiteral("keychain")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("--password-stdin")), qPrintable(r.err));
    const CliResult status = run({QStringLiteral("--data-dir"), dir.path(), QStringLiteral("status"), QStringLiteral("--json")});
    QCOMPARE(QJsonDocument::fromJson(status.out.toUtf8()).array().size(), 0);
}

void TestCli::ctrlCPausesAndRunningAgainResumes()
{
    DovecotServer server;
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const int total = 1500;
    for (int i = 0; i < total; ++i) {
        const QDateTime when = now.addSecs(-600 * (i + 1));
        QVERIFY(server.addMessage(i % 4 ? QStringLiteral("INBOX") : QStringLiteral("Sent"),
                                  DovecotServer::makeMessage(QStringLiteral("p%1@lookback.test").arg(i), QStringLiteral("Page test %1").arg(i),
                                                             QStringLiteral("x@example.org"), QStringLiteral("y@example.org"), when,
                                                             QStringLiteral("body %1\n").arg(i)), when));
    }
    QTemporaryDir dir;
    QVERIFY(addConnection(QStringLiteral("big"), server, dir.path()));
    const QStringList args{QStringLiteral("--data-dir"), dir.path(), QStringLiteral("backfill"), QStringLiteral("big"),
                           QStringLiteral("--range"), QStringLiteral("all"), QStringLiteral("--page-size"), QStringLiteral("3")};
    QProcess *p = launch(args, {});
    QTRY_VERIFY_WITH_TIMEOUT(countRows(dir.path()) >= 30, 30000);
    ::kill(pid_t(p->processId()), SIGINT);
    QVERIFY(p->waitForFinished(30000));
    QCOMPARE(p->exitCode(), 130);
    QVERIFY(QString::fromUtf8(p->readAllStandardError()).contains(QStringLiteral("Pausing at the end of this page")));
    const qint64 atPause = countRows(dir.path());
    QVERIFY2(atPause < total, "paused before the end");

    CliResult r = run({QStringLiteral("--data-dir"), dir.path(), QStringLiteral("status"), QStringLiteral("big"), QStringLiteral("--json")});
    const QJsonObject st = QJsonDocument::fromJson(r.out.toUtf8()).array().first().toObject();
    QCOMPARE(st.value(QStringLiteral("backfill")).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("paused"));
    QCOMPARE(st.value(QStringLiteral("backfill")).toObject().value(QStringLiteral("fetched")).toInteger(), atPause);
    QCOMPARE(st.value(QStringLiteral("health")).toString(), QStringLiteral("paused"));

    r = run(args);
    QCOMPARE(r.exitCode, 0);
    QHash<QString, int> ids;
    QCOMPARE(countRows(dir.path(), &ids), qint64(total));
    QCOMPARE(ids.size(), total);
    delete p;
}

void TestCli::sigkillAtSeveralPointsThenResume()
{
    DovecotServer server;
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const int total = 1200;
    for (int i = 0; i < total; ++i) {
        const QDateTime when = now.addSecs(-900 * (i + 1));
        QVERIFY(server.addMessage(i % 5 ? QStringLiteral("INBOX") : QStringLiteral("Sent"),
                                  DovecotServer::makeMessage(QStringLiteral("k%1@lookback.test").arg(i), QStringLiteral("Kill test %1").arg(i),
                                                             QStringLiteral("x@example.org"), QStringLiteral("y@example.org"), when,
                                                             QStringLiteral("body %1\n").arg(i)), when));
    }
    QTemporaryDir dir;
    QVERIFY(addConnection(QStringLiteral("crashy"), server, dir.path()));
    const QStringList args{QStringLiteral("--data-dir"), dir.path(), QStringLiteral("backfill"), QStringLiteral("crashy"),
                           QStringLiteral("--range"), QStringLiteral("all"), QStringLiteral("--page-size"), QStringLiteral("4")};
    // Killed right at start, early, mid-Inbox, and late (in Sent); each time without warning.
    int kills = 0;
    for (const int threshold : {0, 20, 400, 1050}) {
        QProcess *p = launch(args, {});
        if (threshold > 0) {
            QElapsedTimer waited;
            waited.start();
            while (countRows(dir.path()) < threshold && p->state() == QProcess::Running && waited.elapsed() < 60000)
                QTest::qWait(5);
            QVERIFY2(waited.elapsed() < 60000, qPrintable(QString::fromUtf8(p->readAllStandardError())));
        } else
            QTest::qWait(50);
        if (p->state() == QProcess::Running) {
            ::kill(pid_t(p->processId()), SIGKILL);
            ++kills;
        }
        p->waitForFinished(10000);
        QHash<QString, int> ids;
        countRows(dir.path(), &ids);
        for (auto it = ids.cbegin(); it != ids.cend(); ++it)
            QVERIFY2(it.value() == 1, qPrintable(it.key()));
        delete p;
    }
    QVERIFY2(kills >= 3, "the backfill was killed mid-way at least three times");
    const CliResult r = run(args);
    QCOMPARE(r.exitCode, 0);
    QHash<QString, int> ids;
    QCOMPARE(countRows(dir.path(), &ids), qint64(total));
    QCOMPARE(ids.size(), total);
    for (int i = 0; i < total; ++i)
        QVERIFY(ids.contains(QStringLiteral("k%1@lookback.test").arg(i)));
}

// SIGKILL at random moments (while connecting, planning, fetching, writing), each run
// resuming the last. After every kill the archive holds nothing twice and nothing from
// outside the range; the run that is finally left alone ends with exactly the server's
// Inbox and Sent for the range. Short form: 8 kills; LOOKBACK_LONG=1: 50 (ctest label long).
// LOOKBACK_SEED=N replays a failing run; the seed is printed either way.
void TestCli::sigkillAtRandomMomentsThenResume()
{
    const bool longForm = qEnvironmentVariableIntValue("LOOKBACK_LONG") == 1;
    const int kills = longForm ? 50 : 8;
    const quint32 seed = qEnvironmentVariableIsSet("LOOKBACK_SEED") ? qgetenv("LOOKBACK_SEED").toUInt()
                                                                    : QRandomGenerator::system()->generate();
    qInfo("sigkillAtRandomMomentsThenResume: %d kills, LOOKBACK_SEED=%u", kills, seed);
    QRandomGenerator random(seed);

    DovecotServer server;
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    // Messages inside the last 200 days (1,200; 2,500 in the long form, so fifty kills
    // still find work) and half as many older ones; no message within days of the
    // boundary, so the SEARCH SINCE day granularity cannot blur it.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QSet<QString> expected;
    const int inRange = longForm ? 2500 : 1200;
    const int total = inRange + inRange / 2;
    for (int i = 0; i < total; ++i) {
        const QDateTime when = i < inRange ? now.addSecs(-(qint64(i) * 190 * 24 / inRange + 1) * 3600)
                                           : now.addDays(-215).addSecs(-qint64(i - inRange) * 3 * 3600);
        const QString id = QStringLiteral("r%1@lookback.test").arg(i);
        if (i < inRange)
            expected.insert(id);
        QVERIFY(server.addMessage(i % 5 ? QStringLiteral("INBOX") : QStringLiteral("Sent"),
                                  DovecotServer::makeMessage(id, QStringLiteral("Random kill %1").arg(i),
                                                             QStringLiteral("x@example.org"), QStringLiteral("y@example.org"), when,
                                                             QStringLiteral("body %1\n").arg(i).repeated(1 + i % 40)),
                                  when));
    }
    QTemporaryDir dir;
    QVERIFY(addConnection(QStringLiteral("random"), server, dir.path()));
    const QStringList args{QStringLiteral("--data-dir"), dir.path(), QStringLiteral("backfill"), QStringLiteral("random"),
                           QStringLiteral("--range"), QStringLiteral("200d"), QStringLiteral("--page-size"), QStringLiteral("5")};

    const auto checkArchive = [&](const char *when) {
        QHash<QString, int> ids;
        countRows(dir.path(), &ids);
        for (auto it = ids.cbegin(); it != ids.cend(); ++it) {
            QVERIFY2(it.value() == 1, qPrintable(QStringLiteral("%1 archived %2 times %3 (LOOKBACK_SEED=%4)")
                                                     .arg(it.key()).arg(it.value()).arg(QLatin1String(when)).arg(seed)));
            QVERIFY2(expected.contains(it.key()), qPrintable(QStringLiteral("%1 is outside the range %2 (LOOKBACK_SEED=%3)")
                                                                 .arg(it.key(), QLatin1String(when)).arg(seed)));
        }
        ArchiveStore store(ArchiveStore::defaultPath(dir.path()));
        SyncError e;
        QVERIFY2(store.open(&e), qPrintable(e.message));
        QSqlQuery q(store.database());
        QVERIFY(q.exec(QStringLiteral("PRAGMA quick_check")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("ok"));
    };

    int killedMidway = 0;
    for (int k = 0; k < kills; ++k) {
        QProcess *p = launch(args, {});
        // A quarter of the kills land at a random time in the first 400 ms (connecting,
        // planning, the first pages); the rest once a random number of rows is stored,
        // plus a random few milliseconds so they hit fetches and commits alike. Either
        // way a kill comes before half a fair share of what is left is stored, so a
        // fast backfill is not done before the last kills.
        const qint64 stored = countRows(dir.path());
        const qint64 share = qMax<qint64>(1, (inRange - stored) / qMax(1, kills - k) / 2);
        QElapsedTimer waited;
        waited.start();
        if (random.bounded(4) == 0) {
            const int ms = int(random.bounded(400));
            while (waited.elapsed() < ms && countRows(dir.path()) < stored + share && p->state() == QProcess::Running)
                QTest::qWait(2);
        } else {
            const qint64 threshold = stored + 1 + random.bounded(int(share));
            while (countRows(dir.path()) < threshold && p->state() == QProcess::Running && waited.elapsed() < 60000)
                QTest::qWait(2);
            QVERIFY2(waited.elapsed() < 60000, qPrintable(QString::fromUtf8(p->readAllStandardError())));
            QTest::qWait(int(random.bounded(30)));
        }
        if (p->state() == QProcess::Running) {
            ::kill(pid_t(p->processId()), SIGKILL);
            ++killedMidway;
            QVERIFY(p->waitForFinished(10000));
        } else {
            // It got to the end first: then it must have ended well.
            QVERIFY2(p->exitStatus() == QProcess::NormalExit && p->exitCode() == 0,
                     p->readAllStandardError().constData());
        }
        delete p;
        checkArchive("after a kill");
        if (QTest::currentTestFailed())
            return;
    }
    qInfo("%d of %d kills landed while the backfill ran; %lld messages archived by then", killedMidway, kills,
          countRows(dir.path()));
    QVERIFY2(killedMidway >= kills / 2, "most kills landed while the backfill ran");

    const CliResult r = run(args);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    checkArchive("at the end");
    QHash<QString, int> ids;
    QCOMPARE(countRows(dir.path(), &ids), qint64(inRange));
    QCOMPARE(QSet<QString>(ids.keyBegin(), ids.keyEnd()), expected);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
