#include "archive/archivebrowser.h"

#include "archive/archivestore.h"
#include "archive/browserformat.h"
#include "archive/foldertreemodel.h"
#include "archive/messagelistmodel.h"
#include "archive/messageview.h"
#include "archive/rowdelegate.h"
#include "archive/searchquery.h"
#include "archive/searchworker.h"
#include "archive/synclogdialog.h"

#include <QAction>
#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QShortcut>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QThread>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace Lookback::Ui {

namespace {

// The subject column: the subject, then " — snippet" in the palette's
// placeholder colour, on one line, elided.
class SubjectDelegate : public RowDelegate
{
public:
    using RowDelegate::RowDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt(option);
        initStyleOption(&opt, index);
        const QString subject = opt.text;
        const QString snippet = index.data(MessageListModel::SnippetRole).toString().simplified();
        opt.text.clear();
        const QWidget *widget = opt.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

        const QRect rect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget).adjusted(2, 0, -2, 0);
        const QPalette::ColorGroup group = !(opt.state & QStyle::State_Enabled) ? QPalette::Disabled
            : (opt.state & QStyle::State_Active) ? QPalette::Active : QPalette::Inactive;
        const bool selected = opt.state & QStyle::State_Selected;
        const QColor text = opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
        const QColor dim = selected ? text : opt.palette.color(group, QPalette::PlaceholderText);

        painter->save();
        painter->setFont(opt.font);
        const QFontMetrics metrics(opt.font);
        const QString shown = metrics.elidedText(subject, Qt::ElideRight, rect.width());
        painter->setPen(text);
        painter->drawText(rect, Qt::AlignVCenter | Qt::AlignLeft | Qt::TextSingleLine, shown);
        const int used = metrics.horizontalAdvance(shown);
        if (!snippet.isEmpty() && shown == subject && used < rect.width()) {
            const QRect rest = rect.adjusted(used, 0, 0, 0);
            //: Between a message's subject and the start of its text in the message list
            const QString tail = metrics.elidedText(ArchiveBrowser::tr(" — %1").arg(snippet), Qt::ElideRight,
                                                    rest.width());
            painter->setPen(dim);
            painter->drawText(rest, Qt::AlignVCenter | Qt::AlignLeft | Qt::TextSingleLine, tail);
        }
        painter->restore();
    }
};

} // namespace

ArchiveBrowser::ArchiveBrowser(const QString &archivePath, QWidget *parent)
    : QWidget(parent)
    , m_path(archivePath)
    , m_store(std::make_unique<ArchiveStore>(archivePath))
{
    SyncError error;
    m_storeOpen = m_store->open(&error);
    if (!m_storeOpen)
        m_openError = error.message;
    m_folders = new FolderTreeModel(m_storeOpen ? m_store.get() : nullptr, this);
    m_messages = new MessageListModel(this);
    m_states = {ListState()};

    buildUi();
    startSearchThread();

    m_searchTimer.setSingleShot(true);
    m_searchTimer.setInterval(250);
    connect(&m_searchTimer, &QTimer::timeout, this, [this] {
        m_states = {ListState()};
        applyState();
    });

    m_folderView->setCurrentIndex(m_folders->allMailIndex());
}

ArchiveBrowser::~ArchiveBrowser()
{
    m_searchThread->quit();
    m_searchThread->wait();
}

