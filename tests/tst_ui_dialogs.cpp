// The connect flow's dialogs, driven through their real widgets (offscreen):
// AddConnectionDialog against a real Dovecot, RangePickerDialog with given counts
// and with counts from the same server.
//
// LOOKBACK_SCREENSHOT_DIR=DIR saves pictures of the interesting states there.

#include "translations.h"
#include "dialogs/addconnectiondialog.h"
#include "dialogs/rangepickerdialog.h"
#include "archive/archivestore.h"
#include "sync/syncservice.h"
#include "dovecotserver.h"
#include "imap/imapconnection.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSslCertificate>
#include <QTcpServer>
#include <QtTest>

using namespace Lookback;
using namespace Lookback::Test;
using namespace Lookback::Ui;

namespace {

template <typename T>
T *child(QWidget *parent, const char *name)
{
    T *w = parent->findChild<T *>(QLatin1String(name));
    if (!w)
        qWarning() << "no child" << name;
    return w;
}

void screenshot(QWidget *w, const QString &name)
{
    const QString dir = qEnvironmentVariable("LOOKBACK_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QApplication::processEvents();
    const QString path = QDir(dir).filePath(name);
    if (!w->grab().save(path))
        qWarning() << "could not save" << path;
}

// Types into a line edit as a user would.
void type(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

void chooseSecurity(QComboBox *combo, Security s)
{
    combo->setFocus();
    const int index = combo->findData(int(s));
    // Arrow keys, like a keyboard user.
    while (combo->currentIndex() < index)
        QTest::keyClick(combo, Qt::Key_Down);
    while (combo->currentIndex() > index)
        QTest::keyClick(combo, Qt::Key_Up);
}

RangeCounts sampleCounts()
{
    RangeCounts c;
    c.last30 = 812;
    c.last90 = 2340;
    c.last365 = 9105;
    c.everything = 31420;
    c.byDays = {{30, 812}, {90, 2340}, {365, 9105}, {14, 377}};
    c.messagesPerSecond = 13.0;
    return c;
}

} // namespace

class TestUiDialogs : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void providerPages();
    void unencryptedNeedsConfirmation();
    void portFollowsEncryption();
    void untrustedCertificateThenTrust();
    void wrongPasswordSaysLoginRejected();
    void unreachableServer();
    void connectRunsTheTestFirst();

    void ninetyDaysIsPreselected();
    void countsAndDurationsAreShown();
    void choices_data();
    void choices();
    void skip();
    void countingFailureStillAllowsChoosing();
    void customDaysAreInterpolatedAsAbout();
    void durationWords_data();
    void durationWords();
    void countsFromTheServer();

private:
    void fillImapForm(AddConnectionDialog &dlg, Security security, const QString &password);

    DovecotServer m_server;
    QSslCertificate m_cert;
};

void TestUiDialogs::initTestCase()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    Lookback::Ui::installTranslators(QLocale(QLocale::English, QLocale::UnitedStates));
    QString error;
    QVERIFY2(m_server.start(&error), qPrintable(error));
    m_cert = QSslCertificate(m_server.certificatePem(), QSsl::Pem);
    QVERIFY(!m_cert.isNull());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < 12; ++i) {
        const QDateTime when = now.addDays(-(i * 40 + 7));
        const QString mailbox = i % 3 == 0 ? QStringLiteral("Sent") : QStringLiteral("INBOX");
        QVERIFY(m_server.addMessage(mailbox,
                                    DovecotServer::makeMessage(QStringLiteral("ui%1@lookback.test").arg(i),
                                                               QStringLiteral("Hello %1").arg(i),
                                                               QStringLiteral("bob@example.org"),
                                                               QStringLiteral("alice@example.org"), when,
                                                               QStringLiteral("Hi\n")),
                                    when));
    }
}

void TestUiDialogs::fillImapForm(AddConnectionDialog &dlg, Security security, const QString &password)
{
    type(child<QLineEdit>(&dlg, "hostEdit"), m_server.host());
    chooseSecurity(child<QComboBox>(&dlg, "securityCombo"), security);
    auto *port = child<QSpinBox>(&dlg, "portSpin");
    port->setFocus();
    port->selectAll();
    QTest::keyClicks(port, QString::number(security == Security::Tls ? m_server.tlsPort() : m_server.plainPort()));
    if (security == Security::None)
        child<QCheckBox>(&dlg, "plainConfirm")->click();
    type(child<QLineEdit>(&dlg, "usernameEdit"), m_server.user());
    type(child<QLineEdit>(&dlg, "passwordEdit"), password);
}

