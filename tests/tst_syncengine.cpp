// The sync engine against a scripted source: page boundaries, the writer,
// unreadable messages, bad links, coverage and the full-text index — the
// behaviour every provider gets, tested without a server.

#include "archive/archivestore.h"
#include "backfillharness.h"
#include "scriptedsource.h"
#include "sync/syncservice.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace Lookback;
using namespace Lookback::Test;

namespace {

struct Setup
{
    QTemporaryDir dir;
    QString archive;
    qint64 id = 0;
    std::shared_ptr<ScriptedMailbox> mailbox;
};

// An archive with one scripted connection holding `count` messages, one an hour back from now.
bool makeSetup(Setup *s, const QString &name, int count, int sentEvery = 0)
{
    s->archive = s->dir.filePath(QStringLiteral("archive.sqlite"));
    ArchiveStore store(s->archive);
    SyncError e;
    if (!store.open(&e))
        return false;
    ConnectionRecord c;
    c.name = name;
    c.kind = ProviderKind::Scripted;
    if (!store.addConnection(&c, &e))
        return false;
    s->id = c.id;
    s->mailbox = ScriptedMailbox::get(name);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < count; ++i) {
        const bool sent = sentEvery > 0 && i % sentEvery == 0;
        s->mailbox->add(sent ? QStringLiteral("sent") : QStringLiteral("inbox"), now.addSecs(-3600 * (i + 1)),
                        QStringLiteral("%1 message %2").arg(name).arg(i));
    }
    return true;
}

HarnessRequest requestFor(const Setup &s, const BackfillRange &range, int pageSize)
{
    HarnessRequest r;
    r.range = range;
    r.connectionId = s.id;
    r.options.pageSize = pageSize;
    r.options.retryFirstConnect = false;
    r.options.maxAttemptsWithoutProgress = 3;
    r.options.retryBaseMs = 20;
    r.options.retryCapMs = 100;
    r.options.progressIntervalMs = 0;
    return r;
}

SyncProgress run(const Setup &s, const HarnessRequest &r, const BackfillHarness::OnProgress &onProgress = {})
{
    return BackfillHarness::runAll(s.archive, {r}, onProgress, 60000).value(s.id);
}

qint64 count(const QString &archive, const QString &sql)
{
    ArchiveStore store(archive);
    SyncError e;
    if (!store.open(&e))
        return -1;
    QSqlQuery q(store.database());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

} // namespace

class TestSyncEngine : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void pauseAndResumeLandOnPageBoundaries();
    void aFailedWriteDropsThePagesQueuedBehindIt();
    void unreadableMessagesAreRecordedAndTheFolderGoesOn();
    void aBadLinkKeepsWhatArrivedAndPagesShrink();
    void attemptsThatStoreSomethingKeepGoing();
    void attemptsThatStoreNothingEndTheRunSayingSo();
    void syncNowMakesNoJobAndExtendsCoverage();
    void fullTextIndexSurvivesDeletes();
    void searchIsNewestFirstWithinAndAcrossConnections();
    void archiveConnectionsCloseOnTheirOwnThreads();

private:
    QVector<QString> m_critical;
};

namespace {
QVector<QString> *g_critical = nullptr;
QtMessageHandler g_previous = nullptr;
void captureCritical(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (g_critical && (type == QtCriticalMsg || message.contains(QLatin1String("thread"))))
        g_critical->append(message);
    if (g_previous)
        g_previous(type, context, message);
}
} // namespace

void TestSyncEngine::initTestCase()
{
    ScriptedMailbox::registerProvider();
}

void TestSyncEngine::pauseAndResumeLandOnPageBoundaries()
{
    Setup s;
    QVERIFY(makeSetup(&s, QStringLiteral("pause"), 100, 4));
    bool paused = false, resumed = false;
    qint64 atPause = -1;
    const SyncProgress result = run(s, requestFor(s, BackfillRange::everything(), 10),
                                    [&](SyncService &service, const SyncProgress &p) {
        if (!paused && p.fetched >= 30) {
            paused = true;
            service.pause(p.connectionId);
        }
        if (paused && !resumed && p.state == BackfillState::Paused) {
            resumed = true;
            atPause = p.fetched;
            const int pagesAtPause = s.mailbox->pagesFetched();
            QTimer::singleShot(200, &service, [&service, id = p.connectionId, pagesAtPause, &s] {
                QCOMPARE(s.mailbox->pagesFetched(), pagesAtPause); // nothing moves while paused
                service.resume(id);
            });
        }
    });
    QVERIFY(resumed);
    QCOMPARE(atPause % 10, 0);
    QVERIFY(atPause > 0 && atPause < 100);
    QCOMPARE(result.state, BackfillState::Complete);
    QCOMPARE(result.fetched, qint64(100));
    QCOMPARE(count(s.archive, QStringLiteral("SELECT COUNT(*) FROM messages")), qint64(100));
    for (int n : s.mailbox->deliveries())
        QCOMPARE(n, 1);
}

