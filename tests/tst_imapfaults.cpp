// A real Dovecot made to misbehave (ImapInjector) or reached over a broken
// link (FaultProxy): what the user sees — the archive by Message-ID, the
// counts on the final progress, the error text — stays right.

#include "archive/archivestore.h"
#include "backfillharness.h"
#include "cliprocess.h"
#include "dovecotserver.h"
#include "faultproxy.h"
#include "imap/imapconnection.h"
#include "imapinjector.h"
#include "testpaths.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace Lookback;
using namespace Lookback::Test;

namespace {

struct Planted
{
    QString messageId;
    QString mailbox; // "INBOX" or "Sent"
    QDateTime internalDate;
    QString subject;
    QString body;
};

// A message of about `bytes` bytes of text that names itself on every line.
QString bodyFor(int n, int bytes)
{
    QString body = QStringLiteral("Message %1 begins.\n").arg(n);
    for (int line = 0; body.size() < bytes; ++line)
        body += QStringLiteral("%1.%2 the archive keeps every word of this line exactly once\n").arg(n).arg(line);
    return body + QStringLiteral("Message %1 ends.\n").arg(n);
}

bool plant(DovecotServer &server, QVector<Planted> &planted, const QString &mailbox, const QDateTime &when, int bytes)
{
    const int n = planted.size();
    Planted p;
    p.messageId = QStringLiteral("f%1.%2@faults.test").arg(n).arg(mailbox.toLower());
    p.mailbox = mailbox;
    p.internalDate = QDateTime::fromSecsSinceEpoch(when.toSecsSinceEpoch(), Qt::UTC); // a Maildir's mtime has seconds
    p.subject = QStringLiteral("Fault test %1").arg(n);
    p.body = bodyFor(n, bytes);
    const bool sent = mailbox == QLatin1String("Sent");
    const QByteArray raw = DovecotServer::makeMessage(
        p.messageId, p.subject, sent ? QStringLiteral("alice@example.org") : QStringLiteral("Bob <bob@example.org>"),
        sent ? QStringLiteral("carol@example.org") : QStringLiteral("alice@example.org"), p.internalDate, p.body);
    QString error;
    if (!server.addMessage(mailbox, raw, p.internalDate, &error)) {
        qWarning() << "addMessage failed:" << error;
        return false;
    }
    planted << p;
    return true;
}

QString normalized(QString text)
{
    return text.replace(QLatin1String("\r\n"), QLatin1String("\n")).trimmed();
}

// How the archive differs from what the server holds in the range: missing,
// extra, twice, wrong folder, date, subject or body. Empty when equal.
QString archiveDiff(const QString &archivePath, const QVector<Planted> &planted, const QDateTime &rangeStart,
                    const QSet<QString> &exclude = {})
{
    QHash<QString, const Planted *> expected;
    for (const Planted &p : planted) {
        if ((!rangeStart.isValid() || p.internalDate >= rangeStart) && !exclude.contains(p.messageId))
            expected.insert(p.messageId, &p);
    }
    ArchiveStore store(archivePath);
    SyncError e;
    if (!store.open(&e))
        return e.message;
    QSqlQuery q(store.database());
    q.exec(QStringLiteral("SELECT m.message_id, m.subject, m.body_text, m.received_at, f.role FROM messages m "
                          "LEFT JOIN locations l ON l.message_row = m.id LEFT JOIN folders f ON f.id = l.folder_id"));
    QStringList problems;
    QHash<QString, int> seen;
    while (q.next()) {
        const QString id = q.value(0).toString();
        if (++seen[id] == 2)
            problems << QStringLiteral("%1 twice").arg(id);
        const Planted *p = expected.value(id);
        if (!p) {
            problems << QStringLiteral("unexpected \"%1\" (subject \"%2\", received %3)")
                            .arg(id, q.value(1).toString(),
                                 QDateTime::fromMSecsSinceEpoch(q.value(3).toLongLong(), Qt::UTC).toString(Qt::ISODate));
            continue;
        }
        const QString role = p->mailbox == QLatin1String("Sent") ? QStringLiteral("sent") : QStringLiteral("inbox");
        if (q.value(4).toString() != role)
            problems << QStringLiteral("%1 in %2").arg(id, q.value(4).toString());
        if (q.value(1).toString() != p->subject)
            problems << QStringLiteral("%1 has subject \"%2\"").arg(id, q.value(1).toString());
        if (q.value(3).toLongLong() != p->internalDate.toMSecsSinceEpoch())
            problems << QStringLiteral("%1 received %2").arg(id).arg(q.value(3).toLongLong());
        if (normalized(q.value(2).toString()) != normalized(p->body))
            problems << QStringLiteral("%1 has a different body (%2 characters)").arg(id).arg(q.value(2).toString().size());
    }
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        if (!seen.contains(it.key()))
            problems << QStringLiteral("%1 missing").arg(it.key());
    }
    problems.sort();
    if (problems.size() > 12)
        problems = problems.mid(0, 12) << QStringLiteral("... %1 more").arg(problems.size() - 12);
    return problems.join(QLatin1String("; "));
}

qint64 countIn(const QVector<Planted> &planted, const QDateTime &rangeStart, const QSet<QString> &exclude = {})
{
    qint64 n = 0;
    for (const Planted &p : planted)
        n += (!rangeStart.isValid() || p.internalDate >= rangeStart) && !exclude.contains(p.messageId) ? 1 : 0;
    return n;
}

