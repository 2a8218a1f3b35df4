// What a message is: its provider id. Nothing a server sends unasked creates or
// shadows a message; a reused Message-ID never drops a different message; copies
// are merged only when their content matches. Against a real Dovecot.

#include "archive/archivestore.h"
#include "backfillharness.h"
#include "dovecotserver.h"

#include <QSqlQuery>
#include <QtTest>

using namespace Lookback;
using namespace Lookback::Test;

namespace {

QByteArray messageWithoutId(const QString &subject, const QDateTime &date, const QString &body)
{
    QByteArray raw = DovecotServer::makeMessage(QStringLiteral("x@x"), subject, QStringLiteral("bob@example.org"),
                                                QStringLiteral("alice@example.org"), date, body);
    // makeMessage always writes a Message-ID: take it out again.
    const qsizetype at = raw.indexOf("Message-ID:");
    if (at >= 0)
        raw.remove(at, raw.indexOf("\r\n", at) + 2 - at);
    return raw;
}

struct Row
{
    QString subject;
    QString body;
    QDateTime received;
};

QVector<Row> rows(const QString &archivePath)
{
    QVector<Row> out;
    ArchiveStore store(archivePath);
    SyncError e;
    if (!store.open(&e))
        return out;
    QSqlQuery q(store.database());
    q.exec(QStringLiteral("SELECT subject, body_text, received_at FROM messages ORDER BY received_at"));
    while (q.next())
        out.append({q.value(0).toString(), q.value(1).toString(),
                    QDateTime::fromMSecsSinceEpoch(q.value(2).toLongLong(), Qt::UTC)});
    return out;
}

} // namespace

class TestMessageIdentity : public QObject
{
    Q_OBJECT

private slots:
    void flagChangeByAnotherClientStoresNothing();
    void reusedMessageIdKeepsBothMessages();
    void copiesWithMatchingContentAreOneRow();
    void uidValidityChangeWithoutMessageIdsDownloadsNothingTwice();
};

void TestMessageIdentity::flagChangeByAnotherClientStoresNothing()
{
    // A phone reads the oldest mail while the backfill runs: Dovecot tells our
    // session with an unsolicited "* n FETCH (MODSEQ (m) FLAGS (\Seen))" during
    // the next command. That is a flag update, not a message. (Servers with
    // QRESYNC enabled add the UID: tst_imapfaults injects that form.)
    DovecotServer server;
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const int count = 400;
    for (int i = 0; i < count; ++i) {
        const QDateTime when = now.addSecs(-3600 * (count - i));
        QVERIFY(server.addMessage(QStringLiteral("INBOX"),
                                  DovecotServer::makeMessage(QStringLiteral("flag%1@lookback.test").arg(i),
                                                             QStringLiteral("Subject %1").arg(i),
                                                             QStringLiteral("bob@example.org"),
                                                             QStringLiteral("alice@example.org"), when,
                                                             QStringLiteral("Body %1\n").arg(i)),
                                  when));
    }
    BackfillHarness h(server);
    QVERIFY2(h.init(&error), qPrintable(error));
    HarnessRequest request = h.request(BackfillRange{30});
    request.options.pageSize = 10; // newest first: UIDs 1-10 come last
    int flagged = 0;
    const SyncProgress result = h.run(request, [&](SyncService &, const SyncProgress &p) {
        // After each of the first pages, the other client reads (and flags) the oldest mail.
        if (p.fetched > 0 && flagged < 3) {
            ++flagged;
            QString e;
            QVERIFY2(server.doveadm({QStringLiteral("flags"), QStringLiteral("add"), QStringLiteral("-u"), server.user(),
                                     flagged == 2 ? QStringLiteral("\\Flagged") : QStringLiteral("\\Seen"),
                                     QStringLiteral("mailbox"), QStringLiteral("INBOX"), QStringLiteral("uid"),
                                     QStringLiteral("1:%1").arg(flagged * 3)},
                                    nullptr, &e),
                     qPrintable(e));
        }
    });
    QCOMPARE(flagged, 3);
    QCOMPARE(backfillStateName(result.state), QStringLiteral("complete"));
    const QVector<Row> archived = rows(h.archivePath());
    QCOMPARE(archived.size(), count);
    for (int i = 0; i < count; ++i) {
        QCOMPARE(archived.at(i).subject, QStringLiteral("Subject %1").arg(i));
        QCOMPARE(archived.at(i).body.trimmed(), QStringLiteral("Body %1").arg(i));
        QVERIFY2(archived.at(i).received.date().year() > 2000, "a message dated 1970 was invented");
    }
    QCOMPARE(result.fetched, qint64(count));
}