void ArchiveBrowser::buildUi()
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setChildrenCollapsible(false);
    layout->addWidget(m_splitter);

    // Left: folders
    m_folderView = new QTreeView(m_splitter);
    m_folderView->setObjectName(QStringLiteral("folderTree"));
    m_folderView->setModel(m_folders);
    m_folderView->setHeaderHidden(true);
    m_folderView->setUniformRowHeights(true);
    m_folderView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_folderView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_folderView->setAllColumnsShowFocus(true);
    m_folderView->setContextMenuPolicy(Qt::CustomContextMenu);
    m_folderView->header()->setStretchLastSection(false);
    m_folderView->header()->setSectionResizeMode(FolderTreeModel::NameColumn, QHeaderView::Stretch);
    m_folderView->header()->setSectionResizeMode(FolderTreeModel::CountColumn, QHeaderView::ResizeToContents);
    m_folderView->setAccessibleName(tr("Folders"));
    m_folderView->expandAll();
    connect(m_folderView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) { onFolderChanged(current); });
    connect(m_folders, &QAbstractItemModel::modelReset, m_folderView, &QTreeView::expandAll);
    connect(m_folderView, &QWidget::customContextMenuRequested, this, &ArchiveBrowser::showFolderMenu);

    // Middle: search, status, context bar, list
    auto *middle = new QWidget(m_splitter);
    auto *middleLayout = new QVBoxLayout(middle);
    middleLayout->setContentsMargins(4, 4, 4, 0);
    middleLayout->setSpacing(4);

    m_searchBox = new QLineEdit(middle);
    m_searchBox->setObjectName(QStringLiteral("searchBox"));
    m_searchBox->setClearButtonEnabled(true);
    m_searchBox->setAccessibleName(tr("Search the archive"));
    m_searchBox->setToolTip(tr("<p>Words are looked up anywhere in a message, also as the start of a word.</p>"
                               "<p><b>from:</b>bob &nbsp; who sent it<br>"
                               "<b>to:</b>alice &nbsp; who received it (To or Cc)<br>"
                               "<b>subject:</b>invoice &nbsp; words in the subject<br>"
                               "<b>after:</b>2024-01-31 &nbsp; received on or after that day<br>"
                               "<b>before:</b>2024-03-01 &nbsp; received before that day<br>"
                               "<b>in:</b>inbox or <b>in:</b>sent &nbsp; one folder</p>"
                               "<p>Quotes keep a phrase together: \"quarterly report\"</p>"));
    connect(m_searchBox, &QLineEdit::textChanged, this, [this] { m_searchTimer.start(); });
    connect(m_searchBox, &QLineEdit::returnPressed, this, [this] {
        if (m_searchTimer.isActive()) {
            m_searchTimer.stop();
            m_states = {ListState()};
            applyState();
        }
    });
    auto *find = new QShortcut(QKeySequence::Find, this);
    connect(find, &QShortcut::activated, this, [this] {
        m_searchBox->setFocus(Qt::ShortcutFocusReason);
        m_searchBox->selectAll();
    });
    middleLayout->addWidget(m_searchBox);

    m_statusRow = new QWidget(middle);
    auto *statusLayout = new QHBoxLayout(m_statusRow);
    statusLayout->setContentsMargins(2, 0, 2, 0);
    m_statusIcon = new QLabel(m_statusRow);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_statusIcon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(iconSize, iconSize));
    m_statusIcon->hide();
    m_status = new QLabel(m_statusRow);
    m_status->setObjectName(QStringLiteral("searchStatus"));
    m_status->setWordWrap(true);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    statusLayout->addWidget(m_statusIcon, 0, Qt::AlignTop);
    statusLayout->addWidget(m_status, 1);
    m_statusRow->hide();
    middleLayout->addWidget(m_statusRow);

    m_contextBar = new QWidget(middle);
    m_contextBar->setObjectName(QStringLiteral("contextBar"));
    auto *contextLayout = new QHBoxLayout(m_contextBar);
    contextLayout->setContentsMargins(0, 0, 0, 0);
    m_backButton = new QToolButton(m_contextBar);
    m_backButton->setObjectName(QStringLiteral("backButton"));
    m_backButton->setText(tr("Back"));
    m_backButton->setIcon(style()->standardIcon(QStyle::SP_ArrowBack));
    m_backButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_backButton->setShortcut(QKeySequence::Back);
    m_backButton->setToolTip(tr("Back to the list shown before (%1)")
                                 .arg(QKeySequence(QKeySequence::Back).toString(QKeySequence::NativeText)));
    connect(m_backButton, &QToolButton::clicked, this, &ArchiveBrowser::goBack);
    m_contextLabel = new QLabel(m_contextBar);
    m_contextLabel->setObjectName(QStringLiteral("contextLabel"));
    m_contextLabel->setTextFormat(Qt::PlainText);
    m_contextLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    QFont bold = m_contextLabel->font();
    bold.setBold(true);
    m_contextLabel->setFont(bold);
    contextLayout->addWidget(m_backButton);
    contextLayout->addWidget(m_contextLabel, 1);
    m_contextBar->hide();
    middleLayout->addWidget(m_contextBar);

    // A table, not a tree: QTreeView fetches another page on every layout,
    // QTableView only when the last row comes into view.
    m_listView = new QTableView(middle);
    m_listView->setObjectName(QStringLiteral("messageList"));
    m_listView->setModel(m_messages);
    m_listView->setShowGrid(false);
    m_listView->setWordWrap(false);
    m_listView->setAlternatingRowColors(true);
    m_listView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_listView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_listView->setContextMenuPolicy(Qt::CustomContextMenu);
    m_listView->setAccessibleName(tr("Messages"));
    m_listView->setItemDelegate(new RowDelegate(m_listView));
    m_listView->setItemDelegateForColumn(MessageListModel::SubjectColumn, new SubjectDelegate(m_listView));
    QHeaderView *rows = m_listView->verticalHeader();
    rows->hide();
    rows->setSectionResizeMode(QHeaderView::Fixed); // 100,000 rows lay out without measuring each
    rows->setDefaultSectionSize(fontMetrics().height() + 8);
    QHeaderView *header = m_listView->horizontalHeader();
    header->setHighlightSections(false);
    header->setStretchLastSection(false);
    header->setSectionResizeMode(MessageListModel::CorrespondentColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(MessageListModel::SubjectColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(MessageListModel::DateColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(MessageListModel::AttachmentColumn, QHeaderView::Fixed);
    header->resizeSection(MessageListModel::CorrespondentColumn, fontMetrics().averageCharWidth() * 22);
    header->resizeSection(MessageListModel::AttachmentColumn, iconSize + 12);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    middleLayout->addWidget(m_listView, 1);
    connect(m_listView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { openMessage(current); });
    connect(m_listView, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex &index) {
        showConversation(index.data(MessageListModel::MessageIdRole).toLongLong());
    });
    connect(m_listView, &QWidget::customContextMenuRequested, this, &ArchiveBrowser::showListMenu);
    auto *openConversation = new QShortcut(QKeySequence(Qt::Key_Return), m_listView, nullptr, nullptr,
                                           Qt::WidgetShortcut);
    connect(openConversation, &QShortcut::activated, this, [this] {
        showConversation(m_listView->currentIndex().data(MessageListModel::MessageIdRole).toLongLong());
    });
    connect(m_messages, &MessageListModel::moreRequested, this, [this](int offset) {
        const quint64 generation = m_generation;
        postToWorker([generation, offset](SearchWorker *worker) { worker->fetchMore(generation, offset); });
    });

    // Right: the message
    m_view = new MessageView(m_splitter);
    m_view->setObjectName(QStringLiteral("messageView"));
    connect(m_view, &MessageView::correspondentRequested, this, &ArchiveBrowser::showCorrespondent);

    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setStretchFactor(2, 2);
    m_splitter->setSizes({220, 520, 460});
}

void ArchiveBrowser::startSearchThread()
{
    m_searchThread = new QThread(this);
    m_searchThread->setObjectName(QStringLiteral("lookback-search"));
    m_worker = new SearchWorker(m_path);
    m_worker->moveToThread(m_searchThread);
    connect(m_searchThread, &QThread::started, m_worker, &SearchWorker::open);
    connect(m_searchThread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &SearchWorker::pageReady, this, &ArchiveBrowser::onSearchPage);
    connect(m_worker, &SearchWorker::counted, this, &ArchiveBrowser::onCounted);
    connect(m_worker, &SearchWorker::failed, this, &ArchiveBrowser::onFailed);
    m_searchThread->start();
}

void ArchiveBrowser::postToWorker(std::function<void(SearchWorker *)> call)
{
    SearchWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker, call = std::move(call)] { call(worker); }, Qt::QueuedConnection);
}

