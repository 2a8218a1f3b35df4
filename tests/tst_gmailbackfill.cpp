// Gmail backfilled through the Gmail API, against the Google fake, through the
// real browser sign-in, keychain (gnome-keyring in a private session) and
// SyncService: the range, Inbox and Sent without drafts, pause and resume,
// quota, refused batch parts, expired and revoked tokens, lost permission.

#include "auth/requestbudget.h"
#include "gmail/gmailaccount.h"
#include "gmail/gmailmessage.h"
#include "gmail/gmailsource.h"
#include "gmailharness.h"
#include "keyringsession.h"
#include "source/sourcefactory.h"

#include <QtTest>

using namespace Lookback;
using namespace Lookback::Test;

namespace {

// The Gmail provider with a budget of the test's choosing (a scaled-down quota).
void useBudget(const RequestBudget::Limits &limits)
{
    SourceFactory::setBudgetMaker(ProviderKind::Gmail, [limits] { return std::make_shared<RequestBudget>(limits); });
}

} // namespace

class TestGmailBackfill : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void rangeInboxAndSentWithoutDrafts();
    void pauseAndResumeFetchNothingTwice();
    void budgetKeepsUnderTheQuota();
    void quotaStormCompletesAndWaitsForRetryAfter();
    void refusedBatchPartsAreRetriedAlone();
    void expiredAccessTokenIsRefreshedSilently();
    void revokedMidBackfillNeedsReconnectThenCompletes();
    void insufficientPermissionsIsPermissionLost();
    void rangeCountsAreGmailsEstimates();
    void reconnectCancelledAtOnceOpensNoBrowser();

private:
    KeyringSession m_keyring;
};

void TestGmailBackfill::initTestCase()
{
    QString error;
    QVERIFY2(m_keyring.start(&error), qPrintable(error));
}

void TestGmailBackfill::init()
{
    SourceFactory::setBudgetMaker(ProviderKind::Gmail, {}); // Gmail's own quota
}

void TestGmailBackfill::rangeInboxAndSentWithoutDrafts()
{
    GmailHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // 30 days: ten Inbox messages inside, three just outside (an hour beyond
    // the bound, where a date in Pacific time would still let them in).
    const QStringList inside = h.addMessages(10, {QStringLiteral("INBOX")}, now.addDays(-1), 2 * 86400, QStringLiteral("in"));
    const QStringList outside = h.addMessages(3, {QStringLiteral("INBOX")}, now.addDays(-30).addSecs(-3600), 3600, QStringLiteral("old"));
    const QStringList sent = h.addMessages(5, {QStringLiteral("SENT")}, now.addDays(-2), 86400, QStringLiteral("sent"));
    const QStringList both = h.addMessages(2, {QStringLiteral("INBOX"), QStringLiteral("SENT")}, now.addSecs(-600), 60,
                                           QStringLiteral("self"));
    const QStringList drafts = h.addMessages(4, {QStringLiteral("DRAFT")}, now.addSecs(-60), 10, QStringLiteral("draft"));
    h.fake().resetCounters();

    const qint64 id = h.signIn(QStringLiteral("Gmail"), &error);
    QVERIFY2(id > 0, qPrintable(error));
    const SyncProgress p = h.run(h.request(id, BackfillRange{30}));
    QCOMPARE(p.state, BackfillState::Complete);
    QCOMPARE(p.fetched, 17);

    const QHash<QString, int> archived = h.archivedProviderIds();
    QCOMPARE(archived.size(), 17);
    for (const QString &m : inside + sent + both)
        QCOMPARE(archived.value(Gmail::providerId(m)), 1);
    for (const QString &m : outside + drafts)
        QVERIFY2(!archived.contains(Gmail::providerId(m)), qPrintable(m));
    // A message in Inbox and Sent is one row found in both folders.
    const QHash<QString, QStringList> where = h.locations();
    for (const QString &m : both)
        QCOMPARE(where.value(Gmail::providerId(m)), (QStringList{QStringLiteral("inbox"), QStringLiteral("sent")}));
    QCOMPARE(h.archivedCount(id, QStringLiteral("inbox")), 12);
    QCOMPARE(h.archivedCount(id, QStringLiteral("sent")), 7);
    // Listed by label with an epoch bound, never by date; no content twice, no
    // attachments, no raw messages, never the retired global batch endpoint.
    ArchiveStore jobs(h.archivePath());
    SyncError je;
    QVERIFY(jobs.open(&je));
    BackfillJobRecord job;
    QVERIFY(jobs.latestJob(id, &job));
    QVERIFY(job.rangeStart.isValid());
    for (const QString &q : h.fake().queriesSeen())
        QCOMPARE(q, QStringLiteral("after:%1").arg(job.rangeStart.toSecsSinceEpoch() - 1));
    for (const QStringList &labels : h.fake().labelIdsSeen())
        QVERIFY(labels == QStringList{QStringLiteral("INBOX")} || labels == QStringList{QStringLiteral("SENT")});
    QVERIFY2(fetchedTwice(h.fake()).isEmpty(), qPrintable(fetchedTwice(h.fake()).join(QLatin1Char(' '))));
    QCOMPARE(h.fake().requests(GoogleFake::Endpoint::Attachment), 0);
    QCOMPARE(h.fake().requests(GoogleFake::Endpoint::Raw), 0);
    QCOMPARE(h.fake().requests(GoogleFake::Endpoint::GlobalBatch), 0);
    QVERIFY(h.fake().maxBatchParts() <= 50);
    // The live position (historyId) was recorded before page 1.
    ArchiveStore store(h.archivePath());
    SyncError e;
    QVERIFY(store.open(&e));
    for (const FolderRecord &f : store.folders(id))
        QVERIFY2(!Gmail::FolderState::parse(f.sourceState).historyId.isEmpty(), f.sourceState.constData());
}

