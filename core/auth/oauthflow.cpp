#include "oauthflow.h"

#include "common/logging.h"

#include <QCryptographicHash>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QOAuth2AuthorizationCodeFlow>
#include <QOAuthHttpServerReplyHandler>
#include <QRandomGenerator>

namespace Lookback {

namespace {

QByteArray randomFrom(const char *alphabet, int alphabetSize, int length)
{
    QByteArray out(length, Qt::Uninitialized);
    QRandomGenerator *random = QRandomGenerator::system();
    for (int i = 0; i < length; ++i)
        out[i] = alphabet[random->bounded(alphabetSize)];
    return out;
}

} // namespace

OAuthBrowserFlow::OAuthBrowserFlow(const OAuthProviderConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
{
    m_nam = new QNetworkAccessManager(this);
    m_flow = new QOAuth2AuthorizationCodeFlow(m_nam, this);
    m_flow->setAuthorizationUrl(config.authUrl);
    m_flow->setAccessTokenUrl(config.tokenUrl);
    m_flow->setClientIdentifier(config.client.clientId);
    m_flow->setClientIdentifierSharedKey(config.client.clientSecret);
    m_flow->setModifyParametersFunction([this](QAbstractOAuth::Stage stage, QMultiMap<QString, QVariant> *params) {
        // QMultiMap::insert adds a second value: take or remove a key before setting it.
        switch (stage) {
        case QAbstractOAuth::Stage::RequestingAuthorization:
            params->remove(QStringLiteral("code_challenge"));
            params->remove(QStringLiteral("code_challenge_method"));
            params->insert(QStringLiteral("code_challenge"), QString::fromLatin1(challengeFor(m_verifier)));
            params->insert(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
            for (const auto &extra : m_config.extraAuthParameters) {
                params->remove(extra.first);
                params->insert(extra.first, extra.second);
            }
            break;
        case QAbstractOAuth::Stage::RequestingAccessToken: {
            // 6.4.2 encodes the still-encoded code again (QTBUG-81624).
            const QByteArray code = params->take(QStringLiteral("code")).toString().toUtf8();
            params->insert(QStringLiteral("code"), QUrl::fromPercentEncoding(code));
            params->remove(QStringLiteral("code_verifier"));
            params->insert(QStringLiteral("code_verifier"), QString::fromLatin1(m_verifier));
            if (m_config.client.clientSecret.isEmpty())
                params->remove(QStringLiteral("client_secret"));
            break;
        }
        case QAbstractOAuth::Stage::RefreshingAccessToken:
            if (m_config.client.clientSecret.isEmpty())
                params->remove(QStringLiteral("client_secret"));
            params->remove(QStringLiteral("redirect_uri"));
            break;
        default:
            break;
        }
    });
    connect(m_flow, &QAbstractOAuth::authorizeWithBrowser, this, [this](const QUrl &url) {
        if (m_running)
            emit authorizeUrl(url);
    });
    connect(m_flow, &QAbstractOAuth::granted, this, &OAuthBrowserFlow::onGranted);
    connect(m_flow, &QAbstractOAuth2::error, this,
            [this](const QString &error, const QString &description, const QUrl &) {
        if (!m_running)
            return;
        const QString reason = (description.isEmpty() ? error : description).left(300).simplified();
        if (error == QLatin1String("access_denied")) {
            finish(SyncError::make(ErrorCategory::AuthExpired,
                                   tr("You did not allow Lookback to read your mail at %1.").arg(m_config.displayName)),
                   {});
        } else {
            finish(SyncError::make(ErrorCategory::AuthExpired, tr("%1 refused the sign-in: %2").arg(m_config.displayName, reason)),
                   {});
        }
    });
    // The flow says nothing when the token endpoint answers with an error.
    connect(m_nam, &QNetworkAccessManager::finished, this, &OAuthBrowserFlow::onTokenReply);
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        finish(SyncError::make(ErrorCategory::AuthExpired, tr("Gave up waiting for the browser after %n minute(s)", nullptr,
                                                               std::max(1, m_timeoutMs / 60000))),
               {});
    });
}

OAuthBrowserFlow::~OAuthBrowserFlow()
{
    m_running = false;
    if (m_handler)
        m_handler->close();
}

QByteArray OAuthBrowserFlow::makeVerifier()
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    return randomFrom(alphabet, int(sizeof alphabet) - 1, 64);
}

