#include "healthbadge.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

namespace Lookback::Ui {

HealthBadge::HealthBadge(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    setHealth(QStringLiteral("healthy"));
}

QString HealthBadge::labelFor(const QString &health, const QDateTime &retryAt, const QString &parentName)
{
    const QString at = retryAt.isValid() ? QLocale().toString(retryAt.toLocalTime().time(), QLocale::ShortFormat) : QString();
    if (health == QLatin1String("healthy")) return tr("Healthy");
    if (health == QLatin1String("syncing")) return tr("Syncing");
    if (health == QLatin1String("paused")) return tr("Paused");
    if (health == QLatin1String("throttled"))
        return at.isEmpty() ? tr("Throttled") : tr("Throttled — retrying at %1").arg(at);
    if (health == QLatin1String("needs-reconnect")) return tr("Needs reconnect");
    if (health == QLatin1String("permission-lost")) return tr("Permission lost");
    if (health == QLatin1String("waiting-on-parent"))
        return tr("Waiting on %1 — reconnect it").arg(parentName.isEmpty() ? tr("the personal connection") : parentName);
    if (health == QLatin1String("offline"))
        return at.isEmpty() ? tr("Offline") : tr("Offline — retrying at %1").arg(at);
    return tr("Failed");
}

QColor HealthBadge::colorFor(const QString &health)
{
    if (health == QLatin1String("healthy")) return QColor(0x2e, 0x7d, 0x32);
    if (health == QLatin1String("syncing")) return QColor(0x15, 0x65, 0xc0);
    if (health == QLatin1String("paused")) return QColor(0xb2, 0x6a, 0x00);
    if (health == QLatin1String("throttled")) return QColor(0xd8, 0x4a, 0x00);
    if (health == QLatin1String("needs-reconnect")) return QColor(0xc6, 0x28, 0x28);
    if (health == QLatin1String("permission-lost")) return QColor(0x8e, 0x24, 0xaa);
    if (health == QLatin1String("waiting-on-parent")) return QColor(0x45, 0x5a, 0x64);
    if (health == QLatin1String("offline")) return QColor(0x61, 0x61, 0x61);
    return QColor(0xb7, 0x1c, 0x1c);
}

QString HealthBadge::symbolFor(const QString &health)
{
    // Symbols every desktop's default font has (DejaVu, Noto, Segoe UI): no tofu boxes.
    if (health == QLatin1String("healthy")) return QStringLiteral("✓");
    if (health == QLatin1String("syncing")) return QStringLiteral("↻");
    if (health == QLatin1String("paused")) return QStringLiteral("‖");
    if (health == QLatin1String("throttled")) return QStringLiteral("◷");
    if (health == QLatin1String("needs-reconnect")) return QStringLiteral("⚠");
    if (health == QLatin1String("permission-lost")) return QStringLiteral("⊘");
    if (health == QLatin1String("waiting-on-parent")) return QStringLiteral("…");
    if (health == QLatin1String("offline")) return QStringLiteral("⚡");
    return QStringLiteral("✕");
}

void HealthBadge::setHealth(const QString &health, const QString &detail, const QDateTime &retryAt, const QString &parentName)
{
    m_health = health;
    m_text = labelFor(health, retryAt, parentName);
    setToolTip(detail.isEmpty() ? m_text : m_text + QLatin1Char('\n') + detail);
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
