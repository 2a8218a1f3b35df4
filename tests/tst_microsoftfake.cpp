// Checks MicrosoftFake against /work/shared/PROVIDERS.md with raw HTTP calls
// (and Qt NetworkAuth where 6.4.2's quirks show): the fake is what keeps the
// Graph client honest, so it must itself answer like Microsoft — the OAuth
// code flow with PKCE and rotating refresh tokens, Graph's shapes, paging,
// delta, throttling, shared mailboxes and the error bodies.
#include "answertiming.h"
#include "blockinghttp.h"
#include "microsoftfake.h"
#include "testbrowser.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QOAuth2AuthorizationCodeFlow>
#include <QOAuthHttpServerReplyHandler>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

using namespace Lookback::Test;
using Endpoint = MicrosoftFake::Endpoint;

namespace {

const QString kRedirect = QStringLiteral("http://127.0.0.1:5555/");
const QString kShared = QStringLiteral("support@contoso.onmicrosoft.com");
const QByteArray kImmutable = "IdType=\"ImmutableId\"";
const QString kDeniedMessage = QStringLiteral("Access is denied. Check credentials and try again.");

// An answer, with Graph's JSON shapes.
struct Answer : HttpAnswer
{
    Answer() = default;
    Answer(const HttpAnswer &a) // NOLINT: every HTTP answer reads as one
        : HttpAnswer(a)
    {
    }
    QJsonArray value() const { return json().value(QStringLiteral("value")).toArray(); }
    QString str(const char *key) const { return json().value(QLatin1String(key)).toString(); }
    QJsonObject error() const { return json().value(QStringLiteral("error")).toObject(); }
    QString errorCode() const { return error().value(QStringLiteral("code")).toString(); }
    QString errorMessage() const { return error().value(QStringLiteral("message")).toString(); }
};

// Blocking HTTP with Graph's calls.
class Http : public BlockingHttp
{
public:
    // A Graph GET; Prefer: IdType="ImmutableId" unless `prefer` says otherwise.
    Answer api(const QUrl &url, const QString &token, const QByteArray &prefer = kImmutable, const RawHeaders &more = {})
    {
        return send("GET", url, QByteArray(), headersFor(token, prefer, more));
    }

    static RawHeaders headersFor(const QString &token, const QByteArray &prefer, const RawHeaders &more = {})
    {
        RawHeaders headers{{"Authorization", "Bearer " + token.toLatin1()}};
        if (!prefer.isEmpty())
            headers << qMakePair(QByteArrayLiteral("Prefer"), prefer);
        return headers + more;
    }

    // GETs all at once and waits for every answer (QNAM opens up to 6 connections per host).
    QVector<Answer> parallel(const QVector<QUrl> &urls, const QString &token)
    {
        QVector<QNetworkReply *> replies;
        QEventLoop loop;
        int left = int(urls.size());
        for (const QUrl &url : urls) {
            QNetworkReply *reply = nam().get(request(url, headersFor(token, kImmutable)));
            QObject::connect(reply, &QNetworkReply::finished, &loop, [&] {
                if (--left == 0)
                    loop.quit();
            });
            replies << reply;
        }
        QTimer::singleShot(10000, &loop, &QEventLoop::quit);
        loop.exec();
        QVector<Answer> answers;
        for (QNetworkReply *reply : std::as_const(replies))
            answers << answerOf(reply);
        return answers;
    }

    // How long each took, from its sending to its answer (see answerLatencies()).
    QVector<qint64> latencies(const QVector<QUrl> &urls, const QString &token, int staggerMs)
    {
        QVector<QNetworkRequest> requests;
        for (const QUrl &url : urls)
            requests << request(url, headersFor(token, kImmutable));
        return answerLatencies(nam(), requests, staggerMs);
    }
};


// The value of `name` in an encoded query, still encoded.
QByteArray encodedParam(const QByteArray &location, const QByteArray &name)
{
    const QByteArray query = location.mid(location.indexOf('?') + 1);
    for (const QByteArray &pair : query.split('&')) {
        if (pair.startsWith(QByteArray(name + '=')))
            return pair.mid(name.size() + 1);
    }
    return QByteArray();
}

QString decodedParam(const QByteArray &location, const QByteArray &name)
{
    QByteArray value = encodedParam(location, name);
    value.replace('+', ' ');
    return QUrl::fromPercentEncoding(value);
}

QDateTime utc(int y, int m, int d, int h = 0, int min = 0, int s = 0)
{
    return QDateTime(QDate(y, m, d), QTime(h, min, s), Qt::UTC);
}

QString iso(const QDateTime &dt)
{
    return dt.toUTC().toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss'Z'"));
}

QString enc(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

// Microsoft's token error (PROVIDERS.md 3.3): these keys, in this order, and nothing else.
bool isAadError(const Answer &a, const QString &error, int code, QString *why)
{
    static const QStringList keys = {QStringLiteral("error"), QStringLiteral("error_description"),
                                     QStringLiteral("error_codes"), QStringLiteral("timestamp"),
                                     QStringLiteral("trace_id"), QStringLiteral("correlation_id"),
                                     QStringLiteral("error_uri")};
    const QJsonObject o = a.json();
    qsizetype last = -1;
    for (const QString &k : keys) {
        const qsizetype at = a.body.indexOf(QByteArray("\"" + k.toLatin1() + "\":"));
        if (at <= last) {
            *why = QStringLiteral("key %1 missing or out of order in %2").arg(k, QString::fromUtf8(a.body));
            return false;
        }
        last = at;
    }
    if (o.keys().size() != keys.size() || o.value(QStringLiteral("error")).toString() != error
        || !o.value(QStringLiteral("error_description")).toString().startsWith(QStringLiteral("AADSTS%1: ").arg(code))
        || !o.value(QStringLiteral("error_description")).toString().contains(QStringLiteral("\r\nTrace ID: "))
        || o.value(QStringLiteral("error_codes")).toArray() != QJsonArray{code}
        || !QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$"))
                .match(o.value(QStringLiteral("timestamp")).toString()).hasMatch()
        || o.value(QStringLiteral("trace_id")).toString().size() != 36
        || !o.value(QStringLiteral("error_uri")).toString().endsWith(QStringLiteral("?code=%1").arg(code))) {
        *why = QStringLiteral("not %1 AADSTS%2: %3").arg(error).arg(code).arg(QString::fromUtf8(a.body));
        return false;
    }
    return true;
}

// Graph's envelope (PROVIDERS.md 1.6): {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}.
bool isGraphError(const Answer &a, int status, const QString &code, const QString &message, QString *why)
{
    const QJsonObject error = a.error();
    const QJsonObject inner = error.value(QStringLiteral("innerError")).toObject();
    const bool ok = a.status == status && a.json().keys() == QStringList{QStringLiteral("error")}
        && a.body.startsWith("{\"error\":{\"code\":") && a.body.indexOf("\"message\":") < a.body.indexOf("\"innerError\":")
        && error.keys().size() == 3 && error.value(QStringLiteral("code")).toString() == code
        && (message.isEmpty() || error.value(QStringLiteral("message")).toString() == message)
        && inner.keys().size() == 3
        && QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d$"))
               .match(inner.value(QStringLiteral("date")).toString()).hasMatch()
        && inner.value(QStringLiteral("request-id")).toString().size() == 36
        && !inner.value(QStringLiteral("client-request-id")).toString().isEmpty()
        && a.header("request-id") == inner.value(QStringLiteral("request-id")).toString().toLatin1();
    if (!ok)
        *why = QStringLiteral("HTTP %1 %2, wanted %3 %4").arg(a.status).arg(QString::fromUtf8(a.body)).arg(status).arg(code);
    return ok;
}

#define VERIFY_AAD(answer, error, code)                                                                       \
    do {                                                                                                      \
        QString why_;                                                                                         \
        QVERIFY2(isAadError(answer, QStringLiteral(error), code, &why_), qPrintable(why_));                  \
    } while (false)

#define VERIFY_GRAPH_ERROR(answer, status, code, message)                                                     \
    do {                                                                                                      \
        QString why_;                                                                                         \
        QVERIFY2(isGraphError(answer, status, QStringLiteral(code), message, &why_), qPrintable(why_));      \
    } while (false)

// The app's redirect handler, on "/".
class FakeApp : public RedirectListener
{
public:
    FakeApp() : RedirectListener(QStringLiteral("/")) {}
};

} // namespace

class TestMicrosoftFake : public QObject
{
    Q_OBJECT

private:
    MicrosoftFake m_fake;
    Http m_http;
    const QString m_verifier = QStringLiteral("verifier-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG~");

    QUrl authorizeUrl(const QString &redirect = kRedirect, const QStringList &scopes = MicrosoftFake::graphScopes,
                      const QString &clientId = QString(), const QString &method = QStringLiteral("S256"),
                      bool pkce = true) const
    {
        QUrl url = m_fake.authUrl();
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("client_id"), clientId.isEmpty() ? m_fake.clientId() : clientId);
        q.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
        q.addQueryItem(QStringLiteral("redirect_uri"), enc(redirect));
        q.addQueryItem(QStringLiteral("scope"), enc(scopes.join(QLatin1Char(' '))));
        q.addQueryItem(QStringLiteral("state"), QStringLiteral("St4te9xyz"));
        if (pkce) {
            q.addQueryItem(QStringLiteral("code_challenge"), pkceChallenge(m_verifier));
            q.addQueryItem(QStringLiteral("code_challenge_method"), method);
        }
        url.setQuery(q);
        return url;
    }

    // The authorize step; returns the code, decoded.
    QString authorize(const QStringList &scopes = MicrosoftFake::graphScopes, const QString &redirect = kRedirect)
    {
        const Answer a = m_http.send("GET", authorizeUrl(redirect, scopes));
        if (a.status != 302 || encodedParam(a.header("Location"), "code").isEmpty())
            return QString();
        return decodedParam(a.header("Location"), "code");
    }

    Answer exchange(const QByteArray &code, const QString &verifier, const QString &redirect = kRedirect,
                    const QList<QPair<QByteArray, QByteArray>> &more = {})
    {
        return m_http.form(m_fake.tokenUrl(), QList<QPair<QByteArray, QByteArray>>{
                                                  {"client_id", m_fake.clientId().toUtf8()},
                                                  {"grant_type", "authorization_code"},
                                                  {"code", code},
                                                  {"redirect_uri", redirect.toUtf8()},
                                                  {"code_verifier", verifier.toUtf8()}}
                                                  + more);
    }

    Answer refresh(const QString &refreshToken, const QList<QPair<QByteArray, QByteArray>> &more = {})
    {
        return m_http.form(m_fake.tokenUrl(), QList<QPair<QByteArray, QByteArray>>{
                                                  {"client_id", m_fake.clientId().toUtf8()},
                                                  {"grant_type", "refresh_token"},
                                                  {"refresh_token", refreshToken.toUtf8()}}
                                                  + more);
    }

    QUrl api(const QString &path, const QString &query = QString()) const
    {
        QUrl url(m_fake.apiUrl().toString() + path);
        if (!query.isEmpty())
            url.setQuery(query);
        return url;
    }

    QString add(const QDateTime &received, const QString &folder = QStringLiteral("inbox"),
                const QString &subject = QStringLiteral("hello"), const QString &mailbox = QString())
    {
        MicrosoftFake::Message m;
        m.received = received;
        m.folder = folder;
        m.subject = subject;
        m.fromName = QStringLiteral("Alice");
        m.fromAddress = QStringLiteral("alice@example.org");
        m.to = {QStringLiteral("Lookback Test <lookback.test@contoso.onmicrosoft.com>")};
        m.bodyText = QStringLiteral("Body of ") + subject;
        return m_fake.addMessage(mailbox, m);
    }

