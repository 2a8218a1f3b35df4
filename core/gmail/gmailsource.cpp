#include "gmailsource.h"

#include "auth/oauthconfig.h"
#include "auth/requestbudget.h"
#include "auth/signin.h"
#include "common/logging.h"
#include "gmail/gmailmessage.h"
#include "source/archiveview.h"
#include "source/sourcefactory.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrl>

namespace Lookback {

namespace Gmail {

Cursor Cursor::parse(const QByteArray &json)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    Cursor c;
    c.pageToken = o.value(QLatin1String("pageToken")).toString();
    c.skip = std::max(0, o.value(QLatin1String("skip")).toInt());
    c.seen = std::max<qint64>(0, qint64(o.value(QLatin1String("seen")).toDouble()));
    c.estimate = o.contains(QLatin1String("estimate")) ? qint64(o.value(QLatin1String("estimate")).toDouble()) : -1;
    return c;
}

QByteArray Cursor::toJson() const
{
    QJsonObject o;
    o.insert(QLatin1String("pageToken"), pageToken);
    o.insert(QLatin1String("skip"), skip);
    o.insert(QLatin1String("seen"), double(seen));
    if (estimate >= 0)
        o.insert(QLatin1String("estimate"), double(estimate));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

FolderState FolderState::parse(const QByteArray &json)
{
    FolderState s;
    s.historyId = QJsonDocument::fromJson(json).object().value(QLatin1String("historyId")).toString();
    return s;
}

QByteArray FolderState::toJson() const
{
    QJsonObject o;
    o.insert(QLatin1String("historyId"), historyId);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString labelFor(const QString &role)
{
    return role == QLatin1String("sent") ? QStringLiteral("SENT") : QStringLiteral("INBOX");
}

QString rangeQuery(const QDateTime &rangeStart)
{
    if (!rangeStart.isValid())
        return {};
    return QStringLiteral("after:%1").arg(rangeStart.toSecsSinceEpoch() - 1);
}

} // namespace Gmail

namespace {

QString enc(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

const QString kUser = QStringLiteral("/gmail/v1/users/me");

} // namespace

struct GmailSource::PageFetch
{
    QString role;
    QStringList chunk;                   // the ids this page deals with, in list order
    QSet<QString> known;                 // of those, archived already: a location only
    QSet<QString> unreadable;            // of those, failed earlier in this run: not asked again
    QStringList todo;                    // still to read
    QHash<QString, MessageRecord> read;
    QHash<QString, QString> failed;      // id -> reason
    QSet<QString> gone;                  // deleted since it was listed, or outside the range
    int round = 0;
    int authTries = 0;
    qint64 bytesAtStart = 0;
    PageDone done;
};

GmailSource::GmailSource(const SourceContext &context, QObject *parent)
    : MailSource(parent)
    , m_account(context.connection)
    , m_signIn(context.signIn)
    , m_archive(context.archive)
    , m_timeoutMs(context.timeoutMs)
{
    SyncError error;
    const OAuthProviderConfig endpoints = OAuthConfig::endpointsFor(ProviderKind::Gmail, &error);
    if (!error.isError())
        m_apiUrl = endpoints.apiUrl;
    m_api = new GmailApi(m_apiUrl, m_signIn ? m_signIn->budget() : nullptr, m_timeoutMs, this);
}

GmailSource::~GmailSource() = default;

QVector<SourceFolder> GmailSource::folders() const
{
    return {{QStringLiteral("inbox"), QStringLiteral("INBOX")}, {QStringLiteral("sent"), QStringLiteral("SENT")}};
}

void GmailSource::apiGet(const QString &path, int cost, ApiDone done, int authTries)
{
    const quint64 gen = m_generation;
    m_signIn->credential(this, [this, gen, path, cost, done, authTries](const SyncError &e, const Credential &c) {
        if (gen != m_generation)
            return;
        if (e.isError()) {
            done(e, {});
            return;
        }
        m_api->setAccessToken(c.accessToken);
        m_api->get(path, cost, [this, gen, path, cost, done, authTries](const Gmail::Reply &r) {
            if (gen != m_generation)
                return;
            if (r.status == 401 && authTries == 0) {
                // Expired or revoked access token: one refresh, then the same call again.
                m_signIn->rejected(Gmail::errorFor(r));
                apiGet(path, cost, done, 1);
                return;
            }
            if (r.status == 0) {
                done(SyncError::make(ErrorCategory::Network,
                                     tr("Cannot reach Gmail: %1").arg(QString::fromUtf8(r.body).left(200))),
                     r);
                return;
            }
            if (!r.ok()) {
                const SyncError e = Gmail::errorFor(r);
                if (e.category == ErrorCategory::Throttled && m_signIn && m_signIn->budget())
                    m_signIn->budget()->blockFor(e.retryAfterSeconds >= 0 ? e.retryAfterSeconds * 1000ll : 1000);
                done(e, r);
                return;
            }
            done(SyncError(), r);
        });
    });
}

void GmailSource::open(Done done)
{
    if (!m_signIn) {
        later([done] { done(SyncError::make(ErrorCategory::AuthExpired, tr("This connection has no sign-in"))); });
        return;
    }
    QString why;
    if (!OAuthConfig::endpointAllowed(m_apiUrl, &why)) {
        later([done, why] { done(SyncError::make(ErrorCategory::Configuration, why)); });
        return;
    }
    // The profile proves the sign-in works and gives the mailbox's historyId,
    // which live sync starts from: taken before any page is read.
    apiGet(kUser + QStringLiteral("/profile"), GmailApi::kCostProfile, [this, done](const SyncError &e, const Gmail::Reply &r) {
        if (e.isError()) {
            done(e);
            return;
        }
        m_historyId = r.json().value(QLatin1String("historyId")).toString();
        done(SyncError());
    });
}

QString GmailSource::listPath(const Folder &f, const QString &pageToken, int maxResults) const
{
    QString path = kUser + QStringLiteral("/messages?labelIds=") + f.label
        + QStringLiteral("&maxResults=") + QString::number(maxResults);
    const QString q = Gmail::rangeQuery(f.rangeStart);
    if (!q.isEmpty())
        path += QStringLiteral("&q=") + enc(q);
    if (!pageToken.isEmpty())
        path += QStringLiteral("&pageToken=") + enc(pageToken);
    return path;
}

void GmailSource::listPage(const QString &role, const QString &pageToken, std::function<void(const SyncError &)> done)
{
    const Folder &f = m_folders[role];
    apiGet(listPath(f, pageToken, kListPageSize), GmailApi::kCostList,
           [this, role, pageToken, done](const SyncError &e, const Gmail::Reply &r) {
        Folder &f = m_folders[role];
        if (e.isError()) {
            if (r.status == 400 && !pageToken.isEmpty()) {
                // Gmail no longer knows the page token: list from the top again.
                // Nothing is fetched twice: archived ids are only located.
                qCInfo(lcSync) << "gmail forgot a page token; listing" << f.label << "from the top";
                f.cursor.pageToken.clear();
                f.cursor.skip = 0;
                listPage(role, QString(), done);
                return;
            }
            done(e);
            return;
        }
        const QJsonObject o = r.json();
        f.ids.clear();
        const QJsonArray messages = o.value(QLatin1String("messages")).toArray();
        for (const QJsonValue &m : messages) {
            const QString id = m.toObject().value(QLatin1String("id")).toString();
            if (!id.isEmpty() && id.size() <= 64)
                f.ids << id;
        }
        f.nextPageToken = o.value(QLatin1String("nextPageToken")).toString();
        if (f.cursor.estimate < 0)
            f.cursor.estimate = qint64(o.value(QLatin1String("resultSizeEstimate")).toDouble(-1));
        done(SyncError());
    });
}

void GmailSource::planBackfill(const FolderRecord &folder, const QDateTime &rangeStart, const QByteArray &cursor,
                               PlanDone done)
{
    Folder &f = m_folders[folder.role];
    f = Folder();
    f.record = folder;
    f.label = Gmail::labelFor(folder.role);
    f.rangeStart = rangeStart;
    f.cursor = Gmail::Cursor::parse(cursor);
    const QString role = folder.role;
    auto afterLabel = [this, role, done](qint64 labelTotal) {
        listPage(role, m_folders[role].cursor.pageToken, [this, role, done, labelTotal](const SyncError &e) {
            FolderPlan plan;
            plan.role = role;
            if (e.isError()) {
                done(e, plan);
                return;
            }
            Folder &f = m_folders[role];
            f.cursor.skip = std::min<int>(f.cursor.skip, int(f.ids.size()));
            if (!f.rangeStart.isValid() && labelTotal >= 0)
                f.cursor.estimate = std::max(f.cursor.estimate, labelTotal);
            QStringList rest;
            for (int i = f.cursor.skip; i < f.ids.size(); ++i) {
                if (!m_read.contains(f.ids.at(i)))
                    rest << Gmail::providerId(f.ids.at(i));
            }
            const qint64 known = m_archive ? m_archive->knownProviderIds(m_account.id, rest).size() : 0;
            f.unknownLeft = rest.size() - known;
            plan.cursor = f.cursor.toJson();
            const Gmail::FolderState stored = Gmail::FolderState::parse(f.record.sourceState);
            plan.folderState = stored.historyId.isEmpty() ? Gmail::FolderState{m_historyId}.toJson() : f.record.sourceState;
            plan.exact = f.nextPageToken.isEmpty();
            plan.totalInRange = plan.exact ? f.cursor.seen + (f.ids.size() - f.cursor.skip) : std::max<qint64>(f.cursor.estimate, 0);
            plan.pending = pending(role);
            done(SyncError(), plan);
        });
    };
    apiGet(kUser + QStringLiteral("/labels/") + f.label, GmailApi::kCostLabel,
           [afterLabel, done, role](const SyncError &e, const Gmail::Reply &r) {
        if (e.isError()) {
            FolderPlan plan;
            plan.role = role;
            done(e, plan);
            return;
        }
        afterLabel(qint64(r.json().value(QLatin1String("messagesTotal")).toDouble(-1)));
    });
}

void GmailSource::planLive(const FolderRecord &folder, PlanDone done)
{
    // Live sync through history.list comes later; for now the folder keeps the
    // historyId recorded before its backfill, and nothing is planned.
    FolderPlan plan;
    plan.role = folder.role;
    const Gmail::FolderState stored = Gmail::FolderState::parse(folder.sourceState);
    plan.folderState = stored.historyId.isEmpty() ? Gmail::FolderState{m_historyId}.toJson() : folder.sourceState;
    later([done, plan] { done(SyncError(), plan); });
}

qint64 GmailSource::pending(const QString &role) const
{
    const auto it = m_folders.constFind(role);
    if (it == m_folders.cend())
        return 0;
    const Folder &f = *it;
    if (f.nextPageToken.isEmpty())
        return f.unknownLeft;
    // Beyond the page in hand only Gmail's estimate is known.
    const qint64 beyond = f.cursor.estimate - f.cursor.seen - (f.ids.size() - f.cursor.skip);
    return f.unknownLeft + std::max<qint64>(0, beyond);
}

bool GmailSource::hasMore(const QString &role) const
{
    const auto it = m_folders.constFind(role);
    return it != m_folders.cend() && (it->cursor.skip < it->ids.size() || !it->nextPageToken.isEmpty());
}

void GmailSource::fetchPage(const QString &role, int pageSize, PageDone done)
{
    if (!m_folders.contains(role)) {
        later([done] { done(SyncError::make(ErrorCategory::Configuration, tr("That folder was not planned")), {}); });
        return;
    }
    Folder &f = m_folders[role];
    if (f.cursor.skip >= f.ids.size() && !f.nextPageToken.isEmpty()) {
        const QString token = f.nextPageToken;
        listPage(role, token, [this, role, token, pageSize, done](const SyncError &e) {
            if (e.isError()) {
                done(e, {});
                return;
            }
            Folder &f = m_folders[role];
            f.cursor.pageToken = token;
            f.cursor.skip = 0;
            QStringList providerIds;
            for (const QString &id : std::as_const(f.ids))
                providerIds << Gmail::providerId(id);
            f.unknownLeft = providerIds.size()
                - (m_archive ? m_archive->knownProviderIds(m_account.id, providerIds).size() : 0);
            fetchPage(role, pageSize, done);
        });
        return;
    }
    auto fetch = std::make_shared<PageFetch>();
    fetch->role = role;
    fetch->done = std::move(done);
    fetch->bytesAtStart = m_api->bytesRead();
    const int limit = std::max(1, std::min(pageSize, kMaxPage));
    // Up to `limit` messages to read; archived ones on the way cost nothing
    // and ride along (up to ten pages' worth), so a folder of mostly known
    // mail (Sent after Inbox) moves fast.
    QStringList candidates;
    for (int i = f.cursor.skip; i < f.ids.size() && candidates.size() < limit * 10; ++i)
        candidates << f.ids.at(i);
    QStringList providerIds;
    for (const QString &id : candidates)
        providerIds << Gmail::providerId(id);
    const QSet<QString> known = m_archive ? m_archive->knownProviderIds(m_account.id, providerIds) : QSet<QString>();
    const QSet<QString> unreadable = m_archive ? m_archive->unreadableThisRun(f.record.id) : QSet<QString>();
    for (const QString &id : candidates) {
        const QString pid = Gmail::providerId(id);
        if (known.contains(pid) || m_read.contains(id)) {
            fetch->known.insert(id);
        } else if (unreadable.contains(pid)) {
            fetch->unreadable.insert(id);
        } else {
            if (fetch->todo.size() >= limit)
                break;
            fetch->todo << id;
        }
        fetch->chunk << id;
    }
    if (fetch->todo.isEmpty()) {
        later([this, fetch, gen = m_generation] {
            if (gen == m_generation)
                finishPage(fetch, SyncError());
        });
        return;
    }
    fetchRound(fetch);
}

void GmailSource::fetchRound(std::shared_ptr<PageFetch> fetch)
{
    const quint64 gen = m_generation;
    m_signIn->credential(this, [this, gen, fetch](const SyncError &e, const Credential &c) {
        if (gen != m_generation)
            return;
        if (e.isError()) {
            finishPage(fetch, e);
            return;
        }
        m_api->setAccessToken(c.accessToken);
        QStringList paths;
        for (const QString &id : fetch->todo)
            paths << kUser + QStringLiteral("/messages/") + id + QStringLiteral("?format=full");
        m_api->batch(paths, GmailApi::kCostGet, [this, gen, fetch](const SyncError &transport, const QVector<Gmail::Reply> &parts) {
            if (gen != m_generation)
                return;
            if (transport.isError()) {
                finishPage(fetch, transport);
                return;
            }
            QStringList again, unauthorized;
            SyncError fatal;
            int retryAfter = -1;
            const Folder &f = m_folders[fetch->role];
            for (int i = 0; i < parts.size(); ++i) {
                const QString &id = fetch->todo.at(i);
                const Gmail::Reply &r = parts.at(i);
                if (r.ok()) {
                    MessageRecord rec;
                    QString why;
                    const QJsonObject json = r.json();
                    if (json.value(QLatin1String("id")).toString() != id) {
                        fetch->failed.insert(id, tr("Gmail answered with another message than the one asked for"));
                    } else if (!Gmail::recordFromJson(json, &rec, &why)) {
                        fetch->failed.insert(id, why);
                    } else if (f.rangeStart.isValid() && rec.receivedAt < f.rangeStart) {
                        fetch->gone.insert(id); // Gmail's after: is a second coarser than the range
                    } else {
                        fetch->read.insert(id, rec);
                    }
                } else if (r.status == 404) {
                    fetch->gone.insert(id); // deleted since it was listed
                } else if (r.status == 401) {
                    unauthorized << id;
                } else if (Gmail::isRateLimited(r) || r.status >= 500) {
                    again << id;
                    retryAfter = std::max(retryAfter, Gmail::retryAfterSeconds(r.retryAfter));
                } else {
                    const SyncError e = Gmail::errorFor(r);
                    if (e.category == ErrorCategory::PermissionDenied || e.category == ErrorCategory::Throttled)
                        fatal = e;
                    else
                        fetch->failed.insert(id, e.message);
                }
            }
            if (fatal.isError()) {
                finishPage(fetch, fatal);
                return;
            }
            if (!unauthorized.isEmpty()) {
                if (fetch->authTries > 0) {
                    finishPage(fetch, Gmail::errorFor(parts.at(fetch->todo.indexOf(unauthorized.first()))));
                    return;
                }
                ++fetch->authTries;
                m_signIn->rejected(SyncError::make(ErrorCategory::AuthExpired, tr("Gmail refused the access token")));
            }
            fetch->todo = unauthorized + again;
            if (fetch->todo.isEmpty()) {
                finishPage(fetch, SyncError());
                return;
            }
            if (again.isEmpty()) {
                fetchRound(fetch);
                return;
            }
            // Only the calls that were refused are asked again, after a
            // jittered backoff (or Gmail's Retry-After, which every user of
            // the account's budget then waits for).
            if (++fetch->round >= kPartAttempts) {
                SyncError e = SyncError::make(ErrorCategory::Throttled, tr("Gmail asked Lookback to slow down"));
                e.retryAfterSeconds = retryAfter;
                finishPage(fetch, e);
                return;
            }
            // "Too many concurrent requests" clears in moments: 250 ms, then
            // doubling, each with up to as much again of jitter.
            qint64 delay = 250ll << (fetch->round - 1);
            delay += QRandomGenerator::global()->bounded(int(delay));
            if (retryAfter >= 0) {
                delay = std::max<qint64>(delay, retryAfter * 1000ll);
                if (m_signIn->budget())
                    m_signIn->budget()->blockFor(retryAfter * 1000ll);
            }
            QTimer::singleShot(int(delay), this, [this, gen, fetch] {
                if (gen == m_generation)
                    fetchRound(fetch);
            });
        });
    });
}

void GmailSource::finishPage(std::shared_ptr<PageFetch> fetch, const SyncError &error)
{
    Folder &f = m_folders[fetch->role];
    SourcePage page;
    // Messages go out in list order; the cursor moves past the longest run of
    // ids from the start that are dealt with, so nothing unsettled is skipped.
    bool prefix = true;
    int settled = 0;
    for (const QString &id : fetch->chunk) {
        const bool done = fetch->known.contains(id) || fetch->unreadable.contains(id) || fetch->read.contains(id)
            || fetch->failed.contains(id) || fetch->gone.contains(id);
        if (fetch->known.contains(id)) {
            MessageRecord located;
            located.providerId = Gmail::providerId(id);
            located.locationOnly = true;
            located.connectionId = m_account.id;
            located.folderId = f.record.id;
            located.folderRole = f.record.role;
            page.messages << located;
        } else if (fetch->read.contains(id)) {
            m_read.insert(id);
            MessageRecord rec = fetch->read.value(id);
            rec.connectionId = m_account.id;
            rec.folderId = f.record.id;
            rec.folderRole = f.record.role;
            page.messages << rec;
        } else if (fetch->failed.contains(id)) {
            page.failures << MessageFailure{Gmail::providerId(id), f.record.id, fetch->failed.value(id)};
        }
        if (prefix && done)
            ++settled;
        else
            prefix = false;
    }
    for (const MessageRecord &m : page.messages) {
        if (!m.locationOnly)
            --f.unknownLeft;
    }
    f.unknownLeft = std::max<qint64>(0, f.unknownLeft - fetch->failed.size() - fetch->gone.size());
    f.cursor.skip += settled;
    f.cursor.seen += settled;
    // A page that ends its list page stores the next page's token, so a resume
    // lists that one; the ids stay here until fetchPage() lists it.
    Gmail::Cursor stored = f.cursor;
    if (stored.skip >= f.ids.size() && !f.nextPageToken.isEmpty()) {
        stored.pageToken = f.nextPageToken;
        stored.skip = 0;
    }
    page.cursor = stored.toJson();
    page.hasMore = hasMore(fetch->role);
    page.settled = settled;
    page.bytes = m_api->bytesRead() - fetch->bytesAtStart;
    fetch->done(error, page);
}

void GmailSource::close()
{
    ++m_generation;
    m_api->abandon();
}

} // namespace Lookback
