#pragma once

#include "archive/records.h"
#include "common/syncerror.h"

#include <QString>
#include <QStringList>
#include <functional>

namespace Lookback {

// What a source found out about one folder before its first page.
struct FolderPlan
{
    QString role;
    quint32 uidValidity = 0;
    quint32 uidNext = 0;
    quint64 highestModSeq = 0;
    qint64 totalInRange = 0;  // messages of the range on the server (the "~M")
    qint64 pending = 0;       // of those, not yet archived
    bool validityChanged = false;
    FolderCursor cursor;      // the cursor to continue from (reset on a new UIDVALIDITY)
};

struct PageResult
{
    QVector<MessageRecord> messages;
    FolderCursor cursor;      // where the folder stands once this page is stored
    quint32 liveUidNext = 0;  // live pages: the folder's next live position
    qint64 bytes = 0;         // read from the server for this page
    int requested = 0;        // how many the page asked for (some may have vanished)
};

// A provider's mailbox, read page by page. IMAP today; Graph and Gmail
// implement the same steps. Asynchronous: every call answers through its
// callback, later, on the same thread.
//
// Thread: created, used and destroyed on one backfill worker's thread.
class MailSource
{
public:
    using Done = std::function<void(const SyncError &)>;
    using PlanDone = std::function<void(const SyncError &, const FolderPlan &)>;
    using PageDone = std::function<void(const SyncError &, const PageResult &)>;

    virtual ~MailSource() = default;

    // Connects, signs in and finds the Inbox and Sent folders.
    virtual void open(Done done) = 0;
    // The roles found ("inbox", "sent") and their names on the server.
    virtual QStringList roles() const = 0;
    virtual QString remoteName(const QString &role) const = 0;
    // Counts the range in a folder and positions on the cursor. rangeStart
    // invalid = everything.
    virtual void planFolder(const FolderRecord &folder, const QDateTime &rangeStart,
                            const FolderCursor &cursor, PlanDone done) = 0;
    // New mail since the folder's live cursor (for the hand-off to live sync).
    virtual void planLive(const FolderRecord &folder, PlanDone done) = 0;
    // The next page, newest first, of the folder last planned for `role`.
    virtual void fetchPage(const QString &role, int pageSize, PageDone done) = 0;
    virtual qint64 pendingCount(const QString &role) const = 0;
    virtual void close() = 0;
};

} // namespace Lookback
