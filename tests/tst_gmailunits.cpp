// The Gmail API's shapes as the client reads them (PROVIDERS.md 2): message
// resources into archive records by the one part rule, batch answers, errors,
// range queries and cursors. Against hand-written JSON in Google's exact form.

#include "gmail/gmailapi.h"
#include "gmail/gmailmessage.h"
#include "gmail/gmailsource.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace Lookback;

namespace {

QString b64url(const QByteArray &data)
{
    return QString::fromLatin1(data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QJsonObject header(const QString &name, const QString &value)
{
    return QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("value"), value}};
}

QJsonObject leaf(const QString &partId, const QString &mimeType, const QByteArray &content, const QString &contentType,
                 const QString &filename = {}, const QString &disposition = {})
{
    QJsonArray headers{header(QStringLiteral("Content-Type"), contentType)};
    if (!disposition.isEmpty())
        headers << header(QStringLiteral("Content-Disposition"), disposition);
    QJsonObject body{{QStringLiteral("size"), content.size()}};
    if (filename.isEmpty())
        body.insert(QStringLiteral("data"), b64url(content));
    else
        body.insert(QStringLiteral("attachmentId"), QStringLiteral("ANGjdJ8abc"));
    return QJsonObject{{QStringLiteral("partId"), partId}, {QStringLiteral("mimeType"), mimeType},
                       {QStringLiteral("filename"), filename}, {QStringLiteral("headers"), headers},
                       {QStringLiteral("body"), body}};
}

QJsonObject message(const QJsonObject &payload)
{
    return QJsonObject{{QStringLiteral("id"), QStringLiteral("18c2f9a0b1c2d3e4")},
                       {QStringLiteral("threadId"), QStringLiteral("18c2f9a0b1c2d3e0")},
                       {QStringLiteral("labelIds"), QJsonArray{QStringLiteral("INBOX"), QStringLiteral("SENT")}},
                       {QStringLiteral("snippet"), QStringLiteral("ignored")},
                       {QStringLiteral("historyId"), QStringLiteral("123456")},
                       {QStringLiteral("internalDate"), QStringLiteral("1700000000123")},
                       {QStringLiteral("sizeEstimate"), 48213},
                       {QStringLiteral("payload"), payload}};
}

QJsonObject multipartPayload()
{
    const QJsonObject alternative{
        {QStringLiteral("partId"), QStringLiteral("0")},
        {QStringLiteral("mimeType"), QStringLiteral("multipart/alternative")},
        {QStringLiteral("filename"), QString()},
        {QStringLiteral("headers"), QJsonArray{header(QStringLiteral("Content-Type"), QStringLiteral("multipart/alternative; boundary=b2"))}},
        {QStringLiteral("body"), QJsonObject{{QStringLiteral("size"), 0}}},
        {QStringLiteral("parts"), QJsonArray{
            leaf(QStringLiteral("0.0"), QStringLiteral("text/plain"), QByteArray("Gr\xfc\xdf" "e aus K\xf6ln\r\n"),
                 QStringLiteral("text/plain; charset=\"ISO-8859-1\"")),
            leaf(QStringLiteral("0.1"), QStringLiteral("text/html"), QByteArray("<p>Gr\xc3\xbc\xc3\x9f" "e</p>"),
                 QStringLiteral("text/html; charset=UTF-8"))}}};
    return QJsonObject{
        {QStringLiteral("partId"), QString()},
        {QStringLiteral("mimeType"), QStringLiteral("multipart/mixed")},
        {QStringLiteral("filename"), QString()},
        {QStringLiteral("headers"), QJsonArray{
            header(QStringLiteral("From"), QStringLiteral("=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@example.de>")),
            header(QStringLiteral("To"), QStringLiteral("Ann <ann@example.org>, bob@example.org")),
            header(QStringLiteral("Subject"), QStringLiteral("=?ISO-8859-1?Q?Gr=FC=DFe?=")),
            header(QStringLiteral("Date"), QStringLiteral("Tue, 14 Nov 2023 22:13:20 +0000")),
            header(QStringLiteral("Message-ID"), QStringLiteral("<abc@example.de>")),
            header(QStringLiteral("References"), QStringLiteral("<root@example.de> <abc0@example.de>")),
            header(QStringLiteral("Content-Type"), QStringLiteral("multipart/mixed; boundary=b1"))}},
        {QStringLiteral("body"), QJsonObject{{QStringLiteral("size"), 0}}},
        {QStringLiteral("parts"), QJsonArray{
            alternative,
            leaf(QStringLiteral("1"), QStringLiteral("application/pdf"), QByteArray(31337, 'x'),
                 QStringLiteral("application/pdf; name=\"Rechnung.pdf\""), QStringLiteral("Rechnung März.pdf"),
                 QStringLiteral("attachment; filename=\"Rechnung.pdf\""))}}};
}

} // namespace