QDateTime rangeStartOf(const BackfillHarness &h)
{
    ArchiveStore store(h.archivePath());
    SyncError e;
    BackfillJobRecord job;
    if (!store.open(&e) || !store.latestJob(h.connectionId(), &job))
        return {};
    return job.rangeStart;
}

qint64 scalar(const QString &archivePath, const QString &sql)
{
    ArchiveStore store(archivePath);
    SyncError e;
    if (!store.open(&e))
        return -1;
    QSqlQuery q(store.database());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

// Connects the harness's account to a local port with the given security
// (the certificate stays trusted, for STARTTLS and implicit TLS).
bool routeTo(BackfillHarness &h, quint16 port, const QString &security)
{
    return h.editConnection([&](ConnectionRecord &c) {
        c.port = port;
        c.security = security;
    });
}

// Peak resident memory of this process in kB since the last reset.
qint64 peakRssKb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

bool resetPeakRss()
{
    QFile f(QStringLiteral("/proc/self/clear_refs"));
    return f.open(QIODevice::WriteOnly) && f.write("5") == 1;
}

// An archive in `dir` as lookback-cli keeps it, with one IMAP connection.
bool addCliConnection(const QString &dir, const DovecotServer &server, const QString &name, quint16 port)
{
    ArchiveStore store(ArchiveStore::defaultPath(dir));
    SyncError e;
    ConnectionRecord c = connectionFor(server, name);
    c.port = port;
    return store.open(&e) && store.addConnection(&c, &e);
}

const QByteArray kHostile = "<b>x</b><img src=\"http://tracker.example/pixel.png\">";

} // namespace

class TestImapFaults : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void unsolicitedFetchDuringBackfill_data();
    void unsolicitedFetchDuringBackfill();
    void preauthBeforeStartTlsIsRefusedInPlainText();
    void plaintextAfterStartTlsOk();
    void oneMessageRefusedGmailStyle();
    void refusedMessageNearTheRangeBoundary();
    void oneMessageMalformed_data();
    void oneMessageMalformed();
    void dripEndsAtTheCommandDeadline();
    void idleConnectionIsNotDeclaredDead();
    void floodOfUntaggedResponses_data();
    void floodOfUntaggedResponses();
    void oldStyleSearchOver130000Uids();
    void dropInTheHeaderStepKeepsNoHalfMessage();
    void flakyLinkCompletesExactlyOnce();
    void cliGivesUpAfterSixDropsInARow();
    void cliSaysCannotReachAClosedPort();
    void serverTextArrivesVerbatim_data();
    void serverTextArrivesVerbatim();
    void randomizedRuns();

private:
    HarnessRequest smallRequest(const BackfillHarness &h) const;

    DovecotServer m_small; // INBOX UIDs 1..24, Sent 1..8, a few KB each
    QVector<Planted> m_smallPlanted;
    DovecotServer m_large; // about 4 MB in 60 messages, over 200 days
    QVector<Planted> m_largePlanted;
};

void TestImapFaults::initTestCase()
{
    qRegisterMetaType<Lookback::SyncError>();
    QString error;
    QVERIFY2(m_small.start(&error), qPrintable(error));
    QVERIFY2(m_large.start(&error), qPrintable(error));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < 24; ++i)
        QVERIFY(plant(m_small, m_smallPlanted, QStringLiteral("INBOX"), now.addSecs(-3600 * (48 - i)), 600 + 100 * i));
    for (int i = 0; i < 8; ++i)
        QVERIFY(plant(m_small, m_smallPlanted, QStringLiteral("Sent"), now.addSecs(-3600 * (30 - i) - 60), 800));
    // Oldest first, so UIDs grow with the date as on a real server.
    for (int i = 0; i < 60; ++i) {
        const QString mailbox = i % 4 == 3 ? QStringLiteral("Sent") : QStringLiteral("INBOX");
        QVERIFY(plant(m_large, m_largePlanted, mailbox, now.addSecs(-(200 - 3 * i) * 86400 - 1800), 30000 + (i * 37 % 90) * 1000));
    }
}

HarnessRequest TestImapFaults::smallRequest(const BackfillHarness &h) const
{
    HarnessRequest r = h.request(BackfillRange::everything());
    r.options.pageSize = 5;
    return r;
}

// ---- the server says things unasked ------------------------------------------

void TestImapFaults::unsolicitedFetchDuringBackfill_data()
{
    QTest::addColumn<QByteArrayList>("steps"); // what the FETCH commands ask for
    QTest::addColumn<QByteArray>("unsolicited");
    const QByteArray withUid = "* 1 FETCH (UID 1 FLAGS (\\Seen))\r\n";
    QTest::newRow("header and structure step") << QByteArrayList{"BODYSTRUCTURE"} << withUid;
    QTest::newRow("body step") << QByteArrayList{"BODY.PEEK[1]"} << withUid;
    QTest::newRow("both steps") << QByteArrayList{"BODYSTRUCTURE", "BODY.PEEK[1]"} << withUid;
    QTest::newRow("a UID of the page") << QByteArrayList{"BODYSTRUCTURE", "BODY.PEEK[1]"}
                                       << QByteArray("* 22 FETCH (UID 22 FLAGS (\\Seen \\Flagged))\r\n");
    QTest::newRow("Dovecot's own form, no UID") << QByteArrayList{"BODYSTRUCTURE", "BODY.PEEK[1]"}
                                                << QByteArray("* 1 FETCH (MODSEQ (3) FLAGS (\\Seen))\r\n");
}

