#include "appidentity.h"

#include <QCoreApplication>

namespace Lookback {

void applyApplicationIdentity()
{
    QCoreApplication::setOrganizationName(QString());
    QCoreApplication::setOrganizationDomain(QStringLiteral("lookback.invalid"));
    QCoreApplication::setApplicationName(QStringLiteral("Lookback"));
}

QString secretKeyForImap(const QString &username, const QString &host, quint16 port)
{
    return QStringLiteral("imap:%1@%2:%3").arg(username, host.toLower()).arg(port);
}

} // namespace Lookback
