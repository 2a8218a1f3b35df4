// Microsoft 365 backfilled through Microsoft Graph, against the Microsoft
// fake, through the real browser sign-in, keychain (gnome-keyring in a
// private session) and SyncService: the range, Inbox and Sent Items without
// Drafts, immutable ids, attachment metadata only, pause and resume,
// throttling and the concurrency limit, token expiry with rotated refresh
// tokens, revocation, and shared mailboxes that borrow the parent's sign-in.

#include "auth/requestbudget.h"
#include "graph/graphaccount.h"
#include "graph/graphapi.h"
#include "graph/graphmessage.h"
#include "graph/graphsource.h"
#include "keyringsession.h"
#include "microsoftharness.h"
#include "source/sourcefactory.h"
#include "testbrowser.h"

#include <QtTest>

using namespace Lookback;
using namespace Lookback::Test;

namespace {

// The budgets the Microsoft sign-ins of this process were given: one per account.
std::vector<std::shared_ptr<RequestBudget>> &budgets()
{
    static std::vector<std::shared_ptr<RequestBudget>> made;
    return made;
}

void useBudget(const RequestBudget::Limits &limits)
{
    budgets().clear();
    SourceFactory::setBudgetMaker(ProviderKind::Microsoft, [limits] {
        auto budget = std::make_shared<RequestBudget>(limits);
        budgets().push_back(budget);
        return budget;
    });
}

// Requests that arrived while a Retry-After the fake had given at least
// `graceMs` earlier was still running (those in flight when it was given
// could not know of it).
int sentDuringRetryAfter(const MicrosoftFake &fake, qint64 graceMs)
{
    const QVector<MicrosoftFake::RequestRecord> log = fake.requestLog();
    int bad = 0;
    for (const auto &refused : log) {
        if (refused.retryAfterUntilMs <= 0)
            continue;
        for (const auto &r : log) {
            if (r.mailbox == refused.mailbox && r.arrivalMs > refused.arrivalMs + graceMs
                && r.arrivalMs < refused.retryAfterUntilMs - 50)
                ++bad;
        }
    }
    return bad;
}

const QString kShared = QStringLiteral("support@contoso.onmicrosoft.com");

// After a sign-in that died mid-page: the page whose list (bodies included)
// arrived before its attachment listings were refused is listed again after
// the reconnect, since a nextLink cannot be asked for without its bodies. At
// most that one page; nothing else, and nothing archived twice.
bool atMostOnePageTwice(const MicrosoftFake &fake, QString *why)
{
    const QStringList twice = fetchedTwice(fake);
    *why = QStringLiteral("%1 fetched twice").arg(twice.size());
    if (twice.size() > GraphSource::kListTop)
        return false;
    for (const QString &id : twice) {
        if (fake.contentFetches(id) > 2)
            return false;
    }
    return true;
}

} // namespace

class TestGraphBackfill : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void rangeInboxAndSentWithoutDrafts();
    void pauseAndResumeFetchNothingTwice();
    void throttlingStormAndConcurrencyLimit_data();
    void throttlingStormAndConcurrencyLimit();
    void expiredTokenRefreshedAndRotatedTokenKept();
    void revokedNeedsReconnectThenCompletes();
    void movedMidBackfillIsStoredOnce();
    void sharedMailboxWaitsOnParentThenResumes();
    void grantRemovedIsPermissionLostOnTheChildOnly();
    void parentAndTwoSharedShareOneBudget();
    void rangeCounts();

private:
    KeyringSession m_keyring;
};

void TestGraphBackfill::initTestCase()
{
    QString error;
    QVERIFY2(m_keyring.start(&error), qPrintable(error));
}

void TestGraphBackfill::init()
{
    useBudget({9500, 600000, GraphApi::kMaxInFlight, 1000});
}

