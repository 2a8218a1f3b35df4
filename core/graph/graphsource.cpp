#include "graphsource.h"

#include "auth/oauthconfig.h"
#include "auth/signin.h"
#include "common/logging.h"
#include "graph/graphmessage.h"
#include "source/archiveview.h"
#include "source/sourcefactory.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace Lookback {

namespace Graph {

Cursor Cursor::parse(const QByteArray &json)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    Cursor c;
    c.next = o.value(QLatin1String("next")).toString();
    c.seen = std::max<qint64>(0, qint64(o.value(QLatin1String("seen")).toDouble()));
    c.estimate = o.contains(QLatin1String("estimate")) ? qint64(o.value(QLatin1String("estimate")).toDouble()) : -1;
    return c;
}

QByteArray Cursor::toJson() const
{
    QJsonObject o;
    o.insert(QLatin1String("next"), next);
    o.insert(QLatin1String("seen"), double(seen));
    if (estimate >= 0)
        o.insert(QLatin1String("estimate"), double(estimate));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

FolderState FolderState::parse(const QByteArray &json)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    FolderState s;
    s.deltaLink = o.value(QLatin1String("deltaLink")).toString();
    s.baselineFrom = QDateTime::fromString(o.value(QLatin1String("baselineFrom")).toString(), Qt::ISODate);
    return s;
}

