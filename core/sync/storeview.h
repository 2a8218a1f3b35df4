#pragma once

#include "source/archiveview.h"

#include <QDateTime>

namespace Lookback {

class ArchiveStore;

// The read-only ArchiveView a sync task hands its source, over the task's
// own read connection to the archive.
//
// Thread: the task's thread. Owner: the task.
class StoreView : public ArchiveView
{
public:
    // `runStartedAt`: failures recorded since then are "this run's".
    StoreView(ArchiveStore *store, const QDateTime &runStartedAt);

    QVector<quint32> archivedUids(qint64 folderId, quint32 uidValidity) override;
    QSet<QString> knownProviderIds(qint64 connectionId, const QStringList &providerIds) override;
    QVector<bool> findArchived(const QVector<MessageRecord> &candidates) override;
    QVector<CoverageInterval> coverage(qint64 folderId) override;
    qint64 forgottenUidCount(qint64 folderId) override;
    QSet<QString> unreadableThisRun(qint64 folderId) override;

    void setRunStart(const QDateTime &at) { m_runStartedAt = at; }

private:
    ArchiveStore *m_store;
    QDateTime m_runStartedAt;
};

} // namespace Lookback