void TestGraphBackfill::rangeInboxAndSentWithoutDrafts()
{
    MicrosoftHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QStringList inside = h.addMessages(12, QStringLiteral("inbox"), now.addDays(-1), 2 * 86400, QStringLiteral("in"));
    // A minute beyond the 30 days, and one just inside.
    const QStringList outside = h.addMessages(3, QStringLiteral("inbox"), now.addDays(-30).addSecs(-60), 3600, QStringLiteral("old"));
    const QStringList edge = h.addMessages(1, QStringLiteral("inbox"), now.addDays(-30).addSecs(120), 1, QStringLiteral("edge"));
    const QStringList sent = h.addMessages(6, QStringLiteral("sentitems"), now.addDays(-2), 86400, QStringLiteral("sent"));
    const QStringList drafts = h.addMessages(4, QStringLiteral("drafts"), now.addSecs(-60), 10, QStringLiteral("draft"));
    h.fake().setExtraItems(QStringLiteral("inbox"), 5); // totalItemCount counts more than mail
    h.fake().resetCounters();

    const qint64 id = h.signIn(QStringLiteral("Work"), &error);
    QVERIFY2(id > 0, qPrintable(error));
    const SyncProgress p = h.run(h.request(id, BackfillRange{30}));
    QCOMPARE(p.state, BackfillState::Complete);
    QCOMPARE(p.fetched, 19);
    const QHash<QString, int> archived = h.archivedProviderIds();
    QCOMPARE(archived.size(), 19);
    for (const QString &m : inside + edge + sent)
        QCOMPARE(archived.value(Graph::providerId(m)), 1);
    for (const QString &m : outside + drafts)
        QVERIFY2(!archived.contains(Graph::providerId(m)), qPrintable(m));
    QCOMPARE(h.archivedCount(id, QStringLiteral("inbox")), 13);
    QCOMPARE(h.archivedCount(id, QStringLiteral("sent")), 6);
    // Never Drafts; every request with immutable ids; nextLinks used verbatim;
    // pages of at most 250; the filter and order by the same property.
    QCOMPARE(h.fake().draftsRequests(), 0);
    QCOMPARE(h.fake().requestsWithoutImmutableId(), 0);
    QCOMPARE(h.fake().unissuedSkips(), 0);
    for (const QString &top : h.fake().topsSeen())
        QVERIFY2(top.isEmpty() || (top.toInt() >= 1 && top.toInt() <= 250), qPrintable(top));
    for (const QString &o : h.fake().orderBysSeen())
        QVERIFY2(o.isEmpty() || o == QLatin1String("receivedDateTime desc"), qPrintable(o));
    // Attachments: listed (metadata only) for the messages that have any; no content.
    QCOMPARE(h.fake().requests(MicrosoftFake::Endpoint::AttachmentValue), 0);
    QCOMPARE(h.fake().requests(MicrosoftFake::Endpoint::Attachment), 0);
    QCOMPARE(h.fake().requests(MicrosoftFake::Endpoint::Get), 0);
    QVERIFY2(fetchedTwice(h.fake()).isEmpty(), qPrintable(fetchedTwice(h.fake()).join(QLatin1Char(' '))));
    ArchiveStore store(h.archivePath());
    SyncError e;
    QVERIFY(store.open(&e));
    // Each page is one list request; attachment listings only where needed.
    const int withAttachments = 5 /* in: 0,3,6,9 edge: 0 */ + 2 /* sent: 0,3 */;
    QCOMPARE(h.fake().requests(MicrosoftFake::Endpoint::Attachments), withAttachments);
    // The delta baseline was recorded before page 1, for both folders.
    for (const FolderRecord &f : store.folders(id)) {
        const Graph::FolderState s = Graph::FolderState::parse(f.sourceState);
        QVERIFY2(s.baselineFrom.isValid() && !s.deltaLink.isEmpty(), f.sourceState.constData());
        QVERIFY(s.baselineFrom <= now);
    }
}

