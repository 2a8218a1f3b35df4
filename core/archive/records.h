#pragma once

#include "common/health.h"
#include "common/providerkind.h"

#include <QByteArray>
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
    ProviderKind kind = ProviderKind::Imap;
    QString host;
    quint16 port = 0;
    QString security;           // "tls", "starttls", "none"
    QString username;
    QString trustedCertSha256;  // hex SHA-256 of a certificate the user chose to trust, or empty
    Health health = Health::Healthy;
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
    // What the source needs to remember about the folder between runs, in its
    // own format (IMAP: UIDVALIDITY, the live UIDNEXT, HIGHESTMODSEQ). Opaque
    // to everything but the source that wrote it.
    QByteArray sourceState;
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
    // The message's identity: unique per connection, compared byte for byte.
    // Each provider defines its format in one place (see its source).
    QString providerId;
    QString messageId;          // RFC 5322 Message-ID without <>: only a hint (see ArchiveStore::sameMessage)
    QString threadKey;
    QString fromName;
    QString fromAddress;
    QString toText;             // formatted "Name <addr>, ..."
    QString ccText;
    QString subject;
    QDateTime receivedAt;       // INTERNALDATE / receivedDateTime / internalDate, UTC
    QDateTime sentAt;           // Date: header
    qint64 size = 0;            // the provider's size of the whole message
    QString snippet;
    QString bodyText;
    QString bodyHtml;
    QString inReplyTo;
    QStringList references;
    QVector<AttachmentRecord> attachments;
    QString folderRole;         // which folder it was found in for this write
    // Where the server keeps it: one message may live in several folders.
    // IMAP also gives its (UIDVALIDITY, UID) there; 0 for providers without.
    qint64 folderId = 0;
    quint32 uidValidity = 0;
    quint32 uid = 0;
    // Only the identity fields (messageId, sentAt, size, subject, fromAddress)
    // are filled: the source matched it to an archived message without
    // downloading it (after a UIDVALIDITY change). Stored as a second provider
    // id and location of that message, or dropped if the match went stale.
    bool locationOnly = false;
};

// A message the source could not read even when it was asked for alone. It is
// recorded, shown, and tried again on the next run; the folder goes on.
struct MessageFailure
{
    QString providerId;
    qint64 folderId = 0;
    QString reason;             // the server's or the parser's words: plain text
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
    qint64 fetched = 0;         // messages this job added to the archive
    qint64 estimatedTotal = -1;
    QString errorCategory;
    QString errorMessage;
    // Paused because the program quit (not by the user): resumed at the next start.
    bool interrupted = false;
};

// Where one folder's part of a backfill stands. `state` is the source's own
// cursor (opaque); done once the folder has nothing more in the range.
struct FolderCursor
{
    qint64 jobId = 0;
    qint64 folderId = 0;
    QString role;
    QByteArray state;
    bool done = false;
    qint64 fetched = 0;
    qint64 total = -1;
};

// A stretch of received dates of one folder that is completely archived
// (every message in it stored, or recorded as unreadable). An invalid start
// means "from the very first message".
struct CoverageInterval
{
    qint64 folderId = 0;
    QDateTime start;
    QDateTime end;
};

struct SyncRunRecord
{
    qint64 id = 0;
    qint64 connectionId = 0;
    QString kind;               // "backfill", "live"
    QDateTime startedAt;
    QDateTime endedAt;
    qint64 fetched = 0;
    qint64 failed = 0;          // messages that could not be read in this run
    QString outcome;            // "running", "complete", "paused", "cancelled", "failed"
    QString message;
};

} // namespace Lookback

Q_DECLARE_METATYPE(Lookback::MessageSummary)
Q_DECLARE_METATYPE(Lookback::MessageRecord)
Q_DECLARE_METATYPE(Lookback::BackfillJobRecord)
