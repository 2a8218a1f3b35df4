#pragma once

#include "archive/records.h"
#include "archive/searchquery.h"

#include <QObject>
#include <QVector>
#include <memory>

namespace Lookback {
class ArchiveStore;
}

namespace Lookback::Ui {

// Runs the archive browser's searches and correspondent lists off the GUI
// thread, so typing never waits for SQLite.
//
// Thread: lives on its own QThread (moved there by the ArchiveBrowser);
// every slot runs on that thread. It opens its own ArchiveStore in open(),
// on that thread (one QSqlDatabase per thread). Created without a parent;
// deleted by QThread::finished -> deleteLater, which also closes the store
// on its own thread.
//
// Requests carry a generation number; a newer request makes every older one
// stale. A request only records what to do and queues the work behind
// whatever requests are already waiting, so a burst of keystrokes that
// queued up while a search ran costs one search, not one per keystroke.
// Stale work is dropped here, and the browser drops any stale result that was
// already on its way.
//
// Results: pageReady() with the rows from `offset`, then, if there are more
// than a page, counted() once the total is known (counted in chunks, one per
// event-loop turn, so a new request is never kept waiting by a count).
class SearchWorker : public QObject
{
    Q_OBJECT
public:
    static constexpr int PageSize = 200;
    static constexpr int CountChunk = 10000;

    explicit SearchWorker(const QString &archivePath);
    ~SearchWorker() override;

public slots:
    // [worker thread] Opens the worker's own ArchiveStore.
    void open();
    // [worker thread] A search typed by the user, limited to connectionId
    // (0: all) and to folderRole when the text has no in: of its own.
    void search(quint64 generation, const QString &text, qint64 connectionId, const QString &folderRole);
    // [worker thread] Both sides of the conversation with one address.
    void correspondent(quint64 generation, qint64 connectionId, const QString &address);
    // [worker thread] The next page of the current request.
    void fetchMore(quint64 generation, int offset);

signals:
    void pageReady(quint64 generation, int offset, const QVector<Lookback::MessageSummary> &rows, bool more);
    void counted(quint64 generation, qint64 total);
    void failed(quint64 generation, const QString &message);

private:
    enum class Kind { None, Search, Correspondent };
    void start(quint64 generation);
    void sendPage(quint64 generation, int offset);
    void countChunk(quint64 generation);
    QVector<MessageSummary> read(int limit, int offset, QString *error);

    QString m_path;
    std::unique_ptr<ArchiveStore> m_store;
    QString m_openError;
    quint64 m_generation = 0;
    Kind m_kind = Kind::None;
    SearchQuery m_query;
    qint64 m_connectionId = 0;
    QString m_address;
    int m_countOffset = 0;
};

} // namespace Lookback::Ui