void TestImapFaults::unsolicitedFetchDuringBackfill()
{
    QFETCH(QByteArrayList, steps);
    QFETCH(QByteArray, unsolicited);
    ImapInjector injector;
    QString error;
    QVERIFY2(injector.start(m_small.host(), m_small.plainPort(), &error), qPrintable(error));
    QVector<int> rules;
    for (const QByteArray &step : steps)
        rules << injector.insertAtStart({step}, unsolicited);
    BackfillHarness h(m_small);
    QVERIFY2(h.init(&error), qPrintable(error));
    QVERIFY(routeTo(h, injector.port(), QStringLiteral("none")));
    const SyncProgress result = h.run(smallRequest(h));
    for (int rule : rules)
        QVERIFY2(injector.fired(rule) >= 5, "the unsolicited FETCH went out during every page");
    QCOMPARE(backfillStateName(result.state), QStringLiteral("complete"));
    const QString diff = archiveDiff(h.archivePath(), m_smallPlanted, {});
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    QCOMPARE(result.fetched, qint64(m_smallPlanted.size()));
    QCOMPARE(result.estimatedTotal, qint64(m_smallPlanted.size()));
    QCOMPARE(result.unreadable, qint64(0));
    // No message made of a flag update: nothing dated 1970, nothing without a Message-ID.
    QCOMPARE(scalar(h.archivePath(), QStringLiteral("SELECT COUNT(*) FROM messages WHERE received_at < 86400000 "
                                                    "OR message_id IS NULL OR subject IS NULL")), qint64(0));
}

// ---- STARTTLS ------------------------------------------------------------------

void TestImapFaults::preauthBeforeStartTlsIsRefusedInPlainText()
{
    ImapInjector injector;
    QString error;
    QVERIFY2(injector.start(m_small.host(), m_small.plainPort(), &error), qPrintable(error));
    const int rule = injector.setGreeting("* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] Logged in as alice");
    BackfillHarness h(m_small);
    QVERIFY2(h.init(&error), qPrintable(error));
    QVERIFY(routeTo(h, injector.port(), QStringLiteral("starttls")));
    const SyncProgress result = h.run(smallRequest(h));
    QCOMPARE(injector.fired(rule), 1);
    QCOMPARE(backfillStateName(result.state), QStringLiteral("failed"));
    QCOMPARE(result.error.category, ErrorCategory::Tls);
    QVERIFY2(result.error.message.contains(QStringLiteral("skipped the login (PREAUTH) before STARTTLS"))
                 && result.error.message.contains(QStringLiteral("does not continue unencrypted")),
             qPrintable(result.error.message));
    // In plain text the client said nothing after the greeting, at most LOGOUT.
    for (const ImapInjector::ClientLine &line : injector.clientLines())
        QVERIFY2(line.text.toUpper() == "LOGOUT", line.text.constData());
    QCOMPARE(h.archivedCount(), qint64(0));
}

void TestImapFaults::plaintextAfterStartTlsOk()
{
    ImapInjector injector;
    QString error;
    QVERIFY2(injector.start(m_small.host(), m_small.plainPort(), &error), qPrintable(error));
    // What a man in the middle would slip in: a capability list, and an
    // answer to the login that has not been sent yet.
    const int rule = injector.injectAfterStartTls("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA2 OK [CAPABILITY IMAP4rev1] Logged in\r\n");
    BackfillHarness h(m_small);
    QVERIFY2(h.init(&error), qPrintable(error));
    QVERIFY(routeTo(h, injector.port(), QStringLiteral("starttls")));
    const SyncProgress result = h.run(smallRequest(h));
    QCOMPARE(injector.fired(rule), 1);
    QCOMPARE(backfillStateName(result.state), QStringLiteral("failed"));
    QCOMPARE(result.error.category, ErrorCategory::Tls);
    QVERIFY2(result.error.message.contains(QStringLiteral("sent unencrypted data after agreeing to STARTTLS")),
             qPrintable(result.error.message));
    QCOMPARE(h.archivedCount(), qint64(0));
    const QList<ImapInjector::ClientLine> lines = injector.clientLines();
    QCOMPARE(lines.size(), 1);
    QCOMPARE(lines.first().text, QByteArray("STARTTLS"));
}

// ---- one message the server will not give -------------------------------------

