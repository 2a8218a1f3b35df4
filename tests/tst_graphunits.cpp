// The pieces of the Microsoft Graph source that need no server: Retry-After in
// both forms, the list request's shape (the InefficientFilter rule), cursors,
// Graph's JSON into archive records, error categories, and the rule that the
// bearer token goes only to the API's own origin.

#include "graph/graphapi.h"
#include "graph/graphmessage.h"
#include "graph/graphsource.h"
#include "source/httpreply.h"

#include <QJsonDocument>
#include <QLocale>
#include <QScopeGuard>
#include <QTimeZone>
#include <QUrlQuery>
#include <QtTest>

using namespace Lookback;

class TestGraphUnits : public QObject
{
    Q_OBJECT

private slots:
    void retryAfterSecondsAndHttpDate();
    void httpDateInTheLocalClocksGap_data();
    void httpDateInTheLocalClocksGap();
    void listRequestFollowsTheFilterRule();
    void cursorAndStateRoundTrip();
    void mailboxPaths();
    void messageIntoRecord();
    void hostileMessagesAreRefusedOrBounded();
    void attachmentsWithoutInlineOnes();
    void errorCategories();
    void nextLinksOnlyToTheApiOrigin();
};

void TestGraphUnits::retryAfterSecondsAndHttpDate()
{
    QCOMPARE(retryAfterSeconds("10"), 10);
    QCOMPARE(retryAfterSeconds(" 3 "), 3);
    QCOMPARE(retryAfterSeconds("0"), 0);
    QCOMPARE(retryAfterSeconds("1.5"), 2); // rounded up: never early
    QCOMPARE(retryAfterSeconds(""), -1);
    QCOMPARE(retryAfterSeconds("soon"), -1);
    // An HTTP-date (IMF-fixdate), in English whatever the locale.
    QLocale::setDefault(QLocale(QLocale::German));
    const QDateTime at = QDateTime::currentDateTimeUtc().addSecs(42);
    const QByteArray imf = QLocale::c().toString(at, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1();
    const int s = retryAfterSeconds(imf);
    QVERIFY2(s >= 41 && s <= 43, QByteArray(imf + " -> " + QByteArray::number(s)).constData());
    QCOMPARE(retryAfterSeconds("Sun, 06 Nov 1994 08:49:37 GMT"), 0); // passed
    const QByteArray rfc850 = QLocale::c().toString(at, QStringLiteral("dddd, dd-MMM-yy HH:mm:ss 'GMT'")).toLatin1();
    QVERIFY(retryAfterSeconds(rfc850) >= 41);
    const QByteArray asc = QLocale::c().toString(at, QStringLiteral("ddd MMM  d HH:mm:ss yyyy")).toLatin1();
    QVERIFY2(retryAfterSeconds(asc) >= 41, asc.constData());
    QLocale::setDefault(QLocale::c());
}

// An HTTP-date is GMT: a user whose clock springs forward reads it the same
// when its time of day is one their own clock skips (02:30 in Berlin on the
// last Sunday of March), or its day begins in a skipped hour (midnight in
// Beirut that day), not as "no date" (which would not wait at all).
void TestGraphUnits::httpDateInTheLocalClocksGap_data()
{
    QTest::addColumn<QByteArray>("zone");
    QTest::addColumn<QTime>("skipped");
    QTest::newRow("Berlin, 02:30") << QByteArray("Europe/Berlin") << QTime(2, 30);
    QTest::newRow("Beirut, midnight") << QByteArray("Asia/Beirut") << QTime(0, 0);
}

void TestGraphUnits::httpDateInTheLocalClocksGap()
{
    QFETCH(QByteArray, zone);
    QFETCH(QTime, skipped);
    if (!QTimeZone(zone).isValid())
        QSKIP("no time zone database on this machine");
    const QByteArray tz = qgetenv("TZ");
    const auto restore = qScopeGuard([tz] {
        if (tz.isNull())
            qunsetenv("TZ");
        else
            qputenv("TZ", tz);
    });
    qputenv("TZ", zone);
    const QDateTime local(QDate(2026, 3, 29), skipped);
    QVERIFY2(!local.isValid() || local.time() != skipped, "that time should not exist on the local clock that day");
    QCOMPARE(retryAfterSeconds("Sun, 29 Mar 2026 02:30:00 GMT"), 0);
    QCOMPARE(retryAfterSeconds("Sunday, 29-Mar-26 02:30:00 GMT"), 0);
    QCOMPARE(retryAfterSeconds("Sun Mar 29 02:30:00 2026"), 0);
    QCOMPARE(retryAfterSeconds("Sun, 29 Mar 2026 00:00:00 GMT"), 0);
}

void TestGraphUnits::listRequestFollowsTheFilterRule()
{
    const QDateTime start(QDate(2024, 1, 2), QTime(3, 4, 5), Qt::UTC);
    const QString path = Graph::listPath(QStringLiteral("/me"), QStringLiteral("sent"), start, 100);
    QVERIFY(path.startsWith(QLatin1String("/me/mailFolders/sentitems/messages?")));
    const QUrlQuery q(path.mid(path.indexOf(QLatin1Char('?')) + 1));
    QCOMPARE(q.queryItemValue(QStringLiteral("$filter"), QUrl::FullyDecoded),
             QStringLiteral("receivedDateTime ge 2024-01-02T03:04:05Z"));
    // The orderby property is the filter's first (PROVIDERS.md 1.3).
    QCOMPARE(q.queryItemValue(QStringLiteral("$orderby"), QUrl::FullyDecoded), QStringLiteral("receivedDateTime desc"));
    QCOMPARE(q.queryItemValue(QStringLiteral("$top")), QStringLiteral("100"));
    // The range was counted once while planning (rangeCountPath); a list page
    // does not ask Graph to count again (slow, PROVIDERS.md 1.8).
    QVERIFY(!q.hasQueryItem(QStringLiteral("$count")));
    const QString count = Graph::rangeCountPath(QStringLiteral("/me"), QStringLiteral("sent"), start);
    const QUrlQuery cq(count.mid(count.indexOf(QLatin1Char('?')) + 1));
    QCOMPARE(cq.queryItemValue(QStringLiteral("$count")), QStringLiteral("true"));
    QCOMPARE(cq.queryItemValue(QStringLiteral("$top")), QStringLiteral("1"));
    QCOMPARE(cq.queryItemValue(QStringLiteral("$filter"), QUrl::FullyDecoded), q.queryItemValue(QStringLiteral("$filter"), QUrl::FullyDecoded));
    const QStringList select = q.queryItemValue(QStringLiteral("$select"), QUrl::FullyDecoded).split(QLatin1Char(','));
    for (const char *field : {"id", "receivedDateTime", "internetMessageId", "conversationId", "body", "hasAttachments"})
        QVERIFY2(select.contains(QLatin1String(field)), field);
    QVERIFY(!select.contains(QStringLiteral("attachments"))); // no content, ever
    // Everything: no filter, still newest first.
    const QString all = Graph::listPath(QStringLiteral("/me"), QStringLiteral("inbox"), QDateTime(), 100);
    QVERIFY(all.startsWith(QLatin1String("/me/mailFolders/inbox/messages?")));
    QVERIFY(!all.contains(QLatin1String("$filter")));
    QVERIFY(GraphSource::kListTop <= 250);
    QCOMPARE(Graph::wellKnownName(QStringLiteral("inbox")), QStringLiteral("inbox"));
    QCOMPARE(Graph::wellKnownName(QStringLiteral("sent")), QStringLiteral("sentitems"));
}

void TestGraphUnits::cursorAndStateRoundTrip()
{
    Graph::Cursor c;
    c.next = QStringLiteral("https://graph.example/v1.0/me/mailFolders/inbox/messages?$skip=137&$top=100");
    c.seen = 300;
    c.estimate = 8500;
    const Graph::Cursor back = Graph::Cursor::parse(c.toJson());
    QCOMPARE(back.next, c.next); // verbatim
    QCOMPARE(back.seen, 300);
    QCOMPARE(back.estimate, 8500);
    QCOMPARE(Graph::Cursor::parse(QByteArray()).next, QString());
    QCOMPARE(Graph::Cursor::parse("garbage").seen, 0);
    Graph::FolderState st;
    st.deltaLink = QStringLiteral("https://graph.example/v1.0/me/mailFolders/inbox/messages/delta?$deltatoken=abc");
    st.baselineFrom = QDateTime(QDate(2026, 12, 1), QTime(10, 0), Qt::UTC);
    const Graph::FolderState sb = Graph::FolderState::parse(st.toJson());
    QCOMPARE(sb.deltaLink, st.deltaLink);
    QCOMPARE(sb.baselineFrom, st.baselineFrom);
}

void TestGraphUnits::mailboxPaths()
{
    ConnectionRecord own;
    own.username = QStringLiteral("me@contoso.example");
    QCOMPARE(Graph::mailboxPath(own), QStringLiteral("/me"));
    ConnectionRecord shared;
    shared.parentId = 1;
    shared.username = QStringLiteral("support+eu@contoso.example");
    QCOMPARE(Graph::mailboxPath(shared), QStringLiteral("/users/support%2Beu@contoso.example"));
}

void TestGraphUnits::messageIntoRecord()
{
    const QByteArray json = R"({
      "id": "AAMkAGI2THVSAAA=", "@odata.etag": "W/\"x\"",
      "receivedDateTime": "2024-05-01T10:20:30Z", "sentDateTime": "2024-05-01T10:20:01Z",
      "subject": "  Quarterly   numbers ", "internetMessageId": "<abc@contoso.example>",
      "conversationId": "AAQkAGI2conv", "hasAttachments": true,
      "bodyPreview": "Hello team, here are the numbers.",
      "body": {"contentType": "html", "content": "<html><body><p>Hello <b>team</b>, here are the numbers.</p><script>x()</script></body></html>"},
      "from": {"emailAddress": {"name": "Ada Lovelace", "address": "ada@contoso.example"}},
      "toRecipients": [{"emailAddress": {"name": "Team, Finance", "address": "fin@contoso.example"}},
                       {"emailAddress": {"address": "bob@contoso.example"}}],
      "ccRecipients": [],
      "internetMessageHeaders": [{"name": "In-Reply-To", "value": "<prev@contoso.example>"},
                                 {"name": "References", "value": "<root@contoso.example> <prev@contoso.example>"},
                                 {"name": "X-Other", "value": "ignored"}]
    })";
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    MessageRecord rec;
    QString why;
    QVERIFY2(Graph::recordFromJson(o, &rec, &why), qPrintable(why));
    QCOMPARE(rec.providerId, QStringLiteral("ms:AAMkAGI2THVSAAA="));
    QCOMPARE(rec.messageId, QStringLiteral("abc@contoso.example"));
    QCOMPARE(rec.threadKey, QStringLiteral("mc:AAQkAGI2conv"));
    QCOMPARE(rec.subject, QStringLiteral("Quarterly numbers"));
    QCOMPARE(rec.receivedAt, QDateTime(QDate(2024, 5, 1), QTime(10, 20, 30), Qt::UTC));
    QCOMPARE(rec.sentAt, QDateTime(QDate(2024, 5, 1), QTime(10, 20, 1), Qt::UTC));
    QCOMPARE(rec.fromName, QStringLiteral("Ada Lovelace"));
    QCOMPARE(rec.fromAddress, QStringLiteral("ada@contoso.example"));
    QCOMPARE(rec.toText, QStringLiteral("\"Team, Finance\" <fin@contoso.example>, bob@contoso.example"));
    QCOMPARE(rec.inReplyTo, QStringLiteral("prev@contoso.example"));
    QCOMPARE(rec.references, (QStringList{QStringLiteral("root@contoso.example"), QStringLiteral("prev@contoso.example")}));
    QVERIFY(rec.bodyHtml.contains(QLatin1String("<b>team</b>")));
    QVERIFY(rec.bodyText.contains(QLatin1String("Hello team")));
    QVERIFY(!rec.bodyText.contains(QLatin1String("x()")));
    QCOMPARE(rec.snippet, QStringLiteral("Hello team, here are the numbers."));
    QVERIFY(Graph::needsAttachmentList(o));
    // Ids are case-sensitive: another case is another message.
    QVERIFY(Graph::providerId(QStringLiteral("AAMkAGI2THVSAAA=")) != Graph::providerId(QStringLiteral("AAMkAGI2thvsAAA=")));
    // A text body stays text.
    QJsonObject t = o;
    t.insert(QStringLiteral("body"), QJsonObject{{QStringLiteral("contentType"), QStringLiteral("text")},
                                                 {QStringLiteral("content"), QStringLiteral("<b>not markup</b>")}});
    QVERIFY(Graph::recordFromJson(t, &rec, &why));
    QVERIFY(rec.bodyHtml.isEmpty());
    QCOMPARE(rec.bodyText, QStringLiteral("<b>not markup</b>"));
}

