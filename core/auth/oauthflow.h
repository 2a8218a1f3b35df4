#pragma once

#include "auth/oauthconfig.h"
#include "auth/oauthtoken.h"

#include <QObject>
#include <QTimer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;
class QOAuth2AuthorizationCodeFlow;
class QOAuthHttpServerReplyHandler;

namespace Lookback {

// The browser step of an OAuth sign-in (RFC 8252): the authorization code flow
// of Qt NetworkAuth with a loopback redirect, http://127.0.0.1:<random port>/,
// on a listener bound to 127.0.0.1 only, closed once the code is exchanged.
//
// Qt NetworkAuth 6.4.2 needs these workarounds (PROVIDERS.md section 4), each
// applied here:
//  - no PKCE: code_challenge (S256) and code_verifier are added by the
//    parameter hook;
//  - a weak `state` (8 characters from a time-seeded mt19937): state and
//    verifier come from QRandomGenerator::system();
//  - the code arrives percent-encoded and is encoded again: it is decoded once
//    before the exchange (a Google code contains '/');
//  - token errors are swallowed (the flow never says the exchange failed): the
//    token endpoint's answer is watched on our QNetworkAccessManager and an
//    error ends the sign-in with the provider's reason;
//  - a token response without `scope` clears the flow's scope: it is set again
//    before every grant();
//  - the listener would bind every interface by default: it is given 127.0.0.1.
// Refreshing is not done here (OAuthToken::refresh), so the empty client_secret
// 6.4.2 sends on refresh never leaves the program.
//
// The URL to open is emitted; the front end opens the browser (the desktop
// with QDesktopServices, lookback-cli with $BROWSER or xdg-open).
//
// Thread: the thread that created it (it needs an event loop). Owner: the
// caller; start() may be called again after finished() for another attempt.
class OAuthBrowserFlow : public QObject
{
    Q_OBJECT
public:
    explicit OAuthBrowserFlow(const OAuthProviderConfig &config, QObject *parent = nullptr);
    ~OAuthBrowserFlow() override;

    // How long to wait for the browser (default 5 minutes).
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    // Starts listening and emits authorizeUrl(); finished() follows exactly once.
    void start();
    // Ends a running sign-in with a "cancelled" error.
    void cancel();
    bool isRunning() const { return m_running; }
    // The redirect address of the running sign-in (empty when not running).
    QUrl redirectUri() const;

    // PKCE (RFC 7636): a verifier of 64 characters of [A-Za-z0-9-._~], and its
    // S256 challenge: BASE64URL(SHA256(verifier)) without padding.
    static QByteArray makeVerifier();
    static QByteArray challengeFor(const QByteArray &verifier);
    // An unguessable `state`: 43 letters and digits (kept alphanumeric,
    // because 6.4.2 does not form-encode it).
    static QString makeState();

signals:
    void authorizeUrl(const QUrl &url);
    void finished(const Lookback::SyncError &error, const Lookback::OAuthGrant &grant);

private:
    void finish(const SyncError &error, const OAuthGrant &grant);
    void onTokenReply(QNetworkReply *reply);
    void onGranted();

    OAuthProviderConfig m_config;
    QNetworkAccessManager *m_nam = nullptr;
    QOAuth2AuthorizationCodeFlow *m_flow = nullptr;
    QOAuthHttpServerReplyHandler *m_handler = nullptr;
    QTimer m_timeout;
    int m_timeoutMs = 5 * 60 * 1000;
    QByteArray m_verifier;
    QString m_state;
    bool m_running = false;
};

} // namespace Lookback
