#pragma once

#include "archive/records.h"

#include <QAbstractTableModel>
#include <QSet>
#include <functional>

namespace Lookback::Ui {

// The middle list of the archive browser: message summaries, one row per
// message, in the order the source gives (newest first for folders, searches
// and correspondents; oldest first for a conversation).
//
// Rows arrive in pages of PageSize, only when a view asks (canFetchMore /
// fetchMore), so 100,000 archived messages cost one page to open. Three ways
// to fill it:
// - setPageSource(): a synchronous reader (a folder on the GUI thread's own
//   ArchiveStore); the first page is read at once, the rest on fetchMore();
// - beginAsync() + appendRows(): pages computed elsewhere (the SearchWorker);
//   fetchMore() emits moreRequested(offset) once and waits for appendRows();
// - setRows(): a complete, small list (a conversation).
// A message id is listed at most once, whatever the source returns.
// Thread: GUI. Owner: the ArchiveBrowser.
class MessageListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { CorrespondentColumn, SubjectColumn, DateColumn, AttachmentColumn, ColumnCount };
    enum Role {
        MessageIdRole = Qt::UserRole + 1,
        ConnectionIdRole,
        ThreadKeyRole,
        SubjectRole,        // the subject as stored (possibly empty)
        SnippetRole,
        AddressRole,        // the other party: the sender, or a sent message's first recipient
        ReceivedAtRole,     // QDateTime, UTC
        IsSentRole,         // shown as sent: the correspondent column names the recipients
        HasAttachmentsRole,
    };
    static constexpr int PageSize = 200;
    using PageSource = std::function<QVector<MessageSummary>(int limit, int offset)>;

    explicit MessageListModel(QObject *parent = nullptr);

    // folderRole "sent" makes the first column "To"; "inbox" makes it "From";
    // empty (all mail, searches) shows the sender, or "To: ..." for sent mail.
    void setPageSource(PageSource source, const QString &folderRole = QString());
    void beginAsync(const QString &folderRole = QString());
    void appendRows(const QVector<MessageSummary> &rows, bool more);
    void setRows(const QVector<MessageSummary> &rows, const QString &folderRole = QString());
    void clear();
    // For a page source: merges messages that arrived since the first page
    // was read (live sync) in place, refreshes flags of loaded rows, and lets
    // fetchMore() look again past the end (a backfill adds older mail).
    void refresh();

    MessageSummary summary(int row) const;
    int rowOfMessage(qint64 id) const;
    bool isWaitingForRows() const { return m_waiting; }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    // Asynchronous mode: the view wants the rows from `offset` on.
    void moreRequested(int offset);

private:
    struct Row
    {
        MessageSummary summary;
        QString party;   // correspondent column text
        QString address; // AddressRole
        bool sent = false;
    };
    void resetState(const QString &folderRole);
    Row makeRow(const MessageSummary &s) const;
    void append(const QVector<MessageSummary> &rows);

    QVector<Row> m_rows;
    QSet<qint64> m_ids;
    PageSource m_source;
    QString m_folderRole;
    int m_offset = 0;       // source positions consumed so far
    bool m_async = false;
    bool m_more = false;
    bool m_waiting = false;
    // Set while the model emits its own change signals: a view or tester that
    // reacts to rowsInserted/modelReset by calling fetchMore() must not start
    // a second change inside the first.
    bool m_changing = false;
};

} // namespace Lookback::Ui
