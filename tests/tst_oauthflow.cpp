// The browser sign-in and token refresh against two OAuth servers: the Google
// fake (PROVIDERS.md 3.4, with its faults) and the generic npm
// oauth2-mock-server. Each Qt NetworkAuth 6.4.2 workaround of PROVIDERS.md 4
// has a check here that fails without it.

#include "auth/oauthflow.h"
#include "auth/oauthsignin.h"
#include "auth/oauthtoken.h"
#include "auth/secretstore.h"
#include "googlefake.h"
#include "keyringsession.h"
#include "testbrowser.h"

#include <QNetworkAccessManager>
#include <QNetworkInterface>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QThread>
#include <QtTest>

using namespace Lookback;
using namespace Lookback::Test;

namespace {

OAuthProviderConfig googleConfig(const GoogleFake &fake)
{
    OAuthProviderConfig c;
    c.kind = ProviderKind::Gmail;
    c.displayName = QStringLiteral("Google");
    c.authUrl = fake.authUrl();
    c.tokenUrl = fake.tokenUrl();
    c.apiUrl = fake.apiUrl();
    c.scopes = OAuthConfig::googleScopes();
    c.extraAuthParameters = {{QStringLiteral("access_type"), QStringLiteral("offline")},
                             {QStringLiteral("prompt"), QStringLiteral("consent")}};
    c.client = {fake.clientId(), fake.clientSecret()};
    return c;
}

struct FlowResult
{
    bool finished = false;
    SyncError error;
    OAuthGrant grant;
    QUrl opened;
    QString browserError;
    qint64 ms = 0;
};

// Runs one sign-in with `flow`; the test browser answers the URL it emits.
// `whileWaiting` runs once the URL is known, before the browser goes.
FlowResult signIn(OAuthBrowserFlow &flow, const std::function<void(const QUrl &)> &whileWaiting = {},
                  int timeoutMs = 20000)
{
    FlowResult r;
    QElapsedTimer clock;
    clock.start();
    QMetaObject::Connection opened = QObject::connect(&flow, &OAuthBrowserFlow::authorizeUrl, &flow, [&](const QUrl &url) {
        r.opened = url;
        QTimer::singleShot(0, &flow, [&, url] {
            if (whileWaiting)
                whileWaiting(url);
            followAuthorization(url, &r.browserError);
        });
    });
    QMetaObject::Connection done = QObject::connect(&flow, &OAuthBrowserFlow::finished, &flow,
                                                    [&](const SyncError &e, const OAuthGrant &g) {
        r.finished = true;
        r.error = e;
        r.grant = g;
    });
    flow.start();
    r.finished = QTest::qWaitFor([&] { return r.finished; }, timeoutMs);
    QObject::disconnect(opened);
    QObject::disconnect(done);
    r.ms = clock.elapsed();
    return r;
}

quint16 portOf(const QUrl &authorizeUrl)
{
    return quint16(QUrl(QUrlQuery(authorizeUrl).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded)).port());
}

bool accepts(const QHostAddress &address, quint16 port)
{
    QTcpSocket s;
    s.connectToHost(address, port);
    return s.waitForConnected(1000);
}

// oauth2-mock-server, installed by scripts/test into the build folder.
QString mockServerPath()
{
    const QString fromEnv = qEnvironmentVariable("LOOKBACK_OAUTH2_MOCK_SERVER");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QStringLiteral(LOOKBACK_NPM_DIR "/node_modules/.bin/oauth2-mock-server");
}

} // namespace

class TestOAuthFlow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void signsInWithPkceOnLoopbackOnly();
    void tokenErrorEndsTheSignInAtOnce();
    void scopeSurvivesATokenAnswerWithoutIt();
    void deniedConsentSaysSo();
    void refreshSendsNoEmptySecret();
    void revokedRefreshIsAuthExpired();
    void signInRefreshesOnceForEveryone();
    void genericServer();

private:
    KeyringSession m_keyring;
};

void TestOAuthFlow::initTestCase()
{
    QString error;
    QVERIFY2(m_keyring.start(&error), qPrintable(error));
}