void TestMessageIdentity::reusedMessageIdKeepsBothMessages()
{
    // Broken mailers reuse Message-IDs, and anyone can forge one: two different
    // messages that share one are both kept, and the count says so.
    DovecotServer server;
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < 7; ++i) {
        const QDateTime when = now.addDays(-i - 1);
        QVERIFY(server.addMessage(QStringLiteral("INBOX"),
                                  DovecotServer::makeMessage(QStringLiteral("unique%1@lookback.test").arg(i),
                                                             QStringLiteral("Unique %1").arg(i), QStringLiteral("bob@example.org"),
                                                             QStringLiteral("alice@example.org"), when, QStringLiteral("Body\n")),
                                  when));
    }
    const QDateTime d1 = now.addDays(-10), d2 = now.addDays(-11);
    QVERIFY(server.addMessage(QStringLiteral("INBOX"),
                              DovecotServer::makeMessage(QStringLiteral("reused@broken.mailer"), QStringLiteral("Invoice March"),
                                                         QStringLiteral("billing@example.org"), QStringLiteral("alice@example.org"),
                                                         d1, QStringLiteral("Please pay the March invoice.\n")),
                              d1));
    QVERIFY(server.addMessage(QStringLiteral("INBOX"),
                              DovecotServer::makeMessage(QStringLiteral("reused@broken.mailer"), QStringLiteral("Party on Friday"),
                                                         QStringLiteral("carol@example.org"), QStringLiteral("alice@example.org"),
                                                         d2, QStringLiteral("Bring snacks.\n")),
                              d2));
    BackfillHarness h(server);
    QVERIFY2(h.init(&error), qPrintable(error));
    const SyncProgress result = h.run(h.request(BackfillRange{30}));
    QCOMPARE(backfillStateName(result.state), QStringLiteral("complete"));
    QCOMPARE(h.archivedCount(), qint64(9));
    QStringList subjects;
    for (const Row &r : rows(h.archivePath()))
        subjects << r.subject;
    QVERIFY(subjects.contains(QStringLiteral("Invoice March")));
    QVERIFY(subjects.contains(QStringLiteral("Party on Friday")));
    QCOMPARE(result.fetched, qint64(9));
    QVERIFY2(result.message.contains(QStringLiteral("9 messages")), qPrintable(result.message));
}

void TestMessageIdentity::copiesWithMatchingContentAreOneRow()
{
    // The same message in Inbox and Sent (a note to self) is one row in both
    // folders; a different message that merely shares its Message-ID is not merged.
    DovecotServer server;
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    const QDateTime when = QDateTime::currentDateTimeUtc().addDays(-2);
    const QByteArray raw = DovecotServer::makeMessage(QStringLiteral("self@lookback.test"), QStringLiteral("Note to self"),
                                                      QStringLiteral("alice@example.org"), QStringLiteral("alice@example.org"),
                                                      when, QStringLiteral("cc to myself\n"));
    QVERIFY(server.addMessage(QStringLiteral("INBOX"), raw, when));
    QVERIFY(server.addMessage(QStringLiteral("Sent"), raw, when));
    const QByteArray forged = DovecotServer::makeMessage(QStringLiteral("self@lookback.test"), QStringLiteral("Note to self"),
                                                         QStringLiteral("mallory@example.org"), QStringLiteral("alice@example.org"),
                                                         when.addSecs(5), QStringLiteral("a different message\n"));
    QVERIFY(server.addMessage(QStringLiteral("INBOX"), forged, when.addSecs(5)));
    BackfillHarness h(server);
    QVERIFY2(h.init(&error), qPrintable(error));
    QCOMPARE(backfillStateName(h.run(h.request(BackfillRange{30})).state), QStringLiteral("complete"));
    QCOMPARE(h.archivedCount(), qint64(2));
    QCOMPARE(h.archivedCount(QStringLiteral("inbox")), qint64(2));
    QCOMPARE(h.archivedCount(QStringLiteral("sent")), qint64(1));
}

void TestMessageIdentity::uidValidityChangeWithoutMessageIdsDownloadsNothingTwice()
{
    // Mail without a Message-ID (old scripts, some gateways) is matched by its
    // content after the server renumbers a folder: not downloaded or shown twice.
    DovecotServer server;
    QString error;
    server.setRawLogEnabled(true);
    QVERIFY2(server.start(&error), qPrintable(error));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < 12; ++i) {
        const QDateTime when = now.addDays(-i - 1);
        QVERIFY(server.addMessage(QStringLiteral("INBOX"),
                                  messageWithoutId(QStringLiteral("Cron report %1").arg(i), when,
                                                   QStringLiteral("All jobs ran (%1).\n").arg(i)),
                                  when));
    }
    BackfillHarness h(server);
    QVERIFY2(h.init(&error), qPrintable(error));
    HarnessRequest request = h.request(BackfillRange::everything());
    request.options.pageSize = 5;
    QCOMPARE(backfillStateName(h.run(request).state), QStringLiteral("complete"));
    QCOMPARE(h.archivedCount(), qint64(12));

    QVERIFY2(server.bumpUidValidity(QStringLiteral("INBOX"), &error), qPrintable(error));
    server.clearRawLogs();
    QCOMPARE(backfillStateName(h.run(request).state), QStringLiteral("complete"));
    QCOMPARE(h.archivedCount(), qint64(12));
    QCOMPARE(h.archivedCount(QStringLiteral("inbox")), qint64(12));
    QCOMPARE(server.fullFetchCountsByMailboxUid().size(), 0);
}

QTEST_GUILESS_MAIN(TestMessageIdentity)
#include "tst_messageidentity.moc"
