// lookback-cli with a Gmail account on the Google fake: add-gmail through
// $BROWSER, its clear failures, SIGKILL and resume, status --json, search, and
// a scan of everything Lookback wrote that finds no token.

#include "archive/archivestore.h"
#include "cliprocess.h"
#include "gmail/gmailmessage.h"
#include "gmailharness.h"
#include "keyringsession.h"
#include "testpaths.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryFile>
#include <QtTest>

#include <csignal>

using namespace Lookback;
using namespace Lookback::Test;

class TestGmailCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void addGmailThroughTheBrowser();
    void signInFailuresAreOneClearLine();
    void noKeychainNoConnection();
    void sigkillThenResume();
    void revokedThenReconnectFromTheCommandLine();
    void noTokenAnywhereButTheKeychain();

private:
    QProcessEnvironment env(GmailHarness &h, const QString &browserLog = {}) const;
    CliResult cli(GmailHarness &h, const QStringList &args, const QProcessEnvironment &e = {}, int timeoutMs = 120000);

    KeyringSession m_keyring;
};

void TestGmailCli::initTestCase()
{
    QString error;
    QVERIFY2(m_keyring.start(&error), qPrintable(error));
    QVERIFY2(QFileInfo::exists(testBrowserPath()), qPrintable(testBrowserPath()));
}

QProcessEnvironment TestGmailCli::env(GmailHarness &h, const QString &browserLog) const
{
    QProcessEnvironment e = h.environment(m_keyring.environment());
    e.insert(QStringLiteral("BROWSER"), testBrowserPath());
    e.remove(QStringLiteral("DISPLAY"));
    e.remove(QStringLiteral("WAYLAND_DISPLAY"));
    if (!browserLog.isEmpty())
        e.insert(QStringLiteral("LOOKBACK_TEST_BROWSER_LOG"), browserLog);
    return e;
}

CliResult TestGmailCli::cli(GmailHarness &h, const QStringList &args, const QProcessEnvironment &e, int timeoutMs)
{
    return runCli(QStringList{QStringLiteral("--data-dir"), h.dataDir()} + args, {}, e.isEmpty() ? env(h) : e, timeoutMs);
}

void TestGmailCli::addGmailThroughTheBrowser()
{
    GmailHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    h.addMessages(20, {QStringLiteral("INBOX")}, now.addSecs(-3600), 86400, QStringLiteral("Quarterly figures"));
    h.addMessages(5, {QStringLiteral("SENT")}, now.addSecs(-7200), 86400, QStringLiteral("Reply"));
    QTemporaryDir logs;
    const QString log = logs.filePath(QStringLiteral("browser.log"));
    const CliResult r = cli(h, {QStringLiteral("add-gmail"), QStringLiteral("Work")}, env(h, log));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    QVERIFY2(r.out.contains(QStringLiteral("Added Work (Gmail, %1)").arg(h.fake().userEmail())), qPrintable(r.out));
    // The address was printed and handed to $BROWSER.
    QFile f(log);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString opened = QString::fromUtf8(f.readAll()).trimmed();
    QVERIFY2(opened.startsWith(h.fake().authUrl().toString()), qPrintable(opened));
    QVERIFY(opened.contains(QStringLiteral("code_challenge_method=S256")));
    QVERIFY2(r.err.contains(opened), qPrintable(r.err));
    // The refresh token is in the keychain (and only the refresh token).
    const QVector<GoogleFake::TokenRequest> tokens = h.fake().tokenRequests();
    QVERIFY(!tokens.isEmpty());
    bool inKeychain = false;
    const QStringList items = m_keyring.dumpAllItems();
    for (const QString &item : items) {
        // "attr=value,...: secret"; QtKeychain stores binary data base64 (type=base64).
        const qsizetype colon = item.indexOf(QStringLiteral(": "));
        const QString attrs = item.left(colon);
        QByteArray secret = item.mid(colon + 2).toUtf8();
        if (attrs.split(QLatin1Char(',')).contains(QStringLiteral("type=base64")))
            secret = QByteArray::fromBase64(secret);
        inKeychain = inKeychain || secret.contains("\"refresh_token\":\"1//0");
    }
    QVERIFY2(inKeychain, qPrintable(items.join(QLatin1Char('\n'))));

    // backfill, status --json and search work as for IMAP.
    const CliResult b = cli(h, {QStringLiteral("backfill"), QStringLiteral("Work"), QStringLiteral("--range"), QStringLiteral("30d")});
    QVERIFY2(b.exitCode == 0, qPrintable(b.err + b.out));
    QVERIFY2(b.out.contains(QStringLiteral("25")), qPrintable(b.out));
    const CliResult s = cli(h, {QStringLiteral("status"), QStringLiteral("Work"), QStringLiteral("--json")});
    QCOMPARE(s.exitCode, 0);
    const QJsonDocument doc = QJsonDocument::fromJson(s.out.toUtf8());
    const QJsonObject o = doc.isArray() ? doc.array().first().toObject() : doc.object();
    QCOMPARE(o.value(QStringLiteral("kind")).toString(), QStringLiteral("gmail"));
    QCOMPARE(o.value(QStringLiteral("account")).toString(), h.fake().userEmail());
    const CliResult q = cli(h, {QStringLiteral("search"), QStringLiteral("quarterly")});
    QCOMPARE(q.exitCode, 0);
    QCOMPARE(q.out.count(QStringLiteral("Quarterly figures message")), 20);
    // --password-stdin does not apply.
    const CliResult p = cli(h, {QStringLiteral("backfill"), QStringLiteral("Work"), QStringLiteral("--password-stdin")});
    QCOMPARE(p.exitCode, 2);
    QVERIFY(p.err.contains(QStringLiteral("does not apply")));
}

