#include "oauthconfig.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QSettings>

namespace Lookback::OAuthConfig {

namespace {

QString envOr(const char *name, const QString &fallback)
{
    const QString value = qEnvironmentVariable(name);
    return value.isEmpty() ? fallback : value;
}

QUrl endpoint(const char *env, const char *fallback)
{
    return QUrl(envOr(env, QString::fromLatin1(fallback)));
}

bool checkEndpoints(const OAuthProviderConfig &c, SyncError *error)
{
    for (const QUrl &url : {c.authUrl, c.tokenUrl, c.apiUrl}) {
        QString why;
        if (!endpointAllowed(url, &why)) {
            *error = SyncError::make(ErrorCategory::Configuration, why);
            return false;
        }
    }
    return true;
}

OAuthProviderConfig base(ProviderKind kind)
{
    OAuthProviderConfig c;
    c.kind = kind;
    if (kind == ProviderKind::Gmail) {
        c.displayName = QStringLiteral("Google");
        c.authUrl = endpoint("LOOKBACK_GOOGLE_AUTH_URL", "https://accounts.google.com/o/oauth2/v2/auth");
        c.tokenUrl = endpoint("LOOKBACK_GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token");
        c.apiUrl = endpoint("LOOKBACK_GMAIL_API_URL", "https://gmail.googleapis.com");
        c.scopes = googleScopes();
        // A refresh token comes only with consent (PROVIDERS.md 3.4).
        c.extraAuthParameters = {{QStringLiteral("access_type"), QStringLiteral("offline")},
                                 {QStringLiteral("prompt"), QStringLiteral("consent")}};
    } else if (kind == ProviderKind::Microsoft) {
        c.displayName = QStringLiteral("Microsoft");
        c.authUrl = endpoint("LOOKBACK_MICROSOFT_AUTH_URL",
                             "https://login.microsoftonline.com/common/oauth2/v2.0/authorize");
        c.tokenUrl = endpoint("LOOKBACK_MICROSOFT_TOKEN_URL", "https://login.microsoftonline.com/common/oauth2/v2.0/token");
        c.apiUrl = endpoint("LOOKBACK_GRAPH_API_URL", "https://graph.microsoft.com/v1.0");
        c.scopes = {QStringLiteral("offline_access"), QStringLiteral("Mail.Read"), QStringLiteral("Mail.Read.Shared"),
                    QStringLiteral("User.Read"), QStringLiteral("openid"), QStringLiteral("profile")};
    }
    return c;
}

const char *settingsGroup(ProviderKind kind)
{
    return kind == ProviderKind::Microsoft ? "oauth/microsoft" : "oauth/google";
}

} // namespace

QStringList googleScopes()
{
    // Read-only Gmail API access; IMAP would need https://mail.google.com/ instead.
    return {QStringLiteral("https://www.googleapis.com/auth/gmail.readonly")};
}

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

bool endpointAllowed(const QUrl &url, QString *why)
{
    if (!url.isValid() || url.host().isEmpty()) {
        *why = QCoreApplication::translate("OAuthConfig", "Not a valid address: %1").arg(url.toString());
        return false;
    }
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("https"))
        return true;
    if (scheme == QLatin1String("http") && isLoopbackHost(url.host()))
        return true;
    *why = QCoreApplication::translate("OAuthConfig",
                                       "%1 must use https (plain http is allowed only to this computer)")
               .arg(url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery));
    return false;
}

OAuthProviderConfig forProvider(ProviderKind kind, const OAuthClient &given, SyncError *error)
{
    OAuthProviderConfig c = base(kind);
    const bool google = kind == ProviderKind::Gmail;
    QSettings settings;
    settings.beginGroup(QLatin1String(settingsGroup(kind)));
    c.client.clientId = given.clientId;
    if (c.client.clientId.isEmpty())
        c.client.clientId = envOr(google ? "LOOKBACK_GOOGLE_CLIENT_ID" : "LOOKBACK_MICROSOFT_CLIENT_ID",
                                  settings.value(QStringLiteral("clientId")).toString());
    if (google) {
        c.client.clientSecret = given.clientSecret;
        if (c.client.clientSecret.isEmpty())
            c.client.clientSecret = envOr("LOOKBACK_GOOGLE_CLIENT_SECRET",
                                          settings.value(QStringLiteral("clientSecret")).toString());
    }
    if (c.client.clientId.isEmpty()) {
        *error = SyncError::make(
            ErrorCategory::Configuration,
            google ? QCoreApplication::translate("OAuthConfig",
                                                 "No Google client id: pass --client-id or set LOOKBACK_GOOGLE_CLIENT_ID "
                                                 "(see the README on registering a desktop client)")
                   : QCoreApplication::translate("OAuthConfig",
                                                 "No Microsoft client id: pass --client-id or set "
                                                 "LOOKBACK_MICROSOFT_CLIENT_ID (see the README on registering an app)"));
        return c;
    }
    checkEndpoints(c, error);
    return c;
}

OAuthProviderConfig endpointsFor(ProviderKind kind, SyncError *error)
{
    OAuthProviderConfig c = base(kind);
    checkEndpoints(c, error);
    return c;
}

OAuthProviderConfig forAccount(ProviderKind kind, const OAuthClient &stored, SyncError *error)
{
    OAuthProviderConfig c = base(kind);
    c.client = stored;
    if (c.client.clientId.isEmpty()) {
        *error = SyncError::make(ErrorCategory::AuthExpired,
                                 QCoreApplication::translate("OAuthConfig", "The sign-in has no client id: reconnect"));
        return c;
    }
    checkEndpoints(c, error);
    return c;
}

} // namespace Lookback::OAuthConfig