void TestSyncEngine::aFailedWriteDropsThePagesQueuedBehindIt()
{
    // Page 3 cannot be stored (here a trigger says so, as a full disk would)
    // while pages 4 and 5 wait behind it: their cursors assume page 3 is
    // stored, so they must not be written, and nothing may be counted that
    // is not in the archive.
    Setup s;
    QVERIFY(makeSetup(&s, QStringLiteral("writefail"), 100));
    s.mailbox->setPageDelayMs(0);
    {
        ArchiveStore store(s.archive);
        SyncError e;
        QVERIFY(store.open(&e));
        QSqlQuery q(store.database());
        QVERIFY(q.exec(QStringLiteral("CREATE TRIGGER poison BEFORE INSERT ON messages WHEN NEW.subject = "
                                      "'writefail message 25' BEGIN SELECT RAISE(ABORT, 'the disk is full'); END")));
    }
    const SyncProgress failed = run(s, requestFor(s, BackfillRange::everything(), 10));
    QCOMPARE(failed.state, BackfillState::Failed);
    QVERIFY2(failed.message.contains(QStringLiteral("the disk is full")), qPrintable(failed.message));
    const qint64 stored = count(s.archive, QStringLiteral("SELECT COUNT(*) FROM messages"));
    QCOMPARE(stored, qint64(20)); // pages 1 and 2; nothing after the page that failed
    QCOMPARE(failed.fetched, stored);
    QCOMPARE(count(s.archive, QStringLiteral("SELECT fetched FROM backfill_jobs")), stored);
    QCOMPARE(count(s.archive, QStringLiteral("SELECT SUM(fetched) FROM backfill_cursors")), stored);

    // The disk has room again: the same job resumes at page 3, and ends complete and exact.
    QVERIFY(count(s.archive, QStringLiteral("SELECT COUNT(*) FROM messages")) >= 0);
    {
        ArchiveStore store(s.archive);
        SyncError e;
        QVERIFY(store.open(&e));
        QVERIFY(QSqlQuery(store.database()).exec(QStringLiteral("DROP TRIGGER poison")));
    }
    const SyncProgress resumed = run(s, requestFor(s, BackfillRange::everything(), 10));
    QCOMPARE(resumed.state, BackfillState::Complete);
    QCOMPARE(count(s.archive, QStringLiteral("SELECT COUNT(*) FROM messages")), qint64(100));
    QCOMPARE(count(s.archive, QStringLiteral("SELECT COUNT(*) FROM backfill_jobs")), qint64(1));
    QCOMPARE(resumed.fetched, qint64(100));
}

void TestSyncEngine::unreadableMessagesAreRecordedAndTheFolderGoesOn()
{
    Setup s;
    QVERIFY(makeSetup(&s, QStringLiteral("unreadable"), 30));
    const QVector<ScriptedMailbox::Message> all = s.mailbox->messages();
    for (int i : {3, 14, 27})
        s.mailbox->setUnreadable(all.at(i).providerId, QStringLiteral("Some messages could not be FETCHed (Failure)"));
    const SyncProgress first = run(s, requestFor(s, BackfillRange::everything(), 8));
    QCOMPARE(first.state, BackfillState::Complete);
    QCOMPARE(first.fetched, qint64(27));
    QCOMPARE(first.unreadable, qint64(3));
    QVERIFY2(first.message.contains(QStringLiteral("3 messages could not be read")), qPrintable(first.message));
    QCOMPARE(count(s.archive, QStringLiteral("SELECT COUNT(*) FROM messages")), qint64(27));
    QCOMPARE(count(s.archive, QStringLiteral("SELECT COUNT(*) FROM message_failures WHERE reason LIKE '%FETCHed%'")),
             qint64(3));
    QCOMPARE(count(s.archive, QStringLiteral("SELECT failed FROM sync_runs ORDER BY id DESC LIMIT 1")), qint64(3));
    // A later run tries them again; the server fixed one of them meanwhile.
    s.mailbox->clearUnreadable(all.at(14).providerId);
    const SyncProgress second = run(s, requestFor(s, BackfillRange::everything(), 8));
    QCOMPARE(second.state, BackfillState::Complete);
    QCOMPARE(second.fetched, qint64(1));
    QCOMPARE(count(s.archive, QStringLiteral("SELECT COUNT(*) FROM messages")), qint64(28));
    QCOMPARE(count(s.archive, QStringLiteral("SELECT COUNT(*) FROM message_failures")), qint64(2));
    QCOMPARE(count(s.archive, QStringLiteral("SELECT MIN(attempts) FROM message_failures")), qint64(2));
    QCOMPARE(s.mailbox->deliveries().value(all.at(14).providerId), 1);
}