void TestGraphUnits::hostileMessagesAreRefusedOrBounded()
{
    MessageRecord rec;
    QString why;
    QVERIFY(!Graph::recordFromJson(QJsonObject(), &rec, &why));
    QVERIFY(!why.isEmpty());
    QVERIFY(!Graph::recordFromJson(QJsonObject{{QStringLiteral("id"), QString(600, QLatin1Char('a'))},
                                               {QStringLiteral("receivedDateTime"), QStringLiteral("2024-05-01T10:20:30Z")}},
                                   &rec, &why));
    why.clear();
    QVERIFY(!Graph::recordFromJson(QJsonObject{{QStringLiteral("id"), QStringLiteral("x")},
                                               {QStringLiteral("receivedDateTime"), QStringLiteral("yesterday")}},
                                   &rec, &why));
    QVERIFY(why.contains(QLatin1String("date")));
    // A huge subject is cut short; wrong types read as empty.
    QJsonObject big{{QStringLiteral("id"), QStringLiteral("x")},
                    {QStringLiteral("receivedDateTime"), QStringLiteral("2024-05-01T10:20:30.1234567Z")},
                    {QStringLiteral("subject"), QString(100000, QLatin1Char('s'))},
                    {QStringLiteral("from"), 42},
                    {QStringLiteral("toRecipients"), QStringLiteral("not a list")}};
    QVERIFY2(Graph::recordFromJson(big, &rec, &why), qPrintable(why));
    QVERIFY(rec.subject.size() <= 4000);
    QVERIFY(rec.fromAddress.isEmpty());
    QVERIFY(rec.toText.isEmpty());
    QCOMPARE(rec.receivedAt.time().second(), 30);
}

