// The Connections page as a person uses it: pick a range, watch the card,
// pause, resume, cancel, a failed login, quitting mid-backfill; real Dovecot,
// real keyring, real widgets (offscreen).

#include "archive/archivestore.h"
#include "common/appidentity.h"
#include "connections/connectioncard.h"
#include "connections/connectionspage.h"
#include "connections/healthbadge.h"
#include "dialogs/rangepickerdialog.h"
#include "dovecotserver.h"
#include "keyringsession.h"
#include "mainwindow.h"
#include "sync/syncservice.h"
#include "translations.h"
#include "uishots.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSpinBox>
#include <QtTest>

using namespace Lookback;
using namespace Lookback::Test;
using namespace Lookback::Ui;

class TestUiConnections : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void badges_data();
    void badges();
    void rangeChoiceReachesTheEngine_data();
    void rangeChoiceReachesTheEngine();
    void pauseTurnsAmberThenResumeCompletes();
    void cancelKeepsMessagesAndTurnsHealthy();
    void failedLoginNeedsReconnect();
    void stalledCardSaysSo();
    void throttledSaysWhenItRetries();
    void serverTextIsShownAsText();
    void unreadableMessagesAreSaid();
    void guiStaysResponsiveDuringFullSpeedBackfill();
    void quitPausesAndNextStartResumes();

private:
    qint64 addConnection(SyncService *service, const QString &name, const QString &password = QString());
    ConnectionCard *cardOf(MainWindow &w, qint64 id) { return w.connectionsPage()->card(id); }

    KeyringSession m_keyring;
    DovecotServer m_server;
    QTemporaryDir m_settingsDir;
    int m_messages = 0;
};

void TestUiConnections::initTestCase()
{
    applyApplicationIdentity();
    installTranslators(QLocale(QLocale::English, QLocale::UnitedStates));
    if (qEnvironmentVariableIsSet("LOOKBACK_TEST_DARK")) {
        // scripts/screenshots checks the cards in a dark palette too.
        QApplication::setStyle(QStringLiteral("Fusion"));
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::AlternateBase, QColor(0x33, 0x33, 0x33));
        dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3a));
        dark.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::PlaceholderText, QColor(0xa0, 0xa0, 0xa0));
        dark.setColor(QPalette::Highlight, QColor(0x42, 0x7f, 0xd1));
        QApplication::setPalette(dark);
    }
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    QString error;
    QVERIFY2(m_keyring.start(&error), qPrintable(error));
    QVERIFY2(m_server.start(&error), qPrintable(error));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < 1500; ++i) {
        const QDateTime when = now.addSecs(-3600 * 5 * (i + 1)); // about 312 days back at the oldest
        QVERIFY(m_server.addMessage(i % 3 ? QStringLiteral("INBOX") : QStringLiteral("Sent"),
                                    DovecotServer::makeMessage(QStringLiteral("ui%1@lookback.test").arg(i),
                                                               QStringLiteral("Status report %1").arg(i),
                                                               QStringLiteral("Dana <dana@example.org>"),
                                                               QStringLiteral("alice@example.org"), when,
                                                               QStringLiteral("All fine in week %1.\n").arg(i)),
                                    when));
        ++m_messages;
    }
}

qint64 TestUiConnections::addConnection(SyncService *service, const QString &name, const QString &password)
{
    ConnectionRecord c;
    c.name = name;
    c.host = m_server.host();
    c.port = m_server.tlsPort();
    c.security = QStringLiteral("tls");
    c.username = m_server.user();
    c.trustedCertSha256 = ImapConnection::digestHex(QSslCertificate(m_server.certificatePem(), QSsl::Pem));
    qint64 id = 0;
    service->addConnection(c, password.isEmpty() ? m_server.password() : password,
                           SyncService::SecretPolicy::SessionFallback, [&id](const SyncError &, qint64 added) { id = added; });
    return id;
}

void TestUiConnections::badges_data()
{
    QTest::addColumn<Health>("health");
    for (Health h : {Health::Healthy, Health::Syncing, Health::Paused, Health::Throttled, Health::NeedsReconnect,
                     Health::PermissionLost, Health::WaitingOnParent, Health::Offline, Health::Failed})
        QTest::newRow(qPrintable(healthName(h))) << h;
}