void TestUiDialogs::providerPages()
{
    AddConnectionDialog dlg;
    dlg.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dlg));
    auto *connect = child<QPushButton>(&dlg, "connectButton");
    auto *msText = child<QLabel>(&dlg, "microsoftExplanation");
    QVERIFY(child<QRadioButton>(&dlg, "providerImap")->isChecked());
    QVERIFY(!msText->isVisible());
    // Every field has a label that is its buddy (mnemonics, screen readers).
    for (const char *field : {"nameEdit", "hostEdit", "securityCombo", "portSpin", "usernameEdit", "passwordEdit"}) {
        QWidget *w = child<QWidget>(&dlg, field);
        QVERIFY(w);
        bool labelled = false;
        for (QLabel *label : dlg.findChildren<QLabel *>())
            labelled = labelled || label->buddy() == w;
        QVERIFY2(labelled, field);
        QVERIFY2(!w->accessibleName().isEmpty(), field);
    }

    // A complete IMAP form can connect...
    fillImapForm(dlg, Security::Tls, QStringLiteral("secret"));
    QVERIFY(connect->isEnabled());

    // Gmail signs in through the browser: the page says what happens there, and
    // without a configured OAuth client asks for the user's own.
    qunsetenv("LOOKBACK_GOOGLE_CLIENT_ID");
    qunsetenv("LOOKBACK_GOOGLE_CLIENT_SECRET");
    QTest::mouseClick(child<QRadioButton>(&dlg, "providerGmail"), Qt::LeftButton);
    QCOMPARE(dlg.provider(), AddConnectionDialog::Provider::Gmail);
    QCOMPARE(dlg.oauthKind(), ProviderKind::Gmail);
    QVERIFY(!msText->isVisible());
    QVERIFY(!child<QPushButton>(&dlg, "testButton")->isVisible());
    QVERIFY(child<QLabel>(&dlg, "gmailExplanation")->isVisible());
    QVERIFY(child<QLabel>(&dlg, "gmailExplanation")->text().contains(QLatin1String("never sees your password")));
    QCOMPARE(connect->text(), QStringLiteral("C&ontinue in your browser…"));
    QVERIFY(child<QWidget>(&dlg, "clientBox")->isVisible());
    QVERIFY(!connect->isEnabled());
    type(child<QLineEdit>(&dlg, "clientIdEdit"), QStringLiteral("123-abc.apps.googleusercontent.com"));
    type(child<QLineEdit>(&dlg, "clientSecretEdit"), QStringLiteral("GOCSPX-test"));
    QVERIFY(connect->isEnabled());
    QCOMPARE(dlg.oauthClient().clientId, QStringLiteral("123-abc.apps.googleusercontent.com"));
    QCOMPARE(dlg.oauthClient().clientSecret, QStringLiteral("GOCSPX-test"));
    QCOMPARE(dlg.oauthName(), QStringLiteral("Gmail"));
    type(child<QLineEdit>(&dlg, "gmailNameEdit"), QString());
    QVERIFY2(!connect->isEnabled(), "a connection needs a name");
    type(child<QLineEdit>(&dlg, "gmailNameEdit"), QStringLiteral("Personal"));
    QVERIFY(child<QPushButton>(&dlg, "gmailImapButton")->isVisible());
    screenshot(&dlg, QStringLiteral("add-connection-gmail.png"));
    // A client from the environment: nothing to type but the name.
    qputenv("LOOKBACK_GOOGLE_CLIENT_ID", "from-env.apps.googleusercontent.com");
    QTest::mouseClick(child<QRadioButton>(&dlg, "providerImap"), Qt::LeftButton);
    QTest::mouseClick(child<QRadioButton>(&dlg, "providerGmail"), Qt::LeftButton);
    QVERIFY(!child<QWidget>(&dlg, "clientBox")->isVisible());
    QVERIFY(connect->isEnabled());
    QCOMPARE(dlg.oauthClient().clientId, QString());
    qunsetenv("LOOKBACK_GOOGLE_CLIENT_ID");

    // Microsoft 365 signs in through the browser too; a public client has only an id.
    qunsetenv("LOOKBACK_MICROSOFT_CLIENT_ID");
    QTest::mouseClick(child<QRadioButton>(&dlg, "providerMicrosoft365"), Qt::LeftButton);
    QCOMPARE(dlg.oauthKind(), ProviderKind::Microsoft);
    QVERIFY(msText->isVisible());
    QVERIFY(msText->text().contains(QLatin1String("never sees your password")));
    QVERIFY(msText->text().contains(QLatin1String("shared")));
    QVERIFY(!child<QLabel>(&dlg, "gmailExplanation")->isVisible());
    QVERIFY(!child<QPushButton>(&dlg, "gmailImapButton")->isVisible());
    QVERIFY(!child<QPushButton>(&dlg, "testButton")->isVisible());
    QCOMPARE(connect->text(), QStringLiteral("C&ontinue in your browser…"));
    QVERIFY(child<QWidget>(&dlg, "microsoftClientBox")->isVisible());
    QVERIFY(!connect->isEnabled());
    type(child<QLineEdit>(&dlg, "microsoftClientIdEdit"), QStringLiteral("11111111-2222-3333-4444-555555555555"));
    QVERIFY(connect->isEnabled());
    QCOMPARE(dlg.oauthName(), QStringLiteral("Microsoft 365"));
    QCOMPARE(dlg.oauthClient().clientId, QStringLiteral("11111111-2222-3333-4444-555555555555"));
    QVERIFY(dlg.oauthClient().clientSecret.isEmpty());
    type(child<QLineEdit>(&dlg, "microsoftNameEdit"), QString());
    QVERIFY2(!connect->isEnabled(), "a connection needs a name");
    type(child<QLineEdit>(&dlg, "microsoftNameEdit"), QStringLiteral("Work"));
    QCOMPARE(dlg.oauthName(), QStringLiteral("Work"));
    screenshot(&dlg, QStringLiteral("add-connection-microsoft.png"));
    qputenv("LOOKBACK_MICROSOFT_CLIENT_ID", "from-env");
    QTest::mouseClick(child<QRadioButton>(&dlg, "providerImap"), Qt::LeftButton);
    QTest::mouseClick(child<QRadioButton>(&dlg, "providerMicrosoft365"), Qt::LeftButton);
    QVERIFY(!child<QWidget>(&dlg, "microsoftClientBox")->isVisible());
    QVERIFY(connect->isEnabled());
    QCOMPARE(dlg.oauthClient().clientId, QString());
    qunsetenv("LOOKBACK_MICROSOFT_CLIENT_ID");

    // Back to IMAP: nothing typed was lost.
    QTest::mouseClick(child<QRadioButton>(&dlg, "providerImap"), Qt::LeftButton);
    QVERIFY(!msText->isVisible());
    QVERIFY(connect->isEnabled());
    QCOMPARE(connect->text(), QStringLiteral("C&onnect"));
    QCOMPARE(child<QLineEdit>(&dlg, "hostEdit")->text(), m_server.host());

    // Gmail's shortcut: IMAP with Gmail's server filled in.
    QTest::mouseClick(child<QRadioButton>(&dlg, "providerGmail"), Qt::LeftButton);
    QTest::mouseClick(child<QPushButton>(&dlg, "gmailImapButton"), Qt::LeftButton);
    QCOMPARE(dlg.provider(), AddConnectionDialog::Provider::Imap);
    QCOMPARE(dlg.connection().host, QStringLiteral("imap.gmail.com"));
    QCOMPARE(dlg.connection().port, quint16(993));
    QCOMPARE(dlg.connection().security, QStringLiteral("tls"));
    QVERIFY(child<QLabel>(&dlg, "gmailNote")->isVisible());
}