void ArchiveBrowser::beginList(Mode mode)
{
    m_mode = mode;
    ++m_generation; // whatever an earlier request still sends is for another list
    m_resultCount = -1;
    m_failure.clear();
    m_searchError.clear();
}

qint64 ArchiveBrowser::currentMessageId() const
{
    return m_view->messageId();
}

void ArchiveBrowser::reload()
{
    if (!m_storeOpen)
        return;
    const qint64 connectionId = m_scopeConnection;
    const QString role = m_scopeRole;
    m_restoring = true;
    m_folders->reload();
    QModelIndex current = m_folders->indexFor(connectionId, role);
    const bool scopeGone = !current.isValid();
    if (scopeGone)
        current = m_folders->allMailIndex();
    if (m_folderView->currentIndex() != current)
        m_folderView->setCurrentIndex(current);
    m_restoring = false;
    if (scopeGone) {
        onFolderChanged(current);
        return;
    }
    if (m_mode == Mode::Folder)
        m_messages->refresh();
    updateStatus();
}

void ArchiveBrowser::showConnection(qint64 connectionId)
{
    QModelIndex index = m_folders->connectionIndex(connectionId);
    if (!index.isValid()) {
        reload();
        index = m_folders->connectionIndex(connectionId);
    }
    if (!index.isValid())
        return;
    if (m_folderView->currentIndex() == index)
        onFolderChanged(index); // back to browsing it, whatever list was open
    else
        m_folderView->setCurrentIndex(index);
}

