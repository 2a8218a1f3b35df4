#pragma once

#include "common/providerkind.h"
#include "common/syncerror.h"

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QVector>
#include <QPair>

namespace Lookback {

// Which OAuth client an account signed in with. Public: Google's desktop
// clients carry a "secret" that is not one (it ships in every copy of an app),
// Microsoft's public clients have none. Kept in the keychain beside the
// refresh token it belongs to, because a refresh token works only with the
// client that received it.
struct OAuthClient
{
    QString clientId;
    QString clientSecret; // empty: a public client that sends none
};

// How to sign in to one provider and reach its API: endpoints, scopes and the
// extra authorization parameters. Nothing secret is compiled in: the client
// comes from the command line (--client-id), the environment
// (LOOKBACK_GOOGLE_CLIENT_ID, LOOKBACK_GOOGLE_CLIENT_SECRET,
// LOOKBACK_MICROSOFT_CLIENT_ID) or the settings (oauth/google/clientId, ...),
// in that order; endpoints may be pointed elsewhere by environment for tests
// and self-hosted gateways (LOOKBACK_GOOGLE_AUTH_URL, LOOKBACK_GOOGLE_TOKEN_URL,
// LOOKBACK_GMAIL_API_URL).
struct OAuthProviderConfig
{
    ProviderKind kind = ProviderKind::Gmail;
    QString displayName;        // "Google"
    QUrl authUrl;
    QUrl tokenUrl;
    QUrl apiUrl;
    QStringList scopes;
    QVector<QPair<QString, QString>> extraAuthParameters; // access_type=offline, prompt=consent
    OAuthClient client;

    bool isValid() const { return !client.clientId.isEmpty(); }
};

namespace OAuthConfig {

// The configuration for a provider, with the client given on the command line
// (empty: from the environment, then the settings). *error says what is missing
// or not allowed; the result is then not to be used.
OAuthProviderConfig forProvider(ProviderKind kind, const OAuthClient &given, SyncError *error);
// The same with the client an account stored (the endpoints still follow the environment).
OAuthProviderConfig forAccount(ProviderKind kind, const OAuthClient &stored, SyncError *error);

// Only the endpoints (for sources and counters, which use the account's stored client).
OAuthProviderConfig endpointsFor(ProviderKind kind, SyncError *error);

// Plain http:// only to a loopback host; anything else must be https (whose
// certificate Qt verifies). False with *why otherwise.
bool endpointAllowed(const QUrl &url, QString *why);
bool isLoopbackHost(const QString &host);

// Google's defaults (PROVIDERS.md 3.4): the Gmail API scope that reads mail.
QStringList googleScopes();

} // namespace OAuthConfig

} // namespace Lookback
