#include "dialoglayout.h"

#include <QLayout>
#include <QWidget>

namespace Lookback::Ui {

void growToFit(QWidget *window)
{
    QLayout *layout = window->layout();
    if (!layout || !window->isVisible())
        return;
    layout->activate();
    const int width = window->width();
    const int needed = layout->hasHeightForWidth() ? layout->totalHeightForWidth(width) : layout->totalSizeHint().height();
    if (needed > window->height())
        window->resize(width, needed);
}

} // namespace Lookback::Ui
