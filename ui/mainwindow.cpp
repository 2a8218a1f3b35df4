#include "mainwindow.h"

#include "archive/archivebrowser.h"
#include "archive/synclogdialog.h"
#include "connections/connectioncard.h"
#include "connections/connectionspage.h"
#include "dialogs/addconnectiondialog.h"
#include "dialogs/browsersignindialog.h"
#include "dialogs/rangepickerdialog.h"
#include "dialogs/sharedmailboxdialog.h"

#include <QApplication>
#include <QCloseEvent>
#include <QInputDialog>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QSettings>
#include <QSystemTrayIcon>
#include <QTabWidget>

namespace Lookback::Ui {

MainWindow::MainWindow(const QString &archivePath, QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Lookback"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/lookback.svg")));
    m_manager = new SyncService(archivePath, this);
    SyncError openError;
    if (!m_manager->open(&openError))
        qWarning("Lookback cannot open its archive: %s", qPrintable(openError.message));
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_connections = new ConnectionsPage(m_manager, m_tabs);
    m_browser = new ArchiveBrowser(archivePath, m_tabs);
    m_tabs->addTab(m_connections, tr("Connections"));
    m_tabs->addTab(m_browser, tr("Archive"));
    setCentralWidget(m_tabs);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Add connection…"), this, &MainWindow::addConnection, QKeySequence::New);
    file->addSeparator();
    file->addAction(tr("&Quit"), this, &QWidget::close, QKeySequence::Quit);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Connections"), this, [this] { m_tabs->setCurrentWidget(m_connections); }, QKeySequence(tr("Ctrl+1")));
    view->addAction(tr("&Archive"), this, [this] { m_tabs->setCurrentWidget(m_browser); }, QKeySequence(tr("Ctrl+2")));
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Lookback"), this, [this] {
        QMessageBox::about(this, tr("About Lookback"),
                           tr("<b>Lookback</b> %1<br>Your mailbox's history, on your own computer.")
                               .arg(QApplication::applicationVersion()));
    });

    connect(m_connections, &ConnectionsPage::addConnectionRequested, this, &MainWindow::addConnection);
    connect(m_connections, &ConnectionsPage::reconnectRequested, this, &MainWindow::reconnect);
    connect(m_connections, &ConnectionsPage::addSharedMailboxRequested, this, &MainWindow::addSharedMailbox);
    connect(m_connections, &ConnectionsPage::backfillMoreRequested, this, &MainWindow::pickRange);
    connect(m_connections, &ConnectionsPage::showLogRequested, this, [this](qint64 id) {
        ConnectionRecord c;
        m_manager->connection(id, &c);
        auto *dialog = new SyncLogDialog(m_manager->archivePath(), id, c.name, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    connect(m_connections, &ConnectionsPage::disconnectRequested, this, [this](qint64 id) {
        ConnectionRecord c;
        m_manager->connection(id, &c);
        auto *box = new QMessageBox(QMessageBox::Question, tr("Disconnect %1?").arg(c.name),
                                    tr("Syncing stops and the sign-in is removed from the keychain. "
                                       "Everything already archived stays on this computer."),
                                    QMessageBox::NoButton, this);
        box->addButton(tr("Disconnect"), QMessageBox::AcceptRole);
        box->addButton(QMessageBox::Cancel);
        box->setAttribute(Qt::WA_DeleteOnClose);
        connect(box, &QMessageBox::accepted, m_manager, [this, id] { m_manager->disconnectConnection(id); });
        box->open();
    });
    connect(m_manager, &SyncService::finished, this, &MainWindow::onFinished);
    // The browser re-reads its counts only while someone is looking at it.
    connect(m_manager, &SyncService::archiveChanged, m_browser, [this](qint64) {
        if (m_tabs->currentWidget() == m_browser)
            m_browser->reload();
        else
            m_browserStale = true;
    });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_tabs->currentWidget() == m_browser && m_browserStale) {
            m_browserStale = false;
            m_browser->reload();
        }
    });
    connect(m_manager, &SyncService::keychainFailed, this, &MainWindow::askKeepForSession);

    setupTray();
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1100, 720);
    m_tabs->setCurrentIndex(settings.value(QStringLiteral("window/tab"), 0).toInt());
}

MainWindow::~MainWindow() = default;

void MainWindow::setupTray()
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(windowIcon(), this);
    m_tray->setToolTip(tr("Lookback"));
    auto *menu = new QMenu(this);
    menu->addAction(tr("Show Lookback"), this, [this] { showNormal(); raise(); activateWindow(); });
    menu->addAction(tr("Quit"), this, &QWidget::close);
    m_tray->setContextMenu(menu);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this] { showNormal(); raise(); activateWindow(); });
    m_tray->show();
}

void MainWindow::startup()
{
    m_manager->resumeInterrupted();
    for (const ConnectionRecord &c : m_manager->connections()) {
        // Added (for instance from the command line) but never synced: ask how much now.
        if (!m_manager->hasSynced(c.id) && !m_manager->isRunning(c.id)) {
            QMetaObject::invokeMethod(this, [this, id = c.id] { pickRange(id); }, Qt::QueuedConnection);
            break;
        }
    }
}