void TestUiDialogs::unencryptedNeedsConfirmation()
{
    AddConnectionDialog dlg;
    dlg.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dlg));
    auto *warning = child<QWidget>(&dlg, "plainWarning");
    auto *confirm = child<QCheckBox>(&dlg, "plainConfirm");
    auto *connect = child<QPushButton>(&dlg, "connectButton");
    fillImapForm(dlg, Security::Tls, QStringLiteral("secret"));
    QVERIFY(!warning->isVisible());
    QVERIFY(connect->isEnabled());

    chooseSecurity(child<QComboBox>(&dlg, "securityCombo"), Security::None);
    QVERIFY(warning->isVisible());
    QVERIFY(child<QLabel>(&dlg, "plainWarningText")->text().contains(QLatin1String("plain text")));
    QVERIFY(!confirm->isChecked());
    QVERIFY(!connect->isEnabled());
    QVERIFY(!child<QPushButton>(&dlg, "testButton")->isEnabled());
    QTest::mouseClick(confirm, Qt::LeftButton, {}, QPoint(5, confirm->height() / 2));
    QVERIFY(confirm->isChecked());
    QVERIFY(connect->isEnabled());
    QCOMPARE(dlg.connection().security, QStringLiteral("none"));
    screenshot(&dlg, QStringLiteral("add-connection-unencrypted.png"));

    // Back to TLS: the warning goes, and so does the confirmation.
    chooseSecurity(child<QComboBox>(&dlg, "securityCombo"), Security::Tls);
    QVERIFY(!warning->isVisible());
    QVERIFY(!confirm->isChecked());
}

