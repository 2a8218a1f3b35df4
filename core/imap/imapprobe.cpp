#include "imapprobe.h"

#include "common/logging.h"
#include "imap/bodystructure.h"
#include "imap/imapparser.h"
#include "imap/imapsource.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QMap>
#include <QPointer>
#include <QQueue>
#include <QSet>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <functional>
#include <memory>

namespace Lookback {

namespace {

// The same cap ImapSource puts on one text part: the sample fetches what a backfill would.
constexpr int kMaxTextBytes = ImapSource::kMaxTextBytes;

QByteArray quotedMailbox(const QString &name)
{
    return Imap::quoteString(Imap::encodeModifiedUtf7(name));
}

QByteArray sectionKey(const Imap::BodyPart &part)
{
    return part.partNumber.isEmpty() ? QByteArray("1") : part.partNumber.toUpper();
}

// "* ESEARCH (TAG "A5") UID COUNT 12" -> 12; -1 when there is no COUNT.
qint64 esearchCount(const Imap::Response &r)
{
    for (int i = 0; i + 1 < r.args.size(); ++i) {
        if (r.args.at(i).isAtom() && r.args.at(i).data.compare("COUNT", Qt::CaseInsensitive) == 0
            && r.args.at(i + 1).isNumber())
            return qint64(r.args.at(i + 1).number);
    }
    return -1;
}

} // namespace

// Does the network work of one ImapProbe, one request at a time.
//
// Thread: the probe's own thread, for everything after the constructor; its
// ImapConnection is created there, in startNext(). Owner: deleted on that thread when
// the thread finishes (QThread::finished -> deleteLater).
class ProbeWorker : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        bool count = false;
        ImapSettings settings;
        QList<int> days;
    };

    // Probe thread.
    void enqueue(const Request &request)
    {
        Q_ASSERT(QThread::currentThread() == thread());
        m_queue.enqueue(request);
        startNext();
    }

signals:
    void tested(const Lookback::ProbeResult &result);
    void counted(const Lookback::RangeCounts &counts);

