#pragma once

#include "sync/syncservice.h"

#include <QMainWindow>
#include <QPointer>

class QSystemTrayIcon;
class QTabWidget;

namespace Lookback::Ui {

class ArchiveBrowser;
class ConnectionsPage;

// The desktop program's window: Connections (live cards) and Archive
// (offline browser and search), a tray icon, remembered geometry.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(const QString &archivePath, QWidget *parent = nullptr);
    ~MainWindow() override;

    SyncService *syncService() const { return m_manager; }
    ConnectionsPage *connectionsPage() const { return m_connections; }
    ArchiveBrowser *archiveBrowser() const { return m_browser; }
    QTabWidget *tabs() const { return m_tabs; }

    // Resumes interrupted backfills and offers the range picker to
    // connections that never had one.
    void startup();
    void addConnection();
    // The range picker for a connection (after adding, on reconnect, or to backfill more).
    void pickRange(qint64 connectionId);
    // Password connections ask for the password again; browser sign-ins
    // (Gmail, Microsoft 365) run the browser step again, then continue where
    // they stopped. A shared mailbox reconnects its parent.
    void reconnect(qint64 connectionId);
    // The browser step for a new connection, then the range picker.
    void signInWithBrowser(ProviderKind kind, const QString &name, const OAuthClient &client);
    // "Add shared mailbox…" under a Microsoft 365 connection, then the range picker.
    void addSharedMailbox(qint64 parentId);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void onFinished(const SyncProgress &progress);
    void setupTray();
    void askKeepForSession(qint64 connectionId, const QString &message);

    SyncService *m_manager = nullptr;
    QTabWidget *m_tabs = nullptr;
    ConnectionsPage *m_connections = nullptr;
    ArchiveBrowser *m_browser = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    bool m_browserStale = false;
};

} // namespace Lookback::Ui
