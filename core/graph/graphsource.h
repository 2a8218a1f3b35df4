#pragma once

#include "graph/graphapi.h"
#include "source/mailsource.h"

#include <QHash>
#include <QJsonArray>
#include <QPointer>
#include <QSet>
#include <memory>

namespace Lookback {

class ArchiveView;
class SignIn;
struct SourceContext;

namespace Graph {
// A folder's backfill cursor (FolderCursor::state, JSON): the URL of the page
// to read next — Graph's @odata.nextLink verbatim, never taken apart
// (PROVIDERS.md 1.2); empty for the first page — how many messages of the
// folder were passed, and the folder's estimate when the job began.
struct Cursor
{
    QString next;
    qint64 seen = 0;
    qint64 estimate = -1;
    static Cursor parse(const QByteArray &json);
    QByteArray toJson() const;
};
// What a Graph folder's FolderRecord::sourceState holds (JSON): the delta
// baseline live sync will start from, taken before the first page of the
// first backfill — the deltaLink of a delta round filtered to mail received
// from a little before then (so it is one short round however big the
// folder is, and nothing that arrives during the backfill is missed).
struct FolderState
{
    QString deltaLink;
    QDateTime baselineFrom;
    static FolderState parse(const QByteArray &json);
    QByteArray toJson() const;
};
// The well-known folder name of a role: inbox, sentitems (never drafts).
QString wellKnownName(const QString &role);
// "/me" for the signed-in mailbox, "/users/<address>" for a shared one (a
// connection with a parent).
QString mailboxPath(const ConnectionRecord &connection);
// "receivedDateTime ge 2024-01-01T00:00:00Z"; empty for everything.
QString rangeFilter(const QDateTime &rangeStart);
// The first page of a folder's messages, newest first: $select of what is
// kept, $top, the range as $filter with $orderby on the same property (the
// InefficientFilter rule, PROVIDERS.md 1.3). No $count: Graph counts slowly
// (PROVIDERS.md 1.8), and the range was counted once while planning.
QString listPath(const QString &mailbox, const QString &role, const QDateTime &rangeStart, int top);
// The request whose @odata.count is the number of a folder's messages from
// rangeStart on: the filtered list, one id asked for.
QString rangeCountPath(const QString &mailbox, const QString &role, const QDateTime &rangeStart);
} // namespace Graph

// A Microsoft 365 mailbox through Microsoft Graph as a MailSource: the
// signed-in user's (/me) or a shared mailbox (/users/<address>) through its
// parent's sign-in and request budget.
//
// Inbox and Sent are the well-known folders inbox and sentitems, listed
// newest first, bodies included, kListTop messages a call; each page is one
// list request, plus one attachment listing (metadata only: name, size,
// type, inline) for each message that has attachments. Graph's nextLink is
// the cursor. The estimate is the folder's totalItemCount for everything and
// @odata.count of the filtered list for a range (one rangeCountPath()
// request while planning), corrected as pages arrive.
//
// Provider ids: Graph::providerId() ("ms:<immutable id>"). A message moved
// from Inbox to Sent during the backfill keeps its id and is stored once.
//
// Errors: 401 asks the sign-in for a new token once, then AuthExpired; 403 is
// PermissionDenied (a shared mailbox whose owner removed the grant); 429/503
// wait as GraphApi says.
//
// Thread: a sync task's thread. Owner: the task.
class GraphSource : public MailSource
{
    Q_OBJECT
public:
    GraphSource(const SourceContext &context, QObject *parent = nullptr);
    ~GraphSource() override;

    void open(Done done) override;
    QVector<SourceFolder> folders() const override;
    void planBackfill(const FolderRecord &folder, const QDateTime &rangeStart, const QByteArray &cursor,
                      PlanDone done) override;
    void planLive(const FolderRecord &folder, PlanDone done) override;
    void fetchPage(const QString &role, int pageSize, PageDone done) override;
    qint64 pending(const QString &role) const override;
    bool hasMore(const QString &role) const override;
    void close() override;

    // Messages per list request (PROVIDERS.md 1.1: at most 250 with bodies).
    static constexpr int kListTop = 100;

private:
    using ApiDone = std::function<void(const SyncError &, const Graph::Reply &)>;
    struct Folder
    {
        FolderRecord record;
        QDateTime rangeStart;
        Graph::Cursor cursor;
        QJsonArray held;        // the page at cursor.next, read and not yet handed out
        bool haveHeld = false;
        QString heldNext;       // that page's nextLink ("" on the last page)
        bool firstDone = false; // a page was handed out in this run
    };
    struct PageFetch;

    // A GET of a path below the API, or of an absolute URL Graph gave.
    void call(const QString &pathOrUrl, ApiDone done, int authTries = 0);
    void readPage(const QString &role, std::function<void(const SyncError &)> done);
    void recordBaseline(const QString &role, const QString &url, int pages, std::function<void(const SyncError &)> done);
    void fetchAttachments(std::shared_ptr<PageFetch> fetch);
    void finishPage(std::shared_ptr<PageFetch> fetch, const SyncError &error);
    template<typename F>
    void later(F f) { QMetaObject::invokeMethod(this, std::move(f), Qt::QueuedConnection); }

    ConnectionRecord m_account;
    QString m_mailbox;
    QPointer<SignIn> m_signIn;
    ArchiveView *m_archive;
    int m_timeoutMs;
    QUrl m_apiUrl;
    GraphApi *m_api = nullptr;
    QHash<QString, Folder> m_folders;
    QSet<QString> m_read; // ids handed out this run (a message moved mid-run is read once)
    quint64 m_generation = 0;
};

} // namespace Lookback