class TestGmailUnits : public QObject
{
    Q_OBJECT

private slots:
    void fullMessageBecomesARecord();
    void internalDateIsAStringOfMilliseconds();
    void notAMessageIsRefused();
    void inlineNamedTextIsAnAttachment();
    void batchAnswerParsed();
    void batchAnswerWithoutIdsByPosition();
    void batchAnswerWithMissingPartsRefused();
    void batchBodyShape();
    void errorsByStatusAndReason_data();
    void errorsByStatusAndReason();
    void retryAfterForms();
    void rangeQueryUsesEpochSeconds();
    void cursorRoundTrip();
};

void TestGmailUnits::fullMessageBecomesARecord()
{
    MessageRecord rec;
    QString why;
    QVERIFY2(Gmail::recordFromJson(message(multipartPayload()), &rec, &why), qPrintable(why));
    QCOMPARE(rec.providerId, QStringLiteral("gm:18c2f9a0b1c2d3e4"));
    QCOMPARE(rec.threadKey, QStringLiteral("gt:18c2f9a0b1c2d3e0"));
    QCOMPARE(rec.fromName, QStringLiteral("Jürgen Müller"));
    QCOMPARE(rec.fromAddress, QStringLiteral("juergen@example.de"));
    QCOMPARE(rec.toText, QStringLiteral("Ann <ann@example.org>, bob@example.org"));
    QCOMPARE(rec.subject, QStringLiteral("Grüße"));
    QCOMPARE(rec.messageId, QStringLiteral("abc@example.de"));
    QCOMPARE(rec.references, (QStringList{QStringLiteral("root@example.de"), QStringLiteral("abc0@example.de")}));
    QCOMPARE(rec.sentAt, QDateTime(QDate(2023, 11, 14), QTime(22, 13, 20), Qt::UTC));
    QCOMPARE(rec.size, 48213);
    // The ISO-8859-1 plain part decoded by its own charset, the HTML part kept.
    QCOMPARE(rec.bodyText.trimmed(), QStringLiteral("Grüße aus Köln"));
    QCOMPARE(rec.bodyHtml, QStringLiteral("<p>Grüße</p>"));
    QVERIFY(rec.snippet.startsWith(QStringLiteral("Grüße aus Köln")));
    // The attachment from the part tree: Gmail's decoded name, type and size.
    QCOMPARE(rec.attachments.size(), 1);
    QCOMPARE(rec.attachments.first().fileName, QStringLiteral("Rechnung März.pdf"));
    QCOMPARE(rec.attachments.first().mimeType, QStringLiteral("application/pdf"));
    QCOMPARE(rec.attachments.first().size, 31337);
    QCOMPARE(rec.attachments.first().partNumber, QStringLiteral("1"));
}

void TestGmailUnits::internalDateIsAStringOfMilliseconds()
{
    MessageRecord rec;
    QString why;
    QVERIFY(Gmail::recordFromJson(message(multipartPayload()), &rec, &why));
    QCOMPARE(rec.receivedAt.toMSecsSinceEpoch(), 1700000000123);
    QCOMPARE(rec.receivedAt.timeSpec(), Qt::UTC);
    // A number where Google sends a string is not a date Lookback guesses at.
    QJsonObject numeric = message(multipartPayload());
    numeric.insert(QStringLiteral("internalDate"), 1700000000123.0);
    QVERIFY(!Gmail::recordFromJson(numeric, &rec, &why));
    QVERIFY(why.contains(QStringLiteral("date")));
}

void TestGmailUnits::notAMessageIsRefused()
{
    MessageRecord rec;
    QString why;
    QJsonObject noPayload = message(multipartPayload());
    noPayload.remove(QStringLiteral("payload"));
    QVERIFY(!Gmail::recordFromJson(noPayload, &rec, &why));
    QVERIFY(!why.isEmpty());
    QVERIFY(!Gmail::recordFromJson(QJsonObject(), &rec, &why));
}