void TestGmailBackfill::pauseAndResumeFetchNothingTwice()
{
    GmailHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    h.addMessages(240, {QStringLiteral("INBOX")}, now.addSecs(-60), 1800, QStringLiteral("in"));
    h.addMessages(60, {QStringLiteral("SENT")}, now.addSecs(-90), 3600, QStringLiteral("out"));
    const qint64 id = h.signIn(QStringLiteral("Gmail"), &error);
    QVERIFY2(id > 0, qPrintable(error));

    HarnessRequest r = h.request(id, BackfillRange::everything());
    r.options.pageSize = 20;
    bool pauseSent = false, resumeSent = false;
    qint64 fetchedAtPause = -1, archivedAtPause = -1;
    const SyncProgress result = h.run(r, [&](SyncService &s, const SyncProgress &p) {
        if (!pauseSent && p.fetched >= 40) {
            pauseSent = true;
            s.pause(id);
        }
        if (p.state == BackfillState::Paused && !resumeSent) {
            resumeSent = true;
            fetchedAtPause = p.fetched;
            archivedAtPause = h.archivedCount(id);
            // Paused a moment: nothing moves meanwhile.
            QTimer::singleShot(300, [&s, id] { s.resume(id); });
        }
    });
    QCOMPARE(result.state, BackfillState::Complete);
    QVERIFY2(fetchedAtPause >= 40 && fetchedAtPause < 300, qPrintable(QString::number(fetchedAtPause)));
    // A pause lands at the end of a page: what was fetched is what was stored.
    QCOMPARE(fetchedAtPause % 20, 0);
    QCOMPARE(archivedAtPause, fetchedAtPause);
    QCOMPARE(h.archivedProviderIds().size(), 300);
    QVERIFY2(fetchedTwice(h.fake()).isEmpty(), qPrintable(fetchedTwice(h.fake()).join(QLatin1Char(' '))));
    QCOMPARE(h.fake().allContentFetches().size(), 300);
}

