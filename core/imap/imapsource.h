#pragma once

#include "imap/imapconnection.h"
#include "source/mailsource.h"

#include <QHash>
#include <QPointer>
#include <QSet>
#include <memory>

namespace Lookback {

class ArchiveView;
class SignIn;
struct Credential;
struct SourceContext;

namespace Imap {
// What an IMAP folder's FolderRecord::sourceState holds (JSON).
struct FolderState
{
    quint32 uidValidity = 0;
    quint32 liveUidNext = 0;   // first UID live sync has not seen; 0 = no live position yet
    quint64 highestModSeq = 0;
    static FolderState parse(const QByteArray &json);
    QByteArray toJson() const;
};
// What an IMAP backfill cursor (FolderCursor::state) holds (JSON): the
// numbering it belongs to and UIDNEXT when the job first saw the folder. UIDs
// from topUid up are live sync's; below it, whatever is in the range and not
// archived is still to fetch, so the cursor needs no other watermark.
struct BackfillCursor
{
    quint32 uidValidity = 0;
    quint32 topUid = 0;
    static BackfillCursor parse(const QByteArray &json);
    QByteArray toJson() const;
};
// How to reach an account's server with a credential from its sign-in.
ImapSettings settingsFor(const ConnectionRecord &account, const Credential &credential, int timeoutMs = 60000);
} // namespace Imap

// A mailbox on an IMAP server as a MailSource.
//
// Finds Inbox and Sent by SPECIAL-USE (names as a fallback), counts a date
// range with SEARCH SINCE and the exact INTERNALDATE, and fetches pages newest
// first: BODYSTRUCTURE and headers, then only the text parts. Attachment
// content is never requested.
//
// Only what was asked for is taken from the server's answers: a FETCH for a
// UID outside the command (a flag change by another client), a FETCH without
// UID, or items missing from a message never make a message. A message that
// did not arrive whole is asked for again alone; if it still fails it is
// reported as a MessageFailure with the server's or parser's words, and the
// folder goes on. When the connection drops mid-page, the messages that did
// arrive whole are returned with the error.
//
// Provider ids: "gm:<hex X-GM-MSGID>" where the server has Gmail's
// extension (the same message in every folder), otherwise
// "<mailbox>/<UIDVALIDITY>/<UID>" (providerId()).
//
// Thread: a sync task's thread. Owner: the task.
class ImapSource : public MailSource
{
    Q_OBJECT
public:
    ImapSource(const SourceContext &context, QObject *parent = nullptr);
    ~ImapSource() override;

    void open(Done done) override;
    QVector<SourceFolder> folders() const override;
    void planBackfill(const FolderRecord &folder, const QDateTime &rangeStart, const QByteArray &cursor,
                      PlanDone done) override;
    void planLive(const FolderRecord &folder, PlanDone done) override;
    void fetchPage(const QString &role, int pageSize, PageDone done) override;
    qint64 pending(const QString &role) const override;
    bool hasMore(const QString &role) const override { return pending(role) > 0; }
    void close() override;

    ImapConnection *connection() const { return m_connection; }

    // The one definition of an IMAP message's provider id.
    static QString providerId(const QString &mailbox, quint32 uidValidity, quint32 uid, quint64 gmailMessageId);
    // Sent folder names tried, in order, when the server marks none \Sent.
    static QStringList sentFallbackNames();
    // Inbox and Sent among a LIST answer: "inbox"/"sent" -> mailbox name. Sent
    // by its \Sent attribute, else by a usual name; never a \Noselect folder.
    static QHash<QString, QString> findFolders(const QVector<Imap::ListEntry> &entries);
    // Which conversation a message belongs to (see the rule in the .cpp).
    static QString threadKeyFor(const MessageRecord &message);
    // Largest part of a text body we keep (the rest is cut by the server, or refused).
    static constexpr int kMaxTextBytes = 4 * 1024 * 1024;

private:
    struct Folder
    {
        FolderRecord record;
        Imap::FolderState state;
        Imap::BackfillCursor cursor;
        QVector<quint32> pending; // backfill: newest first; live: oldest first
        bool rematch = false;     // UIDs were forgotten: match by content before downloading
        bool live = false;
        quint32 uidNext = 0;      // at plan time
    };
    struct SelectInfo
    {
        quint32 uidValidity = 0;
        quint32 uidNext = 0;
        quint64 highestModSeq = 0;
        quint32 exists = 0;
    };
    struct PageFetch;

    void select(const QString &role, std::function<void(const SyncError &, const SelectInfo &)> done);
    void searchRange(const QDateTime &rangeStart, quint32 belowUid, quint32 exists,
                     std::function<void(const SyncError &, QVector<quint32>)> done);
    // SELECT, then settle the numbering and the live position; `then` continues the plan.
    void openFolder(const QString &role, PlanDone done, std::function<void(Folder &, const SelectInfo &, FolderPlan &)> then);
    void rematchStep(std::shared_ptr<PageFetch> fetch);
    void headerStep(std::shared_ptr<PageFetch> fetch, const QVector<quint32> &uids, std::function<void()> next);
    void textStep(std::shared_ptr<PageFetch> fetch, const QVector<quint32> &uids, std::function<void()> next);
    void retryAlone(std::shared_ptr<PageFetch> fetch);
    void finishPage(std::shared_ptr<PageFetch> fetch, const SyncError &error);
    MessageRecord buildRecord(const Folder &folder, const struct FetchedMessage &m) const;
    QByteArray searchCommand(const QByteArray &criteria) const;
    static QVector<quint32> searchResults(const ImapConnection::Result &r);

    ConnectionRecord m_account;
    QPointer<SignIn> m_signIn;
    ArchiveView *m_archive;
    int m_timeoutMs;
    QPointer<ImapConnection> m_connection;
    QHash<QString, QString> m_remoteNames; // role -> mailbox name
    QHash<QString, Folder> m_folders;      // role -> state
    QString m_selectedRole;
    quint64 m_generation = 0;              // bumped by close(): late answers are dropped
};

} // namespace Lookback
