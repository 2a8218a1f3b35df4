#pragma once

#include "archive/records.h"
#include "sync/syncprogress.h"

#include <QFrame>
#include <QMessageBox>
#include <QPointer>

class QAction;
class QLabel;

class QProgressBar;
class QPushButton;
class QTimer;
class QToolButton;

namespace Lookback::Ui {

class HealthBadge;

// One connection's live card: what is being synced, how far, how long still,
// and the buttons that act on it. Fed by SyncService's queued signals; it
// never talks to a sync task itself.
class ConnectionCard : public QFrame
{
    Q_OBJECT
public:
    explicit ConnectionCard(const ConnectionRecord &connection, QWidget *parent = nullptr);

    qint64 connectionId() const { return m_connection.id; }
    void setConnection(const ConnectionRecord &connection);
    // A shared mailbox: the address of the connection it signs in through.
    void setParentAccount(const QString &address);
    void setProgress(const SyncProgress &progress);
    void setFinished(const SyncProgress &progress);
    // Shown when the fetched count has not moved for this long (default 5 minutes).
    void setStallThreshold(int ms);
    void setBannerDuration(int ms) { m_bannerMs = ms; }

    // What a person reads on the card; used by tests and screen readers alike.
    QString titleText() const;
    QString accountText() const;
    QString countText() const;
    QString etaText() const;
    QString statusText() const;
    QString bannerText() const;
    bool bannerVisible() const;
    HealthBadge *badge() const { return m_badge; }
    QProgressBar *progressBar() const { return m_bar; }
    QPushButton *pauseButton() const { return m_pause; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *actionButton() const { return m_action; }
    QToolButton *moreButton() const { return m_more; }
    QMessageBox *cancelConfirmation() const { return m_confirm; }

    static QString rangeText(const BackfillRange &range);

signals:
    void pauseRequested(qint64 connectionId);
    void resumeRequested(qint64 connectionId);
    void cancelRequested(qint64 connectionId);
    void retryRequested(qint64 connectionId);
    void reconnectRequested(qint64 connectionId);
    void syncNowRequested(qint64 connectionId);
    void backfillMoreRequested(qint64 connectionId);
    void disconnectRequested(qint64 connectionId);
    void showLogRequested(qint64 connectionId);
    void addSharedMailboxRequested(qint64 connectionId);

private:
    void render();
    void askCancel();
    void onAction();
    void checkStall();
    void showBanner(const QString &text);
    void setBarColor(const QColor &color);

    ConnectionRecord m_connection;
    SyncProgress m_progress;
    bool m_hasProgress = false;
    bool m_live = false;            // a worker is running for it
    QLabel *m_name = nullptr;
    QLabel *m_account = nullptr;
    HealthBadge *m_badge = nullptr;
    QLabel *m_title = nullptr;
    QProgressBar *m_bar = nullptr;
    QLabel *m_count = nullptr;
    QLabel *m_eta = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_banner = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_action = nullptr;
    QToolButton *m_more = nullptr;
    QAction *m_addShared = nullptr;
    QString m_parentAccount;
    QPointer<QMessageBox> m_confirm;
    QTimer *m_stallTimer = nullptr;
    qint64 m_lastMovedMs = 0;
    qint64 m_lastFetched = -1;
    int m_stallMs = 5 * 60 * 1000;
    int m_bannerMs = 6000;
    bool m_stalled = false;
    enum class Action { None, Retry, Reconnect } m_actionKind = Action::None;
};

} // namespace Lookback::Ui
