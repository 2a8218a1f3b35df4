#include "archive/foldertreemodel.h"

#include "archive/archivestore.h"
#include "plaintext.h"

#include <QApplication>
#include <QFont>
#include <QIcon>
#include <QLocale>
#include <QStyle>

namespace Lookback::Ui {

// Index layout: top-level rows are All mail (row 0) and the connections
// (row 1 + i), with internalId 0. A folder's internalId is its connection's
// top-level row, so parent() needs no lookup.

FolderTreeModel::FolderTreeModel(ArchiveStore *store, QObject *parent)
    : QAbstractItemModel(parent)
    , m_store(store)
{
    reload();
}

QString FolderTreeModel::folderLabel(const QString &role)
{
    if (role == QLatin1String("inbox"))
        return tr("Inbox");
    if (role == QLatin1String("sent"))
        return tr("Sent");
    return role;
}

QVector<FolderTreeModel::ConnectionNode> FolderTreeModel::read() const
{
    QVector<ConnectionNode> nodes;
    if (!m_store || !m_store->isOpen())
        return nodes;
    for (const ConnectionRecord &c : m_store->connections()) {
        ConnectionNode node;
        node.connection = c;
        node.count = qMax<qint64>(0, m_store->messageCount(c.id));
        for (const FolderRecord &f : m_store->folders(c.id)) {
            node.folders.append(FolderNode{f.role, f.remoteName, qMax<qint64>(0, m_store->messageCount(c.id, f.role))});
        }
        // Inbox before Sent whatever the database order.
        std::stable_sort(node.folders.begin(), node.folders.end(), [](const FolderNode &a, const FolderNode &b) {
            auto rank = [](const QString &r) { return r == QLatin1String("inbox") ? 0 : r == QLatin1String("sent") ? 1 : 2; };
            return rank(a.role) < rank(b.role);
        });
        nodes.append(node);
    }
    return nodes;
}

bool FolderTreeModel::sameShape(const QVector<ConnectionNode> &a, const QVector<ConnectionNode> &b)
{
    if (a.size() != b.size())
        return false;
    for (int i = 0; i < a.size(); ++i) {
        if (a[i].connection.id != b[i].connection.id || a[i].folders.size() != b[i].folders.size())
            return false;
        for (int j = 0; j < a[i].folders.size(); ++j) {
            if (a[i].folders[j].role != b[i].folders[j].role)
                return false;
        }
    }
    return true;
}

void FolderTreeModel::reload()
{
    QVector<ConnectionNode> fresh = read();
    qint64 total = 0;
    for (const ConnectionNode &n : fresh)
        total += n.count;
    if (!sameShape(m_connections, fresh)) {
        beginResetModel();
        m_connections = fresh;
        m_total = total;
        endResetModel();
        return;
    }
    // Same tree: update in place so the view keeps selection and expansion.
    const bool totalChanged = total != m_total;
    m_total = total;
    if (totalChanged)
        emit dataChanged(index(0, 0), index(0, ColumnCount - 1));
    for (int i = 0; i < fresh.size(); ++i) {
        const ConnectionNode old = m_connections.at(i);
        m_connections[i] = fresh.at(i);
        const QModelIndex top = index(i + 1, 0);
        if (old.count != fresh[i].count || old.connection.name != fresh[i].connection.name
            || old.connection.health != fresh[i].connection.health
            || old.connection.healthDetail != fresh[i].connection.healthDetail)
            emit dataChanged(top, index(i + 1, ColumnCount - 1));
        for (int j = 0; j < fresh[i].folders.size(); ++j) {
            if (old.folders[j].count != fresh[i].folders[j].count
                || old.folders[j].remoteName != fresh[i].folders[j].remoteName)
                emit dataChanged(index(j, 0, top), index(j, ColumnCount - 1, top));
        }
    }
}

QModelIndex FolderTreeModel::allMailIndex() const
{
    return index(0, 0);
}

QModelIndex FolderTreeModel::connectionIndex(qint64 connectionId) const
{
    for (int i = 0; i < m_connections.size(); ++i) {
        if (m_connections.at(i).connection.id == connectionId)
            return index(i + 1, 0);
    }
    return QModelIndex();
}

QModelIndex FolderTreeModel::folderIndex(qint64 connectionId, const QString &role) const
{
    const QModelIndex parent = connectionIndex(connectionId);
    if (!parent.isValid())
        return QModelIndex();
    const QVector<FolderNode> &folders = m_connections.at(parent.row() - 1).folders;
    for (int j = 0; j < folders.size(); ++j) {
        if (folders.at(j).role == role)
            return index(j, 0, parent);
    }
    return QModelIndex();
}

QModelIndex FolderTreeModel::indexFor(qint64 connectionId, const QString &role) const
{
    if (connectionId <= 0)
        return allMailIndex();
    return role.isEmpty() ? connectionIndex(connectionId) : folderIndex(connectionId, role);
}

ConnectionRecord FolderTreeModel::connection(qint64 connectionId) const
{
    for (const ConnectionNode &node : m_connections) {
        if (node.connection.id == connectionId)
            return node.connection;
    }
    return ConnectionRecord();
}

QString FolderTreeModel::scopeName(const QModelIndex &index) const
{
    if (!index.isValid())
        return QString();
    const QModelIndex first = index.siblingAtColumn(NameColumn);
    if (first.parent().isValid()) {
        //: A folder of a connection, e.g. "Inbox · Work"
        return tr("%1 · %2").arg(first.data().toString(), first.parent().data().toString());
    }
    return first.data().toString();
}

QModelIndex FolderTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return QModelIndex();
    if (!parent.isValid())
        return createIndex(row, column, quintptr(0));
    return createIndex(row, column, quintptr(parent.row()));
}