void TestGmailCli::signInFailuresAreOneClearLine()
{
    GmailHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    const auto oneLine = [](const CliResult &r) {
        // The CLI's own last word ($BROWSER shares its stderr).
        const QStringList lines = r.err.trimmed().split(QLatin1Char('\n')).filter(QStringLiteral("lookback-cli: "));
        return lines.isEmpty() ? QString() : lines.last();
    };
    // Denied consent.
    h.fake().setDenyConsent(true);
    CliResult r = cli(h, {QStringLiteral("add-gmail"), QStringLiteral("Denied")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(oneLine(r).startsWith(QStringLiteral("lookback-cli: You did not allow Lookback")), qPrintable(r.err));
    h.fake().setDenyConsent(false);
    // (A client Google does not know is refused on Google's own page, which never
    // comes back to Lookback: the CLI waits its 5 minutes, then says so; not run here.)
    // A wrong secret is refused at the exchange, at once.
    r = cli(h, {QStringLiteral("add-gmail"), QStringLiteral("Wrong"), QStringLiteral("--client-secret"), QStringLiteral("nope")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(oneLine(r).contains(QStringLiteral("refused Lookback's client id or secret")), qPrintable(r.err));
    QVERIFY(r.ms < 20000);
    // No client id at all: how to set one.
    QProcessEnvironment e = env(h);
    e.remove(QStringLiteral("LOOKBACK_GOOGLE_CLIENT_ID"));
    r = cli(h, {QStringLiteral("add-gmail"), QStringLiteral("None")}, e);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(oneLine(r).contains(QStringLiteral("LOOKBACK_GOOGLE_CLIENT_ID")), qPrintable(r.err));
    // None of them left a connection behind.
    const CliResult s = cli(h, {QStringLiteral("status"), QStringLiteral("--json")});
    QVERIFY2(!s.out.contains(QStringLiteral("\"name\"")), qPrintable(s.out));
}

void TestGmailCli::noKeychainNoConnection()
{
    GmailHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    QProcessEnvironment e = env(h);
    // No Secret Service on this bus.
    e.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent/lookback-test-bus"));
    const CliResult r = cli(h, {QStringLiteral("add-gmail"), QStringLiteral("NoKeys")}, e, 90000);
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains(QStringLiteral("not saved anywhere")), qPrintable(r.err));
    const CliResult s = cli(h, {QStringLiteral("status"), QStringLiteral("--json")});
    QVERIFY(!s.out.contains(QStringLiteral("NoKeys")));
}

void TestGmailCli::sigkillThenResume()
{
    GmailHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    const QStringList ids = h.addMessages(600, {QStringLiteral("INBOX")}, QDateTime::currentDateTimeUtc().addSecs(-60), 900,
                                          QStringLiteral("kill"))
        + h.addMessages(150, {QStringLiteral("SENT")}, QDateTime::currentDateTimeUtc().addSecs(-90), 3600, QStringLiteral("sent"));
    CliResult r = cli(h, {QStringLiteral("add-gmail"), QStringLiteral("Crashy")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    h.fake().setResponseDelayMs(20);
    const QStringList args{QStringLiteral("--data-dir"), h.dataDir(), QStringLiteral("backfill"), QStringLiteral("Crashy"),
                           QStringLiteral("--range"), QStringLiteral("all"), QStringLiteral("--page-size"), QStringLiteral("10")};
    QString why;
    const int kills = h.killCliAt({30, 250, 650}, args, env(h), &why);
    QVERIFY2(kills >= 0, qPrintable(why));
    QVERIFY2(kills >= 2, "killed mid-way at least twice");
    h.fake().setResponseDelayMs(0);
    r = runCli(args, {}, env(h));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QHash<QString, int> archived = h.archivedProviderIds();
    QCOMPARE(archived.size(), ids.size());
    for (const QString &id : ids)
        QCOMPARE(archived.value(Gmail::providerId(id)), 1);
    // A kill loses at most the page in flight: read again, never more.
    const int again = fetchedAgain(h.fake());
    QVERIFY2(again <= kills * 10, qPrintable(QStringLiteral("%1 messages read again after %2 kills").arg(again).arg(kills)));
}

void TestGmailCli::revokedThenReconnectFromTheCommandLine()
{
    GmailHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    h.addMessages(40, {QStringLiteral("INBOX")}, QDateTime::currentDateTimeUtc().addSecs(-60), 3600, QStringLiteral("r"));
    CliResult r = cli(h, {QStringLiteral("add-gmail"), QStringLiteral("Revoked")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    h.fake().revokeRefreshTokens();
    r = cli(h, {QStringLiteral("backfill"), QStringLiteral("Revoked"), QStringLiteral("--range"), QStringLiteral("all")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("Token has been expired or revoked.")), qPrintable(r.err));
    const CliResult s = cli(h, {QStringLiteral("status"), QStringLiteral("Revoked"), QStringLiteral("--json")});
    QVERIFY2(s.out.contains(QStringLiteral("needs-reconnect")), qPrintable(s.out));
    r = cli(h, {QStringLiteral("reconnect"), QStringLiteral("Revoked")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    r = cli(h, {QStringLiteral("backfill"), QStringLiteral("Revoked"), QStringLiteral("--range"), QStringLiteral("all")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(h.archivedProviderIds().size(), 40);
}

void TestGmailCli::noTokenAnywhereButTheKeychain()
{
    GmailHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    h.addMessages(60, {QStringLiteral("INBOX")}, QDateTime::currentDateTimeUtc().addSecs(-60), 3600, QStringLiteral("scan"));
    QString logs;
    CliResult r = cli(h, {QStringLiteral("add-gmail"), QStringLiteral("Scan")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    logs += r.out + r.err;
    // Verbose logging on, to be sure nothing is logged that should not be.
    QProcessEnvironment e = env(h);
    e.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("lookback.*=true"));
    h.fake().expireAccessTokens(); // a refresh in the middle, too
    r = cli(h, {QStringLiteral("backfill"), QStringLiteral("Scan"), QStringLiteral("--range"), QStringLiteral("all")}, e);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    logs += r.out + r.err;
    logs += cli(h, {QStringLiteral("status"), QStringLiteral("--json")}).out;

    // Every token the fake handed out or was shown.
    QStringList secrets;
    for (const GoogleFake::TokenRequest &t : h.fake().tokenRequests()) {
        for (const auto &p : t.parameters) {
            if (p.first == QLatin1String("refresh_token") || p.first == QLatin1String("code")
                || p.first == QLatin1String("code_verifier"))
                secrets << p.second;
        }
    }
    QVERIFY(!secrets.isEmpty());
    // The access tokens: whatever Lookback sent as a bearer (the fake keeps none
    // for us), so search for Google's token shapes instead.
    const QStringList shapes{QStringLiteral("ya29."), QStringLiteral("1//0")};
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
        for (const QString &s : shapes)
            QVERIFY2(!data.contains(s.toUtf8()), qPrintable(QStringLiteral("%1 holds a token (%2)").arg(path, s)));
    }
    for (const QString &s : secrets)
        QVERIFY2(!logs.contains(s), "a secret in the output");
    for (const QString &s : shapes)
        QVERIFY2(!logs.contains(s), qPrintable(QStringLiteral("a token in the output (%1)").arg(s)));
}

QTEST_GUILESS_MAIN(TestGmailCli)
#include "tst_gmailcli.moc"