void TestGmailBackfill::budgetKeepsUnderTheQuota()
{
    // A quota scaled down 20 times in size and 20 times in time; the client's
    // budget the same 95% of it that Gmail's real one uses (and a slack for
    // the time a batch takes to arrive and be counted).
    useBudget({713, 3000, 0, 500});
    GmailHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    h.fake().setQuota(750, 3000);
    h.addMessages(300, {QStringLiteral("INBOX")}, QDateTime::currentDateTimeUtc().addSecs(-60), 600, QStringLiteral("q"));
    const qint64 id = h.signIn(QStringLiteral("Gmail"), &error);
    QVERIFY2(id > 0, qPrintable(error));
    h.fake().resetCounters();
    QElapsedTimer clock;
    clock.start();
    const SyncProgress p = h.run(h.request(id, BackfillRange::everything()));
    QCOMPARE(p.state, BackfillState::Complete);
    QCOMPARE(h.archivedProviderIds().size(), 300);
    // Never refused: the budget spread the calls out instead.
    QCOMPARE(h.fake().quotaRefusals(), 0);
    // ~1,500 units at 750 per 3 s: the quota allows it in two windows after the
    // first; the run takes no more than one window beyond that.
    const qint64 units = h.fake().unitsCharged();
    const qint64 floorMs = ((units - 1) / 750) * 3000;
    QVERIFY2(clock.elapsed() <= floorMs + 3000 + 3000,
             qPrintable(QStringLiteral("%1 ms for %2 units").arg(clock.elapsed()).arg(units)));
}

void TestGmailBackfill::quotaStormCompletesAndWaitsForRetryAfter()
{
    // Another client spends half the account's quota: the fake refuses with
    // Retry-After, and nothing may be sent before it ran out.
    useBudget({713, 3000, 0, 500});
    GmailHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    h.fake().setQuota(375, 3000);
    h.addMessages(150, {QStringLiteral("INBOX")}, QDateTime::currentDateTimeUtc().addSecs(-60), 600, QStringLiteral("a"));
    h.addMessages(50, {QStringLiteral("SENT")}, QDateTime::currentDateTimeUtc().addSecs(-90), 600, QStringLiteral("b"));
    const qint64 id = h.signIn(QStringLiteral("Gmail"), &error);
    QVERIFY2(id > 0, qPrintable(error));
    h.fake().resetCounters();
    bool sawThrottled = false;
    const SyncProgress p = h.run(h.request(id, BackfillRange::everything()), [&](SyncService &, const SyncProgress &p) {
        if (p.health == Health::Throttled && p.retryAt.isValid())
            sawThrottled = true;
    }, 180000);
    QCOMPARE(p.state, BackfillState::Complete);
    QCOMPARE(h.archivedProviderIds().size(), 200);
    QVERIFY2(fetchedTwice(h.fake()).isEmpty(), qPrintable(fetchedTwice(h.fake()).join(QLatin1Char(' '))));
    QVERIFY(h.fake().quotaRefusals() > 0);
    QCOMPARE(h.fake().requestsBeforeRetryAfter(), 0);
    Q_UNUSED(sawThrottled) // refusals inside a batch are waited out without a badge
}

void TestGmailBackfill::refusedBatchPartsAreRetriedAlone()
{
    GmailHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    h.addMessages(200, {QStringLiteral("INBOX")}, QDateTime::currentDateTimeUtc().addSecs(-60), 900, QStringLiteral("p"));
    const qint64 id = h.signIn(QStringLiteral("Gmail"), &error);
    QVERIFY2(id > 0, qPrintable(error));
    h.fake().resetCounters();
    h.fake().setBatchPartFailureEveryNth(3);
    const SyncProgress p = h.run(h.request(id, BackfillRange::everything()));
    QCOMPARE(p.state, BackfillState::Complete);
    QCOMPARE(h.archivedProviderIds().size(), 200);
    QVERIFY2(fetchedTwice(h.fake()).isEmpty(), qPrintable(fetchedTwice(h.fake()).join(QLatin1Char(' '))));
    // Only the refused parts were asked again: a third more, not whole batches.
    const int parts = h.fake().requests(GoogleFake::Endpoint::BatchPart);
    QVERIFY2(parts >= 260 && parts <= 320, qPrintable(QString::number(parts)));
}

