#include "connectioncard.h"

#include "healthbadge.h"

#include <QDateTime>
#include <QGraphicsOpacityEffect>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPropertyAnimation>
#include <QPushButton>
#include <QStyle>
#include <QStyleFactory>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace Lookback::Ui {

namespace {

QString etaWords(int seconds)
{
    if (seconds < 60)
        return ConnectionCard::tr("Less than a minute left");
    if (seconds < 3600)
        return ConnectionCard::tr("About %n minute(s) left", nullptr, (seconds + 30) / 60);
    return ConnectionCard::tr("About %n hour(s) left", nullptr, (seconds + 1800) / 3600);
}

} // namespace

ConnectionCard::ConnectionCard(const ConnectionRecord &connection, QWidget *parent)
    : QFrame(parent)
    , m_connection(connection)
{
    setObjectName(QStringLiteral("connectionCard"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->setSpacing(6);

    auto *header = new QHBoxLayout;
    m_name = new QLabel(this);
    QFont bold = m_name->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_name->setFont(bold);
    m_account = new QLabel(this);
    m_account->setForegroundRole(QPalette::PlaceholderText);
    m_badge = new HealthBadge(this);
    header->addWidget(m_name);
    header->addWidget(m_account);
    header->addStretch();
    header->addWidget(m_badge);
    layout->addLayout(header);

    m_title = new QLabel(this);
    layout->addWidget(m_title);
    m_bar = new QProgressBar(this);
    m_bar->setTextVisible(false);
    m_bar->setFixedHeight(10);
    m_bar->setAccessibleName(tr("Sync progress"));
    // Fusion paints the chunk in the palette's Highlight on every platform, so
    // amber for paused and red for failed show whatever the desktop style is.
    static QStyle *barStyle = QStyleFactory::create(QStringLiteral("Fusion"));
    if (barStyle)
        m_bar->setStyle(barStyle);
    layout->addWidget(m_bar);

    auto *counts = new QHBoxLayout;
    m_count = new QLabel(this);
    m_eta = new QLabel(this);
    m_eta->setForegroundRole(QPalette::PlaceholderText);
    counts->addWidget(m_count);
    counts->addStretch();
    counts->addWidget(m_eta);
    layout->addLayout(counts);

    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("completionBanner"));
    m_banner->setWordWrap(true);
    // Painted by the style, so the fade (an opacity effect) keeps the green.
    m_banner->setStyleSheet(QStringLiteral("#completionBanner { background-color: %1; color: white; "
                                           "border-radius: 4px; padding: 8px; }")
                                .arg(HealthBadge::colorFor(Health::Healthy).name()));
    m_banner->hide();
    layout->addWidget(m_banner);
    // Everything on a card may hold a server's or a user's words: text, never markup.
    for (QLabel *label : {m_name, m_account, m_title, m_count, m_eta, m_status, m_banner})
        label->setTextFormat(Qt::PlainText);

    auto *buttons = new QHBoxLayout;
    m_pause = new QPushButton(this);
    m_cancel = new QPushButton(QStringLiteral("✕"), this);
    m_cancel->setToolTip(tr("Cancel this backfill (what was already archived stays)"));
    m_cancel->setAccessibleName(tr("Cancel backfill"));
    m_cancel->setFixedWidth(m_cancel->sizeHint().height() + 8);
    m_action = new QPushButton(this);
    m_more = new QToolButton(this);
    m_more->setText(tr("More"));
    m_more->setAccessibleName(tr("More actions"));
    m_more->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(m_more);
    menu->addAction(tr("Sync now"), this, [this] { emit syncNowRequested(m_connection.id); });
    menu->addAction(tr("Backfill more history…"), this, [this] { emit backfillMoreRequested(m_connection.id); });
    menu->addAction(tr("Reconnect…"), this, [this] { emit reconnectRequested(m_connection.id); });
    menu->addAction(tr("Sync log"), this, [this] { emit showLogRequested(m_connection.id); });
    m_addShared = menu->addAction(tr("Add shared mailbox…"), this, [this] { emit addSharedMailboxRequested(m_connection.id); });
    m_addShared->setObjectName(QStringLiteral("addSharedMailboxAction"));
    menu->addSeparator();
    menu->addAction(tr("Disconnect"), this, [this] { emit disconnectRequested(m_connection.id); });
    m_more->setMenu(menu);
    buttons->addWidget(m_pause);
    buttons->addWidget(m_cancel);
    buttons->addStretch();
    buttons->addWidget(m_action);
    buttons->addWidget(m_more);
    layout->addLayout(buttons);

    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (m_progress.state == BackfillState::Paused)
            emit resumeRequested(m_connection.id);
        else
            emit pauseRequested(m_connection.id);
    });
    connect(m_cancel, &QPushButton::clicked, this, &ConnectionCard::askCancel);
    connect(m_action, &QPushButton::clicked, this, &ConnectionCard::onAction);

    m_stallTimer = new QTimer(this);
    m_stallTimer->setInterval(1000);
    connect(m_stallTimer, &QTimer::timeout, this, &ConnectionCard::checkStall);

    setConnection(connection);
}

