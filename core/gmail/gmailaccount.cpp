#include "gmailaccount.h"

#include "auth/oauthconfig.h"
#include "auth/signin.h"
#include "gmail/gmailapi.h"
#include "gmail/gmailsource.h"
#include "source/sourcefactory.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QPointer>
#include <QDateTime>
#include <QUrl>
#include <memory>

namespace Lookback::Gmail {

namespace {

const QString kUser = QStringLiteral("/gmail/v1/users/me");

struct Count
{
    QString path;
    int cost = GmailApi::kCostList;
    int days = 0;        // < 0: everything
    bool label = false;  // labels.get: messagesTotal; else messages.list: resultSizeEstimate
};

// Runs the counting calls one after another on one token; a 401 refreshes once.
struct Counter
{
    QPointer<SignIn> signIn;
    GmailApi *api = nullptr;
    QVector<Count> calls;
    int next = 0;
    int authTries = 0;
    RangeCounts counts;
    std::function<void(const RangeCounts &)> done;
};

void finish(std::shared_ptr<Counter> c)
{
    c->api->deleteLater();
    // Each estimate is Gmail's own guess, a quarter off either way: a longer
    // range never shows fewer messages than a shorter one, and none more
    // than the labels' exact totals.
    qint64 atLeast = 0;
    for (auto it = c->counts.byDays.begin(); it != c->counts.byDays.end(); ++it) {
        it.value() = std::max(it.value(), atLeast);
        if (c->counts.everything >= 0)
            it.value() = std::min(it.value(), c->counts.everything);
        atLeast = it.value();
    }
    c->counts.last30 = c->counts.byDays.value(30, -1);
    c->counts.last90 = c->counts.byDays.value(90, -1);
    c->counts.last365 = c->counts.byDays.value(365, -1);
    c->done(c->counts);
}

void step(std::shared_ptr<Counter> c, QObject *qcontext)
{
    if (c->next >= c->calls.size()) {
        finish(c);
        return;
    }
    if (!c->signIn) {
        c->counts.error = SyncError::make(ErrorCategory::AuthExpired, QCoreApplication::translate("Gmail", "This connection has no sign-in"));
        finish(c);
        return;
    }
    c->signIn->credential(qcontext, [c, qcontext](const SyncError &e, const Credential &cred) {
        if (e.isError()) {
            c->counts.error = e;
            finish(c);
            return;
        }
        c->api->setAccessToken(cred.accessToken);
        const Count call = c->calls.at(c->next);
        c->api->get(call.path, call.cost, [c, qcontext, call](const Reply &r) {
            if (r.status == 401 && c->authTries++ == 0 && c->signIn) {
                c->signIn->rejected(errorFor(r));
                step(c, qcontext);
                return;
            }
            if (!r.ok()) {
                c->counts.error = r.status == 0
                    ? SyncError::make(ErrorCategory::Network, QCoreApplication::translate("Gmail", "Cannot reach Gmail"))
                    : errorFor(r);
                finish(c);
                return;
            }
            const QJsonObject o = r.json();
            const qint64 n = qint64(o.value(call.label ? QLatin1String("messagesTotal")
                                                       : QLatin1String("resultSizeEstimate")).toDouble());
            if (call.days < 0)
                c->counts.everything = std::max<qint64>(0, c->counts.everything) + n;
            else
                c->counts.byDays[call.days] = std::max<qint64>(0, c->counts.byDays.value(call.days, -1)) + n;
            ++c->next;
            step(c, qcontext);
        });
    });
}

} // namespace

void countRanges(const SourceContext &context, const QList<int> &customDays, QObject *qcontext,
                 std::function<void(const RangeCounts &)> done)
{
    auto c = std::make_shared<Counter>();
    c->signIn = context.signIn;
    c->done = std::move(done);
    SyncError error;
    const QUrl api = OAuthConfig::endpointsFor(ProviderKind::Gmail, &error).apiUrl;
    c->api = new GmailApi(api, context.signIn ? context.signIn->budget() : nullptr, context.timeoutMs, qcontext);
    QList<int> days = {30, 90, 365};
    for (int d : customDays) {
        if (d > 0 && !days.contains(d))
            days << d;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const QString &label : {QStringLiteral("INBOX"), QStringLiteral("SENT")}) {
        c->calls << Count{kUser + QStringLiteral("/labels/") + label, GmailApi::kCostLabel, -1, true};
        for (int d : days) {
            const QString q = QString::fromLatin1(QUrl::toPercentEncoding(rangeQuery(now.addDays(-d))));
            c->calls << Count{kUser + QStringLiteral("/messages?labelIds=") + label + QStringLiteral("&maxResults=1&q=") + q,
                              GmailApi::kCostList, d, false};
        }
    }
    if (error.isError()) {
        c->counts.error = error;
        QMetaObject::invokeMethod(qcontext, [c] { finish(c); }, Qt::QueuedConnection);
        return;
    }
    step(c, qcontext);
}

void identify(const QByteArray &accessToken, int timeoutMs, QObject *qcontext,
              std::function<void(const SyncError &, const QString &)> done)
{
    SyncError error;
    const QUrl api = OAuthConfig::endpointsFor(ProviderKind::Gmail, &error).apiUrl;
    if (error.isError()) {
        QMetaObject::invokeMethod(qcontext, [done, error] { done(error, {}); }, Qt::QueuedConnection);
        return;
    }
    auto *client = new GmailApi(api, nullptr, timeoutMs, qcontext);
    client->setAccessToken(accessToken);
    client->get(kUser + QStringLiteral("/profile"), GmailApi::kCostProfile, [client, done](const Reply &r) {
        client->deleteLater();
        if (!r.ok()) {
            done(r.status == 0 ? SyncError::make(ErrorCategory::Network, QCoreApplication::translate("Gmail", "Cannot reach Gmail"))
                               : errorFor(r),
                 {});
            return;
        }
        const QString address = r.json().value(QLatin1String("emailAddress")).toString().left(320);
        if (address.isEmpty()) {
            done(SyncError::make(ErrorCategory::Protocol, QCoreApplication::translate("Gmail", "Gmail did not say whose mailbox this is")), {});
            return;
        }
        done(SyncError(), address);
    });
}

} // namespace Lookback::Gmail
