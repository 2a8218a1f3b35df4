// The account's request budget keeps a sliding window under its limit,
// waits out a Retry-After, and counts requests in flight.

#include "auth/requestbudget.h"

#include <QtTest>

using namespace Lookback;

class TestRequestBudget : public QObject
{
    Q_OBJECT

private slots:
    void underTheLimitNothingWaits();
    void overTheLimitWaitsForTheWindow();
    void noWindowEverHoldsMoreThanTheLimit();
    void blockedUntilRetryAfter();
    void concurrencySlots();
    void aWaiterWakesWhenASlotIsFreed();
};

void TestRequestBudget::underTheLimitNothingWaits()
{
    RequestBudget budget({100, 1000, 0});
    for (int i = 0; i < 20; ++i)
        QCOMPARE(budget.reserve(5), 0);
    QCOMPARE(budget.unitsCharged(), 100);
}

void TestRequestBudget::overTheLimitWaitsForTheWindow()
{
    RequestBudget budget({100, 1000, 0});
    for (int i = 0; i < 20; ++i)
        budget.reserve(5);
    // The 21st call fits only once the first has left the window.
    const qint64 wait = budget.reserve(5);
    QVERIFY2(wait > 900 && wait <= 1000, qPrintable(QString::number(wait)));
    // A call larger than what is left waits for as many as it needs.
    RequestBudget big({100, 1000, 0});
    big.reserve(60);
    const qint64 bigWait = big.reserve(60);
    QVERIFY(bigWait > 900);
}

void TestRequestBudget::noWindowEverHoldsMoreThanTheLimit()
{
    // Reserve a lot at Gmail's mix (batches of 50 gets, lists, labels) on a
    // scaled-down quota; replay the schedule and check every window.
    RequestBudget budget({2850, 200, 0});
    const qint64 start = RequestBudget::nowMs();
    QVector<QPair<qint64, int>> schedule;
    for (int i = 0; i < 400; ++i) {
        const int cost = i % 50 == 0 ? 1 : (i % 10 == 0 ? 5 : 250);
        // The moment the budget gave, not the clock read again after it (a
        // millisecond may tick in between and move a charge into a window).
        qint64 at = 0;
        budget.reserve(cost, &at);
        schedule << qMakePair(at - start, cost);
    }
    qint64 worst = 0;
    for (int i = 0; i < schedule.size(); ++i) {
        qint64 sum = 0;
        for (int j = 0; j < schedule.size(); ++j) {
            if (schedule[j].first <= schedule[i].first && schedule[j].first > schedule[i].first - 200)
                sum += schedule[j].second;
        }
        worst = std::max(worst, sum);
    }
    QVERIFY2(worst <= 2850, qPrintable(QString::number(worst)));
    // ... and the schedule is not needlessly slow: the last call goes out in
    // the window the quota itself allows, or at most one later.
    qint64 total = 0;
    for (const auto &s : schedule)
        total += s.second;
    const qint64 floorMs = ((total - 1) / 2850) * 200;
    QVERIFY2(schedule.last().first <= floorMs + 200, qPrintable(QStringLiteral("%1 vs %2").arg(schedule.last().first).arg(floorMs)));
}

void TestRequestBudget::blockedUntilRetryAfter()
{
    RequestBudget budget({0, 1000, 0});
    QCOMPARE(budget.reserve(1), 0);
    // The block ends 300 ms after blockFor(), whatever the time spent here.
    const qint64 before = RequestBudget::nowMs();
    budget.blockFor(300);
    qint64 at = 0;
    const qint64 wait = budget.reserve(1, &at);
    const qint64 after = RequestBudget::nowMs();
    QVERIFY2(at >= before + 300 && at <= after + 300, qPrintable(QStringLiteral("%1 in [%2, %3]").arg(at).arg(before + 300).arg(after + 300)));
    QVERIFY2(wait >= 0 && wait <= 300, qPrintable(QString::number(wait)));
    // A shorter block never shortens a longer one.
    budget.blockFor(10);
    const qint64 left = budget.blockedForMs();
    QVERIFY2(left >= before + 300 - RequestBudget::nowMs(), qPrintable(QString::number(left)));
}

void TestRequestBudget::concurrencySlots()
{
    RequestBudget budget({0, 1000, 4});
    for (int i = 0; i < 4; ++i)
        QVERIFY(budget.tryAcquire());
    QVERIFY(!budget.tryAcquire());
    budget.release();
    QVERIFY(budget.tryAcquire());
    QCOMPARE(budget.peakInFlight(), 4);
}

void TestRequestBudget::aWaiterWakesWhenASlotIsFreed()
{
    RequestBudget budget({0, 1000, 2});
    QVERIFY(budget.tryAcquire());
    QVERIFY(budget.tryAcquire());
    QVERIFY(!budget.tryAcquire());
    QObject context;
    int woken = 0;
    int cancelledWoken = 0;
    budget.waitForSlot(&context, [&] { ++woken; });
    const quint64 cancelled = budget.waitForSlot(&context, [&] { ++cancelledWoken; });
    budget.cancelWait(cancelled);
    QCoreApplication::processEvents();
    QCOMPARE(woken, 0); // nothing freed yet
    budget.release();
    QCOMPARE(woken, 0); // queued, on the context's thread
    QTRY_COMPARE(woken, 1);
    QCOMPARE(cancelledWoken, 0);
    QVERIFY(budget.tryAcquire());
    // Freed before the wait is registered: woken at once (queued).
    budget.release();
    budget.waitForSlot(&context, [&] { ++woken; });
    QTRY_COMPARE(woken, 2);
    QCOMPARE(budget.peakInFlight(), 2);
}

QTEST_GUILESS_MAIN(TestRequestBudget)
#include "tst_requestbudget.moc"
