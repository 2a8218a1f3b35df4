// lookback-cli with a Microsoft 365 account on the Microsoft fake:
// add-microsoft through $BROWSER, add-shared, backfill and status --json
// (kind and parent), SIGKILL and resume, and a scan of everything Lookback
// wrote that finds no token.

#include "archive/archivestore.h"
#include "cliprocess.h"
#include "graph/graphmessage.h"
#include "keyringsession.h"
#include "microsoftharness.h"
#include "testpaths.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include <csignal>

using namespace Lookback;
using namespace Lookback::Test;

namespace {
const QString kShared = QStringLiteral("support@contoso.onmicrosoft.com");
}

class TestMicrosoftCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void addMicrosoftAndSharedFromTheCommandLine();
    void sigkillThenResume();
    void noTokenAnywhereButTheKeychain();

private:
    QProcessEnvironment env(MicrosoftHarness &h, const QString &browserLog = {}) const;
    CliResult cli(MicrosoftHarness &h, const QStringList &args, const QProcessEnvironment &e = {}, int timeoutMs = 120000);
    QStringList keychainRefreshTokens() const;

    KeyringSession m_keyring;
};

void TestMicrosoftCli::initTestCase()
{
    QString error;
    QVERIFY2(m_keyring.start(&error), qPrintable(error));
}

QProcessEnvironment TestMicrosoftCli::env(MicrosoftHarness &h, const QString &browserLog) const
{
    QProcessEnvironment e = h.environment(m_keyring.environment());
    e.insert(QStringLiteral("BROWSER"), testBrowserPath());
    e.remove(QStringLiteral("DISPLAY"));
    e.remove(QStringLiteral("WAYLAND_DISPLAY"));
    if (!browserLog.isEmpty())
        e.insert(QStringLiteral("LOOKBACK_TEST_BROWSER_LOG"), browserLog);
    return e;
}

CliResult TestMicrosoftCli::cli(MicrosoftHarness &h, const QStringList &args, const QProcessEnvironment &e, int timeoutMs)
{
    return runCli(QStringList{QStringLiteral("--data-dir"), h.dataDir()} + args, {}, e.isEmpty() ? env(h) : e, timeoutMs);
}

QStringList TestMicrosoftCli::keychainRefreshTokens() const
{
    QStringList tokens;
    for (const QString &item : m_keyring.dumpAllItems()) {
        const qsizetype colon = item.indexOf(QStringLiteral(": "));
        QByteArray secret = item.mid(colon + 2).toUtf8();
        if (item.left(colon).split(QLatin1Char(',')).contains(QStringLiteral("type=base64")))
            secret = QByteArray::fromBase64(secret);
        const QString t = QJsonDocument::fromJson(secret).object().value(QStringLiteral("refresh_token")).toString();
        if (!t.isEmpty())
            tokens << t;
    }
    return tokens;
}