void TestGmailUnits::inlineNamedTextIsAnAttachment()
{
    // A single-part message whose only part is a named text file: an
    // attachment, not the body (partrule.h), and its content is not read.
    const QJsonObject payload = leaf(QString(), QStringLiteral("text/plain"), QByteArray("diff --git"),
                                     QStringLiteral("text/plain; name=fix.patch"), QStringLiteral("fix.patch"),
                                     QStringLiteral("inline; filename=fix.patch"));
    MessageRecord rec;
    QString why;
    QVERIFY(Gmail::recordFromJson(message(payload), &rec, &why));
    QVERIFY(rec.bodyText.isEmpty());
    QCOMPARE(rec.attachments.size(), 1);
    QCOMPARE(rec.attachments.first().fileName, QStringLiteral("fix.patch"));
}

void TestGmailUnits::batchAnswerParsed()
{
    const QByteArray body =
        "--batch_abc\r\n"
        "Content-Type: application/http\r\n"
        "Content-ID: <response-1>\r\n\r\n"
        "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json; charset=UTF-8\r\nRetry-After: 7\r\n\r\n"
        "{\"error\":{\"code\":429,\"message\":\"Too many concurrent requests for user.\"}}\r\n"
        "--batch_abc\r\n"
        "Content-Type: application/http\r\n"
        "Content-ID: <response-0>\r\n\r\n"
        "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n"
        "{\"id\":\"a1\"}\r\n"
        "--batch_abc--\r\n";
    QVector<Gmail::Reply> replies;
    QString why;
    QVERIFY2(Gmail::parseBatch("multipart/mixed; boundary=batch_abc", body, 2, &replies, &why), qPrintable(why));
    QCOMPARE(replies.size(), 2);
    // Matched by Content-ID, not by position.
    QCOMPARE(replies[0].status, 200);
    QCOMPARE(replies[0].json().value(QStringLiteral("id")).toString(), QStringLiteral("a1"));
    QCOMPARE(replies[1].status, 429);
    QCOMPARE(replies[1].retryAfter, QByteArray("7"));
    QVERIFY(Gmail::isRateLimited(replies[1]));
}

void TestGmailUnits::batchAnswerWithoutIdsByPosition()
{
    const QByteArray body =
        "--xyz\nContent-Type: application/http\n\nHTTP/1.1 404 Not Found\n\n{}\n"
        "--xyz\nContent-Type: application/http\n\nHTTP/1.1 200 OK\n\n{\"id\":\"b\"}\n--xyz--\n";
    QVector<Gmail::Reply> replies;
    QString why;
    QVERIFY2(Gmail::parseBatch("multipart/mixed; boundary=\"xyz\"", body, 2, &replies, &why), qPrintable(why));
    QCOMPARE(replies[0].status, 404);
    QCOMPARE(replies[1].status, 200);
}

void TestGmailUnits::batchAnswerWithMissingPartsRefused()
{
    const QByteArray body = "--b\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\n\r\n{}\r\n--b--\r\n";
    QVector<Gmail::Reply> replies;
    QString why;
    QVERIFY(!Gmail::parseBatch("multipart/mixed; boundary=b", body, 3, &replies, &why));
    QVERIFY(why.contains(QStringLiteral("1")) && why.contains(QStringLiteral("3")));
    QVERIFY(!Gmail::parseBatch("application/json", body, 1, &replies, &why));
}

void TestGmailUnits::batchBodyShape()
{
    const QByteArray body = Gmail::batchBody({QStringLiteral("/gmail/v1/users/me/messages/a?format=full"),
                                              QStringLiteral("/gmail/v1/users/me/messages/b?format=full")},
                                             "bnd");
    QCOMPARE(body.count("--bnd\r\nContent-Type: application/http\r\n"), 2);
    QVERIFY(body.contains("Content-ID: <0>\r\n\r\nGET /gmail/v1/users/me/messages/a?format=full\r\n"));
    QVERIFY(body.contains("Content-ID: <1>"));
    QVERIFY(body.endsWith("--bnd--\r\n"));
}

