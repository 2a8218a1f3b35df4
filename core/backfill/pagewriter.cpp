#include "pagewriter.h"

#include "archive/archivestore.h"

namespace Lookback {

PageWriter::PageWriter(const QString &archivePath)
    : m_path(archivePath)
{
}

PageWriter::~PageWriter() = default;

void PageWriter::write(const QVector<MessageRecord> &messages, const FolderCursor &cursor, qint64 jobFetched)
{
    SyncError error;
    if (!m_store) {
        // Opened on first use, on this thread: a QSqlDatabase belongs to the thread that opened it.
        m_store = std::make_unique<ArchiveStore>(m_path);
        if (!m_store->open(&error)) {
            m_store.reset();
            emit written(cursor, jobFetched, error);
            return;
        }
    }
    int inserted = 0;
    m_store->storePage(messages, cursor, jobFetched, &inserted, &error);
    emit written(cursor, jobFetched, error);
}

} // namespace Lookback
