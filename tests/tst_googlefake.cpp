// Checks GoogleFake against /work/shared/PROVIDERS.md with raw HTTP calls: the
// fake is what keeps the Gmail client honest, so it must itself answer like
// Google (OAuth code flow with PKCE, the Gmail API's shapes, batch, quota and
// the error bodies), and lookback-test-browser must carry the code through.
#include "answertiming.h"
#include "blockinghttp.h"
#include "googlefake.h"
#include "testbrowser.h"
#include "testpaths.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QOAuth2AuthorizationCodeFlow>
#include <QOAuthHttpServerReplyHandler>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QTimer>
#include <QUrlQuery>

using namespace Lookback::Test;
using Endpoint = GoogleFake::Endpoint;

namespace {

const QString kReadonly = QStringLiteral("https://www.googleapis.com/auth/gmail.readonly");
const QString kRedirect = QStringLiteral("http://127.0.0.1:5555/callback");
const QByteArray kUnauthorizedBody =
    "{\"error\":{\"errors\":[{\"domain\":\"global\",\"reason\":\"authError\",\"message\":\"Invalid Credentials\","
    "\"locationType\":\"header\",\"location\":\"Authorization\"}],\"code\":401,\"message\":\"Invalid Credentials\"}}";

using Answer = HttpAnswer;

// Blocking HTTP with a Gmail API call.
class Http : public BlockingHttp
{
public:
    Answer api(const QUrl &url, const QString &token)
    {
        return send("GET", url, QByteArray(), {{"Authorization", "Bearer " + token.toLatin1()}});
    }
};

QByteArray fromBase64Url(const QString &text)
{
    return QByteArray::fromBase64(text.toLatin1(), QByteArray::Base64UrlEncoding);
}

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

qint64 utcMs(int y, int m, int d, int h = 0, int min = 0, int s = 0)
{
    return QDateTime(QDate(y, m, d), QTime(h, min, s), Qt::UTC).toMSecsSinceEpoch();
}

// The app's redirect handler.
class FakeApp : public RedirectListener
{
public:
    FakeApp() : RedirectListener(QStringLiteral("/cb")) {}
};

} // namespace

class TestGoogleFake : public QObject
{
    Q_OBJECT

private:
    GoogleFake m_fake;
    Http m_http;
    const QString m_verifier = QStringLiteral("verifier-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG~");

    QUrl authorizeUrl(const QString &redirect = kRedirect, const QString &clientId = QString(),
                      const QString &challenge = QString()) const
    {
        QUrl url = m_fake.authUrl();
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("client_id"), clientId.isEmpty() ? m_fake.clientId() : clientId);
        q.addQueryItem(QStringLiteral("redirect_uri"), QString::fromLatin1(QUrl::toPercentEncoding(redirect)));
        q.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
        q.addQueryItem(QStringLiteral("scope"), QString::fromLatin1(QUrl::toPercentEncoding(kReadonly + QStringLiteral(" openid"))));
        q.addQueryItem(QStringLiteral("state"), QStringLiteral("St4te9xyz"));
        q.addQueryItem(QStringLiteral("code_challenge"), challenge.isEmpty() ? pkceChallenge(m_verifier) : challenge);
        q.addQueryItem(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
        q.addQueryItem(QStringLiteral("access_type"), QStringLiteral("offline"));
        q.addQueryItem(QStringLiteral("prompt"), QStringLiteral("consent"));
        url.setQuery(q);
        return url;
    }

    // Runs the authorize step and returns the code, decoded.
    QString authorize()
    {
        const Answer a = m_http.send("GET", authorizeUrl());
        if (a.status != 302)
            return QString();
        return QUrl::fromPercentEncoding(encodedParam(a.header("Location"), "code"));
    }

    Answer exchange(const QByteArray &code, const QString &verifier, const QString &secret = QString())
    {
        return m_http.form(m_fake.tokenUrl(),
                           {{"grant_type", "authorization_code"},
                            {"code", code},
                            {"client_id", m_fake.clientId().toUtf8()},
                            {"client_secret", (secret.isNull() ? m_fake.clientSecret() : secret).toUtf8()},
                            {"redirect_uri", kRedirect.toUtf8()},
                            {"code_verifier", verifier.toUtf8()}});
    }

    QUrl api(const QString &path, const QString &query = QString()) const
    {
        QUrl url(m_fake.apiUrl().toString() + path);
        if (!query.isEmpty())
            url.setQuery(query);
        return url;
    }