void TestImapFaults::oneMessageRefusedGmailStyle()
{
    ImapInjector injector;
    QString error;
    QVERIFY2(injector.start(m_small.host(), m_small.plainPort(), &error), qPrintable(error));
    const quint32 refusedUid = 7;
    const Planted &refused = m_smallPlanted.at(refusedUid - 1);
    const int rule = injector.refuseFetch(QStringLiteral("INBOX"), refusedUid);
    BackfillHarness h(m_small);
    QVERIFY2(h.init(&error), qPrintable(error));
    QVERIFY(routeTo(h, injector.port(), QStringLiteral("none")));
    HarnessRequest request = smallRequest(h);
    request.options.pageSize = 10;

    const SyncProgress first = h.run(request);
    QVERIFY(injector.fired(rule) >= 2); // in its page, then alone
    QCOMPARE(backfillStateName(first.state), QStringLiteral("complete"));
    const qint64 total = m_smallPlanted.size();
    QCOMPARE(first.fetched, total - 1);
    QCOMPARE(first.unreadable, qint64(1));
    QVERIFY2(first.message.contains(QStringLiteral("1 message could not be read")), qPrintable(first.message));
    QString diff = archiveDiff(h.archivePath(), m_smallPlanted, {}, {refused.messageId});
    QVERIFY2(diff.isEmpty(), qPrintable(diff));

    // lookback-cli reads the same archive.
    const QString dataDir = QFileInfo(h.archivePath()).absolutePath();
    const CliResult status = runCli({QStringLiteral("--data-dir"), dataDir, QStringLiteral("status"), QStringLiteral("--json")});
    QCOMPARE(status.exitCode, 0);
    const QJsonObject conn = QJsonDocument::fromJson(status.out.toUtf8()).array().first().toObject();
    QCOMPARE(conn.value(QStringLiteral("unreadableCount")).toInt(), 1);
    QCOMPARE(conn.value(QStringLiteral("backfill")).toObject().value(QStringLiteral("unreadable")).toInt(), 1);
    const QJsonObject row = conn.value(QStringLiteral("unreadable")).toArray().first().toObject();
    QCOMPARE(row.value(QStringLiteral("folder")).toString(), QStringLiteral("inbox"));
    QVERIFY2(row.value(QStringLiteral("id")).toString().endsWith(QStringLiteral("/%1").arg(refusedUid)), qPrintable(status.out));
    QVERIFY2(row.value(QStringLiteral("reason")).toString().contains(QStringLiteral("Some messages could not be FETCHed (Failure)")),
             qPrintable(status.out));

    // Running again is not stuck on it: tried once more, recorded again, the job completes.
    const SyncProgress second = h.run(request);
    QCOMPARE(backfillStateName(second.state), QStringLiteral("complete"));
    QCOMPARE(second.fetched, qint64(0));
    QCOMPARE(second.unreadable, qint64(1));
    QCOMPARE(scalar(h.archivePath(), QStringLiteral("SELECT attempts FROM message_failures")), qint64(2));
    const SyncProgress catchUp = h.run(h.catchUp());
    QCOMPARE(backfillStateName(catchUp.state), QStringLiteral("complete"));
    QVERIFY2(catchUp.message.startsWith(QStringLiteral("Up to date")), qPrintable(catchUp.message));

    // The server gives it at last: the next run archives it, and nothing is missing.
    injector.clearRules();
    const SyncProgress third = h.run(request);
    QCOMPARE(backfillStateName(third.state), QStringLiteral("complete"));
    QCOMPARE(third.fetched, qint64(1));
    QCOMPARE(third.unreadable, qint64(0));
    diff = archiveDiff(h.archivePath(), m_smallPlanted, {});
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    QCOMPARE(scalar(h.archivePath(), QStringLiteral("SELECT COUNT(*) FROM message_failures")), qint64(0));
}

void TestImapFaults::refusedMessageNearTheRangeBoundary()
{
    // A range of two days: the plan checks the exact date of every message
    // near its start, one of which the server refuses to show.
    ImapInjector injector;
    QString error;
    QVERIFY2(injector.start(m_small.host(), m_small.plainPort(), &error), qPrintable(error));
    const quint32 refusedUid = 7;
    const Planted &refused = m_smallPlanted.at(refusedUid - 1);
    const int rule = injector.refuseFetch(QStringLiteral("INBOX"), refusedUid);
    BackfillHarness h(m_small);
    QVERIFY2(h.init(&error), qPrintable(error));
    QVERIFY(routeTo(h, injector.port(), QStringLiteral("none")));
    HarnessRequest request = h.request(BackfillRange{2});
    request.options.pageSize = 10;
    const SyncProgress result = h.run(request);
    bool dateChecked = false;
    for (const ImapInjector::ClientLine &line : injector.clientLines())
        dateChecked |= line.text.startsWith("UID FETCH") && line.text.endsWith("(UID INTERNALDATE)");
    QVERIFY2(dateChecked, "the plan asked for the dates near the range start");
    QVERIFY(injector.fired(rule) >= 1);
    QCOMPARE(backfillStateName(result.state), QStringLiteral("complete"));
    const QDateTime rangeStart = rangeStartOf(h);
    QVERIFY(refused.internalDate >= rangeStart);
    QCOMPARE(result.fetched, countIn(m_smallPlanted, rangeStart) - 1);
    QCOMPARE(result.unreadable, qint64(1));
    const QString diff = archiveDiff(h.archivePath(), m_smallPlanted, rangeStart, {refused.messageId});
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
}

void TestImapFaults::oneMessageMalformed_data()
{
    QTest::addColumn<int>("how");
    QTest::newRow("RFC822.SIZE not a number") << int(ImapInjector::Corruption::BadSize);
    QTest::newRow("BODYSTRUCTURE not a list") << int(ImapInjector::Corruption::BadBodyStructure);
    QTest::newRow("BODYSTRUCTURE missing") << int(ImapInjector::Corruption::NoBodyStructure);
    QTest::newRow("unbalanced parenthesis") << int(ImapInjector::Corruption::BrokenSyntax);
}

