// Gmail in the desktop program, through its real windows (offscreen, or Xvfb
// for scripts/screenshots): Add connection → Gmail → "Continue in your
// browser…" → the range picker with Gmail's estimates → a backfill; denied
// consent said plainly with Try again; Cancel closing the loopback listener;
// a revoked sign-in → Needs reconnect → Reconnect (the browser step again) →
// the backfill completes with nothing twice.
//
// The browser is the test's: the URL opener hook of ui/urlopener.h hands the
// address to followAuthorization(), which plays the user's browser against the
// Google fake (tests/support/googlefake.h). The keychain is a real
// gnome-keyring in a private D-Bus session.

#include "archive/archivestore.h"
#include "common/appidentity.h"
#include "connections/connectioncard.h"
#include "connections/connectionspage.h"
#include "connections/healthbadge.h"
#include "dialogs/addconnectiondialog.h"
#include "dialogs/browsersignindialog.h"
#include "dialogs/rangepickerdialog.h"
#include "gmailharness.h"
#include "keyringsession.h"
#include "mainwindow.h"
#include "testbrowser.h"
#include "translations.h"
#include "uishots.h"
#include "urlopener.h"

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QtTest>

using namespace Lookback;
using namespace Lookback::Test;
using namespace Lookback::Ui;

namespace {

quint16 redirectPort(const QUrl &authorizeUrl)
{
    return quint16(QUrl(QUrlQuery(authorizeUrl).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded)).port());
}

bool listening(quint16 port)
{
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, port);
    return s.waitForConnected(2000);
}

} // namespace

class TestUiGmail : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void addGmailThroughTheBrowserToTheRangePicker();
    void deniedConsentThenTryAgain();
    void cancelClosesTheListener();
    void revokedNeedsReconnectThenReconnectCompletes();

private:
    // The test's browser: keeps every address it is asked to open and, when
    // `follow` is set, goes there (after the call returns, as a browser would).
    void useBrowser(bool follow);
    // Add connection → Gmail → Continue in your browser… for a connection named `name`.
    BrowserSignInDialog *startAdding(MainWindow &w, const QString &name);

    KeyringSession m_keyring;
    QTemporaryDir m_settingsDir;
    QList<QUrl> m_opened;
    QStringList m_browserErrors;
};

void TestUiGmail::initTestCase()
{
    applyApplicationIdentity();
    installTranslators(QLocale(QLocale::English, QLocale::UnitedStates));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    QString error;
    QVERIFY2(m_keyring.start(&error), qPrintable(error));
}

void TestUiGmail::init()
{
    m_opened.clear();
    m_browserErrors.clear();
}

void TestUiGmail::cleanup()
{
    setExternalUrlOpener({});
}

void TestUiGmail::useBrowser(bool follow)
{
    setExternalUrlOpener([this, follow](const QUrl &url) {
        m_opened << url;
        if (follow) {
            QTimer::singleShot(0, this, [this, url] {
                QString error;
                if (!followAuthorization(url, &error))
                    m_browserErrors << error;
            });
        }
        return true;
    });
}

BrowserSignInDialog *TestUiGmail::startAdding(MainWindow &w, const QString &name)
{
    w.addConnection();
    AddConnectionDialog *add = nullptr;
    [&] { QTRY_VERIFY((add = topLevel<AddConnectionDialog>()) != nullptr); }();
    if (!add)
        return nullptr;
    QTest::mouseClick(add->findChild<QRadioButton *>(QStringLiteral("providerGmail")), Qt::LeftButton);
    auto *nameEdit = add->findChild<QLineEdit *>(QStringLiteral("gmailNameEdit"));
    nameEdit->selectAll();
    QTest::keyClicks(nameEdit, name);
    // The client comes from the environment (GmailHarness): nothing else to type.
    [&] { QVERIFY(!add->findChild<QWidget *>(QStringLiteral("clientBox"))->isVisible()); }();
    auto *go = add->findChild<QPushButton *>(QStringLiteral("connectButton"));
    [&] { QCOMPARE(go->text(), QStringLiteral("C&ontinue in your browser…")); }();
    QTest::mouseClick(go, Qt::LeftButton);
    BrowserSignInDialog *signIn = nullptr;
    [&] { QTRY_VERIFY((signIn = topLevel<BrowserSignInDialog>()) != nullptr); }();
    return signIn;
}