void TestSyncEngine::aBadLinkKeepsWhatArrivedAndPagesShrink()
{
    // Each of the first five pages delivers a few messages whole, then the
    // connection drops: what arrived is kept, the next page is smaller, and
    // pages grow back once they go through.
    Setup s;
    QVERIFY(makeSetup(&s, QStringLiteral("badlink"), 150));
    for (int page = 1; page <= 5; ++page)
        s.mailbox->addPageFault({page, SyncError::make(ErrorCategory::Network, QStringLiteral("The connection dropped")), 3});
    const SyncProgress result = run(s, requestFor(s, BackfillRange::everything(), 40));
    QCOMPARE(result.state, BackfillState::Complete);
    QCOMPARE(count(s.archive, QStringLiteral("SELECT COUNT(*) FROM messages")), qint64(150));
    QCOMPARE(result.fetched, qint64(150));
    for (int n : s.mailbox->deliveries())
        QCOMPARE(n, 1); // nothing delivered twice: what arrived whole was kept
    const QVector<int> sizes = s.mailbox->pageSizes();
    QCOMPARE(sizes.first(), 40);
    QVERIFY2(sizes.at(1) < sizes.at(0), "the page after a drop is smaller");
    QVERIFY2(*std::min_element(sizes.cbegin(), sizes.cend()) <= 10, "pages shrink while attempts keep failing");
    QCOMPARE(sizes.last(), 40); // and grow back
}

void TestSyncEngine::attemptsThatStoreSomethingKeepGoing()
{
    // Twelve attempts in a row fail, but each stores a message first: the
    // run goes on (three attempts that store nothing would end it).
    Setup s;
    QVERIFY(makeSetup(&s, QStringLiteral("progress"), 40));
    for (int page = 1; page <= 12; ++page)
        s.mailbox->addPageFault({page, SyncError::make(ErrorCategory::Network, QStringLiteral("The connection dropped")), 1});
    const SyncProgress result = run(s, requestFor(s, BackfillRange::everything(), 10));
    QCOMPARE(result.state, BackfillState::Complete);
    QCOMPARE(result.fetched, qint64(40));
    QVERIFY(s.mailbox->opens() >= 12);
}

void TestSyncEngine::attemptsThatStoreNothingEndTheRunSayingSo()
{
    Setup s;
    QVERIFY(makeSetup(&s, QStringLiteral("nothing"), 40));
    for (int page = 1; page <= 20; ++page)
        s.mailbox->addPageFault(
            {page, SyncError::make(ErrorCategory::Network, QStringLiteral("The connection to host dropped after 700 KB")), 0});
    HarnessRequest r = requestFor(s, BackfillRange::everything(), 10);
    r.options.maxAttemptsWithoutProgress = 6;
    const SyncProgress result = run(s, r);
    QCOMPARE(result.state, BackfillState::Failed);
    QCOMPARE(result.health, Health::Offline);
    QCOMPARE(result.message, QStringLiteral("The connection to host dropped after 700 KB, 6 times in a row"));
    QCOMPARE(s.mailbox->opens(), 6);
}