void TestUiDialogs::portFollowsEncryption()
{
    AddConnectionDialog dlg;
    dlg.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dlg));
    auto *combo = child<QComboBox>(&dlg, "securityCombo");
    auto *port = child<QSpinBox>(&dlg, "portSpin");
    QCOMPARE(port->value(), 993);
    chooseSecurity(combo, Security::StartTls);
    QCOMPARE(port->value(), 143);
    chooseSecurity(combo, Security::None);
    QCOMPARE(port->value(), 143);
    chooseSecurity(combo, Security::Tls);
    QCOMPARE(port->value(), 993);

    // A port the user typed stays.
    port->setFocus();
    port->selectAll();
    QTest::keyClicks(port, QStringLiteral("10993"));
    QCOMPARE(port->value(), 10993);
    chooseSecurity(combo, Security::StartTls);
    QCOMPARE(port->value(), 10993);
    chooseSecurity(combo, Security::Tls);
    QCOMPARE(port->value(), 10993);
}

void TestUiDialogs::untrustedCertificateThenTrust()
{
    AddConnectionDialog dlg;
    dlg.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dlg));
    QSignalSpy finished(&dlg, &AddConnectionDialog::testFinished);
    fillImapForm(dlg, Security::Tls, m_server.password());
    QCOMPARE(child<QLineEdit>(&dlg, "nameEdit")->text(), m_server.user()); // suggested from the username

    auto *test = child<QPushButton>(&dlg, "testButton");
    QVERIFY(test->isEnabled());
    QTest::mouseClick(test, Qt::LeftButton);
    QVERIFY(!test->isEnabled()); // one test at a time
    QVERIFY(finished.wait(30000));

    auto *title = child<QLabel>(&dlg, "resultTitle");
    auto *fingerprint = child<QLabel>(&dlg, "fingerprintLabel");
    auto *trust = child<QPushButton>(&dlg, "trustButton");
    QVERIFY2(title->text().contains(QLatin1String("not trusted")), qPrintable(title->text()));
    QVERIFY(fingerprint->isVisible());
    QCOMPARE(fingerprint->text().remove(QLatin1Char('\n')), ImapConnection::fingerprint(m_cert));
    QVERIFY(trust->isVisible());
    QVERIFY(!dlg.testPassed());
    QVERIFY(dlg.connection().trustedCertSha256.isEmpty());
    screenshot(&dlg, QStringLiteral("add-connection-untrusted.png"));

    // Trust: tests again by itself, and passes.
    QTest::mouseClick(trust, Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.size(), 2);
    QVERIFY2(finished.last().first().value<ProbeResult>().ok(), qPrintable(child<QLabel>(&dlg, "resultDetail")->text()));
    QCOMPARE(title->text(), QStringLiteral("Connection works"));
    const QString detail = child<QLabel>(&dlg, "resultDetail")->text();
    QVERIFY2(detail.contains(QStringLiteral("“INBOX”")) && detail.contains(QStringLiteral("“Sent”")), qPrintable(detail));
    QVERIFY(!trust->isVisible());
    QVERIFY(dlg.testPassed());
    const ConnectionRecord c = dlg.connection();
    QCOMPARE(c.trustedCertSha256, ImapConnection::digestHex(m_cert));
    QCOMPARE(c.kind, ProviderKind::Imap);
    QCOMPARE(c.host, m_server.host());
    QCOMPARE(c.port, m_server.tlsPort());
    QCOMPARE(c.security, QStringLiteral("tls"));
    QCOMPARE(c.username, m_server.user());
    QCOMPARE(c.name, m_server.user());
    QCOMPARE(dlg.password(), m_server.password());
    screenshot(&dlg, QStringLiteral("add-connection-success.png"));

    // Connect after a passed test accepts at once.
    QTest::mouseClick(child<QPushButton>(&dlg, "connectButton"), Qt::LeftButton);
    QCOMPARE(dlg.result(), int(QDialog::Accepted));
    QCOMPARE(finished.size(), 2);

    // Pointing at another server forgets the trust.
    type(child<QLineEdit>(&dlg, "hostEdit"), QStringLiteral("localhost"));
    QVERIFY(dlg.connection().trustedCertSha256.isEmpty());
    QVERIFY(!dlg.testPassed());
}