void TestUiGmail::addGmailThroughTheBrowserToTheRangePicker()
{
    GmailHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // 40 days of Inbox (ten a day), 100 days of Sent (one every ten), a draft.
    h.addMessages(400, {QStringLiteral("INBOX")}, now.addSecs(-600), 8640, QStringLiteral("Inbox note"));
    h.addMessages(10, {QStringLiteral("SENT")}, now.addSecs(-900), 86400 * 10, QStringLiteral("Sent note"));
    h.addMessages(1, {QStringLiteral("DRAFT")}, now.addSecs(-60), 60, QStringLiteral("Draft"));

    MainWindow w(h.archivePath());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    useBrowser(false);
    BrowserSignInDialog *signIn = startAdding(w, QStringLiteral("Personal"));
    QVERIFY(signIn);

    // Waiting: the address it sent the browser to, to copy or open again.
    QTRY_COMPARE(m_opened.size(), 1);
    const QUrl url = m_opened.first();
    QVERIFY2(url.toString().startsWith(h.fake().authUrl().toString()), qPrintable(url.toString()));
    QVERIFY(signIn->isWaiting());
    auto *urlEdit = signIn->findChild<QLineEdit *>(QStringLiteral("signInUrl"));
    QCOMPARE(QUrl(urlEdit->text()), url);
    QVERIFY(urlEdit->isReadOnly());
    QVERIFY(signIn->findChild<QLabel *>(QStringLiteral("waitingText"))->text().contains(QLatin1String("Google")));
    QTest::mouseClick(signIn->findChild<QPushButton *>(QStringLiteral("copyLinkButton")), Qt::LeftButton);
    QCOMPARE(QUrl(QApplication::clipboard()->text()), url);
    QTest::mouseClick(signIn->findChild<QPushButton *>(QStringLiteral("openAgainButton")), Qt::LeftButton);
    QCOMPARE(m_opened.size(), 2);
    QCOMPARE(m_opened.last(), url);
    QVERIFY(!signIn->findChild<QLabel *>(QStringLiteral("openFailedText"))->isVisible());
    shoot(signIn, QStringLiteral("gmail-signin-waiting"));

    // The user signs in in the browser; the range picker follows, with Gmail's estimates.
    QVERIFY2(followAuthorization(url, &error), qPrintable(error));
    RangePickerDialog *picker = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((picker = topLevel<RangePickerDialog>()) != nullptr, 20000);
    QVERIFY(!topLevel<BrowserSignInDialog>());
    QTRY_VERIFY_WITH_TIMEOUT(picker->counts().ok() && picker->counts().everything > 0, 20000);
    QCOMPARE(picker->counts().everything, qint64(410)); // the labels' totals, drafts not among them
    QVERIFY(picker->counts().last30 > 0 && picker->counts().last30 <= picker->counts().last90);
    const QString estimate = picker->findChild<QLabel *>(QStringLiteral("range90Estimate"))->text();
    QVERIFY2(estimate.startsWith(QStringLiteral("≈ ")), qPrintable(estimate));

    // The connection exists, named as typed, showing whose Gmail it is.
    const QVector<ConnectionRecord> all = w.syncService()->connections();
    QCOMPARE(all.size(), 1);
    const qint64 id = all.first().id;
    QCOMPARE(all.first().name, QStringLiteral("Personal"));
    QCOMPARE(all.first().kind, ProviderKind::Gmail);
    ConnectionCard *card = w.connectionsPage()->card(id);
    QVERIFY(card);
    QCOMPARE(card->accountText(), QStringLiteral("Gmail · %1").arg(h.fake().userEmail()));

    // A slow server, so the card can be seen mid-backfill.
    h.fake().setResponseDelayMs(150);
    picker->findChild<QRadioButton *>(QStringLiteral("range365"))->click();
    QTest::mouseClick(picker->findChild<QPushButton *>(QStringLiteral("startButton")), Qt::LeftButton);
    // Some way in: "1,234 of ~8,500 messages".
    QTRY_VERIFY_WITH_TIMEOUT(QLocale().toInt(card->countText().section(QLatin1Char(' '), 0, 0)) >= 150, 30000);
    QVERIFY2(card->countText().contains(QLatin1String(" of ~")), qPrintable(card->countText()));
    shoot(&w, QStringLiteral("gmail-card-backfill"));
    h.fake().setResponseDelayMs(0);
    QTRY_VERIFY_WITH_TIMEOUT(!w.syncService()->isRunning(id) && w.syncService()->hasSynced(id), 60000);
    QCOMPARE(h.archivedCount(id), qint64(410));
    QTRY_VERIFY(card->bannerVisible() || card->titleText().startsWith(QStringLiteral("Synced")));
    QVERIFY(m_browserErrors.isEmpty());
}

