#include "imapsource.h"

#include "auth/signin.h"
#include "common/logging.h"
#include "imap/bodystructure.h"
#include "message/headers.h"
#include "message/htmltext.h"
#include "message/messageparser.h"
#include "message/parameters.h"
#include "message/snippets.h"
#include "message/transferencoding.h"
#include "source/archiveview.h"
#include "source/recordheaders.h"
#include "source/sourcefactory.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QRegularExpression>
#include <QTimeZone>
#include <algorithm>

namespace Lookback {

namespace {

constexpr char kHeaderFields[] =
    "BODY.PEEK[HEADER.FIELDS (FROM TO CC BCC REPLY-TO SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES)]";
// What the content match after a renumbering needs (ArchiveStore's identity rule).
constexpr char kIdentityFields[] = "BODY.PEEK[HEADER.FIELDS (FROM SUBJECT DATE MESSAGE-ID)]";
// What a message's structure and headers weigh in an answer, about, for the time limit.
constexpr qint64 kHeaderBytesEach = 8 * 1024;

QByteArray quotedMailbox(const QString &name)
{
    return Imap::quoteString(Imap::encodeModifiedUtf7(name));
}

QByteArray paramValue(const QVector<QPair<QByteArray, QByteArray>> &params, const QByteArray &name)
{
    for (const auto &p : params) {
        if (p.first == name)
            return p.second;
    }
    return {};
}

QByteArray sectionKey(const Imap::BodyPart &part)
{
    return part.partNumber.isEmpty() ? QByteArray("1") : part.partNumber.toUpper();
}

quint32 jsonU32(const QJsonObject &o, const char *key)
{
    return quint32(o.value(QLatin1String(key)).toDouble());
}

QJsonObject parseObject(const QByteArray &json)
{
    return json.isEmpty() ? QJsonObject() : QJsonDocument::fromJson(json).object();
}

} // namespace

// ---- the source's own state ------------------------------------------------

namespace Imap {

FolderState FolderState::parse(const QByteArray &json)
{
    const QJsonObject o = parseObject(json);
    FolderState s;
    s.uidValidity = jsonU32(o, "uidValidity");
    s.liveUidNext = jsonU32(o, "liveUidNext");
    s.highestModSeq = quint64(o.value(QLatin1String("highestModSeq")).toDouble());
    return s;
}

QByteArray FolderState::toJson() const
{
    QJsonObject o;
    o[QStringLiteral("uidValidity")] = double(uidValidity);
    o[QStringLiteral("liveUidNext")] = double(liveUidNext);
    o[QStringLiteral("highestModSeq")] = double(highestModSeq);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

BackfillCursor BackfillCursor::parse(const QByteArray &json)
{
    const QJsonObject o = parseObject(json);
    return {jsonU32(o, "uidValidity"), jsonU32(o, "topUid")};
}

QByteArray BackfillCursor::toJson() const
{
    QJsonObject o;
    o[QStringLiteral("uidValidity")] = double(uidValidity);
    o[QStringLiteral("topUid")] = double(topUid);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

ImapSettings settingsFor(const ConnectionRecord &account, const Credential &credential, int timeoutMs)
{
    ImapSettings s;
    s.host = account.host;
    s.port = account.port;
    securityFromName(account.security, &s.security);
    s.username = credential.username.isEmpty() ? account.username : credential.username;
    s.password = credential.password;
    s.accessToken = credential.accessToken;
    s.trustedCertSha256 = account.trustedCertSha256;
    s.timeoutMs = timeoutMs;
    return s;
}

} // namespace Imap

// One message as its FETCH answers arrived: only UIDs the command asked for,
// only the items of those answers.
struct FetchedMessage
{
    quint32 uid = 0;
    QDateTime internalDate;
    qint64 size = -1;
    quint64 gmailId = 0;
    Imap::BodyPart structure;
    bool hasStructure = false;
    QByteArray header;
    bool hasHeader = false;
    QByteArrayList wantedSections; // text parts the plan asked for
    bool textPlanned = false;      // wantedSections is known: the text step has looked at it
    QHash<QByteArray, QByteArray> sections;
    QString problem;               // why it is not whole, in words

    bool headersWhole() const { return hasStructure && hasHeader && size >= 0 && internalDate.isValid(); }
    bool whole() const
    {
        // Before the text step, no wanted sections does not mean none are needed.
        if (!headersWhole() || !textPlanned)
            return false;
        for (const QByteArray &s : wantedSections) {
            if (!sections.contains(s))
                return false;
        }
        return true;
    }
};

// A page being fetched: what was asked, what arrived, what is settled.
struct ImapSource::PageFetch
{
    quint64 generation = 0;
    QString role;
    PageDone done;
    QVector<quint32> uids;                  // the page, in pending order
    QMap<quint32, FetchedMessage> fetched;  // only UIDs of `uids`
    QVector<MessageRecord> located;         // matched by content after a renumbering
    QSet<quint32> locatedUids;
    QVector<MessageFailure> failures;
    QSet<quint32> failedUids;
    QSet<quint32> vanishedUids;
    QVector<quint32> retryQueue;
    bool retryBuilt = false;
    quint32 aloneUid = 0;                   // the message being asked for alone, if any
    bool inTextStep = false;                // which step the commands in flight belong to
    QString lastRefusal;                    // the server's words for the last NO / BAD
    qint64 bytesBefore = 0;
    bool finished = false;
};

ImapSource::ImapSource(const SourceContext &context, QObject *parent)
    : MailSource(parent)
    , m_account(context.connection)
    , m_signIn(context.signIn)
    , m_archive(context.archive)
    , m_timeoutMs(context.timeoutMs)
{
    Mime::ensureInitialized();
}

ImapSource::~ImapSource()
{
    ++m_generation;
    if (m_connection)
        m_connection->abort();
}

QString ImapSource::providerId(const QString &mailbox, quint32 uidValidity, quint32 uid, quint64 gmailMessageId)
{
    if (gmailMessageId)
        return QStringLiteral("gm:%1").arg(gmailMessageId, 0, 16);
    return QStringLiteral("%1/%2/%3").arg(mailbox).arg(uidValidity).arg(uid);
}

QStringList ImapSource::sentFallbackNames()
{
    return {QStringLiteral("Sent"), QStringLiteral("Sent Items"), QStringLiteral("Sent Mail"),
            QStringLiteral("Sent Messages"), QStringLiteral("[Gmail]/Sent Mail"),
            QStringLiteral("[Google Mail]/Sent Mail"), QStringLiteral("INBOX.Sent"), QStringLiteral("INBOX/Sent")};
}

void ImapSource::open(Done done)
{
    if (!m_signIn) {
        QMetaObject::invokeMethod(this, [done] {
            done(SyncError::make(ErrorCategory::AuthExpired, tr("This connection has no sign-in")));
        }, Qt::QueuedConnection);
        return;
    }
    const quint64 gen = m_generation;
    m_signIn->credential(this, [this, done, gen](const SyncError &error, const Credential &credential) {
        if (gen != m_generation)
            return;
        if (error.isError()) {
            done(error);
            return;
        }
        if (m_connection)
            m_connection->deleteLater();
        m_connection = new ImapConnection(this);
        m_selectedRole.clear();
        auto finished = std::make_shared<bool>(false);
        connect(m_connection, &ImapConnection::failed, this, [this, done, finished](const SyncError &e) {
            if (*finished)
                return;
            *finished = true;
            if (e.category == ErrorCategory::AuthExpired && m_signIn)
                m_signIn->rejected(e);
            done(e);
        });
        connect(m_connection, &ImapConnection::ready, this, [this, done, finished] {
            const QByteArray list = m_connection->hasCapability("SPECIAL-USE")
                ? QByteArray("LIST \"\" \"*\" RETURN (SPECIAL-USE)")
                : QByteArray("LIST \"\" \"*\"");
            m_connection->command(list, [this, done, finished](const ImapConnection::Result &r) {
                if (*finished)
                    return;
                *finished = true;
                if (!r.ok()) {
                    done(r.error);
                    return;
                }
                const QVector<Imap::ListEntry> entries = Imap::listEntries(r.untagged);
                m_remoteNames = findFolders(entries);
                // Every IMAP account has an INBOX (RFC 3501 5.1), listed or not.
                if (!m_remoteNames.contains(QStringLiteral("inbox")))
                    m_remoteNames.insert(QStringLiteral("inbox"), QStringLiteral("INBOX"));
                qCInfo(lcImap) << "folders" << m_remoteNames;
                done(SyncError());
            });
        });
        m_connection->open(Imap::settingsFor(m_account, credential, m_timeoutMs));
    });
}

QHash<QString, QString> ImapSource::findFolders(const QVector<Imap::ListEntry> &entries)
{
    QHash<QString, QString> found;
    auto selectable = [](const Imap::ListEntry &e) {
        return !e.hasFlag("\\Noselect") && !e.hasFlag("\\NonExistent");
    };
    for (const Imap::ListEntry &e : entries) {
        if (e.name.compare(QLatin1String("INBOX"), Qt::CaseInsensitive) == 0 && selectable(e)) {
            found.insert(QStringLiteral("inbox"), e.name);
            break;
        }
    }
    for (const Imap::ListEntry &e : entries) {
        if (e.hasFlag("\\Sent") && selectable(e)) {
            found.insert(QStringLiteral("sent"), e.name);
            return found;
        }
    }
    // No \Sent attribute (Exchange Online has no SPECIAL-USE): the usual names.
    for (const QString &candidate : sentFallbackNames()) {
        for (const Imap::ListEntry &e : entries) {
            if (e.name.compare(candidate, Qt::CaseInsensitive) == 0 && selectable(e)) {
                found.insert(QStringLiteral("sent"), e.name);
                return found;
            }
        }
    }
    return found;
}

QVector<SourceFolder> ImapSource::folders() const
{
    QVector<SourceFolder> result;
    for (const char *role : {"inbox", "sent"}) {
        if (m_remoteNames.contains(QLatin1String(role)))
            result.append({QLatin1String(role), m_remoteNames.value(QLatin1String(role))});
    }
    return result;
}

qint64 ImapSource::pending(const QString &role) const
{
    return m_folders.value(role).pending.size();
}

void ImapSource::close()
{
    ++m_generation;
    if (m_connection)
        m_connection->logout();
}

// ---- folders -----------------------------------------------------------------

void ImapSource::select(const QString &role, std::function<void(const SyncError &, const SelectInfo &)> done)
{
    const QString remote = m_remoteNames.value(role);
    QByteArray cmd = "SELECT " + quotedMailbox(remote);
    if (m_connection->hasCapability("CONDSTORE"))
        cmd += " (CONDSTORE)";
    m_connection->command(cmd, [this, role, remote, done](const ImapConnection::Result &r) {
        SelectInfo info;
        if (!r.ok()) {
            m_selectedRole.clear();
            SyncError e = r.error;
            if (r.status == "NO")
                e = SyncError::make(ErrorCategory::PermissionDenied,
                                    tr("Cannot open the folder %1: %2").arg(remote, QString::fromUtf8(r.text)));
            done(e, info);
            return;
        }
        for (const Imap::Response &resp : r.untagged) {
            if (resp.code == "UIDVALIDITY" && !resp.codeArgs.isEmpty())
                info.uidValidity = quint32(resp.codeArgs.first().number);
            else if (resp.code == "UIDNEXT" && !resp.codeArgs.isEmpty())
                info.uidNext = quint32(resp.codeArgs.first().number);
            else if (resp.code == "HIGHESTMODSEQ" && !resp.codeArgs.isEmpty())
                info.highestModSeq = resp.codeArgs.first().number;
            else if (resp.name == "EXISTS" && resp.hasNumber)
                info.exists = resp.number;
        }
        m_selectedRole = role;
        if (info.uidNext != 0 || info.exists == 0) {
            if (info.uidNext == 0)
                info.uidNext = 1;
            done(SyncError(), info);
            return;
        }
        // A server that does not say UIDNEXT: the highest UID + 1 is as good for us.
        m_connection->command("UID FETCH * (UID)", [done, info](const ImapConnection::Result &r) mutable {
            for (const Imap::Response &resp : r.untagged) {
                Imap::FetchItem item;
                QString err;
                if (resp.name == "FETCH" && Imap::parseFetch(resp, &item, &err))
                    info.uidNext = std::max(info.uidNext, item.uid + 1);
            }
            done(r.error, info);
        });
    });
}

QByteArray ImapSource::searchCommand(const QByteArray &criteria) const
{
    if (m_connection->hasCapability("ESEARCH"))
        return "UID SEARCH RETURN (ALL) " + criteria;
    return "UID SEARCH " + criteria;
}

QVector<quint32> ImapSource::searchResults(const ImapConnection::Result &r)
{
    QVector<quint32> uids;
    for (const Imap::Response &resp : r.untagged) {
        if (resp.name == "SEARCH" || resp.name == "ESEARCH")
            uids += Imap::parseSearch(resp);
    }
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
    return uids;
}

void ImapSource::searchRange(const QDateTime &rangeStart, quint32 belowUid, quint32 exists,
                             std::function<void(const SyncError &, QVector<quint32>)> done)
{
    if (belowUid <= 1) {
        done(SyncError(), {});
        return;
    }
    // The answer lists at most one UID per message: a server without ESEARCH
    // answers in one line that long, which the limits allow.
    const CommandLimits limits = CommandLimits::forSearch(exists);
    const QByteArray uidBound = "UID 1:" + QByteArray::number(belowUid - 1);
    if (!rangeStart.isValid()) {
        m_connection->command(searchCommand(uidBound), [done](const ImapConnection::Result &r) {
            done(r.error, r.ok() ? searchResults(r) : QVector<quint32>());
        }, {}, limits);
        return;
    }
    // SEARCH SINCE compares dates only, in the server's time zone: ask a day
    // early, then settle the messages near the boundary by their exact INTERNALDATE.
    const QDate startDay = rangeStart.toUTC().date();
    const QByteArray since = "SINCE " + Imap::formatSearchDate(startDay.addDays(-1));
    const QByteArray boundary = since + " BEFORE " + Imap::formatSearchDate(startDay.addDays(2));
    m_connection->command(searchCommand(since + ' ' + uidBound),
                          [this, done, boundary, uidBound, rangeStart, limits](const ImapConnection::Result &r) {
        if (!r.ok()) {
            done(r.error, {});
            return;
        }
        const QVector<quint32> candidates = searchResults(r);
        m_connection->command(searchCommand(boundary + ' ' + uidBound),
                              [this, done, candidates, rangeStart](const ImapConnection::Result &r2) {
            if (!r2.ok()) {
                done(r2.error, {});
                return;
            }
            const QVector<quint32> nearBoundary = searchResults(r2);
            if (nearBoundary.isEmpty()) {
                done(SyncError(), candidates);
                return;
            }
            const QSet<quint32> asked(nearBoundary.cbegin(), nearBoundary.cend());
            auto tooOld = std::make_shared<QSet<quint32>>();
            m_connection->command("UID FETCH " + Imap::formatSequenceSet(nearBoundary) + " (UID INTERNALDATE)",
                                  [done, candidates, tooOld](const ImapConnection::Result &r3) {
                // NO ("Some messages could not be FETCHed"): the dates that
                // arrived settle their messages; one the server will not show
                // stays in, to be fetched and recorded if unreadable, rather
                // than failing the folder's plan.
                if (!r3.ok() && r3.status != "NO") {
                    done(r3.error, {});
                    return;
                }
                QVector<quint32> result;
                result.reserve(candidates.size());
                for (quint32 uid : candidates) {
                    if (!tooOld->contains(uid))
                        result << uid;
                }
                done(SyncError(), result);
            }, [tooOld, rangeStart, asked](const Imap::Response &resp) {
                Imap::FetchItem item;
                QString err;
                if (resp.name == "FETCH" && Imap::parseFetch(resp, &item, &err) && asked.contains(item.uid)
                    && item.internalDate.isValid() && item.internalDate < rangeStart)
                    tooOld->insert(item.uid);
            }, CommandLimits::forMessages(nearBoundary.size(), 128, 1024));
        }, {}, limits);
    }, {}, limits);
}

void ImapSource::openFolder(const QString &role, PlanDone done,
                            std::function<void(Folder &, const SelectInfo &, FolderPlan &)> then)
{
    select(role, [this, role, done, then](const SyncError &error, const SelectInfo &info) {
        FolderPlan plan;
        plan.role = role;
        if (error.isError()) {
            done(error, plan);
            return;
        }
        Folder &f = m_folders[role];
        if (f.state.uidValidity != info.uidValidity) {
            if (f.state.uidValidity != 0) {
                // Renumbered: every UID we knew names nothing any more. The
                // messages stay; they are matched by content, not downloaded again.
                qCInfo(lcImap) << "UIDVALIDITY of" << f.record.remoteName << "changed from" << f.state.uidValidity
                               << "to" << info.uidValidity;
                plan.forgetLocationIds = true;
            }
            f.state = Imap::FolderState();
            f.state.uidValidity = info.uidValidity;
        }
        // The live position is recorded before page 1, so nothing that
        // arrives during the backfill can fall between backfill and live sync.
        if (f.state.liveUidNext == 0) {
            f.state.liveUidNext = info.uidNext;
            f.state.highestModSeq = info.highestModSeq;
        }
        f.uidNext = info.uidNext;
        f.rematch = plan.forgetLocationIds || (m_archive && m_archive->forgottenUidCount(f.record.id) > 0);
        plan.folderState = f.state.toJson();
        then(f, info, plan);
    });
}

void ImapSource::planBackfill(const FolderRecord &folder, const QDateTime &rangeStart, const QByteArray &cursor,
                              PlanDone done)
{
    const QString role = folder.role;
    Folder &f = m_folders[role];
    f = Folder();
    f.record = folder;
    f.state = Imap::FolderState::parse(folder.sourceState);
    f.cursor = Imap::BackfillCursor::parse(cursor);
    openFolder(role, done, [this, role, rangeStart, done](Folder &f, const SelectInfo &info, FolderPlan &plan) {
        if (f.cursor.uidValidity != info.uidValidity) {
            // A new job, or the server renumbered the folder: the job's top is today's UIDNEXT.
            f.cursor.uidValidity = info.uidValidity;
            f.cursor.topUid = info.uidNext;
        }
        plan.cursor = f.cursor.toJson();
        if (info.exists == 0) {
            f.pending.clear();
            plan.totalInRange = 0;
            done(SyncError(), plan);
            return;
        }
        searchRange(rangeStart, f.cursor.topUid, info.exists,
                    [this, role, done, plan](const SyncError &e, QVector<quint32> inRange) mutable {
            if (e.isError()) {
                done(e, plan);
                return;
            }
            Folder &f = m_folders[role];
            const QVector<quint32> archived = m_archive ? m_archive->archivedUids(f.record.id, f.state.uidValidity)
                                                        : QVector<quint32>();
            const QSet<QString> unreadable = m_archive ? m_archive->unreadableThisRun(f.record.id) : QSet<QString>();
            f.pending.clear();
            qint64 alreadyArchived = 0;
            for (auto it = inRange.crbegin(); it != inRange.crend(); ++it) {
                const quint32 uid = *it;
                if (std::binary_search(archived.cbegin(), archived.cend(), uid)) {
                    ++alreadyArchived;
                    continue;
                }
                // Found unreadable earlier in this run: the next run tries again.
                if (!unreadable.isEmpty()
                    && unreadable.contains(providerId(f.record.remoteName, f.state.uidValidity, uid, 0)))
                    continue;
                f.pending << uid;
            }
            plan.totalInRange = inRange.size();
            plan.pending = f.pending.size();
            qCInfo(lcImap) << role << "in range" << inRange.size() << "pending" << f.pending.size()
                           << "already archived" << alreadyArchived;
            done(SyncError(), plan);
        });
    });
}

void ImapSource::planLive(const FolderRecord &folder, PlanDone done)
{
    const QString role = folder.role;
    Folder &f = m_folders[role];
    f = Folder();
    f.record = folder;
    f.state = Imap::FolderState::parse(folder.sourceState);
    f.live = true;
    const bool hadPosition = f.state.liveUidNext != 0;
    openFolder(role, done, [this, role, done, hadPosition](Folder &f, const SelectInfo &info, FolderPlan &plan) {
        const quint32 from = std::max<quint32>(1, f.state.liveUidNext);
        // No live position yet (or the folder was renumbered): live sync starts now.
        if (!hadPosition || plan.forgetLocationIds || info.exists == 0 || from >= info.uidNext) {
            f.pending.clear();
            done(SyncError(), plan);
            return;
        }
        m_connection->command(searchCommand("UID " + QByteArray::number(from) + ":*"),
                              [this, role, done, plan, from](const ImapConnection::Result &r) mutable {
            if (!r.ok()) {
                done(r.error, plan);
                return;
            }
            Folder &f = m_folders[role];
            const QVector<quint32> archived = m_archive ? m_archive->archivedUids(f.record.id, f.state.uidValidity)
                                                        : QVector<quint32>();
            f.pending.clear();
            // Oldest first, so the live position can move after every page.
            for (quint32 uid : searchResults(r)) {
                // "n:*" always includes the highest UID, even below n.
                if (uid >= from && !std::binary_search(archived.cbegin(), archived.cend(), uid))
                    f.pending << uid;
            }
            plan.pending = plan.totalInRange = f.pending.size();
            done(SyncError(), plan);
        }, {}, CommandLimits::forSearch(info.exists));
    });
}

// ---- pages -------------------------------------------------------------------

void ImapSource::fetchPage(const QString &role, int pageSize, PageDone done)
{
    if (!m_folders.contains(role) || !m_connection) {
        QMetaObject::invokeMethod(this, [done, role] {
            done(SyncError::make(ErrorCategory::Protocol, QStringLiteral("folder %1 was not planned").arg(role)), {});
        }, Qt::QueuedConnection);
        return;
    }
    auto fetch = std::make_shared<PageFetch>();
    fetch->generation = m_generation;
    fetch->role = role;
    fetch->done = std::move(done);
    fetch->bytesBefore = m_connection->bytesRead();
    auto start = [this, fetch, pageSize] {
        Folder &f = m_folders[fetch->role];
        fetch->uids = f.pending.mid(0, std::min<qsizetype>(std::max(1, pageSize), f.pending.size()));
        if (fetch->uids.isEmpty()) {
            finishPage(fetch, SyncError());
            return;
        }
        if (f.rematch)
            rematchStep(fetch);
        else
            headerStep(fetch, fetch->uids, [this, fetch] { textStep(fetch, fetch->uids, [this, fetch] { retryAlone(fetch); }); });
    };
    if (m_selectedRole == role) {
        start();
        return;
    }
    select(role, [this, fetch, start](const SyncError &e, const SelectInfo &info) {
        if (!e.isError() && info.uidValidity != m_folders[fetch->role].state.uidValidity) {
            // Renumbered between plan and page: plan again rather than store wrong UIDs.
            finishPage(fetch, SyncError::make(ErrorCategory::Network,
                                              tr("The server renumbered %1; starting that folder again")
                                                  .arg(m_remoteNames.value(fetch->role))));
            return;
        }
        if (e.isError()) {
            finishPage(fetch, e);
            return;
        }
        start();
    });
}

void ImapSource::rematchStep(std::shared_ptr<PageFetch> fetch)
{
    // After a renumbering: what is archived already only gets its new UID.
    auto identities = std::make_shared<QMap<quint32, MessageRecord>>();
    const QSet<quint32> asked(fetch->uids.cbegin(), fetch->uids.cend());
    m_connection->command("UID FETCH " + Imap::formatSequenceSet(fetch->uids) + " (UID RFC822.SIZE "
                              + QByteArray(kIdentityFields) + ")",
                          [this, fetch, identities](const ImapConnection::Result &r) {
        if (fetch->generation != m_generation)
            return;
        if (!r.ok() && r.status.isEmpty()) {
            finishPage(fetch, r.error);
            return;
        }
        const Folder &f = m_folders[fetch->role];
        QVector<MessageRecord> candidates;
        for (const MessageRecord &m : *identities) {
            if (m.size >= 0)
                candidates << m;
        }
        const QVector<bool> archived = m_archive ? m_archive->findArchived(candidates) : QVector<bool>(candidates.size());
        for (int i = 0; i < candidates.size(); ++i) {
            if (!archived.value(i))
                continue;
            MessageRecord rec = candidates.at(i);
            rec.locationOnly = true;
            rec.folderId = f.record.id;
            rec.folderRole = fetch->role;
            rec.uidValidity = f.state.uidValidity;
            fetch->located << rec;
            fetch->locatedUids.insert(rec.uid);
        }
        QVector<quint32> wanted;
        for (quint32 uid : fetch->uids) {
            if (!fetch->locatedUids.contains(uid))
                wanted << uid;
        }
        if (wanted.isEmpty()) {
            finishPage(fetch, SyncError());
            return;
        }
        headerStep(fetch, wanted, [this, fetch, wanted] { textStep(fetch, wanted, [this, fetch] { retryAlone(fetch); }); });
    }, [this, identities, asked, role = fetch->role](const Imap::Response &resp) {
        Imap::FetchItem item;
        QString err;
        if (resp.name != "FETCH" || !Imap::parseFetch(resp, &item, &err) || !asked.contains(item.uid))
            return;
        auto it = identities->find(item.uid);
        if (it == identities->end()) {
            MessageRecord fresh;
            fresh.size = -1; // until RFC822.SIZE arrives: no match without it
            it = identities->insert(item.uid, fresh);
        }
        MessageRecord &m = *it;
        m.uid = item.uid;
        m.connectionId = m_account.id;
        const Folder &f = m_folders[role];
        m.providerId = providerId(f.record.remoteName, f.state.uidValidity, item.uid, 0);
        if (item.rfc822Size >= 0)
            m.size = item.rfc822Size;
        for (auto it = item.sections.cbegin(); it != item.sections.cend(); ++it) {
            if (!it.key().startsWith("HEADER.FIELDS"))
                continue;
            const Mime::HeaderInfo h = Mime::parseHeaders(it.value());
            m.messageId = h.messageId;
            m.subject = h.subject;
            m.sentAt = h.date;
            m.fromAddress = h.from.isEmpty() ? QString() : h.from.first().email;
        }
    }, CommandLimits::forMessages(asked.size(), 1024, 256 * 1024));
}

void ImapSource::headerStep(std::shared_ptr<PageFetch> fetch, const QVector<quint32> &uids, std::function<void()> next)
{
    fetch->inTextStep = false;
    const bool gmail = m_connection->hasCapability("X-GM-EXT-1");
    // Only the header fields we read: list mail carries kilobytes of Received and DKIM lines.
    QByteArray items = "UID INTERNALDATE RFC822.SIZE BODYSTRUCTURE " + QByteArray(kHeaderFields);
    if (gmail)
        items += " X-GM-MSGID";
    const QSet<quint32> asked(uids.cbegin(), uids.cend());
    m_connection->command("UID FETCH " + Imap::formatSequenceSet(uids) + " (" + items + ")",
                          [this, fetch, next](const ImapConnection::Result &r) {
        if (fetch->generation != m_generation)
            return;
        if (!r.ok()) {
            if (r.status.isEmpty()) { // the connection is gone; keep what is whole
                finishPage(fetch, r.error);
                return;
            }
            // "NO Some messages could not be FETCHed": the others are here;
            // those that are not are asked for alone.
            fetch->lastRefusal = QString::fromUtf8(r.status + ' ' + r.text).trimmed();
        }
        next();
    }, [fetch, asked](const Imap::Response &resp) {
        if (resp.name != "FETCH")
            return;
        Imap::FetchItem item;
        QString err;
        if (!Imap::parseFetch(resp, &item, &err)) {
            // Which message this was cannot be trusted; it stays incomplete,
            // is asked for alone, and then this reason is its record.
            qCInfo(lcImap) << "an unreadable FETCH answer:" << err;
            if (asked.size() == 1)
                (*fetch).fetched[*asked.cbegin()].problem = err;
            return;
        }
        // A FETCH for a UID we did not ask about (a flag change by another
        // client), or without a UID at all, is not a message.
        if (item.uid == 0 || !asked.contains(item.uid))
            return;
        FetchedMessage &m = fetch->fetched[item.uid];
        m.uid = item.uid;
        if (item.internalDate.isValid())
            m.internalDate = item.internalDate;
        if (item.rfc822Size >= 0)
            m.size = item.rfc822Size;
        if (item.gmailMessageId)
            m.gmailId = item.gmailMessageId;
        if (item.hasBodyStructure) {
            m.structure = item.bodyStructure;
            m.hasStructure = true;
        }
        for (auto s = item.sections.cbegin(); s != item.sections.cend(); ++s) {
            if (s.key() == "HEADER" || s.key().startsWith("HEADER.FIELDS")) {
                m.header = s.value();
                m.hasHeader = true;
            }
        }
    }, CommandLimits::forMessages(uids.size(), kHeaderBytesEach, 16 * 1024 * 1024));
}

void ImapSource::textStep(std::shared_ptr<PageFetch> fetch, const QVector<quint32> &uids, std::function<void()> next)
{
    fetch->inTextStep = true;
    // Only the text parts, grouped so that messages of the same shape share one command.
    QMap<QByteArray, QVector<quint32>> groups;
    QHash<QByteArray, qint64> groupBytes;
    for (quint32 uid : uids) {
        auto it = fetch->fetched.find(uid);
        if (it == fetch->fetched.end() || !it->headersWhole())
            continue;
        const Imap::TextPlan plan = Imap::planTextParts(it->structure);
        QByteArrayList sections;
        it->wantedSections.clear();
        it->textPlanned = true;
        qint64 bytes = 0;
        for (const auto &[has, part] : {std::pair<bool, const Imap::BodyPart &>{plan.hasPlain, plan.plain},
                                        std::pair<bool, const Imap::BodyPart &>{plan.hasHtml, plan.html}}) {
            if (!has)
                continue;
            sections << "BODY.PEEK[" + sectionKey(part) + "]<0." + QByteArray::number(kMaxTextBytes) + ">";
            it->wantedSections << sectionKey(part);
            bytes += std::min<qint64>(part.size, kMaxTextBytes);
        }
        if (!sections.isEmpty()) {
            const QByteArray key = sections.join(' ');
            groups[key] << uid;
            groupBytes[key] += bytes;
        }
    }
    if (groups.isEmpty()) {
        next();
        return;
    }
    auto remaining = std::make_shared<int>(groups.size());
    for (auto g = groups.cbegin(); g != groups.cend(); ++g) {
        const QSet<quint32> asked(g.value().cbegin(), g.value().cend());
        // A server that ignores the <0.N> limit may send more; more than the
        // cap is cut here, and one literal can never exceed the parser's limit.
        CommandLimits limits = CommandLimits::forMessages(asked.size(), 0, 64ll * 1024 * 1024);
        limits.expectedBytes = groupBytes.value(g.key()) + asked.size() * 512;
        m_connection->command("UID FETCH " + Imap::formatSequenceSet(g.value()) + " (UID " + g.key() + ")",
                              [this, fetch, remaining, next](const ImapConnection::Result &r) {
            if (fetch->generation != m_generation || fetch->finished)
                return;
            if (!r.ok()) {
                if (r.status.isEmpty()) {
                    finishPage(fetch, r.error);
                    return;
                }
                fetch->lastRefusal = QString::fromUtf8(r.status + ' ' + r.text).trimmed();
            }
            if (--*remaining == 0)
                next();
        }, [fetch, asked](const Imap::Response &resp) {
            if (resp.name != "FETCH")
                return;
            Imap::FetchItem item;
            QString err;
            if (!Imap::parseFetch(resp, &item, &err)) {
                if (asked.size() == 1)
                    fetch->fetched[*asked.cbegin()].problem = err;
                return;
            }
            if (!asked.contains(item.uid))
                return;
            auto it = fetch->fetched.find(item.uid);
            if (it == fetch->fetched.end())
                return;
            for (auto s = item.sections.cbegin(); s != item.sections.cend(); ++s) {
                if (it->wantedSections.contains(s.key()))
                    it->sections.insert(s.key(), s.value().left(kMaxTextBytes));
            }
        }, limits);
    }
}

void ImapSource::retryAlone(std::shared_ptr<PageFetch> fetch)
{
    if (fetch->generation != m_generation || fetch->finished)
        return;
    if (!fetch->retryBuilt) {
        // Every asked UID that is neither whole nor settled, once.
        fetch->retryBuilt = true;
        for (quint32 uid : fetch->uids) {
            if (fetch->locatedUids.contains(uid))
                continue;
            const auto it = fetch->fetched.constFind(uid);
            if (it == fetch->fetched.cend() || !it->whole())
                fetch->retryQueue << uid;
        }
    }
    if (fetch->retryQueue.isEmpty()) {
        finishPage(fetch, SyncError());
        return;
    }
    const quint32 uid = fetch->retryQueue.first();
    auto decide = [this, fetch, uid] {
        fetch->aloneUid = 0;
        fetch->retryQueue.removeFirst();
        if (fetch->fetched.value(uid).whole()) {
            retryAlone(fetch);
            return;
        }
        // Gone from the server meanwhile (another client deleted it), or really unreadable?
        m_connection->command(searchCommand("UID " + QByteArray::number(uid)),
                              [this, fetch, uid](const ImapConnection::Result &r) {
            if (fetch->generation != m_generation || fetch->finished)
                return;
            if (!r.ok() && r.status.isEmpty()) {
                finishPage(fetch, r.error);
                return;
            }
            const Folder &f = m_folders[fetch->role];
            if (r.ok() && !searchResults(r).contains(uid)) {
                fetch->vanishedUids.insert(uid);
            } else {
                const FetchedMessage m = fetch->fetched.value(uid);
                QString reason = m.problem;
                if (reason.isEmpty() && !fetch->lastRefusal.isEmpty())
                    reason = tr("the server refused it: %1").arg(fetch->lastRefusal);
                if (reason.isEmpty())
                    reason = !m.hasStructure ? tr("the server sent no structure for it")
                        : !m.hasHeader     ? tr("the server sent no headers for it")
                                           : tr("the server did not send all of it");
                fetch->failures.append({providerId(f.record.remoteName, f.state.uidValidity, uid, m.gmailId),
                                        f.record.id, reason});
                fetch->failedUids.insert(uid);
                qCInfo(lcImap) << "message" << uid << "in" << f.record.remoteName << "cannot be read:" << reason;
            }
            retryAlone(fetch);
        }, {}, CommandLimits::forSearch(1));
    };
    if (fetch->uids.size() == 1) {
        // The page was this one message: it was asked for alone already.
        decide();
        return;
    }
    fetch->aloneUid = uid;
    fetch->fetched.remove(uid);
    fetch->lastRefusal.clear();
    const QVector<quint32> one{uid};
    headerStep(fetch, one, [this, fetch, one, decide] { textStep(fetch, one, decide); });
}

void ImapSource::finishPage(std::shared_ptr<PageFetch> fetch, const SyncError &error)
{
    if (fetch->finished || fetch->generation != m_generation)
        return;
    fetch->finished = true;
    Folder &f = m_folders[fetch->role];
    SourcePage page;
    page.messages = fetch->located;
    QSet<quint32> settled = fetch->locatedUids;
    // A connection that died while one message was being asked for alone with
    // something we could not accept: that message is the cause. It is
    // recorded, so the next attempt goes on past it.
    const quint32 alone = fetch->aloneUid ? fetch->aloneUid : fetch->uids.size() == 1 ? fetch->uids.first() : 0;
    // Unless its own answer to the step in flight had arrived whole: then
    // what broke came after it (a flood of responses, say), not from it.
    const FetchedMessage aloneSoFar = fetch->fetched.value(alone);
    const bool aloneAnswered = fetch->inTextStep ? aloneSoFar.whole() : aloneSoFar.headersWhole();
    if (error.category == ErrorCategory::Protocol && alone != 0 && !fetch->locatedUids.contains(alone) && !aloneAnswered) {
        fetch->failures.append({providerId(f.record.remoteName, f.state.uidValidity, alone, 0), f.record.id,
                                error.message});
        fetch->failedUids.insert(alone);
    }
    for (quint32 uid : fetch->uids) {
        const auto it = fetch->fetched.constFind(uid);
        if (it != fetch->fetched.cend() && it->whole() && !settled.contains(uid) && !fetch->failedUids.contains(uid)) {
            page.messages << buildRecord(f, *it);
            settled.insert(uid);
        }
    }
    settled += fetch->failedUids;
    settled += fetch->vanishedUids;
    page.failures = fetch->failures;
    QVector<quint32> still;
    still.reserve(f.pending.size());
    for (quint32 uid : f.pending) {
        if (!settled.contains(uid))
            still << uid;
    }
    f.pending = still;
    page.settled = settled.size();
    page.hasMore = !f.pending.isEmpty();
    page.cursor = f.cursor.toJson();
    if (f.live) {
        quint32 highest = 0;
        for (quint32 uid : settled)
            highest = std::max(highest, uid);
        f.state.liveUidNext = f.pending.isEmpty() ? std::max(f.uidNext, highest + 1) : f.pending.first();
        page.hasFolderState = true;
        page.folderState = f.state.toJson();
    }
    if (m_connection)
        page.bytes = m_connection->bytesRead() - fetch->bytesBefore;
    PageDone done = std::move(fetch->done);
    done(error, page);
}

QString ImapSource::threadKeyFor(const MessageRecord &m)
{
    // The root of the References chain names the conversation, whichever of
    // its messages arrives first (a backfill goes newest first).
    if (!m.references.isEmpty())
        return QStringLiteral("m:") + m.references.first();
    if (!m.inReplyTo.isEmpty())
        return QStringLiteral("m:") + m.inReplyTo;
    // Mail without References that still says "Re:" (old clients, Enron):
    // group by subject. Anything else stands alone, so unrelated mails with
    // one subject ("Your parcel is on its way") do not merge.
    static const QRegularExpression replyPrefix(
        QStringLiteral("^\\s*(\\[[^\\]]*\\]\\s*)?(re|fw|fwd|aw|wg|sv|tr)\\s*(\\[\\d+\\])?\\s*:"),
        QRegularExpression::CaseInsensitiveOption);
    const QString normalized = Mime::normalizedSubject(m.subject);
    if (!normalized.isEmpty() && replyPrefix.match(m.subject).hasMatch())
        return QStringLiteral("s:") + normalized;
    if (!m.messageId.isEmpty())
        return QStringLiteral("m:") + m.messageId;
    return QStringLiteral("p:") + m.providerId;
}

MessageRecord ImapSource::buildRecord(const Folder &f, const FetchedMessage &m) const
{
    MessageRecord rec;
    rec.connectionId = m_account.id;
    rec.folderId = f.record.id;
    rec.folderRole = f.record.role;
    rec.uidValidity = f.state.uidValidity;
    rec.uid = m.uid;
    rec.providerId = providerId(f.record.remoteName, f.state.uidValidity, m.uid, m.gmailId);
    const Mime::HeaderInfo h = Mime::parseHeaders(m.header);
    fillHeaderFields(&rec, h);
    rec.receivedAt = m.internalDate; // whole() guarantees it
    rec.size = m.size;
    const Imap::TextPlan plan = Imap::planTextParts(m.structure);
    auto decode = [&m](const Imap::BodyPart &part) {
        return Mime::decodeBody(m.sections.value(sectionKey(part)), part.encoding, paramValue(part.params, "charset"));
    };
    if (plan.hasPlain)
        rec.bodyText = decode(plan.plain);
    if (plan.hasHtml)
        rec.bodyHtml = decode(plan.html);
    if (rec.bodyText.isEmpty() && !rec.bodyHtml.isEmpty())
        rec.bodyText = Mime::htmlToText(rec.bodyHtml);
    for (const Imap::AttachmentRef &a : plan.attachments) {
        AttachmentRecord att;
        att.fileName = Mime::attachmentFileName(a.dispositionParams, a.params);
        if (att.fileName.isEmpty() && a.isMessage)
            att.fileName = Mime::attachedMessageFileName(Mime::decodeHeaderText(a.messageSubject));
        att.mimeType = QString::fromLatin1(a.mimeType);
        att.size = a.size;
        att.partNumber = QString::fromLatin1(a.partNumber);
        rec.attachments << att;
    }
    rec.snippet = Mime::makeSnippet(rec.bodyText);
    rec.threadKey = threadKeyFor(rec);
    return rec;
}

} // namespace Lookback
