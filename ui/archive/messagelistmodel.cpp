#include "archive/messagelistmodel.h"

#include "archive/browserformat.h"

#include <QApplication>
#include <QIcon>
#include <QLocale>
#include <QScopedValueRollback>
#include <QStyle>
#include <algorithm>

namespace Lookback::Ui {

namespace {


// The list order of folders, searches and correspondents (ArchiveStore's):
// received_at DESC, id DESC.
bool sortsBefore(const MessageSummary &a, const MessageSummary &b)
{
    if (a.receivedAt != b.receivedAt)
        return a.receivedAt > b.receivedAt;
    return a.id > b.id;
}

bool sameFlags(const MessageSummary &a, const MessageSummary &b)
{
    return a.inInbox == b.inInbox && a.inSent == b.inSent && a.hasAttachments == b.hasAttachments
        && a.threadKey == b.threadKey && a.subject == b.subject && a.snippet == b.snippet;
}

} // namespace

MessageListModel::MessageListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void MessageListModel::resetState(const QString &folderRole)
{
    m_rows.clear();
    m_ids.clear();
    m_source = nullptr;
    m_folderRole = folderRole;
    m_offset = 0;
    m_async = false;
    m_more = false;
    m_waiting = false;
}

void MessageListModel::setPageSource(PageSource source, const QString &folderRole)
{
    {
        const QScopedValueRollback<bool> guard(m_changing, true);
        beginResetModel();
        resetState(folderRole);
        m_source = std::move(source);
        endResetModel();
    }
    // Only now: a view asks canFetchMore() while it handles the reset, and
    // must not fetch inside it. The first page is read at once, so a view
    // (and a selection to restore) finds rows without waiting for a layout.
    m_more = bool(m_source);
    fetchMore(QModelIndex());
}

void MessageListModel::beginAsync(const QString &folderRole)
{
    const QScopedValueRollback<bool> guard(m_changing, true);
    beginResetModel();
    resetState(folderRole);
    m_async = true;
    m_waiting = true; // the first page is on its way
    endResetModel();
}

void MessageListModel::appendRows(const QVector<MessageSummary> &rows, bool more)
{
    if (!m_async)
        return;
    m_waiting = false;
    m_more = more;
    m_offset += rows.size();
    append(rows);
}

void MessageListModel::setRows(const QVector<MessageSummary> &rows, const QString &folderRole)
{
    const QScopedValueRollback<bool> guard(m_changing, true);
    beginResetModel();
    resetState(folderRole);
    for (const MessageSummary &s : rows) {
        if (!m_ids.contains(s.id)) {
            m_ids.insert(s.id);
            m_rows.append(makeRow(s));
        }
    }
    endResetModel();
}

void MessageListModel::clear()
{
    const QScopedValueRollback<bool> guard(m_changing, true);
    beginResetModel();
    resetState(QString());
    endResetModel();
}

void MessageListModel::append(const QVector<MessageSummary> &rows)
{
    QVector<Row> fresh;
    fresh.reserve(rows.size());
    for (const MessageSummary &s : rows) {
        // Pages are read by offset: mail that arrived in between shifts them,
        // and the overlap must not list a message twice.
        if (m_ids.contains(s.id))
            continue;
        m_ids.insert(s.id);
        fresh.append(makeRow(s));
    }
    if (fresh.isEmpty())
        return;
    const QScopedValueRollback<bool> guard(m_changing, true);
    beginInsertRows(QModelIndex(), m_rows.size(), m_rows.size() + fresh.size() - 1);
    m_rows += fresh;
    endInsertRows();
}

void MessageListModel::refresh()
{
    if (!m_source || m_changing)
        return;
    const QVector<MessageSummary> top = m_source(PageSize, 0);
    const bool anyKnown = std::any_of(top.cbegin(), top.cend(),
                                      [this](const MessageSummary &s) { return m_ids.contains(s.id); });
    if (!m_rows.isEmpty() && !anyKnown && top.size() == PageSize) {
        // More new mail than a page: the gap below it cannot be merged.
        PageSource source = m_source;
        setPageSource(std::move(source), m_folderRole);
        return;
    }
    for (const MessageSummary &s : top) {
        if (m_ids.contains(s.id)) {
            const int row = rowOfMessage(s.id);
            if (row >= 0 && !sameFlags(m_rows.at(row).summary, s)) {
                m_rows[row] = makeRow(s);
                const QScopedValueRollback<bool> guard(m_changing, true);
                emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
            }
            continue;
        }
        const auto pos = std::find_if(m_rows.cbegin(), m_rows.cend(),
                                      [&s](const Row &r) { return sortsBefore(s, r.summary); });
        const int at = int(pos - m_rows.cbegin());
        if (at == m_rows.size() && m_more)
            continue; // past the loaded rows: the next fetchMore() brings it
        const QScopedValueRollback<bool> guard(m_changing, true);
        beginInsertRows(QModelIndex(), at, at);
        m_rows.insert(at, makeRow(s));
        m_ids.insert(s.id);
        ++m_offset;
        endInsertRows();
    }
    // A backfill adds older mail: let the view look past the end again.
    m_more = true;
}

MessageListModel::Row MessageListModel::makeRow(const MessageSummary &s) const
{
    Row row;
    row.summary = s;
    row.sent = m_folderRole == QLatin1String("sent")
        || (m_folderRole != QLatin1String("inbox") && s.inSent && !s.inInbox);
    if (row.sent) {
        const QVector<DisplayAddress> to = parseAddressList(s.toText);
        QStringList names;
        for (const DisplayAddress &a : to)
            names << a.label();
        const QString joined = names.join(QLatin1String(", "));
        row.party = m_folderRole == QLatin1String("sent") ? joined : tr("To: %1").arg(joined);
        row.address = to.isEmpty() ? QString() : to.first().email;
    } else {
        row.party = s.fromName.isEmpty() ? s.fromAddress : s.fromName;
        row.address = s.fromAddress;
    }
    if (row.party.trimmed().isEmpty())
        row.party = tr("(unknown)");
    return row;
}

MessageSummary MessageListModel::summary(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).summary : MessageSummary();
}

