#include "scriptedsource.h"

#include "auth/signin.h"
#include "source/archiveview.h"
#include "source/mailsource.h"
#include "source/sourcefactory.h"

#include <QMutexLocker>
#include <QTimer>

namespace Lookback::Test {

namespace {

QMutex g_registryMutex;
QHash<QString, std::shared_ptr<ScriptedMailbox>> &registry()
{
    static QHash<QString, std::shared_ptr<ScriptedMailbox>> mailboxes;
    return mailboxes;
}

// No secret at all: the scripted provider signs anyone in.
class ScriptedSignIn : public SignIn
{
public:
    using SignIn::SignIn;

protected:
    void fetch(CredentialDone done) override { done(SyncError(), Credential{QStringLiteral("scripted"), {}, {}}); }
};

class ScriptedSource : public MailSource
{
public:
    ScriptedSource(const SourceContext &context, QObject *parent)
        : MailSource(parent)
        , m_context(context)
        , m_mailbox(ScriptedMailbox::get(context.connection.name))
    {
    }

    void open(Done done) override
    {
        const SyncError error = m_mailbox->openError();
        later([done, error] { done(error); });
    }

    QVector<SourceFolder> folders() const override
    {
        return {{QStringLiteral("inbox"), QStringLiteral("Inbox")}, {QStringLiteral("sent"), QStringLiteral("Sent")}};
    }

    void planBackfill(const FolderRecord &folder, const QDateTime &rangeStart, const QByteArray &cursor,
                      PlanDone done) override
    {
        Folder &f = m_folders[folder.role];
        f = Folder();
        f.record = folder;
        const ScriptedMailbox::Snapshot snap = m_mailbox->snapshot(folder.role);
        f.unreadable = snap.unreadable;
        f.delayMs = snap.delayMs;
        QVector<ScriptedMailbox::Message> inRange;
        for (const ScriptedMailbox::Message &m : snap.folder) {
            if (!rangeStart.isValid() || m.received >= rangeStart)
                inRange << m;
        }
        int position = 0;
        if (cursor.startsWith("pos:"))
            position = std::clamp(cursor.mid(4).toInt(), 0, int(inRange.size()));
        QStringList ids;
        for (const ScriptedMailbox::Message &m : inRange)
            ids << m.providerId;
        const QSet<QString> archived = m_context.archive->knownProviderIds(m_context.connection.id, ids);
        const QSet<QString> unreadable = m_context.archive->unreadableThisRun(folder.id);
        for (int i = position; i < inRange.size(); ++i) {
            if (!archived.contains(inRange[i].providerId) && !unreadable.contains(inRange[i].providerId))
                f.queue.append({i, inRange[i]});
        }
        f.position = position;
        FolderPlan plan;
        plan.role = folder.role;
        plan.cursor = "pos:" + QByteArray::number(position);
        plan.folderState = "{}";
        plan.totalInRange = inRange.size();
        plan.pending = f.queue.size();
        later([done, plan] { done(SyncError(), plan); });
    }

    void planLive(const FolderRecord &folder, PlanDone done) override
    {
        m_folders[folder.role] = Folder(); // the scripted provider has no live mail
        FolderPlan plan;
        plan.role = folder.role;
        plan.folderState = "{}";
        later([done, plan] { done(SyncError(), plan); });
    }

    void fetchPage(const QString &role, int pageSize, PageDone done) override
    {
        Folder &f = m_folders[role];
        ScriptedMailbox::PageFault fault;
        const bool faulty = m_mailbox->takeFault(&fault);
        SourcePage page;
        const int n = std::min<int>(pageSize, f.queue.size());
        const int whole = faulty ? std::min(fault.keepFirst, n) : n;
        QStringList delivered;
        for (int i = 0; i < whole; ++i) {
            const auto &[index, m] = f.queue.at(i);
            if (f.unreadable.contains(m.providerId)) {
                page.failures.append({m.providerId, f.record.id, f.unreadable.value(m.providerId)});
            } else {
                page.messages << record(f.record, m);
                delivered << m.providerId;
            }
            ++page.settled;
        }
        if (!faulty) {
            if (n > 0)
                f.position = f.queue.at(n - 1).first + 1;
            f.queue.remove(0, n);
        } else {
            f.queue.remove(0, whole); // what arrived whole is settled; the cursor stays where it was
        }
        m_mailbox->noteDelivered(delivered, pageSize);
        page.cursor = "pos:" + QByteArray::number(f.position);
        page.hasMore = !f.queue.isEmpty();
        page.bytes = page.messages.size() * 1000;
        const SyncError error = faulty ? fault.error : SyncError();
        if (f.delayMs > 0)
            QTimer::singleShot(f.delayMs, this, [done, error, page] { done(error, page); });
        else
            later([done, error, page] { done(error, page); });
    }

    qint64 pending(const QString &role) const override { return m_folders.value(role).queue.size(); }
    bool hasMore(const QString &role) const override { return !m_folders.value(role).queue.isEmpty(); }
    void close() override {}

private:
    struct Folder
    {
        FolderRecord record;
        QVector<QPair<int, ScriptedMailbox::Message>> queue; // (position in the range, message)
        QHash<QString, QString> unreadable;
        int position = 0;
        int delayMs = 0;
    };

