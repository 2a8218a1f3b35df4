#pragma once

#include "archive/records.h"
#include "common/syncerror.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QVector>
#include <functional>

namespace Lookback {

// One of the folders a backfill pulls, as the provider names it.
struct SourceFolder
{
    QString role;        // "inbox" or "sent"
    QString remoteName;  // "INBOX", "Sent Items", "[Gmail]/Sent Mail", a label or folder id
};

// What a source decided about one folder before its first page.
struct FolderPlan
{
    QString role;
    QByteArray cursor;            // where the folder continues: the source's own, opaque to the engine
    // The folder's new source state (FolderRecord::sourceState), stored before
    // page 1: the incremental cursor for live sync, the provider's numbering.
    QByteArray folderState;
    bool forgetLocationIds = false; // the provider renumbered the folder (IMAP UIDVALIDITY)
    qint64 totalInRange = -1;     // messages of the range on the server (the "~M"); -1 unknown
    qint64 pending = 0;           // of those, still to fetch
    bool exact = true;            // false: both counts are the provider's estimate
};

// One page of a folder, newest first. A page that ends in an error may still
// carry what arrived whole before it: the engine stores that, then retries.
struct SourcePage
{
    QVector<MessageRecord> messages;   // complete messages, and location-only matches
    QVector<MessageFailure> failures;  // messages that could not be read even when asked for alone
    QByteArray cursor;                 // the folder's cursor once this page is stored
    bool hasFolderState = false;
    QByteArray folderState;            // live pages: the folder's new live position
    bool hasMore = false;              // more of the folder after this page
    qint64 bytes = 0;                  // read from the provider for this page
    int settled = 0;                   // messages this page dealt with: stored, failed, or gone from the server
};

// A provider's mailbox, read page by page: IMAP today, the Gmail API and
// Microsoft Graph next, each in a folder of its own. A source knows nothing
// of SQLite: it looks at what is archived through a read-only ArchiveView it
// was given and returns plans and pages; only the sync engine stores them.
//
// Each provider defines the format of its provider ids (MessageRecord::
// providerId) in one place, stable for as long as the provider keeps the
// message where it is.
//
// Asynchronous: every call answers through its callback exactly once, later,
// on the source's thread (never from inside the call).
//
// Thread: created by SourceFactory, used and destroyed on one sync task's
// thread. Owner: that task (close(), then deleteLater()).
class MailSource : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const SyncError &)>;
    using PlanDone = std::function<void(const SyncError &, const FolderPlan &)>;
    using PageDone = std::function<void(const SyncError &, const SourcePage &)>;

    using QObject::QObject;
    ~MailSource() override = default;

    // Gets a fresh credential from the sign-in, connects, finds Inbox and Sent.
    virtual void open(Done done) = 0;
    // Inbox first, then Sent when the mailbox has one.
    virtual QVector<SourceFolder> folders() const = 0;
    // Counts the range in a folder (rangeStart invalid: everything) and
    // positions on `cursor` (empty: the start).
    virtual void planBackfill(const FolderRecord &folder, const QDateTime &rangeStart, const QByteArray &cursor,
                              PlanDone done) = 0;
    // Mail that arrived since the folder's live position (in folder.sourceState),
    // oldest first; with no live position yet, records one at "now" and plans nothing.
    virtual void planLive(const FolderRecord &folder, PlanDone done) = 0;
    // The next page of the folder last planned for `role`, at most pageSize messages.
    virtual void fetchPage(const QString &role, int pageSize, PageDone done) = 0;
    // Messages of the planned folder still to fetch (an estimate for some providers).
    virtual qint64 pending(const QString &role) const = 0;
    virtual bool hasMore(const QString &role) const = 0;
    // Ends the session politely; no callback runs afterwards.
    virtual void close() = 0;
};

} // namespace Lookback
