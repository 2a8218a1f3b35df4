#pragma once

#include "auth/oauthconfig.h"
#include "common/syncerror.h"

#include <QByteArray>
#include <QDateTime>
#include <QPair>
#include <QString>
#include <QVector>
#include <functional>

class QNetworkAccessManager;

namespace Lookback {

// What a sign-in with the browser gives: the refresh token, which the keychain
// keeps, and a first access token, which lives in memory only.
struct OAuthGrant
{
    OAuthClient client;
    QByteArray refreshToken;
    QByteArray accessToken;
    QDateTime expiresAt;       // of the access token; invalid when the provider gave no lifetime
    QString grantedScope;      // what the provider says it granted (may be missing)

    // What the keychain entry holds: the refresh token and the client it
    // belongs to. Never the access token.
    QByteArray toKeychain() const;
    static bool fromKeychain(const QByteArray &data, OAuthGrant *out);
};

// The token endpoint, called with our own QNetworkAccessManager (Qt NetworkAuth
// 6.4.2 swallows refresh errors and sends an empty client_secret: PROVIDERS.md
// section 4). Free functions; the reply is read on the manager's thread.
namespace OAuthToken {

using RefreshDone = std::function<void(const SyncError &, const OAuthGrant &)>;

// grant_type=refresh_token. The answer's refresh_token, when there is one
// (Microsoft rotates them), replaces the old one in the grant handed back.
void refresh(QNetworkAccessManager *nam, const OAuthProviderConfig &config, const QByteArray &refreshToken,
             int timeoutMs, RefreshDone done);

// The token endpoint's error as a SyncError: invalid_grant (revoked, expired,
// password changed, AADSTS codes) is AuthExpired with the provider's reason,
// a refused client is Configuration, 5xx and 429 are transient.
SyncError errorFor(ProviderKind kind, int httpStatus, const QByteArray &body);
// A successful token response into *grant (access token, lifetime, scope, a
// rotated refresh token). False when it carries no access token.
bool parseTokenResponse(const QByteArray &body, OAuthGrant *grant);
// application/x-www-form-urlencoded with every reserved character encoded
// ('+', '&', '=' and '/' in a token arrive as they were sent).
QByteArray formEncode(const QVector<QPair<QString, QString>> &fields);

} // namespace OAuthToken

} // namespace Lookback