void TestUiDialogs::wrongPasswordSaysLoginRejected()
{
    AddConnectionDialog dlg;
    dlg.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dlg));
    QSignalSpy finished(&dlg, &AddConnectionDialog::testFinished);
    fillImapForm(dlg, Security::None, QStringLiteral("not-the-password"));
    QTest::mouseClick(child<QPushButton>(&dlg, "testButton"), Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QCOMPARE(child<QLabel>(&dlg, "resultTitle")->text(), QStringLiteral("Login rejected"));
    QVERIFY(child<QLabel>(&dlg, "resultDetail")->text().contains(QLatin1String("app password")));
    QVERIFY(!child<QPushButton>(&dlg, "trustButton")->isVisible());
    QVERIFY(!dlg.testPassed());
    screenshot(&dlg, QStringLiteral("add-connection-login-rejected.png"));

    // Correcting the password clears the stale verdict.
    type(child<QLineEdit>(&dlg, "passwordEdit"), m_server.password());
    QVERIFY(!child<QWidget>(&dlg, "resultArea")->isVisible());
}

void TestUiDialogs::unreachableServer()
{
    AddConnectionDialog dlg;
    dlg.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dlg));
    QSignalSpy finished(&dlg, &AddConnectionDialog::testFinished);
    fillImapForm(dlg, Security::Tls, QStringLiteral("secret"));
    quint16 closedPort = 0;
    {
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
        closedPort = listener.serverPort();
    }
    auto *port = child<QSpinBox>(&dlg, "portSpin");
    port->setFocus();
    port->selectAll();
    QTest::keyClicks(port, QString::number(closedPort));
    QTest::mouseClick(child<QPushButton>(&dlg, "testButton"), Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QCOMPARE(child<QLabel>(&dlg, "resultTitle")->text(), QStringLiteral("Cannot reach the server"));
    QVERIFY(child<QLabel>(&dlg, "serverText")->isVisible());
}

void TestUiDialogs::connectRunsTheTestFirst()
{
    AddConnectionDialog dlg;
    dlg.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dlg));
    QSignalSpy finished(&dlg, &AddConnectionDialog::testFinished);
    fillImapForm(dlg, Security::None, m_server.password());
    type(child<QLineEdit>(&dlg, "nameEdit"), QStringLiteral("Home server"));
    QVERIFY(!dlg.testPassed());
    QTest::mouseClick(child<QPushButton>(&dlg, "connectButton"), Qt::LeftButton);
    QCOMPARE(dlg.result(), int(QDialog::Rejected)); // not before the test
    QVERIFY(finished.wait(30000));
    QTRY_COMPARE(dlg.result(), int(QDialog::Accepted));
    QCOMPARE(dlg.connection().name, QStringLiteral("Home server"));
    QCOMPARE(dlg.connection().security, QStringLiteral("none"));
    QCOMPARE(dlg.connection().port, m_server.plainPort());

    // A failing test keeps the dialog open.
    AddConnectionDialog bad;
    bad.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bad));
    QSignalSpy badFinished(&bad, &AddConnectionDialog::testFinished);
    fillImapForm(bad, Security::None, QStringLiteral("wrong"));
    QTest::mouseClick(child<QPushButton>(&bad, "connectButton"), Qt::LeftButton);
    QVERIFY(badFinished.wait(30000));
    QTest::qWait(50);
    QVERIFY(bad.isVisible());
    QCOMPARE(bad.result(), int(QDialog::Rejected));
}