void TestGraphBackfill::pauseAndResumeFetchNothingTwice()
{
    MicrosoftHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    h.addMessages(350, QStringLiteral("inbox"), now.addSecs(-60), 1800, QStringLiteral("in"));
    h.addMessages(60, QStringLiteral("sentitems"), now.addSecs(-90), 3600, QStringLiteral("out"));
    const qint64 id = h.signIn(QStringLiteral("Work"), &error);
    QVERIFY2(id > 0, qPrintable(error));
    bool pauseSent = false, resumeSent = false;
    qint64 fetchedAtPause = -1, archivedAtPause = -1;
    const SyncProgress result = h.run(h.request(id, BackfillRange::everything()), [&](SyncService &s, const SyncProgress &p) {
        if (!pauseSent && p.fetched >= 100) {
            pauseSent = true;
            s.pause(id);
        }
        if (p.state == BackfillState::Paused && !resumeSent) {
            resumeSent = true;
            fetchedAtPause = p.fetched;
            archivedAtPause = h.archivedCount(id);
            QTimer::singleShot(300, [&s, id] { s.resume(id); });
        }
    });
    QCOMPARE(result.state, BackfillState::Complete);
    QVERIFY2(fetchedAtPause >= 100 && fetchedAtPause < 410, qPrintable(QString::number(fetchedAtPause)));
    QCOMPARE(archivedAtPause, fetchedAtPause);
    QCOMPARE(h.archivedProviderIds().size(), 410);
    QVERIFY2(fetchedTwice(h.fake()).isEmpty(), qPrintable(fetchedTwice(h.fake()).join(QLatin1Char(' '))));
    QCOMPARE(h.fake().allContentFetches().size(), 410);
    QCOMPARE(h.fake().unissuedSkips(), 0);
}

void TestGraphBackfill::throttlingStormAndConcurrencyLimit_data()
{
    QTest::addColumn<bool>("httpDate");
    QTest::addColumn<bool>("serviceUnavailable");
    QTest::newRow("retry-after seconds") << false << false;
    QTest::newRow("retry-after http-date") << true << false;
    QTest::newRow("503 storm") << false << true;
}

void TestGraphBackfill::throttlingStormAndConcurrencyLimit()
{
    QFETCH(bool, httpDate);
    QFETCH(bool, serviceUnavailable);
    MicrosoftHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    h.addMessages(240, QStringLiteral("inbox"), now.addSecs(-60), 900, QStringLiteral("a"));
    h.addMessages(60, QStringLiteral("sentitems"), now.addSecs(-90), 900, QStringLiteral("b"));
    const qint64 id = h.signIn(QStringLiteral("Work"), &error);
    QVERIFY2(id > 0, qPrintable(error));
    h.fake().resetCounters();
    // Answers take a while, so requests overlap; another client of the
    // mailbox spends most of its window: Graph refuses with Retry-After.
    h.fake().setResponseDelayMs(40);
    h.fake().setRetryAfterAsHttpDate(httpDate);
    if (serviceUnavailable)
        h.fake().setServiceUnavailableEveryNth(7, 1);
    else
        h.fake().setRequestWindow(25, 1500);
    const SyncProgress p = h.run(h.request(id, BackfillRange::everything()), {}, 180000);
    QCOMPARE(p.state, BackfillState::Complete);
    QCOMPARE(h.archivedProviderIds().size(), 300);
    QVERIFY2(fetchedTwice(h.fake()).isEmpty(), qPrintable(fetchedTwice(h.fake()).join(QLatin1Char(' '))));
    if (serviceUnavailable)
        QVERIFY(h.fake().serviceUnavailable503s() > 0);
    else
        QVERIFY(h.fake().throttled429s() > 0);
    // Never more than 4 at once, so never the concurrency refusal.
    QVERIFY2(h.fake().peakInFlight() <= 4, qPrintable(QString::number(h.fake().peakInFlight())));
    QVERIFY(h.fake().peakInFlight() >= 2); // attachments were listed in parallel
    QCOMPARE(h.fake().concurrencyRefusals(), 0);
    // Nothing was sent to the mailbox once a Retry-After was known, until it ran out.
    QCOMPARE(sentDuringRetryAfter(h.fake(), 150), 0);
}

