#pragma once

class QWidget;

namespace Lookback::Ui {

// Wrapped labels do not make a window taller by themselves: grow it to fit what
// it now shows (never shrink what the user enlarged).
void growToFit(QWidget *window);

} // namespace Lookback::Ui
