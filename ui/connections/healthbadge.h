#pragma once

#include <QColor>
#include <QDateTime>
#include <QWidget>

namespace Lookback::Ui {

// A connection's health: a coloured pill with its own symbol (never colour
// alone), a tooltip with the detail, and an accessible name for screen readers.
class HealthBadge : public QWidget
{
    Q_OBJECT
public:
    explicit HealthBadge(QWidget *parent = nullptr);

    // health: the stable names from core (healthy, syncing, paused, throttled,
    // needs-reconnect, permission-lost, waiting-on-parent, offline, failed).
    void setHealth(const QString &health, const QString &detail = QString(),
                   const QDateTime &retryAt = QDateTime(), const QString &parentName = QString());
    QString health() const { return m_health; }
    QString text() const { return m_text; }

    static QString labelFor(const QString &health, const QDateTime &retryAt = QDateTime(),
                            const QString &parentName = QString());
    static QColor colorFor(const QString &health);
    static QString symbolFor(const QString &health);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_health;
    QString m_text;
};

} // namespace Lookback::Ui