void ArchiveBrowser::onFolderChanged(const QModelIndex &current)
{
    if (m_restoring || !current.isValid())
        return;
    m_scopeConnection = current.data(FolderTreeModel::ConnectionIdRole).toLongLong();
    m_scopeRole = current.data(FolderTreeModel::FolderRoleRole).toString();
    m_states = {ListState()};
    updatePlaceholder();
    applyState();
}

void ArchiveBrowser::updatePlaceholder()
{
    const QString scope = m_folders->scopeName(m_folders->indexFor(m_scopeConnection, m_scopeRole));
    //: Search box placeholder; %1 is a folder or connection ("All mail", "Inbox · Work")
    m_searchBox->setPlaceholderText(tr("Search %1 — from: to: subject: before: after:").arg(scope));
}

void ArchiveBrowser::pushState(const ListState &state)
{
    m_states.append(state);
    applyState();
}

void ArchiveBrowser::goBack()
{
    if (m_states.size() <= 1)
        return;
    const qint64 shown = m_view->messageId();
    m_states.removeLast();
    m_selectWhenListed = shown;
    applyState();
}

void ArchiveBrowser::applyState()
{
    const ListState state = m_states.last();
    m_contextBar->setVisible(state.kind != ListState::Browse);
    switch (state.kind) {
    case ListState::Browse:
        showBrowse();
        break;
    case ListState::Correspondent: {
        beginList(Mode::Correspondent);
        m_messages->beginAsync();
        postToWorker([generation = m_generation, connectionId = state.connectionId,
                      address = state.address](SearchWorker *worker) {
            worker->correspondent(generation, connectionId, address);
        });
        break;
    }
    case ListState::Conversation: {
        beginList(Mode::Conversation);
        QVector<MessageSummary> rows;
        if (m_storeOpen && !state.threadKey.isEmpty())
            rows = m_store->thread(state.connectionId, state.threadKey);
        if (rows.isEmpty())
            rows = {state.origin}; // no thread key: a conversation of one
        m_messages->setRows(rows);
        m_resultCount = rows.size();
        selectMessage(state.origin.id);
        break;
    }
    }
    updateStatus();
}

void ArchiveBrowser::showBrowse()
{
    const QString text = m_searchBox->text().trimmed();
    if (text.isEmpty())
        showFolder();
    else
        startSearch(text);
}

