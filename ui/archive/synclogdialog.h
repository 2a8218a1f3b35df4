#pragma once

#include <QDialog>
#include <memory>

class QLabel;
class QTableView;

namespace Lookback {
class ArchiveStore;
}

namespace Lookback::Ui {

class SyncRunModel;

// "Sync log" of one connection: every backfill and live-sync run with its
// start, end, kind, messages fetched, outcome and message. Reads the archive
// through its own ArchiveStore, opened once on the GUI thread; Refresh reads
// the log again.
// Thread: GUI. Owner: the caller (a non-modal dialog may use WA_DeleteOnClose).
class SyncLogDialog : public QDialog
{
    Q_OBJECT
public:
    SyncLogDialog(const QString &archivePath, qint64 connectionId, const QString &connectionName,
                  QWidget *parent = nullptr);
    ~SyncLogDialog() override;

    void refresh();
    SyncRunModel *model() const { return m_model; }

private:
    std::unique_ptr<ArchiveStore> m_store;
    QString m_openError;
    qint64 m_connectionId;
    SyncRunModel *m_model;
    QTableView *m_table;
    QLabel *m_status;
};

} // namespace Lookback::Ui