void TestImapFaults::oneMessageMalformed()
{
    QFETCH(int, how);
    ImapInjector injector;
    QString error;
    QVERIFY2(injector.start(m_small.host(), m_small.plainPort(), &error), qPrintable(error));
    const quint32 badUid = 13;
    const Planted &bad = m_smallPlanted.at(badUid - 1);
    const int rule = injector.corruptFetch(QStringLiteral("INBOX"), badUid, ImapInjector::Corruption(how));
    BackfillHarness h(m_small);
    QVERIFY2(h.init(&error), qPrintable(error));
    QVERIFY(routeTo(h, injector.port(), QStringLiteral("none")));
    HarnessRequest request = smallRequest(h);
    request.options.pageSize = 8;

    const SyncProgress first = h.run(request);
    QVERIFY(injector.fired(rule) >= 1);
    QCOMPARE(backfillStateName(first.state), QStringLiteral("complete"));
    QCOMPARE(first.fetched, qint64(m_smallPlanted.size() - 1));
    QCOMPARE(first.unreadable, qint64(1));
    QString diff = archiveDiff(h.archivePath(), m_smallPlanted, {}, {bad.messageId});
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    ArchiveStore store(h.archivePath());
    SyncError e;
    QVERIFY(store.open(&e));
    const auto failures = store.failures(h.connectionId());
    QCOMPARE(failures.size(), 1);
    QVERIFY2(failures.first().providerId.endsWith(QStringLiteral("/%1").arg(badUid)), qPrintable(failures.first().providerId));
    QVERIFY(!failures.first().reason.isEmpty());
    qInfo() << "recorded as:" << failures.first().reason;

    // Not skipped silently: once the server sends it whole, the next run archives it.
    injector.clearRules();
    const SyncProgress second = h.run(request);
    QCOMPARE(backfillStateName(second.state), QStringLiteral("complete"));
    QCOMPARE(second.fetched, qint64(1));
    diff = archiveDiff(h.archivePath(), m_smallPlanted, {});
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    QCOMPARE(store.failureCount(h.connectionId()), qint64(0));
}

// ---- slow, silent and flooding servers ----------------------------------------

void TestImapFaults::dripEndsAtTheCommandDeadline()
{
    ImapInjector injector;
    QString error;
    QVERIFY2(injector.start(m_small.host(), m_small.plainPort(), &error), qPrintable(error));
    injector.drip({"BODYSTRUCTURE"}, 1000); // a byte a second: never silent for timeoutMs (2.5 s), with room for late timers
    BackfillHarness h(m_small);
    QVERIFY2(h.init(&error), qPrintable(error));
    QVERIFY(routeTo(h, injector.port(), QStringLiteral("none")));
    HarnessRequest request = smallRequest(h);
    request.options.pageSize = 2;
    request.options.timeoutMs = 2500;
    request.options.maxAttemptsWithoutProgress = 1;
    QElapsedTimer t;
    t.start();
    const SyncProgress result = h.run(request, {}, 60000);
    const qint64 ms = t.elapsed();
    QCOMPARE(backfillStateName(result.state), QStringLiteral("failed"));
    QCOMPARE(result.error.category, ErrorCategory::Network);
    QVERIFY2(result.error.message.contains(QStringLiteral("is answering too slowly")), qPrintable(result.error.message));
    // 2 x 2.5 s plus two messages' headers (16 KB) at 8 KB/s: about 7 s, not a hang.
    QVERIFY2(ms > 6000 && ms < 20000, qPrintable(QString::number(ms)));
    QCOMPARE(h.archivedCount(), qint64(0));
}

void TestImapFaults::idleConnectionIsNotDeclaredDead()
{
    ImapInjector injector;
    QString error;
    QVERIFY2(injector.start(m_small.host(), m_small.plainPort(), &error), qPrintable(error));
    ImapSettings s;
    s.host = m_small.host();
    s.port = injector.port();
    s.security = Security::None;
    s.username = m_small.user();
    s.password = m_small.password();
    s.timeoutMs = 1000;
    ImapConnection connection;
    QSignalSpy ready(&connection, &ImapConnection::ready);
    QSignalSpy failed(&connection, &ImapConnection::failed);
    auto noop = [&connection](const QByteArray &command) {
        bool ok = false, answered = false;
        connection.command(command, [&](const ImapConnection::Result &r) {
            ok = r.ok();
            answered = true;
        });
        return QTest::qWaitFor([&] { return answered; }, 10000) && ok;
    };
    connection.open(s);
    QVERIFY(ready.wait(5000));
    // Idle three times as long as the timeout, right after the login and
    // after a command: nothing is pending, so silence is fine.
    QTest::qWait(3000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().value<SyncError>().message));
    QVERIFY(noop("NOOP"));
    QTest::qWait(3000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().value<SyncError>().message));
    QVERIFY(noop("NOOP"));

    // The same silence while a command waits is a dead connection.
    injector.drip({"CAPABILITY"}, 60000);
    QElapsedTimer t;
    t.start();
    QVERIFY(!noop("CAPABILITY"));
    QCOMPARE(failed.count(), 1);
    const SyncError e = failed.first().first().value<SyncError>();
    QVERIFY2(e.message.contains(QStringLiteral("stopped answering")), qPrintable(e.message));
    QVERIFY2(t.elapsed() < 3000, qPrintable(QString::number(t.elapsed())));
}

void TestImapFaults::floodOfUntaggedResponses_data()
{
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<QString>("expected");
    // SELECT's answers are collected; a page's FETCH answers are streamed.
    QTest::newRow("collected (SELECT)") << QByteArray("SELECT") << QStringLiteral("sent more than 10000 responses to one command");
    QTest::newRow("streamed (FETCH)") << QByteArray("BODYSTRUCTURE") << QStringLiteral("responses to one command");
}