void TestGraphUnits::attachmentsWithoutInlineOnes()
{
    MessageRecord rec;
    rec.size = 100;
    const QJsonArray list = QJsonDocument::fromJson(R"([
        {"@odata.type": "#microsoft.graph.fileAttachment", "id": "A1", "name": "report.pdf", "size": 52100, "contentType": "application/pdf", "isInline": false},
        {"@odata.type": "#microsoft.graph.fileAttachment", "id": "A2", "name": "logo.png", "size": 3000, "contentType": "image/png", "isInline": true},
        {"@odata.type": "#microsoft.graph.itemAttachment", "id": "A3", "name": "", "size": -5, "contentType": null, "isInline": false}
    ])").array();
    Graph::addAttachments(list, &rec);
    QCOMPARE(rec.attachments.size(), 2);
    QCOMPARE(rec.attachments.at(0).fileName, QStringLiteral("report.pdf"));
    QCOMPARE(rec.attachments.at(0).mimeType, QStringLiteral("application/pdf"));
    QCOMPARE(rec.attachments.at(0).size, 52100);
    QVERIFY(!rec.attachments.at(1).fileName.isEmpty());
    QCOMPARE(rec.attachments.at(1).mimeType, QStringLiteral("application/octet-stream"));
    QCOMPARE(rec.attachments.at(1).size, 0);
    QCOMPARE(rec.size, 100 + 52100);
}