    template<typename F>
    void later(F f)
    {
        QMetaObject::invokeMethod(this, f, Qt::QueuedConnection);
    }

    MessageRecord record(const FolderRecord &folder, const ScriptedMailbox::Message &m) const
    {
        MessageRecord r;
        r.connectionId = m_context.connection.id;
        r.providerId = m.providerId;
        r.messageId = m.messageId;
        r.folderId = folder.id;
        r.folderRole = folder.role;
        r.subject = m.subject;
        r.fromAddress = QStringLiteral("sender@example.org");
        r.receivedAt = m.received;
        r.sentAt = m.received;
        r.size = m.size;
        r.bodyText = m.body;
        r.snippet = m.body.left(100);
        r.threadKey = QStringLiteral("p:") + m.providerId;
        return r;
    }

    SourceContext m_context;
    std::shared_ptr<ScriptedMailbox> m_mailbox;
    QHash<QString, Folder> m_folders;
};

} // namespace

void ScriptedMailbox::registerProvider()
{
    SourceFactory::registerProvider(
        ProviderKind::Scripted,
        [](const SourceContext &c, QObject *parent) -> MailSource * { return new ScriptedSource(c, parent); },
        [](const ConnectionRecord &, QObject *parent) -> SignIn * { return new ScriptedSignIn(parent); });
}

std::shared_ptr<ScriptedMailbox> ScriptedMailbox::get(const QString &name)
{
    QMutexLocker lock(&g_registryMutex);
    auto &slot = registry()[name];
    if (!slot) {
        slot = std::make_shared<ScriptedMailbox>();
        slot->m_name = name;
    }
    return slot;
}

void ScriptedMailbox::add(const QString &role, const QDateTime &received, const QString &subject, const QString &body,
                          const QString &messageId)
{
    QMutexLocker lock(&m_mutex);
    Message m;
    m.providerId = QStringLiteral("s:%1:%2").arg(m_name).arg(m_messages.size());
    m.role = role;
    m.received = received;
    m.subject = subject;
    m.body = body.isEmpty() ? QStringLiteral("Body of %1").arg(subject) : body;
    m.messageId = messageId;
    m.size = 1000 + m_messages.size();
    m_messages << m;
}

void ScriptedMailbox::setUnreadable(const QString &providerId, const QString &reason)
{
    QMutexLocker lock(&m_mutex);
    m_unreadable.insert(providerId, reason);
}

void ScriptedMailbox::clearUnreadable(const QString &providerId)
{
    QMutexLocker lock(&m_mutex);
    m_unreadable.remove(providerId);
}

void ScriptedMailbox::addPageFault(const PageFault &fault)
{
    QMutexLocker lock(&m_mutex);
    m_faults << fault;
}

void ScriptedMailbox::setOpenError(const SyncError &error)
{
    QMutexLocker lock(&m_mutex);
    m_openError = error;
}

void ScriptedMailbox::setPageDelayMs(int ms)
{
    QMutexLocker lock(&m_mutex);
    m_delayMs = ms;
}

QVector<ScriptedMailbox::Message> ScriptedMailbox::messages() const
{
    QMutexLocker lock(&m_mutex);
    return m_messages;
}

QHash<QString, int> ScriptedMailbox::deliveries() const
{
    QMutexLocker lock(&m_mutex);
    return m_deliveries;
}

int ScriptedMailbox::pagesFetched() const
{
    QMutexLocker lock(&m_mutex);
    return m_pages;
}

int ScriptedMailbox::opens() const
{
    QMutexLocker lock(&m_mutex);
    return m_opens;
}

QVector<int> ScriptedMailbox::pageSizes() const
{
    QMutexLocker lock(&m_mutex);
    return m_pageSizes;
}

ScriptedMailbox::Snapshot ScriptedMailbox::snapshot(const QString &role) const
{
    QMutexLocker lock(&m_mutex);
    Snapshot s;
    for (const Message &m : m_messages) {
        if (m.role == role)
            s.folder << m;
    }
    std::stable_sort(s.folder.begin(), s.folder.end(),
                     [](const Message &a, const Message &b) { return a.received > b.received; });
    s.unreadable = m_unreadable;
    s.delayMs = m_delayMs;
    return s;
}

bool ScriptedMailbox::takeFault(PageFault *fault)
{
    QMutexLocker lock(&m_mutex);
    ++m_pages;
    for (int i = 0; i < m_faults.size(); ++i) {
        if (m_faults[i].atPage == m_pages) {
            *fault = m_faults.takeAt(i);
            return true;
        }
    }
    return false;
}

void ScriptedMailbox::noteDelivered(const QStringList &providerIds, int pageSize)
{
    QMutexLocker lock(&m_mutex);
    for (const QString &id : providerIds)
        ++m_deliveries[id];
    m_pageSizes << pageSize;
}

SyncError ScriptedMailbox::openError()
{
    QMutexLocker lock(&m_mutex);
    ++m_opens;
    return m_openError;
}

} // namespace Lookback::Test