    QString addDated(qint64 ms, const QStringList &labels, const QString &subject = QStringLiteral("hello"))
    {
        GoogleFake::Message m;
        m.internalDateMs = ms;
        m.labelIds = labels;
        m.raw = GoogleFake::makeRaw(QStringLiteral("a@example.org"), QStringLiteral("b@example.org"), subject,
                                    QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC), QStringLiteral("body text"),
                                    QStringLiteral("m%1@example.org").arg(ms));
        return m_fake.addMessage(m);
    }

    // All ids messages.list gives for `query`, page by page of `pageSize`.
    QStringList listAll(const QString &token, const QString &query, int pageSize = 100, int *pages = nullptr)
    {
        QStringList ids;
        QString pageToken;
        int count = 0;
        do {
            QString q = query + QStringLiteral("&maxResults=%1").arg(pageSize);
            if (!pageToken.isEmpty())
                q += QStringLiteral("&pageToken=") + pageToken;
            const Answer a = m_http.api(api(QStringLiteral("/gmail/v1/users/me/messages"), q), token);
            if (a.status != 200)
                return {QStringLiteral("HTTP %1").arg(a.status)};
            for (const QJsonValue &v : a.json().value(QStringLiteral("messages")).toArray())
                ids << v.toObject().value(QStringLiteral("id")).toString();
            pageToken = a.json().value(QStringLiteral("nextPageToken")).toString();
            ++count;
        } while (!pageToken.isEmpty() && count < 100);
        if (pages)
            *pages = count;
        return ids;
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fake.start(&error), qPrintable(error));
        QVERIFY(m_fake.port() != 0);
    }

    void init()
    {
        m_fake.clearMessages();
        m_fake.resetCounters();
        m_fake.setDenyConsent(false);
        m_fake.setOmitScope(false);
        m_fake.setAccessTokenLifetime(3599);
        m_fake.setQuota(15000, 60000);
        m_fake.setQuotaRefusalAs403(false);
        m_fake.setBatchPartFailures(0);
        m_fake.setBatchPartFailureEveryNth(0);
        m_fake.setInsufficientPermissions(false);
    }

    void authorizeRedirectCarriesEncodedCodeAndState()
    {
        const Answer a = m_http.send("GET", authorizeUrl());
        QCOMPARE(a.status, 302);
        const QByteArray location = a.header("Location");
        QVERIFY2(location.startsWith(QByteArray(kRedirect.toLatin1() + "?code=4%2F0A")), location.constData());
        QCOMPARE(encodedParam(location, "state"), QByteArray("St4te9xyz"));
        QCOMPARE(QUrl::fromPercentEncoding(encodedParam(location, "scope")), kReadonly + QStringLiteral(" openid"));
        const QString code = QUrl::fromPercentEncoding(encodedParam(location, "code"));
        QVERIFY(code.startsWith(QStringLiteral("4/0A")));

        const GoogleFake::AuthorizeRequest last = m_fake.lastAuthorizeRequest();
        QCOMPARE(last.value(QStringLiteral("redirect_uri")), kRedirect);
        QCOMPARE(last.value(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
        QCOMPARE(last.value(QStringLiteral("scope")), kReadonly + QStringLiteral(" openid"));
        QVERIFY(last.offline());
        QVERIFY(last.promptConsent());
        QCOMPARE(m_fake.requests(Endpoint::Authorize), 1);

        // Any loopback port (RFC 8252 §7.3), but not "localhost" and not another host.
        QCOMPARE(m_http.send("GET", authorizeUrl(QStringLiteral("http://127.0.0.1:61234/"))).status, 302);
        const Answer localhost = m_http.send("GET", authorizeUrl(QStringLiteral("http://localhost:5555/callback")));
        QCOMPARE(localhost.status, 400);
        QVERIFY(localhost.body.contains("redirect_uri_mismatch"));
        QCOMPARE(m_http.send("GET", authorizeUrl(QStringLiteral("https://example.org/cb"))).status, 400);
        const Answer badClient = m_http.send("GET", authorizeUrl(kRedirect, QStringLiteral("nobody.apps.googleusercontent.com")));
        QCOMPARE(badClient.status, 400);
        QVERIFY(badClient.body.contains("Error 401: invalid_client"));

        m_fake.setDenyConsent(true);
        const Answer denied = m_http.send("GET", authorizeUrl());
        QCOMPARE(denied.status, 302);
        QCOMPARE(denied.header("Location"), QByteArray(kRedirect.toLatin1() + "?error=access_denied&state=St4te9xyz"));
    }

    void codeExchangeWorksOnce()
    {
        const QString code = authorize();
        QVERIFY(!code.isEmpty());
        const Answer first = exchange(code.toUtf8(), m_verifier);
        QCOMPARE(first.status, 200);
        const QJsonObject token = first.json();
        QVERIFY(token.value(QStringLiteral("access_token")).toString().startsWith(QStringLiteral("ya29.")));
        QCOMPARE(token.value(QStringLiteral("expires_in")).toInt(), 3599);
        QVERIFY(!token.value(QStringLiteral("refresh_token")).toString().isEmpty());
        QCOMPARE(token.value(QStringLiteral("scope")).toString(), kReadonly + QStringLiteral(" openid"));
        QCOMPARE(token.value(QStringLiteral("token_type")).toString(), QStringLiteral("Bearer"));
        QCOMPARE(token.value(QStringLiteral("id_token")).toString().count(QLatin1Char('.')), 2);
        // The token works on the API.
        QCOMPARE(m_http.api(api(QStringLiteral("/gmail/v1/users/me/profile")),
                            token.value(QStringLiteral("access_token")).toString()).status, 200);

        const Answer second = exchange(code.toUtf8(), m_verifier);
        QCOMPARE(second.status, 400);
        QCOMPARE(second.json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_grant"));
        QCOMPARE(m_fake.requests(Endpoint::Token), 2);

        // Without access_type=offline there is no refresh token.
        QUrl url = authorizeUrl();
        QUrlQuery q(url);
        q.removeQueryItem(QStringLiteral("access_type"));
        url.setQuery(q);
        const Answer online = m_http.send("GET", url);
        const QString onlineCode = QUrl::fromPercentEncoding(encodedParam(online.header("Location"), "code"));
        const Answer onlineToken = exchange(onlineCode.toUtf8(), m_verifier);
        QCOMPARE(onlineToken.status, 200);
        QVERIFY(!onlineToken.json().contains(QStringLiteral("refresh_token")));
    }

    void badExchangesGetInvalidGrant()
    {
        const QString code = authorize();
        QVERIFY(!code.isEmpty());
        const qsizetype tokenRequestsBefore = m_fake.tokenRequests().size();

        const Answer wrongVerifier = exchange(code.toUtf8(), QString(m_verifier).replace(0, 1, QLatin1Char('X')));
        QCOMPARE(wrongVerifier.status, 400);
        QCOMPARE(wrongVerifier.json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_grant"));

        // Qt 6.4.2 sends the code still encoded, so the wire carries 4%252F0A… (QTBUG-81624).
        const QByteArray encodedOnce = QUrl::toPercentEncoding(code);
        QVERIFY(encodedOnce.startsWith("4%2F0A"));
        const Answer doubleEncoded = exchange(encodedOnce, m_verifier);
        QCOMPARE(doubleEncoded.status, 400);
        QCOMPARE(doubleEncoded.body, QByteArray("{\"error\":\"invalid_grant\",\"error_description\":\"Malformed auth code.\"}"));

        const Answer noVerifier = m_http.form(m_fake.tokenUrl(), {{"grant_type", "authorization_code"},
                                                                  {"code", code.toUtf8()},
                                                                  {"client_id", m_fake.clientId().toUtf8()},
                                                                  {"client_secret", m_fake.clientSecret().toUtf8()},
                                                                  {"redirect_uri", kRedirect.toUtf8()}});
        QCOMPARE(noVerifier.status, 400);
        QCOMPARE(noVerifier.json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_grant"));

        const Answer wrongSecret = exchange(code.toUtf8(), m_verifier, QStringLiteral("not-the-secret"));
        QCOMPARE(wrongSecret.status, 401);
        QCOMPARE(wrongSecret.json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_client"));

        // A second "code" parameter, as QMultiMap::insert makes (RFC 6749 §3.1).
        const Answer duplicate = m_http.form(m_fake.tokenUrl(), {{"grant_type", "authorization_code"},
                                                                 {"code", encodedOnce},
                                                                 {"code", code.toUtf8()},
                                                                 {"client_id", m_fake.clientId().toUtf8()},
                                                                 {"client_secret", m_fake.clientSecret().toUtf8()},
                                                                 {"redirect_uri", kRedirect.toUtf8()},
                                                                 {"code_verifier", m_verifier.toUtf8()}});
        QCOMPARE(duplicate.status, 400);
        QCOMPARE(duplicate.json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_request"));

        // Failed attempts do not consume the code; the right one still works.
        QCOMPARE(exchange(code.toUtf8(), m_verifier).status, 200);
        QCOMPARE(m_fake.tokenRequests().size(), tokenRequestsBefore + 6);
        QCOMPARE(m_fake.tokenRequests().last().value(QStringLiteral("code")), code);
    }

    void refreshErrors()
    {
        const QString refreshToken = m_fake.issueRefreshToken();
        auto refresh = [&](const QByteArray &secret) {
            return m_http.form(m_fake.tokenUrl(), {{"grant_type", "refresh_token"},
                                                   {"refresh_token", refreshToken.toUtf8()},
                                                   {"client_id", m_fake.clientId().toUtf8()},
                                                   {"client_secret", secret}});
        };
        // What Qt 6.4.2's refreshAccessToken() sends: an empty client_secret.
        const Answer empty = refresh(QByteArray());
        QCOMPARE(empty.status, 401);
        QCOMPARE(empty.json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_client"));

        const Answer ok = refresh(m_fake.clientSecret().toUtf8());
        QCOMPARE(ok.status, 200);
        QVERIFY(!ok.json().value(QStringLiteral("access_token")).toString().isEmpty());
        QVERIFY(!ok.json().contains(QStringLiteral("refresh_token"))); // Google does not rotate
        QCOMPARE(ok.json().value(QStringLiteral("scope")).toString(), kReadonly);
        QCOMPARE(m_fake.requests(Endpoint::TokenRefresh), 2);

        m_fake.setOmitScope(true);
        QVERIFY(!refresh(m_fake.clientSecret().toUtf8()).json().contains(QStringLiteral("scope")));

        m_fake.setRefreshFailure(503, "{\"error\":\"temporarily_unavailable\"}");
        QCOMPARE(refresh(m_fake.clientSecret().toUtf8()).status, 503);
        QCOMPARE(refresh(m_fake.clientSecret().toUtf8()).status, 200); // one-off

        m_fake.revokeRefreshTokens();
        const Answer revoked = refresh(m_fake.clientSecret().toUtf8());
        QCOMPARE(revoked.status, 400);
        QCOMPARE(revoked.body, QByteArray("{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}"));
    }

    void apiAuthErrors()
    {
        const Answer none = m_http.send("GET", api(QStringLiteral("/gmail/v1/users/me/profile")));
        QCOMPARE(none.status, 401);
        QCOMPARE(none.body, kUnauthorizedBody);
        QCOMPARE(none.header("WWW-Authenticate"), QByteArray("Bearer realm=\"https://accounts.google.com/\""));

        const QString token = m_fake.issueAccessToken();
        QCOMPARE(m_http.api(api(QStringLiteral("/gmail/v1/users/me/profile")), token).status, 200);
        m_fake.expireAccessTokens();
        const Answer expired = m_http.api(api(QStringLiteral("/gmail/v1/users/me/profile")), token);
        QCOMPARE(expired.status, 401);
        QCOMPARE(expired.body, kUnauthorizedBody);

        m_fake.setAccessTokenLifetime(1);
        const QString shortLived = m_fake.issueAccessToken();
        QCOMPARE(m_http.api(api(QStringLiteral("/gmail/v1/users/me/profile")), shortLived).status, 200);
        QTest::qWait(1100);
        QCOMPARE(m_http.api(api(QStringLiteral("/gmail/v1/users/me/profile")), shortLived).status, 401);

        const QString fresh = m_fake.issueAccessToken();
        m_fake.setInsufficientPermissions(true);
        const Answer denied = m_http.api(api(QStringLiteral("/gmail/v1/users/me/profile")), fresh);
        QCOMPARE(denied.status, 403);
        QCOMPARE(denied.body, QByteArray(
            "{\"error\":{\"code\":403,\"message\":\"Request had insufficient authentication scopes.\",\"errors\":"
            "[{\"message\":\"Insufficient Permission\",\"domain\":\"global\",\"reason\":\"insufficientPermissions\"}],"
            "\"status\":\"PERMISSION_DENIED\"}}"));
        m_fake.setInsufficientPermissions(false);
        // A token without any Gmail scope gets the same.
        const QString openidOnly = m_fake.issueAccessToken({QStringLiteral("openid")});
        QCOMPARE(m_http.api(api(QStringLiteral("/gmail/v1/users/me/profile")), openidOnly).status, 403);
    }

    void profileAndLabels()
    {
        const QString token = m_fake.issueAccessToken();
        const qint64 before = m_fake.historyId();
        addDated(utcMs(2024, 1, 1), {QStringLiteral("INBOX"), QStringLiteral("UNREAD")});
        addDated(utcMs(2024, 1, 2), {QStringLiteral("INBOX")});
        addDated(utcMs(2024, 1, 3), {QStringLiteral("SENT")});
        QVERIFY(m_fake.historyId() > before);

        const Answer profile = m_http.api(api(QStringLiteral("/gmail/v1/users/me/profile")), token);
        QCOMPARE(profile.status, 200);
        QCOMPARE(profile.json().value(QStringLiteral("emailAddress")).toString(), m_fake.userEmail());
        QCOMPARE(profile.json().value(QStringLiteral("messagesTotal")).toInt(), 3);
        QCOMPARE(profile.json().value(QStringLiteral("threadsTotal")).toInt(), 3);
        QVERIFY(profile.json().value(QStringLiteral("historyId")).isString());
        QCOMPARE(profile.json().value(QStringLiteral("historyId")).toString(), QString::number(m_fake.historyId()));

        const Answer inbox = m_http.api(api(QStringLiteral("/gmail/v1/users/me/labels/INBOX")), token);
        QCOMPARE(inbox.status, 200);
        QCOMPARE(inbox.json().value(QStringLiteral("id")).toString(), QStringLiteral("INBOX"));
        QCOMPARE(inbox.json().value(QStringLiteral("type")).toString(), QStringLiteral("system"));
        QCOMPARE(inbox.json().value(QStringLiteral("messagesTotal")).toInt(), 2);
        QCOMPARE(inbox.json().value(QStringLiteral("messagesUnread")).toInt(), 1);
        QCOMPARE(inbox.json().value(QStringLiteral("threadsTotal")).toInt(), 2);
        QCOMPARE(inbox.json().value(QStringLiteral("threadsUnread")).toInt(), 1);
        QCOMPARE(m_http.api(api(QStringLiteral("/gmail/v1/users/me/labels/DRAFT")), token)
                     .json().value(QStringLiteral("messagesTotal")).toInt(), 0);
        QCOMPARE(m_http.api(api(QStringLiteral("/gmail/v1/users/me/labels/Label_99")), token).status, 404);
        QCOMPARE(m_fake.requests(Endpoint::Profile), 1);
        QCOMPARE(m_fake.requests(Endpoint::Labels), 3);
    }

    void listPagingAndLabels()
    {
        const QString token = m_fake.issueAccessToken();
        QStringList inboxUnread;
        for (int i = 0; i < 7; ++i) {
            const QString id = addDated(utcMs(2024, 2, 1) + i * 60000, {QStringLiteral("INBOX"), QStringLiteral("UNREAD")});
            inboxUnread.prepend(id); // newest first
            addDated(utcMs(2024, 2, 1) + i * 60000 + 1000, {QStringLiteral("INBOX")});
        }
        addDated(utcMs(2024, 2, 1), {QStringLiteral("SENT"), QStringLiteral("UNREAD")});

        int pages = 0;
        const QStringList got = listAll(token, QStringLiteral("labelIds=INBOX&labelIds=UNREAD"), 3, &pages);
        QCOMPARE(got, inboxUnread);
        QCOMPARE(pages, 3);
        QCOMPARE(listAll(token, QStringLiteral("labelIds=INBOX")).size(), 14);
        QCOMPARE(listAll(token, QString()).size(), 15);

        // A page token survives messages added meanwhile (newer ones do not shift the pages).
        Answer first = m_http.api(api(QStringLiteral("/gmail/v1/users/me/messages"),
                                      QStringLiteral("labelIds=INBOX&labelIds=UNREAD&maxResults=3")), token);
        const QString next = first.json().value(QStringLiteral("nextPageToken")).toString();
        QVERIFY(!next.isEmpty());
        QVERIFY(first.json().value(QStringLiteral("resultSizeEstimate")).isDouble());
        addDated(utcMs(2024, 3, 1), {QStringLiteral("INBOX"), QStringLiteral("UNREAD")});
        const Answer second = m_http.api(api(QStringLiteral("/gmail/v1/users/me/messages"),
                                             QStringLiteral("labelIds=INBOX&labelIds=UNREAD&maxResults=3&pageToken=") + next), token);
        QCOMPARE(second.status, 200);
        QCOMPARE(second.json().value(QStringLiteral("messages")).toArray().at(0).toObject().value(QStringLiteral("id")).toString(),
                 inboxUnread.at(3));

        const Answer bogus = m_http.api(api(QStringLiteral("/gmail/v1/users/me/messages"), QStringLiteral("pageToken=12345")), token);
        QCOMPARE(bogus.status, 400);
        QVERIFY(bogus.body.contains("\"reason\":\"invalidArgument\""));

        // The estimate is deliberately inexact, the same each time; nothing found: no "messages" at all.
        const Answer all = m_http.api(api(QStringLiteral("/gmail/v1/users/me/messages"), QStringLiteral("labelIds=INBOX")), token);
        const int estimate = all.json().value(QStringLiteral("resultSizeEstimate")).toInt();
        QVERIFY(estimate > 0);
        QVERIFY(estimate != 15);
        QCOMPARE(m_http.api(api(QStringLiteral("/gmail/v1/users/me/messages"), QStringLiteral("labelIds=INBOX")), token)
                     .json().value(QStringLiteral("resultSizeEstimate")).toInt(), estimate);
        const Answer empty = m_http.api(api(QStringLiteral("/gmail/v1/users/me/messages"), QStringLiteral("labelIds=TRASH")), token);
        QCOMPARE(empty.status, 200);
        QVERIFY(!empty.json().contains(QStringLiteral("messages")));
        QVERIFY(!empty.json().contains(QStringLiteral("nextPageToken")));
        QCOMPARE(empty.json().value(QStringLiteral("resultSizeEstimate")).toInt(), 0);

        const QVector<QStringList> seen = m_fake.labelIdsSeen();
        QCOMPARE(seen.first(), (QStringList{QStringLiteral("INBOX"), QStringLiteral("UNREAD")}));
    }

    void listMaxResultsClamped()
    {
        const QString token = m_fake.issueAccessToken();
        for (int i = 0; i < 520; ++i)
            addDated(utcMs(2023, 1, 1) + i * 1000LL, {QStringLiteral("INBOX")});
        const Answer big = m_http.api(api(QStringLiteral("/gmail/v1/users/me/messages"), QStringLiteral("maxResults=1000")), token);
        QCOMPARE(big.status, 200);
        QCOMPARE(big.json().value(QStringLiteral("messages")).toArray().size(), 500);
        const Answer byDefault = m_http.api(api(QStringLiteral("/gmail/v1/users/me/messages")), token);
        QCOMPARE(byDefault.json().value(QStringLiteral("messages")).toArray().size(), 100);
    }

    void listQueries()
    {
        const QString token = m_fake.issueAccessToken();
        const qint64 boundaryS = utcMs(2024, 5, 10, 12) / 1000;
        const QString justBefore = addDated(boundaryS * 1000 - 1000, {QStringLiteral("INBOX")});
        const QString atBoundary = addDated(boundaryS * 1000, {QStringLiteral("INBOX")});
        const QString justAfter = addDated(boundaryS * 1000 + 1000, {QStringLiteral("INBOX")});

        const QString after = QStringLiteral("q=") + QString::fromLatin1(QUrl::toPercentEncoding(QStringLiteral("after:%1").arg(boundaryS)));
        QCOMPARE(listAll(token, after + QStringLiteral("&labelIds=INBOX")), (QStringList{justAfter, atBoundary}));
        const QString before = QStringLiteral("q=") + QString::fromLatin1(QUrl::toPercentEncoding(QStringLiteral("before:%1").arg(boundaryS)));
        QCOMPARE(listAll(token, before), (QStringList{justBefore}));
        QVERIFY(m_fake.queriesSeen().contains(QStringLiteral("after:%1").arg(boundaryS)));

        // after:YYYY/MM/DD is midnight in Los Angeles: 08:00 UTC in winter, 07:00 UTC in summer.
        m_fake.clearMessages();
        const QString winterEarly = addDated(utcMs(2024, 1, 15, 7, 59, 59), {QStringLiteral("INBOX")});
        const QString winterMidnight = addDated(utcMs(2024, 1, 15, 8), {QStringLiteral("INBOX")});
        QCOMPARE(listAll(token, QStringLiteral("q=after:2024/01/15")), (QStringList{winterMidnight}));
        QCOMPARE(listAll(token, QStringLiteral("q=before:2024/01/15")), (QStringList{winterEarly}));
        m_fake.clearMessages();
        const QString summerMidnight = addDated(utcMs(2024, 7, 15, 7), {QStringLiteral("INBOX")});
        addDated(utcMs(2024, 7, 15, 6, 59, 59), {QStringLiteral("INBOX")});
        QCOMPARE(listAll(token, QStringLiteral("q=after:2024/07/15")), (QStringList{summerMidnight}));

        // Drafts: listed without filters, gone with -in:drafts and with labelIds=SENT.
        m_fake.clearMessages();
        const QString sent = addDated(utcMs(2024, 4, 1), {QStringLiteral("SENT")});
        const QString draft = addDated(utcMs(2024, 4, 2), {QStringLiteral("DRAFT")});
        const QString sentDraft = addDated(utcMs(2024, 4, 3), {QStringLiteral("DRAFT"), QStringLiteral("SENT")});
        QCOMPARE(listAll(token, QString()), (QStringList{sentDraft, draft, sent}));
        QCOMPARE(listAll(token, QStringLiteral("q=-in:drafts")), (QStringList{sent}));
        QCOMPARE(listAll(token, QStringLiteral("labelIds=SENT")), (QStringList{sent}));
        QCOMPARE(listAll(token, QStringLiteral("q=in:sent")), (QStringList{sentDraft, sent}));
        QCOMPARE(listAll(token, QStringLiteral("q=in:sent%20-in:drafts")), (QStringList{sent}));
        QCOMPARE(listAll(token, QStringLiteral("labelIds=DRAFT")), (QStringList{sentDraft, draft}));
        // Spam and trash only when asked for.
        const QString spam = addDated(utcMs(2024, 4, 4), {QStringLiteral("SPAM")});
        QVERIFY(!listAll(token, QString()).contains(spam));
        QVERIFY(listAll(token, QStringLiteral("includeSpamTrash=true")).contains(spam));
    }

    void getFormats()
    {
        const QString token = m_fake.issueAccessToken();
        const QByteArray attachment = QByteArray("PDF-ish\x00\x01\x02 bytes", 17);
        GoogleFake::Message m;
        m.internalDateMs = utcMs(2024, 6, 1, 9, 30);
        m.labelIds = {QStringLiteral("INBOX"), QStringLiteral("UNREAD")};
        m.threadId = QStringLiteral("18f0000000000001");
        m.raw = GoogleFake::makeRaw(QStringLiteral("Alice <alice@example.org>"), QStringLiteral("bob@example.org"),
                                    QStringLiteral("Grüße & report"), QDateTime::fromMSecsSinceEpoch(m.internalDateMs, Qt::UTC),
                                    QStringLiteral("Hello Bob,\nthe report is attached.\n"),
                                    QStringLiteral("report-1@example.org"), QStringLiteral("report.pdf"), attachment);
        const QString id = m_fake.addMessage(m);
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{16}$")).match(id).hasMatch());

        const Answer full = m_http.api(api(QStringLiteral("/gmail/v1/users/me/messages/") + id, QStringLiteral("format=full")), token);
        QCOMPARE(full.status, 200);
        const QJsonObject msg = full.json();
        QCOMPARE(msg.value(QStringLiteral("id")).toString(), id);
        QCOMPARE(msg.value(QStringLiteral("threadId")).toString(), m.threadId);
        QVERIFY(msg.value(QStringLiteral("internalDate")).isString());
        QCOMPARE(msg.value(QStringLiteral("internalDate")).toString(), QString::number(m.internalDateMs));
        QVERIFY(msg.value(QStringLiteral("historyId")).isString());
        QVERIFY(msg.value(QStringLiteral("sizeEstimate")).isDouble());
        QCOMPARE(msg.value(QStringLiteral("sizeEstimate")).toInt(), int(m.raw.size()));
        QCOMPARE(msg.value(QStringLiteral("labelIds")).toArray().size(), 2);
        QVERIFY(msg.value(QStringLiteral("snippet")).toString().startsWith(QStringLiteral("Hello Bob, the report")));
        const QJsonObject payload = msg.value(QStringLiteral("payload")).toObject();
        QCOMPARE(payload.value(QStringLiteral("partId")).toString(), QString());
        QCOMPARE(payload.value(QStringLiteral("mimeType")).toString(), QStringLiteral("multipart/mixed"));
        QCOMPARE(payload.value(QStringLiteral("body")).toObject().value(QStringLiteral("size")).toInt(), 0);
        bool subjectFound = false;
        for (const QJsonValue &h : payload.value(QStringLiteral("headers")).toArray()) {
            if (h.toObject().value(QStringLiteral("name")).toString() == QLatin1String("Subject")) {
                QCOMPARE(h.toObject().value(QStringLiteral("value")).toString(), QStringLiteral("Grüße & report"));
                subjectFound = true;
            }
        }
        QVERIFY(subjectFound);
        const QJsonArray parts = payload.value(QStringLiteral("parts")).toArray();
        QCOMPARE(parts.size(), 2);
        const QJsonObject text = parts.at(0).toObject();
        QCOMPARE(text.value(QStringLiteral("partId")).toString(), QStringLiteral("0"));
        QCOMPARE(text.value(QStringLiteral("mimeType")).toString(), QStringLiteral("text/plain"));
        QCOMPARE(text.value(QStringLiteral("filename")).toString(), QString());
        QCOMPARE(fromBase64Url(text.value(QStringLiteral("body")).toObject().value(QStringLiteral("data")).toString()),
                 QByteArray("Hello Bob,\r\nthe report is attached.")); // the last CRLF belongs to the boundary
        const QJsonObject file = parts.at(1).toObject();
        QCOMPARE(file.value(QStringLiteral("partId")).toString(), QStringLiteral("1"));
        QCOMPARE(file.value(QStringLiteral("filename")).toString(), QStringLiteral("report.pdf"));
        const QJsonObject fileBody = file.value(QStringLiteral("body")).toObject();
        QVERIFY(!fileBody.contains(QStringLiteral("data")));
        QCOMPARE(fileBody.value(QStringLiteral("size")).toInt(), int(attachment.size()));
        const QString attachmentId = fileBody.value(QStringLiteral("attachmentId")).toString();
        QVERIFY(!attachmentId.isEmpty());

        const Answer metadata = m_http.api(api(QStringLiteral("/gmail/v1/users/me/messages/") + id,
                                               QStringLiteral("format=metadata&metadataHeaders=Subject&metadataHeaders=From")), token);
        const QJsonObject metaPayload = metadata.json().value(QStringLiteral("payload")).toObject();
        QCOMPARE(metaPayload.value(QStringLiteral("headers")).toArray().size(), 2);
        QVERIFY(!metaPayload.contains(QStringLiteral("parts")));
        QVERIFY(!metaPayload.contains(QStringLiteral("body")));

        const Answer raw = m_http.api(api(QStringLiteral("/gmail/v1/users/me/messages/") + id, QStringLiteral("format=raw")), token);
        QCOMPARE(fromBase64Url(raw.json().value(QStringLiteral("raw")).toString()), m.raw);
        QVERIFY(!raw.json().contains(QStringLiteral("payload")));
        const Answer minimal = m_http.api(api(QStringLiteral("/gmail/v1/users/me/messages/") + id, QStringLiteral("format=minimal")), token);
        QVERIFY(!minimal.json().contains(QStringLiteral("payload")));
        QCOMPARE(minimal.json().value(QStringLiteral("internalDate")).toString(), QString::number(m.internalDateMs));

        const Answer attachmentAnswer = m_http.api(api(QStringLiteral("/gmail/v1/users/me/messages/%1/attachments/%2").arg(id, attachmentId)), token);
        QCOMPARE(attachmentAnswer.status, 200);
        QCOMPARE(fromBase64Url(attachmentAnswer.json().value(QStringLiteral("data")).toString()), attachment);
        QCOMPARE(m_fake.requests(Endpoint::Attachment), 1);

        const Answer missing = m_http.api(api(QStringLiteral("/gmail/v1/users/me/messages/0123456789abcdef")), token);
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.body, QByteArray(
            "{\"error\":{\"code\":404,\"message\":\"Requested entity was not found.\",\"errors\":[{\"message\":"
            "\"Requested entity was not found.\",\"domain\":\"global\",\"reason\":\"notFound\"}],\"status\":\"NOT_FOUND\"}}"));

        // full, metadata and raw are content; minimal and the 404 are not.
        QCOMPARE(m_fake.contentFetches(id), 3);
        QCOMPARE(m_fake.allContentFetches().size(), 1);
        QCOMPARE(m_fake.requests(Endpoint::Get), 5);
        QCOMPARE(m_fake.requests(Endpoint::Raw), 1);
    }

    void batch()
    {
        const QString token = m_fake.issueAccessToken();
        const QString a = addDated(utcMs(2024, 1, 1), {QStringLiteral("INBOX")});
        const QString b = addDated(utcMs(2024, 1, 2), {QStringLiteral("INBOX")});
        auto batchBody = [](const QStringList &ids, const QByteArray &partAuth = QByteArray()) -> QByteArray {
            QByteArray body;
            int n = 0;
            for (const QString &id : ids) {
                body += "--BOUNDARY\r\nContent-Type: application/http\r\nContent-ID: <item" + QByteArray::number(++n)
                    + ">\r\n\r\nGET /gmail/v1/users/me/messages/" + id.toLatin1() + "?format=full\r\n";
                if (!partAuth.isEmpty())
                    body += "Authorization: Bearer " + partAuth + "\r\n";
                body += "\r\n\r\n";
            }
            return body + "--BOUNDARY--\r\n";
        };
        const QUrl batchUrl = api(QStringLiteral("/batch/gmail/v1"));
        const QList<QPair<QByteArray, QByteArray>> headers{{"Authorization", "Bearer " + token.toLatin1()},
                                                           {"Content-Type", "multipart/mixed; boundary=BOUNDARY"}};

        const Answer ok = m_http.send("POST", batchUrl, batchBody({a, QStringLiteral("0000000000000bad"), b}), headers);
        QCOMPARE(ok.status, 200);
        const QByteArray contentType = ok.header("Content-Type");
        QVERIFY2(contentType.startsWith("multipart/mixed; boundary=batch_"), contentType.constData());
        const QByteArray boundary = contentType.mid(contentType.indexOf("boundary=") + 9);
        QStringList contentIds, statuses;
        static const QRegularExpression partRe(QStringLiteral("Content-ID: <(response-item\\d)>\r\n\r\nHTTP/1.1 (\\d{3})"));
        auto it = partRe.globalMatch(QString::fromLatin1(ok.body));
        while (it.hasNext()) {
            const auto match = it.next();
            contentIds << match.captured(1);
            statuses << match.captured(2);
        }
        QCOMPARE(contentIds, (QStringList{QStringLiteral("response-item1"), QStringLiteral("response-item2"), QStringLiteral("response-item3")}));
        QCOMPARE(statuses, (QStringList{QStringLiteral("200"), QStringLiteral("404"), QStringLiteral("200")}));
        QVERIFY(ok.body.contains(QByteArray("--" + boundary + "\r\nContent-Type: application/http\r\n")));
        QVERIFY(ok.body.endsWith(QByteArray("--" + boundary + "--\r\n")));
        QVERIFY(ok.body.contains(QByteArray("\"internalDate\":\"" + QByteArray::number(utcMs(2024, 1, 1)) + "\"")));
        QCOMPARE(m_fake.requests(Endpoint::Batch), 1);
        QCOMPARE(m_fake.requests(Endpoint::BatchPart), 3);
        QCOMPARE(m_fake.requests(Endpoint::Get), 0);
        QCOMPARE(m_fake.contentFetches(a), 1);
        QCOMPARE(m_fake.maxBatchParts(), 3);
        QCOMPARE(m_fake.unitsCharged(), 15);

        // A part's own Authorization wins over the batch's.
        const Answer partAuth = m_http.send("POST", batchUrl, batchBody({a}, "ya29.not-a-token"), headers);
        QCOMPARE(partAuth.status, 200);
        QVERIFY(partAuth.body.contains("HTTP/1.1 401"));
        QVERIFY(partAuth.body.contains(kUnauthorizedBody));

        // More than 100 parts: the whole batch is refused.
        QStringList many;
        for (int i = 0; i < 101; ++i)
            many << a;
        QCOMPARE(m_http.send("POST", batchUrl, batchBody(many), headers).status, 400);
        QCOMPARE(m_fake.maxBatchParts(), 101);
        QStringList hundred = many.mid(0, 100);
        QCOMPARE(m_http.send("POST", batchUrl, batchBody(hundred), headers).status, 200);

        // The global batch endpoint is gone.
        QCOMPARE(m_http.send("POST", api(QStringLiteral("/batch")), batchBody({a}), headers).status, 404);
        QCOMPARE(m_fake.requests(Endpoint::GlobalBatch), 1);

        // Every 2nd part fails with an inner 429 while the batch is 200.
        m_fake.setBatchPartFailureEveryNth(2);
        const Answer flaky = m_http.send("POST", batchUrl, batchBody({a, b, a, b}), headers);
        QCOMPARE(flaky.status, 200);
        QCOMPARE(flaky.body.count("HTTP/1.1 429 Too Many Requests"), 2);
        QCOMPARE(flaky.body.count("HTTP/1.1 200 OK"), 2);
        QVERIFY(flaky.body.contains(
            "{\"error\":{\"code\":429,\"message\":\"Too many concurrent requests for user.\",\"errors\":[{\"message\":"
            "\"Too many concurrent requests for user.\",\"domain\":\"global\",\"reason\":\"rateLimitExceeded\"}],"
            "\"status\":\"RESOURCE_EXHAUSTED\"}}"));
        m_fake.setBatchPartFailureEveryNth(0);
        m_fake.setBatchPartFailures(0.5, 42);
        const Answer random = m_http.send("POST", batchUrl, batchBody(hundred), headers);
        const int failed = int(random.body.count("HTTP/1.1 429"));
        QVERIFY2(failed > 20 && failed < 80, qPrintable(QString::number(failed)));
    }

    void quota()
    {
        const QString token = m_fake.issueAccessToken();
        m_fake.setQuota(12, 1000); // two lists (5 units each) per second
        const QUrl list = api(QStringLiteral("/gmail/v1/users/me/messages"));
        QCOMPARE(m_http.api(list, token).status, 200);
        QCOMPARE(m_http.api(list, token).status, 200);
        const Answer refused = m_http.api(list, token);
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.header("Retry-After"), QByteArray("1"));
        const QJsonObject error = refused.json().value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("code")).toInt(), 429);
        QCOMPARE(error.value(QStringLiteral("status")).toString(), QStringLiteral("RESOURCE_EXHAUSTED"));
        QVERIFY(QRegularExpression(QStringLiteral("^User-rate limit exceeded\\.  Retry after \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"))
                    .match(error.value(QStringLiteral("message")).toString()).hasMatch());
        const QJsonObject reason = error.value(QStringLiteral("errors")).toArray().at(0).toObject();
        QCOMPARE(reason.value(QStringLiteral("domain")).toString(), QStringLiteral("usageLimits"));
        QCOMPARE(reason.value(QStringLiteral("reason")).toString(), QStringLiteral("rateLimitExceeded"));
        QCOMPARE(m_fake.quotaRefusals(), 1);
        QCOMPARE(m_fake.requestsBeforeRetryAfter(), 0);

        // Ignoring the Retry-After is counted; waiting it out is not.
        QCOMPARE(m_http.api(api(QStringLiteral("/gmail/v1/users/me/profile")), token).status, 200); // 1 unit fits
        QCOMPARE(m_fake.requestsBeforeRetryAfter(), 1);
        const QVector<GoogleFake::RequestRecord> log = m_fake.requestLog();
        QCOMPARE(log.size(), 4);
        QVERIFY(log.at(2).retryAfterUntilMs > log.at(2).arrivalMs);
        QVERIFY(log.at(3).duringRetryAfter);
        QTest::qWait(1100);
        QCOMPARE(m_http.api(list, token).status, 200);
        QCOMPARE(m_fake.requestsBeforeRetryAfter(), 1);
        QCOMPARE(m_fake.unitsCharged(), 16);

        m_fake.setQuotaRefusalAs403(true);
        m_http.api(list, token);
        const Answer as403 = m_http.api(list, token);
        QCOMPARE(as403.status, 403);
        QVERIFY(as403.body.contains("\"reason\":\"userRateLimitExceeded\""));
        QVERIFY(!as403.header("Retry-After").isEmpty());
        QTest::qWait(1100);

        // In a batch the parts over budget get the inner 429; the batch is 200.
        m_fake.setQuotaRefusalAs403(false);
        const QString id = addDated(utcMs(2024, 1, 1), {QStringLiteral("INBOX")});
        QByteArray body;
        for (int i = 0; i < 3; ++i)
            body += "--b\r\nContent-Type: application/http\r\n\r\nGET /gmail/v1/users/me/messages/" + id.toLatin1() + "\r\n\r\n";
        body += "--b--\r\n";
        const Answer batch = m_http.send("POST", api(QStringLiteral("/batch/gmail/v1")), body,
                                         {{"Authorization", "Bearer " + token.toLatin1()},
                                          {"Content-Type", "multipart/mixed; boundary=b"}});
        QCOMPARE(batch.status, 200);
        QCOMPARE(batch.body.count("HTTP/1.1 200 OK"), 2);
        QCOMPARE(batch.body.count("HTTP/1.1 429 Too Many Requests"), 1);
        QVERIFY(batch.body.contains("User-rate limit exceeded."));
    }

    void countersReset()
    {
        const QString token = m_fake.issueAccessToken();
        m_http.api(api(QStringLiteral("/gmail/v1/users/me/messages"), QStringLiteral("q=in:inbox")), token);
        QCOMPARE(m_fake.requests(Endpoint::List), 1);
        QCOMPARE(m_fake.queriesSeen(), QStringList{QStringLiteral("in:inbox")});
        QCOMPARE(m_fake.unitsCharged(), 5);
        m_fake.resetCounters();
        QCOMPARE(m_fake.requests(Endpoint::List), 0);
        QVERIFY(m_fake.queriesSeen().isEmpty());
        QCOMPARE(m_fake.unitsCharged(), 0);
        QVERIFY(m_fake.requestLog().isEmpty());
    }

    void responseDelay()
    {
        const QString token = m_fake.issueAccessToken();
        m_fake.setResponseDelayMs(300);
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(m_http.api(api(QStringLiteral("/gmail/v1/users/me/profile")), token).status, 200);
        QVERIFY(timer.elapsed() >= 290);

        // Each answer waits its own delay, not until those that came after it
        // have gone out too.
        m_fake.setResponseDelayMs(400);
        QNetworkRequest profile(api(QStringLiteral("/gmail/v1/users/me/profile")));
        profile.setRawHeader("Authorization", "Bearer " + token.toLatin1());
        QNetworkAccessManager nam;
        nam.setProxy(QNetworkProxy::NoProxy);
        const QVector<qint64> took = answerLatencies(nam, {profile, profile, profile}, 150);
        m_fake.setResponseDelayMs(0);
        for (int i = 0; i < took.size(); ++i)
            QVERIFY2(took.at(i) >= 390 && took.at(i) < 540,
                     qPrintable(QStringLiteral("request %1 took %2 ms").arg(i).arg(took.at(i))));
    }

    void followAuthorizationDeliversTheCode()
    {
        FakeApp app;
        QVERIFY(app.isListening());
        QString error;
        QVector<BrowserHop> hops;
        QVERIFY2(followAuthorization(authorizeUrl(app.redirectUri()), &error, &hops), qPrintable(error));
        QCOMPARE(hops.size(), 2);
        QCOMPARE(hops.at(0).status, 302);
        QCOMPARE(hops.at(1).status, 200);
        QVERIFY2(app.requestLine.startsWith("GET /cb?code=4%2F0A"), app.requestLine.constData());
        QVERIFY(app.requestLine.contains("&state=St4te9xyz"));

        // An error page of the provider ends the walk with a failure.
        QVERIFY(!followAuthorization(authorizeUrl(app.redirectUri(), QStringLiteral("nobody")), &error));
        QVERIFY(error.contains(QStringLiteral("400")));
    }

    // PROVIDERS.md 4: the fake must expose what Qt NetworkAuth 6.4.2 gets
    // wrong. Unpatched, the flow double-encodes the code and the exchange
    // fails; with the documented parameter fixes it is granted.
    void qtNetworkAuthDoubleEncodingIsCaught()
    {
        auto setUp = [this](QOAuth2AuthorizationCodeFlow &flow, QUrl *opened) {
            flow.setAuthorizationUrl(m_fake.authUrl());
            flow.setAccessTokenUrl(m_fake.tokenUrl());
            flow.setClientIdentifier(m_fake.clientId());
            flow.setClientIdentifierSharedKey(m_fake.clientSecret());
            flow.setScope(kReadonly);
            connect(&flow, &QAbstractOAuth2::authorizeWithBrowser, this, [opened](const QUrl &url) { *opened = url; });
        };
        const qsizetype before = m_fake.tokenRequests().size();
        {
            QOAuth2AuthorizationCodeFlow flow;
            QOAuthHttpServerReplyHandler handler(QHostAddress(QHostAddress::LocalHost), 0);
            flow.setReplyHandler(&handler);
            QUrl opened;
            setUp(flow, &opened);
            flow.grant();
            QVERIFY(!opened.isEmpty());
            QString error;
            QVERIFY2(followAuthorization(opened, &error), qPrintable(error));
            QTRY_COMPARE(m_fake.tokenRequests().size(), before + 1);
            const GoogleFake::TokenRequest sent = m_fake.tokenRequests().last();
            QCOMPARE(sent.status, 400);
            QVERIFY2(sent.value(QStringLiteral("code")).startsWith(QStringLiteral("4%2F0A")),
                     qPrintable(sent.value(QStringLiteral("code"))));
            QVERIFY(flow.status() != QAbstractOAuth::Status::Granted);
        }
        {
            QOAuth2AuthorizationCodeFlow flow;
            QOAuthHttpServerReplyHandler handler(QHostAddress(QHostAddress::LocalHost), 0);
            flow.setReplyHandler(&handler);
            QUrl opened;
            setUp(flow, &opened);
            const QString verifier = m_verifier;
            flow.setModifyParametersFunction([verifier](QAbstractOAuth::Stage stage, QMultiMap<QString, QVariant> *params) {
                if (stage == QAbstractOAuth::Stage::RequestingAuthorization) {
                    params->insert(QStringLiteral("code_challenge"), pkceChallenge(verifier));
                    params->insert(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
                } else if (stage == QAbstractOAuth::Stage::RequestingAccessToken) {
                    const QByteArray code = params->take(QStringLiteral("code")).toByteArray();
                    params->insert(QStringLiteral("code"), QUrl::fromPercentEncoding(code));
                    params->insert(QStringLiteral("code_verifier"), verifier);
                }
            });
            QSignalSpy granted(&flow, &QAbstractOAuth::granted);
            flow.grant();
            QString error;
            QVERIFY2(followAuthorization(opened, &error), qPrintable(error));
            // granted may come while followAuthorization() still runs: wait() would miss it.
            QTRY_VERIFY_WITH_TIMEOUT(!granted.isEmpty(), 10000);
            QCOMPARE(m_fake.tokenRequests().last().status, 200);
            QCOMPARE(m_fake.lastAuthorizeRequest().value(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
            QCOMPARE(m_http.api(api(QStringLiteral("/gmail/v1/users/me/profile")), flow.token()).status, 200);
        }
    }

    void testBrowserExecutable()
    {
        FakeApp app;
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString logPath = dir.filePath(QStringLiteral("browser.log"));
        const QUrl url = authorizeUrl(app.redirectUri());
        QProcess browser;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LOOKBACK_TEST_BROWSER_LOG"), logPath);
        env.insert(QStringLiteral("LOOKBACK_TEST_BROWSER_DELAY_MS"), QStringLiteral("10"));
        browser.setProcessEnvironment(env);
        QSignalSpy finished(&browser, &QProcess::finished);
        browser.start(testBrowserPath(), {QString::fromLatin1(url.toEncoded())});
        QVERIFY2(browser.waitForStarted(5000), qPrintable(testBrowserPath()));
        QVERIFY(finished.wait(15000)); // spins the event loop, so FakeApp answers
        const QByteArray stderrText = browser.readAllStandardError();
        QVERIFY2(browser.exitStatus() == QProcess::NormalExit && browser.exitCode() == 0, stderrText.constData());
        QVERIFY(stderrText.contains("-> 302"));
        QVERIFY(stderrText.contains("-> 200"));
        QVERIFY2(app.requestLine.startsWith("GET /cb?code=4%2F0A"), app.requestLine.constData());
        QFile log(logPath);
        QVERIFY(log.open(QIODevice::ReadOnly));
        QCOMPARE(log.readAll(), QByteArray(url.toEncoded() + '\n'));
    }
};

QTEST_GUILESS_MAIN(TestGoogleFake)
#include "tst_googlefake.moc"
