#pragma once

#include "archive/records.h"
#include "common/syncerror.h"

#include <QObject>
#include <memory>

namespace Lookback {

class ArchiveStore;

// Commits pages for a BackfillWorker on a thread of its own, so the worker
// keeps reading the socket and asking for the next page while SQLite writes.
// Pages are written in the order they arrive, each with its cursor in one
// transaction (ArchiveStore::storePage), exactly as before.
//
// Thread: its own QThread, owned by the worker; opens its own ArchiveStore there.
class PageWriter : public QObject
{
    Q_OBJECT
public:
    explicit PageWriter(const QString &archivePath);
    ~PageWriter() override;

public slots:
    void write(const QVector<Lookback::MessageRecord> &messages, const Lookback::FolderCursor &cursor,
               qint64 jobFetched);

signals:
    void written(const Lookback::FolderCursor &cursor, qint64 jobFetched, const Lookback::SyncError &error);

private:
    QString m_path;
    std::unique_ptr<ArchiveStore> m_store;
};

} // namespace Lookback

Q_DECLARE_METATYPE(Lookback::FolderCursor)
