#include "dialogs/dialoglayout.h"
#include "addconnectiondialog.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace Lookback::Ui {

namespace {

void makeSmall(QWidget *w)
{
    QFont f = w->font();
    f.setPointSizeF(f.pointSizeF() * 0.9);
    w->setFont(f);
}

QLabel *wrappingLabel(QWidget *parent, const QString &text = QString())
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    return label;
}


// "AB:CD:..." (32 pairs) as two lines of 16 pairs, so it wraps where people expect.
QString twoLineFingerprint(const QString &fingerprint)
{
    const QStringList pairs = fingerprint.split(QLatin1Char(':'));
    if (pairs.size() != 32)
        return fingerprint;
    return pairs.mid(0, 16).join(QLatin1Char(':')) + QStringLiteral(":\n") + pairs.mid(16).join(QLatin1Char(':'));
}

bool isGmailHost(const QString &host)
{
    const QString h = host.trimmed().toLower();
    return h.endsWith(QLatin1String("gmail.com")) || h.endsWith(QLatin1String("googlemail.com"));
}

} // namespace

quint16 AddConnectionDialog::defaultPort(Security security)
{
    return security == Security::Tls ? 993 : 143;
}

AddConnectionDialog::AddConnectionDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Add a connection"));
    m_probe = new ImapProbe(this);
    connect(m_probe, &ImapProbe::tested, this, &AddConnectionDialog::onTested);
    buildUi();
    onProviderChanged();
    onSecurityChanged();
    hideResult();
    updateButtons();
}

AddConnectionDialog::~AddConnectionDialog() = default;

