// Microsoft 365 in the desktop program, through its real windows (offscreen,
// or Xvfb for scripts/screenshots): Add connection → Microsoft 365 →
// "Continue in your browser…" → the range picker with Graph's counts → a
// backfill; More → Add shared mailbox… → its own card and range picker; the
// parent's sign-in revoked → the shared card waits on the parent with a
// Reconnect <parent>… button → reconnect → the shared mailbox completes by itself.
//
// The browser is the test's (the URL opener hook of ui/urlopener.h with
// followAuthorization() against the Microsoft fake); the keychain a real
// gnome-keyring in a private D-Bus session.

#include "common/appidentity.h"
#include "connections/connectioncard.h"
#include "connections/connectionspage.h"
#include "connections/healthbadge.h"
#include "dialogs/addconnectiondialog.h"
#include "dialogs/browsersignindialog.h"
#include "dialogs/rangepickerdialog.h"
#include "dialogs/sharedmailboxdialog.h"
#include "keyringsession.h"
#include "mainwindow.h"
#include "microsoftharness.h"
#include "testbrowser.h"
#include "translations.h"
#include "uishots.h"
#include "urlopener.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QToolButton>
#include <QtTest>

using namespace Lookback;
using namespace Lookback::Test;
using namespace Lookback::Ui;

namespace {

const QString kShared = QStringLiteral("support@contoso.onmicrosoft.com");

} // namespace

class TestUiMicrosoft : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void addMicrosoftThenSharedMailboxThatWaitsOnItsParent();

private:
    KeyringSession m_keyring;
    QTemporaryDir m_settingsDir;
};

void TestUiMicrosoft::initTestCase()
{
    applyApplicationIdentity();
    installTranslators(QLocale(QLocale::English, QLocale::UnitedStates));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    QString error;
    QVERIFY2(m_keyring.start(&error), qPrintable(error));
}

void TestUiMicrosoft::cleanup()
{
    setExternalUrlOpener({});
}

