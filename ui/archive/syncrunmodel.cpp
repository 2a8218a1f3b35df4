#include "archive/syncrunmodel.h"

#include "archive/browserformat.h"

#include <QApplication>
#include <QColor>
#include <QIcon>
#include <QLocale>
#include <QPainter>
#include <QPalette>
#include <QStyle>

namespace Lookback::Ui {

namespace {

// A colour for the outcome that reads on the current palette: darker shades
// on a light base, lighter ones on a dark base.
QVariant outcomeColour(const QString &outcome)
{
    const QPalette palette = QApplication::palette();
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    if (outcome == QLatin1String("complete"))
        return dark ? QColor(0x81, 0xc9, 0x95) : QColor(0x1b, 0x6e, 0x34);
    if (outcome == QLatin1String("failed"))
        return dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xb3, 0x26, 0x1e);
    if (outcome == QLatin1String("paused"))
        return dark ? QColor(0xff, 0xcc, 0x80) : QColor(0x8a, 0x5a, 0x00);
    return QVariant(); // the palette's text colour
}

// Paused, cancelled and running have no coloured standard icon that shows
// on both light and dark palettes: draw them in the outcome's colour.
QIcon drawnIcon(const QString &outcome, const QColor &colour)
{
    QIcon icon;
    for (const int size : {16, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        const qreal u = size / 16.0;
        if (outcome == QLatin1String("paused")) {
            p.fillRect(QRectF(4 * u, 3 * u, 3 * u, 10 * u), colour);
            p.fillRect(QRectF(9 * u, 3 * u, 3 * u, 10 * u), colour);
        } else if (outcome == QLatin1String("cancelled")) {
            p.setPen(QPen(colour, 1.6 * u));
            p.drawEllipse(QRectF(2.5 * u, 2.5 * u, 11 * u, 11 * u));
            p.drawLine(QPointF(4.5 * u, 11.5 * u), QPointF(11.5 * u, 4.5 * u));
        } else { // running: a play triangle
            p.setPen(Qt::NoPen);
            p.setBrush(colour);
            p.drawPolygon(QPolygonF({QPointF(4 * u, 3 * u), QPointF(13 * u, 8 * u), QPointF(4 * u, 13 * u)}));
        }
        p.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

QIcon outcomeIcon(const QString &outcome)
{
    QStyle *style = QApplication::style();
    if (outcome == QLatin1String("complete"))
        return style->standardIcon(QStyle::SP_DialogApplyButton);
    if (outcome == QLatin1String("failed"))
        return style->standardIcon(QStyle::SP_MessageBoxCritical);
    const QVariant colour = outcomeColour(outcome);
    return drawnIcon(outcome, colour.isValid() ? colour.value<QColor>()
                                               : QApplication::palette().color(QPalette::Text));
}

// "6/1/24, 12:15 PM"; the end of a run on the day it started: "12:16 PM".
QString shortDateTime(const QDateTime &utc, const QDateTime &sameDayAs = QDateTime())
{
    if (!utc.isValid())
        return QString();
    const QDateTime local = utc.toLocalTime();
    const QLocale locale;
    if (sameDayAs.isValid() && sameDayAs.toLocalTime().date() == local.date())
        return locale.toString(local.time(), QLocale::ShortFormat);
    return locale.toString(local, QLocale::ShortFormat);
}

} // namespace

SyncRunModel::SyncRunModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void SyncRunModel::setRuns(const QVector<SyncRunRecord> &runs)
{
    beginResetModel();
    m_runs = runs;
    endResetModel();
}

SyncRunRecord SyncRunModel::run(int row) const
{
    return row >= 0 && row < m_runs.size() ? m_runs.at(row) : SyncRunRecord();
}

QString SyncRunModel::outcomeLabel(const QString &outcome)
{
    if (outcome == QLatin1String("running"))
        return tr("Running");
    if (outcome == QLatin1String("complete"))
        return tr("Complete");
    if (outcome == QLatin1String("paused"))
        return tr("Paused");
    if (outcome == QLatin1String("cancelled"))
        return tr("Cancelled");
    if (outcome == QLatin1String("failed"))
        return tr("Failed");
    return outcome;
}

QString SyncRunModel::kindLabel(const QString &kind)
{
    if (kind == QLatin1String("backfill"))
        return tr("Backfill");
    if (kind == QLatin1String("live"))
        return tr("Live sync");
    return kind;
}

int SyncRunModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

int SyncRunModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SyncRunModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const SyncRunRecord &run = m_runs.at(index.row());
    if (role == OutcomeRole)
        return run.outcome;
    switch (index.column()) {
    case StartedColumn:
        if (role == Qt::DisplayRole)
            return shortDateTime(run.startedAt);
        if (role == Qt::ToolTipRole)
            return longDate(run.startedAt);
        break;
    case EndedColumn:
        if (role == Qt::DisplayRole)
            return run.endedAt.isValid() ? shortDateTime(run.endedAt, run.startedAt) : tr("—");
        if (role == Qt::ToolTipRole)
            return longDate(run.endedAt);
        if (role == Qt::AccessibleTextRole && !run.endedAt.isValid())
            return tr("Not ended");
        break;
    case KindColumn:
        if (role == Qt::DisplayRole)
            return kindLabel(run.kind);
        break;
    case FetchedColumn:
        if (role == Qt::DisplayRole)
            return QLocale().toString(run.fetched);
        if (role == Qt::TextAlignmentRole)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case OutcomeColumn:
        if (role == Qt::DisplayRole)
            return outcomeLabel(run.outcome);
        if (role == Qt::DecorationRole)
            return outcomeIcon(run.outcome);
        if (role == Qt::ForegroundRole)
            return outcomeColour(run.outcome);
        break;
    case MessageColumn:
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
            return run.message;
        break;
    default:
        break;
    }
    return QVariant();
}

QVariant SyncRunModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case StartedColumn: return tr("Started");
    case EndedColumn: return tr("Ended");
    case KindColumn: return tr("Kind");
    case FetchedColumn: return tr("Fetched");
    case OutcomeColumn: return tr("Outcome");
    case MessageColumn: return tr("Message");
    }
    return QVariant();
}

} // namespace Lookback::Ui
