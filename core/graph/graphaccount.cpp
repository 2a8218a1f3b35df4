#include "graphaccount.h"

#include "auth/oauthconfig.h"
#include "auth/signin.h"
#include "graph/graphapi.h"
#include "graph/graphsource.h"
#include "source/rangecounter.h"
#include "source/sourcefactory.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QUrl>
#include <memory>

namespace Lookback::Graph {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Graph", text);
}

} // namespace

void countRanges(const SourceContext &context, const QList<int> &customDays, QObject *qcontext,
                 std::function<void(const RangeCounts &)> done)
{
    SyncError error;
    const QUrl apiUrl = OAuthConfig::endpointsFor(ProviderKind::Microsoft, &error).apiUrl;
    auto *api = new GraphApi(apiUrl, context.signIn ? context.signIn->budget() : nullptr, context.timeoutMs, qcontext);
    // One call: a folder's totalItemCount (everything) or a range's @odata.count.
    auto count = [api](const QString &path, const QLatin1String &field) {
        return [api, path, field](const QByteArray &token, std::function<void(const CountAnswer &)> answered) {
            api->setAccessToken(token);
            api->get(path, [answered, field](const Reply &r) {
                CountAnswer a;
                a.status = r.status;
                if (r.ok())
                    a.count = std::max<qint64>(0, qint64(r.json().value(field).toDouble()));
                else
                    a.error = errorFor(r);
                answered(a);
            });
        };
    };
    QVector<RangeCountCall> calls;
    const QString mailbox = mailboxPath(context.connection);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const QString &role : {QStringLiteral("inbox"), QStringLiteral("sent")}) {
        const QString folder = mailbox + QStringLiteral("/mailFolders/") + wellKnownName(role);
        calls << RangeCountCall{-1, count(folder + QStringLiteral("?$select=id,totalItemCount"),
                                          QLatin1String("totalItemCount"))};
        for (int d : rangePickerDays(customDays))
            calls << RangeCountCall{d, count(rangeCountPath(mailbox, role, now.addDays(-d)), QLatin1String("@odata.count"))};
    }
    // totalItemCount counts every item of a folder; the range counts are exact.
    countRangesInTurn(context.signIn, qcontext, calls, ExactCounts::Ranges, error,
                      [api, done = std::move(done)](const RangeCounts &counts) {
        api->deleteLater();
        done(counts);
    });
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