void TestUiDialogs::ninetyDaysIsPreselected()
{
    RangePickerDialog dlg(QStringLiteral("Work"), sampleCounts());
    dlg.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dlg));
    QCOMPARE(dlg.windowTitle(), QStringLiteral("How much mail should we sync?"));
    QCOMPARE(child<QLabel>(&dlg, "heading")->text(), QStringLiteral("How much mail should we sync?"));
    QVERIFY(child<QRadioButton>(&dlg, "range90")->isChecked());
    QVERIFY(child<QLabel>(&dlg, "recommendedBadge")->isVisible());
    QCOMPARE(child<QLabel>(&dlg, "recommendedBadge")->text(), QStringLiteral("Recommended"));
    QCOMPARE(dlg.range().days, 90);
    QVERIFY(!dlg.wasSkipped());
    // Enter starts the recommended choice.
    QTest::keyClick(&dlg, Qt::Key_Return);
    QCOMPARE(dlg.result(), int(QDialog::Accepted));
    QCOMPARE(dlg.range().days, 90);
}

void TestUiDialogs::countsAndDurationsAreShown()
{
    // Given counts after construction: no server needed.
    RangePickerDialog dlg(QStringLiteral("Work"), RangeCounts());
    dlg.setCounts(sampleCounts());
    dlg.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dlg));
    // 812 / 13 = 62 s; 2,340 / 13 = 180 s; 9,105 / 13 = 700 s; 31,420 / 13 = 2,417 s.
    QCOMPARE(child<QLabel>(&dlg, "range30Estimate")->text(), QStringLiteral("≈ 812 messages · about 1 minute"));
    QCOMPARE(child<QLabel>(&dlg, "range90Estimate")->text(), QStringLiteral("≈ 2,340 messages · about 3 minutes"));
    QCOMPARE(child<QLabel>(&dlg, "range365Estimate")->text(), QStringLiteral("≈ 9,105 messages · about 12 minutes"));
    QCOMPARE(child<QLabel>(&dlg, "rangeEverythingEstimate")->text(), QStringLiteral("≈ 31,420 messages · about 40 minutes"));
    QVERIFY(!child<QLabel>(&dlg, "countStatus")->text().contains(QLatin1String("Counting")));
    screenshot(&dlg, QStringLiteral("range-picker.png"));

    RangeCounts fast = sampleCounts();
    fast.messagesPerSecond = 1000;
    dlg.setCounts(fast);
    QCOMPARE(child<QLabel>(&dlg, "range90Estimate")->text(), QStringLiteral("≈ 2,340 messages · under a minute"));
    RangeCounts slow = sampleCounts();
    slow.messagesPerSecond = 2;
    dlg.setCounts(slow);
    QCOMPARE(child<QLabel>(&dlg, "rangeEverythingEstimate")->text(), QStringLiteral("≈ 31,420 messages · about 4 hours"));
    RangeCounts noRate = sampleCounts();
    noRate.messagesPerSecond = 0;
    dlg.setCounts(noRate);
    QCOMPARE(child<QLabel>(&dlg, "range30Estimate")->text(), QStringLiteral("≈ 812 messages"));
}

void TestUiDialogs::choices_data()
{
    QTest::addColumn<QString>("radio");
    QTest::addColumn<int>("days");
    QTest::newRow("30 days") << QStringLiteral("range30") << 30;
    QTest::newRow("90 days") << QStringLiteral("range90") << 90;
    QTest::newRow("12 months") << QStringLiteral("range365") << 365;
    QTest::newRow("everything") << QStringLiteral("rangeEverything") << -1;
    QTest::newRow("custom 14") << QStringLiteral("rangeCustom") << 14;
}