QModelIndex FolderTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return QModelIndex();
    return createIndex(int(child.internalId()), 0, quintptr(0));
}

int FolderTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return 1 + int(m_connections.size());
    if (parent.column() != 0 || parent.internalId() != 0 || parent.row() < 1)
        return 0;
    return int(m_connections.at(parent.row() - 1).folders.size());
}

int FolderTreeModel::columnCount(const QModelIndex &parent) const
{
    Q_UNUSED(parent)
    return ColumnCount;
}

QVariant FolderTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return QVariant();
    NodeKind kind = NodeKind::AllMail;
    const ConnectionNode *connection = nullptr;
    const FolderNode *folder = nullptr;
    if (index.internalId() != 0) {
        kind = NodeKind::Folder;
        connection = &m_connections.at(int(index.internalId()) - 1);
        folder = &connection->folders.at(index.row());
    } else if (index.row() > 0) {
        kind = NodeKind::Connection;
        connection = &m_connections.at(index.row() - 1);
    }
    const qint64 count = folder ? folder->count : connection ? connection->count : m_total;
    QString name;
    switch (kind) {
    case NodeKind::AllMail: name = tr("All mail"); break;
    case NodeKind::Connection: name = connection->connection.name; break;
    case NodeKind::Folder: name = folderLabel(folder->role); break;
    }

    switch (role) {
    case NodeKindRole: return int(kind);
    case ConnectionIdRole: return connection ? connection->connection.id : qint64(0);
    case FolderRoleRole: return folder ? folder->role : QString();
    case CountRole: return count;
    case ConnectionKindRole: return connection ? providerKindName(connection->connection.kind) : QString();
    case Qt::AccessibleTextRole:
        return tr("%1, %Ln message(s)", nullptr, int(count)).arg(name);
    default: break;
    }

    if (index.column() == CountColumn) {
        if (role == Qt::DisplayRole)
            return QLocale().toString(count);
        if (role == Qt::TextAlignmentRole)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        if (role == Qt::ToolTipRole)
            return tr("%Ln message(s)", nullptr, int(count));
        return QVariant();
    }
    switch (role) {
    case Qt::DisplayRole:
        return name;
    case Qt::ToolTipRole:
        if (kind == NodeKind::Folder)
            return plainToolTip(tr("%1 (on the server: %2)").arg(name, folder->remoteName));
        if (kind == NodeKind::Connection) {
            const ConnectionRecord &c = connection->connection;
            QString tip = c.username.isEmpty() ? c.name : tr("%1 — %2").arg(c.name, c.username);
            if (!c.healthDetail.isEmpty())
                tip += QLatin1Char('\n') + c.healthDetail;
            return plainToolTip(tip); // the detail is a server's words
        }
        return tr("Every archived message of every connection");
    case Qt::DecorationRole: {
        QStyle *style = QApplication::style();
        switch (kind) {
        case NodeKind::AllMail: return style->standardIcon(QStyle::SP_DirHomeIcon);
        case NodeKind::Connection: return style->standardIcon(QStyle::SP_DriveNetIcon);
        case NodeKind::Folder: return style->standardIcon(QStyle::SP_DirIcon);
        }
        break;
    }
    case Qt::FontRole:
        if (kind != NodeKind::Folder) {
            QFont font;
            font.setBold(true);
            return font;
        }
        break;
    default:
        break;
    }
    return QVariant();
}

QVariant FolderTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case NameColumn: return tr("Folder");
    case CountColumn: return tr("Messages");
    }
    return QVariant();
}

} // namespace Lookback::Ui
