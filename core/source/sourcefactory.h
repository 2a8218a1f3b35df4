#pragma once

#include "archive/records.h"
#include "common/syncerror.h"
#include "source/rangecounts.h"

#include <QList>
#include <QPointer>
#include <functional>
#include <memory>

class QObject;

namespace Lookback {

class ArchiveView;
class MailSource;
class RequestBudget;
class SignIn;

// What a source is made from.
struct SourceContext
{
    ConnectionRecord connection;    // server, account and trust settings (no secret)
    QPointer<SignIn> signIn;        // hands out the credential when the source connects
    ArchiveView *archive = nullptr; // what is archived already (the task's read connection)
    int timeoutMs = 60000;          // silence after which a request counts as lost
};

// Makes the source, the sign-in and the range counter for a connection by its
// kind, so nothing in the sync engine includes a provider's folder. Providers
// are registered in sourcefactory.cpp; a test may register a scripted one
// (ProviderKind::Scripted) before it starts a sync.
//
// Thread: any; registration happens before any sync starts.
class SourceFactory
{
public:
    using SourceMaker = std::function<MailSource *(const SourceContext &, QObject *parent)>;
    using SignInMaker = std::function<SignIn *(const ConnectionRecord &, QObject *parent)>;
    using RangeCounter = std::function<void(const SourceContext &, const QList<int> &customDays, QObject *context,
                                            std::function<void(const RangeCounts &)> done)>;

    // nullptr with *error set when the kind has no source here.
    static MailSource *createSource(const SourceContext &context, QObject *parent, SyncError *error);
    static SignIn *createSignIn(const ConnectionRecord &connection, QObject *parent);
    // Counts what each range would fetch; `done` runs on `context`'s thread.
    static void countRanges(const SourceContext &context, const QList<int> &customDays, QObject *qcontext,
                            std::function<void(const RangeCounts &)> done);

    static void registerProvider(ProviderKind kind, SourceMaker source, SignInMaker signIn,
                                 RangeCounter counter = RangeCounter());

    // OAuth providers: the request budget each new sign-in of `kind` gets
    // (one per account, shared by the mailboxes that borrow its sign-in). A
    // benchmark or test scales the provider's limits down with it; an empty
    // maker gives back the provider's own. Set before any sync starts.
    using BudgetMaker = std::function<std::shared_ptr<RequestBudget>()>;
    static void setBudgetMaker(ProviderKind kind, BudgetMaker make);

    // OAuth providers: whose mailbox a fresh access token opens (the address
    // a new connection is named by, and checked again on reconnect).
    using AccountIdentifier = std::function<void(const QByteArray &accessToken, int timeoutMs, QObject *context,
                                                 std::function<void(const SyncError &, const QString &address)> done)>;
    static void identifyAccount(ProviderKind kind, const QByteArray &accessToken, int timeoutMs, QObject *context,
                                std::function<void(const SyncError &, const QString &address)> done);
};

} // namespace Lookback