void TestMicrosoftCli::addMicrosoftAndSharedFromTheCommandLine()
{
    MicrosoftHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    h.fake().addSharedMailbox(kShared);
    h.fake().grant(kShared, QStringLiteral("inbox"), true);
    h.fake().grant(kShared, QStringLiteral("sentitems"), true);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    h.addMessages(20, QStringLiteral("inbox"), now.addSecs(-3600), 86400, QStringLiteral("Quarterly figures"));
    h.addMessages(5, QStringLiteral("sentitems"), now.addSecs(-7200), 86400, QStringLiteral("Reply"));
    h.addMessages(12, QStringLiteral("inbox"), now.addSecs(-3600), 86400, QStringLiteral("Ticket"), kShared);

    // A public client has no secret.
    CliResult r = cli(h, {QStringLiteral("add-microsoft"), QStringLiteral("Work"), QStringLiteral("--client-secret"), QStringLiteral("x")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(QStringLiteral("no secret")));

    QTemporaryDir logs;
    const QString log = logs.filePath(QStringLiteral("browser.log"));
    r = cli(h, {QStringLiteral("add-microsoft"), QStringLiteral("Work")}, env(h, log));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    QVERIFY2(r.out.contains(QStringLiteral("Added Work (Microsoft 365, %1)").arg(h.fake().userAddress())), qPrintable(r.out));
    QFile f(log);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString opened = QString::fromUtf8(f.readAll()).trimmed();
    QVERIFY2(opened.startsWith(h.fake().authUrl().toString()), qPrintable(opened));
    QVERIFY(opened.contains(QStringLiteral("code_challenge_method=S256")));
    QVERIFY(opened.contains(QStringLiteral("Mail.Read.Shared")));
    QVERIFY2(r.err.contains(opened), qPrintable(r.err));
    QCOMPARE(keychainRefreshTokens().size(), 1);

    // A shared mailbox under it: no sign-in of its own.
    r = cli(h, {QStringLiteral("add-shared"), QStringLiteral("Support"), QStringLiteral("--parent"), QStringLiteral("Work"),
                QStringLiteral("--address"), kShared});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    QCOMPARE(keychainRefreshTokens().size(), 1);
    r = cli(h, {QStringLiteral("add-shared"), QStringLiteral("Bad"), QStringLiteral("--parent"), QStringLiteral("Work"),
                QStringLiteral("--address"), QStringLiteral("not an address")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(QStringLiteral("not a mailbox address")));
    r = cli(h, {QStringLiteral("add-shared"), QStringLiteral("Orphan"), QStringLiteral("--parent"), QStringLiteral("Nobody"),
                QStringLiteral("--address"), kShared});
    QCOMPARE(r.exitCode, 2);

    for (const QString &name : {QStringLiteral("Work"), QStringLiteral("Support")}) {
        const CliResult b = cli(h, {QStringLiteral("backfill"), name, QStringLiteral("--range"), QStringLiteral("30d")});
        QVERIFY2(b.exitCode == 0, qPrintable(b.err + b.out));
    }
    const CliResult s = cli(h, {QStringLiteral("status"), QStringLiteral("--json")});
    QCOMPARE(s.exitCode, 0);
    const QJsonArray all = QJsonDocument::fromJson(s.out.toUtf8()).array();
    QCOMPARE(all.size(), 2);
    QHash<QString, QJsonObject> byName;
    for (const QJsonValue &v : all)
        byName.insert(v.toObject().value(QStringLiteral("name")).toString(), v.toObject());
    QCOMPARE(byName.value(QStringLiteral("Work")).value(QStringLiteral("kind")).toString(), QStringLiteral("microsoft"));
    QVERIFY(!byName.value(QStringLiteral("Work")).contains(QStringLiteral("parent")));
    QCOMPARE(byName.value(QStringLiteral("Support")).value(QStringLiteral("kind")).toString(), QStringLiteral("microsoft"));
    QCOMPARE(byName.value(QStringLiteral("Support")).value(QStringLiteral("parent")).toString(), QStringLiteral("Work"));
    QCOMPARE(byName.value(QStringLiteral("Support")).value(QStringLiteral("account")).toString(), kShared);
    QCOMPARE(byName.value(QStringLiteral("Work")).value(QStringLiteral("backfill")).toObject().value(QStringLiteral("fetched")).toInt(), 25);
    QCOMPARE(byName.value(QStringLiteral("Support")).value(QStringLiteral("backfill")).toObject().value(QStringLiteral("fetched")).toInt(), 12);
    const CliResult q = cli(h, {QStringLiteral("search"), QStringLiteral("ticket")});
    QCOMPARE(q.exitCode, 0);
    QCOMPARE(q.out.count(QStringLiteral("Ticket message")), 12);
    // A shared mailbox reconnects through its parent.
    r = cli(h, {QStringLiteral("reconnect"), QStringLiteral("Support")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("reconnect Work")), qPrintable(r.err));
}

void TestMicrosoftCli::sigkillThenResume()
{
    MicrosoftHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    const QStringList ids = h.addMessages(700, QStringLiteral("inbox"), QDateTime::currentDateTimeUtc().addSecs(-60), 900,
                                          QStringLiteral("kill"))
        + h.addMessages(150, QStringLiteral("sentitems"), QDateTime::currentDateTimeUtc().addSecs(-90), 3600, QStringLiteral("sent"));
    CliResult r = cli(h, {QStringLiteral("add-microsoft"), QStringLiteral("Crashy")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    h.fake().setResponseDelayMs(60);
    const QStringList args{QStringLiteral("--data-dir"), h.dataDir(), QStringLiteral("backfill"), QStringLiteral("Crashy"),
                           QStringLiteral("--range"), QStringLiteral("all")};
    QString why;
    const int kills = h.killCliAt({50, 300, 650}, args, env(h), &why);
    QVERIFY2(kills >= 0, qPrintable(why));
    QVERIFY2(kills >= 2, "killed mid-way at least twice");
    h.fake().setResponseDelayMs(0);
    r = runCli(args, {}, env(h));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QHash<QString, int> archived = h.archivedProviderIds();
    QCOMPARE(archived.size(), ids.size());
    for (const QString &id : ids)
        QCOMPARE(archived.value(Graph::providerId(id)), 1);
    // A kill loses at most the page in flight: read again, never more.
    const int again = fetchedAgain(h.fake());
    QVERIFY2(again <= kills * 100, qPrintable(QStringLiteral("%1 messages read again after %2 kills").arg(again).arg(kills)));
}

void TestMicrosoftCli::noTokenAnywhereButTheKeychain()
{
    MicrosoftHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    h.fake().addSharedMailbox(kShared);
    h.fake().grant(kShared, QStringLiteral("inbox"), true);
    h.fake().grant(kShared, QStringLiteral("sentitems"), true);
    h.addMessages(60, QStringLiteral("inbox"), QDateTime::currentDateTimeUtc().addSecs(-60), 3600, QStringLiteral("scan"));
    h.addMessages(20, QStringLiteral("inbox"), QDateTime::currentDateTimeUtc().addSecs(-60), 3600, QStringLiteral("shared"), kShared);
    QString logs;
    CliResult r = cli(h, {QStringLiteral("add-microsoft"), QStringLiteral("Scan")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    logs += r.out + r.err;
    r = cli(h, {QStringLiteral("add-shared"), QStringLiteral("Shared"), QStringLiteral("--parent"), QStringLiteral("Scan"),
                QStringLiteral("--address"), kShared});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QProcessEnvironment e = env(h);
    e.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("lookback.*=true"));
    h.fake().expireAccessTokens(); // refreshes (and rotations) in the middle, too
    for (const QString &name : {QStringLiteral("Scan"), QStringLiteral("Shared")}) {
        r = cli(h, {QStringLiteral("backfill"), name, QStringLiteral("--range"), QStringLiteral("all")}, e);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        logs += r.out + r.err;
    }
    logs += cli(h, {QStringLiteral("status"), QStringLiteral("--json")}).out;

    QStringList secrets = keychainRefreshTokens(); // the current (rotated) one
    for (const MicrosoftFake::TokenRequest &t : h.fake().tokenRequests()) {
        for (const auto &p : t.parameters) {
            if (p.first == QLatin1String("refresh_token") || p.first == QLatin1String("code")
                || p.first == QLatin1String("code_verifier"))
                secrets << p.second;
        }
    }
    QVERIFY(secrets.size() >= 3);
    // Access tokens are JWTs: a base64url JSON header.
    const QRegularExpression jwt(QStringLiteral("eyJ[A-Za-z0-9_-]{10,}\\.eyJ"));
    QStringList files;
    QDirIterator it(h.dataDir(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    QDirIterator config(m_keyring.homeDir() + QStringLiteral("/.config"), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (config.hasNext())
        files << config.next();
    QVERIFY2(files.size() >= 1, "the archive exists");
    for (const QString &path : files) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray data = f.readAll();
        for (const QString &s : secrets)
            QVERIFY2(!data.contains(s.toUtf8()), qPrintable(QStringLiteral("%1 holds a secret").arg(path)));
        QVERIFY2(!jwt.match(QString::fromLatin1(data)).hasMatch(), qPrintable(QStringLiteral("%1 holds an access token").arg(path)));
    }
    for (const QString &s : secrets)
        QVERIFY2(!logs.contains(s), "a secret in the output");
    QVERIFY2(!jwt.match(logs).hasMatch(), "an access token in the output");
}

QTEST_GUILESS_MAIN(TestMicrosoftCli)
#include "tst_microsoftcli.moc"