QString ConnectionCard::rangeText(const BackfillRange &range)
{
    if (range.isEverything())
        return tr("all mail");
    if (range.isSkip())
        return tr("new mail");
    if (range.days == 365)
        return tr("the last 12 months");
    return tr("the last %n day(s)", nullptr, range.days);
}

void ConnectionCard::setConnection(const ConnectionRecord &connection)
{
    m_connection = connection;
    m_name->setText(connection.name);
    switch (connection.kind) {
    case ProviderKind::Gmail:
        m_account->setText(tr("Gmail · %1").arg(connection.username));
        break;
    case ProviderKind::Microsoft:
        m_account->setText(connection.parentId > 0 ? tr("Shared mailbox · %1").arg(connection.username)
                                                   : tr("Microsoft 365 · %1").arg(connection.username));
        break;
    default:
        m_account->setText(QStringLiteral("%1@%2").arg(connection.username, connection.host));
        break;
    }
    // Shared mailboxes hang off a personal Microsoft 365 sign-in.
    m_addShared->setVisible(connection.kind == ProviderKind::Microsoft && connection.parentId == 0);
    setAccessibleName(tr("Connection %1").arg(connection.name));
    render();
}

void ConnectionCard::setParentAccount(const QString &address)
{
    m_parentAccount = address;
    render();
}

void ConnectionCard::setStallThreshold(int ms)
{
    m_stallMs = ms;
    m_stallTimer->setInterval(std::max(50, std::min(1000, ms / 4)));
}

void ConnectionCard::setProgress(const SyncProgress &progress)
{
    m_progress = progress;
    m_hasProgress = true;
    m_live = progress.state == BackfillState::Running || progress.state == BackfillState::Paused;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (progress.fetched != m_lastFetched || progress.state != BackfillState::Running) {
        m_lastFetched = progress.fetched;
        m_lastMovedMs = now;
        m_stalled = false;
    }
    if (progress.state == BackfillState::Running)
        m_stallTimer->start();
    else
        m_stallTimer->stop();
    render();
}

void ConnectionCard::setFinished(const SyncProgress &progress)
{
    m_stallTimer->stop();
    m_stalled = false;
    const bool wasComplete = progress.state == BackfillState::Complete && progress.jobId != 0
        && progress.kind == TaskKind::Backfill;
    setProgress(progress);
    m_live = false;
    render();
    if (wasComplete)
        showBanner(tr("Sync complete — %Ln message(s) from %1", nullptr, int(std::min<qint64>(progress.fetched, INT_MAX)))
                       .arg(rangeText(progress.range)));
}

void ConnectionCard::showBanner(const QString &text)
{
    m_banner->setText(text);
    m_banner->show();
    auto *effect = new QGraphicsOpacityEffect(m_banner);
    effect->setOpacity(1.0);
    m_banner->setGraphicsEffect(effect);
    // Fades into the normal Healthy badge after a short while.
    QTimer::singleShot(m_bannerMs, m_banner, [this, effect] {
        auto *fade = new QPropertyAnimation(effect, "opacity", m_banner);
        fade->setDuration(800);
        fade->setStartValue(1.0);
        fade->setEndValue(0.0);
        connect(fade, &QPropertyAnimation::finished, m_banner, [this] {
            m_banner->hide();
            m_banner->setGraphicsEffect(nullptr);
        });
        fade->start(QAbstractAnimation::DeleteWhenStopped);
    });
}

void ConnectionCard::setBarColor(const QColor &color)
{
    QPalette p = m_bar->palette();
    p.setColor(QPalette::Highlight, color);
    // The empty part of the bar in the window colour, so it shows on the card in any palette.
    p.setColor(QPalette::Base, palette().color(QPalette::Window));
    m_bar->setPalette(p);
}