private:
    struct Folder
    {
        QString name;
        qint64 exists = 0;
    };

    bool current(quint64 generation) const { return m_busy && generation == m_generation; }

    // Probe thread: starts the next queued request unless one is running.
    void startNext()
    {
        if (m_busy || m_queue.isEmpty())
            return;
        m_busy = true;
        const quint64 gen = ++m_generation;
        m_request = m_queue.dequeue();
        m_result = ProbeResult();
        m_counts = RangeCounts();
        m_folders.clear();
        ImapSettings &s = m_request.settings;
        s.host = s.host.trimmed();
        if (s.timeoutMs <= 0 || s.timeoutMs > ImapProbe::kTimeoutMs)
            s.timeoutMs = ImapProbe::kTimeoutMs;
        if (s.host.isEmpty()) {
            fail(gen, SyncError::make(ErrorCategory::Configuration, tr("No server name was given")));
            return;
        }
        if (s.port == 0) {
            fail(gen, SyncError::make(ErrorCategory::Configuration, tr("No port was given")));
            return;
        }
        qCInfo(lcImap) << "probe" << (m_request.count ? "count" : "test") << s.host << s.port
                       << securityName(s.security);
        m_connection = new ImapConnection(this);
        connect(m_connection, &ImapConnection::failed, this, [this, gen](const SyncError &e) { fail(gen, e); });
        connect(m_connection, &ImapConnection::ready, this, [this, gen] { listFolders(gen); });
        m_connection->open(s);
    }

    // Probe thread: reports the running request as failed, exactly once.
    void fail(quint64 gen, const SyncError &error)
    {
        if (!current(gen))
            return;
        if (m_request.count) {
            // Half-counted numbers would mislead: all unknown, with the reason.
            m_counts = RangeCounts();
            m_counts.error = error;
            finishCount(gen);
            return;
        }
        m_result.error = error;
        if (error.category == ErrorCategory::Tls && m_connection) {
            const QSslCertificate cert = m_connection->peerCertificate();
            if (!cert.isNull()) {
                m_result.certificateUntrusted = true;
                m_result.certificateFingerprint = ImapConnection::fingerprint(cert);
                m_result.certificateDigestHex = ImapConnection::digestHex(cert);
            }
        }
        finishTest(gen);
    }

    // Probe thread: closes the session politely and lets the next request run.
    void closeSession()
    {
        if (m_connection) {
            ImapConnection *c = m_connection;
            m_connection = nullptr;
            c->disconnect(this);
            c->logout();
            // Enough time for LOGOUT to be answered; it is aborted on deletion anyway.
            QTimer::singleShot(3000, c, &QObject::deleteLater);
        }
        m_busy = false;
        QMetaObject::invokeMethod(this, &ProbeWorker::startNext, Qt::QueuedConnection);
    }

    void finishTest(quint64 gen)
    {
        if (!current(gen))
            return;
        if (m_connection) {
            QStringList caps;
            const QSet<QByteArray> set = m_connection->capabilities();
            for (const QByteArray &c : set)
                caps << QString::fromLatin1(c);
            caps.sort();
            m_result.capabilities = caps;
        }
        const ProbeResult result = m_result;
        closeSession();
        qCInfo(lcImap) << "probe test:" << categoryName(result.error.category) << result.inboxName << result.sentName;
        emit tested(result);
    }

    void finishCount(quint64 gen)
    {
        if (!current(gen))
            return;
        const RangeCounts counts = m_counts;
        closeSession();
        qCInfo(lcImap) << "probe count:" << categoryName(counts.error.category) << counts.last30 << counts.last90
                       << counts.last365 << counts.everything << "rate" << counts.messagesPerSecond;
        emit counted(counts);
    }

    // Probe thread: LIST, then Inbox and Sent found the way ImapSource finds them.
    void listFolders(quint64 gen)
    {
        const QByteArray list = m_connection->hasCapability("SPECIAL-USE")
            ? QByteArray("LIST \"\" \"*\" RETURN (SPECIAL-USE)")
            : QByteArray("LIST \"\" \"*\"");
        m_connection->command(list, [this, gen](const ImapConnection::Result &r) {
            if (!current(gen))
                return;
            if (!r.ok()) {
                fail(gen, r.error);
                return;
            }
            const QVector<Imap::ListEntry> entries = Imap::listEntries(r.untagged);
            m_result.foldersListed = true;
            const QHash<QString, QString> folders = ImapSource::findFolders(entries);
            m_result.inboxName = folders.value(QStringLiteral("inbox"));
            m_result.sentName = folders.value(QStringLiteral("sent"));
            if (m_request.count) {
                startCounting(gen);
                return;
            }
            if (m_result.inboxName.isEmpty()) {
                fail(gen, SyncError::make(ErrorCategory::Configuration,
                                          tr("%1 lists no Inbox for %2").arg(m_request.settings.host,
                                                                             m_request.settings.username)));
                return;
            }
            if (m_result.sentName.isEmpty()) {
                fail(gen, SyncError::make(ErrorCategory::Configuration,
                                          tr("No Sent folder found on %1: no folder is marked as Sent and none is "
                                             "called %2")
                                              .arg(m_request.settings.host,
                                                   ImapSource::sentFallbackNames().join(QLatin1String(", ")))));
                return;
            }
            finishTest(gen);
        });
    }

    // Probe thread. Sent first, then Inbox, so the Inbox is still selected for the sample.
    void startCounting(quint64 gen)
    {
        if (!m_result.sentName.isEmpty())
            m_folders << Folder{m_result.sentName, 0};
        if (!m_result.inboxName.isEmpty())
            m_folders << Folder{m_result.inboxName, 0};
        if (m_folders.isEmpty()) {
            fail(gen, SyncError::make(ErrorCategory::Configuration,
                                      tr("%1 has neither an Inbox nor a Sent folder to count").arg(m_request.settings.host)));
            return;
        }
        QList<int> days = {30, 90, 365};
        for (int d : qAsConst(m_request.days)) {
            if (d > 0 && !days.contains(d))
                days << d;
        }
        std::sort(days.begin(), days.end());
        m_days = days;
        m_counts.everything = 0;
        for (int d : qAsConst(m_days))
            m_counts.byDays.insert(d, 0);
        countFolder(gen, 0);
    }

    void examine(quint64 gen, int folder, std::function<void()> next)
    {
        m_connection->command("EXAMINE " + quotedMailbox(m_folders.at(folder).name),
                              [this, gen, folder, next](const ImapConnection::Result &r) {
            if (!current(gen))
                return;
            if (!r.ok()) {
                SyncError e = r.error;
                if (r.status == "NO")
                    e = SyncError::make(ErrorCategory::PermissionDenied,
                                        tr("Cannot open the folder %1: %2")
                                            .arg(m_folders.at(folder).name, QString::fromUtf8(r.text)));
                fail(gen, e);
                return;
            }
            for (const Imap::Response &resp : r.untagged) {
                if (resp.name == "EXISTS" && resp.hasNumber)
                    m_folders[folder].exists = resp.number;
            }
            next();
        });
    }

    void countFolder(quint64 gen, int folder)
    {
        if (folder >= m_folders.size()) {
            m_counts.last30 = m_counts.byDays.value(30);
            m_counts.last90 = m_counts.byDays.value(90);
            m_counts.last365 = m_counts.byDays.value(365);
            measureRate(gen);
            return;
        }
        examine(gen, folder, [this, gen, folder] {
            m_counts.everything += m_folders.at(folder).exists;
            if (m_folders.at(folder).exists == 0) {
                countFolder(gen, folder + 1);
                return;
            }
            // All searches queued at once; the connection sends them one after the other.
            auto remaining = std::make_shared<int>(m_days.size());
            const QDate today = QDateTime::currentDateTimeUtc().date();
            const bool esearch = m_connection->hasCapability("ESEARCH");
            for (int d : qAsConst(m_days)) {
                const QByteArray criteria = "SINCE " + Imap::formatSearchDate(today.addDays(-d));
                // Sequence numbers rather than UIDs: a shorter answer from a server without ESEARCH.
                const QByteArray cmd = (esearch ? QByteArray("SEARCH RETURN (COUNT) ") : QByteArray("SEARCH ")) + criteria;
                m_connection->command(cmd, [this, gen, folder, d, remaining](const ImapConnection::Result &r) {
                    if (!current(gen))
                        return;
                    if (!r.ok()) {
                        fail(gen, r.error);
                        return;
                    }
                    qint64 n = 0;
                    for (const Imap::Response &resp : r.untagged) {
                        if (resp.name == "ESEARCH")
                            n = std::max<qint64>(n, esearchCount(resp));
                        else if (resp.name == "SEARCH")
                            n += Imap::parseSearch(resp).size();
                    }
                    m_counts.byDays[d] += n;
                    if (--*remaining == 0)
                        countFolder(gen, folder + 1);
                });
            }
        });
    }

    // Probe thread: times a real fetch of the newest messages, as the backfill fetches
    // them: BODYSTRUCTURE and the header, then the text parts. A failure here leaves the
    // rate unknown (0) but keeps the counts.
    void measureRate(quint64 gen)
    {
        // m_folders is {Sent, Inbox} or {Inbox} or {Sent}; the last one is selected.
        int folder = int(m_folders.size()) - 1;
        if (m_folders.at(folder).exists == 0 && folder > 0 && m_folders.at(0).exists > 0) {
            examine(gen, 0, [this, gen] { sample(gen, 0); });
            return;
        }
        if (m_folders.at(folder).exists == 0) {
            finishCount(gen);
            return;
        }
        sample(gen, folder);
    }

    void sample(quint64 gen, int folder)
    {
        const qint64 exists = m_folders.at(folder).exists;
        const qint64 n = std::min<qint64>(ImapProbe::kSampleSize, exists);
        if (n <= 0) {
            finishCount(gen);
            return;
        }
        auto timer = std::make_shared<QElapsedTimer>();
        auto structures = std::make_shared<QMap<quint32, Imap::BodyPart>>();
        auto fetched = std::make_shared<QSet<quint32>>();
        timer->start();
        const QByteArray set = QByteArray::number(exists - n + 1) + ":*";
        m_connection->command("FETCH " + set + " (UID INTERNALDATE RFC822.SIZE BODYSTRUCTURE BODY.PEEK[HEADER])",
                              [this, gen, timer, structures, fetched](const ImapConnection::Result &r) {
            if (!current(gen))
                return;
            if (!r.ok()) {
                qCInfo(lcImap) << "probe: sample fetch failed:" << r.error.message;
                finishCount(gen);
                return;
            }
            QMap<QByteArray, QVector<quint32>> groups;
            for (auto it = structures->cbegin(); it != structures->cend(); ++it) {
                const Imap::TextPlan plan = Imap::planTextParts(it.value());
                QByteArrayList sections;
                const QByteArray cap = "]<0." + QByteArray::number(kMaxTextBytes) + '>';
                if (plan.hasPlain)
                    sections << "BODY.PEEK[" + sectionKey(plan.plain) + cap;
                if (plan.hasHtml)
                    sections << "BODY.PEEK[" + sectionKey(plan.html) + cap;
                if (!sections.isEmpty())
                    groups[sections.join(' ')] << it.key();
            }
            auto finish = [this, gen, timer, fetched] {
                const double seconds = std::max<double>(timer->nsecsElapsed() / 1e9, 1e-3);
                m_counts.messagesPerSecond = fetched->size() / seconds;
                finishCount(gen);
            };
            if (groups.isEmpty()) {
                finish();
                return;
            }
            auto remaining = std::make_shared<int>(groups.size());
            for (auto g = groups.cbegin(); g != groups.cend(); ++g) {
                m_connection->command("UID FETCH " + Imap::formatSequenceSet(g.value()) + " (UID " + g.key() + ")",
                                      [this, gen, remaining, finish](const ImapConnection::Result &r2) {
                    if (!current(gen))
                        return;
                    if (!r2.ok()) {
                        qCInfo(lcImap) << "probe: sample text fetch failed:" << r2.error.message;
                        finishCount(gen);
                        return;
                    }
                    if (--*remaining == 0)
                        finish();
                });
            }
        }, [structures, fetched](const Imap::Response &resp) {
            if (resp.name != "FETCH")
                return;
            Imap::FetchItem item;
            QString err;
            if (!Imap::parseFetch(resp, &item, &err) || item.uid == 0)
                return;
            fetched->insert(item.uid);
            if (item.hasBodyStructure)
                structures->insert(item.uid, item.bodyStructure);
        });
    }

    QQueue<Request> m_queue;
    bool m_busy = false;
    quint64 m_generation = 0;
    Request m_request;
    QPointer<ImapConnection> m_connection;
    ProbeResult m_result;
    RangeCounts m_counts;
    QVector<Folder> m_folders;
    QList<int> m_days;
};

