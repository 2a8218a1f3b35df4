#pragma once

#include "archive/records.h"

#include <QSet>
#include <QStringList>
#include <QVector>

namespace Lookback {

// What a source may know of the archive: which of its messages are there
// already. Read-only; no SQL crosses it. The sync engine implements it over
// its own read connection (StoreView).
//
// Thread: the sync task's thread, like the source that uses it.
class ArchiveView
{
public:
    virtual ~ArchiveView() = default;

    // IMAP: UIDs of this folder archived under this UIDVALIDITY, ascending.
    virtual QVector<quint32> archivedUids(qint64 folderId, quint32 uidValidity) = 0;
    // Of these provider ids, those archived for the connection.
    virtual QSet<QString> knownProviderIds(qint64 connectionId, const QStringList &providerIds) = 0;
    // For each candidate (identity fields filled: providerId, messageId, sentAt,
    // size, subject, fromAddress): is it archived already, under its provider
    // id or as the same message (ArchiveStore's identity rule)?
    virtual QVector<bool> findArchived(const QVector<MessageRecord> &candidates) = 0;
    // Which received dates of a folder are completely archived.
    virtual QVector<CoverageInterval> coverage(qint64 folderId) = 0;
    // IMAP: how many archived messages of this folder lost their UID when the
    // server renumbered it (they are matched by content, not downloaded again).
    virtual qint64 forgottenUidCount(qint64 folderId) = 0;
    // Provider ids of this folder found unreadable since the current run
    // began: not asked for again until the next run.
    virtual QSet<QString> unreadableThisRun(qint64 folderId) = 0;
};

} // namespace Lookback
