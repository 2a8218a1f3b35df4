#include "graphaccount.h"

#include "auth/oauthconfig.h"
#include "auth/signin.h"
#include "graph/graphapi.h"
#include "graph/graphsource.h"
#include "source/sourcefactory.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QPointer>
#include <QUrl>
#include <memory>

namespace Lookback::Graph {

namespace {

struct Count
{
    QString path;
    int days = 0;        // < 0: everything (the folder's totalItemCount)
};

// Runs the counting calls one after another; a 401 refreshes once.
struct Counter
{
    QPointer<SignIn> signIn;
    GraphApi *api = nullptr;
    QVector<Count> calls;
    int next = 0;
    int authTries = 0;
    RangeCounts counts;
    std::function<void(const RangeCounts &)> done;
};

void finish(std::shared_ptr<Counter> c)
{
    c->api->deleteLater();
    // A longer range never shows fewer messages than a shorter one.
    qint64 atLeast = 0;
    for (auto it = c->counts.byDays.begin(); it != c->counts.byDays.end(); ++it) {
        it.value() = std::max(it.value(), atLeast);
        atLeast = it.value();
    }
    if (c->counts.everything >= 0)
        c->counts.everything = std::max(c->counts.everything, atLeast);
    c->counts.last30 = c->counts.byDays.value(30, -1);
    c->counts.last90 = c->counts.byDays.value(90, -1);
    c->counts.last365 = c->counts.byDays.value(365, -1);
    c->done(c->counts);
}

QString tr(const char *text)
{
    return QCoreApplication::translate("Graph", text);
}

void step(std::shared_ptr<Counter> c, QObject *qcontext)
{
    if (c->next >= c->calls.size()) {
        finish(c);
        return;
    }
    if (!c->signIn) {
        c->counts.error = SyncError::make(ErrorCategory::AuthExpired, tr("This connection has no sign-in"));
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
        c->api->get(call.path, [c, qcontext, call](const Reply &r) {
            if (r.status == 401 && c->authTries++ == 0 && c->signIn) {
                c->signIn->rejected(errorFor(r));
                step(c, qcontext);
                return;
            }
            if (!r.ok()) {
                c->counts.error = errorFor(r);
                finish(c);
                return;
            }
            const QJsonObject o = r.json();
            const qint64 n = std::max<qint64>(0, qint64(o.value(call.days < 0 ? QLatin1String("totalItemCount")
                                                                               : QLatin1String("@odata.count")).toDouble()));
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
    const QUrl api = OAuthConfig::endpointsFor(ProviderKind::Microsoft, &error).apiUrl;
    c->api = new GraphApi(api, context.signIn ? context.signIn->budget() : nullptr, context.timeoutMs, qcontext);
    QList<int> days = {30, 90, 365};
    for (int d : customDays) {
        if (d > 0 && !days.contains(d))
            days << d;
    }
    const QString mailbox = mailboxPath(context.connection);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const QString &role : {QStringLiteral("inbox"), QStringLiteral("sent")}) {
        const QString folder = mailbox + QStringLiteral("/mailFolders/") + wellKnownName(role);
        c->calls << Count{folder + QStringLiteral("?$select=id,totalItemCount"), -1};
        for (int d : days)
            c->calls << Count{rangeCountPath(mailbox, role, now.addDays(-d)), d};
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
    const QUrl api = OAuthConfig::endpointsFor(ProviderKind::Microsoft, &error).apiUrl;
    if (error.isError()) {
        QMetaObject::invokeMethod(qcontext, [done, error] { done(error, {}); }, Qt::QueuedConnection);
        return;
    }
    auto *client = new GraphApi(api, nullptr, timeoutMs, qcontext);
    client->setAccessToken(accessToken);
    client->get(QStringLiteral("/me?$select=mail,userPrincipalName"), [client, done](const Reply &r) {
        client->deleteLater();
        if (!r.ok()) {
            done(errorFor(r), {});
            return;
        }
        const QJsonObject o = r.json();
        QString address = o.value(QLatin1String("mail")).toString().trimmed().left(320);
        if (address.isEmpty())
            address = o.value(QLatin1String("userPrincipalName")).toString().trimmed().left(320);
        if (address.isEmpty()) {
            done(SyncError::make(ErrorCategory::Protocol, tr("Microsoft did not say whose mailbox this is")), {});
            return;
        }
        done(SyncError(), address);
    });
}

} // namespace Lookback::Graph
