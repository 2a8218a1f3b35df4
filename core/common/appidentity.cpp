#include "appidentity.h"

#include <QCoreApplication>

namespace Lookback {

void applyApplicationIdentity()
{
    QCoreApplication::setOrganizationName(QString());
    QCoreApplication::setOrganizationDomain(QStringLiteral("lookback.invalid"));
    QCoreApplication::setApplicationName(QStringLiteral("Lookback"));
}

} // namespace Lookback
