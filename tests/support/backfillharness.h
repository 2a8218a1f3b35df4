#pragma once

#include "archive/archivestore.h"
#include "backfill/backfillcontroller.h"
#include "dovecotserver.h"

#include <QSet>
#include <QTemporaryDir>
#include <functional>

namespace Lookback::Test {

// An archive in a temporary folder with one IMAP connection pointing at a
// DovecotServer, and a way to run a backfill to its end from a test.
class BackfillHarness
{
public:
    explicit BackfillHarness(DovecotServer &server);

    bool init(QString *error);
    QString archivePath() const;
    qint64 connectionId() const { return m_connectionId; }
    BackfillRequest request(const BackfillRange &range) const;

    // Runs until `finished`; `onProgress` may command the controller. Returns the final progress.
    BackfillProgress run(const BackfillRequest &request,
                         const std::function<void(BackfillController &, const BackfillProgress &)> &onProgress = {},
                         int timeoutMs = 120000);

    // Message-IDs in the archive (with multiplicity: a duplicate row shows as a count > 1).
    QHash<QString, int> archivedMessageIds() const;
    qint64 archivedCount(const QString &role = QString()) const;

private:
    DovecotServer &m_server;
    QTemporaryDir m_dir;
    qint64 m_connectionId = 0;
};

} // namespace Lookback::Test
