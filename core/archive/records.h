#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

namespace Lookback {

// Plain value types that cross thread boundaries (queued signals) and the
// archive API. No behaviour, no pointers: safe to copy between threads.

struct ConnectionRecord
{
    qint64 id = 0;
    QString name;               // the user's name for it, unique
    QString kind = QStringLiteral("imap");
    QString host;
    quint16 port = 0;
    QString security;           // "tls", "starttls", "none"
    QString username;
    QString trustedCertSha256;  // hex SHA-256 of a certificate the user chose to trust, or empty
    QString health = QStringLiteral("healthy");
    QString healthDetail;
    qint64 parentId = 0;        // a shared mailbox borrows its parent's sign-in
    QDateTime createdAt;
    QDateTime lastSyncAt;
};

struct FolderRecord
{
    qint64 id = 0;
    qint64 connectionId = 0;
    QString role;               // "inbox" or "sent"
    QString remoteName;
    quint32 uidValidity = 0;
    quint32 liveUidNext = 0;    // incremental cursor: first UID not yet seen by live sync
    quint64 highestModSeq = 0;
};

struct AttachmentRecord
{
    QString fileName;
    QString mimeType;
    qint64 size = 0;
    QString partNumber;
};

struct MessageRecord
{
    qint64 id = 0;
    qint64 connectionId = 0;
    QString providerId;         // unique per connection, BINARY compared
    QString messageId;          // RFC 5322 Message-ID without <>, secondary dedupe key
    QString threadKey;
    QString fromName;
    QString fromAddress;
    QString toText;             // formatted "Name <addr>, ..."
    QString ccText;
    QString subject;
    QDateTime receivedAt;       // INTERNALDATE / receivedDateTime / internalDate, UTC
    QDateTime sentAt;           // Date: header
    qint64 size = 0;
    QString snippet;
    QString bodyText;
    QString bodyHtml;
    QString inReplyTo;
    QStringList references;
    QVector<AttachmentRecord> attachments;
    QString folderRole;         // which folder it was found in for this write
    // Where the server keeps it (IMAP): one message may live in several folders.
    qint64 folderId = 0;
    quint32 uidValidity = 0;
    quint32 uid = 0;
    // True when only the location is new: the content is already archived
    // (matched by Message-ID after a UIDVALIDITY change), nothing else is written.
    bool locationOnly = false;
};

// A compact row for lists and search results.
struct MessageSummary
{
    qint64 id = 0;
    qint64 connectionId = 0;
    QString threadKey;
    QString fromName;
    QString fromAddress;
    QString toText;
    QString subject;
    QString snippet;
    QDateTime receivedAt;
    bool inInbox = false;
    bool inSent = false;
    bool hasAttachments = false;
};

enum class BackfillState { Running, Paused, Cancelled, Complete, Failed };
QString backfillStateName(BackfillState state);
BackfillState backfillStateFromName(const QString &name);

// Range of a backfill. days < 0 means everything; days == 0 means "skip".
struct BackfillRange
{
    int days = 90;
    static BackfillRange everything() { return BackfillRange{-1}; }
    bool isEverything() const { return days < 0; }
    bool isSkip() const { return days == 0; }
    // The exact start of the range for a backfill that starts at `now`.
    QDateTime startFor(const QDateTime &now) const
    {
        return isEverything() ? QDateTime() : now.addDays(-days);
    }
    QString label() const; // "30d", "all"
    static bool parse(const QString &text, BackfillRange *out);
};

struct BackfillJobRecord
{
    qint64 id = 0;
    qint64 connectionId = 0;
    BackfillRange range;
    QDateTime rangeStart;       // fixed when the job starts; invalid for "everything"
    BackfillState state = BackfillState::Running;
    QDateTime startedAt;
    QDateTime finishedAt;
    qint64 fetched = 0;
    qint64 estimatedTotal = -1;
    QString errorCategory;
    QString errorMessage;
};

// Where a folder's backfill stands. Newest first: everything in [belowUid, topUid)
// that belongs to the range is archived; the next page takes UIDs below belowUid.
struct FolderCursor
{
    qint64 jobId = 0;
    qint64 folderId = 0;
    QString role;
    quint32 uidValidity = 0;
    quint32 topUid = 0;         // UIDNEXT when the job first saw the folder (exclusive)
    quint32 belowUid = 0;
    bool done = false;
    qint64 fetched = 0;
    qint64 total = -1;
};

struct SyncRunRecord
{
    qint64 id = 0;
    qint64 connectionId = 0;
    QString kind;               // "backfill", "live"
    QDateTime startedAt;
    QDateTime endedAt;
    qint64 fetched = 0;
    QString outcome;            // "running", "complete", "paused", "cancelled", "failed"
    QString message;
};

} // namespace Lookback

Q_DECLARE_METATYPE(Lookback::MessageSummary)
Q_DECLARE_METATYPE(Lookback::MessageRecord)
Q_DECLARE_METATYPE(Lookback::BackfillJobRecord)