void TestImapFaults::floodOfUntaggedResponses()
{
    QFETCH(QByteArray, command);
    QFETCH(QString, expected);
    ImapInjector injector;
    QString error;
    QVERIFY2(injector.start(m_small.host(), m_small.plainPort(), &error), qPrintable(error));
    const qint64 floodLines = 20 * 1000 * 1000; // 660 MB, were it all read
    injector.flood({command}, "* 1 FETCH (UID 1 FLAGS (\\Seen))", floodLines);
    BackfillHarness h(m_small);
    QVERIFY2(h.init(&error), qPrintable(error));
    QVERIFY(routeTo(h, injector.port(), QStringLiteral("none")));
    const bool reset = resetPeakRss();
    const qint64 peakBefore = peakRssKb();
    const SyncProgress result = h.run(smallRequest(h));
    const qint64 peakAfter = peakRssKb();
    QCOMPARE(backfillStateName(result.state), QStringLiteral("failed"));
    QCOMPARE(result.error.category, ErrorCategory::Protocol);
    QVERIFY2(result.error.message.contains(expected), qPrintable(result.error.message));
    QCOMPARE(h.archivedCount(), qint64(0));
    // The client stopped reading at the limit, on each of its attempts.
    QVERIFY2(injector.floodLinesDelivered() < floodLines / 5, qPrintable(QString::number(injector.floodLinesDelivered())));
    qInfo() << "peak RSS" << peakBefore << "->" << peakAfter << "kB" << (reset ? "(peak reset before the run)" : "");
    QVERIFY2(peakAfter - peakBefore < 150 * 1024, qPrintable(QStringLiteral("%1 -> %2 kB").arg(peakBefore).arg(peakAfter)));
}

void TestImapFaults::oldStyleSearchOver130000Uids()
{
    // A folder of 130,000 messages on a server without ESEARCH: the count and
    // the UIDs come from the injector, the rest from Dovecot.
    ImapInjector injector;
    QString error;
    QVERIFY2(injector.start(m_small.host(), m_small.plainPort(), &error), qPrintable(error));
    injector.removeCapability("ESEARCH");
    injector.rewrite({"SELECT", QStringLiteral("INBOX")}, QRegularExpression(QStringLiteral("^\\* \\d+ EXISTS"),
                                                                               QRegularExpression::MultilineOption),
                     "* 130000 EXISTS");
    injector.rewrite({"SELECT", QStringLiteral("INBOX")}, QRegularExpression(QStringLiteral("\\[UIDNEXT \\d+\\]")),
                     "[UIDNEXT 10130001]");
    QVector<quint32> uids;
    for (quint32 i = 0; i < 130000; ++i)
        uids << 10000001 + i; // nine bytes each: the line is 1.1 MiB
    const int search = injector.answerSearch({"UID SEARCH UID 1:", QStringLiteral("INBOX")}, uids);
    BackfillHarness h(m_small);
    QVERIFY2(h.init(&error), qPrintable(error));
    QVERIFY(routeTo(h, injector.port(), QStringLiteral("none")));
    qint64 planned = -1;
    const SyncProgress result = h.run(smallRequest(h), [&](SyncService &service, const SyncProgress &p) {
        if (planned < 0 && p.estimatedTotal >= 0) {
            planned = p.estimatedTotal;
            service.cancel(p.connectionId); // the plan is what this test is about
        }
    });
    QCOMPARE(injector.fired(search), 1);
    QVERIFY(injector.longestLineDelivered() > 1024 * 1024);
    bool plainSearch = false;
    for (const ImapInjector::ClientLine &line : injector.clientLines()) {
        if (!line.text.startsWith("UID SEARCH"))
            continue;
        QVERIFY2(!line.text.contains("RETURN"), line.text.constData()); // no ESEARCH syntax was used
        plainSearch |= line.text.startsWith("UID SEARCH UID 1:10130000");
    }
    QVERIFY(plainSearch);
    QVERIFY2(!result.error.isError() || result.error.category != ErrorCategory::Protocol, qPrintable(result.error.message));
    QCOMPARE(backfillStateName(result.state), QStringLiteral("cancelled"));
    QCOMPARE(planned, qint64(130000 + 8)); // and Sent's 8
}

// ---- a link that breaks ----------------------------------------------------------