void ArchiveBrowser::showFolder()
{
    beginList(Mode::Folder);
    if (!m_storeOpen) {
        m_messages->clear();
        return;
    }
    ArchiveStore *store = m_store.get();
    const qint64 connectionId = m_scopeConnection;
    const QString role = m_scopeRole;
    m_messages->setPageSource(
        [store, connectionId, role](int limit, int offset) { return store->list(connectionId, role, limit, offset); },
        role);
    selectMessage(m_selectWhenListed != 0 ? m_selectWhenListed : m_view->messageId());
    m_selectWhenListed = 0;
}

void ArchiveBrowser::startSearch(const QString &text)
{
    beginList(Mode::Search);
    const SearchQuery parsed = SearchQuery::parse(text);
    m_searchError = parsed.error;
    if (parsed.isEmpty()) {
        m_messages->clear();
        m_resultCount = 0;
        return;
    }
    m_messages->beginAsync(parsed.folderRole.isEmpty() ? m_scopeRole : parsed.folderRole);
    postToWorker([generation = m_generation, text, connectionId = m_scopeConnection,
                  role = m_scopeRole](SearchWorker *worker) { worker->search(generation, text, connectionId, role); });
}

void ArchiveBrowser::onSearchPage(quint64 generation, int offset, const QVector<MessageSummary> &rows, bool more)
{
    if (generation != m_generation)
        return; // an older request: the user has moved on
    m_messages->appendRows(rows, more);
    if (offset == 0) {
        if (!more)
            m_resultCount = rows.size();
        selectMessage(m_selectWhenListed);
        m_selectWhenListed = 0;
    }
    updateStatus();
}

void ArchiveBrowser::onCounted(quint64 generation, qint64 total)
{
    if (generation != m_generation)
        return;
    m_resultCount = total;
    updateStatus();
}

void ArchiveBrowser::onFailed(quint64 generation, const QString &message)
{
    if (generation != m_generation)
        return;
    m_failure = message;
    updateStatus();
}

void ArchiveBrowser::selectMessage(qint64 messageId)
{
    if (messageId == 0)
        return;
    const int row = m_messages->rowOfMessage(messageId);
    if (row < 0)
        return;
    const QModelIndex index = m_messages->index(row, 0);
    m_listView->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_listView->scrollTo(index);
}

void ArchiveBrowser::openMessage(const QModelIndex &index)
{
    if (!index.isValid() || !m_storeOpen)
        return;
    const qint64 id = index.data(MessageListModel::MessageIdRole).toLongLong();
    if (id == m_view->messageId())
        return;
    MessageRecord message;
    if (!m_store->message(id, &message))
        return;
    m_view->showMessage(message, m_folders->connection(message.connectionId));
    emit messageOpened(id);
}

void ArchiveBrowser::updateStatus()
{
    QStringList parts;
    bool warning = false;
    if (!m_storeOpen) {
        parts << tr("The archive cannot be opened: %1").arg(m_openError);
        warning = true;
    }
    const int loaded = m_messages->rowCount();
    const ListState state = m_states.last();
    switch (m_mode) {
    case Mode::Folder:
        if (m_storeOpen && loaded == 0) {
            const qint64 total = m_folders->allMailIndex().data(FolderTreeModel::CountRole).toLongLong();
            parts << (total == 0 ? tr("Nothing is archived yet. Connect a mailbox and sync it to fill the archive.")
                                 : tr("No messages here."));
        }
        break;
    case Mode::Search:
        if (!m_failure.isEmpty()) {
            parts << m_failure;
            warning = true;
        }
        if (!m_searchError.isEmpty()) {
            parts << m_searchError;
            warning = true;
        }
        if (m_resultCount == 0 && m_searchError.isEmpty())
            parts << tr("No messages match");
        else if (m_resultCount > 0)
            parts << tr("%Ln result(s)", nullptr, int(m_resultCount));
        else if (loaded > 0)
            parts << tr("More than %L1 results, counting…").arg(loaded);
        else if (m_messages->isWaitingForRows())
            parts << tr("Searching…");
        break;
    case Mode::Correspondent:
        m_contextLabel->setText(m_resultCount >= 0
                                    ? tr("With %1 — %Ln message(s)", nullptr, int(m_resultCount)).arg(state.address)
                                    : tr("With %1").arg(state.address));
        if (!m_failure.isEmpty()) {
            parts << m_failure;
            warning = true;
        }
        break;
    case Mode::Conversation:
        m_contextLabel->setText(tr("Conversation: %1 — %Ln message(s)", nullptr, int(m_resultCount))
                                    .arg(state.subject.trimmed().isEmpty() ? tr("(no subject)") : state.subject));
        break;
    }
    m_status->setText(parts.join(QLatin1String(" — ")));
    m_statusIcon->setVisible(warning);
    m_statusRow->setVisible(!parts.isEmpty());
}