void TestSyncEngine::syncNowMakesNoJobAndExtendsCoverage()
{
    Setup s;
    QVERIFY(makeSetup(&s, QStringLiteral("coverage"), 60, 3));
    const QDateTime before = QDateTime::currentDateTimeUtc();
    QCOMPARE(run(s, requestFor(s, BackfillRange{30}, 20)).state, BackfillState::Complete);
    ArchiveStore store(s.archive);
    SyncError e;
    QVERIFY(store.open(&e));
    BackfillJobRecord job;
    QVERIFY(store.latestJob(s.id, &job));
    const QVector<FolderRecord> folders = store.folders(s.id);
    QCOMPARE(folders.size(), 2);
    QDateTime firstEnd;
    for (const FolderRecord &f : folders) {
        const QVector<CoverageInterval> c = store.coverage(f.id);
        QCOMPARE(c.size(), 1);
        QCOMPARE(c.first().start, job.rangeStart);
        QVERIFY(c.first().end >= before);
        firstEnd = c.first().end;
    }

    QTest::qWait(20);
    HarnessRequest catchUp = requestFor(s, BackfillRange{0}, 20);
    catchUp.kind = TaskKind::CatchUp;
    const SyncProgress now = run(s, catchUp);
    QCOMPARE(now.state, BackfillState::Complete);
    QCOMPARE(now.kind, TaskKind::CatchUp);
    QCOMPARE(now.jobId, qint64(0));
    BackfillJobRecord after;
    QVERIFY(store.latestJob(s.id, &after));
    QCOMPARE(after.id, job.id); // "Sync now" makes no zero-day backfill job
    QCOMPARE(count(s.archive, QStringLiteral("SELECT COUNT(*) FROM backfill_jobs")), qint64(1));
    for (const FolderRecord &f : folders) {
        const QVector<CoverageInterval> c = store.coverage(f.id);
        QCOMPARE(c.size(), 1);
        QCOMPARE(c.first().start, job.rangeStart);
        QVERIFY(c.first().end > firstEnd);
    }
    QCOMPARE(count(s.archive, QStringLiteral("SELECT COUNT(*) FROM sync_runs WHERE kind = 'live'")), qint64(1));

    // Widening the range later fetches only what is missing, and the coverage grows to the new start.
    const SyncProgress wider = run(s, requestFor(s, BackfillRange::everything(), 20));
    QCOMPARE(wider.state, BackfillState::Complete);
    QCOMPARE(count(s.archive, QStringLiteral("SELECT COUNT(*) FROM messages")), qint64(60));
    for (int n : s.mailbox->deliveries())
        QCOMPARE(n, 1);
    for (const FolderRecord &f : folders) {
        const QVector<CoverageInterval> c = store.coverage(f.id);
        QCOMPARE(c.size(), 1);
        QVERIFY(!c.first().start.isValid()); // from the very first message
    }
}

void TestSyncEngine::fullTextIndexSurvivesDeletes()
{
    Setup s;
    QVERIFY(makeSetup(&s, QStringLiteral("fts"), 0));
    s.mailbox->add(QStringLiteral("inbox"), QDateTime::currentDateTimeUtc().addDays(-1), QStringLiteral("Quarterly invoice"),
                   QStringLiteral("Please find the zebra invoice attached."));
    s.mailbox->add(QStringLiteral("inbox"), QDateTime::currentDateTimeUtc().addDays(-2), QStringLiteral("Lunch"),
                   QStringLiteral("Shall we meet for lunch? zebra crossing at noon."));
    QCOMPARE(run(s, requestFor(s, BackfillRange::everything(), 10)).state, BackfillState::Complete);
    ArchiveStore store(s.archive);
    SyncError e;
    QVERIFY(store.open(&e));
    QCOMPARE(store.search(SearchQuery::parse(QStringLiteral("zebra")), 10, 0, &e).size(), 2);
    const QVector<MessageSummary> invoice = store.search(SearchQuery::parse(QStringLiteral("invoice")), 10, 0, &e);
    QCOMPARE(invoice.size(), 1);
    QVERIFY2(store.deleteMessages({invoice.first().id}, &e), qPrintable(e.message));
    QCOMPARE(store.search(SearchQuery::parse(QStringLiteral("invoice")), 10, 0, &e).size(), 0);
    const QVector<MessageSummary> zebra = store.search(SearchQuery::parse(QStringLiteral("zebra")), 10, 0, &e);
    QCOMPARE(zebra.size(), 1);
    QCOMPARE(zebra.first().subject, QStringLiteral("Lunch"));
    QSqlQuery q(store.database());
    // The index agrees with the archive it was built from.
    QVERIFY2(q.exec(QStringLiteral("INSERT INTO message_fts(message_fts, rank) VALUES('integrity-check', 1)")),
             qPrintable(q.lastError().text()));
    QVERIFY(q.exec(QStringLiteral("INSERT INTO message_fts(message_fts) VALUES('rebuild')")));
    QCOMPARE(store.search(SearchQuery::parse(QStringLiteral("zebra")), 10, 0, &e).size(), 1);
    QCOMPARE(count(s.archive, QStringLiteral("SELECT COUNT(*) FROM locations")), qint64(1));
}