void TestImapFaults::dropInTheHeaderStepKeepsNoHalfMessage()
{
    // Where the first page's structure and headers arrive on the wire: a
    // clean run through the injector (plain text, so bytes are comparable).
    ImapInjector recorder;
    QString error;
    QVERIFY2(recorder.start(m_small.host(), m_small.plainPort(), &error), qPrintable(error));
    {
        BackfillHarness dry(m_small);
        QVERIFY2(dry.init(&error), qPrintable(error));
        QVERIFY(routeTo(dry, recorder.port(), QStringLiteral("none")));
        QCOMPARE(backfillStateName(dry.run(smallRequest(dry)).state), QStringLiteral("complete"));
    }
    const QByteArray wire = recorder.toClient(0);
    qsizetype third = -1;
    for (int i = 0, from = 0; i < 3; ++i) {
        third = wire.indexOf(" BODYSTRUCTURE (", from);
        QVERIFY(third > 0);
        from = int(third) + 1;
    }
    // The first connection breaks inside the page's third header answer, after two whole ones.
    FaultProxy proxy;
    QVERIFY2(proxy.start(m_small.host(), m_small.plainPort(), &error), qPrintable(error));
    proxy.setPlans({{{FaultProxy::Fault::Drop, third}}});
    BackfillHarness h(m_small);
    QVERIFY2(h.init(&error), qPrintable(error));
    QVERIFY(routeTo(h, proxy.port(), QStringLiteral("none")));
    const SyncProgress result = h.run(smallRequest(h));
    QCOMPARE(proxy.faultsApplied(), 1);
    QCOMPARE(backfillStateName(result.state), QStringLiteral("complete"));
    // Two messages had their headers and structure, not yet their text: none is stored half.
    const QString diff = archiveDiff(h.archivePath(), m_smallPlanted, {});
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    QCOMPARE(result.fetched, qint64(m_smallPlanted.size()));
}

void TestImapFaults::flakyLinkCompletesExactlyOnce()
{
    FaultProxy proxy;
    QString error;
    QVERIFY2(proxy.start(m_large.host(), m_large.tlsPort(), &error), qPrintable(error));
    proxy.setEveryConnection({{FaultProxy::Fault::Drop, 700 * 1024}});
    BackfillHarness h(m_large);
    QVERIFY2(h.init(&error), qPrintable(error));
    QVERIFY(routeTo(h, proxy.port(), QStringLiteral("tls")));
    // The desktop program's way: keep trying while attempts store something.
    HarnessRequest request = h.request(BackfillRange::everything());
    request.options.maxAttemptsWithoutProgress = -1;
    request.options.retryFirstConnect = true;
    request.options.retryBaseMs = 20;
    request.options.retryCapMs = 200;
    QElapsedTimer t;
    t.start();
    const SyncProgress result = h.run(request, {}, 120000);
    qInfo() << proxy.connections() << "connections," << proxy.faultsApplied() << "dropped," << proxy.bytesToClient() / 1024
            << "KB in" << t.elapsed() << "ms";
    QCOMPARE(backfillStateName(result.state), QStringLiteral("complete"));
    const QString diff = archiveDiff(h.archivePath(), m_largePlanted, {});
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    QCOMPARE(result.fetched, qint64(m_largePlanted.size()));
    QVERIFY2(proxy.faultsApplied() >= 4, "the link really broke, again and again");
}

void TestImapFaults::cliGivesUpAfterSixDropsInARow()
{
    // Every connection breaks after 20 KB, before any message is whole.
    FaultProxy proxy;
    QString error;
    QVERIFY2(proxy.start(m_large.host(), m_large.tlsPort(), &error), qPrintable(error));
    proxy.setEveryConnection({{FaultProxy::Fault::Drop, 20 * 1024}});
    QTemporaryDir dir;
    QVERIFY(addCliConnection(dir.path(), m_large, QStringLiteral("flaky"), proxy.port()));
    const CliResult r = runCli({QStringLiteral("--data-dir"), dir.path(), QStringLiteral("backfill"), QStringLiteral("flaky"),
                             QStringLiteral("--range"), QStringLiteral("all"), QStringLiteral("--password-stdin")},
                            m_large.password().toUtf8() + '\n');
    qInfo() << "lookback-cli took" << r.ms << "ms";
    QCOMPARE(r.exitCode, 1);
    const QString last = r.err.trimmed().split(QLatin1Char('\n')).last();
    static const QRegularExpression expected(
        QStringLiteral("^lookback-cli: The connection to 127\\.0\\.0\\.1 dropped after \\d+ KB.*, 6 times in a row$"));
    QStringList perConnection;
    for (const FaultProxy::ConnectionStats &s : proxy.connectionStats())
        perConnection << QString::number(s.toClient);
    QVERIFY2(expected.match(last).hasMatch(), qPrintable(r.err));
    QVERIFY2(proxy.connections() == 6, qPrintable(perConnection.join(QLatin1Char(' ')) + QLatin1Char('\n') + r.err));
    QCOMPARE(scalar(ArchiveStore::defaultPath(dir.path()), QStringLiteral("SELECT COUNT(*) FROM messages")), qint64(0));
}

void TestImapFaults::cliSaysCannotReachAClosedPort()
{
    FaultProxy proxy;
    QString error;
    QVERIFY2(proxy.start(m_large.host(), m_large.tlsPort(), &error), qPrintable(error));
    const quint16 port = proxy.port();
    proxy.stop(); // nothing listens there any more
    QTemporaryDir dir;
    QVERIFY(addCliConnection(dir.path(), m_large, QStringLiteral("closed"), port));
    const CliResult r = runCli({QStringLiteral("--data-dir"), dir.path(), QStringLiteral("backfill"), QStringLiteral("closed"),
                             QStringLiteral("--range"), QStringLiteral("all"), QStringLiteral("--password-stdin")},
                            m_large.password().toUtf8() + '\n');
    QCOMPARE(r.exitCode, 1);
    const QString last = r.err.trimmed().split(QLatin1Char('\n')).last();
    QVERIFY2(last.startsWith(QStringLiteral("lookback-cli: Cannot reach 127.0.0.1 port %1: ").arg(port)), qPrintable(r.err));
    QVERIFY2(!last.contains(QStringLiteral("dropped")), qPrintable(last));
    QVERIFY2(r.ms < 15000, qPrintable(QString::number(r.ms)));
}

