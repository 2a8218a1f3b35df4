#include "cli/cliapp.h"
#include "common/appidentity.h"

#include <QCoreApplication>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Lookback::applyApplicationIdentity();
    QCoreApplication::setApplicationVersion(QStringLiteral(LOOKBACK_VERSION));
    return Lookback::runCli(QCoreApplication::arguments());
}
