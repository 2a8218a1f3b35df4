#include "syncservice.h"

#include "archive/archivestore.h"
#include "auth/oauthflow.h"
#include "auth/oauthsignin.h"
#include "auth/secretstore.h"
#include "auth/signin.h"
#include "common/logging.h"
#include "source/sourcefactory.h"
#include "sync/archivewriter.h"
#include "sync/synctask.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QThread>
#include <QTimer>

#include <utility>

namespace Lookback {

SyncService::SyncService(const QString &archivePath, QObject *parent)
    : QObject(parent)
    , m_archivePath(archivePath)
{
    qRegisterMetaType<Lookback::SyncProgress>();
}

SyncService::~SyncService()
{
    shutdown();
    m_writer.reset();
    m_store.reset();
}

bool SyncService::open(SyncError *error)
{
    if (m_writer && m_writer->isRunning())
        return true;
    m_writer = std::make_unique<ArchiveWriter>(m_archivePath);
    if (!m_writer->start(error)) {
        m_writer.reset();
        return false;
    }
    return true;
}

ArchiveStore &SyncService::store() const
{
    if (!m_store) {
        m_store = std::make_unique<ArchiveStore>(m_archivePath);
        SyncError e;
        if (!m_store->open(&e))
            qCWarning(lcSync) << "cannot open the archive:" << e.message;
    }
    return *m_store;
}

QVector<ConnectionRecord> SyncService::connections() const
{
    return store().connections();
}

bool SyncService::connection(qint64 id, ConnectionRecord *out) const
{
    return store().connectionById(id, out);
}

SignIn *SyncService::signInFor(const ConnectionRecord &connection)
{
    // A shared mailbox borrows its parent's sign-in.
    const qint64 owner = connection.parentId > 0 ? connection.parentId : connection.id;
    if (SignIn *existing = m_signIns.value(owner))
        return existing;
    ConnectionRecord account = connection;
    if (connection.parentId > 0 && !store().connectionById(connection.parentId, &account))
        return nullptr;
    SignIn *signIn = SourceFactory::createSignIn(account, this);
    if (signIn)
        m_signIns.insert(owner, signIn);
    return signIn;
}

void SyncService::addConnection(const ConnectionRecord &connection, const QString &password, SecretPolicy policy,
                                std::function<void(const SyncError &, qint64)> done)
{
    SyncError error;
    if (!open(&error)) {
        done(error, 0);
        return;
    }
    ConnectionRecord existing;
    if (store().connectionByName(connection.name, &existing)) {
        done(SyncError::make(ErrorCategory::Configuration,
                             tr("A connection named \"%1\" already exists").arg(connection.name)),
             0);
        return;
    }
    auto *probe = qobject_cast<PasswordSignIn *>(SourceFactory::createSignIn(connection, this));
    if (!probe) {
        done(SyncError::make(ErrorCategory::Configuration, tr("This kind of connection does not use a password")), 0);
        return;
    }
    const QString key = probe->secretKey();
    probe->deleteLater();
    auto add = [this, connection](qint64 *id) {
        ConnectionRecord c = connection;
        const SyncError e = m_writer->run([&c](ArchiveStore &s) {
            SyncError err;
            s.addConnection(&c, &err);
            return err;
        });
        *id = c.id;
        if (!e.isError())
            emit connectionsChanged();
        return e;
    };
    auto *secrets = new SecretStore(this);
    if (policy == SecretPolicy::KeychainOnly) {
        // The keychain first: a connection whose password could not be kept is not created.
        secrets->write(key, password.toUtf8(), [secrets, add, done](const SyncError &e) {
            secrets->deleteLater();
            if (e.isError()) {
                done(e, 0);
                return;
            }
            qint64 id = 0;
            const SyncError addError = add(&id);
            done(addError, id);
        });
        return;
    }
    qint64 id = 0;
    const SyncError addError = add(&id);
    if (addError.isError()) {
        secrets->deleteLater();
        done(addError, 0);
        return;
    }
    // Usable at once; leaves memory as soon as the keychain holds it.
    setSessionPassword(id, password);
    secrets->write(key, password.toUtf8(), [this, secrets, id](const SyncError &e) {
        secrets->deleteLater();
        if (e.isError())
            emit keychainFailed(id, e.message);
        else
            forgetSessionPassword(id);
    });
    done(SyncError(), id);
}

void SyncService::setPassword(qint64 id, const QString &password)
{
    ConnectionRecord c;
    if (!connection(id, &c))
        return;
    auto *signIn = qobject_cast<PasswordSignIn *>(signInFor(c));
    if (!signIn)
        return;
    signIn->setSessionPassword(password);
    auto *secrets = new SecretStore(this);
    secrets->write(signIn->secretKey(), password.toUtf8(), [this, id, secrets, signIn = QPointer<PasswordSignIn>(signIn)](const SyncError &e) {
        secrets->deleteLater();
        if (e.isError())
            emit keychainFailed(id, e.message);
        else if (signIn)
            signIn->clearSessionPassword();
    });
}

void SyncService::setSessionPassword(qint64 id, const QString &password)
{
    ConnectionRecord c;
    if (!connection(id, &c))
        return;
    if (auto *signIn = qobject_cast<PasswordSignIn *>(signInFor(c)))
        signIn->setSessionPassword(password);
}

void SyncService::forgetSessionPassword(qint64 id)
{
    ConnectionRecord c;
    if (!connection(id, &c))
        return;
    if (auto *signIn = qobject_cast<PasswordSignIn *>(signInFor(c)))
        signIn->clearSessionPassword();
}

void SyncService::disconnectConnection(qint64 id)
{
    invoke(id, &SyncTask::cancel);
    ConnectionRecord c;
    if (!connection(id, &c))
        return;
    if (auto *signIn = qobject_cast<PasswordSignIn *>(signInFor(c)))
        signIn->clearSessionPassword();
    const QString key = secretKeyFor(c);
    if (!key.isEmpty()) {
        auto *secrets = new SecretStore(this);
        secrets->remove(key, [secrets](const SyncError &) { secrets->deleteLater(); });
    }
    if (c.parentId == 0)
        delete m_signIns.take(id); // a reconnect starts from the keychain again
    SyncError error;
    if (open(&error)) {
        m_writer->run([id](ArchiveStore &s) {
            SyncError e;
            s.setHealth(id, Health::NeedsReconnect, tr("Disconnected: the sign-in was removed from the keychain"), &e);
            return e;
        });
    }
    m_last.remove(id);
    emit connectionsChanged();
}

QString SyncService::secretKeyFor(const ConnectionRecord &c) const
{
    if (c.parentId > 0)
        return {}; // a shared mailbox has no secret of its own
    if (usesBrowserSignIn(c.kind))
        return OAuthSignIn::keyFor(c.kind, c.username);
    if (c.kind == ProviderKind::Imap)
        return PasswordSignIn::keyForImap(c.username, c.host, c.port);
    return {};
}

bool SyncService::usesBrowserSignIn(ProviderKind kind)
{
    return kind == ProviderKind::Gmail || kind == ProviderKind::Microsoft;
}

bool SyncService::canHaveSharedMailboxes(const ConnectionRecord &connection)
{
    return connection.kind == ProviderKind::Microsoft && connection.parentId == 0;
}

void SyncService::addSharedMailbox(const QString &name, qint64 parentId, const QString &address,
                                   std::function<void(const SyncError &, qint64)> done)
{
    auto answer = [this, done](const SyncError &e, qint64 id) {
        QMetaObject::invokeMethod(this, [done, e, id] { done(e, id); }, Qt::QueuedConnection);
    };
    SyncError error;
    if (!open(&error)) {
        answer(error, 0);
        return;
    }
    ConnectionRecord parent;
    if (!connection(parentId, &parent) || !canHaveSharedMailboxes(parent)) {
        answer(SyncError::make(ErrorCategory::Configuration,
                               tr("Shared mailboxes can be added only under a Microsoft 365 connection")),
               0);
        return;
    }
    const QString mailbox = address.trimmed();
    const int at = mailbox.indexOf(QLatin1Char('@'));
    if (at <= 0 || at == mailbox.size() - 1 || mailbox.size() > 320 || mailbox.contains(QLatin1Char(' '))
        || mailbox.contains(QLatin1Char('/'))) {
        answer(SyncError::make(ErrorCategory::Configuration,
                               tr("\"%1\" is not a mailbox address (like support@example.com)").arg(mailbox)),
               0);
        return;
    }
    if (mailbox.compare(parent.username, Qt::CaseInsensitive) == 0) {
        answer(SyncError::make(ErrorCategory::Configuration, tr("That is %1's own mailbox").arg(parent.name)), 0);
        return;
    }
    ConnectionRecord existing;
    if (store().connectionByName(name, &existing)) {
        answer(SyncError::make(ErrorCategory::Configuration, tr("A connection named \"%1\" already exists").arg(name)), 0);
        return;
    }
    for (const ConnectionRecord &c : connections()) {
        if (c.parentId == parentId && c.username.compare(mailbox, Qt::CaseInsensitive) == 0) {
            answer(SyncError::make(ErrorCategory::Configuration,
                                   tr("%1 is already added as \"%2\"").arg(mailbox, c.name)),
                   0);
            return;
        }
    }
    ConnectionRecord c;
    c.name = name;
    c.kind = parent.kind;
    c.username = mailbox;
    c.host = parent.host;
    c.port = parent.port;
    c.security = parent.security;
    c.parentId = parentId;
    const SyncError addError = m_writer->run([&c](ArchiveStore &s) {
        SyncError err;
        s.addConnection(&c, &err);
        return err;
    });
    if (addError.isError()) {
        answer(addError, 0);
        return;
    }
    emit connectionsChanged();
    answer(SyncError(), c.id);
}

bool SyncService::isSigningIn() const
{
    return (m_flow && m_flow->isRunning()) || m_cancelPending;
}

void SyncService::cancelSignIn()
{
    ++m_signInEpoch;
    if (auto pending = std::exchange(m_cancelPending, {}))
        pending();
    if (m_flow)
        m_flow->cancel();
}

void SyncService::signInWithBrowser(ProviderKind kind, const OAuthClient &client, OpenUrl openUrl, SignedIn done,
                                    int timeoutMs)
{
    cancelSignIn();
    SyncError error;
    const OAuthProviderConfig config = OAuthConfig::forProvider(kind, client, &error);
    if (error.isError()) {
        QMetaObject::invokeMethod(this, [done, error] { done(error, {}, {}); }, Qt::QueuedConnection);
        return;
    }
    auto *flow = new OAuthBrowserFlow(config, this);
    flow->setTimeoutMs(timeoutMs);
    m_flow = flow;
    connect(flow, &OAuthBrowserFlow::authorizeUrl, this, [openUrl](const QUrl &url) { openUrl(url); });
    connect(flow, &OAuthBrowserFlow::finished, this, [this, flow, kind, done](const SyncError &e, const OAuthGrant &grant) {
        flow->deleteLater();
        if (e.isError()) {
            done(e, {}, {});
            return;
        }
        // Whose mailbox is it? The address names the connection's account.
        SourceFactory::identifyAccount(kind, grant.accessToken, m_options.timeoutMs, this,
                                       [done, grant](const SyncError &e, const QString &address) {
            done(e, e.isError() ? OAuthGrant() : grant, address);
        });
    });
    flow->start();
}

void SyncService::addOAuthConnection(const QString &name, ProviderKind kind, const OAuthGrant &grant,
                                     const QString &address, std::function<void(const SyncError &, qint64)> done)
{
    SyncError error;
    if (!open(&error)) {
        done(error, 0);
        return;
    }
    ConnectionRecord existing;
    if (store().connectionByName(name, &existing)) {
        done(SyncError::make(ErrorCategory::Configuration, tr("A connection named \"%1\" already exists").arg(name)), 0);
        return;
    }
    ConnectionRecord c;
    c.name = name;
    c.kind = kind;
    c.username = address;
    SyncError endpointError;
    const QUrl api = OAuthConfig::endpointsFor(kind, &endpointError).apiUrl;
    c.host = api.host();
    c.port = quint16(api.port(api.scheme() == QLatin1String("https") ? 443 : 80));
    c.security = api.scheme() == QLatin1String("https") ? QStringLiteral("tls") : QStringLiteral("none");
    auto *secrets = new SecretStore(this);
    // The keychain first: an account whose refresh token could not be kept is not added.
    secrets->write(OAuthSignIn::keyFor(kind, address), grant.toKeychain(),
                   [this, secrets, c, grant, done](const SyncError &e) mutable {
        secrets->deleteLater();
        if (e.isError()) {
            done(e, 0);
            return;
        }
        const SyncError addError = m_writer->run([&c](ArchiveStore &s) {
            SyncError err;
            s.addConnection(&c, &err);
            return err;
        });
        if (addError.isError()) {
            done(addError, 0);
            return;
        }
        // The first access token is used at once instead of a refresh.
        if (auto *signIn = qobject_cast<OAuthSignIn *>(signInFor(c)))
            signIn->setGrant(grant);
        emit connectionsChanged();
        done(SyncError(), c.id);
    });
}

void SyncService::reconnectWithBrowser(qint64 id, const OAuthClient &client, OpenUrl openUrl,
                                       std::function<void(const SyncError &)> done, int timeoutMs)
{
    ConnectionRecord c;
    if (!connection(id, &c) || !usesBrowserSignIn(c.kind) || c.parentId > 0) {
        QMetaObject::invokeMethod(this, [done] {
            done(SyncError::make(ErrorCategory::Configuration, tr("This connection does not sign in with a browser")));
        }, Qt::QueuedConnection);
        return;
    }
    if (client.clientId.isEmpty()) {
        // The client the account signed in with, unless another is given.
        cancelSignIn(); // one sign-in at a time
        const quint64 epoch = m_signInEpoch;
        m_cancelPending = [done] { done(SyncError::make(ErrorCategory::AuthExpired, tr("Sign-in cancelled"))); };
        auto *secrets = new SecretStore(this);
        secrets->read(secretKeyFor(c), [this, secrets, id, openUrl, done, timeoutMs, epoch](const SyncError &, const QByteArray &data) {
            secrets->deleteLater();
            if (epoch != m_signInEpoch)
                return; // cancelled (and answered) while the keychain was read
            m_cancelPending = {};
            OAuthGrant old;
            OAuthClient stored;
            if (OAuthGrant::fromKeychain(data, &old))
                stored = old.client;
            // (none stored: the environment's or the settings' client)
            reconnectAs(id, stored, openUrl, done, timeoutMs);
        });
        return;
    }
    reconnectAs(id, client, std::move(openUrl), std::move(done), timeoutMs);
}

void SyncService::reconnectAs(qint64 id, const OAuthClient &use, OpenUrl openUrl, std::function<void(const SyncError &)> done,
                              int timeoutMs)
{
    ConnectionRecord c;
    if (!connection(id, &c)) {
        done(SyncError::make(ErrorCategory::Configuration, tr("That connection is gone")));
        return;
    }
    signInWithBrowser(c.kind, use, std::move(openUrl), [this, id, c, done](const SyncError &e, const OAuthGrant &grant, const QString &address) {
        if (e.isError()) {
            done(e);
            return;
        }
        if (address.compare(c.username, Qt::CaseInsensitive) != 0) {
            done(SyncError::make(ErrorCategory::AuthExpired,
                                 tr("You signed in as %1, but this connection is %2: sign in with %2").arg(address, c.username)));
            return;
        }
        auto *secrets = new SecretStore(this);
        secrets->write(secretKeyFor(c), grant.toKeychain(), [this, secrets, id, c, grant, done](const SyncError &w) {
            secrets->deleteLater();
            if (w.isError()) {
                done(w);
                return;
            }
            if (auto *signIn = qobject_cast<OAuthSignIn *>(signInFor(c)))
                signIn->setGrant(grant);
            m_writer->run([id](ArchiveStore &s) {
                SyncError err;
                s.setHealth(id, Health::Healthy, QString(), &err);
                return err;
            });
            m_last.remove(id);
            // Shared mailboxes that waited on this sign-in go on by themselves.
            for (const ConnectionRecord &child : connections()) {
                if (child.parentId != id || child.health != Health::WaitingOnParent)
                    continue;
                m_writer->run([childId = child.id](ArchiveStore &s) {
                    SyncError err;
                    s.setHealth(childId, Health::Healthy, QString(), &err);
                    return err;
                });
                m_last.remove(child.id);
                syncNow(child.id);
            }
            emit connectionsChanged();
            done(SyncError());
        });
    }, timeoutMs);
}

bool SyncService::launch(qint64 id, TaskKind kind, const BackfillRange &range)
{
    ConnectionRecord c;
    SyncError error;
    if (m_tasks.contains(id) || !open(&error) || !connection(id, &c))
        return false;
    SyncTaskRequest request;
    request.kind = kind;
    request.connectionId = id;
    request.range = range;
    request.archivePath = m_archivePath;
    request.options = m_options;
    request.signIn = signInFor(c);
    request.writer = m_writer.get();
    Task entry;
    entry.thread = new QThread;
    entry.thread->setObjectName(QStringLiteral("sync-%1").arg(id));
    entry.task = new SyncTask(request);
    entry.task->moveToThread(entry.thread);
    connect(entry.thread, &QThread::started, entry.task, &SyncTask::start);
    connect(entry.thread, &QThread::finished, entry.task, &QObject::deleteLater);
    connect(entry.thread, &QThread::finished, entry.thread, &QObject::deleteLater);
    connect(entry.task, &SyncTask::progressChanged, this, [this](const SyncProgress &p) {
        m_last.insert(p.connectionId, p);
        emit progressChanged(p);
        // Views re-read the archive at most every two seconds while pages arrive.
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (now - m_lastArchiveSignal.value(p.connectionId) > 2000) {
            m_lastArchiveSignal.insert(p.connectionId, now);
            emit archiveChanged(p.connectionId);
        }
    }, Qt::QueuedConnection);
    connect(entry.task, &SyncTask::finished, this, &SyncService::onFinished, Qt::QueuedConnection);
    m_tasks.insert(id, entry);
    m_last.remove(id);
    entry.thread->start();
    return true;
}

bool SyncService::startBackfill(qint64 id, const BackfillRange &range)
{
    if (range.isSkip()) {
        skipHistory(id);
        return true;
    }
    return launch(id, TaskKind::Backfill, range);
}

void SyncService::syncNow(qint64 id)
{
    BackfillJobRecord job;
    if (store().latestJob(id, &job) && job.state != BackfillState::Complete && job.state != BackfillState::Cancelled) {
        launch(id, TaskKind::Backfill, job.range);
        return;
    }
    launch(id, TaskKind::CatchUp, BackfillRange{0});
}

void SyncService::skipHistory(qint64 id)
{
    // A catch-up with no live position yet records one at "now": only new mail from then on.
    launch(id, TaskKind::CatchUp, BackfillRange{0});
}

void SyncService::invoke(qint64 id, void (SyncTask::*command)())
{
    const auto it = m_tasks.constFind(id);
    if (it != m_tasks.cend())
        QMetaObject::invokeMethod(it->task, command, Qt::QueuedConnection);
}

void SyncService::pause(qint64 id)
{
    invoke(id, &SyncTask::pause);
}

void SyncService::stop(qint64 id)
{
    invoke(id, &SyncTask::stop);
}

void SyncService::resume(qint64 id)
{
    if (m_tasks.contains(id)) {
        invoke(id, &SyncTask::resume);
        return;
    }
    // Paused in an earlier run of the program: a new task continues the job.
    BackfillJobRecord job;
    if (store().latestJob(id, &job))
        startBackfill(id, job.range);
}

void SyncService::cancel(qint64 id)
{
    if (m_tasks.contains(id)) {
        invoke(id, &SyncTask::cancel);
        return;
    }
    BackfillJobRecord job;
    SyncError error;
    if (store().latestJob(id, &job) && job.state != BackfillState::Complete && job.state != BackfillState::Cancelled
        && open(&error)) {
        job.state = BackfillState::Cancelled;
        job.finishedAt = QDateTime::currentDateTimeUtc();
        job.interrupted = false;
        m_writer->run([job, id](ArchiveStore &s) {
            SyncError e;
            if (s.updateJob(job, &e))
                s.setHealth(id, Health::Healthy, QString(), &e);
            return e;
        });
        m_last.remove(id);
        emit finished(snapshot(id));
    }
}

bool SyncService::hasSynced(qint64 id) const
{
    BackfillJobRecord job;
    if (store().latestJob(id, &job))
        return true;
    for (const FolderRecord &f : store().folders(id)) {
        if (!f.sourceState.isEmpty())
            return true;
    }
    return false;
}

SyncProgress SyncService::snapshot(qint64 id) const
{
    if (m_last.contains(id))
        return m_last.value(id);
    SyncProgress p;
    p.connectionId = id;
    ConnectionRecord c;
    if (store().connectionById(id, &c)) {
        p.health = c.health;
        if (healthNeedsAttention(c.health))
            p.error.message = c.healthDetail;
    }
    BackfillJobRecord job;
    if (store().latestJob(id, &job)) {
        p.jobId = job.id;
        p.range = job.range;
        p.state = job.state;
        p.fetched = job.fetched;
        p.estimatedTotal = job.estimatedTotal;
        p.unreadable = store().failureCount(id, job.id);
        p.error.category = categoryFromName(job.errorCategory);
        if (!job.errorMessage.isEmpty())
            p.error.message = job.errorMessage;
        if (job.state == BackfillState::Running)
            p.state = BackfillState::Paused; // a job left running by a crash waits to be resumed
    } else {
        p.jobId = 0;
        p.state = BackfillState::Complete;
        p.fetched = 0;
        p.estimatedTotal = -1;
    }
    return p;
}

void SyncService::resumeInterrupted()
{
    for (const ConnectionRecord &c : connections()) {
        BackfillJobRecord job;
        if (store().latestJob(c.id, &job) && job.interrupted
            && (job.state == BackfillState::Paused || job.state == BackfillState::Running))
            startBackfill(c.id, job.range);
    }
}

void SyncService::onFinished(const SyncProgress &progress)
{
    const Task entry = m_tasks.take(progress.connectionId);
    if (entry.thread) {
        entry.thread->quit();
        entry.thread->wait();
    }
    m_last.insert(progress.connectionId, progress);
    emit finished(progress);
    emit archiveChanged(progress.connectionId);
    emit connectionsChanged();
}

bool SyncService::shutdown(int timeoutMs)
{
    if (m_tasks.isEmpty())
        return true;
    for (auto it = m_tasks.cbegin(); it != m_tasks.cend(); ++it)
        QMetaObject::invokeMethod(it->task, &SyncTask::stopForQuit, Qt::QueuedConnection);
    QEventLoop loop;
    QDeadlineTimer deadline(timeoutMs);
    QTimer tick;
    connect(&tick, &QTimer::timeout, &loop, [&] {
        if (m_tasks.isEmpty() || deadline.hasExpired())
            loop.quit();
    });
    tick.start(20);
    loop.exec();
    const bool clean = m_tasks.isEmpty();
    // Whatever did not stop in time is cancelled: its page in flight is not stored.
    for (auto it = m_tasks.cbegin(); it != m_tasks.cend(); ++it) {
        QMetaObject::invokeMethod(it->task, &SyncTask::cancel, Qt::QueuedConnection);
        it->thread->quit();
        it->thread->wait(5000);
    }
    m_tasks.clear();
    return clean;
}

void SyncService::countRanges(qint64 id, const QList<int> &customDays, std::function<void(const RangeCounts &)> done)
{
    ConnectionRecord c;
    if (!connection(id, &c)) {
        RangeCounts counts;
        counts.error = SyncError::make(ErrorCategory::Configuration, tr("No such connection"));
        done(counts);
        return;
    }
    SourceContext context;
    context.connection = c;
    context.signIn = signInFor(c);
    SourceFactory::countRanges(context, customDays, this, std::move(done));
}

} // namespace Lookback
