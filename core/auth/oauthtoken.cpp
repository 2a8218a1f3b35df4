#include "oauthtoken.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>

namespace Lookback {

QByteArray OAuthGrant::toKeychain() const
{
    QJsonObject o;
    o.insert(QStringLiteral("v"), 1);
    o.insert(QStringLiteral("client_id"), client.clientId);
    if (!client.clientSecret.isEmpty())
        o.insert(QStringLiteral("client_secret"), client.clientSecret);
    o.insert(QStringLiteral("refresh_token"), QString::fromUtf8(refreshToken));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool OAuthGrant::fromKeychain(const QByteArray &data, OAuthGrant *out)
{
    const QJsonObject o = QJsonDocument::fromJson(data).object();
    if (o.value(QStringLiteral("v")).toInt() != 1)
        return false;
    OAuthGrant g;
    g.client.clientId = o.value(QStringLiteral("client_id")).toString();
    g.client.clientSecret = o.value(QStringLiteral("client_secret")).toString();
    g.refreshToken = o.value(QStringLiteral("refresh_token")).toString().toUtf8();
    if (g.client.clientId.isEmpty() || g.refreshToken.isEmpty())
        return false;
    *out = g;
    return true;
}

namespace OAuthToken {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("OAuthToken", text);
}

// Microsoft's AADSTS codes that mean "sign in again", with what to tell the user.
QString microsoftReason(const QString &description)
{
    static const struct
    {
        const char *code;
        const char *reason;
    } reasons[] = {
        {"AADSTS700082", QT_TRANSLATE_NOOP("OAuthToken", "the sign-in expired after a long time unused")},
        {"AADSTS70008", QT_TRANSLATE_NOOP("OAuthToken", "the sign-in expired after a long time unused")},
        {"AADSTS50173", QT_TRANSLATE_NOOP("OAuthToken", "the sign-in was revoked; the password may have changed")},
        {"AADSTS50076", QT_TRANSLATE_NOOP("OAuthToken", "Microsoft asks for multi-factor authentication")},
        {"AADSTS50079", QT_TRANSLATE_NOOP("OAuthToken", "Microsoft asks for multi-factor authentication")},
        {"AADSTS65001", QT_TRANSLATE_NOOP("OAuthToken", "Lookback needs your consent again")},
    };
    for (const auto &r : reasons) {
        if (description.startsWith(QLatin1String(r.code)))
            return QCoreApplication::translate("OAuthToken", r.reason);
    }
    return {};
}

} // namespace

QByteArray formEncode(const QVector<QPair<QString, QString>> &fields)
{
    QByteArray out;
    for (const auto &f : fields) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(f.first) + '=' + QUrl::toPercentEncoding(f.second);
    }
    return out;
}

SyncError errorFor(ProviderKind kind, int httpStatus, const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    const QString code = o.value(QStringLiteral("error")).toString();
    // The provider's words, cut short: shown as plain text, never as markup.
    const QString description = o.value(QStringLiteral("error_description")).toString().left(300).simplified();
    if (httpStatus == 429 || httpStatus >= 500 || httpStatus == 0) {
        SyncError e = SyncError::make(httpStatus == 429 ? ErrorCategory::Throttled : ErrorCategory::Network,
                                      tr("The sign-in server is not answering (HTTP %1)").arg(httpStatus));
        return e;
    }
    if (code == QLatin1String("invalid_grant") || code == QLatin1String("interaction_required")
        || code == QLatin1String("consent_required")) {
        QString reason = kind == ProviderKind::Microsoft ? microsoftReason(description) : QString();
        if (reason.isEmpty())
            reason = description.isEmpty() ? code : description;
        else
            reason = reason.left(1).toUpper() + reason.mid(1) + QLatin1Char('.'); // a sentence of its own
        return SyncError::make(ErrorCategory::AuthExpired,
                               kind == ProviderKind::Microsoft ? tr("Microsoft ended Lookback's sign-in. %1").arg(reason)
                                                               : tr("Google ended Lookback's sign-in. %1").arg(reason));
    }
    if (code == QLatin1String("invalid_client") || code == QLatin1String("unauthorized_client")) {
        return SyncError::make(ErrorCategory::Configuration,
                               tr("The sign-in server refused Lookback's client id or secret (%1)")
                                   .arg(description.isEmpty() ? code : description));
    }
    return SyncError::make(ErrorCategory::AuthExpired,
                           tr("The sign-in server refused (HTTP %1: %2)")
                               .arg(httpStatus)
                               .arg(description.isEmpty() ? (code.isEmpty() ? tr("no reason given") : code) : description));
}

bool parseTokenResponse(const QByteArray &body, OAuthGrant *grant)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    const QString access = o.value(QStringLiteral("access_token")).toString();
    if (access.isEmpty())
        return false;
    grant->accessToken = access.toUtf8();
    const QString rotated = o.value(QStringLiteral("refresh_token")).toString();
    if (!rotated.isEmpty())
        grant->refreshToken = rotated.toUtf8();
    // A number or a string (PROVIDERS.md 4); only a positive lifetime counts.
    const QJsonValue expires = o.value(QStringLiteral("expires_in"));
    const qint64 seconds = expires.isString() ? expires.toString().toLongLong() : qint64(expires.toDouble());
    grant->expiresAt = seconds > 0 ? QDateTime::currentDateTimeUtc().addSecs(seconds) : QDateTime();
    if (o.contains(QStringLiteral("scope")))
        grant->grantedScope = o.value(QStringLiteral("scope")).toString();
    return true;
}

void refresh(QNetworkAccessManager *nam, const OAuthProviderConfig &config, const QByteArray &refreshToken,
             int timeoutMs, RefreshDone done)
{
    QVector<QPair<QString, QString>> form = {{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                                             {QStringLiteral("refresh_token"), QString::fromUtf8(refreshToken)},
                                             {QStringLiteral("client_id"), config.client.clientId}};
    // A public client sends no secret at all; never an empty one (Qt 6.4.2 does).
    if (!config.client.clientSecret.isEmpty())
        form.append({QStringLiteral("client_secret"), config.client.clientSecret});
    if (config.kind == ProviderKind::Microsoft)
        form.append({QStringLiteral("scope"), config.scopes.join(QLatin1Char(' '))});
    QNetworkRequest request(config.tokenUrl);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    const QByteArray body = formEncode(form);
    QNetworkReply *reply = nam->post(request, body);
    OAuthGrant grant;
    grant.client = config.client;
    grant.refreshToken = refreshToken;
    QObject::connect(reply, &QNetworkReply::finished, reply, [reply, grant, kind = config.kind, done]() mutable {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray answer = reply->read(256 * 1024);
        if (status == 200 && parseTokenResponse(answer, &grant)) {
            done(SyncError(), grant);
            return;
        }
        if (status == 0) {
            done(SyncError::make(ErrorCategory::Network,
                                 tr("Cannot reach the sign-in server: %1").arg(reply->errorString())),
                 grant);
            return;
        }
        if (status == 200) {
            done(SyncError::make(ErrorCategory::Protocol, tr("The sign-in server's answer has no access token")),
                 grant);
            return;
        }
        done(errorFor(kind, status, answer), grant);
    });
}

} // namespace OAuthToken

} // namespace Lookback