void TestUiGmail::deniedConsentThenTryAgain()
{
    GmailHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    h.addMessages(3, {QStringLiteral("INBOX")}, QDateTime::currentDateTimeUtc(), 3600, QStringLiteral("m"));
    MainWindow w(h.archivePath());
    w.show();
    useBrowser(true);
    h.fake().setDenyConsent(true);
    BrowserSignInDialog *signIn = startAdding(w, QStringLiteral("Denied"));
    QVERIFY(signIn);
    QSignalSpy failed(signIn, &BrowserSignInDialog::failed);
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
    auto *text = signIn->findChild<QLabel *>(QStringLiteral("failedText"));
    QVERIFY(text->isVisible());
    QVERIFY2(text->text().startsWith(QStringLiteral("You did not allow Lookback")), qPrintable(text->text()));
    QCOMPARE(text->textFormat(), Qt::PlainText);
    QCOMPARE(signIn->findChild<QPushButton *>(QStringLiteral("cancelButton"))->text(), QStringLiteral("Close"));
    QVERIFY(w.syncService()->connections().isEmpty());
    QVERIFY(!w.syncService()->isSigningIn());
    shoot(signIn, QStringLiteral("gmail-signin-denied"));

    // Allowed the second time: the same dialog goes on to the range picker.
    h.fake().setDenyConsent(false);
    QTest::mouseClick(signIn->findChild<QPushButton *>(QStringLiteral("tryAgainButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(topLevel<RangePickerDialog>() != nullptr, 20000);
    QCOMPARE(w.syncService()->connections().size(), 1);
    QCOMPARE(m_opened.size(), 2);
    QVERIFY(m_opened.first() != m_opened.last()); // a new state and PKCE pair each time
    topLevel<RangePickerDialog>()->reject();
}

void TestUiGmail::cancelClosesTheListener()
{
    GmailHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    MainWindow w(h.archivePath());
    w.show();
    useBrowser(false); // the user never finishes in the browser
    BrowserSignInDialog *signIn = startAdding(w, QStringLiteral("Abandoned"));
    QVERIFY(signIn);
    QTRY_COMPARE(m_opened.size(), 1);
    const quint16 port = redirectPort(m_opened.first());
    QVERIFY(port > 0);
    QVERIFY2(listening(port), "the loopback listener waits for the browser");
    QVERIFY(w.syncService()->isSigningIn());

    QTest::mouseClick(signIn->findChild<QPushButton *>(QStringLiteral("cancelButton")), Qt::LeftButton);
    QTRY_VERIFY(!topLevel<BrowserSignInDialog>());
    QVERIFY(!w.syncService()->isSigningIn());
    QTRY_VERIFY2(!listening(port), "Cancel closes the listener");
    // The browser coming back late finds nobody; no connection appears.
    QVERIFY(!followAuthorization(m_opened.first(), &error));
    QTest::qWait(200);
    QVERIFY(w.syncService()->connections().isEmpty());
    QVERIFY(!topLevel<RangePickerDialog>());
}

void TestUiGmail::revokedNeedsReconnectThenReconnectCompletes()
{
    GmailHarness h;
    QString error;
    QVERIFY2(h.init(&error), qPrintable(error));
    const QStringList ids = h.addMessages(300, {QStringLiteral("INBOX")}, QDateTime::currentDateTimeUtc().addSecs(-60), 3600,
                                          QStringLiteral("Weekly"));
    const qint64 id = h.signIn(QStringLiteral("Work Gmail"), &error);
    QVERIFY2(id > 0, qPrintable(error));

    MainWindow w(h.archivePath());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    ConnectionCard *card = w.connectionsPage()->card(id);
    QVERIFY(card);
    h.fake().setResponseDelayMs(100);
    QVERIFY(w.syncService()->startBackfill(id, BackfillRange{}));
    QTRY_VERIFY_WITH_TIMEOUT(h.archivedCount(id) > 0, 30000);
    // The user revokes Lookback's access in their Google Account mid-backfill.
    h.fake().revokeRefreshTokens();
    h.fake().expireAccessTokens();
    QTRY_COMPARE_WITH_TIMEOUT(card->badge()->health(), Health::NeedsReconnect, 30000);
    QVERIFY(card->actionButton()->isVisible());
    QCOMPARE(card->actionButton()->text(), QStringLiteral("Reconnect…"));
    // Google's reason, said once and plainly.
    QVERIFY2(card->statusText().startsWith(QStringLiteral("Lookback could not sign in: Google ended Lookback's sign-in. ")),
             qPrintable(card->statusText()));
    QVERIFY(!w.syncService()->isRunning(id));
    const qint64 before = h.archivedCount(id);
    QVERIFY(before > 0 && before < 300);
    shoot(&w, QStringLiteral("gmail-needs-reconnect"));

    const QList<QString> archivedBefore = h.archivedProviderIds().keys();

    // Reconnect: the browser step again, then the backfill goes on where it stopped.
    h.fake().setResponseDelayMs(0);
    h.fake().resetCounters();
    useBrowser(true);
    QTest::mouseClick(card->actionButton(), Qt::LeftButton);
    QTRY_COMPARE(m_opened.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(!topLevel<BrowserSignInDialog>(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(h.archivedCount(id) == 300 && !w.syncService()->isRunning(id), 60000);
    QTRY_COMPARE(card->badge()->health(), Health::Healthy);
    const QHash<QString, int> archived = h.archivedProviderIds();
    QCOMPARE(archived.size(), 300);
    for (auto it = archived.cbegin(); it != archived.cend(); ++it)
        QCOMPARE(it.value(), 1);
    // Nothing archived before the reconnect was fetched again; everything else once.
    for (const QString &gid : ids) {
        const bool had = archivedBefore.contains(QStringLiteral("gm:") + gid);
        QVERIFY2(h.fake().contentFetches(gid) == (had ? 0 : 1),
                 qPrintable(QStringLiteral("%1 fetched %2 times after reconnecting").arg(gid).arg(h.fake().contentFetches(gid))));
    }
    QVERIFY(m_browserErrors.isEmpty());
}

QTEST_MAIN(TestUiGmail)
#include "tst_ui_gmail.moc"