void TestGraphUnits::errorCategories()
{
    auto reply = [](int status, const char *code, const QByteArray &retryAfter = {}) {
        Graph::Reply r;
        r.status = status;
        r.body = QByteArray(R"({"error":{"code":")") + code + R"(","message":"Said by Graph.","innerError":{}}})";
        r.retryAfter = retryAfter;
        return r;
    };
    QCOMPARE(Graph::errorFor(reply(401, "InvalidAuthenticationToken")).category, ErrorCategory::AuthExpired);
    const SyncError denied = Graph::errorFor(reply(403, "ErrorAccessDenied"));
    QCOMPARE(denied.category, ErrorCategory::PermissionDenied);
    QVERIFY(denied.message.contains(QLatin1String("Said by Graph.")));
    const SyncError throttled = Graph::errorFor(reply(429, "ApplicationThrottled", "7"));
    QCOMPARE(throttled.category, ErrorCategory::Throttled);
    QCOMPARE(throttled.retryAfterSeconds, 7);
    QCOMPARE(Graph::errorFor(reply(503, "ServiceUnavailable")).category, ErrorCategory::Throttled);
    QCOMPARE(Graph::errorFor(reply(504, "GatewayTimeout")).category, ErrorCategory::Network);
    QCOMPARE(Graph::errorFor(reply(400, "InefficientFilter")).category, ErrorCategory::Protocol);
    QCOMPARE(Graph::errorCode(reply(400, "InefficientFilter")), QStringLiteral("InefficientFilter"));
    QVERIFY(Graph::isRetryable(reply(429, "x")));
    QVERIFY(Graph::isRetryable(reply(503, "x")));
    QVERIFY(!Graph::isRetryable(reply(403, "x")));
    QVERIFY(!Graph::isRetryable(reply(401, "x")));
}

void TestGraphUnits::nextLinksOnlyToTheApiOrigin()
{
    GraphApi api(QUrl(QStringLiteral("https://graph.microsoft.com/v1.0")), nullptr, 1000);
    QVERIFY(api.onApiOrigin(QUrl(QStringLiteral("https://graph.microsoft.com/v1.0/me/messages?$skip=10"))));
    QVERIFY(api.onApiOrigin(QUrl(QStringLiteral("https://GRAPH.microsoft.com:443/v1.0/users/a@b/messages"))));
    QVERIFY(!api.onApiOrigin(QUrl(QStringLiteral("http://graph.microsoft.com/v1.0/me/messages"))));
    QVERIFY(!api.onApiOrigin(QUrl(QStringLiteral("https://graph.microsoft.com.evil.example/v1.0/me"))));
    QVERIFY(!api.onApiOrigin(QUrl(QStringLiteral("https://graph.microsoft.com:8443/v1.0/me"))));
    QVERIFY(!api.onApiOrigin(QUrl(QStringLiteral("https://graph.microsoft.com/beta/me"))));
    QCOMPARE(api.urlFor(QStringLiteral("/me/mailFolders/inbox?$select=id")).toString(),
             QStringLiteral("https://graph.microsoft.com/v1.0/me/mailFolders/inbox?$select=id"));
    // Refused without a request: the answer says where it pointed.
    bool answered = false;
    api.getUrl(QUrl(QStringLiteral("https://attacker.example/v1.0/me")), [&](const Graph::Reply &r) {
        answered = true;
        QCOMPARE(r.status, 0);
        QVERIFY(r.body.contains("attacker.example"));
    });
    QVERIFY(!answered); // never from inside the call
    QTRY_VERIFY(answered);
}

QTEST_GUILESS_MAIN(TestGraphUnits)
#include "tst_graphunits.moc"
