#include "translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace Lookback::Ui {

void installTranslators(const QLocale &locale)
{
    auto *app = QCoreApplication::instance();
    auto *english = new QTranslator(app);
    if (english->load(QStringLiteral(":/i18n/lookback_en.qm")))
        QCoreApplication::installTranslator(english);
    auto *qt = new QTranslator(app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    // Installed last, so asked first.
    auto *ours = new QTranslator(app);
    if (locale.language() != QLocale::English
        && ours->load(locale, QStringLiteral("lookback"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(ours);
}

} // namespace Lookback::Ui