QByteArray OAuthBrowserFlow::challengeFor(const QByteArray &verifier)
{
    return QCryptographicHash::hash(verifier, QCryptographicHash::Sha256)
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QString OAuthBrowserFlow::makeState()
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    return QString::fromLatin1(randomFrom(alphabet, int(sizeof alphabet) - 1, 43));
}

QUrl OAuthBrowserFlow::redirectUri() const
{
    return m_running && m_handler ? QUrl(m_handler->callback()) : QUrl();
}

void OAuthBrowserFlow::start()
{
    if (m_running)
        return;
    // Loopback only (6.4.2's default constructor listens on every interface).
    m_handler = new QOAuthHttpServerReplyHandler(QHostAddress(QHostAddress::LocalHost), 0, this);
    if (!m_handler->isListening()) {
        m_handler->deleteLater();
        m_handler = nullptr;
        QMetaObject::invokeMethod(this, [this] {
            emit finished(SyncError::make(ErrorCategory::Configuration,
                                          tr("Cannot listen on 127.0.0.1 for the browser's answer")),
                          {});
        }, Qt::QueuedConnection);
        return;
    }
    m_handler->setCallbackText(tr("Lookback is signed in. You can close this tab and go back to Lookback."));
    connect(m_handler, &QAbstractOAuthReplyHandler::callbackReceived, this, [this](const QVariantMap &values) {
        // 6.4.2 ignores an answer whose state does not match without a word; say so.
        if (m_running && values.value(QStringLiteral("state")).toString() != m_state
            && !values.contains(QStringLiteral("error"))) {
            finish(SyncError::make(ErrorCategory::AuthExpired,
                                   tr("The browser's answer does not belong to this sign-in; try again")),
                   {});
        }
    });
    m_flow->setReplyHandler(m_handler);
    m_verifier = makeVerifier();
    m_state = makeState();
    m_flow->setState(m_state);
    // A token response without `scope` empties the flow's scope (QTBUG-66415).
    m_flow->setScope(m_config.scopes.join(QLatin1Char(' ')));
    m_running = true;
    m_timeout.start(m_timeoutMs);
    m_flow->grant();
}

void OAuthBrowserFlow::cancel()
{
    finish(SyncError::make(ErrorCategory::AuthExpired, tr("Sign-in cancelled")), {});
}

void OAuthBrowserFlow::onTokenReply(QNetworkReply *reply)
{
    if (!m_running)
        return;
    const QUrl url = reply->url();
    if (url.adjusted(QUrl::RemoveQuery) != m_config.tokenUrl.adjusted(QUrl::RemoveQuery))
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 200)
        return; // the flow reads it and emits granted()
    if (status == 0) {
        finish(SyncError::make(ErrorCategory::Network,
                               tr("Cannot reach %1's sign-in server: %2").arg(m_config.displayName, reply->errorString())),
               {});
        return;
    }
    finish(OAuthToken::errorFor(m_config.kind, status, reply->read(64 * 1024)), {});
}

void OAuthBrowserFlow::onGranted()
{
    if (!m_running)
        return;
    OAuthGrant grant;
    grant.client = m_config.client;
    grant.accessToken = m_flow->token().toUtf8();
    grant.refreshToken = m_flow->refreshToken().toUtf8();
    grant.expiresAt = m_flow->expirationAt().toUTC();
    grant.grantedScope = m_flow->extraTokens().value(QStringLiteral("scope")).toString();
    if (grant.refreshToken.isEmpty()) {
        finish(SyncError::make(ErrorCategory::AuthExpired,
                               tr("%1 gave no refresh token, so Lookback could not stay signed in").arg(m_config.displayName)),
               {});
        return;
    }
    finish(SyncError(), grant);
}

void OAuthBrowserFlow::finish(const SyncError &error, const OAuthGrant &grant)
{
    if (!m_running)
        return;
    m_running = false;
    m_timeout.stop();
    // Nothing listens once the code is exchanged (or the attempt is over).
    if (m_handler) {
        m_handler->close();
        m_handler->deleteLater();
        m_handler = nullptr;
    }
    m_flow->setToken(QString());
    m_flow->setRefreshToken(QString());
    m_verifier.fill('\0');
    m_verifier.clear();
    if (error.isError())
        qCInfo(lcSecrets) << "browser sign-in ended:" << error.message;
    emit finished(error, grant);
}

} // namespace Lookback