int MessageListModel::rowOfMessage(qint64 id) const
{
    if (!m_ids.contains(id))
        return -1;
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).summary.id == id)
            return i;
    }
    return -1;
}

int MessageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MessageListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Row &row = m_rows.at(index.row());
    const MessageSummary &s = row.summary;
    switch (role) {
    case MessageIdRole: return s.id;
    case ConnectionIdRole: return s.connectionId;
    case ThreadKeyRole: return s.threadKey;
    case SubjectRole: return s.subject;
    case SnippetRole: return s.snippet;
    case AddressRole: return row.address;
    case ReceivedAtRole: return s.receivedAt;
    case IsSentRole: return row.sent;
    case HasAttachmentsRole: return s.hasAttachments;
    default: break;
    }
    switch (index.column()) {
    case CorrespondentColumn:
        if (role == Qt::DisplayRole)
            return row.party;
        if (role == Qt::ToolTipRole)
            return row.sent ? s.toText : (s.fromName.isEmpty() ? s.fromAddress
                                                                : tr("%1 <%2>").arg(s.fromName, s.fromAddress));
        break;
    case SubjectColumn:
        if (role == Qt::DisplayRole)
            return s.subject.trimmed().isEmpty() ? tr("(no subject)") : s.subject;
        if (role == Qt::ToolTipRole)
            return s.snippet.isEmpty() ? s.subject : tr("%1\n%2").arg(s.subject, s.snippet);
        break;
    case DateColumn:
        if (role == Qt::DisplayRole)
            return listDate(s.receivedAt);
        if (role == Qt::ToolTipRole)
            return longDate(s.receivedAt);
        if (role == Qt::TextAlignmentRole)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case AttachmentColumn:
        if (!s.hasAttachments)
            break;
        if (role == Qt::DecorationRole) {
            const QIcon fallback = QApplication::style()->standardIcon(QStyle::SP_FileIcon);
            return QIcon::fromTheme(QStringLiteral("mail-attachment"), fallback);
        }
        if (role == Qt::ToolTipRole || role == Qt::AccessibleTextRole)
            return tr("Has attachments");
        break;
    default:
        break;
    }
    return QVariant();
}

QVariant MessageListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QVariant();
    if (role == Qt::DisplayRole) {
        switch (section) {
        case CorrespondentColumn:
            if (m_folderRole == QLatin1String("sent"))
                return tr("To");
            if (m_folderRole == QLatin1String("inbox"))
                return tr("From");
            return tr("From / To");
        case SubjectColumn: return tr("Subject");
        case DateColumn: return tr("Date");
        case AttachmentColumn: return QString();
        }
    }
    if ((role == Qt::ToolTipRole || role == Qt::AccessibleTextRole) && section == AttachmentColumn)
        return tr("Attachments");
    return QVariant();
}

bool MessageListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_more && !m_waiting && !m_changing;
}

void MessageListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    if (m_async) {
        m_waiting = true;
        emit moreRequested(m_offset);
        return;
    }
    const QVector<MessageSummary> page = m_source(PageSize, m_offset);
    m_offset += page.size();
    m_more = page.size() == PageSize;
    append(page);
}

} // namespace Lookback::Ui
