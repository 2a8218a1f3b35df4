#pragma once

#include "auth/oauthtoken.h"
#include "auth/signin.h"
#include "common/providerkind.h"

class QNetworkAccessManager;

namespace Lookback {

// An account that signed in with OAuth (Gmail, Microsoft 365). The keychain
// holds its refresh token (and the client it belongs to); access tokens live
// in this object's memory only and are refreshed before they expire (5
// minutes ahead, or a fifth of a short lifetime) or when the provider rejected
// one (rejected(): a 401). SignIn makes every refresh single-flight, so the
// account's sources share one refresh at a time.
//
// A refresh the provider refuses for good (invalid_grant: revoked, expired,
// password changed) leaves the sign-in dead: every later request gets the same
// AuthExpired error at once, without asking the provider again, until
// setGrant() brings a new grant from the browser (reconnect). A rotated refresh
// token (Microsoft) is written to the keychain before the access token that
// came with it is handed out.
//
// Thread: SyncService's (see SignIn). Owner: SyncService.
class OAuthSignIn : public SignIn
{
    Q_OBJECT
public:
    OAuthSignIn(ProviderKind kind, const QString &username, QObject *parent = nullptr);

    // The keychain key of an OAuth account's grant.
    static QString keyFor(ProviderKind kind, const QString &username);
    QString secretKey() const { return keyFor(m_kind, m_username); }

    // A grant fresh from the browser (already in the keychain): used at once,
    // and the sign-in is alive again.
    void setGrant(const OAuthGrant &grant);
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

protected:
    void fetch(CredentialDone done) override;
    void forget(const SyncError &reason) override;

private:
    bool accessTokenFresh() const;
    void refreshWith(CredentialDone done);

    ProviderKind m_kind;
    QString m_username;
    OAuthGrant m_grant;
    bool m_haveGrant = false;
    qint64 m_lifetimeSeconds = 0;
    SyncError m_dead;
    int m_timeoutMs = 60000;
    QNetworkAccessManager *m_nam = nullptr;
};

} // namespace Lookback
