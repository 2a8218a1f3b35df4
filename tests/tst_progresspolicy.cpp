// When the card may show an ETA, and how long a transient failure waits.

#include "sync/progressestimator.h"
#include "sync/retrypolicy.h"

#include <QtTest>

using namespace Lookback;

class TestProgressPolicy : public QObject
{
    Q_OBJECT

private slots:
    void noEtaBeforeTheRateSettles();
    void etaFromASteadyRate();
    void noEtaWhileTheRateSwings();
    void backoffGrowsWithJitterAndACap();
    void retryAfterIsHonoured();
    void finalErrorsAreNotRetried_data();
    void finalErrorsAreNotRetried();
    void attemptsRunOut();
};

void TestProgressPolicy::noEtaBeforeTheRateSettles()
{
    ProgressEstimator e(60000, 15000);
    e.addSample(0, 0);
    e.addSample(5000, 500);
    e.addSample(10000, 1000);
    QCOMPARE(e.etaSeconds(1000), -1); // only 10 s in
    QVERIFY(qAbs(e.rate() - 100.0) < 0.01);
}

void TestProgressPolicy::etaFromASteadyRate()
{
    ProgressEstimator e(60000, 15000);
    for (int t = 0; t <= 30; ++t)
        e.addSample(t * 1000, t * 100); // 100 messages a second
    QVERIFY(e.isStable());
    QCOMPARE(e.etaSeconds(6000), 60);
    QCOMPARE(e.etaSeconds(0), 0);
}

void TestProgressPolicy::noEtaWhileTheRateSwings()
{
    ProgressEstimator e(60000, 15000);
    qint64 fetched = 0;
    for (int t = 0; t <= 20; ++t) {
        e.addSample(t * 1000, fetched);
        fetched += t < 12 ? 10 : 400; // suddenly 40 times faster
    }
    QVERIFY(!e.isStable());
    QCOMPARE(e.etaSeconds(5000), -1);
}

void TestProgressPolicy::backoffGrowsWithJitterAndACap()
{
    RetryPolicy p(1000, 60000);
    const SyncError net = SyncError::make(ErrorCategory::Network, QStringLiteral("dropped"));
    QSet<qint64> seen;
    for (int attempt = 1; attempt <= 12; ++attempt) {
        const qint64 step = std::min<qint64>(60000, 1000LL << (attempt - 1));
        for (int i = 0; i < 20; ++i) {
            const qint64 d = p.delayFor(net, attempt);
            QVERIFY2(d >= step / 2 && d <= step, qPrintable(QStringLiteral("attempt %1: %2").arg(attempt).arg(d)));
            seen.insert(d);
        }
    }
    QVERIFY(seen.size() > 50); // jittered, so many clients do not come back in step
}

void TestProgressPolicy::retryAfterIsHonoured()
{
    RetryPolicy p;
    SyncError throttled = SyncError::make(ErrorCategory::Throttled, QStringLiteral("slow down"));
    throttled.retryAfterSeconds = 10;
    QCOMPARE(p.delayFor(throttled, 1), qint64(10000));
    QCOMPARE(p.delayFor(throttled, 7), qint64(10000));
}

void TestProgressPolicy::finalErrorsAreNotRetried_data()
{
    QTest::addColumn<int>("category");
    QTest::newRow("login rejected") << int(ErrorCategory::AuthExpired);
    QTest::newRow("permission") << int(ErrorCategory::PermissionDenied);
    QTest::newRow("certificate") << int(ErrorCategory::Tls);
    QTest::newRow("disk") << int(ErrorCategory::Storage);
    QTest::newRow("protocol") << int(ErrorCategory::Protocol);
}

void TestProgressPolicy::finalErrorsAreNotRetried()
{
    QFETCH(int, category);
    QCOMPARE(RetryPolicy().delayFor(SyncError::make(ErrorCategory(category), QStringLiteral("x")), 1), qint64(-1));
}

void TestProgressPolicy::attemptsRunOut()
{
    RetryPolicy p(10, 100, 3);
    const SyncError net = SyncError::make(ErrorCategory::Network, QStringLiteral("dropped"));
    QVERIFY(p.delayFor(net, 3) >= 0);
    QCOMPARE(p.delayFor(net, 4), qint64(-1));
}

QTEST_GUILESS_MAIN(TestProgressPolicy)
#include "tst_progresspolicy.moc"