// Search walks the date index against the set of full-text matches: across every
// connection and within one (its own index), the newest matches come first, a
// limit keeps the newest, and a date range narrows them.
void TestSyncEngine::searchIsNewestFirstWithinAndAcrossConnections()
{
    Setup s;
    QVERIFY(makeSetup(&s, QStringLiteral("alpha"), 0));
    qint64 beta = 0;
    {
        ArchiveStore store(s.archive);
        SyncError e;
        QVERIFY(store.open(&e));
        ConnectionRecord c;
        c.name = QStringLiteral("beta");
        c.kind = ProviderKind::Scripted;
        QVERIFY2(store.addConnection(&c, &e), qPrintable(e.message));
        beta = c.id;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // alpha every odd hour back, beta every even one; a fifth of each also says "zebra".
    for (int i = 0; i < 40; ++i) {
        const QString word = i % 5 == 0 ? QStringLiteral("zebra report") : QStringLiteral("report");
        ScriptedMailbox::get(QStringLiteral("alpha"))->add(QStringLiteral("inbox"), now.addSecs(-3600 * (2 * i + 1)),
                                                          QStringLiteral("alpha %1").arg(i), word);
        ScriptedMailbox::get(QStringLiteral("beta"))->add(QStringLiteral("inbox"), now.addSecs(-3600 * (2 * i + 2)),
                                                         QStringLiteral("beta %1").arg(i), word);
    }
    HarnessRequest ra = requestFor(s, BackfillRange::everything(), 7);
    HarnessRequest rb = ra;
    rb.connectionId = beta;
    const QHash<qint64, SyncProgress> done = BackfillHarness::runAll(s.archive, {ra, rb}, {}, 60000);
    QCOMPARE(done.value(s.id).state, BackfillState::Complete);
    QCOMPARE(done.value(beta).state, BackfillState::Complete);

    ArchiveStore store(s.archive);
    SyncError e;
    QVERIFY(store.open(&e));
    const auto subjects = [](const QVector<MessageSummary> &found) {
        QStringList out;
        for (const MessageSummary &m : found)
            out << m.subject;
        return out;
    };
    // Across both: the ten newest, alternating alpha and beta.
    QVector<MessageSummary> found = store.search(SearchQuery::parse(QStringLiteral("report")), 10, 0, &e);
    QStringList expected;
    for (int i = 0; i < 5; ++i)
        expected << QStringLiteral("alpha %1").arg(i) << QStringLiteral("beta %1").arg(i);
    QCOMPARE(subjects(found), expected);
    // Within beta only: its five newest, then the next five with an offset.
    SearchQuery inBeta = SearchQuery::parse(QStringLiteral("report"));
    inBeta.connectionId = beta;
    found = store.search(inBeta, 5, 0, &e);
    QCOMPARE(subjects(found), (QStringList{QStringLiteral("beta 0"), QStringLiteral("beta 1"), QStringLiteral("beta 2"),
                                           QStringLiteral("beta 3"), QStringLiteral("beta 4")}));
    found = store.search(inBeta, 5, 5, &e);
    QCOMPARE(found.first().subject, QStringLiteral("beta 5"));
    // A rarer word within beta: every fifth message, newest first.
    SearchQuery zebra = SearchQuery::parse(QStringLiteral("zebra"));
    zebra.connectionId = beta;
    found = store.search(zebra, 100, 0, &e);
    QCOMPARE(subjects(found).mid(0, 3), (QStringList{QStringLiteral("beta 0"), QStringLiteral("beta 5"), QStringLiteral("beta 10")}));
    QCOMPARE(found.size(), 8);
    for (const MessageSummary &m : found)
        QCOMPARE(m.connectionId, beta);
    // A date range across both: only the messages of the last ten hours.
    SearchQuery recent = SearchQuery::parse(QStringLiteral("report after:%1").arg(now.addSecs(-10 * 3600).toLocalTime().date().toString(Qt::ISODate)));
    found = store.search(recent, 100, 0, &e);
    QVERIFY(!found.isEmpty());
    for (int i = 1; i < found.size(); ++i)
        QVERIFY(found.at(i - 1).receivedAt >= found.at(i).receivedAt);
}

void TestSyncEngine::archiveConnectionsCloseOnTheirOwnThreads()
{
    Setup s;
    QVERIFY(makeSetup(&s, QStringLiteral("threads"), 50));
    QVector<QString> complaints;
    g_critical = &complaints;
    g_previous = qInstallMessageHandler(captureCritical);
    const SyncProgress result = run(s, requestFor(s, BackfillRange::everything(), 10));
    qInstallMessageHandler(g_previous);
    g_critical = nullptr;
    QCOMPARE(result.state, BackfillState::Complete);
    QVERIFY2(complaints.isEmpty(), qPrintable(complaints.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestSyncEngine)
#include "tst_syncengine.moc"
