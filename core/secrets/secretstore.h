#pragma once

#include "common/syncerror.h"

#include <QByteArray>
#include <QObject>
#include <functional>

namespace Lookback {

// Secrets (passwords, refresh tokens) in the OS keychain through QtKeychain,
// and nowhere else: never the archive, settings or logs.
//
// Large secrets are split into 2048-byte chunks under key, key.1, key.2, ...
// (Windows' credential store holds 2,560 bytes per entry in QtKeychain 0.13).
// Insecure fallback is never enabled.
//
// Thread: any thread with an event loop; the callbacks run on that thread.
// QtKeychain jobs are created without a parent and delete themselves when
// done: with libsecret, a job deleted while its D-Bus call is pending is called
// back after it was freed. A SecretStore that dies first just never hears back.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    static constexpr int kChunkSize = 2048;
    static constexpr int kMaxChunks = 16;

    explicit SecretStore(QObject *parent = nullptr);

    static QString serviceName();

    void write(const QString &key, const QByteArray &secret, std::function<void(const SyncError &)> done);
    void read(const QString &key, std::function<void(const SyncError &, const QByteArray &)> done);
    void remove(const QString &key, std::function<void(const SyncError &)> done);

    // Blocking forms for the command line (they spin a local event loop).
    static SyncError writeNow(const QString &key, const QByteArray &secret);
    static SyncError readNow(const QString &key, QByteArray *secret);
    static SyncError removeNow(const QString &key);

private:
    void writeChunk(const QString &key, QByteArray secret, int index, int attempt,
                    std::function<void(const SyncError &)> done);
    void readChunk(const QString &key, int index, QByteArray soFar, int attempt,
                   std::function<void(const SyncError &, const QByteArray &)> done);
    void removeChunk(const QString &key, int index, std::function<void(const SyncError &)> done);
};

} // namespace Lookback
