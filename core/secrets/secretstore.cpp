#include "secretstore.h"

#include "common/logging.h"

#include <QEventLoop>
#include <QTimer>
#include <qt6keychain/keychain.h>

namespace Lookback {

namespace {

QString chunkKey(const QString &key, int index)
{
    return index == 0 ? key : key + QLatin1Char('.') + QString::number(index);
}

SyncError keychainError(QKeychain::Error code, const QString &text)
{
    switch (code) {
    case QKeychain::NoError:
        return {};
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return SyncError::make(ErrorCategory::Keychain,
                               QObject::tr("The keychain is locked or refused access: %1").arg(text));
    default:
        // QtKeychain 0.13 with libsecret reports "no Secret Service" as OtherError.
        return SyncError::make(ErrorCategory::Keychain,
                               QObject::tr("No usable keychain (Secret Service): %1").arg(text));
    }
}

} // namespace

SecretStore::SecretStore(QObject *parent)
    : QObject(parent)
{
}

QString SecretStore::serviceName()
{
    return QStringLiteral("Lookback");
}

void SecretStore::write(const QString &key, const QByteArray &secret, std::function<void(const SyncError &)> done)
{
    if (secret.size() > kChunkSize * kMaxChunks) {
        done(SyncError::make(ErrorCategory::Keychain, tr("The secret is too large for the keychain")));
        return;
    }
    writeChunk(key, secret, 0, 1, std::move(done));
}

void SecretStore::writeChunk(const QString &key, QByteArray secret, int index, int attempt,
                             std::function<void(const SyncError &)> done)
{
    const QByteArray part = secret.mid(index * kChunkSize, kChunkSize);
    auto *job = new QKeychain::WritePasswordJob(serviceName()); // no parent: see the note in secretstore.h
    job->setKey(chunkKey(key, index));
    job->setInsecureFallback(false);
    job->setBinaryData(part);
    connect(job, &QKeychain::Job::finished, this, [=](QKeychain::Job *j) {
        if (j->error() == QKeychain::OtherError && attempt == 1) {
            // The keyring daemon may still be starting: try once more shortly.
            QTimer::singleShot(1000, this, [=] { writeChunk(key, secret, index, 2, done); });
            return;
        }
        if (j->error() != QKeychain::NoError) {
            qCWarning(lcSecrets) << "keychain write failed:" << j->errorString();
            done(keychainError(j->error(), j->errorString()));
            return;
        }
        if ((index + 1) * kChunkSize < secret.size()) {
            writeChunk(key, secret, index + 1, 1, done);
            return;
        }
        // Drop chunks left over from a longer secret written before.
        removeChunk(key, index + 1, [done](const SyncError &) { done(SyncError()); });
    });
    job->start();
}

void SecretStore::read(const QString &key, std::function<void(const SyncError &, const QByteArray &)> done)
{
    readChunk(key, 0, QByteArray(), 1, std::move(done));
}

void SecretStore::readChunk(const QString &key, int index, QByteArray soFar, int attempt,
                            std::function<void(const SyncError &, const QByteArray &)> done)
{
    auto *job = new QKeychain::ReadPasswordJob(serviceName());
    job->setKey(chunkKey(key, index));
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this, [=](QKeychain::Job *j) {
        auto *r = static_cast<QKeychain::ReadPasswordJob *>(j);
        if (r->error() == QKeychain::EntryNotFound) {
            if (index == 0)
                done(SyncError::make(ErrorCategory::AuthExpired, tr("No password is stored for this connection")), {});
            else
                done(SyncError(), soFar);
            return;
        }
        if (r->error() == QKeychain::OtherError && attempt == 1) {
            QTimer::singleShot(1000, this, [=] { readChunk(key, index, soFar, 2, done); });
            return;
        }
        if (r->error() != QKeychain::NoError) {
            done(keychainError(r->error(), r->errorString()), {});
            return;
        }
        const QByteArray part = r->binaryData();
        if (part.size() < kChunkSize || index + 1 >= kMaxChunks) {
            done(SyncError(), soFar + part);
            return;
        }
        readChunk(key, index + 1, soFar + part, 1, done);
    });
    job->start();
}

void SecretStore::remove(const QString &key, std::function<void(const SyncError &)> done)
{
    removeChunk(key, 0, std::move(done));
}

void SecretStore::removeChunk(const QString &key, int index, std::function<void(const SyncError &)> done)
{
    if (index >= kMaxChunks) {
        done(SyncError());
        return;
    }
    auto *job = new QKeychain::DeletePasswordJob(serviceName());
    job->setKey(chunkKey(key, index));
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this, [=](QKeychain::Job *j) {
        if (j->error() == QKeychain::EntryNotFound) {
            done(SyncError());
            return;
        }
        if (j->error() != QKeychain::NoError) {
            done(keychainError(j->error(), j->errorString()));
            return;
        }
        removeChunk(key, index + 1, done);
    });
    job->start();
}

namespace {
// Runs one asynchronous SecretStore call to its end on a local event loop.
template<typename Call>
SyncError runNow(Call call)
{
    SecretStore store;
    QEventLoop loop;
    SyncError result;
    bool done = false;
    call(store, [&](const SyncError &e) {
        result = e;
        done = true;
        loop.quit();
    });
    if (!done)
        loop.exec();
    return result;
}
} // namespace

SyncError SecretStore::writeNow(const QString &key, const QByteArray &secret)
{
    return runNow([&](SecretStore &s, auto finished) { s.write(key, secret, finished); });
}

SyncError SecretStore::readNow(const QString &key, QByteArray *secret)
{
    return runNow([&](SecretStore &s, auto finished) {
        s.read(key, [secret, finished](const SyncError &e, const QByteArray &data) {
            *secret = data;
            finished(e);
        });
    });
}

SyncError SecretStore::removeNow(const QString &key)
{
    return runNow([&](SecretStore &s, auto finished) { s.remove(key, finished); });
}

} // namespace Lookback