    // Every id of a listing, following the nextLinks verbatim.
    QStringList listAll(const QString &token, const QUrl &first, int *pages = nullptr)
    {
        QStringList ids;
        QUrl url = first;
        int count = 0;
        while (url.isValid() && !url.isEmpty() && count < 100) {
            const Answer a = m_http.api(url, token);
            if (a.status != 200)
                return {QStringLiteral("HTTP %1 %2").arg(a.status).arg(QString::fromUtf8(a.body))};
            for (const QJsonValue &v : a.value())
                ids << v.toObject().value(QStringLiteral("id")).toString();
            url = QUrl(a.str("@odata.nextLink"));
            ++count;
        }
        if (pages)
            *pages = count;
        return ids;
    }

    QString graphToken() { return m_fake.issueAccessToken(); }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fake.start(&error), qPrintable(error));
        QVERIFY(m_fake.port() != 0);
        m_fake.addSharedMailbox(kShared, QStringLiteral("Support"));
    }

    void init()
    {
        m_fake.clearMessages();
        m_fake.resetCounters();
        m_fake.setDenyConsent(false);
        m_fake.setOmitScope(false);
        m_fake.setAccessTokenLifetime(3599);
        m_fake.setCodeLifetime(600);
        m_fake.setInvalidateRotatedRefreshTokens(false);
        m_fake.setRedirectPaths({QStringLiteral("/")});
        m_fake.setRequestWindow(10000, 600000);
        m_fake.setRetryAfterAsHttpDate(false);
        m_fake.setServiceUnavailable(0);
        m_fake.setServiceUnavailableEveryNth(0);
        m_fake.setResponseDelayMs(0);
        m_fake.setFilteredDeltaCap(5000);
        for (const char *folder : {"inbox", "sentitems", "msgfolderroot"})
            m_fake.grant(kShared, QLatin1String(folder), false);
    }

    // ---------------------------------------------------------------- OAuth

    void authorizeRedirectsWithEncodedCodeAndState()
    {
        const Answer a = m_http.send("GET", authorizeUrl());
        QCOMPARE(a.status, 302);
        const QByteArray location = a.header("Location");
        QVERIFY2(location.startsWith(QByteArray(kRedirect.toLatin1() + "?code=M.C5")), location.constData());
        QCOMPARE(encodedParam(location, "state"), QByteArray("St4te9xyz"));
        // '!', '*' and '$' must arrive percent-encoded; '.', '-', '_' as they are.
        const QByteArray encoded = encodedParam(location, "code");
        QVERIFY2(encoded.contains("%21") && encoded.contains("%2A") && encoded.contains("%24"), encoded.constData());
        const QString code = decodedParam(location, "code");
        for (const char c : {'.', '-', '_', '!', '*', '$'})
            QVERIFY2(code.contains(QLatin1Char(c)), qPrintable(code));
        QVERIFY(code.size() > 100);

        const MicrosoftFake::AuthorizeRequest last = m_fake.lastAuthorizeRequest();
        QCOMPARE(last.value(QStringLiteral("redirect_uri")), kRedirect);
        QCOMPARE(last.value(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
        QCOMPARE(last.value(QStringLiteral("scope")), MicrosoftFake::graphScopes.join(QLatin1Char(' ')));
        QCOMPARE(m_fake.requests(Endpoint::Authorize), 1);

        // The port is ignored for matching; the path, the scheme and the host are not.
        QCOMPARE(m_http.send("GET", authorizeUrl(QStringLiteral("http://127.0.0.1:61234/"))).status, 302);
        for (const QString &bad : {QStringLiteral("http://127.0.0.1:5555/cb"), QStringLiteral("http://localhost:5555/"),
                                   QStringLiteral("https://127.0.0.1:5555/"), QStringLiteral("http://example.org/"),
                                   QStringLiteral("http://127.0.0.1:5555/?x=1")}) {
            const Answer mismatch = m_http.send("GET", authorizeUrl(bad));
            QCOMPARE(mismatch.status, 400);
            QVERIFY2(mismatch.body.contains("AADSTS50011"), qPrintable(bad));
        }
        m_fake.setRedirectPaths({QStringLiteral("/"), QStringLiteral("/cb")});
        QCOMPARE(m_http.send("GET", authorizeUrl(QStringLiteral("http://127.0.0.1:4242/cb"))).status, 302);

        const Answer badClient = m_http.send("GET", authorizeUrl(kRedirect, MicrosoftFake::graphScopes, QStringLiteral("nobody")));
        QCOMPARE(badClient.status, 400);
        QVERIFY(badClient.body.contains("AADSTS700016"));

        // With a good redirect_uri, other problems come back through it.
        auto errorOf = [this](const QUrl &url) {
            const Answer a = m_http.send("GET", url);
            return qMakePair(decodedParam(a.header("Location"), "error"), decodedParam(a.header("Location"), "error_description"));
        };
        const auto noPkce = errorOf(authorizeUrl(kRedirect, MicrosoftFake::graphScopes, QString(), QString(), false));
        QCOMPARE(noPkce.first, QStringLiteral("invalid_request"));
        QVERIFY2(noPkce.second.startsWith(QStringLiteral("AADSTS900144: ")) && noPkce.second.contains(QLatin1String("code_challenge")),
                 qPrintable(noPkce.second));
        QCOMPARE(errorOf(authorizeUrl(kRedirect, MicrosoftFake::graphScopes, QString(), QStringLiteral("plain"))).first,
                 QStringLiteral("invalid_request"));
        const auto badScope = errorOf(authorizeUrl(kRedirect, {QStringLiteral("Mail.Bogus")}));
        QCOMPARE(badScope.first, QStringLiteral("invalid_scope"));
        QVERIFY(badScope.second.startsWith(QStringLiteral("AADSTS650053: ")));

        m_fake.setDenyConsent(true);
        const Answer denied = m_http.send("GET", authorizeUrl());
        QCOMPARE(denied.status, 302);
        QCOMPARE(decodedParam(denied.header("Location"), "error"), QStringLiteral("access_denied"));
        QVERIFY(decodedParam(denied.header("Location"), "error_description").startsWith(QStringLiteral("AADSTS65004: User declined")));
        QCOMPARE(encodedParam(denied.header("Location"), "state"), QByteArray("St4te9xyz"));
        QVERIFY(encodedParam(denied.header("Location"), "code").isEmpty());
    }

    void codeExchangeWorksOnce()
    {
        const QString code = authorize();
        QVERIFY(!code.isEmpty());
        const Answer first = exchange(code.toUtf8(), m_verifier);
        QCOMPARE(first.status, 200);
        const QJsonObject token = first.json();
        QCOMPARE(token.keys().size(), 7);
        QVERIFY(first.body.startsWith("{\"token_type\":\"Bearer\",\"scope\":"));
        QCOMPARE(token.value(QStringLiteral("scope")).toString(), QStringLiteral("Mail.Read Mail.Read.Shared User.Read openid profile"));
        QVERIFY(token.value(QStringLiteral("expires_in")).isDouble());
        QCOMPARE(token.value(QStringLiteral("expires_in")).toInt(), 3599);
        QCOMPARE(token.value(QStringLiteral("ext_expires_in")).toInt(), 3599);
        QCOMPARE(token.value(QStringLiteral("access_token")).toString().count(QLatin1Char('.')), 2);
        QVERIFY(!token.value(QStringLiteral("refresh_token")).toString().isEmpty());
        const QStringList idToken = token.value(QStringLiteral("id_token")).toString().split(QLatin1Char('.'));
        QCOMPARE(idToken.size(), 3);
        const QJsonObject claims = QJsonDocument::fromJson(QByteArray::fromBase64(idToken.at(1).toLatin1(), QByteArray::Base64UrlEncoding)).object();
        QCOMPARE(claims.value(QStringLiteral("preferred_username")).toString(), m_fake.userAddress());
        QCOMPARE(claims.value(QStringLiteral("aud")).toString(), m_fake.clientId());
        const QString access = token.value(QStringLiteral("access_token")).toString();
        QCOMPARE(m_http.api(api(QStringLiteral("/me")), access).status, 200);
        QCOMPARE(m_http.api(api(QStringLiteral("/me/mailFolders/inbox")), access).status, 200);

        const Answer second = exchange(code.toUtf8(), m_verifier);
        VERIFY_AAD(second, "invalid_grant", 54005);
        QCOMPARE(second.status, 400);
        QCOMPARE(m_fake.requests(Endpoint::Token), 2);

        // Another loopback port, the same path: still the same redirect_uri.
        QCOMPARE(exchange(authorize().toUtf8(), m_verifier, QStringLiteral("http://127.0.0.1:7777/")).status, 200);

        // No offline_access: no refresh token; no openid: no id_token.
        const Answer bare = exchange(authorize({QStringLiteral("Mail.Read")}).toUtf8(), m_verifier);
        QCOMPARE(bare.status, 200);
        QVERIFY(!bare.json().contains(QStringLiteral("refresh_token")));
        QVERIFY(!bare.json().contains(QStringLiteral("id_token")));
        QCOMPARE(bare.str("scope"), QStringLiteral("Mail.Read"));
    }

    void badExchangesGetMicrosoftsErrors()
    {
        const QString code = authorize();
        QVERIFY(!code.isEmpty());

        const Answer wrongVerifier = exchange(code.toUtf8(), QString(m_verifier).replace(0, 1, QLatin1Char('X')));
        VERIFY_AAD(wrongVerifier, "invalid_grant", 501481);
        VERIFY_AAD(exchange(code.toUtf8(), QString()), "invalid_grant", 501481);

        // What a client that encodes the code again sends (Qt 6.4.2, QTBUG-81624): "%2A" and friends.
        const QByteArray encodedOnce = QUrl::toPercentEncoding(code);
        QVERIFY(encodedOnce.contains("%2A"));
        VERIFY_AAD(exchange(encodedOnce, m_verifier), "invalid_grant", 70000);

        // Any client_secret, even an empty one: the client is public.
        for (const QByteArray &secret : {QByteArray(), QByteArray("s3cret")}) {
            const Answer withSecret = exchange(code.toUtf8(), m_verifier, kRedirect, {{"client_secret", secret}});
            QCOMPARE(withSecret.status, 401);
            VERIFY_AAD(withSecret, "invalid_client", 700025);
            QVERIFY(withSecret.str("error_description").startsWith(QStringLiteral(
                "AADSTS700025: Client is public so neither 'client_assertion' nor 'client_secret' should be presented.")));
        }
        // A second "code", as QMultiMap::insert makes.
        VERIFY_AAD(exchange(code.toUtf8(), m_verifier, kRedirect, {{"code", encodedOnce}}), "invalid_request", 9000411);
        VERIFY_AAD(exchange(code.toUtf8(), m_verifier, QStringLiteral("http://127.0.0.1:5555/other")), "invalid_grant", 500112);
        const Answer unknownClient = m_http.form(m_fake.tokenUrl(), {{"client_id", "nobody"}, {"grant_type", "authorization_code"},
                                                                      {"code", code.toUtf8()}});
        VERIFY_AAD(unknownClient, "unauthorized_client", 700016);

        // Failed attempts do not consume the code.
        QCOMPARE(exchange(code.toUtf8(), m_verifier).status, 200);

        // One resource per token (PROVIDERS.md 3.3); consent may span both.
        const QStringList both = MicrosoftFake::graphScopes + QStringList{QString::fromLatin1(MicrosoftFake::imapScope)};
        const QByteArray mixed = "offline_access Mail.Read " + QByteArray(MicrosoftFake::imapScope);
        VERIFY_AAD(exchange(authorize(both).toUtf8(), m_verifier, kRedirect, {{"scope", mixed}}), "invalid_scope", 28000);
        VERIFY_AAD(exchange(authorize(both).toUtf8(), m_verifier), "invalid_request", 28003);
        const Answer imap = exchange(authorize(both).toUtf8(), m_verifier, kRedirect,
                                     {{"scope", "offline_access " + QByteArray(MicrosoftFake::imapScope)}});
        QCOMPARE(imap.status, 200);
        QCOMPARE(imap.str("scope").split(QLatin1Char(' ')).first(), QString::fromLatin1(MicrosoftFake::imapScope));
        QVERIFY(!imap.str("scope").contains(QLatin1String("Mail.Read")));
        // Not consented at authorize: 65001.
        VERIFY_AAD(exchange(authorize().toUtf8(), m_verifier, kRedirect, {{"scope", MicrosoftFake::imapScope}}), "invalid_grant", 65001);

        // Codes are short-lived.
        m_fake.setCodeLifetime(0);
        const QString late = authorize();
        QTest::qWait(20);
        VERIFY_AAD(exchange(late.toUtf8(), m_verifier), "invalid_grant", 70008);

        const QVector<MicrosoftFake::TokenRequest> log = m_fake.tokenRequests();
        QCOMPARE(log.last().status, 400);
        QVERIFY(log.last().errorBody.contains("AADSTS70008"));
        QCOMPARE(log.last().value(QStringLiteral("code")), late);
    }

    void refreshTokensRotate()
    {
        const QString first = m_fake.issueRefreshToken();
        const Answer a = refresh(first);
        QCOMPARE(a.status, 200);
        const QString second = a.str("refresh_token");
        QVERIFY(!second.isEmpty());
        QVERIFY(second != first);
        QCOMPARE(a.str("scope"), QStringLiteral("Mail.Read Mail.Read.Shared User.Read openid profile"));
        QCOMPARE(m_http.api(api(QStringLiteral("/me")), a.str("access_token")).status, 200);
        QCOMPARE(m_fake.requests(Endpoint::TokenRefresh), 1);

        // As at Microsoft, a rotated-away token still works by default…
        const Answer again = refresh(first);
        QCOMPARE(again.status, 200);
        const QString third = again.str("refresh_token");
        // …but not with the switch: a client that failed to persist the new one is caught.
        m_fake.setInvalidateRotatedRefreshTokens(true);
        VERIFY_AAD(refresh(first), "invalid_grant", 70000);
        QVERIFY(second != third); // `second` was never used, so never rotated away: it still works below
        QCOMPARE(refresh(second).status, 200);
        const Answer latest = refresh(third);
        QCOMPARE(latest.status, 200);
        VERIFY_AAD(refresh(third), "invalid_grant", 70000);
        const QString fourth = latest.str("refresh_token");

        // Qt 6.4.2's refresh always carries client_secret, empty.
        const Answer withSecret = refresh(fourth, {{"client_secret", ""}});
        QCOMPARE(withSecret.status, 401);
        VERIFY_AAD(withSecret, "invalid_client", 700025);
        VERIFY_AAD(refresh(QStringLiteral("0.AXoA-not-a-token")), "invalid_grant", 70000);

        // The same refresh token gives a second token for IMAP, which Graph refuses.
        m_fake.setInvalidateRotatedRefreshTokens(false);
        const QString both = m_fake.issueRefreshToken(MicrosoftFake::graphScopes + QStringList{QString::fromLatin1(MicrosoftFake::imapScope)});
        const Answer imap = refresh(both, {{"scope", "offline_access " + QByteArray(MicrosoftFake::imapScope)}});
        QCOMPARE(imap.status, 200);
        QCOMPARE(imap.str("scope"), QStringLiteral("%1 openid profile").arg(QLatin1String(MicrosoftFake::imapScope)));
        QVERIFY(imap.str("refresh_token") != both);
        const Answer audience = m_http.api(api(QStringLiteral("/me")), imap.str("access_token"));
        VERIFY_GRAPH_ERROR(audience, 401, "InvalidAuthenticationToken", QStringLiteral("Access token validation failure. Invalid audience."));
        VERIFY_AAD(refresh(both, {{"scope", "Mail.Read " + QByteArray(MicrosoftFake::imapScope)}}), "invalid_scope", 28000);
        // Without scope: Graph's.
        QCOMPARE(refresh(both).str("scope"), QStringLiteral("Mail.Read Mail.Read.Shared User.Read openid profile"));

        m_fake.setOmitScope(true);
        const Answer noScope = refresh(both);
        QCOMPARE(noScope.status, 200);
        QVERIFY(!noScope.json().contains(QStringLiteral("scope")));
    }

    void refreshErrors_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("text");
        QTest::newRow("inactive") << 700082 << QStringLiteral("invalid_grant") << QStringLiteral("expired due to inactivity");
        QTest::newRow("inactive-old") << 70008 << QStringLiteral("invalid_grant") << QStringLiteral("expired due to inactivity");
        QTest::newRow("revoked") << 50173 << QStringLiteral("invalid_grant") << QStringLiteral("might have changed or reset their password");
        QTest::newRow("mfa") << 50076 << QStringLiteral("interaction_required") << QStringLiteral("multi-factor authentication");
        QTest::newRow("mfa-enroll") << 50079 << QStringLiteral("interaction_required") << QStringLiteral("enroll in multi-factor");
        QTest::newRow("consent") << 65001 << QStringLiteral("invalid_grant") << QStringLiteral("has not consented");
    }

    void refreshErrors()
    {
        QFETCH(int, code);
        QFETCH(QString, error);
        QFETCH(QString, text);
        const QString token = m_fake.issueRefreshToken();
        m_fake.failRefreshTokens(code);
        const Answer a = refresh(token);
        QCOMPARE(a.status, 400);
        QString why;
        QVERIFY2(isAadError(a, error, code, &why), qPrintable(why));
        QVERIFY2(a.str("error_description").contains(text), qPrintable(a.str("error_description")));
        // Tokens issued afterwards (a new sign-in) work.
        QCOMPARE(refresh(m_fake.issueRefreshToken()).status, 200);
    }

    // ---------------------------------------------------------------- Graph basics

    void apiAuthErrors()
    {
        const Answer none = m_http.send("GET", api(QStringLiteral("/me/mailFolders/inbox")));
        VERIFY_GRAPH_ERROR(none, 401, "InvalidAuthenticationToken", QStringLiteral("Access token is empty."));
        QVERIFY2(none.header("WWW-Authenticate").startsWith("Bearer realm=\"\", authorization_uri="), none.header("WWW-Authenticate").constData());

        const QString token = graphToken();
        QCOMPARE(m_http.api(api(QStringLiteral("/me/mailFolders/inbox")), token).status, 200);
        m_fake.expireAccessTokens();
        const Answer expired = m_http.api(api(QStringLiteral("/me/mailFolders/inbox")), token, kImmutable,
                                          {{"client-request-id", "11111111-2222-3333-4444-555555555555"}});
        VERIFY_GRAPH_ERROR(expired, 401, "InvalidAuthenticationToken", QStringLiteral("Access token has expired or is not yet valid."));
        QVERIFY(!expired.header("WWW-Authenticate").isEmpty());
        QCOMPARE(expired.error().value(QStringLiteral("innerError")).toObject().value(QStringLiteral("client-request-id")).toString(),
                 QStringLiteral("11111111-2222-3333-4444-555555555555"));
        m_fake.setAccessTokenLifetime(0);
        const QString dead = graphToken();
        QCOMPARE(m_http.api(api(QStringLiteral("/me")), dead).status, 401);
        m_fake.setAccessTokenLifetime(3599);

        // A token without a mail scope: 403; without User.Read: /me is refused as Graph's directory does.
        const Answer noMail = m_http.api(api(QStringLiteral("/me/mailFolders/inbox/messages")), m_fake.issueAccessToken({QStringLiteral("User.Read")}));
        VERIFY_GRAPH_ERROR(noMail, 403, "ErrorAccessDenied", kDeniedMessage);
        const QString mailOnly = m_fake.issueAccessToken({QStringLiteral("Mail.Read")});
        VERIFY_GRAPH_ERROR(m_http.api(api(QStringLiteral("/me")), mailOnly), 403, "Authorization_RequestDenied",
                           QStringLiteral("Insufficient privileges to complete the operation."));
        QCOMPARE(m_http.api(api(QStringLiteral("/me/mailFolders/inbox")), mailOnly).status, 200);

        const Answer unknownUser = m_http.api(api(QStringLiteral("/users/nobody@contoso.onmicrosoft.com/mailFolders/inbox")), graphToken());
        VERIFY_GRAPH_ERROR(unknownUser, 404, "ErrorInvalidUser",
                           QStringLiteral("The requested user 'nobody@contoso.onmicrosoft.com' is invalid."));
        VERIFY_GRAPH_ERROR(m_http.api(api(QStringLiteral("/me/contacts")), graphToken()), 400, "BadRequest", QString());
    }

    void meAndFolders()
    {
        const QString token = graphToken();
        const Answer me = m_http.api(api(QStringLiteral("/me")), token);
        QCOMPARE(me.status, 200);
        QCOMPARE(me.str("mail"), m_fake.userAddress());
        QCOMPARE(me.str("userPrincipalName"), m_fake.userAddress());
        QCOMPARE(me.str("displayName"), QStringLiteral("Lookback Test"));
        QCOMPARE(me.str("id"), m_fake.userId());
        QCOMPARE(m_fake.requests(Endpoint::Me), 1);

        add(utc(2024, 1, 1));
        const QString read = add(utc(2024, 1, 2));
        m_fake.setFlagRead(read, true);
        add(utc(2024, 1, 3), QStringLiteral("sentitems"));
        add(utc(2024, 1, 4), QStringLiteral("drafts"));
        m_fake.setExtraItems(QStringLiteral("inbox"), 3); // a meeting request, a contact…

        const Answer inbox = m_http.api(api(QStringLiteral("/me/mailFolders/Inbox")), token);
        QCOMPARE(inbox.status, 200);
        QCOMPARE(inbox.str("displayName"), QStringLiteral("Inbox"));
        QCOMPARE(inbox.json().value(QStringLiteral("totalItemCount")).toInt(), 5);
        QCOMPARE(inbox.json().value(QStringLiteral("unreadItemCount")).toInt(), 1);
        QCOMPARE(inbox.json().value(QStringLiteral("childFolderCount")).toInt(), 0);
        QCOMPARE(inbox.json().value(QStringLiteral("isHidden")).toBool(), false);
        QVERIFY(!inbox.str("parentFolderId").isEmpty());
        const QString inboxId = inbox.str("id");
        QCOMPARE(inboxId, m_fake.folderId(QString(), QStringLiteral("inbox")));
        // Every spelling names the same folder; /users/<own address> and /users/<id> are /me.
        for (const QString &path : QStringList{QStringLiteral("/me/mailFolders/INBOX"), QStringLiteral("/me/mailFolders('Inbox')"),
                                    QStringLiteral("/me/mailFolders/") + inboxId,
                                    QStringLiteral("/users/%1/mailFolders/inbox").arg(m_fake.userAddress()),
                                    QStringLiteral("/users/%1/mailFolders/inbox").arg(m_fake.userAddress().toUpper()),
                                    QStringLiteral("/users/%1/mailFolders/inbox").arg(m_fake.userId())}) {
            const Answer a = m_http.api(api(path), token);
            QCOMPARE(a.status, 200);
            QCOMPARE(a.str("id"), inboxId);
        }
        const Answer sent = m_http.api(api(QStringLiteral("/me/mailFolders/SentItems")), token);
        QCOMPARE(sent.str("displayName"), QStringLiteral("Sent Items"));
        QCOMPARE(sent.json().value(QStringLiteral("totalItemCount")).toInt(), 1);
        VERIFY_GRAPH_ERROR(m_http.api(api(QStringLiteral("/me/mailFolders/nosuch")), token), 400, "ErrorInvalidIdMalformed", QString());
        QCOMPARE(m_http.api(api(QStringLiteral("/me/mailFolders")), token).value().size(), 7);

        // Drafts exist, have messages, and every request touching them is counted.
        const Answer drafts = m_http.api(api(QStringLiteral("/me/mailFolders/drafts")), token);
        QCOMPARE(drafts.json().value(QStringLiteral("totalItemCount")).toInt(), 1);
        const Answer draftList = m_http.api(api(QStringLiteral("/me/mailFolders/drafts/messages")), token);
        QCOMPARE(draftList.value().size(), 1);
        const QJsonObject draft = draftList.value().at(0).toObject();
        QCOMPARE(draft.value(QStringLiteral("isDraft")).toBool(), true);
        QCOMPARE(m_http.api(api(QStringLiteral("/me/messages/") + draft.value(QStringLiteral("id")).toString()), token).status, 200);
        QCOMPARE(m_fake.draftsRequests(), 3);
    }

    void listTopAndSelect()
    {
        const QString token = graphToken();
        for (int i = 0; i < 12; ++i)
            add(utc(2024, 2, 1).addSecs(i * 60), QStringLiteral("inbox"), QStringLiteral("m%1").arg(i));
        const QString messages = QStringLiteral("/me/mailFolders/inbox/messages");

        QCOMPARE(m_http.api(api(messages), token).value().size(), 10); // default page
        QCOMPARE(m_http.api(api(messages, QStringLiteral("$top=1000")), token).value().size(), 12);
        QCOMPARE(m_http.api(api(messages, QStringLiteral("$top=1")), token).value().size(), 1);
        for (const QString &top : {QStringLiteral("0"), QStringLiteral("1001"), QStringLiteral("-1"), QStringLiteral("ten")}) {
            const Answer bad = m_http.api(api(messages, QStringLiteral("$top=") + top), token);
            VERIFY_GRAPH_ERROR(bad, 400, "BadRequest",
                               QStringLiteral("Invalid page size specified: '%1'. Must be between 1 and 1000 inclusive.").arg(top));
        }

        const Answer selected = m_http.api(api(messages, QStringLiteral("$select=subject,receivedDateTime&$top=3")), token);
        QCOMPARE(selected.status, 200);
        QStringList keys = selected.value().at(0).toObject().keys();
        keys.sort();
        QCOMPARE(keys, (QStringList{QStringLiteral("@odata.etag"), QStringLiteral("id"), QStringLiteral("receivedDateTime"),
                                    QStringLiteral("subject")}));
        QCOMPARE(selected.value().at(0).toObject().value(QStringLiteral("subject")).toString(), QStringLiteral("m11")); // newest first
        QVERIFY(selected.str("@odata.context").endsWith(QStringLiteral("/messages(subject,receivedDateTime)")));
        const Answer idOnly = m_http.api(api(messages, QStringLiteral("$select=id&$top=1")), token);
        QCOMPARE(idOnly.value().at(0).toObject().keys().size(), 2);
        VERIFY_GRAPH_ERROR(m_http.api(api(messages, QStringLiteral("$select=subject,foo")), token), 400, "RequestBroker--ParseUri",
                           QStringLiteral("Could not find a property named 'foo' on type 'microsoft.graph.message'."));
        VERIFY_GRAPH_ERROR(m_http.api(api(messages, QStringLiteral("$search=%22hello%22")), token), 400, "BadRequest", QString());
        VERIFY_GRAPH_ERROR(m_http.api(api(messages, QStringLiteral("$top=1&$top=2")), token), 400, "BadRequest", QString());

        // Without $select every default property is there (not internetMessageHeaders), and bodies count as content.
        const QJsonObject full = m_http.api(api(messages, QStringLiteral("$top=1")), token).value().at(0).toObject();
        for (const char *key : {"id", "@odata.etag", "createdDateTime", "lastModifiedDateTime", "receivedDateTime",
                                "sentDateTime", "hasAttachments", "internetMessageId", "subject", "bodyPreview",
                                "importance", "parentFolderId", "conversationId", "conversationIndex", "isRead",
                                "isDraft", "body", "sender", "from", "toRecipients", "ccRecipients", "bccRecipients",
                                "replyTo", "flag", "categories"})
            QVERIFY2(full.contains(QLatin1String(key)), key);
        QVERIFY(!full.contains(QStringLiteral("internetMessageHeaders")));
        QCOMPARE(m_fake.allContentFetches().size(), 12); // every message went out with its body at least once
        QCOMPARE(m_fake.selectsSeen().first(), QString());
        QVERIFY(m_fake.selectsSeen().contains(QStringLiteral("subject,receivedDateTime")));
        QCOMPARE(m_fake.topsSeen().first(), QString());
        QVERIFY(m_fake.topsSeen().contains(QStringLiteral("1001")));
    }

    void listFilterAndOrder()
    {
        const QString token = graphToken();
        const QDateTime boundary = utc(2024, 3, 10, 12);
        const QString before = add(boundary.addSecs(-1), QStringLiteral("inbox"), QStringLiteral("before"));
        const QString at = add(boundary, QStringLiteral("inbox"), QStringLiteral("at"));
        const QString after = add(boundary.addSecs(1), QStringLiteral("inbox"), QStringLiteral("after"));
        m_fake.setFlagRead(after, true);
        const QString messages = QStringLiteral("/me/mailFolders/inbox/messages");
        auto ids = [&](const QString &query) { return listAll(token, api(messages, query)); };
        const QString ge = QStringLiteral("$filter=") + enc(QStringLiteral("receivedDateTime ge ") + iso(boundary));
        const QString gt = QStringLiteral("$filter=") + enc(QStringLiteral("receivedDateTime gt ") + iso(boundary));

        QCOMPARE(ids(ge), (QStringList{after, at}));
        QCOMPARE(ids(gt), (QStringList{after}));
        QCOMPARE(ids(ge + QStringLiteral("&$orderby=") + enc(QStringLiteral("receivedDateTime desc"))), (QStringList{after, at}));
        QCOMPARE(ids(ge + QStringLiteral("&$orderby=receivedDateTime")), (QStringList{at, after}));
        QCOMPARE(ids(QStringLiteral("$orderby=") + enc(QStringLiteral("receivedDateTime asc"))), (QStringList{before, at, after}));
        QCOMPARE(ids(QStringLiteral("$filter=") + enc(QStringLiteral("receivedDateTime ge %1 and receivedDateTime lt %2")
                                                          .arg(iso(boundary.addSecs(-1)), iso(boundary.addSecs(1))))),
                 (QStringList{at, before}));
        QCOMPARE(ids(QStringLiteral("$filter=") + enc(QStringLiteral("isRead eq false"))), (QStringList{at, before}));

        // PROVIDERS.md 1.3: orderby properties in the filter, same order, first.
        const QString inefficient = QStringLiteral("The restriction or sort order is too complex for this operation.");
        VERIFY_GRAPH_ERROR(m_http.api(api(messages, QStringLiteral("$filter=")
                                                        + enc(QStringLiteral("isRead eq false and receivedDateTime ge ") + iso(boundary))
                                                        + QStringLiteral("&$orderby=") + enc(QStringLiteral("receivedDateTime desc"))), token),
                           400, "InefficientFilter", inefficient);
        VERIFY_GRAPH_ERROR(m_http.api(api(messages, ge + QStringLiteral("&$orderby=") + enc(QStringLiteral("sentDateTime desc"))), token),
                           400, "InefficientFilter", inefficient);
        VERIFY_GRAPH_ERROR(m_http.api(api(messages, QStringLiteral("$filter=") + enc(QStringLiteral("subject eq 'x'"))), token),
                           400, "BadRequest", QStringLiteral("Invalid filter clause"));
        VERIFY_GRAPH_ERROR(m_http.api(api(messages, QStringLiteral("$filter=") + enc(QStringLiteral("receivedDateTime ge yesterday"))), token),
                           400, "BadRequest", QStringLiteral("Invalid filter clause"));
        // $count=true: the filtered collection's size, on every page.
        const auto counted = m_http.api(api(messages, ge + QStringLiteral("&$count=true&$top=1")), token);
        QCOMPARE(counted.status, 200);
        QCOMPARE(counted.json().value(QStringLiteral("@odata.count")).toInt(-1), 2);
        QCOMPARE(counted.json().value(QStringLiteral("value")).toArray().size(), 1);
        const auto second = m_http.api(QUrl(counted.json().value(QStringLiteral("@odata.nextLink")).toString()), token);
        QCOMPARE(second.json().value(QStringLiteral("@odata.count")).toInt(-1), 2);
        QVERIFY(!m_http.api(api(messages, ge), token).json().contains(QStringLiteral("@odata.count")));
        QCOMPARE(m_http.api(api(messages, QStringLiteral("$count=maybe")), token).status, 400);
        QVERIFY(m_fake.filtersSeen().contains(QStringLiteral("receivedDateTime gt ") + iso(boundary)));
        QVERIFY(m_fake.orderBysSeen().contains(QStringLiteral("receivedDateTime desc")));
    }

    void listPagingIsCompleteAndStable()
    {
        const QString token = graphToken();
        QStringList expected; // newest first
        for (int i = 0; i < 23; ++i)
            expected.prepend(add(utc(2024, 4, 1).addSecs(i * 60), QStringLiteral("inbox"), QStringLiteral("p%1").arg(i)));
        add(utc(2024, 4, 1, 6), QStringLiteral("sentitems"));
        const QString query = QStringLiteral("$select=subject,receivedDateTime&$filter=")
            + enc(QStringLiteral("receivedDateTime ge 2024-01-01T00:00:00Z")) + QStringLiteral("&$orderby=")
            + enc(QStringLiteral("receivedDateTime desc")) + QStringLiteral("&$top=5");
        const QUrl first = api(QStringLiteral("/me/mailFolders/inbox/messages"), query);

        const Answer page1 = m_http.api(first, token);
        QCOMPARE(page1.value().size(), 5);
        const QUrl next(page1.str("@odata.nextLink"));
        QVERIFY2(next.toString().startsWith(m_fake.apiUrl().toString() + QStringLiteral("/me/mailFolders/inbox/messages?")),
                 qPrintable(next.toString()));
        // Graph writes the option names as "%24select" and so on.
        QHash<QString, QString> nextQuery;
        for (const QByteArray &pair : next.query(QUrl::FullyEncoded).toLatin1().split('&'))
            nextQuery.insert(QUrl::fromPercentEncoding(pair.left(pair.indexOf('='))), QUrl::fromPercentEncoding(pair.mid(pair.indexOf('=') + 1)));
        QCOMPARE(nextQuery.size(), 5);
        QCOMPARE(nextQuery.value(QStringLiteral("$select")), QStringLiteral("subject,receivedDateTime"));
        QCOMPARE(nextQuery.value(QStringLiteral("$filter")), QStringLiteral("receivedDateTime ge 2024-01-01T00:00:00Z"));
        QCOMPARE(nextQuery.value(QStringLiteral("$orderby")), QStringLiteral("receivedDateTime desc"));
        QCOMPARE(nextQuery.value(QStringLiteral("$top")), QStringLiteral("5"));
        const int skip = nextQuery.value(QStringLiteral("$skip")).toInt();
        QVERIFY2(skip > 5 && skip % 5 != 0, qPrintable(QString::number(skip))); // not page × size, larger than a page

        int pages = 0;
        QCOMPARE(listAll(token, first, &pages), expected);
        QCOMPARE(pages, 5);
        QCOMPARE(m_fake.unissuedSkips(), 0);

        // Mail that arrives or goes meanwhile does not shift the pages.
        const Answer again = m_http.api(first, token);
        add(utc(2024, 5, 1), QStringLiteral("inbox"), QStringLiteral("newer"));
        m_fake.removeMessage(expected.at(12));
        QStringList rest;
        for (const QJsonValue &v : again.value())
            rest << v.toObject().value(QStringLiteral("id")).toString();
        rest += listAll(token, QUrl(again.str("@odata.nextLink")));
        QStringList withoutRemoved = expected;
        withoutRemoved.removeAt(12);
        QCOMPARE(rest, withoutRemoved);

        // A $skip the client made up is not Graph's: 400, or a page somewhere else, and counted.
        const Answer madeUp = m_http.api(api(QStringLiteral("/me/mailFolders/inbox/messages"), query + QStringLiteral("&$skip=5")), token);
        VERIFY_GRAPH_ERROR(madeUp, 400, "BadRequest", QString());
        QCOMPARE(m_fake.unissuedSkips(), 1);
        QCOMPARE(m_fake.requests(Endpoint::List), 1 + 5 + 1 + 4 + 1);
    }

    void immutableAndRegularIds()
    {
        const QString token = graphToken();
        const QString base = MicrosoftFake::makeImmutableId();
        const QString twin = MicrosoftFake::caseTwinId(base);
        QVERIFY(base != twin);
        QCOMPARE(base.toLower(), twin.toLower());
        MicrosoftFake::Message m;
        m.received = utc(2024, 6, 1);
        m.subject = QStringLiteral("original");
        m.id = base;
        QCOMPARE(m_fake.addMessage(m), base);
        m.id = twin;
        m.subject = QStringLiteral("twin");
        m.received = utc(2024, 6, 2);
        QCOMPARE(m_fake.addMessage(m), twin);
        const QString messages = QStringLiteral("/me/mailFolders/inbox/messages");

        const Answer immutable = m_http.api(api(messages), token);
        QCOMPARE(immutable.header("Preference-Applied"), kImmutable);
        QStringList ids;
        for (const QJsonValue &v : immutable.value())
            ids << v.toObject().value(QStringLiteral("id")).toString();
        QCOMPARE(ids, (QStringList{twin, base}));
        QCOMPARE(m_http.api(api(QStringLiteral("/me/messages/") + base), token).str("subject"), QStringLiteral("original"));
        QCOMPARE(m_http.api(api(QStringLiteral("/me/messages/") + twin), token).str("subject"), QStringLiteral("twin"));

        const Answer regular = m_http.api(api(messages), token, QByteArray());
        QVERIFY(regular.header("Preference-Applied").isEmpty());
        const QString regularBase = regular.value().at(1).toObject().value(QStringLiteral("id")).toString();
        const QString regularTwin = regular.value().at(0).toObject().value(QStringLiteral("id")).toString();
        QCOMPARE(regularBase, m_fake.regularId(base));
        QVERIFY(regularBase != base);
        QVERIFY(regularBase != regularTwin);
        QCOMPARE(regularBase.toLower(), regularTwin.toLower()); // they too differ only in case
        QCOMPARE(m_fake.requestsWithoutImmutableId(), 1);

        // A move changes the regular id only.
        QVERIFY(m_fake.moveMessage(base, QStringLiteral("archive")));
        const QString movedRegular = m_fake.regularId(base);
        QVERIFY(movedRegular != regularBase);
        VERIFY_GRAPH_ERROR(m_http.api(api(QStringLiteral("/me/messages/") + regularBase), token, QByteArray()), 404,
                           "ErrorItemNotFound", QStringLiteral("The specified object was not found in the store."));
        const Answer byRegular = m_http.api(api(QStringLiteral("/me/messages/") + movedRegular), token, QByteArray());
        QCOMPARE(byRegular.status, 200);
        QCOMPARE(byRegular.str("id"), movedRegular);
        const Answer byImmutable = m_http.api(api(QStringLiteral("/me/messages/") + base), token);
        QCOMPARE(byImmutable.str("id"), base);
        QCOMPARE(byImmutable.str("parentFolderId"), m_fake.folderId(QString(), QStringLiteral("archive")));
        QCOMPARE(m_http.api(api(QStringLiteral("/me/mailFolders/archive/messages")), token).value().size(), 1);
        QCOMPARE(m_fake.requestsWithoutImmutableId(), 3);
        QCOMPARE(m_fake.messageCount(QString(), QStringLiteral("inbox")), 1);
        QCOMPARE(m_fake.messageCount(), 2);
    }

    void messageShapeAndBodyType()
    {
        const QString token = graphToken();
        MicrosoftFake::Message m;
        m.received = utc(2024, 5, 1, 10, 20, 30);
        m.sent = utc(2024, 5, 1, 10, 20, 0);
        m.subject = QStringLiteral("Grüße & report");
        m.fromName = QStringLiteral("Alice Example");
        m.fromAddress = QStringLiteral("alice@example.org");
        m.to = {QStringLiteral("Bob <bob@example.org>"), QStringLiteral("carol@example.org")};
        m.cc = {QStringLiteral("dave@example.org")};
        m.internetMessageId = QStringLiteral("<report-1@example.org>");
        m.bodyHtml = QStringLiteral("<p>Hello <b>Bob</b>,</p><p>the report &amp; the logo.</p>");
        m.categories = {QStringLiteral("Blue category")};
        m.attachments = {MicrosoftFake::Attachment{QStringLiteral("logo.png"), QStringLiteral("image/png"), true,
                                                   QByteArray("\x89PNG", 4), QStringLiteral("logo@1")}};
        const QString inlineOnly = m_fake.addMessage(m);
        m.subject = QStringLiteral("with a file");
        m.received = utc(2024, 5, 2);
        m.attachments << MicrosoftFake::Attachment{QStringLiteral("r.pdf"), QStringLiteral("application/pdf"), false, "%PDF", {}};
        const QString withFile = m_fake.addMessage(m);

        const Answer html = m_http.api(api(QStringLiteral("/me/messages/") + inlineOnly), token);
        QCOMPARE(html.status, 200);
        const QJsonObject msg = html.json();
        QCOMPARE(msg.value(QStringLiteral("receivedDateTime")).toString(), QStringLiteral("2024-05-01T10:20:30Z"));
        QCOMPARE(msg.value(QStringLiteral("sentDateTime")).toString(), QStringLiteral("2024-05-01T10:20:00Z"));
        QCOMPARE(msg.value(QStringLiteral("hasAttachments")).toBool(), false); // inline ones do not count
        QCOMPARE(msg.value(QStringLiteral("internetMessageId")).toString(), m.internetMessageId);
        QCOMPARE(msg.value(QStringLiteral("subject")).toString(), QStringLiteral("Grüße & report"));
        QCOMPARE(msg.value(QStringLiteral("bodyPreview")).toString(), QStringLiteral("Hello Bob, the report & the logo."));
        QCOMPARE(msg.value(QStringLiteral("importance")).toString(), QStringLiteral("normal"));
        QCOMPARE(msg.value(QStringLiteral("flag")).toObject().value(QStringLiteral("flagStatus")).toString(), QStringLiteral("notFlagged"));
        QCOMPARE(msg.value(QStringLiteral("categories")).toArray(), QJsonArray{QStringLiteral("Blue category")});
        const QJsonObject from = msg.value(QStringLiteral("from")).toObject().value(QStringLiteral("emailAddress")).toObject();
        QCOMPARE(from.value(QStringLiteral("name")).toString(), QStringLiteral("Alice Example"));
        QCOMPARE(from.value(QStringLiteral("address")).toString(), QStringLiteral("alice@example.org"));
        QCOMPARE(msg.value(QStringLiteral("sender")).toObject(), msg.value(QStringLiteral("from")).toObject());
        const QJsonArray to = msg.value(QStringLiteral("toRecipients")).toArray();
        QCOMPARE(to.size(), 2);
        QCOMPARE(to.at(0).toObject().value(QStringLiteral("emailAddress")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("Bob"));
        QCOMPARE(msg.value(QStringLiteral("ccRecipients")).toArray().size(), 1);
        QCOMPARE(msg.value(QStringLiteral("bccRecipients")).toArray().size(), 0);
        QVERIFY(msg.value(QStringLiteral("@odata.etag")).toString().startsWith(QStringLiteral("W/\"")));
        QVERIFY(msg.value(QStringLiteral("@odata.context")).toString().contains(QStringLiteral("$metadata#users(")));
        const QJsonObject htmlBody = msg.value(QStringLiteral("body")).toObject();
        QCOMPARE(htmlBody.value(QStringLiteral("contentType")).toString(), QStringLiteral("html"));
        QVERIFY(htmlBody.value(QStringLiteral("content")).toString().startsWith(QStringLiteral("<html>")));
        QVERIFY(htmlBody.value(QStringLiteral("content")).toString().contains(m.bodyHtml));
        QVERIFY(!msg.contains(QStringLiteral("internetMessageHeaders")));

        const Answer text = m_http.api(api(QStringLiteral("/me/messages/") + inlineOnly), token,
                                       "outlook.body-content-type=\"text\", IdType=\"ImmutableId\"");
        QCOMPARE(text.header("Preference-Applied"), QByteArray("outlook.body-content-type=\"text\", IdType=\"ImmutableId\""));
        const QJsonObject textBody = text.json().value(QStringLiteral("body")).toObject();
        QCOMPARE(textBody.value(QStringLiteral("contentType")).toString(), QStringLiteral("text"));
        QCOMPARE(textBody.value(QStringLiteral("content")).toString(), QStringLiteral("Hello Bob,\r\nthe report & the logo."));
        QCOMPARE(text.str("id"), inlineOnly);

        const Answer headers = m_http.api(api(QStringLiteral("/me/messages/") + withFile,
                                              QStringLiteral("$select=hasAttachments,internetMessageHeaders")), token);
        QCOMPARE(headers.json().value(QStringLiteral("hasAttachments")).toBool(), true);
        bool messageIdFound = false;
        for (const QJsonValue &h : headers.json().value(QStringLiteral("internetMessageHeaders")).toArray()) {
            if (h.toObject().value(QStringLiteral("name")).toString() == QLatin1String("Message-ID"))
                messageIdFound = h.toObject().value(QStringLiteral("value")).toString() == m.internetMessageId;
        }
        QVERIFY(messageIdFound);
        // Bodies are content; a $select without them is not.
        QCOMPARE(m_fake.contentFetches(inlineOnly), 2);
        QCOMPARE(m_fake.contentFetches(withFile), 0);
        QCOMPARE(m_fake.requests(Endpoint::Get), 3);
    }

    void attachmentsMetadataAndContent()
    {
        const QString token = graphToken();
        MicrosoftFake::Message m;
        m.received = utc(2024, 7, 1);
        m.subject = QStringLiteral("files");
        const QByteArray pdf("%PDF-1.4 \x00\x01\x02 bytes", 18);
        m.attachments = {MicrosoftFake::Attachment{QStringLiteral("logo.png"), QStringLiteral("image/png"), true, "PNGDATA", QStringLiteral("logo@1")},
                         MicrosoftFake::Attachment{QStringLiteral("report.pdf"), QStringLiteral("application/pdf"), false, pdf, {}}};
        const QString id = m_fake.addMessage(m);
        const QString path = QStringLiteral("/me/messages/%1/attachments").arg(id);

        const Answer meta = m_http.api(api(path, QStringLiteral("$select=name,size,contentType,isInline")), token);
        QCOMPARE(meta.status, 200);
        QCOMPARE(meta.value().size(), 2);
        const QJsonObject logo = meta.value().at(0).toObject();
        QStringList keys = logo.keys();
        keys.sort();
        QCOMPARE(keys, (QStringList{QStringLiteral("@odata.type"), QStringLiteral("contentType"), QStringLiteral("id"),
                                    QStringLiteral("isInline"), QStringLiteral("name"), QStringLiteral("size")}));
        QCOMPARE(logo.value(QStringLiteral("@odata.type")).toString(), QStringLiteral("#microsoft.graph.fileAttachment"));
        QCOMPARE(logo.value(QStringLiteral("isInline")).toBool(), true);
        const QJsonObject report = meta.value().at(1).toObject();
        QCOMPARE(report.value(QStringLiteral("name")).toString(), QStringLiteral("report.pdf"));
        QCOMPARE(report.value(QStringLiteral("size")).toInt(), int(pdf.size()));
        QCOMPARE(report.value(QStringLiteral("contentType")).toString(), QStringLiteral("application/pdf"));
        QCOMPARE(m_fake.contentFetches(id), 0); // metadata only

        const Answer full = m_http.api(api(path), token);
        QCOMPARE(QByteArray::fromBase64(full.value().at(1).toObject().value(QStringLiteral("contentBytes")).toString().toLatin1()), pdf);
        QCOMPARE(m_fake.contentFetches(id), 1);
        VERIFY_GRAPH_ERROR(m_http.api(api(path, QStringLiteral("$select=name,contentBytes")), token), 400, "RequestBroker--ParseUri",
                           QStringLiteral("Could not find a property named 'contentBytes' on type 'microsoft.graph.attachment'."));
        const Answer cast = m_http.api(api(path, QStringLiteral("$select=name,microsoft.graph.fileAttachment/contentBytes")), token);
        QVERIFY(cast.value().at(1).toObject().contains(QStringLiteral("contentBytes")));
        QCOMPARE(m_fake.contentFetches(id), 2);

        const QString attachmentId = report.value(QStringLiteral("id")).toString();
        const Answer one = m_http.api(api(path + QLatin1Char('/') + attachmentId, QStringLiteral("$select=name,size")), token);
        QCOMPARE(one.str("name"), QStringLiteral("report.pdf"));
        QVERIFY(!one.json().contains(QStringLiteral("contentBytes")));
        QCOMPARE(m_fake.contentFetches(id), 2);
        const Answer raw = m_http.api(api(path + QLatin1Char('/') + attachmentId + QStringLiteral("/$value")), token);
        QCOMPARE(raw.status, 200);
        QCOMPARE(raw.body, pdf);
        QCOMPARE(raw.header("Content-Type"), QByteArray("application/pdf"));
        QCOMPARE(m_fake.contentFetches(id), 3);
        QCOMPARE(m_http.api(api(path + QStringLiteral("/AAMkADnope")), token).status, 404);
        QCOMPARE(m_fake.requests(Endpoint::Attachments), 4);
        QCOMPARE(m_fake.requests(Endpoint::Attachment), 2);
        QCOMPARE(m_fake.requests(Endpoint::AttachmentValue), 1);
    }

    // ---------------------------------------------------------------- Delta

    void deltaBaselineThenChanges()
    {
        const QString token = graphToken();
        const QString old1 = add(utc(2024, 1, 1), QStringLiteral("inbox"), QStringLiteral("old1"));
        const QString old2 = add(utc(2024, 1, 2), QStringLiteral("inbox"), QStringLiteral("old2"));
        const QString old3 = add(utc(2024, 1, 3), QStringLiteral("inbox"), QStringLiteral("old3"));
        const QString delta = QStringLiteral("/me/mailFolders/inbox/messages/delta");

        // The client's baseline: a filtered delta from "now" answers a deltaLink at once.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const Answer baseline = m_http.api(api(delta, QStringLiteral("$select=subject&$filter=")
                                                          + enc(QStringLiteral("receivedDateTime ge ") + iso(now))), token);
        QCOMPARE(baseline.status, 200);
        QCOMPARE(baseline.value().size(), 0);
        QVERIFY(!baseline.json().contains(QStringLiteral("@odata.nextLink")));
        const QString baselineLink = baseline.str("@odata.deltaLink");
        QVERIFY2(baselineLink.startsWith(m_fake.apiUrl().toString() + delta + QStringLiteral("?$deltatoken=")), qPrintable(baselineLink));

        // Mail arrives, is read, then leaves the folder: each round says so.
        const QString fresh = add(now.addSecs(5), QStringLiteral("inbox"), QStringLiteral("fresh"));
        const Answer round1 = m_http.api(QUrl(baselineLink), token);
        QCOMPARE(round1.value().size(), 1);
        QJsonObject created = round1.value().at(0).toObject();
        QCOMPARE(created.value(QStringLiteral("id")).toString(), fresh);
        QCOMPARE(created.value(QStringLiteral("subject")).toString(), QStringLiteral("fresh"));
        QCOMPARE(created.value(QStringLiteral("@odata.type")).toString(), QStringLiteral("#microsoft.graph.message"));
        QVERIFY(!created.contains(QStringLiteral("body"))); // the first call's $select holds
        m_fake.setFlagRead(fresh, true);
        const Answer round2 = m_http.api(QUrl(round1.str("@odata.deltaLink")), token);
        QCOMPARE(round2.value().size(), 1);
        QCOMPARE(round2.value().at(0).toObject().value(QStringLiteral("id")).toString(), fresh);
        const QString regularBeforeMove = m_fake.regularId(fresh);
        m_fake.moveMessage(fresh, QStringLiteral("deleteditems"));
        const QString round3Link = round2.str("@odata.deltaLink");
        const Answer round3 = m_http.api(QUrl(round3Link), token);
        QCOMPARE(round3.value().size(), 1);
        QCOMPARE(round3.value().at(0).toObject(), (QJsonObject{{QStringLiteral("id"), fresh},
                                                               {QStringLiteral("@removed"), QJsonObject{{QStringLiteral("reason"), QStringLiteral("deleted")}}}}));
        QVERIFY(round3.body.contains(QByteArray("{\"id\":\"" + fresh.toLatin1() + "\",\"@removed\":{\"reason\":\"deleted\"}}")));
        // A delta link can be replayed; without ImmutableId the removed id is the regular one it had.
        const Answer replay = m_http.api(QUrl(round3Link), token, QByteArray());
        QCOMPARE(replay.value().at(0).toObject().value(QStringLiteral("id")).toString(), regularBeforeMove);
        // Nothing new: an empty round.
        QCOMPARE(m_http.api(QUrl(round3.str("@odata.deltaLink")), token).value().size(), 0);

        // An unfiltered round pages by Prefer: odata.maxpagesize; its nextLink can be replayed.
        const QByteArray paged = "IdType=\"ImmutableId\", odata.maxpagesize=2";
        const Answer page1 = m_http.api(api(delta), token, paged);
        QCOMPARE(page1.header("Preference-Applied"), QByteArray("IdType=\"ImmutableId\", odata.maxpagesize=2"));
        QCOMPARE(page1.value().size(), 2);
        const QString nextLink = page1.str("@odata.nextLink");
        QVERIFY(nextLink.startsWith(m_fake.apiUrl().toString() + delta + QStringLiteral("?$skiptoken=")));
        QVERIFY(!page1.json().contains(QStringLiteral("@odata.deltaLink")));
        const Answer page2 = m_http.api(QUrl(nextLink), token, paged);
        QCOMPARE(page2.value().size(), 1);
        QCOMPARE(m_http.api(QUrl(nextLink), token, paged).value(), page2.value());
        QStringList ids;
        for (const Answer *page : {&page1, &page2}) {
            for (const QJsonValue &v : page->value())
                ids << v.toObject().value(QStringLiteral("id")).toString();
        }
        QCOMPARE(ids, (QStringList{old3, old2, old1}));
        QVERIFY(m_fake.contentFetches(old1) >= 1); // no $select: bodies

        // Created, updated and removed in one round.
        const QString newer = add(utc(2024, 2, 1), QStringLiteral("inbox"), QStringLiteral("newer"));
        m_fake.setFlagRead(old1, true);
        m_fake.removeMessage(old2);
        m_fake.moveMessage(old3, QStringLiteral("sentitems"));
        const Answer changes = m_http.api(QUrl(page2.str("@odata.deltaLink")), token, paged);
        QStringList seen;
        Answer page = changes;
        while (true) {
            for (const QJsonValue &v : page.value()) {
                const QJsonObject o = v.toObject();
                seen << o.value(QStringLiteral("id")).toString() + (o.contains(QStringLiteral("@removed")) ? QStringLiteral(" removed") : QString());
            }
            if (!page.json().contains(QStringLiteral("@odata.nextLink")))
                break;
            page = m_http.api(QUrl(page.str("@odata.nextLink")), token, paged);
        }
        QStringList removed{old2 + QStringLiteral(" removed"), old3 + QStringLiteral(" removed")};
        std::sort(removed.begin(), removed.end());
        QCOMPARE(seen, (QStringList{newer, old1} + removed));

        // Invalid first calls.
        VERIFY_GRAPH_ERROR(m_http.api(api(delta, QStringLiteral("$filter=") + enc(QStringLiteral("isRead eq false"))), token), 400, "BadRequest", QString());
        VERIFY_GRAPH_ERROR(m_http.api(api(delta, QStringLiteral("$orderby=receivedDateTime")), token), 400, "BadRequest", QString());
        VERIFY_GRAPH_ERROR(m_http.api(api(delta, QStringLiteral("$skip=4")), token), 400, "BadRequest", QString());
        QVERIFY(m_fake.requests(Endpoint::Delta) >= 12);
    }

    void deltaTokensExpire()
    {
        const QString token = graphToken();
        add(utc(2024, 1, 1));
        const QString delta = QStringLiteral("/me/mailFolders/inbox/messages/delta");
        const QString link = m_http.api(api(delta), token).str("@odata.deltaLink");
        QVERIFY(!link.isEmpty());
        m_fake.expireDeltaTokens();
        const Answer gone = m_http.api(QUrl(link), token);
        VERIFY_GRAPH_ERROR(gone, 410, "SyncStateNotFound", QString());
        QVERIFY(gone.errorMessage().startsWith(QStringLiteral("The sync state generation is not found; generation=")));
        QCOMPARE(gone.header("Location"), (m_fake.apiUrl().toString() + delta + QStringLiteral("?$deltatoken=")).toUtf8());
        // A fresh round works again; the other form of expiry has no Location.
        const QString fresh = m_http.api(api(delta), token).str("@odata.deltaLink");
        QCOMPARE(m_http.api(QUrl(fresh), token).status, 200);
        m_fake.expireDeltaTokens(400);
        const Answer bare = m_http.api(QUrl(fresh), token);
        VERIFY_GRAPH_ERROR(bare, 400, "SyncStateNotFound", QString());
        QVERIFY(bare.header("Location").isEmpty());
        // A token of another folder is no state of this one.
        const QString sentLink = m_http.api(api(QStringLiteral("/me/mailFolders/sentitems/messages/delta")), token).str("@odata.deltaLink");
        QString misplaced = sentLink;
        misplaced.replace(QStringLiteral("sentitems"), QStringLiteral("inbox"));
        QCOMPARE(m_http.api(QUrl(misplaced), token).status, 400);
    }

    void filteredDeltaStopsAt5000()
    {
        const QString token = graphToken();
        QCOMPARE(m_fake.filteredDeltaCap(), 5000);
        MicrosoftFake::Message m;
        m.subject = QStringLiteral("bulk");
        m.bodyText = QStringLiteral("b");
        for (int i = 0; i < 5050; ++i) {
            m.received = utc(2023, 1, 1).addSecs(i * 60);
            m_fake.addMessage(m);
        }
        auto count = [&](const QString &query) {
            int total = 0, pages = 0;
            QUrl url = api(QStringLiteral("/me/mailFolders/inbox/messages/delta"), query);
            while (pages < 20) {
                const Answer a = m_http.api(url, token, "IdType=\"ImmutableId\", odata.maxpagesize=1000");
                total += int(a.value().size());
                ++pages;
                if (!a.json().contains(QStringLiteral("@odata.nextLink")))
                    break;
                url = QUrl(a.str("@odata.nextLink"));
            }
            return qMakePair(total, pages);
        };
        QCOMPARE(count(QStringLiteral("$select=id&$filter=") + enc(QStringLiteral("receivedDateTime ge 2000-01-01T00:00:00Z"))),
                 qMakePair(5000, 5));
        QCOMPARE(count(QStringLiteral("$select=id")), qMakePair(5050, 6));
        QCOMPARE(count(QStringLiteral("$select=id&$top=7")), qMakePair(7, 1));
        QVERIFY(m_fake.allContentFetches().isEmpty());
    }

    // ---------------------------------------------------------------- Throttling

    void concurrencyLimitPerMailbox()
    {
        const QString token = graphToken();
        m_fake.grant(kShared, QStringLiteral("inbox"), true);
        m_fake.setResponseDelayMs(300);
        const QUrl own = api(QStringLiteral("/me/mailFolders/inbox"));
        QElapsedTimer timer;
        timer.start();
        const QVector<Answer> five = m_http.parallel({own, own, own, own, own}, token);
        const qint64 took = timer.elapsed();
        int ok = 0, throttled = 0;
        for (const Answer &a : five) {
            if (a.status == 200)
                ++ok;
            if (a.status == 429) {
                ++throttled;
                QCOMPARE(a.body, QByteArray("{\"error\":{\"code\":\"ApplicationThrottled\",\"message\":"
                                            "\"Application is over its MailboxConcurrency limit.\"}}"));
                QCOMPARE(a.header("Retry-After"), QByteArray("1"));
            }
        }
        QCOMPARE(ok, 4);
        QCOMPARE(throttled, 1);
        QVERIFY2(took >= 290 && took < 2000, qPrintable(QString::number(took)));
        QCOMPARE(m_fake.peakInFlight(), 4);
        QCOMPARE(m_fake.concurrencyRefusals(), 1);
        QCOMPARE(m_fake.throttled429s(), 1);

        // Per mailbox: four of one and one of another are fine.
        m_fake.resetCounters();
        const QUrl shared = api(QStringLiteral("/users/%1/mailFolders/inbox").arg(kShared));
        const QVector<Answer> mixed = m_http.parallel({own, own, own, own, shared}, token);
        for (const Answer &a : mixed)
            QCOMPARE(a.status, 200);
        QCOMPARE(m_fake.peakInFlight(), 4);
        QCOMPARE(m_fake.peakInFlight(kShared), 1);
        QCOMPARE(m_fake.concurrencyRefusals(), 0);
        const QVector<MicrosoftFake::RequestRecord> log = m_fake.requestLog();
        QCOMPARE(log.size(), 5);
        QVERIFY(std::any_of(log.begin(), log.end(), [](const auto &r) { return r.inFlight == 4; }));
    }

    void eachAnswerWaitsItsOwnDelay()
    {
        // The response delay stands for latency: an answer is not held back by
        // requests that arrived after it (they would each add their own wait).
        const QString token = graphToken();
        m_fake.setResponseDelayMs(400);
        const QUrl url = api(QStringLiteral("/me/mailFolders/inbox"));
        const QVector<qint64> took = m_http.latencies({url, url, url}, token, 150);
        m_fake.setResponseDelayMs(0);
        for (int i = 0; i < took.size(); ++i)
            QVERIFY2(took.at(i) >= 390 && took.at(i) < 540,
                     qPrintable(QStringLiteral("request %1 took %2 ms").arg(i).arg(took.at(i))));
        QCOMPARE(m_fake.peakInFlight(), 3);

        // A list page can take longer than the rest.
        m_fake.setResponseDelayMs(50);
        m_fake.setResponseDelayMs(MicrosoftFake::Endpoint::List, 350);
        const QUrl list = api(QStringLiteral("/me/mailFolders/inbox/messages"), QStringLiteral("$select=id"));
        const QVector<qint64> mixed = m_http.latencies({list, url}, token, 0);
        m_fake.setResponseDelayMs(MicrosoftFake::Endpoint::List, -1);
        const QVector<qint64> back = m_http.latencies({list}, token, 0);
        m_fake.setResponseDelayMs(0);
        QVERIFY2(mixed.at(0) >= 340 && mixed.at(0) < 500, qPrintable(QString::number(mixed.at(0))));
        QVERIFY2(mixed.at(1) >= 45 && mixed.at(1) < 200, qPrintable(QString::number(mixed.at(1))));
        QVERIFY2(back.at(0) >= 45 && back.at(0) < 200, qPrintable(QString::number(back.at(0))));
    }

    void slidingWindowAndRetryAfter()
    {
        const QString token = graphToken();
        m_fake.setRequestWindow(3, 1000);
        const QUrl url = api(QStringLiteral("/me/mailFolders/inbox"));
        for (int i = 0; i < 3; ++i)
            QCOMPARE(m_http.api(url, token).status, 200);
        const Answer refused = m_http.api(url, token);
        VERIFY_GRAPH_ERROR(refused, 429, "TooManyRequests", QStringLiteral("Please retry again later."));
        QCOMPARE(refused.header("Retry-After"), QByteArray("1"));
        QCOMPARE(m_fake.requestsBeforeRetryAfter(), 0);
        QTest::qWait(600);
        // Ignored Retry-After: counted, and the usage counts while throttled.
        QCOMPARE(m_http.api(url, token).status, 429);
        QCOMPARE(m_http.api(url, token).status, 429);
        QCOMPARE(m_fake.requestsBeforeRetryAfter(), 2);
        QCOMPARE(m_fake.requestsBeforeRetryAfter(QString()), 2);
        QCOMPARE(m_fake.requestsBeforeRetryAfter(kShared), 0);
        QTest::qWait(500);
        // The first three aged out, the two refused ones did not: one more fits, not two.
        QCOMPARE(m_http.api(url, token).status, 200);
        m_fake.setRetryAfterAsHttpDate(true);
        const Answer dated = m_http.api(url, token);
        QCOMPARE(dated.status, 429);
        const QByteArray value = dated.header("Retry-After");
        QVERIFY2(QRegularExpression(QStringLiteral("^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d\\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d\\d:\\d\\d:\\d\\d GMT$"))
                     .match(QString::fromLatin1(value)).hasMatch(), value.constData());
        QDateTime when = QLocale::c().toDateTime(QString::fromLatin1(value), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
        when.setTimeSpec(Qt::UTC);
        const qint64 wait = QDateTime::currentMSecsSinceEpoch() - when.toMSecsSinceEpoch();
        QVERIFY2(wait <= 0 && wait > -3000, qPrintable(QString::number(wait)));
        const MicrosoftFake::RequestRecord last = m_fake.requestLog().last();
        QCOMPARE(last.retryAfterUntilMs, when.toMSecsSinceEpoch());
        QCOMPARE(last.status, 429);
        QCOMPARE(m_fake.throttled429s(), 4);
    }

    void serviceUnavailableMode()
    {
        const QString token = graphToken();
        const QUrl url = api(QStringLiteral("/me/mailFolders/inbox"));
        m_fake.setServiceUnavailable(2, 1);
        const Answer first = m_http.api(url, token);
        VERIFY_GRAPH_ERROR(first, 503, "ServiceUnavailable", QString());
        QCOMPARE(first.header("Retry-After"), QByteArray("1"));
        QCOMPARE(m_http.api(url, token).status, 503);
        QCOMPARE(m_fake.requestsBeforeRetryAfter(), 1);
        QTest::qWait(1050);
        QCOMPARE(m_http.api(url, token).status, 200);
        QCOMPARE(m_fake.requestsBeforeRetryAfter(), 1);
        m_fake.setServiceUnavailableEveryNth(3, 1);
        QList<int> statuses;
        for (int i = 0; i < 6; ++i)
            statuses << m_http.api(url, token).status;
        QCOMPARE(statuses, (QList<int>{200, 200, 503, 200, 200, 503}));
        QCOMPARE(m_fake.serviceUnavailable503s(), 4);
    }

    // ---------------------------------------------------------------- Shared mailboxes

    void sharedMailboxGrants()
    {
        const QString token = graphToken(); // Mail.Read, Mail.Read.Shared, User.Read
        const QString inboxMessage = add(utc(2024, 8, 1), QStringLiteral("inbox"), QStringLiteral("shared in"), kShared);
        const QString sentMessage = add(utc(2024, 8, 2), QStringLiteral("sentitems"), QStringLiteral("shared out"), kShared);
        add(utc(2024, 8, 3), QStringLiteral("inbox"), QStringLiteral("mine"));
        QVERIFY(!inboxMessage.isEmpty());
        QCOMPARE(m_fake.messageCount(kShared), 2);
        const QUrl inbox = api(QStringLiteral("/users/%1/mailFolders('Inbox')/messages").arg(kShared));
        const QUrl sent = api(QStringLiteral("/users/%1/mailFolders/sentitems/messages").arg(kShared));

        VERIFY_GRAPH_ERROR(m_http.api(inbox, token), 403, "ErrorAccessDenied", kDeniedMessage);
        m_fake.grant(kShared, QStringLiteral("inbox"), true);
        const Answer granted = m_http.api(inbox, token);
        QCOMPARE(granted.status, 200);
        QCOMPARE(granted.value().size(), 1);
        QCOMPARE(granted.value().at(0).toObject().value(QStringLiteral("id")).toString(), inboxMessage);
        QCOMPARE(m_http.api(api(QStringLiteral("/users/%1/messages/%2").arg(kShared, inboxMessage)), token).status, 200);
        VERIFY_GRAPH_ERROR(m_http.api(sent, token), 403, "ErrorAccessDenied", kDeniedMessage);
        VERIFY_GRAPH_ERROR(m_http.api(api(QStringLiteral("/users/%1/messages/%2").arg(kShared, sentMessage)), token), 403,
                           "ErrorAccessDenied", kDeniedMessage);
        // The own mailbox knows nothing of the shared one's messages.
        QCOMPARE(m_http.api(api(QStringLiteral("/me/messages/") + inboxMessage), token).status, 404);

        // Mid-run: taken back, the next request is refused.
        m_fake.grant(kShared, QStringLiteral("inbox"), false);
        VERIFY_GRAPH_ERROR(m_http.api(inbox, token), 403, "ErrorAccessDenied", kDeniedMessage);
        m_fake.grant(kShared, QStringLiteral("inbox"), true);
        QCOMPARE(m_http.api(inbox, token).status, 200);
        // Without Mail.Read.Shared a share does not help; the own mailbox still works.
        const QString ownOnly = m_fake.issueAccessToken({QStringLiteral("Mail.Read"), QStringLiteral("User.Read")});
        VERIFY_GRAPH_ERROR(m_http.api(inbox, ownOnly), 403, "ErrorAccessDenied", kDeniedMessage);
        QCOMPARE(m_http.api(api(QStringLiteral("/me/mailFolders/inbox/messages")), ownOnly).value().size(), 1);
        // The whole mailbox needs a grant on its root.
        QCOMPARE(m_http.api(api(QStringLiteral("/users/%1/messages").arg(kShared)), token).status, 403);
        m_fake.grant(kShared, QStringLiteral("msgfolderroot"), true);
        QCOMPARE(m_http.api(api(QStringLiteral("/users/%1/messages").arg(kShared)), token).value().size(), 2);
        QCOMPARE(m_http.api(sent, token).status, 200);

        // Each mailbox has its own throttle.
        const QVector<MicrosoftFake::RequestRecord> log = m_fake.requestLog();
        QVERIFY(std::all_of(log.begin(), log.end(), [](const auto &r) {
            return r.mailbox == kShared || r.mailbox == QLatin1String("lookback.test@contoso.onmicrosoft.com");
        }));
    }

    void countersReset()
    {
        const QString token = graphToken();
        add(utc(2024, 1, 1));
        m_http.api(api(QStringLiteral("/me/mailFolders/inbox/messages"), QStringLiteral("$top=5")), token, QByteArray());
        QCOMPARE(m_fake.requests(Endpoint::List), 1);
        QCOMPARE(m_fake.topsSeen(), QStringList{QStringLiteral("5")});
        QCOMPARE(m_fake.requestsWithoutImmutableId(), 1);
        QCOMPARE(m_fake.allContentFetches().size(), 1);
        const MicrosoftFake::RequestRecord record = m_fake.requestLog().first();
        QCOMPARE(record.status, 200);
        QCOMPARE(record.endpoint, Endpoint::List);
        QVERIFY(record.target.startsWith(QStringLiteral("GET /v1.0/me/mailFolders/inbox/messages?")));
        QVERIFY(!record.immutableId);
        QVERIFY(record.arrivalMs > 0);
        m_fake.resetCounters();
        QCOMPARE(m_fake.requests(Endpoint::List), 0);
        QVERIFY(m_fake.topsSeen().isEmpty());
        QCOMPARE(m_fake.requestsWithoutImmutableId(), 0);
        QVERIFY(m_fake.allContentFetches().isEmpty());
        QVERIFY(m_fake.requestLog().isEmpty());
        QCOMPARE(m_fake.peakInFlight(), 0);
    }

    // stop() while an answer waits on its delay: no crash, the client gets an end.
    void stopWhileAnAnswerIsDelayed()
    {
        MicrosoftFake fake;
        QString error;
        QVERIFY2(fake.start(&error), qPrintable(error));
        fake.setResponseDelayMs(3000);
        QNetworkAccessManager nam;
        nam.setProxy(QNetworkProxy::NoProxy);
        QNetworkRequest request(QUrl(fake.apiUrl().toString() + QStringLiteral("/me/mailFolders/inbox")));
        request.setRawHeader("Authorization", "Bearer " + fake.issueAccessToken().toLatin1());
        QNetworkReply *reply = nam.get(request);
        QTRY_COMPARE(fake.requests(Endpoint::Folder), 1);
        QElapsedTimer timer;
        timer.start();
        fake.stop();
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
        QTRY_VERIFY(reply->isFinished());
        reply->deleteLater();
        fake.stop(); // idempotent
        // Started again, the answer that never went out holds none of the
        // mailbox's four slots.
        QVERIFY2(fake.start(&error), qPrintable(error));
        fake.setResponseDelayMs(300);
        QVector<QNetworkReply *> four;
        for (int i = 0; i < 4; ++i) {
            QNetworkRequest again(QUrl(fake.apiUrl().toString() + QStringLiteral("/me/mailFolders/inbox")));
            again.setRawHeader("Authorization", request.rawHeader("Authorization"));
            four << nam.get(again);
        }
        for (QNetworkReply *r : std::as_const(four)) {
            QTRY_VERIFY(r->isFinished());
            QCOMPARE(r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
            r->deleteLater();
        }
        QCOMPARE(fake.concurrencyRefusals(), 0);
    }

    // ---------------------------------------------------------------- Browser and Qt NetworkAuth

    void followAuthorizationDeliversTheCode()
    {
        FakeApp app;
        QVERIFY(app.isListening());
        QString error;
        QVector<BrowserHop> hops;
        QVERIFY2(followAuthorization(authorizeUrl(app.redirectUri()), &error, &hops), qPrintable(error));
        QCOMPARE(hops.size(), 2);
        QCOMPARE(hops.at(0).status, 302);
        QVERIFY2(app.requestLine.startsWith("GET /?code=M.C5"), app.requestLine.constData());
        QVERIFY(app.requestLine.contains("&state=St4te9xyz"));
        QVERIFY(!followAuthorization(authorizeUrl(app.redirectUri(), MicrosoftFake::graphScopes, QStringLiteral("nobody")), &error));
    }

    // PROVIDERS.md 4: the fake must expose what Qt NetworkAuth 6.4.2 gets
    // wrong. With PKCE added but the code sent as the flow does, the code is
    // double-encoded and refused; with the documented fixes it is granted. An
    // unpatched refresh sends an empty client_secret and is refused.
    void qtNetworkAuthQuirksAreCaught()
    {
        const QString verifier = m_verifier;
        auto setUp = [this](QOAuth2AuthorizationCodeFlow &flow, QUrl *opened) {
            flow.setAuthorizationUrl(m_fake.authUrl());
            flow.setAccessTokenUrl(m_fake.tokenUrl());
            flow.setClientIdentifier(m_fake.clientId());
            flow.setScope(MicrosoftFake::graphScopes.join(QLatin1Char(' ')));
            connect(&flow, &QAbstractOAuth2::authorizeWithBrowser, this, [opened](const QUrl &url) { *opened = url; });
        };
        auto addPkce = [verifier](QAbstractOAuth::Stage stage, QMultiMap<QString, QVariant> *params, bool fixCode) {
            if (stage == QAbstractOAuth::Stage::RequestingAuthorization) {
                params->insert(QStringLiteral("code_challenge"), pkceChallenge(verifier));
                params->insert(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
            } else if (stage == QAbstractOAuth::Stage::RequestingAccessToken) {
                if (fixCode) {
                    const QByteArray code = params->take(QStringLiteral("code")).toByteArray();
                    params->insert(QStringLiteral("code"), QUrl::fromPercentEncoding(code));
                }
                params->insert(QStringLiteral("code_verifier"), verifier);
            }
        };
        const qsizetype before = m_fake.tokenRequests().size();
        {
            QOAuth2AuthorizationCodeFlow flow;
            // QHostAddress(…) matters: a bare QHostAddress::LocalHost is the number 2 and picks
            // the (quint16 port, QObject *parent) constructor, which listens on port 2.
            QOAuthHttpServerReplyHandler handler(QHostAddress(QHostAddress::LocalHost), 0);
            QVERIFY(handler.isListening());
            QVERIFY(handler.port() >= 1024);
            flow.setReplyHandler(&handler);
            QUrl opened;
            setUp(flow, &opened);
            flow.setModifyParametersFunction([&](QAbstractOAuth::Stage s, QMultiMap<QString, QVariant> *p) { addPkce(s, p, false); });
            flow.grant();
            QVERIFY(!opened.isEmpty());
            QString error;
            QVERIFY2(followAuthorization(opened, &error), qPrintable(error));
            QTRY_COMPARE(m_fake.tokenRequests().size(), before + 1);
            const MicrosoftFake::TokenRequest sent = m_fake.tokenRequests().last();
            QCOMPARE(sent.status, 400);
            QVERIFY2(sent.value(QStringLiteral("code")).contains(QLatin1String("%2A")), qPrintable(sent.value(QStringLiteral("code"))));
            QVERIFY(sent.errorBody.contains("AADSTS70000"));
            QVERIFY(!sent.has(QStringLiteral("client_secret")));
            QVERIFY(flow.status() != QAbstractOAuth::Status::Granted);
        }
        QString refreshToken;
        {
            QOAuth2AuthorizationCodeFlow flow;
            QOAuthHttpServerReplyHandler handler(QHostAddress(QHostAddress::LocalHost), 0);
            flow.setReplyHandler(&handler);
            QUrl opened;
            setUp(flow, &opened);
            flow.setModifyParametersFunction([&](QAbstractOAuth::Stage s, QMultiMap<QString, QVariant> *p) { addPkce(s, p, true); });
            QSignalSpy granted(&flow, &QAbstractOAuth::granted);
            flow.grant();
            QString error;
            QVERIFY2(followAuthorization(opened, &error), qPrintable(error));
            // granted may come while followAuthorization() still runs (a busy
            // machine): wait() would then wait for a second one.
            QElapsedTimer waited;
            waited.start();
            while (granted.isEmpty() && waited.elapsed() < 10000)
                QTest::qWait(20);
            if (granted.isEmpty()) {
                const auto requests = m_fake.tokenRequests();
                const QString last = requests.size() > before + 1
                    ? QStringLiteral("%1 %2 code=%3").arg(requests.last().status).arg(QString::fromUtf8(requests.last().errorBody),
                                                                                 requests.last().value(QStringLiteral("code")))
                    : QStringLiteral("no token request");
                QFAIL(qPrintable(QStringLiteral("not granted: %1; authorize: %2").arg(last, opened.toString())));
            }
            QCOMPARE(m_fake.tokenRequests().last().status, 200);
            QCOMPARE(m_http.api(api(QStringLiteral("/me")), flow.token()).status, 200);
            refreshToken = flow.refreshToken();
            QVERIFY(!refreshToken.isEmpty());

            // Unpatched refresh: client_secret="" and 401, which 6.4.2 swallows.
            flow.refreshAccessToken();
            QTRY_COMPARE(m_fake.tokenRequests().last().value(QStringLiteral("grant_type")), QStringLiteral("refresh_token"));
            const MicrosoftFake::TokenRequest sent = m_fake.tokenRequests().last();
            QVERIFY(sent.has(QStringLiteral("client_secret")));
            QCOMPARE(sent.value(QStringLiteral("client_secret")), QString());
            QCOMPARE(sent.status, 401);
            QVERIFY(sent.errorBody.contains("AADSTS700025"));
        }
        {
            // Patched: no client_secret; the refresh token rotates.
            QOAuth2AuthorizationCodeFlow flow;
            QOAuthHttpServerReplyHandler handler(QHostAddress(QHostAddress::LocalHost), 0);
            flow.setReplyHandler(&handler);
            QUrl opened;
            setUp(flow, &opened);
            flow.setRefreshToken(refreshToken);
            flow.setModifyParametersFunction([](QAbstractOAuth::Stage stage, QMultiMap<QString, QVariant> *params) {
                if (stage == QAbstractOAuth::Stage::RefreshingAccessToken)
                    params->remove(QStringLiteral("client_secret"));
            });
            QSignalSpy tokenChanged(&flow, &QAbstractOAuth::tokenChanged);
            flow.refreshAccessToken();
            QVERIFY(tokenChanged.wait(10000));
            QCOMPARE(m_fake.tokenRequests().last().status, 200);
            QTRY_VERIFY(flow.refreshToken() != refreshToken);
            QCOMPARE(m_http.api(api(QStringLiteral("/me")), flow.token()).status, 200);
        }
    }
};

QTEST_GUILESS_MAIN(TestMicrosoftFake)
#include "tst_microsoftfake.moc"
