#pragma once

#include "archive/records.h"
#include "backfill/backfillcontroller.h"
#include "imap/imapconnection.h"

#include <QHash>
#include <QObject>
#include <memory>

namespace Lookback {
class ArchiveStore;
}

namespace Lookback::Ui {

// The desktop program's side of syncing: turns a connection in the archive
// into a running backfill (password from the keychain or this session),
// keeps the last known progress of each connection for the cards, and
// remembers across restarts which backfills were interrupted by quitting.
//
// Thread: the GUI thread. Owner: the main window. Workers run on their own
// threads inside BackfillController.
class SyncManager : public QObject
{
    Q_OBJECT
public:
    explicit SyncManager(const QString &archivePath, QObject *parent = nullptr);
    ~SyncManager() override;

    QString archivePath() const { return m_archivePath; }
    QVector<ConnectionRecord> connections() const;
    bool connection(qint64 id, ConnectionRecord *out) const;
    // What a card shows when no worker is running: the latest job as stored.
    BackfillProgress snapshot(qint64 id) const;
    bool isRunning(qint64 id) const { return m_controller.isRunning(id); }

    // Adds a connection and keeps its password in the keychain (or, when
    // keepForSessionOnly, in memory for this run). Emits keychainFailed if the
    // keychain cannot take it; the connection is added either way so the user
    // can choose.
    bool addConnection(ConnectionRecord *connection, const QString &password, SyncError *error);
    void setSessionPassword(qint64 id, const QString &password);
    void forgetSessionPassword(qint64 id) { m_sessionPasswords.remove(id); }
    // Saves a new password (reconnect) in the keychain; keychainFailed if it cannot.
    void storePassword(qint64 id, const QString &password);

    void startBackfill(qint64 id, const BackfillRange &range);
    void syncNow(qint64 id);
    void pause(qint64 id);
    void resume(qint64 id);
    void cancel(qint64 id);
    // Stops syncing and removes the sign-in from the keychain. The archive stays.
    void disconnectConnection(qint64 id);
    // The IMAP settings of a connection with its password (session or keychain), then `then`.
    void withSettings(qint64 id, std::function<void(const ImapSettings &)> then);
    // Resumes what quitting interrupted (called once at start).
    void resumeInterrupted();
    // Pauses every running backfill cleanly and remembers them for the next start.
    bool shutdown(int timeoutMs = 20000);

    // For tests: pages per request and whether the first connect is retried.
    void setPageSize(int pageSize) { m_pageSize = pageSize; }

signals:
    void connectionsChanged();
    void progressChanged(const Lookback::BackfillProgress &progress);
    void finished(const Lookback::BackfillProgress &progress);
    void archiveChanged(qint64 connectionId);
    // No usable keychain: the UI asks whether to keep the password for this session only.
    void keychainFailed(qint64 connectionId, const QString &message);
    // The keychain has no password (or refused it): the connection needs reconnecting.
    void passwordMissing(qint64 connectionId, const QString &message);

private:
    void launch(qint64 id, const BackfillRange &range, const QString &password, bool continueLatest);
    void withPassword(qint64 id, std::function<void(const QString &)> then);
    ArchiveStore &store() const;

    QString m_archivePath;
    mutable std::unique_ptr<ArchiveStore> m_store;
    BackfillController m_controller;
    QHash<qint64, QString> m_sessionPasswords;
    QHash<qint64, BackfillProgress> m_last;
    QHash<qint64, qint64> m_lastArchiveSignal;
    int m_pageSize = 500;
};

} // namespace Lookback::Ui