void TestUiDialogs::choices()
{
    QFETCH(QString, radio);
    QFETCH(int, days);
    RangePickerDialog dlg(QStringLiteral("Work"), sampleCounts());
    dlg.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dlg));
    auto *button = dlg.findChild<QRadioButton *>(radio);
    QVERIFY(button);
    QTest::mouseClick(button, Qt::LeftButton, {}, QPoint(5, button->height() / 2));
    QVERIFY(button->isChecked());
    if (radio == QLatin1String("rangeCustom")) {
        auto *spin = child<QSpinBox>(&dlg, "customDays");
        spin->setFocus();
        spin->selectAll();
        QTest::keyClicks(spin, QStringLiteral("14"));
        QCOMPARE(spin->value(), 14);
        // Counted for 14 days (byDays): exact, not interpolated.
        QCOMPARE(child<QLabel>(&dlg, "rangeCustomEstimate")->text(), QStringLiteral("≈ 377 messages · under a minute"));
    }
    QTest::mouseClick(child<QPushButton>(&dlg, "startButton"), Qt::LeftButton);
    QCOMPARE(dlg.result(), int(QDialog::Accepted));
    QVERIFY(!dlg.wasSkipped());
    QCOMPARE(dlg.range().days, days);
    QCOMPARE(dlg.range().isEverything(), days < 0);
}

void TestUiDialogs::skip()
{
    RangePickerDialog dlg(QStringLiteral("Work"), sampleCounts());
    dlg.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dlg));
    QTest::mouseClick(child<QRadioButton>(&dlg, "range365"), Qt::LeftButton, {}, QPoint(5, 5));
    QVERIFY(child<QLabel>(&dlg, "skipExplanation")->text().contains(QLatin1String("only new mail")));
    QTest::mouseClick(child<QPushButton>(&dlg, "skipButton"), Qt::LeftButton);
    QCOMPARE(dlg.result(), int(QDialog::Accepted));
    QVERIFY(dlg.wasSkipped());
    QCOMPARE(dlg.range().days, 0);
    QVERIFY(dlg.range().isSkip());
}

void TestUiDialogs::countingFailureStillAllowsChoosing()
{
    RangeCounts failed;
    failed.error = SyncError::make(ErrorCategory::Network, QStringLiteral("imap.example.com stopped answering"));
    RangePickerDialog dlg(QStringLiteral("Work"), failed);
    dlg.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dlg));
    for (const char *name : {"range30Estimate", "range90Estimate", "range365Estimate", "rangeEverythingEstimate",
                             "rangeCustomEstimate"})
        QCOMPARE(child<QLabel>(&dlg, name)->text(), QStringLiteral("Unknown"));
    QVERIFY(child<QLabel>(&dlg, "countStatus")->text().contains(QLatin1String("stopped answering")));
    screenshot(&dlg, QStringLiteral("range-picker-count-failed.png"));
    QTest::mouseClick(child<QRadioButton>(&dlg, "range30"), Qt::LeftButton, {}, QPoint(5, 5));
    QVERIFY(child<QPushButton>(&dlg, "startButton")->isEnabled());
    QTest::mouseClick(child<QPushButton>(&dlg, "startButton"), Qt::LeftButton);
    QCOMPARE(dlg.result(), int(QDialog::Accepted));
    QCOMPARE(dlg.range().days, 30);
}

void TestUiDialogs::customDaysAreInterpolatedAsAbout()
{
    RangeCounts c;
    c.last30 = 300;
    c.last90 = 900;
    c.last365 = 3650;
    c.everything = 5000;
    c.byDays = {{30, 300}, {90, 900}, {365, 3650}};
    c.messagesPerSecond = 10;
    RangePickerDialog dlg(QStringLiteral("Work"), c);
    dlg.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dlg));
    auto *spin = child<QSpinBox>(&dlg, "customDays");
    auto *estimate = child<QLabel>(&dlg, "rangeCustomEstimate");
    spin->setFocus();
    spin->selectAll();
    QTest::keyClicks(spin, QStringLiteral("60"));
    QVERIFY(child<QRadioButton>(&dlg, "rangeCustom")->isChecked()); // changing the days picks Custom
    QCOMPARE(estimate->text(), QStringLiteral("about 600 messages · about 1 minute"));
    spin->selectAll();
    QTest::keyClicks(spin, QStringLiteral("2000"));
    QCOMPARE(estimate->text(), QStringLiteral("about 5,000 messages · about 8 minutes")); // never beyond everything
    QCOMPARE(dlg.range().days, 2000);
}

