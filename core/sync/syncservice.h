#pragma once

#include "archive/records.h"
#include "auth/oauthconfig.h"
#include "auth/oauthtoken.h"
#include "source/rangecounts.h"
#include "sync/syncprogress.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <functional>
#include <memory>

class QThread;

namespace Lookback {

class ArchiveStore;
class ArchiveWriter;
class OAuthBrowserFlow;
class SignIn;
class SyncTask;

// Everything both programs need to sync: connections and their secrets,
// starting, pausing, resuming and cancelling backfills, catching up, resuming
// after a restart. The desktop program and lookback-cli both call this; neither
// reads the keychain or builds a source itself.
//
// It owns the process's one ArchiveWriter, one SignIn per account (a shared
// mailbox will use its parent's), and one SyncTask thread per connection that
// is syncing.
//
// Thread: lives on the thread that created it (the GUI thread, or the CLI's
// main thread) and relays the tasks' queued signals there. Every command to a
// task is a queued call into the task's thread. Owner: the main window or
// the CLI command.
class SyncService : public QObject
{
    Q_OBJECT
public:
    // KeychainOnly (CLI): a connection whose password the keychain cannot keep
    // is not added. SessionFallback (desktop): it is added, the password stays
    // in memory for this session, and keychainFailed() lets the UI ask.
    enum class SecretPolicy { KeychainOnly, SessionFallback };

    explicit SyncService(const QString &archivePath, QObject *parent = nullptr);
    ~SyncService() override;

    // Opens the archive (creating it) and starts the writer.
    bool open(SyncError *error);
    QString archivePath() const { return m_archivePath; }
    void setOptions(const SyncOptions &options) { m_options = options; }
    SyncOptions options() const { return m_options; }

    // ---- connections --------------------------------------------------------
    QVector<ConnectionRecord> connections() const;
    bool connection(qint64 id, ConnectionRecord *out) const;
    // Adds a connection and keeps its secret in the keychain; `done` gets the new id.
    void addConnection(const ConnectionRecord &connection, const QString &password, SecretPolicy policy,
                       std::function<void(const SyncError &, qint64 id)> done);
    // A new password (reconnect): used at once, kept in the keychain.
    void setPassword(qint64 id, const QString &password);
    // A password for this run only: never stored (CLI --password-stdin, "keep for this session").
    void setSessionPassword(qint64 id, const QString &password);
    void forgetSessionPassword(qint64 id);
    // Stops syncing and removes the sign-in from the keychain. The archive stays.
    void disconnectConnection(qint64 id);

    // ---- browser sign-in (Gmail; Microsoft 365 later) -----------------------
    using OpenUrl = std::function<void(const QUrl &url)>;
    using SignedIn = std::function<void(const SyncError &, const OAuthGrant &grant, const QString &address)>;
    // The browser step for a new account of `kind` (client: given on the
    // command line, or empty for the environment and settings). `openUrl` gets
    // the address for the browser, which the front end opens; `done` gets the
    // grant (in memory only until addOAuthConnection()) and whose mailbox it
    // opens. One sign-in at a time: a second call cancels the first.
    void signInWithBrowser(ProviderKind kind, const OAuthClient &client, OpenUrl openUrl, SignedIn done,
                           int timeoutMs = 5 * 60 * 1000);
    void cancelSignIn();
    bool isSigningIn() const;
    // Adds a connection for a grant: the keychain keeps the refresh token
    // first (no keychain, no connection), then the archive gets the row.
    void addOAuthConnection(const QString &name, ProviderKind kind, const OAuthGrant &grant, const QString &address,
                            std::function<void(const SyncError &, qint64 id)> done);
    // Reconnect: the browser step again for a connection that needs it. The
    // same mailbox must sign in; the archive and the backfill's cursor stay,
    // the new grant replaces the old one in the keychain and the connection is
    // healthy again (a backfill it had resumes with syncNow()).
    void reconnectWithBrowser(qint64 id, const OAuthClient &client, OpenUrl openUrl,
                              std::function<void(const SyncError &)> done, int timeoutMs = 5 * 60 * 1000);
    static bool usesBrowserSignIn(ProviderKind kind);