ImapProbe::ImapProbe(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<Lookback::SyncError>();
    qRegisterMetaType<Lookback::ProbeResult>();
    qRegisterMetaType<Lookback::RangeCounts>();
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("lookback-imap-probe"));
    m_worker = new ProbeWorker;
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    // Queued: the worker emits on its thread, receivers hear it on ours.
    connect(m_worker, &ProbeWorker::tested, this, &ImapProbe::tested, Qt::QueuedConnection);
    connect(m_worker, &ProbeWorker::counted, this, &ImapProbe::counted, Qt::QueuedConnection);
    m_thread->start();
}

ImapProbe::~ImapProbe()
{
    // The worker's network work is asynchronous, so the event loop ends at once; the
    // worker and its connection are deleted on their thread as it finishes.
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void ImapProbe::test(const ImapSettings &settings)
{
    ProbeWorker::Request request;
    request.settings = settings;
    ProbeWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker, request] { worker->enqueue(request); }, Qt::QueuedConnection);
}

void ImapProbe::count(const ImapSettings &settings, const QList<int> &customDays)
{
    ProbeWorker::Request request;
    request.count = true;
    request.settings = settings;
    request.days = customDays;
    ProbeWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker, request] { worker->enqueue(request); }, Qt::QueuedConnection);
}

} // namespace Lookback

#include "imapprobe.moc"