void ConnectionCard::render()
{
    const QLocale locale;
    const SyncProgress &p = m_progress;
    Health health = m_hasProgress ? p.health : m_connection.health;
    // Not syncing, and something else found it needs attention since (a
    // shared mailbox found its parent's sign-in dead): the stored health wins.
    if (!m_live && m_hasProgress && healthNeedsAttention(m_connection.health) && p.state != BackfillState::Failed)
        health = m_connection.health;
    if (m_stalled)
        health = p.health;
    m_badge->setHealth(health, p.error.message.isEmpty() ? m_connection.healthDetail : p.error.message, p.retryAt,
                       m_parentAccount);
    const bool waiting = health == Health::WaitingOnParent;

    const bool running = p.state == BackfillState::Running && m_live;
    const bool paused = p.state == BackfillState::Paused;
    const bool failed = p.state == BackfillState::Failed || health == Health::NeedsReconnect
        || health == Health::PermissionLost || waiting;
    const bool catchUp = p.kind == TaskKind::CatchUp && m_hasProgress;
    const bool hasJob = p.jobId != 0;
    const QString range = rangeText(p.range);

    if (catchUp && running)
        m_title->setText(tr("Checking for new mail"));
    else if (catchUp && p.state == BackfillState::Complete)
        m_title->setText(hasJob ? tr("Synced %1").arg(range) : tr("Up to date"));
    else if (!hasJob && !running)
        m_title->setText(tr("No history synced yet"));
    else if (running)
        m_title->setText(tr("Syncing %1").arg(range));
    else if (paused)
        m_title->setText(tr("Paused — %1").arg(range));
    else if (p.state == BackfillState::Complete)
        m_title->setText(tr("Synced %1").arg(range));
    else if (p.state == BackfillState::Cancelled)
        m_title->setText(tr("Backfill of %1 cancelled").arg(range));
    else if (waiting)
        m_title->setText(tr("Waiting — %1").arg(range));
    else
        m_title->setText(tr("Sync of %1 failed").arg(range));

    if (p.estimatedTotal < 0 && running) {
        m_bar->setRange(0, 0); // counting: busy indicator
        m_count->setText(tr("Counting messages on the server…"));
    } else {
        const qint64 total = std::max<qint64>(p.estimatedTotal, p.fetched);
        const bool counted = total > 0 || p.state == BackfillState::Complete;
        m_bar->setRange(0, 1000);
        m_bar->setValue(total > 0 ? int(1000 * p.fetched / total) : (p.state == BackfillState::Complete ? 1000 : 0));
        // A failure before the server was counted has no "0 of ~0" to show.
        QString count = (hasJob || running) && counted && !catchUp
            ? tr("%1 of ~%2 messages").arg(locale.toString(p.fetched), locale.toString(total))
            : catchUp && running && total > 0 ? tr("%1 of %2 new messages").arg(locale.toString(p.fetched), locale.toString(total))
                                              : QString();
        // "Complete means complete": what could not be read is said, not hidden.
        if (p.unreadable > 0)
            count += (count.isEmpty() ? QString() : QStringLiteral(" · "))
                + tr("%n message(s) could not be read", nullptr, int(std::min<qint64>(p.unreadable, INT_MAX)));
        m_count->setText(count);
    }
    m_eta->setText(running && p.etaSeconds >= 0 ? etaWords(p.etaSeconds) : QString());
    // Nothing synced yet: no bar at all rather than an empty (or full) one.
    m_bar->setVisible((hasJob || running) && !(catchUp && !running));
    m_count->setVisible(!m_count->text().isEmpty());
    m_eta->setVisible(!m_eta->text().isEmpty());

    if (paused)
        setBarColor(HealthBadge::colorFor(Health::Paused));
    else if (waiting)
        setBarColor(HealthBadge::colorFor(Health::WaitingOnParent));
    else if (failed)
        setBarColor(HealthBadge::colorFor(Health::Failed));
    else if (p.state == BackfillState::Complete || p.state == BackfillState::Cancelled)
        setBarColor(HealthBadge::colorFor(Health::Healthy));
    else
        setBarColor(HealthBadge::colorFor(Health::Syncing));

    m_pause->setVisible(running || paused);
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    m_pause->setAccessibleName(paused ? tr("Resume backfill") : tr("Pause backfill"));
    m_cancel->setVisible(running || paused);

    // The action that fixes a failure: Reconnect for sign-in problems, Retry otherwise.
    m_actionKind = Action::None;
    QString status;
    if (m_stalled && running) {
        status = tr("No new messages for %n minute(s). The server may be slow or the connection stuck.", nullptr,
                    std::max(1, m_stallMs / 60000));
        m_actionKind = Action::Retry;
    } else if (waiting) {
        // Nothing to fix here: the parent's sign-in is, and this one goes on by itself.
        status = tr("Waiting on %1 — reconnect it. This mailbox goes on by itself once it is.")
                     .arg(m_parentAccount.isEmpty() ? tr("the personal connection") : m_parentAccount);
        m_actionKind = Action::Reconnect;
    } else if (failed) {
        const bool auth = health == Health::NeedsReconnect || p.error.category == ErrorCategory::AuthExpired
            || p.error.category == ErrorCategory::Tls;
        const QString cause = p.error.message.isEmpty() ? m_connection.healthDetail : p.error.message;
        status = auth ? tr("Lookback could not sign in: %1").arg(cause)
                      : health == Health::PermissionLost ? tr("Access was removed: %1").arg(cause)
                                                                    : tr("Failed: %1").arg(cause);
        m_actionKind = auth || health == Health::PermissionLost ? Action::Reconnect : Action::Retry;
    } else if (p.retryAt.isValid() && running) {
        status = p.error.message;
    }
    m_status->setText(status);
    m_status->setVisible(!status.isEmpty());
    // Labels on the card inherit its Base background, so they paint with Text.
    QPalette sp = m_status->palette();
    const QColor statusColor = failed && !waiting ? HealthBadge::colorFor(Health::Failed) : palette().color(QPalette::Text);
    sp.setColor(QPalette::WindowText, statusColor);
    sp.setColor(QPalette::Text, statusColor);
    m_status->setPalette(sp);
    m_action->setVisible(m_actionKind != Action::None);
    m_action->setText(m_actionKind != Action::Reconnect ? tr("Retry")
                      : waiting && !m_parentAccount.isEmpty() ? tr("Reconnect %1…").arg(m_parentAccount)
                                                              : tr("Reconnect…"));
}