    // ---- shared mailboxes (Microsoft 365) ------------------------------------
    // A mailbox someone shared with the account of `parentId`: it signs in as
    // the parent (a reference to the parent's SignIn and request budget, no
    // secret of its own) and has its own card, range, cursor and folders.
    // When the parent's sign-in fails it waits ("Waiting on <parent>"); a
    // reconnect of the parent resumes it.
    void addSharedMailbox(const QString &name, qint64 parentId, const QString &address,
                          std::function<void(const SyncError &, qint64 id)> done);
    static bool canHaveSharedMailboxes(const ConnectionRecord &connection);

    // ---- syncing ------------------------------------------------------------
    // Backfills a range; continues an unfinished job of the same range.
    bool startBackfill(qint64 id, const BackfillRange &range);
    // Continues an unfinished backfill, or fetches what arrived since the last sync.
    void syncNow(qint64 id);
    // "Skip for now": no history, only new mail from now on.
    void skipHistory(qint64 id);
    void pause(qint64 id);
    void resume(qint64 id);
    void cancel(qint64 id);
    void stop(qint64 id);
    bool isRunning(qint64 id) const { return m_tasks.contains(id); }
    // True once the connection had a backfill, or skipped history and started live sync.
    bool hasSynced(qint64 id) const;
    // What a card shows: the live progress, or the latest job as stored.
    SyncProgress snapshot(qint64 id) const;
    // Resumes what quitting interrupted (called once at start).
    void resumeInterrupted();
    // Pauses every running task at the end of its page, marks them to resume
    // at the next start, and waits. False if one did not stop in time.
    bool shutdown(int timeoutMs = 20000);

    // Counts what each range would fetch (the range picker); `done` runs on this thread.
    void countRanges(qint64 id, const QList<int> &customDays, std::function<void(const RangeCounts &)> done);

signals:
    void connectionsChanged();
    void progressChanged(const Lookback::SyncProgress &progress);
    void finished(const Lookback::SyncProgress &progress);
    // Pages arrived: views of the archive may re-read (at most every two seconds per connection).
    void archiveChanged(qint64 connectionId);
    // No usable keychain: the UI may ask whether to keep the password for this session only.
    void keychainFailed(qint64 connectionId, const QString &message);

private:
    struct Task
    {
        QThread *thread = nullptr;
        SyncTask *task = nullptr;
    };
    bool launch(qint64 id, TaskKind kind, const BackfillRange &range);
    SignIn *signInFor(const ConnectionRecord &connection);
    void invoke(qint64 id, void (SyncTask::*command)());
    void onFinished(const SyncProgress &progress);
    ArchiveStore &store() const;

    QString m_archivePath;
    SyncOptions m_options;
    std::unique_ptr<ArchiveWriter> m_writer;
    mutable std::unique_ptr<ArchiveStore> m_store; // this thread's read connection
    QString secretKeyFor(const ConnectionRecord &connection) const;
    void reconnectAs(qint64 id, const OAuthClient &client, OpenUrl openUrl, std::function<void(const SyncError &)> done,
                     int timeoutMs);

    QHash<qint64, SignIn *> m_signIns;             // children of this object
    QPointer<OAuthBrowserFlow> m_flow;             // the browser sign-in under way
    // A reconnect still reading its client from the keychain: cancelSignIn()
    // answers it at once, and the read that comes back later is dropped.
    std::function<void()> m_cancelPending;
    quint64 m_signInEpoch = 0;                     // advanced by every cancelSignIn()
    QHash<qint64, Task> m_tasks;
    QHash<qint64, SyncProgress> m_last;
    QHash<qint64, qint64> m_lastArchiveSignal;
};

} // namespace Lookback
