#include "oauthsignin.h"

#include "auth/secretstore.h"
#include "common/logging.h"

#include <QNetworkAccessManager>

namespace Lookback {

OAuthSignIn::OAuthSignIn(ProviderKind kind, const QString &username, QObject *parent)
    : SignIn(parent)
    , m_kind(kind)
    , m_username(username)
{
}

QString OAuthSignIn::keyFor(ProviderKind kind, const QString &username)
{
    return QStringLiteral("oauth:%1:%2").arg(providerKindName(kind), username.toLower());
}

void OAuthSignIn::setGrant(const OAuthGrant &grant)
{
    m_grant = grant;
    m_haveGrant = true;
    m_dead = SyncError();
    m_lifetimeSeconds = grant.expiresAt.isValid() ? QDateTime::currentDateTimeUtc().secsTo(grant.expiresAt) : 0;
}

bool OAuthSignIn::accessTokenFresh() const
{
    if (m_grant.accessToken.isEmpty())
        return false;
    if (!m_grant.expiresAt.isValid())
        return true; // no lifetime given: used until the provider rejects it
    const qint64 margin = std::min<qint64>(300, std::max<qint64>(1, m_lifetimeSeconds / 5));
    return QDateTime::currentDateTimeUtc().secsTo(m_grant.expiresAt) > margin;
}

void OAuthSignIn::forget(const SyncError &reason)
{
    qCInfo(lcSecrets) << "access token of" << providerKindName(m_kind) << "account rejected:" << reason.message;
    m_grant.accessToken.clear();
}

void OAuthSignIn::fetch(CredentialDone done)
{
    if (m_dead.isError()) {
        done(m_dead, Credential());
        return;
    }
    if (accessTokenFresh()) {
        done(SyncError(), Credential{m_username, {}, m_grant.accessToken});
        return;
    }
    if (m_haveGrant) {
        refreshWith(std::move(done));
        return;
    }
    auto *secrets = new SecretStore(this);
    secrets->read(secretKey(), [this, secrets, done](const SyncError &e, const QByteArray &data) {
        secrets->deleteLater();
        if (e.isError()) {
            done(e, Credential());
            return;
        }
        OAuthGrant grant;
        if (!OAuthGrant::fromKeychain(data, &grant)) {
            m_dead = SyncError::make(ErrorCategory::AuthExpired, tr("The sign-in in the keychain is unreadable: reconnect"));
            done(m_dead, Credential());
            return;
        }
        m_grant = grant;
        m_haveGrant = true;
        refreshWith(done);
    });
}

void OAuthSignIn::refreshWith(CredentialDone done)
{
    SyncError configError;
    const OAuthProviderConfig config = OAuthConfig::forAccount(m_kind, m_grant.client, &configError);
    if (configError.isError()) {
        done(configError, Credential());
        return;
    }
    if (!m_nam)
        m_nam = new QNetworkAccessManager(this);
    const QByteArray oldRefresh = m_grant.refreshToken;
    OAuthToken::refresh(m_nam, config, oldRefresh, m_timeoutMs, [this, oldRefresh, done](const SyncError &e, const OAuthGrant &g) {
        if (e.isError()) {
            if (e.category == ErrorCategory::AuthExpired || e.category == ErrorCategory::Configuration)
                m_dead = e; // asked again only after a reconnect: no refresh loop
            qCInfo(lcSecrets) << "refresh of" << providerKindName(m_kind) << "account failed:" << e.message;
            done(e, Credential());
            return;
        }
        m_grant = g;
        m_lifetimeSeconds = g.expiresAt.isValid() ? QDateTime::currentDateTimeUtc().secsTo(g.expiresAt) : 0;
        if (g.refreshToken == oldRefresh) {
            done(SyncError(), Credential{m_username, {}, g.accessToken});
            return;
        }
        // Rotated: the old refresh token may be dead already, so the new one is
        // kept before anything uses the access token that came with it.
        auto *secrets = new SecretStore(this);
        secrets->write(secretKey(), g.toKeychain(), [this, secrets, done, access = g.accessToken](const SyncError &w) {
            secrets->deleteLater();
            if (w.isError()) {
                qCWarning(lcSecrets) << "cannot keep the rotated refresh token:" << w.message;
                done(w, Credential());
                return;
            }
            done(SyncError(), Credential{m_username, {}, access});
        });
    });
}

} // namespace Lookback
