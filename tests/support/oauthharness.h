// An account that signs in through the browser (Gmail, Microsoft 365) on a
// fake provider, signed in through the real browser step and backfilled
// through the real SyncService, as the tests of those providers need it.
#pragma once

#include "backfillharness.h"

#include <QHash>
#include <QProcessEnvironment>
#include <QTemporaryDir>

namespace Lookback::Test {

// An archive in a temporary folder and a fake provider whose endpoints the
// process's environment points at (see environment()). The keychain is the
// test's KeyringSession (start one per process before signIn()).
//
// Thread: the test's. Owner: the test.
class OAuthHarness
{
public:
    explicit OAuthHarness(ProviderKind kind);
    virtual ~OAuthHarness(); // clears the environment it set

    // Starts the fake and sets the environment.
    bool init(QString *error);
    QString archivePath() const;
    QString dataDir() const { return m_dir.path(); }
    // The environment for a lookback-cli child: `base` plus the fake's endpoints and client.
    virtual QProcessEnvironment environment(const QProcessEnvironment &base) const = 0;

    // The browser step (followAuthorization() plays the browser) and the new
    // connection, through a SyncService on the archive. Returns its id, 0 on failure.
    qint64 signIn(const QString &name, QString *error);
    // The browser step again for a connection (SyncService::reconnectWithBrowser).
    bool reconnect(qint64 id, QString *error);

    // Test defaults as for IMAP (BackfillHarness::request), for this connection.
    HarnessRequest request(qint64 id, const BackfillRange &range) const;
    SyncProgress run(const HarnessRequest &request, const BackfillHarness::OnProgress &onProgress = {},
                     int timeoutMs = 120000);

    // Provider ids in the archive with how many rows each has (a duplicate shows as 2).
    QHash<QString, int> archivedProviderIds() const;
    // Folder roles ("inbox", "sent") each archived provider id lives in.
    QHash<QString, QStringList> locations() const;
    qint64 archivedCount(qint64 id, const QString &role = QString()) const;
    // The connection as the archive has it now.
    ConnectionRecord connection(qint64 id) const;

    // A crash mid-backfill, again and again: runs lookback-cli with `args`
    // (and `env`) once per threshold and kills it (SIGKILL) once the archive
    // holds that many messages; a run that ends first is not killed. Answers
    // how many runs were killed, or -1 and `why` when one did not start or
    // a message stood in the archive twice after a kill.
    int killCliAt(const QList<int> &thresholds, const QStringList &args, const QProcessEnvironment &env,
                  QString *why) const;

protected:
    virtual bool startFake(QString *error) = 0;

private:
    ProviderKind m_kind;
    QTemporaryDir m_dir;
    QStringList m_envSet;
};

} // namespace Lookback::Test
