#include "storeview.h"

#include "archive/archivestore.h"


namespace Lookback {

StoreView::StoreView(ArchiveStore *store, const QDateTime &runStartedAt)
    : m_store(store)
    , m_runStartedAt(runStartedAt)
{
}

QVector<quint32> StoreView::archivedUids(qint64 folderId, quint32 uidValidity)
{
    return m_store->archivedUids(folderId, uidValidity);
}

QSet<QString> StoreView::knownProviderIds(qint64 connectionId, const QStringList &providerIds)
{
    return m_store->knownProviderIds(connectionId, providerIds);
}

QVector<bool> StoreView::findArchived(const QVector<MessageRecord> &candidates)
{
    QVector<bool> result;
    result.reserve(candidates.size());
    for (const MessageRecord &m : candidates)
        result << (m_store->findArchived(m) > 0);
    return result;
}

QVector<CoverageInterval> StoreView::coverage(qint64 folderId)
{
    return m_store->coverage(folderId);
}

qint64 StoreView::forgottenUidCount(qint64 folderId)
{
    return m_store->forgottenUidCount(folderId);
}

QSet<QString> StoreView::unreadableThisRun(qint64 folderId)
{
    return m_store->unreadableSince(folderId, m_runStartedAt);
}

} // namespace Lookback
