// A MailSource a test scripts, so the sync engine (pause, failures, partial
// pages, the writer, cursors) is tested without a server.
#pragma once

#include "archive/records.h"
#include "common/syncerror.h"

#include <QDateTime>
#include <QHash>
#include <QMutex>
#include <QSet>
#include <QString>
#include <QVector>
#include <memory>

namespace Lookback::Test {

// The scripted provider: a mailbox per connection name, with Inbox and Sent,
// read like a paged API (the cursor is the position in the folder's list,
// newest first, as "pos:N"; what the archive already has is skipped). The
// test thread sets it up and reads its counters; sync tasks read it on their
// threads (hence the mutex: test support only).
//
// Register once per process with ScriptedMailbox::registerProvider(); make a
// connection with kind ProviderKind::Scripted and the mailbox's name.
class ScriptedMailbox
{
public:
    struct Message
    {
        QString providerId;   // "s:<name>:<n>"
        QString role;         // "inbox" / "sent"
        QDateTime received;
        QString subject;
        QString messageId;
        QString body;
        qint64 size = 1000;
    };
    // A fault for one call to fetchPage (counted from 1 for each mailbox).
    struct PageFault
    {
        int atPage = 0;
        SyncError error;       // what the page ends with
        int keepFirst = 0;     // messages of the page delivered whole before it
    };

    static void registerProvider();
    // The mailbox for a connection name, created empty on first use.
    static std::shared_ptr<ScriptedMailbox> get(const QString &name);

    void add(const QString &role, const QDateTime &received, const QString &subject, const QString &body = QString(),
             const QString &messageId = QString());
    // Messages whose provider id is listed are unreadable: always a MessageFailure with this reason.
    void setUnreadable(const QString &providerId, const QString &reason);
    void clearUnreadable(const QString &providerId);
    void addPageFault(const PageFault &fault);
    // Every open() fails with this error while set.
    void setOpenError(const SyncError &error);
    void setPageDelayMs(int ms);

    QVector<Message> messages() const;
    // How often each message was delivered (a page handed it out whole).
    QHash<QString, int> deliveries() const;
    int pagesFetched() const;
    int opens() const;
    // The page sizes asked for, in order.
    QVector<int> pageSizes() const;

    // Used by the source (any thread).
    struct Snapshot
    {
        QVector<Message> folder;   // newest first
        QHash<QString, QString> unreadable;
        int delayMs = 0;
    };
    Snapshot snapshot(const QString &role) const;
    bool takeFault(PageFault *fault); // counts the page; true if it has a fault
    void noteDelivered(const QStringList &providerIds, int pageSize);
    SyncError openError();

private:
    mutable QMutex m_mutex;
    QString m_name;
    QVector<Message> m_messages;
    QHash<QString, QString> m_unreadable;
    QVector<PageFault> m_faults;
    SyncError m_openError;
    int m_delayMs = 0;
    QHash<QString, int> m_deliveries;
    QVector<int> m_pageSizes;
    int m_pages = 0;
    int m_opens = 0;
};

} // namespace Lookback::Test
