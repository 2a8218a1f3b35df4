#pragma once

#include "archive/records.h"
#include "auth/oauthconfig.h"
#include "imap/imapconnection.h"
#include "imap/imapprobe.h"

#include <QDialog>
#include <QStyle>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFrame;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QStackedWidget;

namespace Lookback::Ui {

// "Add a connection": the provider first, then for IMAP the server, encryption,
// sign-in and a "Test connection" that says exactly what failed (unreachable,
// untrusted certificate with its fingerprint and a Trust button, login rejected,
// no Inbox/Sent). Connect is enabled when the form is complete; it runs the test
// first unless these exact settings already passed it. For Gmail and
// Microsoft 365: what the browser step does, a name, the OAuth client when
// none is configured, and "Continue in your browser…", which accepts (the
// caller runs the browser step).
//
// The caller stores the result (connection(), password()); this dialog touches
// neither the archive nor the keychain.
//
// Thread: GUI. Owner: the caller (usually WA_DeleteOnClose).
class AddConnectionDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Provider { Imap, Gmail, Microsoft365 };

    explicit AddConnectionDialog(QWidget *parent = nullptr);
    ~AddConnectionDialog() override;

    Provider provider() const;
    // name, kind "imap", host, port, security, username, trustedCertSha256.
    ConnectionRecord connection() const;
    QString password() const;
    // The form as IMAP settings (with the password), as the test uses them.
    ImapSettings settings() const;
    // Gmail and Microsoft 365: the provider, the connection's name and the
    // client the user typed (empty when the environment or the settings
    // provide one; Microsoft's public clients have no secret).
    ProviderKind oauthKind() const;
    QString oauthName() const;
    OAuthClient oauthClient() const;
    // True when the current form passed the test (a later edit makes it false again).
    bool testPassed() const;
    // The answer to the latest finished test.
    ProbeResult lastResult() const { return m_lastResult; }

    // The port a security mode uses unless the user says otherwise.
    static quint16 defaultPort(Security security);

public slots:
    void testConnection();
    // Trusts the certificate the last test could not verify, and tests again.
    void trustCertificate();

signals:
    // After each test, once the result area shows it.
    void testFinished(const Lookback::ProbeResult &result);

private:
    void buildUi();
    void onProviderChanged();
    void onSecurityChanged();
    void onFormEdited();
    void onTested(const Lookback::ProbeResult &result);
    void onConnectClicked();
    void updateButtons();
    bool formComplete() const;
    QString settingsKey() const;
    Security currentSecurity() const;
    void showResult(QStyle::StandardPixmap icon, const QString &title, const QString &detail,
                    const QString &serverText = QString());
    void hideResult();

    ImapProbe *m_probe = nullptr;
    QButtonGroup *m_providers = nullptr;
    QRadioButton *m_imapRadio = nullptr;
    QRadioButton *m_gmailRadio = nullptr;
    QRadioButton *m_microsoftRadio = nullptr;
    QStackedWidget *m_pages = nullptr;
    QPushButton *m_gmailImapButton = nullptr;
    QLineEdit *m_gmailName = nullptr;
    QWidget *m_clientBox = nullptr;
    QLineEdit *m_clientId = nullptr;
    QLineEdit *m_clientSecret = nullptr;
    bool m_clientConfigured = false;
    QLineEdit *m_msName = nullptr;
    QWidget *m_msClientBox = nullptr;
    QLineEdit *m_msClientId = nullptr;
    bool m_msClientConfigured = false;

    QLineEdit *m_name = nullptr;
    QLineEdit *m_host = nullptr;
    QComboBox *m_security = nullptr;
    QSpinBox *m_port = nullptr;
    QFrame *m_plainWarning = nullptr;
    QCheckBox *m_plainConfirm = nullptr;
    QLineEdit *m_username = nullptr;
    QLineEdit *m_password = nullptr;
    QLabel *m_gmailNote = nullptr;

    QPushButton *m_testButton = nullptr;
    QFrame *m_resultArea = nullptr;
    QLabel *m_resultIcon = nullptr;
    QLabel *m_resultTitle = nullptr;
    QLabel *m_resultDetail = nullptr;
    QLabel *m_fingerprint = nullptr;
    QLabel *m_serverText = nullptr;
    QPushButton *m_trustButton = nullptr;

    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_connectButton = nullptr;

    Security m_previousSecurity = Security::Tls;
    bool m_nameEdited = false;
    bool m_updatingForm = false;
    int m_testsRunning = 0;
    bool m_connectAfterTest = false;
    QString m_testedKey;      // settings of the test running or last run
    QString m_passedKey;      // settings that passed, empty if none
    QString m_trustedDigest;  // the certificate the user trusted here
    QString m_trustedFingerprint;
    ProbeResult m_lastResult;
};

} // namespace Lookback::Ui
