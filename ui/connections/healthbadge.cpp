#include "healthbadge.h"

#include "plaintext.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

namespace Lookback::Ui {

HealthBadge::HealthBadge(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    setHealth(Health::Healthy);
}

QString HealthBadge::labelFor(Health health, const QDateTime &retryAt, const QString &parentName)
{
    const QString at = retryAt.isValid() ? QLocale().toString(retryAt.toLocalTime().time(), QLocale::ShortFormat) : QString();
    switch (health) {
    case Health::Healthy: return tr("Healthy");
    case Health::Syncing: return tr("Syncing");
    case Health::Paused: return tr("Paused");
    case Health::Throttled: return at.isEmpty() ? tr("Throttled") : tr("Throttled — retrying at %1").arg(at);
    case Health::NeedsReconnect: return tr("Needs reconnect");
    case Health::PermissionLost: return tr("Permission lost");
    case Health::WaitingOnParent:
        return tr("Waiting on %1 — reconnect it").arg(parentName.isEmpty() ? tr("the personal connection") : parentName);
    case Health::Offline: return at.isEmpty() ? tr("Offline") : tr("Offline — retrying at %1").arg(at);
    case Health::Failed: break;
    }
    return tr("Failed");
}

QColor HealthBadge::colorFor(Health health)
{
    switch (health) {
    case Health::Healthy: return QColor(0x2e, 0x7d, 0x32);
    case Health::Syncing: return QColor(0x15, 0x65, 0xc0);
    case Health::Paused: return QColor(0xb2, 0x6a, 0x00);
    case Health::Throttled: return QColor(0xd8, 0x4a, 0x00);
    case Health::NeedsReconnect: return QColor(0xc6, 0x28, 0x28);
    case Health::PermissionLost: return QColor(0x8e, 0x24, 0xaa);
    case Health::WaitingOnParent: return QColor(0x45, 0x5a, 0x64);
    case Health::Offline: return QColor(0x61, 0x61, 0x61);
    case Health::Failed: break;
    }
    return QColor(0xb7, 0x1c, 0x1c);
}

QString HealthBadge::symbolFor(Health health)
{
    // Glyphs every default font has (checked by the badges test).
    switch (health) {
    case Health::Healthy: return QStringLiteral("✓");
    case Health::Syncing: return QStringLiteral("↻");
    case Health::Paused: return QStringLiteral("‖");
    case Health::Throttled: return QStringLiteral("◷");
    case Health::NeedsReconnect: return QStringLiteral("⚠");
    case Health::PermissionLost: return QStringLiteral("⊘");
    case Health::WaitingOnParent: return QStringLiteral("…");
    case Health::Offline: return QStringLiteral("⚡");
    case Health::Failed: break;
    }
    return QStringLiteral("✕");
}

void HealthBadge::setHealth(Health health, const QString &detail, const QDateTime &retryAt, const QString &parentName)
{
    m_health = health;
    m_text = labelFor(health, retryAt, parentName);
    // The detail is often the server's own words: shown as text, never as markup.
    setToolTip(plainToolTip(detail.isEmpty() ? m_text : m_text + QLatin1Char('\n') + detail));
    setAccessibleName(tr("Connection status: %1").arg(m_text));
    setAccessibleDescription(detail);
    updateGeometry();
    update();
}

QSize HealthBadge::sizeHint() const
{
    const QFontMetrics fm(font());
    const int h = fm.height() + 8;
    return QSize(fm.horizontalAdvance(symbolFor(m_health) + QLatin1Char(' ') + m_text) + h, h);
}

void HealthBadge::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor c = colorFor(m_health);
    const QRectF r = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    QPainterPath path;
    path.addRoundedRect(r, r.height() / 2, r.height() / 2);
    p.fillPath(path, c);
    // White on these saturated colours reads in light and dark palettes alike.
    p.setPen(Qt::white);
    p.drawText(rect().adjusted(r.height() / 2, 0, -int(r.height() / 2), 0), Qt::AlignCenter,
               symbolFor(m_health) + QLatin1Char(' ') + m_text);
}

} // namespace Lookback::Ui
