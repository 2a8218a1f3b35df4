#pragma once

#include "common/syncerror.h"

#include <QByteArray>
#include <QObject>
#include <functional>

namespace Lookback {

// Secrets (passwords, refresh tokens) in the OS keychain through QtKeychain,
// and nowhere else: never the archive, settings or logs. Insecure fallback is
// never enabled.
//
// Windows' credential store holds 2,560 bytes per entry in QtKeychain 0.13, so
// a secret of kChunkSize bytes or more is stored in chunks — and a write must never
// leave old and new chunks mixed. Shorter secrets are one entry under
// `key`. Longer ones use two alternating generations of chunk entries,
// `key#a.0`, `key#a.1`, ... and `key#b.0`, ...; the entry under `key` is a
// small header naming the generation, the number of chunks and the SHA-256 of
// the whole secret. A write fills the generation the header does not name,
// then replaces the header (one entry: atomic), then removes the other
// generation. Whenever it stops, the header names a complete secret, old or
// new; a reader also checks the digest. (Secrets written by Lookback 0.1 as
// `key`, `key.1`, `key.2` ... are still read.)
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

    // Tests only: called with the keychain entry's name before each write job;
    // returning true makes that job fail as the keychain would (OtherError), so
    // a test can break a multi-entry write half way.
    static void setWriteFaultForTesting(std::function<bool(const QString &entry)> fault);

private:
    using Done = std::function<void(const SyncError &)>;
    using ReadDone = std::function<void(const SyncError &, const QByteArray &)>;
    void writeEntry(const QString &entry, const QByteArray &data, int attempt, Done done);
    void readEntry(const QString &entry, int attempt, ReadDone done); // EntryNotFound: AuthExpired error
    void removeEntry(const QString &entry, Done done);                // a missing entry is not an error
    void writeChunks(const QString &key, const QByteArray &secret, char generation, int index, Done done);
    void readChunks(const QString &key, char generation, int count, int index, QByteArray soFar, ReadDone done);
    void readLegacy(const QString &key, int index, QByteArray soFar, ReadDone done);
    // Removes chunk entries of a generation (or the legacy key.N ones) from `index` on, until one is missing.
    void removeChunks(const QString &key, char generation, int index, Done done);
};

} // namespace Lookback