void TestGmailBackfill::expiredAccessTokenIsRefreshedSilently()
{
    GmailHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    h.addMessages(150, {QStringLiteral("INBOX")}, QDateTime::currentDateTimeUtc().addSecs(-60), 900, QStringLiteral("t"));
    const qint64 id = h.signIn(QStringLiteral("Gmail"), &error);
    QVERIFY2(id > 0, qPrintable(error));
    HarnessRequest r = h.request(id, BackfillRange::everything());
    r.options.pageSize = 25;
    bool expired = false;
    bool neededReconnect = false;
    const int refreshesBefore = h.fake().requests(GoogleFake::Endpoint::TokenRefresh);
    const SyncProgress p = h.run(r, [&](SyncService &, const SyncProgress &p) {
        if (!expired && p.fetched >= 25) {
            expired = true;
            h.fake().expireAccessTokens();
        }
        neededReconnect = neededReconnect || p.health == Health::NeedsReconnect;
    });
    QCOMPARE(p.state, BackfillState::Complete);
    QVERIFY(!neededReconnect);
    QCOMPARE(h.archivedProviderIds().size(), 150);
    QVERIFY2(fetchedTwice(h.fake()).isEmpty(), qPrintable(fetchedTwice(h.fake()).join(QLatin1Char(' '))));
    // One refresh for the run's start (a new SyncService reads the keychain), one for the expiry.
    const int refreshes = h.fake().requests(GoogleFake::Endpoint::TokenRefresh) - refreshesBefore;
    QVERIFY2(refreshes >= 1 && refreshes <= 2, qPrintable(QString::number(refreshes)));
}

void TestGmailBackfill::revokedMidBackfillNeedsReconnectThenCompletes()
{
    GmailHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    h.addMessages(200, {QStringLiteral("INBOX")}, QDateTime::currentDateTimeUtc().addSecs(-60), 900, QStringLiteral("r"));
    const qint64 id = h.signIn(QStringLiteral("Gmail"), &error);
    QVERIFY2(id > 0, qPrintable(error));
    HarnessRequest r = h.request(id, BackfillRange::everything());
    r.options.pageSize = 25;
    bool revoked = false;
    int refreshesAtRevoke = 0;
    const SyncProgress failed = h.run(r, [&](SyncService &, const SyncProgress &p) {
        if (!revoked && p.fetched >= 50) {
            revoked = true;
            refreshesAtRevoke = h.fake().requests(GoogleFake::Endpoint::TokenRefresh);
            // The user revoked Lookback's access (or changed the password).
            h.fake().revokeRefreshTokens();
            h.fake().expireAccessTokens();
        }
    });
    QCOMPARE(failed.state, BackfillState::Failed);
    QCOMPARE(failed.health, Health::NeedsReconnect);
    QVERIFY2(failed.error.message.contains(QStringLiteral("expired or revoked")), qPrintable(failed.error.message));
    // One refresh was tried; it is not retried in a loop.
    QCOMPARE(h.fake().requests(GoogleFake::Endpoint::TokenRefresh) - refreshesAtRevoke, 1);
    const qint64 kept = h.archivedCount(id);
    QVERIFY(kept >= 50 && kept < 200);
    ArchiveStore store(h.archivePath());
    SyncError e;
    QVERIFY(store.open(&e));
    ConnectionRecord c;
    QVERIFY(store.connectionById(id, &c));
    QCOMPARE(c.health, Health::NeedsReconnect);

    // Reconnect: the browser again; the archive and the cursor stay.
    QVERIFY2(h.reconnect(id, &error), qPrintable(error));
    QVERIFY(store.connectionById(id, &c));
    QCOMPARE(c.health, Health::Healthy);
    const SyncProgress done = h.run(r);
    QCOMPARE(done.state, BackfillState::Complete);
    QCOMPARE(h.archivedProviderIds().size(), 200);
    QVERIFY2(fetchedTwice(h.fake()).isEmpty(), qPrintable(fetchedTwice(h.fake()).join(QLatin1Char(' '))));
}

