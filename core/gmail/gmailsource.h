#pragma once

#include "gmail/gmailapi.h"
#include "source/mailsource.h"

#include <QHash>
#include <QPointer>
#include <QSet>
#include <memory>

namespace Lookback {

class ArchiveView;
class SignIn;
struct SourceContext;

namespace Gmail {
// A folder's backfill cursor (FolderCursor::state, JSON): the pageToken of the
// messages.list page that holds the next message ("" for the first page), how
// many of that page's ids are dealt with, how many ids of the folder were
// passed so far, and the folder's estimate when the job began.
struct Cursor
{
    QString pageToken;
    int skip = 0;
    qint64 seen = 0;
    qint64 estimate = -1;
    static Cursor parse(const QByteArray &json);
    QByteArray toJson() const;
};
// What a Gmail folder's FolderRecord::sourceState holds (JSON): the mailbox's
// historyId from users.getProfile, taken before the first page of the first
// backfill, where live sync (history.list) will start.
struct FolderState
{
    QString historyId;
    static FolderState parse(const QByteArray &json);
    QByteArray toJson() const;
};
// The label a role is listed by: INBOX, SENT (never DRAFT).
QString labelFor(const QString &role);
// The users.messages.list query for a range: "after:<epoch seconds>" one
// second before the range start (Gmail reads a date as midnight Pacific; the
// exact start is applied to internalDate afterwards). Empty for everything.
QString rangeQuery(const QDateTime &rangeStart);
} // namespace Gmail

// A Gmail mailbox through the Gmail API as a MailSource.
//
// Inbox and Sent are the labels INBOX and SENT, listed newest first with
// users.messages.list (500 ids a call) bounded by after:<epoch>, and read with
// batched users.messages.get (format=full, at most 50 a batch). A message in
// both is one message: the second folder finds it archived and adds only its
// location. Attachment content is never requested (no attachments.get, no
// format=raw); name, type and size come from the part tree.
//
// Inside a batch, calls that Gmail refused for rate (429 "Too many concurrent
// requests", 403 rate limits) or 5xx are asked again alone, after a jittered
// backoff from 250 ms (or Gmail's Retry-After), up to four more times; what still fails ends the page as Throttled with
// what arrived kept. A 401 asks the sign-in for a new token once; a second is
// AuthExpired (Needs reconnect). insufficientPermissions is PermissionDenied.
// Every call waits for its units in the account's RequestBudget.
//
// Provider ids: Gmail::providerId() ("gm:<id>").
//
// Thread: a sync task's thread. Owner: the task.
class GmailSource : public MailSource
{
    Q_OBJECT
public:
    GmailSource(const SourceContext &context, QObject *parent = nullptr);
    ~GmailSource() override;

    void open(Done done) override;
    QVector<SourceFolder> folders() const override;
    void planBackfill(const FolderRecord &folder, const QDateTime &rangeStart, const QByteArray &cursor,
                      PlanDone done) override;
    void planLive(const FolderRecord &folder, PlanDone done) override;
    void fetchPage(const QString &role, int pageSize, PageDone done) override;
    qint64 pending(const QString &role) const override;
    bool hasMore(const QString &role) const override;
    void close() override;

    // Largest number of messages one page reads.
    static constexpr int kMaxPage = GmailApi::kMaxBatch;
    static constexpr int kListPageSize = 500;
    static constexpr int kPartAttempts = 5;

private:
    using ApiDone = std::function<void(const SyncError &, const Gmail::Reply &)>;
    struct Folder
    {
        FolderRecord record;
        QString label;
        QDateTime rangeStart;
        Gmail::Cursor cursor;    // cursor.pageToken lists `ids`; cursor.skip indexes it
        QStringList ids;         // the current list page, newest first
        QString nextPageToken;   // of the current list page
        qint64 unknownLeft = 0;  // of ids from skip on, not archived at plan time (an estimate after that)
    };
    struct PageFetch;

    void apiGet(const QString &path, int cost, ApiDone done, int authTries = 0);
    void listPage(const QString &role, const QString &pageToken, std::function<void(const SyncError &)> done);
    void fetchRound(std::shared_ptr<PageFetch> fetch);
    void finishPage(std::shared_ptr<PageFetch> fetch, const SyncError &error);
    QString listPath(const Folder &f, const QString &pageToken, int maxResults) const;
    template<typename F>
    void later(F f) { QMetaObject::invokeMethod(this, std::move(f), Qt::QueuedConnection); }

    ConnectionRecord m_account;
    QPointer<SignIn> m_signIn;
    ArchiveView *m_archive;
    int m_timeoutMs;
    QUrl m_apiUrl;
    GmailApi *m_api = nullptr;
    QString m_historyId;
    QHash<QString, Folder> m_folders;
    // Ids whose content this source handed out: known even while their page
    // still waits for the writer (a message in Inbox and Sent is read once).
    QSet<QString> m_read;
    quint64 m_generation = 0;
};

} // namespace Lookback
