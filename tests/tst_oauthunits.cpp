// The parts of an OAuth sign-in that need no server: PKCE values (RFC 7636),
// the state, the token endpoint's errors by provider (PROVIDERS.md 3.3, 3.4),
// which endpoints are allowed, the keychain form of a grant, form encoding.

#include "auth/oauthconfig.h"
#include "auth/oauthflow.h"
#include "auth/oauthtoken.h"

#include <QRegularExpression>
#include <QSet>
#include <QtTest>

using namespace Lookback;

class TestOAuthUnits : public QObject
{
    Q_OBJECT

private slots:
    void challengeMatchesRfc7636Example();
    void verifierAndStateAreStrongAndFresh();
    void tokenErrors_data();
    void tokenErrors();
    void tokenResponseWithAndWithoutScope();
    void endpointsOnlyHttpsOrLoopback_data();
    void endpointsOnlyHttpsOrLoopback();
    void environmentPointsTheEndpoints();
    void noClientIdIsAClearError();
    void grantKeychainFormHoldsNoAccessToken();
    void formEncodingKeepsReservedCharacters();
};

void TestOAuthUnits::challengeMatchesRfc7636Example()
{
    // RFC 7636 appendix B.
    QCOMPARE(OAuthBrowserFlow::challengeFor("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
             QByteArray("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
}

void TestOAuthUnits::verifierAndStateAreStrongAndFresh()
{
    static const QRegularExpression verifierShape(QStringLiteral("^[A-Za-z0-9\\-._~]{43,128}$"));
    static const QRegularExpression stateShape(QStringLiteral("^[A-Za-z0-9]{43}$"));
    QSet<QByteArray> verifiers;
    QSet<QString> states;
    for (int i = 0; i < 200; ++i) {
        const QByteArray v = OAuthBrowserFlow::makeVerifier();
        QVERIFY2(verifierShape.match(QString::fromLatin1(v)).hasMatch(), v.constData());
        verifiers << v;
        const QString s = OAuthBrowserFlow::makeState();
        QVERIFY2(stateShape.match(s).hasMatch(), qPrintable(s));
        states << s;
    }
    // Qt 6.4.2's own state is 8 characters from a time-seeded generator: these never repeat.
    QCOMPARE(verifiers.size(), 200);
    QCOMPARE(states.size(), 200);
}

void TestOAuthUnits::tokenErrors_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("category");
    QTest::addColumn<QString>("says");
    QTest::newRow("google revoked") << int(ProviderKind::Gmail) << 400
        << QByteArray(R"({"error":"invalid_grant","error_description":"Token has been expired or revoked."})")
        << int(ErrorCategory::AuthExpired) << QStringLiteral("Token has been expired or revoked.");
    QTest::newRow("google wrong client") << int(ProviderKind::Gmail) << 401
        << QByteArray(R"({"error":"invalid_client","error_description":"Unauthorized"})")
        << int(ErrorCategory::Configuration) << QStringLiteral("client");
    QTest::newRow("ms inactivity") << int(ProviderKind::Microsoft) << 400
        << QByteArray(R"({"error":"invalid_grant","error_description":"AADSTS700082: The refresh token has expired due to inactivity.","error_codes":[700082]})")
        << int(ErrorCategory::AuthExpired) << QStringLiteral("unused");
    QTest::newRow("ms password") << int(ProviderKind::Microsoft) << 400
        << QByteArray(R"({"error":"invalid_grant","error_description":"AADSTS50173: The provided grant has expired due to it being revoked.","error_codes":[50173]})")
        << int(ErrorCategory::AuthExpired) << QStringLiteral("password");
    QTest::newRow("ms mfa") << int(ProviderKind::Microsoft) << 400
        << QByteArray(R"({"error":"invalid_grant","error_description":"AADSTS50076: Due to a configuration change made by your administrator...","error_codes":[50076]})")
        << int(ErrorCategory::AuthExpired) << QStringLiteral("multi-factor");
    QTest::newRow("ms consent") << int(ProviderKind::Microsoft) << 400
        << QByteArray(R"({"error":"invalid_grant","error_description":"AADSTS65001: The user or administrator has not consented","error_codes":[65001]})")
        << int(ErrorCategory::AuthExpired) << QStringLiteral("consent");
    QTest::newRow("server down") << int(ProviderKind::Gmail) << 503 << QByteArray("<html>")
        << int(ErrorCategory::Network) << QStringLiteral("503");
    QTest::newRow("markup stays text") << int(ProviderKind::Gmail) << 400
        << QByteArray(R"({"error":"invalid_request","error_description":"<b>bad</b>"})")
        << int(ErrorCategory::AuthExpired) << QStringLiteral("<b>bad</b>");
}

void TestOAuthUnits::tokenErrors()
{
    QFETCH(int, kind);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(int, category);
    QFETCH(QString, says);
    const SyncError e = OAuthToken::errorFor(ProviderKind(kind), status, body);
    QCOMPARE(int(e.category), category);
    QVERIFY2(e.message.contains(says), qPrintable(e.message));
}

void TestOAuthUnits::tokenResponseWithAndWithoutScope()
{
    OAuthGrant g;
    g.refreshToken = "old";
    QVERIFY(OAuthToken::parseTokenResponse(R"({"access_token":"ya29.a","expires_in":3599,"token_type":"Bearer"})", &g));
    QCOMPARE(g.accessToken, QByteArray("ya29.a"));
    QCOMPARE(g.refreshToken, QByteArray("old")); // Google does not rotate
    QVERIFY(g.grantedScope.isEmpty());
    const qint64 left = QDateTime::currentDateTimeUtc().secsTo(g.expiresAt);
    QVERIFY(left > 3590 && left <= 3599);
    // Microsoft rotates the refresh token; expires_in may be a string.
    QVERIFY(OAuthToken::parseTokenResponse(R"({"access_token":"eyJ","expires_in":"60","refresh_token":"new","scope":"Mail.Read"})", &g));
    QCOMPARE(g.refreshToken, QByteArray("new"));
    QCOMPARE(g.grantedScope, QStringLiteral("Mail.Read"));
    QVERIFY(QDateTime::currentDateTimeUtc().secsTo(g.expiresAt) <= 60);
    QVERIFY(!OAuthToken::parseTokenResponse(R"({"token_type":"Bearer"})", &g));
}

void TestOAuthUnits::endpointsOnlyHttpsOrLoopback_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("https") << QStringLiteral("https://oauth2.googleapis.com/token") << true;
    QTest::newRow("http loopback v4") << QStringLiteral("http://127.0.0.1:8080/token") << true;
    QTest::newRow("http loopback v6") << QStringLiteral("http://[::1]:8080/token") << true;
    QTest::newRow("http localhost") << QStringLiteral("http://localhost:9/token") << true;
    QTest::newRow("http remote") << QStringLiteral("http://oauth2.googleapis.com/token") << false;
    QTest::newRow("http lookalike") << QStringLiteral("http://127.0.0.1.evil.example/token") << false;
    QTest::newRow("ftp") << QStringLiteral("ftp://127.0.0.1/token") << false;
    QTest::newRow("garbage") << QStringLiteral("not a url") << false;
}

void TestOAuthUnits::endpointsOnlyHttpsOrLoopback()
{
    QFETCH(QString, url);
    QFETCH(bool, allowed);
    QString why;
    QCOMPARE(OAuthConfig::endpointAllowed(QUrl(url), &why), allowed);
    QCOMPARE(why.isEmpty(), allowed);
}

void TestOAuthUnits::environmentPointsTheEndpoints()
{
    qputenv("LOOKBACK_GOOGLE_AUTH_URL", "http://127.0.0.1:1234/o/oauth2/v2/auth");
    qputenv("LOOKBACK_GOOGLE_TOKEN_URL", "http://127.0.0.1:1234/token");
    qputenv("LOOKBACK_GMAIL_API_URL", "http://127.0.0.1:1234");
    qputenv("LOOKBACK_GOOGLE_CLIENT_ID", "env-client");
    qputenv("LOOKBACK_GOOGLE_CLIENT_SECRET", "env-secret");
    SyncError e;
    OAuthProviderConfig c = OAuthConfig::forProvider(ProviderKind::Gmail, {}, &e);
    QVERIFY2(!e.isError(), qPrintable(e.message));
    QCOMPARE(c.tokenUrl, QUrl(QStringLiteral("http://127.0.0.1:1234/token")));
    QCOMPARE(c.client.clientId, QStringLiteral("env-client"));
    QCOMPARE(c.client.clientSecret, QStringLiteral("env-secret"));
    // --client-id wins over the environment.
    c = OAuthConfig::forProvider(ProviderKind::Gmail, {QStringLiteral("flag-client"), QStringLiteral("flag-secret")}, &e);
    QCOMPARE(c.client.clientId, QStringLiteral("flag-client"));
    QVERIFY(c.extraAuthParameters.contains({QStringLiteral("access_type"), QStringLiteral("offline")}));
    QVERIFY(c.extraAuthParameters.contains({QStringLiteral("prompt"), QStringLiteral("consent")}));
    // A remote plain-http endpoint is refused with a clear reason.
    qputenv("LOOKBACK_GOOGLE_TOKEN_URL", "http://tokens.example.com/token");
    e = SyncError();
    OAuthConfig::forProvider(ProviderKind::Gmail, {}, &e);
    QCOMPARE(e.category, ErrorCategory::Configuration);
    QVERIFY2(e.message.contains(QStringLiteral("https")), qPrintable(e.message));
    for (const char *v : {"LOOKBACK_GOOGLE_AUTH_URL", "LOOKBACK_GOOGLE_TOKEN_URL", "LOOKBACK_GMAIL_API_URL",
                          "LOOKBACK_GOOGLE_CLIENT_ID", "LOOKBACK_GOOGLE_CLIENT_SECRET"})
        qunsetenv(v);
    // The defaults are Google's own.
    e = SyncError();
    c = OAuthConfig::forProvider(ProviderKind::Gmail, {QStringLiteral("x"), {}}, &e);
    QCOMPARE(c.authUrl, QUrl(QStringLiteral("https://accounts.google.com/o/oauth2/v2/auth")));
    QCOMPARE(c.tokenUrl, QUrl(QStringLiteral("https://oauth2.googleapis.com/token")));
    QCOMPARE(c.apiUrl, QUrl(QStringLiteral("https://gmail.googleapis.com")));
}

void TestOAuthUnits::noClientIdIsAClearError()
{
    QCoreApplication::setOrganizationName(QStringLiteral("LookbackTest-%1").arg(QCoreApplication::applicationPid()));
    qunsetenv("LOOKBACK_GOOGLE_CLIENT_ID");
    SyncError e;
    OAuthConfig::forProvider(ProviderKind::Gmail, {}, &e);
    QCOMPARE(e.category, ErrorCategory::Configuration);
    QVERIFY(e.message.contains(QStringLiteral("--client-id")));
}

void TestOAuthUnits::grantKeychainFormHoldsNoAccessToken()
{
    OAuthGrant g;
    g.client = {QStringLiteral("id.apps.googleusercontent.com"), QStringLiteral("GOCSPX-x")};
    g.refreshToken = "1//0refresh";
    g.accessToken = "ya29.ACCESS";
    const QByteArray stored = g.toKeychain();
    QVERIFY(!stored.contains("ya29.ACCESS"));
    OAuthGrant back;
    QVERIFY(OAuthGrant::fromKeychain(stored, &back));
    QCOMPARE(back.refreshToken, g.refreshToken);
    QCOMPARE(back.client.clientId, g.client.clientId);
    QCOMPARE(back.client.clientSecret, g.client.clientSecret);
    QVERIFY(back.accessToken.isEmpty());
    QVERIFY(!OAuthGrant::fromKeychain("not json", &back));
    QVERIFY(!OAuthGrant::fromKeychain(R"({"v":1,"client_id":"x"})", &back));
}

void TestOAuthUnits::formEncodingKeepsReservedCharacters()
{
    const QByteArray form = OAuthToken::formEncode({{QStringLiteral("code"), QStringLiteral("4/0A+b=c&d")},
                                                    {QStringLiteral("x"), QStringLiteral("a b")}});
    QCOMPARE(form, QByteArray("code=4%2F0A%2Bb%3Dc%26d&x=a%20b"));
}

QTEST_GUILESS_MAIN(TestOAuthUnits)
#include "tst_oauthunits.moc"
