#pragma once

#include <QStyledItemDelegate>

namespace Lookback::Ui {

// For views that select whole rows: paints items without the focus frame
// around the current cell, which would suggest a cell can be chosen.
// Thread: GUI. Owner: the view it is set on.
class RowDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->state &= ~QStyle::State_HasFocus;
    }
};

} // namespace Lookback::Ui
