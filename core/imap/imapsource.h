#pragma once

#include "backfill/mailsource.h"
#include "imap/imapconnection.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace Lookback {

class ArchiveStore;

// A mailbox on an IMAP server as a MailSource.
//
// Finds Inbox and Sent by SPECIAL-USE (names as a fallback), counts a date
// range with SEARCH SINCE and the exact INTERNALDATE, and fetches pages newest
// first: BODYSTRUCTURE and headers, then only the text parts. Attachment
// content is never requested.
//
// Thread: a backfill worker's thread. Owner: the worker. `store` is the
// worker's own ArchiveStore (same thread), used to skip what is archived.
class ImapSource : public QObject, public MailSource
{
    Q_OBJECT
public:
    ImapSource(const ImapSettings &settings, ArchiveStore *store, qint64 connectionId, QObject *parent = nullptr);
    ~ImapSource() override;

    void open(Done done) override;
    QStringList roles() const override;
    QString remoteName(const QString &role) const override;
    void planFolder(const FolderRecord &folder, const QDateTime &rangeStart,
                    const FolderCursor &cursor, PlanDone done) override;
    void planLive(const FolderRecord &folder, PlanDone done) override;
    void fetchPage(const QString &role, int pageSize, PageDone done) override;
    qint64 pendingCount(const QString &role) const override;
    void close() override;

    ImapConnection *connection() const { return m_connection; }

    // Sent folder names tried, in order, when the server marks none \Sent.
    static QStringList sentFallbackNames();
    // Inbox and Sent among a LIST answer: "inbox"/"sent" -> mailbox name. Sent
    // by its \Sent attribute, else by a usual name; never a \Noselect folder.
    static QHash<QString, QString> findFolders(const QVector<Imap::ListEntry> &entries);
    // Which conversation a message belongs to (see the rule in the .cpp).
    static QString threadKeyFor(const MessageRecord &message);

private:
    struct FolderState
    {
        FolderRecord folder;
        FolderCursor cursor;
        QVector<quint32> pending; // newest first
        bool rematch = false;     // after a UIDVALIDITY change: match by Message-ID first
        bool live = false;
        quint32 uidNext = 0;
        quint64 highestModSeq = 0;
    };
    struct SelectInfo
    {
        quint32 uidValidity = 0;
        quint32 uidNext = 0;
        quint64 highestModSeq = 0;
        quint32 exists = 0;
    };

    void select(const QString &role, std::function<void(const SyncError &, const SelectInfo &)> done);
    void searchRange(const QDateTime &rangeStart, quint32 belowUid,
                     std::function<void(const SyncError &, QVector<quint32>)> done);
    // SELECT, then settle UIDVALIDITY and the live cursor; `then` continues the plan.
    void openFolder(const QString &role, PlanDone done,
                    std::function<void(FolderState &, const SelectInfo &, FolderPlan &)> then);
    void adoptValidity(FolderState &state, const SelectInfo &info, bool *changed, SyncError *error);
    void fetchContent(const QString &role, QVector<quint32> uids, PageDone done, PageResult result);
    MessageRecord buildRecord(const FolderState &state, const struct FetchedMessage &m) const;
    QByteArray searchCommand(const QByteArray &criteria) const;
    QVector<quint32> searchResults(const ImapConnection::Result &r) const;

    ImapSettings m_settings;
    ArchiveStore *m_store;
    qint64 m_connectionId;
    QPointer<ImapConnection> m_connection;
    QHash<QString, QString> m_remoteNames;   // role -> mailbox name
    QHash<QString, FolderState> m_folders;   // role -> state
    QString m_selectedRole;
};

} // namespace Lookback