void AddConnectionDialog::buildUi()
{
    auto *layout = new QVBoxLayout(this);

    auto *heading = new QLabel(tr("Add a connection"), this);
    QFont hf = heading->font();
    hf.setPointSizeF(hf.pointSizeF() * 1.3);
    hf.setBold(true);
    heading->setFont(hf);
    layout->addWidget(heading);

    // Provider first.
    auto *providerLabel = new QLabel(tr("Where is your mail?"), this);
    layout->addWidget(providerLabel);
    auto *providerRow = new QHBoxLayout;
    m_imapRadio = new QRadioButton(tr("&IMAP mail server"), this);
    m_imapRadio->setObjectName(QStringLiteral("providerImap"));
    m_gmailRadio = new QRadioButton(tr("&Gmail"), this);
    m_gmailRadio->setObjectName(QStringLiteral("providerGmail"));
    m_microsoftRadio = new QRadioButton(tr("&Microsoft 365"), this);
    m_microsoftRadio->setObjectName(QStringLiteral("providerMicrosoft365"));
    m_providers = new QButtonGroup(this);
    m_providers->addButton(m_imapRadio, int(Provider::Imap));
    m_providers->addButton(m_gmailRadio, int(Provider::Gmail));
    m_providers->addButton(m_microsoftRadio, int(Provider::Microsoft365));
    m_imapRadio->setChecked(true);
    for (QRadioButton *r : {m_imapRadio, m_gmailRadio, m_microsoftRadio}) {
        r->setAccessibleDescription(providerLabel->text());
        providerRow->addWidget(r);
    }
    providerRow->addStretch(1);
    layout->addLayout(providerRow);
    connect(m_providers, &QButtonGroup::idToggled, this, [this](int, bool checked) {
        if (checked)
            onProviderChanged();
    });

    m_pages = new QStackedWidget(this);
    layout->addWidget(m_pages, 1);

    // Page 0: the IMAP form.
    auto *imapPage = new QWidget(m_pages);
    auto *imapLayout = new QVBoxLayout(imapPage);
    imapLayout->setContentsMargins(0, 0, 0, 0);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    imapLayout->addLayout(form);

    m_name = new QLineEdit(imapPage);
    m_name->setObjectName(QStringLiteral("nameEdit"));
    m_name->setPlaceholderText(tr("For example: Work mail"));
    m_name->setAccessibleName(tr("Connection name"));
    form->addRow(tr("&Name:"), m_name);

    m_host = new QLineEdit(imapPage);
    m_host->setObjectName(QStringLiteral("hostEdit"));
    m_host->setPlaceholderText(tr("imap.example.com"));
    m_host->setAccessibleName(tr("IMAP server"));
    m_host->setInputMethodHints(Qt::ImhUrlCharactersOnly | Qt::ImhNoAutoUppercase);
    form->addRow(tr("&Server:"), m_host);

    m_security = new QComboBox(imapPage);
    m_security->setObjectName(QStringLiteral("securityCombo"));
    m_security->addItem(tr("TLS (recommended)"), int(Security::Tls));
    m_security->addItem(tr("STARTTLS"), int(Security::StartTls));
    m_security->addItem(tr("None (unencrypted)"), int(Security::None));
    m_security->setAccessibleName(tr("Encryption"));
    form->addRow(tr("&Encryption:"), m_security);

    m_port = new QSpinBox(imapPage);
    m_port->setObjectName(QStringLiteral("portSpin"));
    m_port->setRange(1, 65535);
    m_port->setValue(defaultPort(Security::Tls));
    m_port->setAccessibleName(tr("Port"));
    m_port->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    form->addRow(tr("&Port:"), m_port);

    // Unencrypted: a visible warning and an explicit confirmation.
    m_plainWarning = new QFrame(imapPage);
    m_plainWarning->setObjectName(QStringLiteral("plainWarning"));
    m_plainWarning->setFrameShape(QFrame::StyledPanel);
    auto *warnLayout = new QGridLayout(m_plainWarning);
    auto *warnIcon = new QLabel(m_plainWarning);
    warnIcon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(24, 24));
    warnLayout->addWidget(warnIcon, 0, 0, Qt::AlignTop);
    auto *warnText = wrappingLabel(m_plainWarning,
                                   tr("Without encryption, your password and your mail cross the network as "
                                      "plain text: anyone along the way can read them. Use this only on a "
                                      "network you control."));
    warnText->setObjectName(QStringLiteral("plainWarningText"));
    warnLayout->addWidget(warnText, 0, 1);
    m_plainConfirm = new QCheckBox(tr("I &understand: send my password unencrypted"), m_plainWarning);
    m_plainConfirm->setObjectName(QStringLiteral("plainConfirm"));
    warnLayout->addWidget(m_plainConfirm, 1, 1);
    warnLayout->setColumnStretch(1, 1);
    form->addRow(m_plainWarning);

    m_username = new QLineEdit(imapPage);
    m_username->setObjectName(QStringLiteral("usernameEdit"));
    m_username->setPlaceholderText(tr("Usually your email address"));
    m_username->setAccessibleName(tr("Username"));
    m_username->setInputMethodHints(Qt::ImhNoAutoUppercase | Qt::ImhNoPredictiveText);
    form->addRow(tr("&Username:"), m_username);

    m_password = new QLineEdit(imapPage);
    m_password->setObjectName(QStringLiteral("passwordEdit"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("Password or app password"));
    m_password->setAccessibleName(tr("Password or app password"));
    m_password->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhNoPredictiveText | Qt::ImhSensitiveData);
    form->addRow(tr("Pass&word:"), m_password);
    auto *passwordHint = wrappingLabel(imapPage, tr("Your password, or an app password if your provider uses "
                                                    "two-step verification. It is kept in the system keychain."));
    makeSmall(passwordHint);
    passwordHint->setForegroundRole(QPalette::PlaceholderText);
    form->addRow(QString(), passwordHint);
    m_password->setAccessibleDescription(passwordHint->text());

    m_gmailNote = wrappingLabel(imapPage, tr("Gmail accepts IMAP sign-in only with an app password: Google "
                                             "Account › Security › 2-Step Verification › App passwords."));
    m_gmailNote->setObjectName(QStringLiteral("gmailNote"));
    makeSmall(m_gmailNote);
    form->addRow(QString(), m_gmailNote);

    // Test connection and what it found.
    auto *testRow = new QHBoxLayout;
    m_testButton = new QPushButton(tr("&Test connection"), imapPage);
    m_testButton->setObjectName(QStringLiteral("testButton"));
    m_testButton->setAutoDefault(false);
    testRow->addWidget(m_testButton);
    testRow->addStretch(1);
    imapLayout->addLayout(testRow);

    m_resultArea = new QFrame(imapPage);
    m_resultArea->setObjectName(QStringLiteral("resultArea"));
    m_resultArea->setFrameShape(QFrame::StyledPanel);
    auto *resultLayout = new QGridLayout(m_resultArea);
    m_resultIcon = new QLabel(m_resultArea);
    m_resultIcon->setFixedSize(32, 32);
    resultLayout->addWidget(m_resultIcon, 0, 0, 2, 1, Qt::AlignTop);
    m_resultTitle = wrappingLabel(m_resultArea);
    m_resultTitle->setObjectName(QStringLiteral("resultTitle"));
    QFont tf = m_resultTitle->font();
    tf.setBold(true);
    m_resultTitle->setFont(tf);
    resultLayout->addWidget(m_resultTitle, 0, 1);
    m_resultDetail = wrappingLabel(m_resultArea);
    m_resultDetail->setObjectName(QStringLiteral("resultDetail"));
    m_resultDetail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    resultLayout->addWidget(m_resultDetail, 1, 1);
    m_fingerprint = wrappingLabel(m_resultArea);
    m_fingerprint->setObjectName(QStringLiteral("fingerprintLabel"));
    m_fingerprint->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_fingerprint->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_fingerprint->setAccessibleName(tr("SHA-256 fingerprint of the server's certificate"));
    resultLayout->addWidget(m_fingerprint, 2, 1);
    m_serverText = wrappingLabel(m_resultArea);
    m_serverText->setObjectName(QStringLiteral("serverText"));
    m_serverText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_serverText->setForegroundRole(QPalette::PlaceholderText);
    makeSmall(m_serverText);
    resultLayout->addWidget(m_serverText, 3, 1);
    m_trustButton = new QPushButton(tr("T&rust this certificate"), m_resultArea);
    m_trustButton->setObjectName(QStringLiteral("trustButton"));
    m_trustButton->setAutoDefault(false);
    resultLayout->addWidget(m_trustButton, 4, 1, Qt::AlignLeft);
    resultLayout->setColumnStretch(1, 1);
    imapLayout->addWidget(m_resultArea);
    imapLayout->addStretch(1);
    m_pages->addWidget(imapPage);

    // Page 1: Microsoft 365, signed in through the browser.
    auto *msPage = new QWidget(m_pages);
    auto *msLayout = new QVBoxLayout(msPage);
    msLayout->setContentsMargins(0, 8, 0, 0);
    auto *msText = wrappingLabel(msPage, tr("Lookback opens Microsoft's sign-in page in your web browser. You sign "
                                            "in there (Lookback never sees your password) and allow it to read your "
                                            "mail and the mailboxes shared with you. It cannot send, change or "
                                            "delete anything. Shared mailboxes are added afterwards, from this "
                                            "connection's card."));
    msText->setObjectName(QStringLiteral("microsoftExplanation"));
    msLayout->addWidget(msText);
    auto *msForm = new QFormLayout;
    msForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_msName = new QLineEdit(tr("Microsoft 365"), msPage);
    m_msName->setObjectName(QStringLiteral("microsoftNameEdit"));
    m_msName->setAccessibleName(tr("Connection name"));
    msForm->addRow(tr("N&ame:"), m_msName);
    msLayout->addLayout(msForm);
    m_msClientBox = new QWidget(msPage);
    m_msClientBox->setObjectName(QStringLiteral("microsoftClientBox"));
    auto *msClientLayout = new QFormLayout(m_msClientBox);
    msClientLayout->setContentsMargins(0, 0, 0, 0);
    msClientLayout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto *msClientText = wrappingLabel(m_msClientBox, tr("Microsoft needs to know which program is asking. Register "
                                                         "an application in the Microsoft Entra admin center (a "
                                                         "public client with the “Mobile and desktop applications” "
                                                         "platform and the redirect URI http://127.0.0.1) and enter its "
                                                         "application (client) ID here, or set "
                                                         "LOOKBACK_MICROSOFT_CLIENT_ID. The README explains each step."));
    msClientText->setObjectName(QStringLiteral("microsoftClientText"));
    makeSmall(msClientText);
    msClientLayout->addRow(msClientText);
    m_msClientId = new QLineEdit(m_msClientBox);
    m_msClientId->setObjectName(QStringLiteral("microsoftClientIdEdit"));
    m_msClientId->setPlaceholderText(tr("00000000-0000-0000-0000-000000000000"));
    m_msClientId->setAccessibleName(tr("Application (client) ID"));
    msClientLayout->addRow(tr("Application I&D:"), m_msClientId);
    msLayout->addWidget(m_msClientBox);
    msLayout->addStretch(1);
    m_pages->addWidget(msPage);

    // Page 2: Gmail, signed in through the browser.
    auto *gmailPage = new QWidget(m_pages);
    auto *gmailLayout = new QVBoxLayout(gmailPage);
    gmailLayout->setContentsMargins(0, 8, 0, 0);
    auto *gmailText = wrappingLabel(gmailPage, tr("Lookback opens Google's sign-in page in your web browser. You "
                                                  "sign in there (Lookback never sees your password) and allow it "
                                                  "to read your mail. It asks for nothing more: it cannot send, "
                                                  "change or delete anything."));
    gmailText->setObjectName(QStringLiteral("gmailExplanation"));
    gmailLayout->addWidget(gmailText);
    auto *gmailForm = new QFormLayout;
    gmailForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_gmailName = new QLineEdit(tr("Gmail"), gmailPage);
    m_gmailName->setObjectName(QStringLiteral("gmailNameEdit"));
    m_gmailName->setAccessibleName(tr("Connection name"));
    gmailForm->addRow(tr("N&ame:"), m_gmailName);
    gmailLayout->addLayout(gmailForm);

    // Lookback compiles in no client: without one configured, the user gives theirs.
    m_clientBox = new QWidget(gmailPage);
    m_clientBox->setObjectName(QStringLiteral("clientBox"));
    auto *clientLayout = new QFormLayout(m_clientBox);
    clientLayout->setContentsMargins(0, 0, 0, 0);
    clientLayout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto *clientText = wrappingLabel(m_clientBox, tr("Google needs to know which program is asking. Create a "
                                                     "“Desktop app” OAuth client in the Google Cloud console (with "
                                                     "the Gmail API and the gmail.readonly scope) and enter its ID "
                                                     "and secret here, or set LOOKBACK_GOOGLE_CLIENT_ID and "
                                                     "LOOKBACK_GOOGLE_CLIENT_SECRET. The README explains each step."));
    clientText->setObjectName(QStringLiteral("clientText"));
    makeSmall(clientText);
    clientLayout->addRow(clientText);
    m_clientId = new QLineEdit(m_clientBox);
    m_clientId->setObjectName(QStringLiteral("clientIdEdit"));
    m_clientId->setPlaceholderText(tr("…apps.googleusercontent.com"));
    m_clientId->setAccessibleName(tr("OAuth client ID"));
    clientLayout->addRow(tr("Client &ID:"), m_clientId);
    m_clientSecret = new QLineEdit(m_clientBox);
    m_clientSecret->setObjectName(QStringLiteral("clientSecretEdit"));
    m_clientSecret->setEchoMode(QLineEdit::Password);
    m_clientSecret->setAccessibleName(tr("OAuth client secret"));
    clientLayout->addRow(tr("Client &secret:"), m_clientSecret);
    gmailLayout->addWidget(m_clientBox);

    m_gmailImapButton = new QPushButton(tr("Set up Gmail over IMAP with an app password instead"), gmailPage);
    m_gmailImapButton->setObjectName(QStringLiteral("gmailImapButton"));
    m_gmailImapButton->setAutoDefault(false);
    m_gmailImapButton->setFlat(true);
    gmailLayout->addWidget(m_gmailImapButton, 0, Qt::AlignLeft);
    gmailLayout->addStretch(1);
    m_pages->addWidget(gmailPage);

    m_buttons = new QDialogButtonBox(this);
    m_connectButton = m_buttons->addButton(tr("C&onnect"), QDialogButtonBox::AcceptRole);
    m_connectButton->setObjectName(QStringLiteral("connectButton"));
    m_connectButton->setDefault(true);
    QPushButton *cancel = m_buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    layout->addWidget(m_buttons);
    // Accept only through onConnectClicked(): the test decides.
    connect(m_connectButton, &QPushButton::clicked, this, &AddConnectionDialog::onConnectClicked);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    connect(m_testButton, &QPushButton::clicked, this, &AddConnectionDialog::testConnection);
    connect(m_trustButton, &QPushButton::clicked, this, &AddConnectionDialog::trustCertificate);
    connect(m_gmailImapButton, &QPushButton::clicked, this, [this] {
        m_imapRadio->setChecked(true);
        m_security->setCurrentIndex(m_security->findData(int(Security::Tls)));
        m_host->setText(QStringLiteral("imap.gmail.com"));
        m_port->setValue(defaultPort(Security::Tls));
        if (!m_nameEdited && m_name->text().isEmpty())
            m_name->setText(tr("Gmail"));
        m_username->setFocus();
    });
    connect(m_security, QOverload<int>::of(&QComboBox::currentIndexChanged), this, &AddConnectionDialog::onSecurityChanged);
    connect(m_name, &QLineEdit::textEdited, this, [this](const QString &text) { m_nameEdited = !text.trimmed().isEmpty(); });
    connect(m_name, &QLineEdit::textChanged, this, &AddConnectionDialog::updateButtons);
    for (QLineEdit *e : {m_gmailName, m_clientId, m_msName, m_msClientId})
        connect(e, &QLineEdit::textChanged, this, &AddConnectionDialog::updateButtons);
    auto suggestName = [this] {
        if (m_nameEdited)
            return;
        const QString user = m_username->text().trimmed();
        m_name->setText(user.isEmpty() ? m_host->text().trimmed() : user);
    };
    connect(m_host, &QLineEdit::textChanged, this, suggestName);
    connect(m_username, &QLineEdit::textChanged, this, suggestName);
    connect(m_host, &QLineEdit::textChanged, this, [this](const QString &host) {
        if (m_gmailNote->isVisibleTo(this) == isGmailHost(host))
            return;
        m_gmailNote->setVisible(isGmailHost(host));
        QTimer::singleShot(0, this, [this] { growToFit(this); });
    });
    for (QLineEdit *e : {m_host, m_username, m_password})
        connect(e, &QLineEdit::textChanged, this, &AddConnectionDialog::onFormEdited);
    connect(m_port, QOverload<int>::of(&QSpinBox::valueChanged), this, &AddConnectionDialog::onFormEdited);
    connect(m_plainConfirm, &QCheckBox::toggled, this, &AddConnectionDialog::onFormEdited);
    m_gmailNote->setVisible(false);

    QWidget::setTabOrder(m_imapRadio, m_gmailRadio);
    QWidget::setTabOrder(m_gmailRadio, m_microsoftRadio);
    QWidget::setTabOrder(m_microsoftRadio, m_name);
    QWidget::setTabOrder(m_name, m_host);
    QWidget::setTabOrder(m_host, m_security);
    QWidget::setTabOrder(m_security, m_port);
    QWidget::setTabOrder(m_port, m_plainConfirm);
    QWidget::setTabOrder(m_plainConfirm, m_username);
    QWidget::setTabOrder(m_username, m_password);
    QWidget::setTabOrder(m_password, m_testButton);
    QWidget::setTabOrder(m_testButton, m_trustButton);
    QWidget::setTabOrder(m_trustButton, m_gmailName);
    QWidget::setTabOrder(m_gmailName, m_clientId);
    QWidget::setTabOrder(m_clientId, m_clientSecret);
    QWidget::setTabOrder(m_clientSecret, m_gmailImapButton);
    QWidget::setTabOrder(m_gmailImapButton, m_msName);
    QWidget::setTabOrder(m_msName, m_msClientId);
    QWidget::setTabOrder(m_msClientId, m_connectButton);
    QWidget::setTabOrder(m_connectButton, cancel);

    setMinimumWidth(540);
}

