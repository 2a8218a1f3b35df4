#pragma once

#include "archive/records.h"

#include <QAbstractItemModel>

namespace Lookback {
class ArchiveStore;
}

namespace Lookback::Ui {

// The archive browser's left pane: "All mail", then every connection with its
// folders (Inbox, Sent), each with its message count.
//
//   All mail            12,345
//   Work                10,000
//     Inbox              8,000
//     Sent               2,100   (a message in both counts in both)
//
// Thread: GUI; reads the GUI thread's ArchiveStore, which must outlive it.
// Owner: the ArchiveBrowser.
class FolderTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, CountColumn, ColumnCount };
    enum class NodeKind { AllMail, Connection, Folder };
    enum Role {
        NodeKindRole = Qt::UserRole + 1, // int(NodeKind)
        ConnectionIdRole,                // 0 for All mail
        FolderRoleRole,                  // "inbox", "sent"; empty for All mail and connections
        CountRole,                       // qint64
        ConnectionKindRole,              // "imap", "gmail", ...
    };

    explicit FolderTreeModel(ArchiveStore *store, QObject *parent = nullptr);

    // Reads connections, folders and counts again. Counts that changed are
    // updated in place; a new or removed connection or folder resets the model.
    void reload();

    QModelIndex allMailIndex() const;
    QModelIndex connectionIndex(qint64 connectionId) const;
    QModelIndex folderIndex(qint64 connectionId, const QString &role) const;
    // The index for (connectionId, role) with the meaning of the roles above.
    QModelIndex indexFor(qint64 connectionId, const QString &role) const;
    // The connection as last read by reload(); a default record if unknown.
    ConnectionRecord connection(qint64 connectionId) const;
    // Human name of a node: "All mail", "Work", "Inbox · Work".
    QString scopeName(const QModelIndex &index) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString folderLabel(const QString &role);

private:
    struct FolderNode
    {
        QString role;
        QString remoteName;
        qint64 count = 0;
    };
    struct ConnectionNode
    {
        ConnectionRecord connection;
        qint64 count = 0;
        QVector<FolderNode> folders;
    };
    QVector<ConnectionNode> read() const;
    static bool sameShape(const QVector<ConnectionNode> &a, const QVector<ConnectionNode> &b);

    ArchiveStore *m_store;
    QVector<ConnectionNode> m_connections;
    qint64 m_total = 0;
};

} // namespace Lookback::Ui
