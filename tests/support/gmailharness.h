// A Gmail account on the Google fake, signed in through the real browser step
// and backfilled through the real SyncService, as the Gmail tests need it.
#pragma once

#include "backfillharness.h"
#include "googlefake.h"

#include <QHash>
#include <QProcessEnvironment>
#include <QTemporaryDir>

namespace Lookback::Test {

// An archive in a temporary folder and a GoogleFake whose endpoints the
// process's environment points at (LOOKBACK_GOOGLE_AUTH_URL, _TOKEN_URL,
// LOOKBACK_GMAIL_API_URL, and the fake's client as LOOKBACK_GOOGLE_CLIENT_ID /
// _SECRET). The keychain is the test's KeyringSession (start one per process
// before signIn()).
//
// Thread: the test's. Owner: the test.
class GmailHarness
{
public:
    GmailHarness();
    ~GmailHarness(); // clears the environment it set

    bool init(QString *error);
    GoogleFake &fake() { return m_fake; }
    QString archivePath() const;
    QString dataDir() const { return m_dir.path(); }
    // The environment for a lookback-cli child: `base` plus the fake's endpoints and client.
    QProcessEnvironment environment(const QProcessEnvironment &base) const;

    // Adds `count` messages to the fake, one every `spacingSecs` back from
    // `newest`, with these labels; returns their ids, newest first.
    QStringList addMessages(int count, const QStringList &labels, const QDateTime &newest, int spacingSecs,
                            const QString &tag);

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

private:
    GoogleFake m_fake;
    QTemporaryDir m_dir;
    QStringList m_envSet;
};

} // namespace Lookback::Test