void MainWindow::addConnection()
{
    auto *dialog = new AddConnectionDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (dialog->provider() != AddConnectionDialog::Provider::Imap) {
            signInWithBrowser(dialog->oauthKind(), dialog->oauthName(), dialog->oauthClient());
            return;
        }
        m_manager->addConnection(dialog->connection(), dialog->password(), SyncService::SecretPolicy::SessionFallback,
                                 [this](const SyncError &error, qint64 id) {
            if (error.isError()) {
                auto *box = new QMessageBox(QMessageBox::Warning, tr("Could not add the connection"), error.message,
                                            QMessageBox::Ok, this);
                box->setTextFormat(Qt::PlainText);
                box->setAttribute(Qt::WA_DeleteOnClose);
                box->open();
                return;
            }
            m_tabs->setCurrentWidget(m_connections);
            pickRange(id);
        });
    });
    dialog->open();
}

void MainWindow::signInWithBrowser(ProviderKind kind, const QString &name, const OAuthClient &client)
{
    auto *dialog = new BrowserSignInDialog(m_manager, kind, name, client, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &BrowserSignInDialog::connected, this, [this](qint64 id) {
        m_tabs->setCurrentWidget(m_connections);
        // After the sign-in dialog has gone.
        QMetaObject::invokeMethod(this, [this, id] { pickRange(id); }, Qt::QueuedConnection);
    });
    dialog->open();
    dialog->start();
}

void MainWindow::addSharedMailbox(qint64 parentId)
{
    ConnectionRecord parent;
    if (!m_manager->connection(parentId, &parent) || !SyncService::canHaveSharedMailboxes(parent))
        return;
    auto *dialog = new SharedMailboxDialog(parent.name, parent.username, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QPointer<SharedMailboxDialog> guard(dialog);
    connect(dialog, &SharedMailboxDialog::addRequested, this, [this, guard, parentId] {
        if (!guard)
            return;
        m_manager->addSharedMailbox(guard->name(), parentId, guard->address(), [this, guard](const SyncError &e, qint64 id) {
            if (e.isError()) {
                if (guard)
                    guard->showError(e.message);
                return;
            }
            if (guard)
                guard->accept();
            m_tabs->setCurrentWidget(m_connections);
            QMetaObject::invokeMethod(this, [this, id] { pickRange(id); }, Qt::QueuedConnection);
        });
    });
    dialog->open();
}

void MainWindow::pickRange(qint64 connectionId)
{
    ConnectionRecord c;
    if (!m_manager->connection(connectionId, &c))
        return;
    SyncService *service = m_manager;
    auto *dialog = new RangePickerDialog(c.name, [service, connectionId](const QList<int> &days, auto done) {
        service->countRanges(connectionId, days, done);
    }, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::finished, this, [this, dialog, connectionId](int result) {
        if (dialog->wasSkipped())
            m_manager->skipHistory(connectionId);
        else if (result == QDialog::Accepted)
            m_manager->startBackfill(connectionId, dialog->range());
    });
    dialog->open();
}

void MainWindow::reconnect(qint64 connectionId)
{
    ConnectionRecord c;
    if (!m_manager->connection(connectionId, &c))
        return;
    if (c.parentId > 0) {
        reconnect(c.parentId); // a shared mailbox signs in as its parent
        return;
    }
    if (SyncService::usesBrowserSignIn(c.kind)) {
        // The browser step again; the archive and the backfill's cursor stay.
        auto *dialog = new BrowserSignInDialog(m_manager, connectionId, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &BrowserSignInDialog::connected, m_manager, [this](qint64 id) {
            if (m_manager->hasSynced(id))
                m_manager->syncNow(id);
            else
                QMetaObject::invokeMethod(this, [this, id] { pickRange(id); }, Qt::QueuedConnection);
        });
        dialog->open();
        dialog->start();
        return;
    }
    bool ok = false;
    const QString password = QInputDialog::getText(this, tr("Reconnect %1").arg(c.name),
                                                   tr("Password or app password for %1 on %2:").arg(c.username, c.host),
                                                   QLineEdit::Password, QString(), &ok);
    if (!ok || password.isEmpty())
        return;
    m_manager->setPassword(connectionId, password);
    pickRange(connectionId);
}

void MainWindow::askKeepForSession(qint64 connectionId, const QString &message)
{
    auto *box = new QMessageBox(QMessageBox::Warning, tr("No keychain available"),
                                tr("Lookback keeps passwords only in the system keychain, and none is usable:\n%1\n\n"
                                   "Keep the password in memory for this session only? You will be asked again "
                                   "next time. It is never written to disk.").arg(message),
                                QMessageBox::NoButton, this);
    box->addButton(tr("Keep for this session"), QMessageBox::AcceptRole);
    box->addButton(tr("Forget it"), QMessageBox::RejectRole);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::rejected, m_manager, [this, connectionId] { m_manager->forgetSessionPassword(connectionId); });
    box->open();
}

void MainWindow::onFinished(const SyncProgress &p)
{
    if (!m_tray)
        return;
    ConnectionRecord c;
    m_manager->connection(p.connectionId, &c);
    if (p.state == BackfillState::Complete && p.jobId != 0) {
        m_tray->showMessage(tr("Sync complete"), tr("%1: %2").arg(c.name, p.message), QSystemTrayIcon::Information);
    } else if (p.state == BackfillState::Failed) {
        m_tray->showMessage(tr("%1 needs attention").arg(c.name), p.error.message.isEmpty() ? p.message : p.error.message,
                            QSystemTrayIcon::Warning);
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/tab"), m_tabs->currentIndex());
    // Running backfills stop at the end of their page and resume at the next start.
    m_manager->shutdown();
    event->accept();
}

} // namespace Lookback::Ui