void ConnectionCard::askCancel()
{
    if (m_confirm)
        return;
    m_confirm = new QMessageBox(QMessageBox::Question, tr("Cancel backfill?"),
                                tr("Stop syncing the history of %1 for good? The %2 messages already archived stay, "
                                   "and new mail keeps arriving.")
                                    .arg(m_connection.name, QLocale().toString(m_progress.fetched)),
                                QMessageBox::NoButton, this);
    m_confirm->addButton(tr("Cancel backfill"), QMessageBox::AcceptRole);
    m_confirm->addButton(tr("Keep syncing"), QMessageBox::RejectRole);
    m_confirm->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_confirm, &QMessageBox::buttonClicked, this, [this](QAbstractButton *b) {
        if (m_confirm && m_confirm->buttonRole(b) == QMessageBox::AcceptRole)
            emit cancelRequested(m_connection.id);
    });
    m_confirm->open();
}

void ConnectionCard::onAction()
{
    if (m_actionKind == Action::Reconnect)
        emit reconnectRequested(m_connection.id);
    else
        emit retryRequested(m_connection.id);
}

void ConnectionCard::checkStall()
{
    if (m_progress.state != BackfillState::Running || m_stalled)
        return;
    if (QDateTime::currentMSecsSinceEpoch() - m_lastMovedMs >= m_stallMs) {
        m_stalled = true;
        render();
    }
}

QString ConnectionCard::titleText() const { return m_title->text(); }
QString ConnectionCard::accountText() const { return m_account->text(); }
QString ConnectionCard::countText() const { return m_count->text(); }
QString ConnectionCard::etaText() const { return m_eta->text(); }
QString ConnectionCard::statusText() const { return m_status->isVisibleTo(const_cast<ConnectionCard *>(this)) ? m_status->text() : QString(); }
QString ConnectionCard::bannerText() const { return m_banner->text(); }
bool ConnectionCard::bannerVisible() const { return m_banner->isVisibleTo(const_cast<ConnectionCard *>(this)); }

} // namespace Lookback::Ui