void TestUiConnections::badges()
{
    QFETCH(Health, health);
    HealthBadge badge;
    badge.setHealth(health, QStringLiteral("detail for %1").arg(healthName(health)), QDateTime(), QStringLiteral("Personal"));
    QVERIFY(!badge.text().isEmpty());
    QVERIFY2(badge.toolTip().contains(QStringLiteral("detail for %1").arg(healthName(health))), qPrintable(badge.toolTip()));
    QVERIFY(badge.accessibleName().contains(badge.text()));
    if (health == Health::WaitingOnParent)
        QCOMPARE(badge.text(), QStringLiteral("Waiting on Personal — reconnect it"));
    // Every state has its own colour and its own symbol: never colour alone.
    static QSet<QRgb> colours;
    static QSet<QString> symbols;
    QVERIFY(!colours.contains(HealthBadge::colorFor(health).rgb()));
    QVERIFY(!symbols.contains(HealthBadge::symbolFor(health)));
    colours.insert(HealthBadge::colorFor(health).rgb());
    symbols.insert(HealthBadge::symbolFor(health));
    // The symbol is in the font, so no one sees an empty box instead.
    for (const uint ch : HealthBadge::symbolFor(health).toUcs4())
        QVERIFY2(QFontMetrics(badge.font()).inFontUcs4(ch), qPrintable(HealthBadge::symbolFor(health)));
    const QImage img = badge.grab().toImage();
    QVERIFY(!img.isNull() && img.width() > 40);
}

void TestUiConnections::rangeChoiceReachesTheEngine_data()
{
    QTest::addColumn<QString>("choice");
    QTest::addColumn<int>("days");
    QTest::newRow("30 days") << QStringLiteral("range30") << 30;
    QTest::newRow("90 days (preselected)") << QString() << 90;
    QTest::newRow("12 months") << QStringLiteral("range365") << 365;
    QTest::newRow("everything") << QStringLiteral("rangeEverything") << -1;
    QTest::newRow("custom 14 days") << QStringLiteral("rangeCustom") << 14;
    QTest::newRow("skip") << QStringLiteral("skipButton") << 0;
}

void TestUiConnections::rangeChoiceReachesTheEngine()
{
    QFETCH(QString, choice);
    QFETCH(int, days);
    QTemporaryDir dir;
    MainWindow w(ArchiveStore::defaultPath(dir.path()));
    w.show();
    const qint64 id = addConnection(w.syncService(), QStringLiteral("Range %1").arg(days));
    QVERIFY(id > 0);
    QCOMPARE(cardOf(w, id)->titleText(), QStringLiteral("No history synced yet"));
    QVERIFY(!cardOf(w, id)->progressBar()->isVisibleTo(cardOf(w, id)));
    w.pickRange(id);
    RangePickerDialog *picker = nullptr;
    QTRY_VERIFY((picker = w.findChild<RangePickerDialog *>()) != nullptr);
    QVERIFY(picker->findChild<QRadioButton *>(QStringLiteral("range90"))->isChecked());
    if (choice == QLatin1String("skipButton")) {
        QTest::mouseClick(picker->findChild<QPushButton *>(choice), Qt::LeftButton);
    } else {
        if (!choice.isEmpty())
            picker->findChild<QRadioButton *>(choice)->click();
        if (days == 14)
            picker->findChild<QSpinBox *>(QStringLiteral("customDays"))->setValue(14);
        QTest::mouseClick(picker->findChild<QPushButton *>(QStringLiteral("startButton")), Qt::LeftButton);
    }
    ConnectionCard *card = cardOf(w, id);
    QVERIFY(card);
    // The engine ran with exactly that range: read back the job it stored.
    QTRY_VERIFY_WITH_TIMEOUT(!w.syncService()->isRunning(id) && w.syncService()->hasSynced(id), 60000);
    ArchiveStore store(ArchiveStore::defaultPath(dir.path()));
    SyncError e;
    QVERIFY(store.open(&e));
    BackfillJobRecord job;
    if (days == 0) {
        // Skip: no backfill job at all, nothing pulled, live sync starts from now.
        QVERIFY(!store.latestJob(id, &job));
        QCOMPARE(store.messageCount(id), qint64(0));
        QVERIFY(!store.folders(id).isEmpty());
        for (const FolderRecord &f : store.folders(id))
            QVERIFY2(!f.sourceState.isEmpty(), "the live position was recorded");
        QTRY_COMPARE(card->titleText(), QStringLiteral("Up to date"));
    } else {
        QVERIFY(store.latestJob(id, &job));
        QCOMPARE(job.range.days, days);
        QCOMPARE(job.state, BackfillState::Complete);
        QVERIFY(store.messageCount(id) > 0);
        QTRY_VERIFY(card->bannerVisible() || card->titleText().startsWith(QStringLiteral("Synced")));
    }
}

