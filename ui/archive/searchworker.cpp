#include "archive/searchworker.h"

#include "archive/archivestore.h"

#include <QThread>

namespace Lookback::Ui {

SearchWorker::SearchWorker(const QString &archivePath)
    : m_path(archivePath)
{
    qRegisterMetaType<Lookback::MessageSummary>();
    qRegisterMetaType<QVector<Lookback::MessageSummary>>();
}

SearchWorker::~SearchWorker() = default;

void SearchWorker::open()
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_store = std::make_unique<ArchiveStore>(m_path);
    SyncError error;
    if (!m_store->open(&error)) {
        m_openError = tr("The archive cannot be searched: %1").arg(error.message);
        m_store.reset();
    }
}

void SearchWorker::search(quint64 generation, const QString &text, qint64 connectionId, const QString &folderRole)
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_generation = generation;
    m_kind = Kind::Search;
    m_query = SearchQuery::parse(text);
    m_query.connectionId = connectionId;
    if (m_query.folderRole.isEmpty())
        m_query.folderRole = folderRole;
    start(generation);
}

void SearchWorker::correspondent(quint64 generation, qint64 connectionId, const QString &address)
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_generation = generation;
    m_kind = Kind::Correspondent;
    m_connectionId = connectionId;
    m_address = address;
    start(generation);
}

void SearchWorker::start(quint64 generation)
{
    // Behind the requests already queued: if a newer one is among them, this
    // one is stale by the time it runs, and costs nothing.
    QMetaObject::invokeMethod(this, [this, generation] {
        if (generation == m_generation)
            sendPage(generation, 0);
    }, Qt::QueuedConnection);
}

void SearchWorker::fetchMore(quint64 generation, int offset)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (generation == m_generation)
        sendPage(generation, offset);
}

QVector<MessageSummary> SearchWorker::read(int limit, int offset, QString *error)
{
    if (!m_store) {
        *error = m_openError;
        return {};
    }
    switch (m_kind) {
    case Kind::Search: {
        SyncError e;
        QVector<MessageSummary> rows = m_store->search(m_query, limit, offset, &e);
        if (e.isError())
            *error = e.message;
        return rows;
    }
    case Kind::Correspondent:
        return m_store->correspondent(m_connectionId, m_address, limit, offset);
    case Kind::None:
        break;
    }
    return {};
}

void SearchWorker::sendPage(quint64 generation, int offset)
{
    QString error;
    // One row more than a page tells whether there is a next page without
    // a second query.
    QVector<MessageSummary> rows = read(PageSize + 1, offset, &error);
    if (!error.isEmpty()) {
        emit failed(generation, error);
        emit pageReady(generation, offset, {}, false);
        return;
    }
    const bool more = rows.size() > PageSize;
    if (more)
        rows.resize(PageSize);
    emit pageReady(generation, offset, rows, more);
    if (offset != 0)
        return;
    if (!more) {
        emit counted(generation, rows.size());
        return;
    }
    m_countOffset = 0;
    QMetaObject::invokeMethod(this, [this, generation] { countChunk(generation); }, Qt::QueuedConnection);
}

void SearchWorker::countChunk(quint64 generation)
{
    if (generation != m_generation)
        return; // a newer request came in: nobody waits for this count
    QString error;
    const int got = int(read(CountChunk, m_countOffset, &error).size());
    if (!error.isEmpty())
        return;
    m_countOffset += got;
    if (got < CountChunk) {
        emit counted(generation, m_countOffset);
        return;
    }
    QMetaObject::invokeMethod(this, [this, generation] { countChunk(generation); }, Qt::QueuedConnection);
}

} // namespace Lookback::Ui