void TestGmailBackfill::insufficientPermissionsIsPermissionLost()
{
    GmailHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    h.addMessages(30, {QStringLiteral("INBOX")}, QDateTime::currentDateTimeUtc().addSecs(-60), 900, QStringLiteral("x"));
    const qint64 id = h.signIn(QStringLiteral("Gmail"), &error);
    QVERIFY2(id > 0, qPrintable(error));
    h.fake().setInsufficientPermissions(true);
    h.fake().resetCounters();
    const SyncProgress p = h.run(h.request(id, BackfillRange::everything()));
    QCOMPARE(p.state, BackfillState::Failed);
    QCOMPARE(p.health, Health::PermissionLost);
    QVERIFY2(p.error.message.contains(QStringLiteral("no longer lets")), qPrintable(p.error.message));
    // Never retried: one refused call ends it.
    QCOMPARE(h.fake().requests(GoogleFake::Endpoint::Profile), 1);
    QCOMPARE(h.fake().requests(GoogleFake::Endpoint::List), 0);
}

void TestGmailBackfill::rangeCountsAreGmailsEstimates()
{
    GmailHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime newest = now.addSecs(-60);
    h.addMessages(40, {QStringLiteral("INBOX")}, newest, 86400, QStringLiteral("i")); // 40 days
    h.addMessages(10, {QStringLiteral("SENT")}, newest, 86400 * 10, QStringLiteral("s")); // 100 days
    // The truth of the last 30 days, counted when asked (a minute after the
    // newest message, so none sits on the range's edge): 30 in the Inbox, 3 Sent.
    const auto within30Days = [&](int count, int spacingDays) {
        int n = 0;
        for (int i = 0; i < count; ++i)
            n += newest.addDays(-qint64(spacingDays) * i) > now.addDays(-30) ? 1 : 0;
        return n;
    };
    const int inbox30 = within30Days(40, 1);
    const int sent30 = within30Days(10, 10);
    const qint64 slack = GoogleFake::estimateSlack(inbox30) + GoogleFake::estimateSlack(sent30);
    const qint64 id = h.signIn(QStringLiteral("Gmail"), &error);
    QVERIFY2(id > 0, qPrintable(error));
    SyncService service(h.archivePath());
    SyncError openError;
    QVERIFY2(service.open(&openError), qPrintable(openError.message));
    RangeCounts counts;
    bool done = false;
    service.countRanges(id, {}, [&](const RangeCounts &c) {
        counts = c;
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
    QVERIFY2(counts.ok(), qPrintable(counts.error.message));
    // Everything: the labels' exact totals.
    QCOMPARE(counts.everything, 50);
    // The ranges: the sum of Gmail's estimates for Inbox and Sent, each as far
    // off as Gmail's guess may be, never fewer for a longer range nor more than
    // everything.
    const qint64 truth = inbox30 + sent30;
    QVERIFY2(counts.last30 >= truth - slack && counts.last30 <= truth + slack,
             qPrintable(QStringLiteral("%1 for %2 ± %3").arg(counts.last30).arg(truth).arg(slack)));
    QVERIFY2(counts.last365 >= counts.last90 && counts.last90 >= counts.last30,
             qPrintable(QStringLiteral("%1 %2 %3").arg(counts.last30).arg(counts.last90).arg(counts.last365)));
    QVERIFY(counts.last365 <= counts.everything);
}

// Cancel pressed right after Reconnect, while the keychain is still being read
// for the account's client: the sign-in ends there, no browser page opens and
// no listener is left waiting for five minutes.
void TestGmailBackfill::reconnectCancelledAtOnceOpensNoBrowser()
{
    GmailHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    const qint64 id = h.signIn(QStringLiteral("Gmail"), &error);
    QVERIFY2(id > 0, qPrintable(error));
    SyncService service(h.archivePath());
    SyncError e;
    QVERIFY(service.open(&e));
    int opened = 0;
    int answers = 0;
    SyncError answer;
    service.reconnectWithBrowser(id, {}, [&](const QUrl &) { ++opened; }, [&](const SyncError &r) {
        ++answers;
        answer = r;
    }, 30000);
    service.cancelSignIn();
    QTRY_COMPARE(answers, 1);
    QVERIFY(answer.isError());
    QTest::qWait(1500); // the keychain's answer has long arrived
    QCOMPARE(opened, 0);
    QCOMPARE(answers, 1);
    QVERIFY(!service.isSigningIn());
}

QTEST_GUILESS_MAIN(TestGmailBackfill)
#include "tst_gmailbackfill.moc"