void TestUiMicrosoft::addMicrosoftThenSharedMailboxThatWaitsOnItsParent()
{
    MicrosoftHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    h.fake().addSharedMailbox(kShared, QStringLiteral("Support"));
    h.fake().grant(kShared, QStringLiteral("inbox"), true);
    h.fake().grant(kShared, QStringLiteral("sentitems"), true);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    h.addMessages(300, QStringLiteral("inbox"), now.addSecs(-600), 8640, QStringLiteral("Project update"));
    h.addMessages(20, QStringLiteral("sentitems"), now.addSecs(-900), 86400 * 5, QStringLiteral("Reply"));
    h.addMessages(400, QStringLiteral("inbox"), now.addSecs(-600), 8640, QStringLiteral("Ticket"), kShared);
    QStringList browserErrors;
    setExternalUrlOpener([&browserErrors, this](const QUrl &url) {
        QTimer::singleShot(0, this, [url, &browserErrors] {
            QString e;
            if (!followAuthorization(url, &e))
                browserErrors << e;
        });
        return true;
    });

    MainWindow w(h.archivePath());
    w.resize(900, 640);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.addConnection();
    AddConnectionDialog *add = nullptr;
    QTRY_VERIFY((add = topLevel<AddConnectionDialog>()) != nullptr);
    QTest::mouseClick(add->findChild<QRadioButton *>(QStringLiteral("providerMicrosoft365")), Qt::LeftButton);
    QVERIFY(!add->findChild<QWidget *>(QStringLiteral("microsoftClientBox"))->isVisible()); // from the environment
    auto *go = add->findChild<QPushButton *>(QStringLiteral("connectButton"));
    QCOMPARE(go->text(), QStringLiteral("C&ontinue in your browser…"));
    QTest::mouseClick(go, Qt::LeftButton);

    // Through the browser to the range picker with Graph's counts.
    RangePickerDialog *picker = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((picker = topLevel<RangePickerDialog>()) != nullptr, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(picker->counts().ok() && picker->counts().everything > 0, 20000);
    QCOMPARE(picker->counts().everything, qint64(320));
    QVERIFY(picker->counts().last30 > 0 && picker->counts().last30 < picker->counts().everything);
    QVector<ConnectionRecord> all = w.syncService()->connections();
    QCOMPARE(all.size(), 1);
    const qint64 parent = all.first().id;
    QCOMPARE(all.first().kind, ProviderKind::Microsoft);
    ConnectionCard *card = w.connectionsPage()->card(parent);
    QCOMPARE(card->accountText(), QStringLiteral("Microsoft 365 · %1").arg(h.fake().userAddress()));
    h.fake().setResponseDelayMs(120);
    picker->findChild<QRadioButton *>(QStringLiteral("rangeEverything"))->click();
    QTest::mouseClick(picker->findChild<QPushButton *>(QStringLiteral("startButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(QLocale().toInt(card->countText().section(QLatin1Char(' '), 0, 0)) >= 100, 30000);
    QVERIFY2(card->countText().contains(QLatin1String(" of ~")), qPrintable(card->countText()));
    shoot(&w, QStringLiteral("microsoft-card-backfill"));
    h.fake().setResponseDelayMs(0);
    QTRY_VERIFY_WITH_TIMEOUT(!w.syncService()->isRunning(parent) && w.syncService()->hasSynced(parent), 60000);
    QCOMPARE(h.archivedCount(parent), qint64(320));

    // More → Add shared mailbox…, only on a personal Microsoft 365 card.
    auto *action = card->moreButton()->menu()->findChild<QAction *>(QStringLiteral("addSharedMailboxAction"));
    QVERIFY(action && action->isVisible());
    action->trigger();
    SharedMailboxDialog *sharedDialog = nullptr;
    QTRY_VERIFY((sharedDialog = topLevel<SharedMailboxDialog>()) != nullptr);
    QVERIFY(sharedDialog->findChild<QLabel *>(QStringLiteral("sharedExplanation"))->text().contains(h.fake().userAddress()));
    auto *addButton = sharedDialog->findChild<QPushButton *>(QStringLiteral("sharedAddButton"));
    QVERIFY(!addButton->isEnabled());
    QTest::keyClicks(sharedDialog->findChild<QLineEdit *>(QStringLiteral("sharedAddressEdit")), kShared);
    auto *name = sharedDialog->findChild<QLineEdit *>(QStringLiteral("sharedNameEdit"));
    QCOMPARE(name->text(), kShared);
    name->selectAll();
    QTest::keyClicks(name, QStringLiteral("Support"));
    QVERIFY(addButton->isEnabled());
    QTest::mouseClick(addButton, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT((picker = topLevel<RangePickerDialog>()) != nullptr, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(picker->counts().ok() && picker->counts().everything > 0, 20000);
    QCOMPARE(picker->counts().everything, qint64(400));
    all = w.syncService()->connections();
    QCOMPARE(all.size(), 2);
    const qint64 child = all.last().id;
    QCOMPARE(all.last().parentId, parent);
    ConnectionCard *sharedCard = w.connectionsPage()->card(child);
    QTRY_VERIFY(sharedCard);
    QCOMPARE(sharedCard->accountText(), QStringLiteral("Shared mailbox · %1").arg(kShared));
    QVERIFY(!sharedCard->moreButton()->menu()->findChild<QAction *>(QStringLiteral("addSharedMailboxAction"))->isVisible());

    // The parent's sign-in dies mid-backfill: the shared card waits on it.
    h.fake().setResponseDelayMs(60);
    picker->findChild<QRadioButton *>(QStringLiteral("range365"))->click();
    QTest::mouseClick(picker->findChild<QPushButton *>(QStringLiteral("startButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(h.archivedCount(child) >= 100, 30000);
    h.fake().failRefreshTokens(50173);
    h.fake().expireAccessTokens();
    QTRY_VERIFY_WITH_TIMEOUT(!w.syncService()->isRunning(child), 30000);
    QTRY_COMPARE(sharedCard->badge()->health(), Health::WaitingOnParent);
    QVERIFY2(sharedCard->statusText().contains(QStringLiteral("Waiting on %1 — reconnect it").arg(h.fake().userAddress())),
             qPrintable(sharedCard->statusText()));
    QCOMPARE(sharedCard->actionButton()->text(), QStringLiteral("Reconnect %1…").arg(h.fake().userAddress()));
    QTRY_COMPARE(card->badge()->health(), Health::NeedsReconnect);
    shoot(&w, QStringLiteral("microsoft-shared-waiting"));

    // Reconnect from the shared card: the parent signs in again, the child goes on.
    h.fake().setResponseDelayMs(0);
    QTest::mouseClick(sharedCard->actionButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(w.syncService()->hasSynced(child) && !w.syncService()->isRunning(child)
                                 && h.archivedCount(child) == 400,
                             60000);
    QTRY_COMPARE(sharedCard->badge()->health(), Health::Healthy);
    QVERIFY(browserErrors.isEmpty());
}

QTEST_MAIN(TestUiMicrosoft)
#include "tst_ui_microsoft.moc"