void TestGraphBackfill::expiredTokenRefreshedAndRotatedTokenKept()
{
    MicrosoftHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    // A rotated-away refresh token is dead: only the newest works.
    h.fake().setInvalidateRotatedRefreshTokens(true);
    h.addMessages(300, QStringLiteral("inbox"), QDateTime::currentDateTimeUtc().addSecs(-60), 900, QStringLiteral("t"));
    const qint64 id = h.signIn(QStringLiteral("Work"), &error);
    QVERIFY2(id > 0, qPrintable(error));
    bool expired = false, neededReconnect = false;
    const SyncProgress p = h.run(h.request(id, BackfillRange::everything()), [&](SyncService &, const SyncProgress &p) {
        if (!expired && p.fetched >= 100) {
            expired = true;
            h.fake().expireAccessTokens();
        }
        neededReconnect = neededReconnect || p.health == Health::NeedsReconnect;
    });
    QCOMPARE(p.state, BackfillState::Complete);
    QVERIFY(!neededReconnect);
    QCOMPARE(h.archivedProviderIds().size(), 300);
    QVERIFY2(fetchedTwice(h.fake()).isEmpty(), qPrintable(fetchedTwice(h.fake()).join(QLatin1Char(' '))));
    // Refreshes sent no client secret (a public client).
    for (const auto &t : h.fake().tokenRequests())
        QVERIFY(!t.has(QStringLiteral("client_secret")));
    // A later run (a new program start) signs in with what the keychain kept:
    // the rotated token, since the first one is dead.
    h.addMessages(5, QStringLiteral("inbox"), QDateTime::currentDateTimeUtc().addSecs(-10), 1, QStringLiteral("new"));
    const int refreshesBefore = h.fake().requests(MicrosoftFake::Endpoint::TokenRefresh);
    const SyncProgress again = h.run(h.request(id, BackfillRange::everything()));
    QCOMPARE(again.state, BackfillState::Complete);
    QVERIFY(h.fake().requests(MicrosoftFake::Endpoint::TokenRefresh) > refreshesBefore);
    QCOMPARE(h.archivedProviderIds().size(), 305);
}

void TestGraphBackfill::revokedNeedsReconnectThenCompletes()
{
    MicrosoftHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    h.addMessages(400, QStringLiteral("inbox"), QDateTime::currentDateTimeUtc().addSecs(-60), 900, QStringLiteral("r"));
    const qint64 id = h.signIn(QStringLiteral("Work"), &error);
    QVERIFY2(id > 0, qPrintable(error));
    bool revoked = false;
    int refreshesAtRevoke = 0;
    const SyncProgress failed = h.run(h.request(id, BackfillRange::everything()), [&](SyncService &, const SyncProgress &p) {
        if (!revoked && p.fetched >= 100) {
            revoked = true;
            refreshesAtRevoke = h.fake().requests(MicrosoftFake::Endpoint::TokenRefresh);
            h.fake().failRefreshTokens(50173); // the password was changed
            h.fake().expireAccessTokens();
        }
    });
    QCOMPARE(failed.state, BackfillState::Failed);
    QCOMPARE(failed.health, Health::NeedsReconnect);
    QVERIFY2(failed.error.message.contains(QStringLiteral("password")), qPrintable(failed.error.message));
    QCOMPARE(h.fake().requests(MicrosoftFake::Endpoint::TokenRefresh) - refreshesAtRevoke, 1); // no loop
    const qint64 kept = h.archivedCount(id);
    QVERIFY(kept >= 100 && kept < 400);
    QCOMPARE(h.connection(id).health, Health::NeedsReconnect);

    QVERIFY2(h.reconnect(id, &error), qPrintable(error));
    QCOMPARE(h.connection(id).health, Health::Healthy);
    const SyncProgress done = h.run(h.request(id, BackfillRange::everything()));
    QCOMPARE(done.state, BackfillState::Complete);
    QCOMPARE(h.archivedProviderIds().size(), 400);
    for (int rows : h.archivedProviderIds())
        QCOMPARE(rows, 1);
    QString why;
    QVERIFY2(atMostOnePageTwice(h.fake(), &why), qPrintable(why));
}

