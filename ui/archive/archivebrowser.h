#pragma once

#include "archive/records.h"

#include <QTimer>
#include <QVector>
#include <QWidget>
#include <functional>
#include <memory>

class QLabel;
class QLineEdit;
class QModelIndex;
class QSplitter;
class QTableView;
class QThread;
class QToolButton;
class QTreeView;

namespace Lookback {
class ArchiveStore;
}

namespace Lookback::Ui {

class FolderTreeModel;
class MessageListModel;
class MessageView;
class SearchWorker;

// The archive browser, which works offline: connections and their Inbox and
// Sent on the left; a search box and the message list in the middle (newest
// first, read a page at a time); the message on the right. Double-click (or
// "Show conversation") lists a message's conversation; clicking an address
// lists every message exchanged with it, received and sent.
//
// Searches and correspondent lists run on a SearchWorker on its own thread,
// as the user types (250 ms after the last key). Folder pages, conversations
// and single messages are read on the GUI thread from the browser's own
// ArchiveStore: each is one indexed query of at most a page.
//
// Thread: GUI. Owner: the main window (or whoever creates it). Destroying it
// stops the search thread (quit + wait).
class ArchiveBrowser : public QWidget
{
    Q_OBJECT
public:
    explicit ArchiveBrowser(const QString &archivePath, QWidget *parent = nullptr);
    ~ArchiveBrowser() override;

    // Connections, folders or counts changed (a backfill stored pages): reads
    // them again, keeps the selection, and merges new mail into the folder
    // list being shown without losing the place in it.
    void reload();
    // Selects a connection (all of its mail) in the folder tree.
    void showConnection(qint64 connectionId);
    // Lists both directions of the conversation with `address`, within the
    // connection being browsed (all connections under "All mail").
    void showCorrespondent(const QString &address);
    // Lists the conversation the message belongs to, oldest first.
    void showConversation(qint64 messageId);
    // Leaves a conversation or correspondent list for what was shown before.
    void goBack();

    bool isArchiveOpen() const { return m_storeOpen; }
    qint64 currentMessageId() const;

signals:
    void messageOpened(qint64 messageId);

private:
    struct ListState
    {
        enum Kind { Browse, Correspondent, Conversation } kind = Browse;
        QString address;
        qint64 connectionId = 0;
        QString threadKey;
        QString subject;
        MessageSummary origin; // the message a conversation was opened from
    };
    enum class Mode { Folder, Search, Correspondent, Conversation };

    void buildUi();
    void startSearchThread();
    // Queues a call on the search thread.
    void postToWorker(std::function<void(SearchWorker *)> call);
    // Starts a new list: older asynchronous results become stale.
    void beginList(Mode mode);
    void onFolderChanged(const QModelIndex &current);
    void applyState();
    void showBrowse();
    void showFolder();
    void startSearch(const QString &text);
    void onSearchPage(quint64 generation, int offset, const QVector<Lookback::MessageSummary> &rows, bool more);
    void onCounted(quint64 generation, qint64 total);
    void onFailed(quint64 generation, const QString &message);
    void openMessage(const QModelIndex &index);
    void selectMessage(qint64 messageId);
    void updateStatus();
    void updatePlaceholder();
    void showFolderMenu(const QPoint &pos);
    void showListMenu(const QPoint &pos);
    void pushState(const ListState &state);

    QString m_path;
    std::unique_ptr<ArchiveStore> m_store;
    bool m_storeOpen = false;
    QString m_openError;

    FolderTreeModel *m_folders = nullptr;
    MessageListModel *m_messages = nullptr;
    QSplitter *m_splitter = nullptr;
    QTreeView *m_folderView = nullptr;
    QLineEdit *m_searchBox = nullptr;
    QWidget *m_statusRow = nullptr;
    QLabel *m_statusIcon = nullptr;
    QLabel *m_status = nullptr;
    QWidget *m_contextBar = nullptr;
    QToolButton *m_backButton = nullptr;
    QLabel *m_contextLabel = nullptr;
    QTableView *m_listView = nullptr;
    MessageView *m_view = nullptr;
    QTimer m_searchTimer;

    QThread *m_searchThread = nullptr;
    SearchWorker *m_worker = nullptr; // lives on m_searchThread; never touched from here but by queued calls

    // What the list shows: the browse scope (a folder tree node) and a stack
    // of conversation / correspondent lists opened from it.
    qint64 m_scopeConnection = 0;
    QString m_scopeRole;
    QVector<ListState> m_states;
    Mode m_mode = Mode::Folder;
    bool m_restoring = false;

    // The asynchronous request whose results the list is waiting for.
    quint64 m_generation = 0;
    qint64 m_resultCount = -1; // -1: not known yet
    QString m_searchError;     // SearchQuery::error of the running search
    QString m_failure;         // the worker's error for the running request
    qint64 m_selectWhenListed = 0;
};

} // namespace Lookback::Ui