AddConnectionDialog::Provider AddConnectionDialog::provider() const
{
    return Provider(m_providers->checkedId());
}

Security AddConnectionDialog::currentSecurity() const
{
    return Security(m_security->currentData().toInt());
}

ImapSettings AddConnectionDialog::settings() const
{
    ImapSettings s;
    s.host = m_host->text().trimmed();
    s.port = quint16(m_port->value());
    s.security = currentSecurity();
    s.username = m_username->text().trimmed();
    s.password = m_password->text();
    if (s.security != Security::None)
        s.trustedCertSha256 = m_trustedDigest;
    return s;
}

ConnectionRecord AddConnectionDialog::connection() const
{
    const ImapSettings s = settings();
    ConnectionRecord c;
    c.name = m_name->text().trimmed();
    c.kind = ProviderKind::Imap;
    c.host = s.host;
    c.port = s.port;
    c.security = securityName(s.security);
    c.username = s.username;
    c.trustedCertSha256 = s.trustedCertSha256;
    return c;
}

QString AddConnectionDialog::oauthName() const
{
    return (provider() == Provider::Microsoft365 ? m_msName : m_gmailName)->text().trimmed();
}

OAuthClient AddConnectionDialog::oauthClient() const
{
    if (provider() == Provider::Microsoft365)
        return m_msClientConfigured ? OAuthClient() : OAuthClient{m_msClientId->text().trimmed(), QString()};
    if (m_clientConfigured)
        return {};
    return OAuthClient{m_clientId->text().trimmed(), m_clientSecret->text().trimmed()};
}