void ArchiveBrowser::showCorrespondent(const QString &address)
{
    if (address.trimmed().isEmpty())
        return;
    ListState state;
    state.kind = ListState::Correspondent;
    state.address = address.trimmed();
    state.connectionId = m_scopeConnection;
    m_selectWhenListed = m_view->messageId();
    pushState(state);
}

void ArchiveBrowser::showConversation(qint64 messageId)
{
    if (messageId == 0 || !m_storeOpen)
        return;
    const int row = m_messages->rowOfMessage(messageId);
    MessageSummary summary = m_messages->summary(row);
    if (row < 0) {
        MessageRecord message;
        if (!m_store->message(messageId, &message))
            return;
        summary.id = message.id;
        summary.connectionId = message.connectionId;
        summary.threadKey = message.threadKey;
        summary.fromName = message.fromName;
        summary.fromAddress = message.fromAddress;
        summary.toText = message.toText;
        summary.subject = message.subject;
        summary.snippet = message.snippet;
        summary.receivedAt = message.receivedAt;
        summary.inInbox = message.folderRole == QLatin1String("inbox");
        summary.inSent = message.folderRole == QLatin1String("sent");
        summary.hasAttachments = !message.attachments.isEmpty();
    }
    ListState state;
    state.kind = ListState::Conversation;
    state.connectionId = summary.connectionId;
    state.threadKey = summary.threadKey;
    state.subject = summary.subject;
    state.origin = summary;
    pushState(state);
}

void ArchiveBrowser::showFolderMenu(const QPoint &pos)
{
    const QModelIndex index = m_folderView->indexAt(pos);
    const qint64 connectionId = index.data(FolderTreeModel::ConnectionIdRole).toLongLong();
    if (connectionId <= 0)
        return;
    const ConnectionRecord connection = m_folders->connection(connectionId);
    QMenu menu(this);
    QAction *log = menu.addAction(tr("Sync log…"));
    if (menu.exec(m_folderView->viewport()->mapToGlobal(pos)) == log) {
        auto *dialog = new SyncLogDialog(m_path, connectionId, connection.name, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    }
}

void ArchiveBrowser::showListMenu(const QPoint &pos)
{
    const QModelIndex index = m_listView->indexAt(pos);
    if (!index.isValid())
        return;
    const MessageSummary summary = m_messages->summary(index.row());
    QMenu menu(this);
    QAction *conversation = menu.addAction(tr("Show conversation"));
    menu.setDefaultAction(conversation);
    QStringList addresses;
    if (index.data(MessageListModel::IsSentRole).toBool()) {
        for (const DisplayAddress &a : parseAddressList(summary.toText)) {
            if (!a.email.isEmpty() && addresses.size() < 5)
                addresses << a.email;
        }
    } else if (!summary.fromAddress.isEmpty()) {
        addresses << summary.fromAddress;
    }
    menu.addSeparator();
    for (const QString &address : addresses) {
        QAction *action = menu.addAction(tr("Conversations with %1").arg(address));
        connect(action, &QAction::triggered, this, [this, address] { showCorrespondent(address); });
    }
    if (menu.exec(m_listView->viewport()->mapToGlobal(pos)) == conversation)
        showConversation(summary.id);
}

} // namespace Lookback::Ui