void TestGmailUnits::errorsByStatusAndReason_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("category");
    QTest::newRow("401") << 401
                         << QByteArray(R"({"error":{"errors":[{"domain":"global","reason":"authError","message":"Invalid Credentials","locationType":"header","location":"Authorization"}],"code":401,"message":"Invalid Credentials"}})")
                         << int(ErrorCategory::AuthExpired);
    QTest::newRow("403 user rate") << 403
                                   << QByteArray(R"({"error":{"errors":[{"domain":"usageLimits","reason":"userRateLimitExceeded","message":"x"}],"code":403}})")
                                   << int(ErrorCategory::Throttled);
    QTest::newRow("403 rate") << 403
                              << QByteArray(R"({"error":{"errors":[{"domain":"usageLimits","reason":"rateLimitExceeded","message":"x"}],"code":403}})")
                              << int(ErrorCategory::Throttled);
    QTest::newRow("403 daily") << 403
                               << QByteArray(R"({"error":{"errors":[{"domain":"usageLimits","reason":"dailyLimitExceeded","message":"x"}],"code":403}})")
                               << int(ErrorCategory::Throttled);
    QTest::newRow("403 permissions") << 403
                                     << QByteArray(R"({"error":{"code":403,"message":"Request had insufficient authentication scopes.","errors":[{"message":"Insufficient Permission","domain":"global","reason":"insufficientPermissions"}],"status":"PERMISSION_DENIED"}})")
                                     << int(ErrorCategory::PermissionDenied);
    QTest::newRow("429") << 429 << QByteArray(R"({"error":{"code":429,"message":"Too many concurrent requests for user."}})")
                         << int(ErrorCategory::Throttled);
    QTest::newRow("503") << 503 << QByteArray("<html>") << int(ErrorCategory::Network);
    QTest::newRow("400") << 400 << QByteArray(R"({"error":{"code":400,"message":"Invalid pageToken"}})")
                         << int(ErrorCategory::Protocol);
}

void TestGmailUnits::errorsByStatusAndReason()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(int, category);
    Gmail::Reply r;
    r.status = status;
    r.body = body;
    const SyncError e = Gmail::errorFor(r);
    QCOMPARE(int(e.category), category);
    QVERIFY(!e.message.isEmpty());
    QVERIFY(!e.message.contains(QLatin1Char('<')));
}

void TestGmailUnits::retryAfterForms()
{
    QCOMPARE(Gmail::retryAfterSeconds("30"), 30);
    QCOMPARE(Gmail::retryAfterSeconds(""), -1);
    QCOMPARE(Gmail::retryAfterSeconds("soon"), -1);
    const QDateTime in90 = QDateTime::currentDateTimeUtc().addSecs(90);
    const int s = Gmail::retryAfterSeconds(in90.toString(Qt::RFC2822Date).toLatin1());
    QVERIFY2(s >= 88 && s <= 90, qPrintable(QString::number(s)));
    Gmail::Reply r;
    r.status = 429;
    r.retryAfter = "12";
    QCOMPARE(Gmail::errorFor(r).retryAfterSeconds, 12);
}

void TestGmailUnits::rangeQueryUsesEpochSeconds()
{
    const QDateTime start = QDateTime::fromSecsSinceEpoch(1388552400, Qt::UTC);
    // One second early; the exact bound is applied to internalDate.
    QCOMPARE(Gmail::rangeQuery(start), QStringLiteral("after:1388552399"));
    QVERIFY(Gmail::rangeQuery(QDateTime()).isEmpty());
    QCOMPARE(Gmail::labelFor(QStringLiteral("inbox")), QStringLiteral("INBOX"));
    QCOMPARE(Gmail::labelFor(QStringLiteral("sent")), QStringLiteral("SENT"));
}

void TestGmailUnits::cursorRoundTrip()
{
    Gmail::Cursor c;
    c.pageToken = QStringLiteral("09876543210/abc+=");
    c.skip = 37;
    c.seen = 1037;
    c.estimate = 8500;
    const Gmail::Cursor back = Gmail::Cursor::parse(c.toJson());
    QCOMPARE(back.pageToken, c.pageToken);
    QCOMPARE(back.skip, 37);
    QCOMPARE(back.seen, 1037);
    QCOMPARE(back.estimate, 8500);
    const Gmail::Cursor empty = Gmail::Cursor::parse(QByteArray());
    QVERIFY(empty.pageToken.isEmpty());
    QCOMPARE(empty.skip, 0);
    QCOMPARE(empty.estimate, -1);
}

QTEST_GUILESS_MAIN(TestGmailUnits)
#include "tst_gmailunits.moc"