QByteArray FolderState::toJson() const
{
    QJsonObject o;
    o.insert(QLatin1String("deltaLink"), deltaLink);
    if (baselineFrom.isValid())
        o.insert(QLatin1String("baselineFrom"), baselineFrom.toUTC().toString(Qt::ISODate));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString wellKnownName(const QString &role)
{
    return role == QLatin1String("sent") ? QStringLiteral("sentitems") : QStringLiteral("inbox");
}

QString mailboxPath(const ConnectionRecord &connection)
{
    if (connection.parentId > 0)
        return QStringLiteral("/users/") + QString::fromLatin1(QUrl::toPercentEncoding(connection.username, "@"));
    return QStringLiteral("/me");
}

QString rangeFilter(const QDateTime &rangeStart)
{
    if (!rangeStart.isValid())
        return {};
    return QStringLiteral("receivedDateTime ge ") + rangeStart.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
}

namespace {

QString enc(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

} // namespace

QString listPath(const QString &mailbox, const QString &role, const QDateTime &rangeStart, int top)
{
    QString path = mailbox + QStringLiteral("/mailFolders/") + wellKnownName(role) + QStringLiteral("/messages?$select=")
        + enc(messageSelect()) + QStringLiteral("&$top=") + QString::number(top);
    const QString filter = rangeFilter(rangeStart);
    if (!filter.isEmpty()) {
        // The orderby property must be in the filter, first (InefficientFilter).
        path += QStringLiteral("&$filter=") + enc(filter);
    }
    path += QStringLiteral("&$orderby=") + enc(QStringLiteral("receivedDateTime desc"));
    return path;
}

QString rangeCountPath(const QString &mailbox, const QString &role, const QDateTime &rangeStart)
{
    return mailbox + QStringLiteral("/mailFolders/") + wellKnownName(role)
        + QStringLiteral("/messages?$select=id&$top=1&$count=true&$filter=") + enc(rangeFilter(rangeStart));
}

} // namespace Graph

namespace {

// How far before the first backfill the delta baseline starts: mail that
// arrives while the backfill runs, or on a server whose clock is a little
// behind ours, is in the first live round (and found archived if it was).
constexpr int kBaselineMarginSecs = 10 * 60;
constexpr int kMaxBaselinePages = 50;

} // namespace

struct GraphSource::PageFetch
{
    QString role;
    QJsonArray items;                    // the list page, newest first
    QString next;                        // its nextLink
    QVector<MessageRecord> records;      // per item: read (providerId empty: skipped)
    QVector<bool> known;                 // per item: archived already or read this run: a location only
    QHash<int, QString> failed;          // item -> reason
    QSet<int> gone;                      // deleted since it was listed, or outside the range
    int attachmentsWaiting = 0;
    SyncError error;                     // the first error of an attachment listing
    int authTries = 0;
    qint64 bytesAtStart = 0;
    PageDone done;
};

GraphSource::GraphSource(const SourceContext &context, QObject *parent)
    : MailSource(parent)
    , m_account(context.connection)
    , m_mailbox(Graph::mailboxPath(context.connection))
    , m_signIn(context.signIn)
    , m_archive(context.archive)
    , m_timeoutMs(context.timeoutMs)
{
    SyncError error;
    const OAuthProviderConfig endpoints = OAuthConfig::endpointsFor(ProviderKind::Microsoft, &error);
    if (!error.isError())
        m_apiUrl = endpoints.apiUrl;
    m_api = new GraphApi(m_apiUrl, m_signIn ? m_signIn->budget() : nullptr, m_timeoutMs, this);
}

GraphSource::~GraphSource() = default;

QVector<SourceFolder> GraphSource::folders() const
{
    return {{QStringLiteral("inbox"), QStringLiteral("inbox")}, {QStringLiteral("sent"), QStringLiteral("sentitems")}};
}

void GraphSource::call(const QString &pathOrUrl, ApiDone done, int authTries)
{
    if (!m_signIn) {
        later([done] { done(SyncError::make(ErrorCategory::AuthExpired, tr("This connection has no sign-in")), {}); });
        return;
    }
    const quint64 gen = m_generation;
    m_signIn->credential(this, [this, gen, pathOrUrl, done, authTries](const SyncError &e, const Credential &c) {
        if (gen != m_generation)
            return;
        if (e.isError()) {
            done(e, {});
            return;
        }
        m_api->setAccessToken(c.accessToken);
        auto answered = [this, gen, pathOrUrl, done, authTries](const Graph::Reply &r) {
            if (gen != m_generation)
                return;
            if (r.status == 401 && authTries == 0) {
                // Expired or revoked access token: one refresh, then the same call again.
                m_signIn->rejected(Graph::errorFor(r));
                call(pathOrUrl, done, 1);
                return;
            }
            done(r.ok() ? SyncError() : Graph::errorFor(r), r);
        };
        if (pathOrUrl.startsWith(QLatin1Char('/')))
            m_api->get(pathOrUrl, answered);
        else
            m_api->getUrl(QUrl(pathOrUrl, QUrl::StrictMode), answered);
    });
}

void GraphSource::open(Done done)
{
    QString why;
    if (!OAuthConfig::endpointAllowed(m_apiUrl, &why)) {
        later([done, why] { done(SyncError::make(ErrorCategory::Configuration, why)); });
        return;
    }
    // The inbox proves the sign-in works and, for a shared mailbox, that its
    // owner still shares it.
    call(m_mailbox + QStringLiteral("/mailFolders/inbox?$select=id,totalItemCount"),
         [done](const SyncError &e, const Graph::Reply &) { done(e); });
}

void GraphSource::recordBaseline(const QString &role, const QString &url, int pages,
                                 std::function<void(const SyncError &)> done)
{
    call(url, [this, role, pages, done](const SyncError &e, const Graph::Reply &r) {
        if (e.isError()) {
            if (e.category == ErrorCategory::Protocol) {
                // No baseline is no reason to hold the history back: live sync
                // will start with a full delta round instead.
                // (The state keeps its baselineFrom and no deltaLink.)
                qCWarning(lcSync) << "graph delta baseline refused:" << e.message;
                done(SyncError());
                return;
            }
            done(e);
            return;
        }
        Folder &f = m_folders[role];
        const QJsonObject o = r.json();
        const QString delta = o.value(QLatin1String("@odata.deltaLink")).toString();
        const QString next = o.value(QLatin1String("@odata.nextLink")).toString();
        if (!delta.isEmpty() || next.isEmpty() || pages + 1 >= kMaxBaselinePages) {
            Graph::FolderState state = Graph::FolderState::parse(f.record.sourceState);
            state.deltaLink = delta;
            f.record.sourceState = state.toJson();
            done(SyncError());
            return;
        }
        recordBaseline(role, next, pages + 1, done);
    });
}

void GraphSource::readPage(const QString &role, std::function<void(const SyncError &)> done)
{
    const Folder &f = m_folders[role];
    const QString url = f.cursor.next.isEmpty()
        ? Graph::listPath(m_mailbox, role, f.rangeStart, kListTop)
        : f.cursor.next;
    call(url, [this, role, done](const SyncError &e, const Graph::Reply &r) {
        if (e.isError()) {
            done(e);
            return;
        }
        Folder &f = m_folders[role];
        const QJsonObject o = r.json();
        if (!o.value(QLatin1String("value")).isArray()) {
            done(SyncError::make(ErrorCategory::Protocol, tr("Microsoft Graph sent a message list without messages")));
            return;
        }
        f.held = o.value(QLatin1String("value")).toArray();
        f.haveHeld = true;
        f.heldNext = o.value(QLatin1String("@odata.nextLink")).toString();
        done(SyncError());
    });
}

void GraphSource::planBackfill(const FolderRecord &folder, const QDateTime &rangeStart, const QByteArray &cursor,
                               PlanDone done)
{
    Folder &f = m_folders[folder.role];
    f = Folder();
    f.record = folder;
    f.rangeStart = rangeStart;
    f.cursor = Graph::Cursor::parse(cursor);
    const QString role = folder.role;
    const QString wk = Graph::wellKnownName(role);
    auto fail = [role, done](const SyncError &e) {
        FolderPlan plan;
        plan.role = role;
        done(e, plan);
    };
    // No content before the first fetchPage(): every folder is planned before
    // any page is read, and a page read here would be read again after a pause.
    auto list = [this, role, done, fail](qint64 folderTotal) {
        auto planned = [this, role, done]() {
            Folder &f = m_folders[role];
            FolderPlan plan;
            plan.role = role;
            plan.cursor = f.cursor.toJson();
            plan.folderState = f.record.sourceState;
            plan.exact = false;
            plan.totalInRange = std::max<qint64>(f.cursor.estimate, f.cursor.seen);
            plan.pending = pending(role);
            done(SyncError(), plan);
        };
        Folder &f = m_folders[role];
        if (f.cursor.estimate >= 0 || !f.rangeStart.isValid()) {
            if (f.cursor.estimate < 0)
                f.cursor.estimate = folderTotal;
            planned();
            return;
        }
        // The range's size: the filtered list's @odata.count, one id asked for.
        call(Graph::rangeCountPath(m_mailbox, role, f.rangeStart), [this, role, planned, fail, folderTotal](const SyncError &e, const Graph::Reply &r) {
            if (e.isError()) {
                fail(e);
                return;
            }
            const QJsonObject o = r.json();
            m_folders[role].cursor.estimate = o.contains(QLatin1String("@odata.count"))
                ? std::max<qint64>(0, qint64(o.value(QLatin1String("@odata.count")).toDouble()))
                : folderTotal;
            planned();
        });
    };
    auto afterBaseline = [this, role, wk, list, fail](const SyncError &e) {
        if (e.isError()) {
            fail(e);
            return;
        }
        // totalItemCount counts every item of the folder: an estimate.
        call(m_mailbox + QStringLiteral("/mailFolders/") + wk + QStringLiteral("?$select=id,totalItemCount"),
             [list, fail](const SyncError &e, const Graph::Reply &r) {
            if (e.isError()) {
                fail(e);
                return;
            }
            list(qint64(r.json().value(QLatin1String("totalItemCount")).toDouble(-1)));
        });
    };
    const Graph::FolderState stored = Graph::FolderState::parse(folder.sourceState);
    if (stored.baselineFrom.isValid()) {
        afterBaseline(SyncError());
        return;
    }
    Graph::FolderState baseline;
    baseline.baselineFrom = QDateTime::currentDateTimeUtc().addSecs(-kBaselineMarginSecs);
    f.record.sourceState = baseline.toJson();
    const QString url = m_mailbox + QStringLiteral("/mailFolders/") + wk + QStringLiteral("/messages/delta?$select=id&$filter=")
        + QString::fromLatin1(QUrl::toPercentEncoding(QStringLiteral("receivedDateTime ge ")
                                                      + baseline.baselineFrom.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"))));
    m_api->setExtraPreference("odata.maxpagesize=100");
    recordBaseline(role, url, 0, [this, afterBaseline](const SyncError &e) {
        m_api->setExtraPreference({});
        afterBaseline(e);
    });
}

void GraphSource::planLive(const FolderRecord &folder, PlanDone done)
{
    // Live sync through the delta links comes later; the folder keeps the
    // baseline recorded before its backfill, and nothing is planned.
    FolderPlan plan;
    plan.role = folder.role;
    plan.folderState = folder.sourceState;
    later([done, plan] { done(SyncError(), plan); });
}

qint64 GraphSource::pending(const QString &role) const
{
    const auto it = m_folders.constFind(role);
    if (it == m_folders.cend())
        return 0;
    const Folder &f = *it;
    const qint64 held = f.haveHeld ? f.held.size() : 0;
    if (f.haveHeld && f.heldNext.isEmpty())
        return held;
    if (!f.haveHeld && f.cursor.seen > 0 && f.cursor.next.isEmpty())
        return 0; // the last page is stored
    return held + std::max<qint64>(0, f.cursor.estimate - f.cursor.seen - held);
}

bool GraphSource::hasMore(const QString &role) const
{
    const auto it = m_folders.constFind(role);
    // Before the first page the folder has more to read (perhaps nothing: the
    // first page says); after it, while Graph gave a nextLink.
    return it != m_folders.cend() && (it->haveHeld || !it->cursor.next.isEmpty() || (it->cursor.seen == 0 && !it->firstDone));
}

void GraphSource::fetchPage(const QString &role, int pageSize, PageDone done)
{
    Q_UNUSED(pageSize) // Graph's pages keep the $top of the first request
    if (!m_folders.contains(role)) {
        later([done] { done(SyncError::make(ErrorCategory::Configuration, tr("That folder was not planned")), {}); });
        return;
    }
    Folder &f = m_folders[role];
    if (!f.haveHeld) {
        if (f.cursor.next.isEmpty() && (f.firstDone || f.cursor.seen > 0)) {
            later([done] { done(SyncError(), {}); });
            return;
        }
        readPage(role, [this, role, pageSize, done](const SyncError &e) {
            if (e.isError()) {
                done(e, {});
                return;
            }
            fetchPage(role, pageSize, done);
        });
        return;
    }
    auto fetch = std::make_shared<PageFetch>();
    fetch->role = role;
    fetch->done = std::move(done);
    fetch->items = f.held;
    fetch->next = f.heldNext;
    fetch->bytesAtStart = m_api->bytesRead();
    const int n = int(fetch->items.size());
    fetch->records.resize(n);
    fetch->known.fill(false, n);
    QStringList ids;
    for (int i = 0; i < n; ++i)
        ids << Graph::providerId(fetch->items.at(i).toObject().value(QLatin1String("id")).toString());
    const QSet<QString> known = m_archive ? m_archive->knownProviderIds(m_account.id, ids) : QSet<QString>();
    for (int i = 0; i < n; ++i) {
        const QJsonObject item = fetch->items.at(i).toObject();
        if (known.contains(ids.at(i)) || m_read.contains(ids.at(i))) {
            fetch->known[i] = true;
            continue;
        }
        MessageRecord rec;
        QString why;
        if (!Graph::recordFromJson(item, &rec, &why)) {
            fetch->failed.insert(i, why);
            continue;
        }
        if (f.rangeStart.isValid() && rec.receivedAt < f.rangeStart) {
            fetch->gone.insert(i); // a server that ignored the filter
            continue;
        }
        fetch->records[i] = rec;
        if (Graph::needsAttachmentList(item))
            ++fetch->attachmentsWaiting;
    }
    if (fetch->attachmentsWaiting == 0) {
        later([this, fetch, gen = m_generation] {
            if (gen == m_generation)
                finishPage(fetch, SyncError());
        });
        return;
    }
    fetchAttachments(fetch);
}

void GraphSource::fetchAttachments(std::shared_ptr<PageFetch> fetch)
{
    // All at once: GraphApi keeps them to the budget's four in flight.
    for (int i = 0; i < fetch->items.size(); ++i) {
        const QJsonObject item = fetch->items.at(i).toObject();
        if (fetch->records.at(i).providerId.isEmpty() || !Graph::needsAttachmentList(item))
            continue;
        const QString id = item.value(QLatin1String("id")).toString();
        const QString path = m_mailbox + QStringLiteral("/messages/") + QString::fromLatin1(QUrl::toPercentEncoding(id))
            + QStringLiteral("/attachments?$select=name,size,contentType,isInline");
        call(path, [this, fetch, i](const SyncError &e, const Graph::Reply &r) {
            if (e.isError()) {
                if (r.status == 404) {
                    fetch->gone.insert(i); // deleted since it was listed
                    fetch->records[i] = MessageRecord();
                } else if (!fetch->error.isError()) {
                    fetch->error = e;
                }
            } else {
                Graph::addAttachments(r.json().value(QLatin1String("value")).toArray(), &fetch->records[i]);
            }
            if (--fetch->attachmentsWaiting == 0)
                finishPage(fetch, fetch->error);
        });
    }
}

void GraphSource::finishPage(std::shared_ptr<PageFetch> fetch, const SyncError &error)
{
    Folder &f = m_folders[fetch->role];
    if (error.isError()) {
        // The page stays in hand; nothing of it is stored, the cursor stays.
        fetch->done(error, {});
        return;
    }
    SourcePage page;
    for (int i = 0; i < fetch->items.size(); ++i) {
        if (fetch->known.at(i)) {
            MessageRecord located;
            located.providerId = Graph::providerId(fetch->items.at(i).toObject().value(QLatin1String("id")).toString());
            located.locationOnly = true;
            located.connectionId = m_account.id;
            located.folderId = f.record.id;
            located.folderRole = f.record.role;
            page.messages << located;
        } else if (fetch->failed.contains(i)) {
            page.failures << MessageFailure{
                Graph::providerId(fetch->items.at(i).toObject().value(QLatin1String("id")).toString().left(512)),
                f.record.id, fetch->failed.value(i)};
        } else if (!fetch->gone.contains(i) && !fetch->records.at(i).providerId.isEmpty()) {
            MessageRecord rec = fetch->records.at(i);
            rec.connectionId = m_account.id;
            rec.folderId = f.record.id;
            rec.folderRole = f.record.role;
            m_read.insert(rec.providerId);
            page.messages << rec;
        }
    }
    f.cursor.seen += fetch->items.size();
    f.cursor.next = fetch->next;
    f.firstDone = true;
    f.held = QJsonArray();
    f.haveHeld = false;
    f.heldNext.clear();
    if (!f.cursor.next.isEmpty() && f.cursor.estimate < f.cursor.seen)
        f.cursor.estimate = f.cursor.seen + kListTop; // Graph's estimate fell short: at least another page
    page.cursor = f.cursor.toJson();
    page.hasMore = hasMore(fetch->role);
    page.settled = int(fetch->items.size());
    page.bytes = m_api->bytesRead() - fetch->bytesAtStart;
    fetch->done(SyncError(), page);
}

void GraphSource::close()
{
    ++m_generation;
    m_api->abandon();
}

} // namespace Lookback