void TestUiConnections::pauseTurnsAmberThenResumeCompletes()
{
    QTemporaryDir dir;
    MainWindow w(ArchiveStore::defaultPath(dir.path()));
    {
        SyncOptions o = w.syncService()->options();
        o.pageSize = 5;
        w.syncService()->setOptions(o);
    }
    w.show();
    const qint64 id = addConnection(w.syncService(), QStringLiteral("Pausable"));
    w.syncService()->startBackfill(id, BackfillRange::everything());
    ConnectionCard *card = cardOf(w, id);
    QTRY_VERIFY_WITH_TIMEOUT(card->countText().contains(QStringLiteral(" of ~")) && !card->countText().startsWith(QStringLiteral("0 ")), 30000);
    QCOMPARE(card->titleText(), QStringLiteral("Syncing all mail"));
    QCOMPARE(card->badge()->health(), Health::Syncing);
    shoot(&w, QStringLiteral("card-running"));
    QVERIFY(card->pauseButton()->isVisible());
    QCOMPARE(card->pauseButton()->text(), QStringLiteral("Pause"));

    QTest::mouseClick(card->pauseButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(card->badge()->health(), Health::Paused, 30000);
    QCOMPARE(card->titleText(), QStringLiteral("Paused — all mail"));
    QCOMPARE(card->pauseButton()->text(), QStringLiteral("Resume"));
    QCOMPARE(card->progressBar()->palette().color(QPalette::Highlight), HealthBadge::colorFor(Health::Paused));
    const QString countAtPause = card->countText();
    shoot(&w, QStringLiteral("card-paused"));
    QTest::qWait(300);
    QCOMPARE(card->countText(), countAtPause); // nothing moves while paused

    QTest::mouseClick(card->pauseButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(card->badge()->health(), Health::Healthy, 60000);
    QVERIFY(card->bannerVisible());
    QCOMPARE(card->bannerText(), QStringLiteral("Sync complete — %1 messages from all mail").arg(QLocale().toString(m_messages)));
    QCOMPARE(card->countText(), QStringLiteral("%1 of ~%1 messages").arg(QLocale().toString(m_messages)));
    QVERIFY(!card->pauseButton()->isVisible());
    // The banner is green, in light and dark palettes alike.
    const QImage banner = card->findChild<QLabel *>(QStringLiteral("completionBanner"))->grab().toImage();
    QCOMPARE(banner.pixelColor(6, banner.height() / 2).rgb(), HealthBadge::colorFor(Health::Healthy).rgb());
    shoot(&w, QStringLiteral("card-complete"));
    // The banner fades into the Healthy badge.
    card->setBannerDuration(10);
    QTRY_VERIFY_WITH_TIMEOUT(!card->bannerVisible(), 15000);
}

void TestUiConnections::cancelKeepsMessagesAndTurnsHealthy()
{
    QTemporaryDir dir;
    MainWindow w(ArchiveStore::defaultPath(dir.path()));
    {
        SyncOptions o = w.syncService()->options();
        o.pageSize = 5;
        w.syncService()->setOptions(o);
    }
    w.show();
    const qint64 id = addConnection(w.syncService(), QStringLiteral("Cancellable"));
    w.syncService()->startBackfill(id, BackfillRange::everything());
    ConnectionCard *card = cardOf(w, id);
    QTRY_VERIFY_WITH_TIMEOUT(card->countText().contains(QStringLiteral(" of ~")) && !card->countText().startsWith(QStringLiteral("0 ")), 30000);
    QTest::mouseClick(card->cancelButton(), Qt::LeftButton);
    QMessageBox *confirm = card->cancelConfirmation();
    QVERIFY(confirm);
    QVERIFY(confirm->text().contains(QStringLiteral("already archived stay")));
    QAbstractButton *yes = nullptr;
    for (QAbstractButton *b : confirm->buttons())
        if (confirm->buttonRole(b) == QMessageBox::AcceptRole)
            yes = b;
    QVERIFY(yes);
    QTest::mouseClick(yes, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(card->badge()->health(), Health::Healthy, 30000);
    QVERIFY(card->titleText().contains(QStringLiteral("cancelled")));
    ArchiveStore store(ArchiveStore::defaultPath(dir.path()));
    SyncError e;
    QVERIFY(store.open(&e));
    const qint64 kept = store.messageCount(id);
    QVERIFY(kept > 0);
    QVERIFY(kept < m_messages);
}

void TestUiConnections::failedLoginNeedsReconnect()
{
    QTemporaryDir dir;
    MainWindow w(ArchiveStore::defaultPath(dir.path()));
    w.show();
    const qint64 id = addConnection(w.syncService(), QStringLiteral("Wrong password"), QStringLiteral("nope-not-it"));
    w.syncService()->startBackfill(id, BackfillRange{30});
    ConnectionCard *card = cardOf(w, id);
    QTRY_COMPARE_WITH_TIMEOUT(card->badge()->health(), Health::NeedsReconnect, 30000);
    QCOMPARE(card->badge()->text(), QStringLiteral("Needs reconnect"));
    QVERIFY2(card->statusText().contains(QStringLiteral("could not sign in")), qPrintable(card->statusText()));
    QVERIFY(card->actionButton()->isVisible());
    QCOMPARE(card->actionButton()->text(), QStringLiteral("Reconnect…"));
    QVERIFY(!card->statusText().contains(QStringLiteral("nope-not-it")));
    // Nothing was counted before the login failed: no "0 of ~0", no full bar.
    QCOMPARE(card->countText(), QString());
    QCOMPARE(card->progressBar()->value(), 0);
    // The cause is shown in red.
    QLabel *status = nullptr;
    for (QLabel *l : card->findChildren<QLabel *>())
        if (l->text() == card->statusText())
            status = l;
    QVERIFY(status);
    QCOMPARE(status->palette().color(status->foregroundRole()), HealthBadge::colorFor(Health::Failed));
    shoot(&w, QStringLiteral("card-failed"));
}

void TestUiConnections::stalledCardSaysSo()
{
    ConnectionRecord c;
    c.id = 7;
    c.name = QStringLiteral("Slow server");
    ConnectionCard card(c);
    card.setStallThreshold(200);
    card.show();
    SyncProgress p;
    p.connectionId = 7;
    p.jobId = 1;
    p.state = BackfillState::Running;
    p.health = Health::Syncing;
    p.fetched = 120;
    p.estimatedTotal = 5000;
    card.setProgress(p);
    QVERIFY(card.statusText().isEmpty());
    QTRY_VERIFY(card.statusText().contains(QStringLiteral("No new messages")));
    QVERIFY(card.actionButton()->isVisible());
    QCOMPARE(card.actionButton()->text(), QStringLiteral("Retry"));
    QVERIFY(card.pauseButton()->isVisible());
    p.fetched = 125; // it moves again
    card.setProgress(p);
    QVERIFY(card.statusText().isEmpty());
}

void TestUiConnections::throttledSaysWhenItRetries()
{
    ConnectionRecord c;
    c.id = 8;
    c.name = QStringLiteral("Busy server");
    ConnectionCard card(c);
    SyncProgress p;
    p.connectionId = 8;
    p.jobId = 1;
    p.state = BackfillState::Running;
    p.health = Health::Throttled;
    p.retryAt = QDateTime::currentDateTime().addSecs(120);
    card.setProgress(p);
    const QString at = QLocale().toString(p.retryAt.time(), QLocale::ShortFormat);
    QCOMPARE(card.badge()->text(), QStringLiteral("Throttled — retrying at %1").arg(at));
}

// A server's NO/BYE text (and a connection name) may hold markup: the card and the
// badge's tooltip show it as the characters it is, never as formatting or an image.
void TestUiConnections::serverTextIsShownAsText()
{
    const QString markup = QStringLiteral("Server said <b>bold</b> <img src=\"file:///etc/hostname\"> <a href=\"x\">click</a>");
    ConnectionRecord c;
    c.id = 9;
    c.name = QStringLiteral("<i>Work</i>");
    ConnectionCard card(c);
    card.show();
    SyncProgress p;
    p.connectionId = 9;
    p.jobId = 1;
    p.state = BackfillState::Failed;
    p.health = Health::Failed;
    p.error = SyncError::make(ErrorCategory::Protocol, markup);
    p.message = markup;
    card.setProgress(p);
    QVERIFY2(card.statusText().contains(QStringLiteral("<b>bold</b>")), qPrintable(card.statusText()));
    int shown = 0;
    for (QLabel *label : card.findChildren<QLabel *>()) {
        if (!label->text().contains(QLatin1Char('<')))
            continue;
        ++shown;
        QVERIFY2(label->textFormat() == Qt::PlainText, qPrintable(label->text()));
    }
    QVERIFY2(shown >= 2, "the name and the server's words are on the card");
    const QString tip = card.badge()->toolTip();
    QVERIFY2(tip.contains(QStringLiteral("&lt;b&gt;bold&lt;/b&gt;")), qPrintable(tip));
    QVERIFY2(!tip.contains(QStringLiteral("<img")), qPrintable(tip));
}

// "Complete means complete": a run that could not read some messages says how many,
// and its count is what was archived.
void TestUiConnections::unreadableMessagesAreSaid()
{
    ConnectionRecord c;
    c.id = 10;
    c.name = QStringLiteral("Corrupt mailbox");
    ConnectionCard card(c);
    card.show();
    SyncProgress p;
    p.connectionId = 10;
    p.jobId = 1;
    p.state = BackfillState::Complete;
    p.health = Health::Healthy;
    p.fetched = 97;
    p.estimatedTotal = 100;
    p.unreadable = 3;
    card.setProgress(p);
    QVERIFY2(card.countText().contains(QStringLiteral("3 messages could not be read")), qPrintable(card.countText()));
    QVERIFY2(card.countText().contains(QStringLiteral("97")), qPrintable(card.countText()));
    p.unreadable = 1;
    card.setProgress(p);
    QVERIFY2(card.countText().contains(QStringLiteral("1 message could not be read")), qPrintable(card.countText()));
}

void TestUiConnections::guiStaysResponsiveDuringFullSpeedBackfill()
{
    QTemporaryDir dir;
    MainWindow w(ArchiveStore::defaultPath(dir.path()));
    w.show();
    const qint64 id = addConnection(w.syncService(), QStringLiteral("Full speed"));
    // The GUI thread's longest gap between two timer ticks while pages pour in.
    QElapsedTimer clock;
    qint64 last = -1, worst = 0;
    QTimer tick;
    tick.setInterval(2);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        if (last >= 0)
            worst = std::max(worst, now - last);
        last = now;
    });
    bool done = false;
    QObject::connect(w.syncService(), &SyncService::finished, [&] { done = true; });
    clock.start();
    tick.start();
    w.syncService()->startBackfill(id, BackfillRange::everything());
    QTRY_VERIFY_WITH_TIMEOUT(done, 120000);
    tick.stop();
    qInfo("longest GUI-thread stall during the backfill: %lld ms", worst);
    QVERIFY2(worst < 50, qPrintable(QStringLiteral("%1 ms").arg(worst)));
    QCOMPARE(cardOf(w, id)->countText(), QStringLiteral("%1 of ~%1 messages").arg(QLocale().toString(m_messages)));
}

void TestUiConnections::quitPausesAndNextStartResumes()
{
    QTemporaryDir dir;
    const QString archive = ArchiveStore::defaultPath(dir.path());
    qint64 id = 0;
    qint64 atQuit = 0;
    {
        MainWindow w(archive);
        {
        SyncOptions o = w.syncService()->options();
        o.pageSize = 5;
        w.syncService()->setOptions(o);
    }
        w.show();
        id = addConnection(w.syncService(), QStringLiteral("Interrupted"));
        w.syncService()->startBackfill(id, BackfillRange::everything());
        ConnectionCard *card = cardOf(w, id);
        QTRY_VERIFY_WITH_TIMEOUT(card->countText().contains(QStringLiteral(" of ~")) && !card->countText().startsWith(QStringLiteral("0 ")), 30000);
        w.close(); // quitting: the backfill stops at the end of its page
        ArchiveStore store(archive);
        SyncError e;
        QVERIFY(store.open(&e));
        BackfillJobRecord job;
        QVERIFY(store.latestJob(id, &job));
        QCOMPARE(job.state, BackfillState::Paused);
        atQuit = job.fetched;
        QVERIFY(atQuit > 0 && atQuit < m_messages);
    }
    MainWindow again(archive);
    again.show();
    ConnectionCard *card = cardOf(again, id);
    QVERIFY(card);
    // Before resuming, the card shows where it stood.
    QCOMPARE(card->countText(), QStringLiteral("%1 of ~%2 messages").arg(QLocale().toString(atQuit), QLocale().toString(m_messages)));
    again.startup();
    QTRY_COMPARE_WITH_TIMEOUT(card->badge()->health(), Health::Healthy, 60000);
    ArchiveStore store(archive);
    SyncError e;
    QVERIFY(store.open(&e));
    QCOMPARE(store.messageCount(id), qint64(m_messages));
}

QTEST_MAIN(TestUiConnections)
#include "tst_ui_connections.moc"
