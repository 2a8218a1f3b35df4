#include "browsersignindialog.h"

#include "sync/syncservice.h"
#include "urlopener.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QStyle>
#include <QTimer>
#include <QVBoxLayout>

namespace Lookback::Ui {

namespace {

QLabel *wrapping(QWidget *parent, const QString &text = QString())
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText); // provider and server text is never markup
    return label;
}

QLabel *heading(QWidget *parent, const QString &text)
{
    QLabel *label = wrapping(parent, text);
    QFont f = label->font();
    f.setPointSizeF(f.pointSizeF() * 1.2);
    f.setBold(true);
    label->setFont(f);
    return label;
}

} // namespace

BrowserSignInDialog::BrowserSignInDialog(SyncService *service, ProviderKind kind, const QString &name,
                                         const OAuthClient &client, QWidget *parent)
    : QDialog(parent)
    , m_service(service)
    , m_kind(kind)
    , m_name(name)
    , m_client(client)
{
    buildUi();
}

BrowserSignInDialog::BrowserSignInDialog(SyncService *service, qint64 reconnectId, QWidget *parent)
    : QDialog(parent)
    , m_service(service)
    , m_reconnectId(reconnectId)
{
    ConnectionRecord c;
    if (service->connection(reconnectId, &c)) {
        m_kind = c.kind;
        m_name = c.name;
    }
    buildUi();
}

BrowserSignInDialog::~BrowserSignInDialog()
{
    if (m_running)
        m_service->cancelSignIn();
}

QString BrowserSignInDialog::providerName() const
{
    return m_kind == ProviderKind::Microsoft ? tr("Microsoft") : tr("Google");
}

void BrowserSignInDialog::buildUi()
{
    setWindowTitle(m_reconnectId ? tr("Reconnect %1").arg(m_name) : tr("Sign in with %1").arg(providerName()));
    auto *layout = new QVBoxLayout(this);
    m_pages = new QStackedWidget(this);
    layout->addWidget(m_pages);

    // Waiting for the browser.
    auto *waiting = new QWidget(m_pages);
    auto *w = new QVBoxLayout(waiting);
    w->setContentsMargins(0, 0, 0, 0);
    w->addWidget(heading(waiting, tr("Continue in your browser…")));
    m_waitingText = wrapping(waiting);
    m_waitingText->setObjectName(QStringLiteral("waitingText"));
    w->addWidget(m_waitingText);
    m_busy = new QProgressBar(waiting);
    m_busy->setRange(0, 0);
    m_busy->setTextVisible(false);
    m_busy->setMaximumHeight(8);
    m_busy->setAccessibleName(tr("Waiting for the browser"));
    w->addWidget(m_busy);
    auto *urlLabel = new QLabel(tr("The address it opened:"), waiting);
    w->addWidget(urlLabel);
    auto *urlRow = new QHBoxLayout;
    m_urlEdit = new QLineEdit(waiting);
    m_urlEdit->setObjectName(QStringLiteral("signInUrl"));
    m_urlEdit->setReadOnly(true);
    m_urlEdit->setAccessibleName(tr("Sign-in address"));
    m_urlEdit->setPlaceholderText(tr("Preparing the sign-in…"));
    urlLabel->setBuddy(m_urlEdit);
    urlRow->addWidget(m_urlEdit, 1);
    m_copyButton = new QPushButton(tr("&Copy link"), waiting);
    m_copyButton->setObjectName(QStringLiteral("copyLinkButton"));
    m_copyButton->setAutoDefault(false);
    urlRow->addWidget(m_copyButton);
    m_openAgainButton = new QPushButton(tr("&Open again"), waiting);
    m_openAgainButton->setObjectName(QStringLiteral("openAgainButton"));
    m_openAgainButton->setAutoDefault(false);
    urlRow->addWidget(m_openAgainButton);
    w->addLayout(urlRow);
    m_openFailed = wrapping(waiting, tr("No browser could be opened from here. Copy the link and open it in the "
                                        "browser you use."));
    m_openFailed->setObjectName(QStringLiteral("openFailedText"));
    w->addWidget(m_openFailed);
    auto *privacy = wrapping(waiting, tr("Lookback never sees your password. It asks only to read your mail, and "
                                         "keeps the permission you give in the system keychain."));
    privacy->setForegroundRole(QPalette::PlaceholderText);
    w->addWidget(privacy);
    w->addStretch(1);
    m_pages->addWidget(waiting);

    // The attempt failed.
    auto *failed = new QWidget(m_pages);
    auto *f = new QGridLayout(failed);
    f->setContentsMargins(0, 0, 0, 0);
    auto *icon = new QLabel(failed);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(32, 32));
    f->addWidget(icon, 0, 0, 2, 1, Qt::AlignTop);
    m_failedTitle = heading(failed, tr("The sign-in did not finish"));
    m_failedTitle->setObjectName(QStringLiteral("failedTitle"));
    f->addWidget(m_failedTitle, 0, 1);
    m_failedText = wrapping(failed);
    m_failedText->setObjectName(QStringLiteral("failedText"));
    m_failedText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    f->addWidget(m_failedText, 1, 1);
    m_tryAgainButton = new QPushButton(tr("&Try again"), failed);
    m_tryAgainButton->setObjectName(QStringLiteral("tryAgainButton"));
    f->addWidget(m_tryAgainButton, 4, 1, Qt::AlignLeft);
    auto *hint = wrapping(failed, m_reconnectId
                                      ? tr("The archive is untouched. Try again, or close this window and reconnect later.")
                                      : tr("Nothing was saved. Try again, or close this window and add the connection later."));
    hint->setForegroundRole(QPalette::PlaceholderText);
    f->addWidget(hint, 3, 1);
    f->setColumnStretch(1, 1);
    m_pages->addWidget(failed);

    auto *buttons = new QDialogButtonBox(this);
    m_cancelButton = buttons->addButton(QDialogButtonBox::Cancel);
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    connect(m_copyButton, &QPushButton::clicked, this, [this] {
        if (m_url.isEmpty())
            return;
        QApplication::clipboard()->setText(m_url.toString(QUrl::FullyEncoded));
        m_copyButton->setText(tr("Copied"));
        QTimer::singleShot(2000, m_copyButton, [this] { m_copyButton->setText(tr("&Copy link")); });
    });
    connect(m_openAgainButton, &QPushButton::clicked, this, [this] {
        if (!m_url.isEmpty())
            m_openFailed->setVisible(!openExternalUrl(m_url));
    });
    connect(m_tryAgainButton, &QPushButton::clicked, this, &BrowserSignInDialog::start);

    // As big as what it shows: a small window whose height follows its state.
    layout->setSizeConstraint(QLayout::SetFixedSize);
    m_pages->setFixedWidth(520);
    showWaiting();
}

