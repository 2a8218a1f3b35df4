#pragma once

#include "archive/records.h"

#include <QAbstractTableModel>

namespace Lookback::Ui {

// The sync log as a table: one row per run (newest first, as
// ArchiveStore::runs() returns them). The outcome is shown as a word, an icon
// and a colour, never by colour alone.
// Thread: GUI. Owner: the SyncLogDialog.
class SyncRunModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { StartedColumn, EndedColumn, KindColumn, FetchedColumn, OutcomeColumn, MessageColumn, ColumnCount };
    enum Role { OutcomeRole = Qt::UserRole + 1 }; // the stored outcome name: "complete", "failed", ...

    explicit SyncRunModel(QObject *parent = nullptr);

    void setRuns(const QVector<SyncRunRecord> &runs);
    SyncRunRecord run(int row) const;

    static QString outcomeLabel(const QString &outcome);
    static QString kindLabel(const QString &kind);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVector<SyncRunRecord> m_runs;
};

} // namespace Lookback::Ui