ProviderKind AddConnectionDialog::oauthKind() const
{
    return provider() == Provider::Microsoft365 ? ProviderKind::Microsoft : ProviderKind::Gmail;
}

QString AddConnectionDialog::password() const
{
    return m_password->text();
}

QString AddConnectionDialog::settingsKey() const
{
    const ImapSettings s = settings();
    // The password only as a digest: this key is compared, never shown or stored.
    return QStringList{s.host.toLower(), QString::number(s.port), securityName(s.security), s.username,
                       QString::fromLatin1(QCryptographicHash::hash(s.password.toUtf8(), QCryptographicHash::Sha256).toHex()),
                       s.trustedCertSha256}
        .join(QLatin1Char('\n'));
}

bool AddConnectionDialog::testPassed() const
{
    return !m_passedKey.isEmpty() && m_passedKey == settingsKey();
}

bool AddConnectionDialog::formComplete() const
{
    const QString host = m_host->text().trimmed();
    return provider() == Provider::Imap && !host.isEmpty() && !host.contains(QLatin1Char(' '))
        && !m_username->text().trimmed().isEmpty() && !m_password->text().isEmpty()
        && (currentSecurity() != Security::None || m_plainConfirm->isChecked());
}

void AddConnectionDialog::onProviderChanged()
{
    const Provider p = provider();
    if (p == Provider::Imap) {
        m_pages->setCurrentIndex(0);
    } else if (p == Provider::Gmail) {
        m_pages->setCurrentIndex(2);
        SyncError none;
        m_clientConfigured = !OAuthConfig::forProvider(ProviderKind::Gmail, {}, &none).client.clientId.isEmpty()
            && !none.isError();
        m_clientBox->setVisible(!m_clientConfigured);
        m_gmailName->setFocus();
        m_gmailName->selectAll();
    } else {
        m_pages->setCurrentIndex(1);
        SyncError none;
        m_msClientConfigured = !OAuthConfig::forProvider(ProviderKind::Microsoft, {}, &none).client.clientId.isEmpty()
            && !none.isError();
        m_msClientBox->setVisible(!m_msClientConfigured);
        m_msName->setFocus();
        m_msName->selectAll();
    }
    QTimer::singleShot(0, this, [this] { growToFit(this); });
    updateButtons();
}