void TestGraphBackfill::movedMidBackfillIsStoredOnce()
{
    MicrosoftHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    const QStringList inbox = h.addMessages(250, QStringLiteral("inbox"), QDateTime::currentDateTimeUtc().addSecs(-60), 900,
                                            QStringLiteral("m"));
    h.addMessages(20, QStringLiteral("sentitems"), QDateTime::currentDateTimeUtc().addSecs(-30), 900, QStringLiteral("s"));
    const qint64 id = h.signIn(QStringLiteral("Work"), &error);
    QVERIFY2(id > 0, qPrintable(error));
    bool moved = false;
    const SyncProgress p = h.run(h.request(id, BackfillRange::everything()), [&](SyncService &, const SyncProgress &p) {
        if (!moved && p.fetched >= 100) {
            moved = true;
            // Another client files an archived message into Sent Items: its
            // immutable id stays, so it is the same message.
            QVERIFY(h.fake().moveMessage(inbox.first(), QStringLiteral("sentitems")));
        }
    });
    QCOMPARE(p.state, BackfillState::Complete);
    const QHash<QString, int> archived = h.archivedProviderIds();
    QCOMPARE(archived.size(), 270);
    QCOMPARE(archived.value(Graph::providerId(inbox.first())), 1);
    QVERIFY(h.locations().value(Graph::providerId(inbox.first())).contains(QStringLiteral("inbox")));
}

