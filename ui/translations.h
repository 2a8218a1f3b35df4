#pragma once

#include <QLocale>

namespace Lookback::Ui {

// Installs Qt's own translations and ours for `locale`, over an English base
// that supplies the singular and plural forms of "%n message(s)". Our .qm
// files are embedded in the ui library under :/i18n.
void installTranslators(const QLocale &locale = QLocale());

} // namespace Lookback::Ui