void AddConnectionDialog::onSecurityChanged()
{
    const Security s = currentSecurity();
    // The port follows the encryption unless the user chose another one.
    if (m_port->value() == defaultPort(m_previousSecurity) && m_port->value() != defaultPort(s))
        m_port->setValue(defaultPort(s));
    m_previousSecurity = s;
    m_plainWarning->setVisible(s == Security::None);
    if (s != Security::None)
        m_plainConfirm->setChecked(false);
    QTimer::singleShot(0, this, [this] { growToFit(this); });
    onFormEdited();
}

void AddConnectionDialog::onFormEdited()
{
    // A trusted certificate belongs to one server; so does a test result.
    if (!m_trustedDigest.isEmpty() && m_testsRunning == 0 && !m_testedKey.isEmpty()) {
        const QStringList tested = m_testedKey.split(QLatin1Char('\n'));
        const QStringList now = settingsKey().split(QLatin1Char('\n'));
        if (tested.mid(0, 3) != now.mid(0, 3)) {
            m_trustedDigest.clear();
            m_trustedFingerprint.clear();
        }
    }
    if (m_testsRunning == 0 && !m_resultArea->isHidden() && settingsKey() != m_testedKey)
        hideResult();
    updateButtons();
}

void AddConnectionDialog::updateButtons()
{
    const bool imap = provider() == Provider::Imap;
    const bool complete = formComplete();
    const bool idle = m_testsRunning == 0;
    m_testButton->setEnabled(imap && complete && idle);
    m_testButton->setText(idle ? tr("&Test connection") : tr("Testing…"));
    if (provider() == Provider::Gmail) {
        m_connectButton->setText(tr("C&ontinue in your browser…"));
        m_connectButton->setEnabled(!m_gmailName->text().trimmed().isEmpty()
                                    && (m_clientConfigured || !m_clientId->text().trimmed().isEmpty()));
        return;
    }
    if (provider() == Provider::Microsoft365) {
        m_connectButton->setText(tr("C&ontinue in your browser…"));
        m_connectButton->setEnabled(!m_msName->text().trimmed().isEmpty()
                                    && (m_msClientConfigured || !m_msClientId->text().trimmed().isEmpty()));
        return;
    }
    m_connectButton->setText(tr("C&onnect"));
    m_connectButton->setEnabled(complete && idle && !m_name->text().trimmed().isEmpty());
}

