#pragma once

#include "common/health.h"

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

    // `detail` (often the server's words) is shown in the tooltip as plain text.
    void setHealth(Health health, const QString &detail = QString(),
                   const QDateTime &retryAt = QDateTime(), const QString &parentName = QString());
    Health health() const { return m_health; }
    QString text() const { return m_text; }

    static QString labelFor(Health health, const QDateTime &retryAt = QDateTime(),
                            const QString &parentName = QString());
    static QColor colorFor(Health health);
    static QString symbolFor(Health health);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    Health m_health = Health::Healthy;
    QString m_text;
};

} // namespace Lookback::Ui
