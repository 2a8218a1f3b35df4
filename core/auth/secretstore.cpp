#include "secretstore.h"

#include "common/logging.h"

#include <QCryptographicHash>
#include <QEventLoop>
#include <QTimer>
#include <qt6keychain/keychain.h>

namespace Lookback {

namespace {

// "\x01LBK1 <generation> <chunks> <sha256 hex>": never the start of a password.
const QByteArray kHeaderMagic = QByteArrayLiteral("\x01LBK1 ");
constexpr char kLegacy = 0; // "generation" of the 0.1 layout: key.1, key.2, ...

std::function<bool(const QString &)> &writeFault()
{
    static std::function<bool(const QString &)> fault;
    return fault;
}

QString chunkEntry(const QString &key, char generation, int index)
{
    if (generation == kLegacy)
        return key + QLatin1Char('.') + QString::number(index);
    return key + QLatin1Char('#') + QLatin1Char(generation) + QLatin1Char('.') + QString::number(index);
}

struct Header
{
    char generation = 0;
    int chunks = 0;
    QByteArray digest; // hex
};

bool parseHeader(const QByteArray &data, Header *out)
{
    if (!data.startsWith(kHeaderMagic))
        return false;
    const QList<QByteArray> parts = data.mid(kHeaderMagic.size()).split(' ');
    if (parts.size() != 3 || parts[0].size() != 1 || (parts[0][0] != 'a' && parts[0][0] != 'b'))
        return false;
    bool ok = false;
    out->generation = parts[0][0];
    out->chunks = parts[1].toInt(&ok);
    out->digest = parts[2];
    return ok && out->chunks > 0 && out->chunks <= SecretStore::kMaxChunks;
}

QByteArray digestOf(const QByteArray &secret)
{
    return QCryptographicHash::hash(secret, QCryptographicHash::Sha256).toHex();
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

SyncError notStored()
{
    return SyncError::make(ErrorCategory::AuthExpired, QObject::tr("No password is stored for this connection"));
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

void SecretStore::setWriteFaultForTesting(std::function<bool(const QString &)> fault)
{
    writeFault() = std::move(fault);
}

// ---- single entries --------------------------------------------------------

void SecretStore::writeEntry(const QString &entry, const QByteArray &data, int attempt, Done done)
{
    if (writeFault() && writeFault()(entry)) {
        QMetaObject::invokeMethod(this, [done] {
            done(keychainError(QKeychain::OtherError, QStringLiteral("injected failure")));
        }, Qt::QueuedConnection);
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(serviceName()); // no parent: see the note in secretstore.h
    job->setKey(entry);
    job->setInsecureFallback(false);
    job->setBinaryData(data);
    connect(job, &QKeychain::Job::finished, this, [=](QKeychain::Job *j) {
        if (j->error() == QKeychain::OtherError && attempt == 1) {
            // The keyring daemon may still be starting: try once more shortly.
            QTimer::singleShot(1000, this, [=] { writeEntry(entry, data, 2, done); });
            return;
        }
        if (j->error() != QKeychain::NoError) {
            qCWarning(lcSecrets) << "keychain write failed:" << j->errorString();
            done(keychainError(j->error(), j->errorString()));
            return;
        }
        done(SyncError());
    });
    job->start();
}

void SecretStore::readEntry(const QString &entry, int attempt, ReadDone done)
{
    auto *job = new QKeychain::ReadPasswordJob(serviceName());
    job->setKey(entry);
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this, [=](QKeychain::Job *j) {
        auto *r = static_cast<QKeychain::ReadPasswordJob *>(j);
        if (r->error() == QKeychain::EntryNotFound) {
            done(notStored(), {});
            return;
        }
        if (r->error() == QKeychain::OtherError && attempt == 1) {
            QTimer::singleShot(1000, this, [=] { readEntry(entry, 2, done); });
            return;
        }
        if (r->error() != QKeychain::NoError) {
            done(keychainError(r->error(), r->errorString()), {});
            return;
        }
        done(SyncError(), r->binaryData());
    });
    job->start();
}

void SecretStore::removeEntry(const QString &entry, Done done)
{
    auto *job = new QKeychain::DeletePasswordJob(serviceName());
    job->setKey(entry);
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this, [=](QKeychain::Job *j) {
        if (j->error() == QKeychain::EntryNotFound || j->error() == QKeychain::NoError) {
            done(SyncError());
            return;
        }
        done(keychainError(j->error(), j->errorString()));
    });
    job->start();
}

void SecretStore::removeChunks(const QString &key, char generation, int index, Done done)
{
    if (index >= kMaxChunks) {
        done(SyncError());
        return;
    }
    const QString entry = chunkEntry(key, generation, index);
    // Deleting a missing entry succeeds silently, so look first: the chunks of
    // a generation are contiguous, the first missing one ends them.
    readEntry(entry, 2, [=](const SyncError &e, const QByteArray &) {
        if (e.category == ErrorCategory::AuthExpired) { // not found
            done(SyncError());
            return;
        }
        removeEntry(entry, [=](const SyncError &e2) {
            if (e2.isError()) {
                done(e2);
                return;
            }
            removeChunks(key, generation, index + 1, done);
        });
    });
}

// ---- whole secrets -----------------------------------------------------------

void SecretStore::write(const QString &key, const QByteArray &secret, std::function<void(const SyncError &)> done)
{
    if (secret.size() > kChunkSize * kMaxChunks) {
        done(SyncError::make(ErrorCategory::Keychain, tr("The secret is too large for the keychain")));
        return;
    }
    // What is stored now decides which generation is free.
    readEntry(key, 1, [=](const SyncError &readError, const QByteArray &current) {
        if (readError.isError() && readError.category != ErrorCategory::AuthExpired) {
            done(readError);
            return;
        }
        Header old;
        const bool hadHeader = !readError.isError() && parseHeader(current, &old);
        // Removes what the new secret no longer uses, once it is in place.
        auto cleanUp = [=](char keepGeneration) {
            auto afterA = [=](const SyncError &) {
                auto afterB = [=](const SyncError &) {
                    // 0.1's layout (key.1, key.2, ...) after a long secret written then.
                    removeChunks(key, kLegacy, 1, [done](const SyncError &) { done(SyncError()); });
                };
                if (keepGeneration != 'b')
                    removeChunks(key, 'b', 0, afterB);
                else
                    afterB(SyncError());
            };
            if (keepGeneration != 'a')
                removeChunks(key, 'a', 0, afterA);
            else
                afterA(SyncError());
        };
        // Exactly kChunkSize bytes as one entry would read as the start of a 0.1 chunk list.
        if (secret.size() < kChunkSize && !secret.startsWith(kHeaderMagic)) {
            writeEntry(key, secret, 1, [=](const SyncError &e) {
                if (e.isError()) {
                    done(e);
                    return;
                }
                cleanUp(0);
            });
            return;
        }
        const char generation = hadHeader && old.generation == 'a' ? 'b' : 'a';
        // A failed write of an earlier attempt may have left chunks in the free generation.
        removeChunks(key, generation, 0, [=](const SyncError &e) {
            if (e.isError()) {
                done(e);
                return;
            }
            writeChunks(key, secret, generation, 0, [=](const SyncError &e2) {
                if (e2.isError()) {
                    done(e2); // the header still names the old, complete secret
                    return;
                }
                const int chunks = int((secret.size() + kChunkSize - 1) / kChunkSize);
                const QByteArray header = kHeaderMagic + QByteArray(1, generation) + ' ' + QByteArray::number(chunks)
                    + ' ' + digestOf(secret);
                writeEntry(key, header, 1, [=](const SyncError &e3) {
                    if (e3.isError()) {
                        done(e3);
                        return;
                    }
                    cleanUp(generation);
                });
            });
        });
    });
}

void SecretStore::writeChunks(const QString &key, const QByteArray &secret, char generation, int index, Done done)
{
    if (qsizetype(index) * kChunkSize >= secret.size()) {
        done(SyncError());
        return;
    }
    writeEntry(chunkEntry(key, generation, index), secret.mid(qsizetype(index) * kChunkSize, kChunkSize), 1,
               [=](const SyncError &e) {
        if (e.isError()) {
            done(e);
            return;
        }
        writeChunks(key, secret, generation, index + 1, done);
    });
}

void SecretStore::read(const QString &key, std::function<void(const SyncError &, const QByteArray &)> done)
{
    readEntry(key, 1, [=](const SyncError &e, const QByteArray &data) {
        if (e.isError()) {
            done(e, {});
            return;
        }
        Header header;
        if (parseHeader(data, &header)) {
            readChunks(key, header.generation, header.chunks, 0, QByteArray(), [=](const SyncError &e2, const QByteArray &secret) {
                if (e2.isError()) {
                    done(e2.category == ErrorCategory::AuthExpired
                             ? SyncError::make(ErrorCategory::Keychain, tr("The secret in the keychain is incomplete"))
                             : e2,
                         {});
                    return;
                }
                if (digestOf(secret) != header.digest) {
                    done(SyncError::make(ErrorCategory::Keychain, tr("The secret in the keychain is damaged")), {});
                    return;
                }
                done(SyncError(), secret);
            });
            return;
        }
        if (data.size() == kChunkSize) {
            readLegacy(key, 1, data, done); // maybe 0.1's key.1, key.2, ...
            return;
        }
        done(SyncError(), data);
    });
}

void SecretStore::readChunks(const QString &key, char generation, int count, int index, QByteArray soFar, ReadDone done)
{
    if (index >= count) {
        done(SyncError(), soFar);
        return;
    }
    readEntry(chunkEntry(key, generation, index), 1, [=](const SyncError &e, const QByteArray &part) {
        if (e.isError()) {
            done(e, {});
            return;
        }
        readChunks(key, generation, count, index + 1, soFar + part, done);
    });
}

void SecretStore::readLegacy(const QString &key, int index, QByteArray soFar, ReadDone done)
{
    if (index >= kMaxChunks) {
        done(SyncError(), soFar);
        return;
    }
    readEntry(chunkEntry(key, kLegacy, index), 1, [=](const SyncError &e, const QByteArray &part) {
        if (e.category == ErrorCategory::AuthExpired) { // no more chunks
            done(SyncError(), soFar);
            return;
        }
        if (e.isError()) {
            done(e, {});
            return;
        }
        if (part.size() < kChunkSize)
            done(SyncError(), soFar + part);
        else
            readLegacy(key, index + 1, soFar + part, done);
    });
}

void SecretStore::remove(const QString &key, std::function<void(const SyncError &)> done)
{
    removeEntry(key, [=](const SyncError &e) {
        if (e.isError()) {
            done(e);
            return;
        }
        removeChunks(key, 'a', 0, [=](const SyncError &) {
            removeChunks(key, 'b', 0, [=](const SyncError &) {
                removeChunks(key, kLegacy, 1, done);
            });
        });
    });
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