void TestUiDialogs::durationWords_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<QString>("words");
    QTest::newRow("5 s") << 5.0 << QStringLiteral("under a minute");
    QTest::newRow("59 s") << 59.0 << QStringLiteral("under a minute");
    QTest::newRow("80 s") << 80.0 << QStringLiteral("about 1 minute");
    QTest::newRow("3 min") << 180.0 << QStringLiteral("about 3 minutes");
    QTest::newRow("59.7 min") << 3582.0 << QStringLiteral("about 1 hour");
    QTest::newRow("2.4 h") << 8640.0 << QStringLiteral("about 2 hours");
    QTest::newRow("3 days") << 3 * 86400.0 << QStringLiteral("about 3 days");
}

void TestUiDialogs::durationWords()
{
    QFETCH(double, seconds);
    QFETCH(QString, words);
    QCOMPARE(RangePickerDialog::durationText(seconds), words);
}

void TestUiDialogs::countsFromTheServer()
{
    // Through the same path the program takes: the connection's sign-in and the source factory.
    QTemporaryDir dir;
    const QString archive = dir.filePath(QStringLiteral("archive.sqlite"));
    ConnectionRecord c;
    c.name = QStringLiteral("Home server");
    c.host = m_server.host();
    c.port = m_server.tlsPort();
    c.security = QStringLiteral("tls");
    c.username = m_server.user();
    c.trustedCertSha256 = ImapConnection::digestHex(m_cert);
    {
        ArchiveStore store(archive);
        SyncError e;
        QVERIFY(store.open(&e));
        QVERIFY(store.addConnection(&c, &e));
    }
    SyncService service(archive);
    SyncError e;
    QVERIFY(service.open(&e));
    service.setSessionPassword(c.id, m_server.password());
    RangePickerDialog dlg(QStringLiteral("Home server"), [&service, id = c.id](const QList<int> &days, auto done) {
        service.countRanges(id, days, done);
    });
    QSignalSpy changed(&dlg, &RangePickerDialog::countsChanged);
    dlg.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dlg));
    QVERIFY(dlg.isCounting());
    QCOMPARE(child<QLabel>(&dlg, "range90Estimate")->text(), QStringLiteral("Counting…"));
    QVERIFY(changed.wait(30000));
    QVERIFY2(dlg.counts().ok(), qPrintable(dlg.counts().error.message));
    // Planted every 40 days from day 7: 7, 47, 87, 127, ... 327, 367, 407, 447.
    QCOMPARE(dlg.counts().last30, qint64(1));
    QCOMPARE(dlg.counts().last90, qint64(3));
    QCOMPARE(dlg.counts().last365, qint64(9));
    QCOMPARE(dlg.counts().everything, qint64(12));
    QVERIFY(dlg.counts().messagesPerSecond > 0);
    QVERIFY2(child<QLabel>(&dlg, "range90Estimate")->text().startsWith(QStringLiteral("≈ 3 messages")),
             qPrintable(child<QLabel>(&dlg, "range90Estimate")->text()));
    QCOMPARE(child<QLabel>(&dlg, "range30Estimate")->text(), QStringLiteral("≈ 1 message · under a minute"));

    // A custom number of days: "about" at once, counted on the server shortly after.
    auto *spin = child<QSpinBox>(&dlg, "customDays");
    auto *estimate = child<QLabel>(&dlg, "rangeCustomEstimate");
    spin->setFocus();
    spin->selectAll();
    QTest::keyClicks(spin, QStringLiteral("50"));
    QVERIFY2(estimate->text().startsWith(QLatin1String("about ")), qPrintable(estimate->text()));
    QVERIFY(changed.wait(30000));
    QCOMPARE(dlg.counts().byDays.value(50, -1), qint64(2));
    QCOMPARE(estimate->text(), QStringLiteral("≈ 2 messages · under a minute"));
    screenshot(&dlg, QStringLiteral("range-picker-live.png"));
}

QTEST_MAIN(TestUiDialogs)
#include "tst_ui_dialogs.moc"
