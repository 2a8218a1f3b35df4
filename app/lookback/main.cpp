#include "archive/archivestore.h"
#include "common/appidentity.h"
#include "mainwindow.h"
#include "translations.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    Lookback::applyApplicationIdentity();
    QApplication::setApplicationVersion(QStringLiteral(LOOKBACK_VERSION));
    QApplication::setApplicationDisplayName(QStringLiteral("Lookback"));
    QApplication::setDesktopFileName(QStringLiteral("org.lookback.Lookback"));
    // Follows the system locale.
    Lookback::Ui::installTranslators();

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Your mailbox's history, on your own computer."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("data-dir"), QApplication::translate("main", "Keep the archive in DIR."), QStringLiteral("DIR")});
    parser.process(app);

    Lookback::Ui::MainWindow window(Lookback::ArchiveStore::defaultPath(parser.value(QStringLiteral("data-dir"))));
    window.show();
    window.startup();
    return app.exec();
}