bool BrowserSignInDialog::isWaiting() const
{
    return m_running;
}

void BrowserSignInDialog::showPage(int index)
{
    // The dialog is as tall as the page it shows, not as the tallest one.
    for (int i = 0; i < m_pages->count(); ++i)
        m_pages->widget(i)->setSizePolicy(QSizePolicy::Preferred, i == index ? QSizePolicy::Preferred : QSizePolicy::Ignored);
    m_pages->setCurrentIndex(index);
}

void BrowserSignInDialog::showWaiting()
{
    showPage(0);
    ConnectionRecord c;
    if (m_reconnectId && m_service->connection(m_reconnectId, &c)) {
        m_waitingText->setText(tr("Lookback opened %1's sign-in page in your web browser. Sign in there as %2 and "
                                  "allow Lookback to read your mail again; this window goes on by itself.")
                                   .arg(providerName(), c.username));
    } else {
        m_waitingText->setText(tr("Lookback opened %1's sign-in page in your web browser. Sign in there and allow "
                                  "Lookback to read your mail; this window goes on by itself.")
                                   .arg(providerName()));
    }
    m_urlEdit->setText(m_url.toString(QUrl::FullyEncoded));
    m_urlEdit->setCursorPosition(0);
    m_copyButton->setEnabled(!m_url.isEmpty());
    m_openAgainButton->setEnabled(!m_url.isEmpty());
    m_openFailed->hide();
    m_cancelButton->setText(tr("Cancel"));
    m_cancelButton->setEnabled(true);
}

void BrowserSignInDialog::showFailed(const SyncError &error)
{
    m_error = error;
    showPage(1);
    m_failedText->setText(error.message);
    m_cancelButton->setText(tr("Close"));
    m_cancelButton->setEnabled(true);
    m_tryAgainButton->setFocus();
    emit failed(error);
}

void BrowserSignInDialog::start()
{
    const quint64 attempt = ++m_attempt;
    m_running = true;
    m_url.clear();
    m_error = SyncError();
    showWaiting();
    QPointer<BrowserSignInDialog> self(this);
    auto openUrl = [self, attempt](const QUrl &url) {
        if (self && self->m_attempt == attempt)
            self->onUrl(url);
    };
    if (m_reconnectId) {
        m_service->reconnectWithBrowser(m_reconnectId, m_client, openUrl, [self, attempt](const SyncError &e) {
            if (self && self->m_attempt == attempt)
                self->finish(e, self->m_reconnectId);
        }, m_timeoutMs);
        return;
    }
    m_service->signInWithBrowser(m_kind, m_client, openUrl,
                                 [self, attempt](const SyncError &e, const OAuthGrant &grant, const QString &address) {
        if (self && self->m_attempt == attempt)
            self->onSignedIn(e, grant, address);
    }, m_timeoutMs);
}

void BrowserSignInDialog::onUrl(const QUrl &url)
{
    m_url = url;
    showWaiting();
    emit urlOpened(url);
    m_openFailed->setVisible(!openExternalUrl(url));
}

void BrowserSignInDialog::onSignedIn(const SyncError &error, const OAuthGrant &grant, const QString &address)
{
    if (error.isError()) {
        finish(error, 0);
        return;
    }
    // Still waiting: the keychain keeps the refresh token before the connection
    // exists, which takes a moment and is not cancelled halfway.
    m_cancelButton->setEnabled(false);
    QPointer<BrowserSignInDialog> self(this);
    const quint64 attempt = m_attempt;
    const QString name = m_name.trimmed().isEmpty() ? address : m_name.trimmed();
    m_service->addOAuthConnection(name, m_kind, grant, address, [self, attempt](const SyncError &e, qint64 id) {
        if (self && self->m_attempt == attempt)
            self->finish(e, id);
    });
}

void BrowserSignInDialog::finish(const SyncError &error, qint64 connectionId)
{
    m_running = false;
    if (error.isError()) {
        showFailed(error);
        return;
    }
    m_connectionId = connectionId;
    emit connected(connectionId);
    accept();
}

void BrowserSignInDialog::reject()
{
    if (m_running) {
        ++m_attempt; // what the cancelled attempt answers is not ours any more
        m_running = false;
        m_service->cancelSignIn();
    }
    QDialog::reject();
}

} // namespace Lookback::Ui
