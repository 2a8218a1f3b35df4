#pragma once

#include "auth/oauthconfig.h"
#include "auth/oauthtoken.h"
#include "common/providerkind.h"
#include "common/syncerror.h"

#include <QDialog>
#include <QUrl>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;

namespace Lookback {
class SyncService;
}

namespace Lookback::Ui {

// The browser step of a sign-in (Gmail; Microsoft 365 later), for a new
// connection or a reconnect. While it waits it says where the browser was
// sent, shows the address with Copy link and Open again (for when no browser
// came up, or the wrong one did) and Cancel, which closes the loopback
// listener at once. A failure is shown as plain text with Try again.
//
// On success: a new connection is added (its refresh token in the keychain
// first) and connected() gives its id; a reconnect has replaced the grant.
// Either way the dialog then accepts.
//
// Thread: GUI. Owner: the caller (usually WA_DeleteOnClose).
class BrowserSignInDialog : public QDialog
{
    Q_OBJECT
public:
    // Sign in and add a connection called `name`.
    BrowserSignInDialog(SyncService *service, ProviderKind kind, const QString &name, const OAuthClient &client,
                        QWidget *parent = nullptr);
    // Sign in again for an existing connection (same mailbox; archive and cursor kept).
    BrowserSignInDialog(SyncService *service, qint64 reconnectId, QWidget *parent = nullptr);
    ~BrowserSignInDialog() override;

    // Runs the browser step (again). Called once the dialog is shown.
    void start();

    QUrl signInUrl() const { return m_url; }
    bool isWaiting() const;
    SyncError lastError() const { return m_error; }
    qint64 connectionId() const { return m_connectionId; }

    // How long the browser step may take; 5 minutes unless a test says otherwise.
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

signals:
    void connected(qint64 connectionId);
    // The browser was sent to this address (also when opening it failed).
    void urlOpened(const QUrl &url);
    // A sign-in attempt ended in an error (the dialog shows it).
    void failed(const Lookback::SyncError &error);

protected:
    void reject() override;

private:
    void buildUi();
    void showPage(int index);
    void showWaiting();
    void showFailed(const SyncError &error);
    void onUrl(const QUrl &url);
    void onSignedIn(const SyncError &error, const OAuthGrant &grant, const QString &address);
    // The attempt's end: the failure shown, or connected() and accept().
    void finish(const SyncError &error, qint64 connectionId);
    QString providerName() const;

    SyncService *m_service = nullptr;
    ProviderKind m_kind = ProviderKind::Gmail;
    QString m_name;
    OAuthClient m_client;
    qint64 m_reconnectId = 0;
    qint64 m_connectionId = 0;
    int m_timeoutMs = 5 * 60 * 1000;
    quint64 m_attempt = 0; // answers of an earlier attempt are ignored
    bool m_running = false;
    QUrl m_url;
    SyncError m_error;

    QStackedWidget *m_pages = nullptr;
    QLabel *m_waitingText = nullptr;
    QLineEdit *m_urlEdit = nullptr;
    QPushButton *m_copyButton = nullptr;
    QPushButton *m_openAgainButton = nullptr;
    QLabel *m_openFailed = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_failedTitle = nullptr;
    QLabel *m_failedText = nullptr;
    QPushButton *m_tryAgainButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
};

} // namespace Lookback::Ui
