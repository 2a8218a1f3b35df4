#pragma once

#include "archive/archivestore.h"
#include "dovecotserver.h"
#include "sync/syncservice.h"

#include <QSet>
#include <QTemporaryDir>
#include <functional>

namespace Lookback::Test {

// One sync run as a test asks for it: what, how, and the password to use
// (given as a session password, so no keychain is needed).
struct HarnessRequest
{
    TaskKind kind = TaskKind::Backfill;
    BackfillRange range;
    qint64 connectionId = 0;
    QString password;
    SyncOptions options;
};

// An archive in a temporary folder with one IMAP connection pointing at a
// DovecotServer (implicit TLS, its certificate trusted), and a way to run a
// sync to its end through the real SyncService from a test.
class BackfillHarness
{
public:
    explicit BackfillHarness(DovecotServer &server);

    bool init(QString *error);
    QString archivePath() const;
    qint64 connectionId() const { return m_connectionId; }
    // Test defaults: the first connect is not retried, three attempts in a
    // row without progress end a run, quick backoff, progress after every page.
    HarnessRequest request(const BackfillRange &range) const;
    HarnessRequest catchUp() const;
    // Changes the connection's stored settings (port, security, trust).
    bool editConnection(const std::function<void(ConnectionRecord &)> &edit);

    using OnProgress = std::function<void(SyncService &, const SyncProgress &)>;
    // Runs until `finished`; `onProgress` may command the service. Returns the final progress.
    SyncProgress run(const HarnessRequest &request, const OnProgress &onProgress = {}, int timeoutMs = 120000);

    // Message-IDs in the archive (with multiplicity: a duplicate row shows as a count > 1).
    QHash<QString, int> archivedMessageIds() const;
    qint64 archivedCount(const QString &role = QString()) const;

    // Runs a service over `archivePath` until every request finished (several
    // connections at once). Returns the final progress of each, by connection.
    static QHash<qint64, SyncProgress> runAll(const QString &archivePath, const QVector<HarnessRequest> &requests,
                                              const OnProgress &onProgress = {}, int timeoutMs = 120000);

private:
    DovecotServer &m_server;
    QTemporaryDir m_dir;
    qint64 m_connectionId = 0;
};

// A connection record for `server` (implicit TLS, its certificate trusted).
ConnectionRecord connectionFor(const DovecotServer &server, const QString &name);

} // namespace Lookback::Test