// ---- what the server says, the user reads as it was said ------------------------

void TestImapFaults::serverTextArrivesVerbatim_data()
{
    QTest::addColumn<QString>("where");
    QTest::newRow("NO to SELECT") << QStringLiteral("select");
    QTest::newRow("NO to the login") << QStringLiteral("login");
    QTest::newRow("BYE during a FETCH") << QStringLiteral("bye");
}

void TestImapFaults::serverTextArrivesVerbatim()
{
    QFETCH(QString, where);
    ImapInjector injector;
    QString error;
    QVERIFY2(injector.start(m_small.host(), m_small.plainPort(), &error), qPrintable(error));
    if (where == QLatin1String("select"))
        injector.replaceTagged({"SELECT", QStringLiteral("INBOX")}, "NO " + kHostile);
    else if (where == QLatin1String("login"))
        injector.replaceTagged({"AUTHENTICATE"}, "NO [AUTHENTICATIONFAILED] " + kHostile);
    else
        injector.insertAtStart({"BODYSTRUCTURE"}, "* BYE " + kHostile + "\r\n");
    BackfillHarness h(m_small);
    QVERIFY2(h.init(&error), qPrintable(error));
    QVERIFY(routeTo(h, injector.port(), QStringLiteral("none")));
    const SyncProgress result = h.run(smallRequest(h));
    QCOMPARE(backfillStateName(result.state), QStringLiteral("failed"));
    QVERIFY2(result.error.message.contains(QString::fromLatin1(kHostile)), qPrintable(result.error.message));
    QVERIFY2(result.message.contains(QString::fromLatin1(kHostile)), qPrintable(result.message));
    QVERIFY(!result.error.message.contains(m_small.password()));
    qInfo() << result.error.message;
}

// ---- random faults ------------------------------------------------------------------

void TestImapFaults::randomizedRuns()
{
    const bool longForm = qEnvironmentVariableIntValue("LOOKBACK_LONG") == 1;
    const int runs = longForm ? 100 : 10;
    const quint32 base = qEnvironmentVariableIsSet("LOOKBACK_SEED") ? qEnvironmentVariable("LOOKBACK_SEED").toUInt()
                                                                    : QRandomGenerator::global()->generate();
    qInfo() << runs << "runs from seed" << base << "(LOOKBACK_SEED=" << base << "repeats them)";
    FaultProxy::RandomSpec spec;
    spec.faultChance = 0.75;
    spec.minByte = 1; // from inside the TLS handshake ...
    spec.maxByte = 300 * 1024; // ... to well into a page
    spec.maxStallMs = 2500;   // some shorter than the timeout, some longer
    QElapsedTimer total;
    total.start();
    for (int run = 0; run < runs; ++run) {
        const quint32 seed = base + quint32(run);
        QRandomGenerator g(seed);
        const int days = QVector<int>{30, 90, -1}.at(int(g.bounded(3)));
        const int pageSize = QVector<int>{3, 20, 500}.at(int(g.bounded(3)));
        FaultProxy proxy;
        QString error;
        QVERIFY2(proxy.start(m_large.host(), m_large.tlsPort(), &error), qPrintable(error));
        proxy.setRandom(seed, spec);
        BackfillHarness h(m_large);
        QVERIFY2(h.init(&error), qPrintable(error));
        QVERIFY(routeTo(h, proxy.port(), QStringLiteral("tls")));
        HarnessRequest request = h.request(days < 0 ? BackfillRange::everything() : BackfillRange{days});
        request.options.pageSize = pageSize;
        request.options.maxAttemptsWithoutProgress = -1;
        request.options.retryFirstConnect = true;
        request.options.retryBaseMs = 10;
        request.options.retryCapMs = 100;
        request.options.timeoutMs = 1500;
        QElapsedTimer t;
        t.start();
        const SyncProgress result = h.run(request, {}, 90000);
        const QDateTime rangeStart = rangeStartOf(h);
        const QString diff = archiveDiff(h.archivePath(), m_largePlanted, rangeStart);
        QStringList plans;
        for (const FaultProxy::ConnectionStats &s : proxy.connectionStats())
            plans << (s.plan.isEmpty() ? QStringLiteral("-") : s.plan);
        const QString what = QStringLiteral("run %1 seed %2 (LOOKBACK_SEED=%3), range %4 days, pages of %5, %6 connections [%7], "
                                            "%8 ms: %9 — %10")
                                 .arg(run).arg(seed).arg(base).arg(days).arg(pageSize).arg(proxy.connections())
                                 .arg(plans.mid(0, 30).join(QLatin1Char(' '))).arg(t.elapsed())
                                 .arg(backfillStateName(result.state), result.message);
        QVERIFY2(result.state == BackfillState::Complete, qPrintable(what));
        QVERIFY2(diff.isEmpty(), qPrintable(what + QStringLiteral("\n") + diff));
        QVERIFY2(result.fetched == countIn(m_largePlanted, rangeStart), qPrintable(what));
        QVERIFY2(result.unreadable == 0, qPrintable(what));
        if (longForm || run < 3)
            qInfo().noquote() << what;
    }
    qInfo() << runs << "runs in" << total.elapsed() << "ms";
}

QTEST_GUILESS_MAIN(TestImapFaults)
#include "tst_imapfaults.moc"
