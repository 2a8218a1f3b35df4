#include "signin.h"

#include "auth/secretstore.h"

namespace Lookback {

SignIn::SignIn(QObject *parent)
    : QObject(parent)
{
}

void SignIn::credential(QObject *context, CredentialDone done)
{
    QPointer<QObject> target(context);
    QMetaObject::invokeMethod(this, [this, target, done = std::move(done)] { request(target, done); },
                              Qt::QueuedConnection);
}

void SignIn::rejected(const SyncError &reason)
{
    QMetaObject::invokeMethod(this, [this, reason] { forget(reason); }, Qt::QueuedConnection);
}

void SignIn::request(QPointer<QObject> context, CredentialDone done)
{
    m_waiting.append({context, std::move(done)});
    if (m_fetching)
        return;
    m_fetching = true;
    fetch([this](const SyncError &error, const Credential &credential) {
        m_fetching = false;
        const QVector<Waiter> waiting = std::exchange(m_waiting, {});
        for (const Waiter &w : waiting) {
            if (!w.context)
                continue;
            QMetaObject::invokeMethod(w.context, [done = w.done, error, credential] { done(error, credential); },
                                      Qt::QueuedConnection);
        }
    });
}

PasswordSignIn::PasswordSignIn(const QString &username, const QString &secretKey, QObject *parent)
    : SignIn(parent)
    , m_username(username)
    , m_key(secretKey)
{
}

QString PasswordSignIn::keyForImap(const QString &username, const QString &host, quint16 port)
{
    return QStringLiteral("imap:%1@%2:%3").arg(username, host.toLower()).arg(port);
}

void PasswordSignIn::fetch(CredentialDone done)
{
    if (!m_sessionPassword.isEmpty()) {
        done(SyncError(), Credential{m_username, m_sessionPassword, {}});
        return;
    }
    auto *secrets = new SecretStore(this);
    secrets->read(m_key, [this, secrets, done](const SyncError &e, const QByteArray &data) {
        secrets->deleteLater();
        done(e, e.isError() ? Credential() : Credential{m_username, QString::fromUtf8(data), {}});
    });
}

} // namespace Lookback
