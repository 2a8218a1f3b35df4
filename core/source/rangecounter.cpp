#include "rangecounter.h"

#include "auth/signin.h"

#include <QCoreApplication>
#include <QPointer>

#include <algorithm>
#include <memory>

namespace Lookback {

namespace {

struct Counter
{
    QPointer<SignIn> signIn;
    QVector<RangeCountCall> calls;
    ExactCounts exact = ExactCounts::Ranges;
    int next = 0;
    int authTries = 0;
    RangeCounts counts;
    std::function<void(const RangeCounts &)> done;
};

void finish(const std::shared_ptr<Counter> &c)
{
    qint64 atLeast = 0;
    for (auto it = c->counts.byDays.begin(); it != c->counts.byDays.end(); ++it) {
        it.value() = std::max(it.value(), atLeast);
        if (c->exact == ExactCounts::Everything && c->counts.everything >= 0)
            it.value() = std::min(it.value(), c->counts.everything);
        atLeast = it.value();
    }
    if (c->exact == ExactCounts::Ranges && c->counts.everything >= 0)
        c->counts.everything = std::max(c->counts.everything, atLeast);
    c->counts.last30 = c->counts.byDays.value(30, -1);
    c->counts.last90 = c->counts.byDays.value(90, -1);
    c->counts.last365 = c->counts.byDays.value(365, -1);
    c->done(c->counts);
}

void step(const std::shared_ptr<Counter> &c, QObject *qcontext)
{
    if (c->next >= c->calls.size()) {
        finish(c);
        return;
    }
    if (!c->signIn) {
        c->counts.error = SyncError::make(ErrorCategory::AuthExpired,
                                          QCoreApplication::translate("RangeCounter", "This connection has no sign-in"));
        finish(c);
        return;
    }
    c->signIn->credential(qcontext, [c, qcontext](const SyncError &e, const Credential &cred) {
        if (e.isError()) {
            c->counts.error = e;
            finish(c);
            return;
        }
        const RangeCountCall &call = c->calls.at(c->next);
        call.send(cred.accessToken, [c, qcontext, days = call.days](const CountAnswer &a) {
            if (a.status == 401 && c->authTries++ == 0 && c->signIn) {
                c->signIn->rejected(a.error);
                step(c, qcontext);
                return;
            }
            if (a.error.isError()) {
                c->counts.error = a.error;
                finish(c);
                return;
            }
            if (days < 0)
                c->counts.everything = std::max<qint64>(0, c->counts.everything) + a.count;
            else
                c->counts.byDays[days] = std::max<qint64>(0, c->counts.byDays.value(days, -1)) + a.count;
            ++c->next;
            step(c, qcontext);
        });
    });
}

} // namespace

QList<int> rangePickerDays(const QList<int> &customDays)
{
    QList<int> days = {30, 90, 365};
    for (int d : customDays) {
        if (d > 0 && !days.contains(d))
            days << d;
    }
    return days;
}

void countRangesInTurn(SignIn *signIn, QObject *qcontext, QVector<RangeCountCall> calls, ExactCounts exact,
                       const SyncError &setupError, std::function<void(const RangeCounts &)> done)
{
    auto c = std::make_shared<Counter>();
    c->signIn = signIn;
    c->calls = std::move(calls);
    c->exact = exact;
    c->done = std::move(done);
    if (setupError.isError()) {
        c->counts.error = setupError;
        QMetaObject::invokeMethod(qcontext, [c] { finish(c); }, Qt::QueuedConnection);
        return;
    }
    step(c, qcontext);
}

} // namespace Lookback
