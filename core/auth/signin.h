#pragma once

#include "common/syncerror.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QVector>
#include <functional>
#include <memory>

namespace Lookback {

class RequestBudget;

// What a source presents to the provider. Lives in memory only, for as long
// as a connection attempt needs it; never stored, logged or put in a signal
// that leaves core.
struct Credential
{
    QString username;
    QString password;          // IMAP LOGIN / AUTHENTICATE PLAIN
    QByteArray accessToken;    // OAuth (XOAUTH2, HTTP bearer) when set
};

// One per account: hands every source that connects for that account a fresh
// credential. Requests are single-flight: while one is being fetched (the
// keychain read, later a token refresh), further requests wait for its answer.
// A shared mailbox holds a reference to its parent's SignIn, never a copy.
//
// Thread: lives on the thread that created it (SyncService's); credential()
// may be called from any thread and answers on the caller's `context` thread.
// Owner: SyncService.
class SignIn : public QObject
{
    Q_OBJECT
public:
    using CredentialDone = std::function<void(const SyncError &, const Credential &)>;

    explicit SignIn(QObject *parent = nullptr);

    // Thread-safe. `done` runs once on `context`'s thread, unless `context`
    // is destroyed first.
    void credential(QObject *context, CredentialDone done);
    // The provider refused what credential() handed out (login rejected, 401):
    // forget anything cached so the next request fetches anew. Thread-safe.
    void rejected(const SyncError &reason);

    // The account's request budget, shared by every source that uses this
    // sign-in (a shared mailbox uses its parent's); null when the provider has
    // no limits worth keeping (IMAP). Set once, before any source starts.
    std::shared_ptr<RequestBudget> budget() const { return m_budget; }
    void setBudget(std::shared_ptr<RequestBudget> budget) { m_budget = std::move(budget); }

protected:
    // On this object's thread, one at a time.
    virtual void fetch(CredentialDone done) = 0;
    virtual void forget(const SyncError &reason) { Q_UNUSED(reason) }

private:
    void request(QPointer<QObject> context, CredentialDone done);

    struct Waiter
    {
        QPointer<QObject> context;
        CredentialDone done;
    };
    QVector<Waiter> m_waiting;
    bool m_fetching = false;
    std::shared_ptr<RequestBudget> m_budget;
};

// A password in the OS keychain (IMAP). With a session password set (given
// for this run only: `--password-stdin`, "keep for this session"), that one
// is handed out and the keychain is not asked.
class PasswordSignIn : public SignIn
{
    Q_OBJECT
public:
    PasswordSignIn(const QString &username, const QString &secretKey, QObject *parent = nullptr);

    QString secretKey() const { return m_key; }
    void setSessionPassword(const QString &password) { m_sessionPassword = password; }
    void clearSessionPassword() { m_sessionPassword.clear(); }
    bool hasSessionPassword() const { return !m_sessionPassword.isEmpty(); }

    // The keychain key of an IMAP account's password.
    static QString keyForImap(const QString &username, const QString &host, quint16 port);

protected:
    void fetch(CredentialDone done) override;

private:
    QString m_username;
    QString m_key;
    QString m_sessionPassword;
};

} // namespace Lookback