void TestGraphBackfill::sharedMailboxWaitsOnParentThenResumes()
{
    MicrosoftHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    h.fake().addSharedMailbox(kShared, QStringLiteral("Support"));
    h.fake().grant(kShared, QStringLiteral("inbox"), true);
    h.fake().grant(kShared, QStringLiteral("sentitems"), true);
    h.addMessages(300, QStringLiteral("inbox"), QDateTime::currentDateTimeUtc().addSecs(-60), 900, QStringLiteral("sh"), kShared);
    h.addMessages(10, QStringLiteral("inbox"), QDateTime::currentDateTimeUtc().addSecs(-60), 900, QStringLiteral("own"));
    const qint64 parent = h.signIn(QStringLiteral("Work"), &error);
    QVERIFY2(parent > 0, qPrintable(error));
    const qint64 child = h.addShared(QStringLiteral("Support"), parent, kShared, &error);
    QVERIFY2(child > 0, qPrintable(error));
    QCOMPARE(h.connection(child).parentId, parent);

    SyncService service(h.archivePath());
    SyncError e;
    QVERIFY(service.open(&e));
    SyncOptions options;
    options.retryBaseMs = 200;
    options.progressIntervalMs = 0;
    service.setOptions(options);
    QVector<SyncProgress> childDone;
    bool revoked = false;
    connect(&service, &SyncService::progressChanged, this, [&](const SyncProgress &p) {
        if (p.connectionId == child && !revoked && p.fetched >= 100) {
            revoked = true;
            h.fake().failRefreshTokens(50173);
            h.fake().expireAccessTokens();
        }
    });
    connect(&service, &SyncService::finished, this, [&](const SyncProgress &p) {
        if (p.connectionId == child)
            childDone << p;
    });
    QVERIFY(service.startBackfill(child, BackfillRange::everything()));
    QTRY_COMPARE_WITH_TIMEOUT(childDone.size(), 1, 60000);
    QCOMPARE(childDone.first().health, Health::WaitingOnParent);
    QVERIFY2(childDone.first().error.message.contains(h.fake().userAddress()), qPrintable(childDone.first().error.message));
    QVERIFY(childDone.first().error.message.contains(QStringLiteral("reconnect it")));
    // The parent's card says what to do even though it was not syncing.
    ConnectionRecord pc;
    QVERIFY(service.connection(parent, &pc));
    QCOMPARE(pc.health, Health::NeedsReconnect);
    ConnectionRecord cc;
    QVERIFY(service.connection(child, &cc));
    QCOMPARE(cc.health, Health::WaitingOnParent);
    // It stopped asking: nothing more went to the shared mailbox.
    const int requestsWhileWaiting = h.fake().requestLog().size();
    QTest::qWait(500);
    QCOMPARE(h.fake().requestLog().size(), requestsWhileWaiting);
    const qint64 kept = h.archivedCount(child);
    QVERIFY(kept >= 100 && kept < 300);

    // Reconnecting the parent resumes the child by itself.
    bool reconnected = false;
    service.reconnectWithBrowser(parent, {}, [](const QUrl &url) {
        QTimer::singleShot(0, [url] {
            QString ignored;
            followAuthorization(url, &ignored);
        });
    }, [&](const SyncError &r) {
        QVERIFY2(!r.isError(), qPrintable(r.message));
        reconnected = true;
    }, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(reconnected, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(childDone.size(), 2, 60000);
    QCOMPARE(childDone.last().state, BackfillState::Complete);
    QCOMPARE(h.archivedCount(child), 300);
    for (int rows : h.archivedProviderIds())
        QCOMPARE(rows, 1);
    QString why;
    QVERIFY2(atMostOnePageTwice(h.fake(), &why), qPrintable(why));
    // Its requests went to the shared mailbox, never the parent's own.
    for (const auto &r : h.fake().requestLog()) {
        if (r.endpoint == MicrosoftFake::Endpoint::List)
            QVERIFY2(r.target.contains(QStringLiteral("/users/")), qPrintable(r.target));
    }
    // No secret of its own in the keychain: it uses the parent's.
    QVERIFY(service.connection(child, &cc));
    QCOMPARE(cc.health, Health::Healthy);
}

void TestGraphBackfill::grantRemovedIsPermissionLostOnTheChildOnly()
{
    MicrosoftHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    h.fake().addSharedMailbox(kShared);
    h.fake().grant(kShared, QStringLiteral("inbox"), true);
    h.fake().grant(kShared, QStringLiteral("sentitems"), true);
    h.addMessages(300, QStringLiteral("inbox"), QDateTime::currentDateTimeUtc().addSecs(-60), 900, QStringLiteral("sh"), kShared);
    h.addMessages(300, QStringLiteral("inbox"), QDateTime::currentDateTimeUtc().addSecs(-60), 900, QStringLiteral("own"));
    const qint64 parent = h.signIn(QStringLiteral("Work"), &error);
    QVERIFY2(parent > 0, qPrintable(error));
    const qint64 child = h.addShared(QStringLiteral("Support"), parent, kShared, &error);
    QVERIFY2(child > 0, qPrintable(error));
    bool removed = false;
    const QHash<qint64, SyncProgress> done = BackfillHarness::runAll(
        h.archivePath(), {h.request(parent, BackfillRange::everything()), h.request(child, BackfillRange::everything())},
        [&](SyncService &, const SyncProgress &p) {
            if (p.connectionId == child && !removed && p.fetched >= 100) {
                removed = true;
                h.fake().grant(kShared, QStringLiteral("inbox"), false); // the owner stopped sharing
            }
        });
    QCOMPARE(done.value(child).state, BackfillState::Failed);
    QCOMPARE(done.value(child).health, Health::PermissionLost);
    QCOMPARE(done.value(parent).state, BackfillState::Complete);
    QCOMPARE(h.archivedCount(parent), 300);
    QCOMPARE(h.connection(parent).health, Health::Healthy);
    QCOMPARE(h.connection(child).health, Health::PermissionLost);
}

void TestGraphBackfill::parentAndTwoSharedShareOneBudget()
{
    MicrosoftHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    const QString second = QStringLiteral("sales@contoso.onmicrosoft.com");
    for (const QString &m : {kShared, second}) {
        h.fake().addSharedMailbox(m);
        h.fake().grant(m, QStringLiteral("inbox"), true);
        h.fake().grant(m, QStringLiteral("sentitems"), true);
        h.addMessages(150, QStringLiteral("inbox"), QDateTime::currentDateTimeUtc().addSecs(-60), 900, m.left(5), m);
    }
    h.addMessages(150, QStringLiteral("inbox"), QDateTime::currentDateTimeUtc().addSecs(-60), 900, QStringLiteral("own"));
    const qint64 parent = h.signIn(QStringLiteral("Work"), &error);
    QVERIFY2(parent > 0, qPrintable(error));
    const qint64 a = h.addShared(QStringLiteral("Support"), parent, kShared, &error);
    const qint64 b = h.addShared(QStringLiteral("Sales"), parent, second, &error);
    QVERIFY2(a > 0 && b > 0, qPrintable(error));
    h.fake().resetCounters();
    h.fake().setResponseDelayMs(30);
    budgets().clear();
    const QHash<qint64, SyncProgress> done = BackfillHarness::runAll(
        h.archivePath(), {h.request(parent, BackfillRange::everything()), h.request(a, BackfillRange::everything()),
                          h.request(b, BackfillRange::everything())});
    for (qint64 id : {parent, a, b})
        QCOMPARE(done.value(id).state, BackfillState::Complete);
    QCOMPARE(h.archivedProviderIds().size(), 450);
    // One sign-in, one budget for all three mailboxes: four at once in all.
    QCOMPARE(int(budgets().size()), 1);
    QVERIFY2(budgets().front()->peakInFlight() <= 4, qPrintable(QString::number(budgets().front()->peakInFlight())));
    QVERIFY(budgets().front()->unitsCharged() >= h.fake().requestLog().size());
    QCOMPARE(h.fake().concurrencyRefusals(), 0);
    QCOMPARE(h.fake().throttled429s(), 0);
}

void TestGraphBackfill::rangeCounts()
{
    MicrosoftHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    h.addMessages(20, QStringLiteral("inbox"), now.addDays(-1), 86400, QStringLiteral("a"));   // 1..20 days old
    h.addMessages(10, QStringLiteral("inbox"), now.addDays(-100), 86400, QStringLiteral("b")); // 100..109
    h.addMessages(5, QStringLiteral("sentitems"), now.addDays(-40), 86400, QStringLiteral("c")); // 40..44
    h.fake().setExtraItems(QStringLiteral("inbox"), 3);
    const qint64 id = h.signIn(QStringLiteral("Work"), &error);
    QVERIFY2(id > 0, qPrintable(error));
    SyncService service(h.archivePath());
    SyncError e;
    QVERIFY(service.open(&e));
    RangeCounts counts;
    bool got = false;
    service.countRanges(id, {}, [&](const RangeCounts &c) {
        counts = c;
        got = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(got, 20000);
    QVERIFY2(!counts.error.isError(), qPrintable(counts.error.message));
    QCOMPARE(counts.last30, 20);
    QCOMPARE(counts.last90, 25);
    QCOMPARE(counts.last365, 35);
    QCOMPARE(counts.everything, 38); // totalItemCount: every item of the folders
}

QTEST_GUILESS_MAIN(TestGraphBackfill)
#include "tst_graphbackfill.moc"