void TestOAuthFlow::signsInWithPkceOnLoopbackOnly()
{
    GoogleFake fake;
    QString error;
    QVERIFY2(fake.start(&error), qPrintable(error));
    OAuthBrowserFlow flow(googleConfig(fake));
    bool listenedLoopbackOnly = true;
    QString otherAddress;
    const FlowResult r = signIn(flow, [&](const QUrl &url) {
        // While the browser is out: the listener answers on 127.0.0.1 and on
        // no other address of this machine.
        const quint16 port = portOf(url);
        QVERIFY(accepts(QHostAddress::LocalHost, port));
        for (const QHostAddress &a : QNetworkInterface::allAddresses()) {
            if (a.isLoopback() || a.protocol() != QAbstractSocket::IPv4Protocol)
                continue;
            otherAddress = a.toString();
            if (accepts(a, port))
                listenedLoopbackOnly = false;
        }
    });
    QVERIFY2(r.finished && !r.error.isError(), qPrintable(r.error.message + QLatin1Char(' ') + r.browserError));
    QVERIFY(!r.grant.refreshToken.isEmpty());
    QVERIFY(!r.grant.accessToken.isEmpty());
    QVERIFY(r.grant.expiresAt > QDateTime::currentDateTimeUtc().addSecs(3000));
    QVERIFY2(listenedLoopbackOnly, qPrintable(otherAddress));
    if (otherAddress.isEmpty())
        qWarning("no non-loopback IPv4 address here: the listener's binding was checked on 127.0.0.1 only");

    // What went to Google: PKCE S256, a strong state, offline access with consent.
    const GoogleFake::AuthorizeRequest auth = fake.lastAuthorizeRequest();
    QCOMPARE(auth.value(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
    QVERIFY(QRegularExpression(QStringLiteral("^[A-Za-z0-9]{43}$")).match(auth.value(QStringLiteral("state"))).hasMatch());
    QVERIFY(QRegularExpression(QStringLiteral("^http://127\\.0\\.0\\.1:\\d+/$")).match(auth.value(QStringLiteral("redirect_uri"))).hasMatch());
    QVERIFY(auth.offline());
    QVERIFY(auth.promptConsent());
    QCOMPARE(auth.value(QStringLiteral("scope")), OAuthConfig::googleScopes().join(QLatin1Char(' ')));
    // The exchange: the code sent once decoded (it holds a '/'), and the
    // verifier whose S256 is the challenge.
    const QVector<GoogleFake::TokenRequest> tokens = fake.tokenRequests();
    QCOMPARE(tokens.size(), 1);
    QCOMPARE(tokens.first().status, 200);
    QVERIFY(tokens.first().value(QStringLiteral("code")).contains(QLatin1Char('/')));
    QVERIFY(!tokens.first().value(QStringLiteral("code")).contains(QLatin1Char('%')));
    QCOMPARE(OAuthBrowserFlow::challengeFor(tokens.first().value(QStringLiteral("code_verifier")).toLatin1()),
             auth.value(QStringLiteral("code_challenge")).toLatin1());
    // Once the code is exchanged nothing listens any more.
    QTRY_VERIFY_WITH_TIMEOUT(!accepts(QHostAddress::LocalHost, portOf(r.opened)), 3000);
    QVERIFY(!flow.isRunning());
}

void TestOAuthFlow::tokenErrorEndsTheSignInAtOnce()
{
    // Qt 6.4.2 says nothing when the token endpoint refuses; the sign-in would
    // hang until its timeout. A wrong client secret must end it with the reason.
    GoogleFake fake;
    QString error;
    QVERIFY2(fake.start(&error), qPrintable(error));
    OAuthProviderConfig config = googleConfig(fake);
    config.client.clientSecret = QStringLiteral("not-the-secret");
    OAuthBrowserFlow flow(config);
    flow.setTimeoutMs(60000);
    const FlowResult r = signIn(flow);
    QVERIFY(r.finished);
    QVERIFY2(r.ms < 10000, qPrintable(QString::number(r.ms)));
    QCOMPARE(r.error.category, ErrorCategory::Configuration);
    QVERIFY2(r.error.message.contains(QStringLiteral("client")), qPrintable(r.error.message));
    QVERIFY(r.grant.refreshToken.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!accepts(QHostAddress::LocalHost, portOf(r.opened)), 3000);
}

void TestOAuthFlow::scopeSurvivesATokenAnswerWithoutIt()
{
    // A token answer without `scope` empties 6.4.2's scope; the next sign-in
    // with the same flow (Try again, Reconnect) must still ask for it.
    GoogleFake fake;
    QString error;
    QVERIFY2(fake.start(&error), qPrintable(error));
    fake.setOmitScope(true);
    OAuthBrowserFlow flow(googleConfig(fake));
    FlowResult r = signIn(flow);
    QVERIFY2(r.finished && !r.error.isError(), qPrintable(r.error.message));
    r = signIn(flow);
    QVERIFY2(r.finished && !r.error.isError(), qPrintable(r.error.message));
    QCOMPARE(fake.lastAuthorizeRequest().value(QStringLiteral("scope")), OAuthConfig::googleScopes().join(QLatin1Char(' ')));
    // A fresh state and verifier each time.
    QCOMPARE(fake.requests(GoogleFake::Endpoint::Authorize), 2);
}

void TestOAuthFlow::deniedConsentSaysSo()
{
    GoogleFake fake;
    QString error;
    QVERIFY2(fake.start(&error), qPrintable(error));
    fake.setDenyConsent(true);
    OAuthBrowserFlow flow(googleConfig(fake));
    const FlowResult r = signIn(flow);
    QVERIFY(r.finished);
    QCOMPARE(r.error.category, ErrorCategory::AuthExpired);
    QVERIFY2(r.error.message.contains(QStringLiteral("did not allow")), qPrintable(r.error.message));
    QCOMPARE(fake.requests(GoogleFake::Endpoint::Token), 0);
}

void TestOAuthFlow::refreshSendsNoEmptySecret()
{
    GoogleFake fake;
    QString error;
    QVERIFY2(fake.start(&error), qPrintable(error));
    QNetworkAccessManager nam;
    OAuthProviderConfig config = googleConfig(fake);
    const QByteArray refresh = fake.issueRefreshToken().toUtf8();
    // Google's desktop client: the (non-confidential) secret is sent.
    SyncError result;
    OAuthGrant grant;
    bool done = false;
    OAuthToken::refresh(&nam, config, refresh, 10000, [&](const SyncError &e, const OAuthGrant &g) {
        result = e;
        grant = g;
        done = true;
    });
    QTRY_VERIFY(done);
    QVERIFY2(!result.isError(), qPrintable(result.message));
    QVERIFY(!grant.accessToken.isEmpty());
    QCOMPARE(grant.refreshToken, refresh);
    QCOMPARE(fake.tokenRequests().last().value(QStringLiteral("client_secret")), fake.clientSecret());
    // A public client: no client_secret parameter at all (6.4.2 sends an empty one).
    fake.setRequireClientSecret(false);
    config.client.clientSecret.clear();
    done = false;
    OAuthToken::refresh(&nam, config, refresh, 10000, [&](const SyncError &e, const OAuthGrant &) {
        result = e;
        done = true;
    });
    QTRY_VERIFY(done);
    QVERIFY2(!result.isError(), qPrintable(result.message));
    QVERIFY(!fake.tokenRequests().last().has(QStringLiteral("client_secret")));
    QVERIFY(!fake.tokenRequests().last().has(QStringLiteral("redirect_uri")));
}

void TestOAuthFlow::revokedRefreshIsAuthExpired()
{
    GoogleFake fake;
    QString error;
    QVERIFY2(fake.start(&error), qPrintable(error));
    QNetworkAccessManager nam;
    const QByteArray refresh = fake.issueRefreshToken().toUtf8();
    fake.revokeRefreshTokens();
    SyncError result;
    bool done = false;
    OAuthToken::refresh(&nam, googleConfig(fake), refresh, 10000, [&](const SyncError &e, const OAuthGrant &) {
        result = e;
        done = true;
    });
    QTRY_VERIFY(done);
    QCOMPARE(result.category, ErrorCategory::AuthExpired);
    QVERIFY2(result.message.contains(QStringLiteral("Token has been expired or revoked.")), qPrintable(result.message));
}

void TestOAuthFlow::signInRefreshesOnceForEveryone()
{
    GoogleFake fake;
    QString error;
    QVERIFY2(fake.start(&error), qPrintable(error));
    qputenv("LOOKBACK_GOOGLE_TOKEN_URL", fake.tokenUrl().toString().toUtf8());
    qputenv("LOOKBACK_GOOGLE_AUTH_URL", fake.authUrl().toString().toUtf8());
    qputenv("LOOKBACK_GMAIL_API_URL", fake.apiUrl().toString().toUtf8());
    const QString account = QStringLiteral("once@gmail.com");
    OAuthGrant grant;
    grant.client = {fake.clientId(), fake.clientSecret()};
    grant.refreshToken = fake.issueRefreshToken().toUtf8();
    QVERIFY(!SecretStore::writeNow(OAuthSignIn::keyFor(ProviderKind::Gmail, account), grant.toKeychain()).isError());

    OAuthSignIn signIn(ProviderKind::Gmail, account);
    // Three threads ask at once, several times each: one refresh serves all.
    QVector<QThread *> threads;
    QVector<QObject *> contexts;
    QAtomicInt answered = 0;
    QSet<QByteArray> tokens;
    QMutex mutex;
    for (int t = 0; t < 3; ++t) {
        auto *thread = new QThread;
        auto *context = new QObject;
        context->moveToThread(thread);
        thread->start();
        threads << thread;
        contexts << context;
    }
    for (int i = 0; i < 12; ++i) {
        signIn.credential(contexts.at(i % 3), [&](const SyncError &e, const Credential &c) {
            QMutexLocker lock(&mutex);
            if (!e.isError())
                tokens.insert(c.accessToken);
            answered.ref();
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(answered.loadRelaxed(), 12, 10000);
    QCOMPARE(tokens.size(), 1);
    QCOMPARE(fake.requests(GoogleFake::Endpoint::TokenRefresh), 1);
    // A 401 elsewhere: forgotten, and the next request refreshes once more.
    signIn.rejected(SyncError::make(ErrorCategory::AuthExpired, QStringLiteral("401")));
    answered = 0;
    signIn.credential(contexts.first(), [&](const SyncError &, const Credential &) { answered.ref(); });
    QTRY_COMPARE(answered.loadRelaxed(), 1);
    QCOMPARE(fake.requests(GoogleFake::Endpoint::TokenRefresh), 2);
    // Revoked: one refresh says so, and later requests get the answer
    // without asking Google again (no loop).
    fake.revokeRefreshTokens();
    signIn.rejected(SyncError::make(ErrorCategory::AuthExpired, QStringLiteral("401")));
    QVector<SyncError> errors;
    for (int i = 0; i < 5; ++i) {
        signIn.credential(contexts.at(i % 3), [&](const SyncError &e, const Credential &) {
            QMutexLocker lock(&mutex);
            errors << e;
        });
        QTest::qWait(20);
    }
    QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 5, 10000);
    for (const SyncError &e : errors)
        QCOMPARE(e.category, ErrorCategory::AuthExpired);
    QCOMPARE(fake.requests(GoogleFake::Endpoint::TokenRefresh), 3);
    // A new grant from the browser brings it back.
    OAuthGrant fresh = grant;
    fresh.refreshToken = fake.issueRefreshToken().toUtf8();
    signIn.setGrant(fresh);
    bool ok = false;
    answered = 0;
    signIn.credential(contexts.first(), [&](const SyncError &e, const Credential &) {
        ok = !e.isError();
        answered.ref();
    });
    QTRY_COMPARE(answered.loadRelaxed(), 1);
    QVERIFY(ok);
    for (int t = 0; t < 3; ++t) {
        contexts.at(t)->deleteLater();
        threads.at(t)->quit();
        threads.at(t)->wait();
        delete threads.at(t);
    }
    SecretStore::removeNow(OAuthSignIn::keyFor(ProviderKind::Gmail, account));
    for (const char *v : {"LOOKBACK_GOOGLE_TOKEN_URL", "LOOKBACK_GOOGLE_AUTH_URL", "LOOKBACK_GMAIL_API_URL"})
        qunsetenv(v);
}

void TestOAuthFlow::genericServer()
{
    const QString server = mockServerPath();
    if (!QFileInfo::exists(server))
        QSKIP(qPrintable(QStringLiteral("oauth2-mock-server is not installed at %1 (scripts/test installs it with npm)").arg(server)));
    QProcess node;
    node.setProcessChannelMode(QProcess::MergedChannels);
    node.start(server, {QStringLiteral("-a"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QStringLiteral("0")});
    QVERIFY2(node.waitForStarted(10000), qPrintable(node.errorString()));
    QString output;
    quint16 port = 0;
    static const QRegularExpression listening(QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)"));
    QTRY_VERIFY_WITH_TIMEOUT((output += QString::fromUtf8(node.readAll()),
                              port = quint16(listening.match(output).captured(1).toUInt()), port != 0), 20000);
    const QUrl base(QStringLiteral("http://127.0.0.1:%1").arg(port));
    OAuthProviderConfig config;
    config.kind = ProviderKind::Microsoft; // a public client: no secret
    config.displayName = QStringLiteral("Test server");
    config.authUrl = base.resolved(QUrl(QStringLiteral("/authorize")));
    config.tokenUrl = base.resolved(QUrl(QStringLiteral("/token")));
    config.apiUrl = base;
    config.scopes = {QStringLiteral("openid"), QStringLiteral("offline_access")};
    config.client = {QStringLiteral("lookback-test"), QString()};
    OAuthBrowserFlow flow(config);
    // The server checks the verifier against the challenge (RFC 7636).
    const FlowResult r = signIn(flow);
    QVERIFY2(r.finished && !r.error.isError(), qPrintable(r.error.message + QLatin1Char(' ') + r.browserError + QLatin1Char(' ') + output));
    QVERIFY(!r.grant.refreshToken.isEmpty());
    QVERIFY(!r.grant.accessToken.isEmpty());
    QNetworkAccessManager nam;
    SyncError result;
    OAuthGrant refreshed;
    bool done = false;
    OAuthToken::refresh(&nam, config, r.grant.refreshToken, 10000, [&](const SyncError &e, const OAuthGrant &g) {
        result = e;
        refreshed = g;
        done = true;
    });
    QTRY_VERIFY(done);
    QVERIFY2(!result.isError(), qPrintable(result.message));
    QVERIFY(!refreshed.accessToken.isEmpty());
    QVERIFY(refreshed.accessToken != r.grant.accessToken);
    node.kill();
    node.waitForFinished(5000);
}

QTEST_GUILESS_MAIN(TestOAuthFlow)
#include "tst_oauthflow.moc"
