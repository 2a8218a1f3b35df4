#include "gmailaccount.h"

#include "auth/oauthconfig.h"
#include "auth/signin.h"
#include "gmail/gmailapi.h"
#include "gmail/gmailsource.h"
#include "source/rangecounter.h"
#include "source/sourcefactory.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QDateTime>
#include <QUrl>
#include <memory>

namespace Lookback::Gmail {

namespace {

const QString kUser = QStringLiteral("/gmail/v1/users/me");

} // namespace

void countRanges(const SourceContext &context, const QList<int> &customDays, QObject *qcontext,
                 std::function<void(const RangeCounts &)> done)
{
    SyncError error;
    const QUrl apiUrl = OAuthConfig::endpointsFor(ProviderKind::Gmail, &error).apiUrl;
    auto *api = new GmailApi(apiUrl, context.signIn ? context.signIn->budget() : nullptr, context.timeoutMs, qcontext);
    // One call: a label's messagesTotal (everything) or a range's resultSizeEstimate.
    auto count = [api](const QString &path, int cost, const QLatin1String &field) {
        return [api, path, cost, field](const QByteArray &token, std::function<void(const CountAnswer &)> answered) {
            api->setAccessToken(token);
            api->get(path, cost, [answered, field](const Reply &r) {
                CountAnswer a;
                a.status = r.status;
                if (r.ok())
                    a.count = qint64(r.json().value(field).toDouble());
                else
                    a.error = r.status == 0 ? SyncError::make(ErrorCategory::Network,
                                                              QCoreApplication::translate("Gmail", "Cannot reach Gmail"))
                                            : errorFor(r);
                answered(a);
            });
        };
    };
    QVector<RangeCountCall> calls;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const QString &label : {QStringLiteral("INBOX"), QStringLiteral("SENT")}) {
        calls << RangeCountCall{-1, count(kUser + QStringLiteral("/labels/") + label, GmailApi::kCostLabel,
                                          QLatin1String("messagesTotal"))};
        for (int d : rangePickerDays(customDays)) {
            const QString q = QString::fromLatin1(QUrl::toPercentEncoding(rangeQuery(now.addDays(-d))));
            calls << RangeCountCall{d, count(kUser + QStringLiteral("/messages?labelIds=") + label
                                                 + QStringLiteral("&maxResults=1&q=") + q,
                                             GmailApi::kCostList, QLatin1String("resultSizeEstimate"))};
        }
    }
    // Each estimate is Gmail's own guess, a quarter off either way; the
    // labels' totals are exact.
    countRangesInTurn(context.signIn, qcontext, calls, ExactCounts::Everything, error,
                      [api, done = std::move(done)](const RangeCounts &counts) {
        api->deleteLater();
        done(counts);
    });
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