void AddConnectionDialog::testConnection()
{
    if (!formComplete() || m_testsRunning > 0)
        return;
    m_testedKey = settingsKey();
    ++m_testsRunning;
    const ImapSettings s = settings();
    showResult(QStyle::SP_CustomBase, tr("Testing the connection to %1…").arg(s.host),
               tr("Connecting, checking the certificate, signing in and looking for Inbox and Sent."));
    m_probe->test(s);
    updateButtons();
}

void AddConnectionDialog::trustCertificate()
{
    if (!m_lastResult.certificateUntrusted || m_lastResult.certificateDigestHex.isEmpty())
        return;
    m_trustedDigest = m_lastResult.certificateDigestHex;
    m_trustedFingerprint = m_lastResult.certificateFingerprint;
    testConnection();
}

void AddConnectionDialog::onConnectClicked()
{
    if (!m_connectButton->isEnabled())
        return;
    if (provider() != Provider::Imap || testPassed()) {
        accept();
        return;
    }
    m_connectAfterTest = true;
    testConnection();
}

void AddConnectionDialog::onTested(const ProbeResult &r)
{
    if (--m_testsRunning > 0)
        return; // a newer test answers next
    m_testsRunning = 0;
    m_lastResult = r;
    const bool current = m_testedKey == settingsKey();
    const ImapSettings s = settings();
    bool acceptNow = false;
    if (r.ok()) {
        if (current)
            m_passedKey = m_testedKey;
        QString detail = tr("Signed in as %1. Lookback will archive the Inbox “%2” and the Sent folder “%3”.")
                             .arg(s.username, r.inboxName, r.sentName);
        showResult(QStyle::SP_DialogApplyButton, tr("Connection works"), detail);
        if (!m_trustedFingerprint.isEmpty() && s.security != Security::None) {
            m_fingerprint->setText(tr("Using the certificate you trusted:\n%1").arg(twoLineFingerprint(m_trustedFingerprint)));
            m_fingerprint->show();
        }
        acceptNow = m_connectAfterTest && current;
    } else {
        m_passedKey.clear();
        const SyncError &e = r.error;
        switch (e.category) {
        case ErrorCategory::Network:
            showResult(QStyle::SP_MessageBoxCritical, tr("Cannot reach the server"),
                       tr("Lookback could not talk to %1 on port %2. Check the server name and the port, "
                          "and that this computer is online.").arg(s.host).arg(s.port),
                       e.message);
            break;
        case ErrorCategory::Tls:
            if (r.certificateUntrusted) {
                QString reason = e.message;
                const int fp = reason.indexOf(QLatin1String("SHA-256"));
                if (fp > 0)
                    reason = reason.left(fp).trimmed();
                showResult(QStyle::SP_MessageBoxWarning, tr("The server's certificate is not trusted"),
                           tr("Lookback cannot confirm who is answering at %1. A server with a certificate of "
                              "its own looks like this, and so would someone intercepting the connection. "
                              "Compare this SHA-256 fingerprint with the one the server's administrator gives "
                              "you, and trust it only if they match:").arg(s.host),
                           reason);
                m_fingerprint->setText(twoLineFingerprint(r.certificateFingerprint));
                m_fingerprint->show();
                m_trustButton->show();
            } else {
                showResult(QStyle::SP_MessageBoxCritical, tr("A secure connection could not be set up"),
                           tr("Check the encryption and the port: TLS usually uses port 993, STARTTLS port 143."),
                           e.message);
            }
            break;
        case ErrorCategory::AuthExpired:
            showResult(QStyle::SP_MessageBoxCritical, tr("Login rejected"),
                       tr("%1 did not accept this username and password. Many providers want an app password "
                          "here when two-step verification is on.").arg(s.host),
                       e.message);
            break;
        case ErrorCategory::Configuration:
            if (r.foldersListed && r.inboxName.isEmpty()) {
                showResult(QStyle::SP_MessageBoxCritical, tr("No Inbox found"),
                           tr("The login worked, but the server shows no Inbox for this account."), e.message);
            } else if (r.foldersListed && r.sentName.isEmpty()) {
                showResult(QStyle::SP_MessageBoxCritical, tr("No Sent folder found"),
                           tr("The login worked and the Inbox is “%1”, but no folder is marked as Sent mail. "
                              "Lookback archives Inbox and Sent together.").arg(r.inboxName),
                           e.message);
            } else {
                showResult(QStyle::SP_MessageBoxCritical, tr("This server cannot be used as set up"), e.message);
            }
            break;
        default:
            showResult(QStyle::SP_MessageBoxCritical, tr("The test failed"), e.message);
            break;
        }
    }
    m_connectAfterTest = false;
    updateButtons();
    emit testFinished(r);
    if (acceptNow)
        accept();
}

void AddConnectionDialog::showResult(QStyle::StandardPixmap icon, const QString &title, const QString &detail,
                                     const QString &serverText)
{
    if (icon == QStyle::SP_CustomBase)
        m_resultIcon->clear();
    else
        m_resultIcon->setPixmap(style()->standardIcon(icon).pixmap(32, 32));
    m_resultTitle->setText(title);
    m_resultDetail->setText(detail);
    m_resultDetail->setVisible(!detail.isEmpty());
    m_serverText->setText(serverText.isEmpty() ? QString() : tr("Details: %1").arg(serverText));
    m_serverText->setVisible(!serverText.isEmpty());
    m_fingerprint->hide();
    m_trustButton->hide();
    m_resultArea->setAccessibleName(title);
    m_resultArea->show();
    // After the caller has added the fingerprint or the Trust button.
    QTimer::singleShot(0, this, [this] { growToFit(this); });
}

void AddConnectionDialog::hideResult()
{
    m_resultArea->hide();
    m_fingerprint->hide();
    m_trustButton->hide();
}

} // namespace Lookback::Ui
