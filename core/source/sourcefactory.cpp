#include "sourcefactory.h"

#include "auth/oauthsignin.h"
#include "auth/requestbudget.h"
#include "auth/signin.h"
#include "gmail/gmailaccount.h"
#include "gmail/gmailsource.h"
#include "graph/graphaccount.h"
#include "graph/graphsource.h"
#include "imap/imapprobe.h"
#include "imap/imapsource.h"

#include <QHash>
#include <QObject>

namespace Lookback {

namespace {

struct Provider
{
    SourceFactory::SourceMaker source;
    SourceFactory::SignInMaker signIn;
    SourceFactory::RangeCounter counter;
    SourceFactory::AccountIdentifier identify;
};

QHash<ProviderKind, SourceFactory::BudgetMaker> &budgetMakers()
{
    static QHash<ProviderKind, SourceFactory::BudgetMaker> makers;
    return makers;
}

// A new OAuth sign-in's budget: the provider's own limits, unless replaced.
SignIn *oauthSignIn(ProviderKind kind, const ConnectionRecord &c, QObject *parent, const RequestBudget::Limits &limits)
{
    auto *signIn = new OAuthSignIn(kind, c.username, parent);
    const SourceFactory::BudgetMaker make = budgetMakers().value(kind);
    signIn->setBudget(make ? make() : std::make_shared<RequestBudget>(limits));
    return signIn;
}

void countImapRanges(const SourceContext &context, const QList<int> &customDays, QObject *qcontext,
                     std::function<void(const RangeCounts &)> done)
{
    if (!context.signIn) {
        RangeCounts counts;
        counts.error = SyncError::make(ErrorCategory::AuthExpired, QObject::tr("This connection has no sign-in"));
        done(counts);
        return;
    }
    const ConnectionRecord account = context.connection;
    context.signIn->credential(qcontext, [account, customDays, qcontext, done](const SyncError &e, const Credential &c) {
        if (e.isError()) {
            RangeCounts counts;
            counts.error = e;
            done(counts);
            return;
        }
        auto *probe = new ImapProbe(qcontext);
        QObject::connect(probe, &ImapProbe::counted, qcontext, [probe, done](const RangeCounts &counts) {
            probe->deleteLater();
            done(counts);
        });
        probe->count(Imap::settingsFor(account, c), customDays);
    });
}

QHash<ProviderKind, Provider> &registry()
{
    static QHash<ProviderKind, Provider> providers = [] {
        QHash<ProviderKind, Provider> p;
        p.insert(ProviderKind::Imap,
                 {[](const SourceContext &c, QObject *parent) -> MailSource * { return new ImapSource(c, parent); },
                  [](const ConnectionRecord &c, QObject *parent) -> SignIn * {
                      return new PasswordSignIn(c.username, PasswordSignIn::keyForImap(c.username, c.host, c.port), parent);
                  },
                  countImapRanges, {}});
        p.insert(ProviderKind::Gmail,
                 {[](const SourceContext &c, QObject *parent) -> MailSource * { return new GmailSource(c, parent); },
                  [](const ConnectionRecord &c, QObject *parent) -> SignIn * {
                      // Gmail's per-user quota, 15,000 units a minute (PROVIDERS.md 2.4),
                      // with a margin for other clients of the same account.
                      return oauthSignIn(ProviderKind::Gmail, c, parent, RequestBudget::Limits{14250, 60000, 0, 1000});
                  },
                  Gmail::countRanges, Gmail::identify});
        p.insert(ProviderKind::Microsoft,
                 {[](const SourceContext &c, QObject *parent) -> MailSource * { return new GraphSource(c, parent); },
                  [](const ConnectionRecord &c, QObject *parent) -> SignIn * {
                      // Graph's mailbox limits (PROVIDERS.md 1.5): 10,000 requests in 10
                      // minutes and 4 at once, kept for the whole sign-in, so its shared
                      // mailboxes and the personal one together stay inside one mailbox's
                      // share, with a margin for other clients of the account.
                      return oauthSignIn(ProviderKind::Microsoft, c, parent,
                                         RequestBudget::Limits{9500, 600000, GraphApi::kMaxInFlight, 1000});
                  },
                  Graph::countRanges, Graph::identify});
        return p;
    }();
    return providers;
}

} // namespace

MailSource *SourceFactory::createSource(const SourceContext &context, QObject *parent, SyncError *error)
{
    const auto it = registry().constFind(context.connection.kind);
    if (it == registry().cend() || !it->source) {
        *error = SyncError::make(ErrorCategory::Configuration,
                                 QObject::tr("Lookback cannot sync %1 connections yet")
                                     .arg(providerKindName(context.connection.kind)));
        return nullptr;
    }
    return it->source(context, parent);
}

SignIn *SourceFactory::createSignIn(const ConnectionRecord &connection, QObject *parent)
{
    const auto it = registry().constFind(connection.kind);
    return it == registry().cend() || !it->signIn ? nullptr : it->signIn(connection, parent);
}

void SourceFactory::countRanges(const SourceContext &context, const QList<int> &customDays, QObject *qcontext,
                                std::function<void(const RangeCounts &)> done)
{
    const auto it = registry().constFind(context.connection.kind);
    if (it == registry().cend() || !it->counter) {
        RangeCounts counts;
        counts.error = SyncError::make(ErrorCategory::Configuration, QObject::tr("No counts for this kind of connection"));
        QMetaObject::invokeMethod(qcontext, [done, counts] { done(counts); }, Qt::QueuedConnection);
        return;
    }
    it->counter(context, customDays, qcontext, std::move(done));
}

void SourceFactory::registerProvider(ProviderKind kind, SourceMaker source, SignInMaker signIn, RangeCounter counter)
{
    // A test replacing a provider's makers keeps what it does not replace.
    const AccountIdentifier identify = registry().value(kind).identify;
    registry().insert(kind, {std::move(source), std::move(signIn), std::move(counter), identify});
}

void SourceFactory::setBudgetMaker(ProviderKind kind, BudgetMaker make)
{
    if (make)
        budgetMakers().insert(kind, std::move(make));
    else
        budgetMakers().remove(kind);
}

void SourceFactory::identifyAccount(ProviderKind kind, const QByteArray &accessToken, int timeoutMs, QObject *context,
                                    std::function<void(const SyncError &, const QString &)> done)
{
    const auto it = registry().constFind(kind);
    if (it == registry().cend() || !it->identify) {
        const SyncError e = SyncError::make(ErrorCategory::Configuration,
                                            QObject::tr("This kind of connection does not sign in with a browser"));
        QMetaObject::invokeMethod(context, [done, e] { done(e, {}); }, Qt::QueuedConnection);
        return;
    }
    it->identify(accessToken, timeoutMs, context, std::move(done));
}

} // namespace Lookback
