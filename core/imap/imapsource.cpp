#include "imapsource.h"

#include "archive/archivestore.h"
#include "common/logging.h"
#include "imap/bodystructure.h"
#include "mime/mimedecoder.h"

#include <QRegularExpression>
#include <QTimeZone>
#include <algorithm>

namespace Lookback {

// Largest part of a text body we keep. A text part beyond this is almost
// always a log or a patch pasted inline; the first 4 MiB say what it is.
static constexpr int kMaxTextBytes = 4 * 1024 * 1024;
static constexpr char kHeaderFields[] =
    "BODY.PEEK[HEADER.FIELDS (FROM TO CC BCC REPLY-TO SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES)]";

struct FetchedMessage
{
    quint32 uid = 0;
    QDateTime internalDate;
    qint64 size = 0;
    quint64 gmailId = 0;
    Imap::BodyPart structure;
    bool hasStructure = false;
    QByteArray header;
    QHash<QByteArray, QByteArray> sections;
};

namespace {

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

QString decodePart(const FetchedMessage &m, const Imap::BodyPart &part)
{
    const QByteArray raw = m.sections.value(sectionKey(part));
    return Mime::decodeBody(raw, part.encoding, paramValue(part.params, "charset"));
}

} // namespace

ImapSource::ImapSource(const ImapSettings &settings, ArchiveStore *store, qint64 connectionId, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_store(store)
    , m_connectionId(connectionId)
{
    Mime::ensureInitialized();
}

ImapSource::~ImapSource()
{
    if (m_connection)
        m_connection->abort();
}

QStringList ImapSource::sentFallbackNames()
{
    return {QStringLiteral("Sent"), QStringLiteral("Sent Items"), QStringLiteral("Sent Mail"),
            QStringLiteral("Sent Messages"), QStringLiteral("[Gmail]/Sent Mail"),
            QStringLiteral("[Google Mail]/Sent Mail"), QStringLiteral("INBOX.Sent"), QStringLiteral("INBOX/Sent")};
}

void ImapSource::open(Done done)
{
    if (m_connection)
        m_connection->deleteLater();
    m_connection = new ImapConnection(this);
    m_selectedRole.clear();
    auto finished = std::make_shared<bool>(false);
    connect(m_connection, &ImapConnection::failed, this, [done, finished](const SyncError &e) {
        if (!*finished) {
            *finished = true;
            done(e);
        }
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
            QVector<Imap::ListEntry> entries;
            for (const Imap::Response &resp : r.untagged) {
                Imap::ListEntry e;
                if (resp.name == "LIST" && Imap::parseList(resp, &e))
                    entries << e;
            }
            m_remoteNames = findFolders(entries);
            // Every IMAP account has an INBOX (RFC 3501 5.1), listed or not.
            if (!m_remoteNames.contains(QStringLiteral("inbox")))
                m_remoteNames.insert(QStringLiteral("inbox"), QStringLiteral("INBOX"));
            qCInfo(lcImap) << "folders" << m_remoteNames;
            done(SyncError());
        });
    });
    m_connection->open(m_settings);
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

QStringList ImapSource::roles() const
{
    QStringList result;
    for (const char *role : {"inbox", "sent"}) {
        if (m_remoteNames.contains(QLatin1String(role)))
            result << QLatin1String(role);
    }
    return result;
}

QString ImapSource::remoteName(const QString &role) const
{
    return m_remoteNames.value(role);
}

qint64 ImapSource::pendingCount(const QString &role) const
{
    return m_folders.value(role).pending.size();
}

void ImapSource::close()
{
    if (m_connection)
        m_connection->logout();
}

void ImapSource::select(const QString &role, std::function<void(const SyncError &, const SelectInfo &)> done)
{
    QByteArray cmd = "SELECT " + quotedMailbox(remoteName(role));
    if (m_connection->hasCapability("CONDSTORE"))
        cmd += " (CONDSTORE)";
    m_connection->command(cmd, [this, role, done](const ImapConnection::Result &r) {
        SelectInfo info;
        if (!r.ok()) {
            m_selectedRole.clear();
            SyncError e = r.error;
            if (r.status == "NO")
                e = SyncError::make(ErrorCategory::PermissionDenied,
                                    tr("Cannot open the folder %1: %2").arg(remoteName(role), QString::fromUtf8(r.text)));
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

QVector<quint32> ImapSource::searchResults(const ImapConnection::Result &r) const
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

void ImapSource::searchRange(const QDateTime &rangeStart, quint32 belowUid,
                             std::function<void(const SyncError &, QVector<quint32>)> done)
{
    if (belowUid <= 1) {
        done(SyncError(), {});
        return;
    }
    const QByteArray uidBound = "UID 1:" + QByteArray::number(belowUid - 1);
    if (!rangeStart.isValid()) {
        m_connection->command(searchCommand(uidBound), [this, done](const ImapConnection::Result &r) {
            done(r.error, r.ok() ? searchResults(r) : QVector<quint32>());
        });
        return;
    }
    // SEARCH SINCE compares dates only, in the server's time zone: ask a day
    // early, then settle the messages near the boundary by their exact INTERNALDATE.
    const QDate startDay = rangeStart.toUTC().date();
    const QByteArray since = "SINCE " + Imap::formatSearchDate(startDay.addDays(-1));
    const QByteArray boundary = since + " BEFORE " + Imap::formatSearchDate(startDay.addDays(2));
    m_connection->command(searchCommand(since + ' ' + uidBound),
                          [this, done, boundary, uidBound, rangeStart](const ImapConnection::Result &r) {
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
            auto tooOld = std::make_shared<QSet<quint32>>();
            m_connection->command("UID FETCH " + Imap::formatSequenceSet(nearBoundary) + " (UID INTERNALDATE)",
                                  [done, candidates, tooOld](const ImapConnection::Result &r3) {
                if (!r3.ok()) {
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
            }, [tooOld, rangeStart](const Imap::Response &resp) {
                Imap::FetchItem item;
                QString err;
                if (resp.name == "FETCH" && Imap::parseFetch(resp, &item, &err) && item.internalDate.isValid()
                    && item.internalDate < rangeStart)
                    tooOld->insert(item.uid);
            });
        });
    });
}

void ImapSource::adoptValidity(FolderState &state, const SelectInfo &info, bool *changed, SyncError *error)
{
    *changed = false;
    if (state.folder.uidValidity != info.uidValidity) {
        *changed = state.folder.uidValidity != 0;
        if (*changed)
            qCInfo(lcImap) << "UIDVALIDITY of" << state.folder.remoteName << "changed from"
                           << state.folder.uidValidity << "to" << info.uidValidity;
        m_store->setFolderUidValidity(state.folder.id, info.uidValidity, error);
        state.folder.uidValidity = info.uidValidity;
        state.folder.liveUidNext = 0;
        state.folder.highestModSeq = 0;
        state.rematch = *changed;
    }
    // The incremental cursor is recorded before page 1, so nothing that
    // arrives during the backfill can fall between backfill and live sync.
    if (state.folder.liveUidNext == 0 && !error->isError()) {
        state.folder.liveUidNext = info.uidNext;
        state.folder.highestModSeq = info.highestModSeq;
        m_store->setFolderLiveCursor(state.folder.id, info.uidNext, info.highestModSeq, error);
    }
}

void ImapSource::openFolder(const QString &role, PlanDone done,
                            std::function<void(FolderState &, const SelectInfo &, FolderPlan &)> then)
{
    select(role, [this, role, done, then](const SyncError &error, const SelectInfo &info) {
        FolderPlan plan;
        plan.role = role;
        if (error.isError()) {
            done(error, plan);
            return;
        }
        FolderState &state = m_folders[role];
        SyncError storeError;
        adoptValidity(state, info, &plan.validityChanged, &storeError);
        if (storeError.isError()) {
            done(storeError, plan);
            return;
        }
        state.uidNext = info.uidNext;
        state.highestModSeq = info.highestModSeq;
        plan.uidValidity = info.uidValidity;
        plan.uidNext = info.uidNext;
        plan.highestModSeq = info.highestModSeq;
        then(state, info, plan);
    });
}

void ImapSource::planFolder(const FolderRecord &folder, const QDateTime &rangeStart,
                            const FolderCursor &cursorIn, PlanDone done)
{
    const QString role = folder.role;
    FolderState &state = m_folders[role];
    state = FolderState();
    state.folder = folder;
    state.cursor = cursorIn;
    openFolder(role, done, [this, role, rangeStart, done](FolderState &state, const SelectInfo &info, FolderPlan &plan) {
        FolderCursor &c = state.cursor;
        if (c.uidValidity != info.uidValidity) {
            // A new job, or the server renumbered the folder: start from the top.
            c.uidValidity = info.uidValidity;
            c.topUid = info.uidNext;
            c.belowUid = info.uidNext;
            c.done = false;
            c.folderId = state.folder.id;
            c.role = role;
            // A job that already fetched pages under the old numbering re-matches
            // by Message-ID instead of downloading them again.
            state.rematch = state.rematch || c.fetched > 0;
        }
        if (info.exists == 0) {
            state.pending.clear();
            c.total = c.fetched;
            plan.cursor = c;
            done(SyncError(), plan);
            return;
        }
        searchRange(rangeStart, c.topUid, [this, role, done, plan](const SyncError &e, QVector<quint32> inRange) mutable {
            if (e.isError()) {
                done(e, plan);
                return;
            }
            FolderState &state = m_folders[role];
            FolderCursor &c = state.cursor;
            const QVector<quint32> archived = m_store->archivedUids(state.folder.id, c.uidValidity);
            state.pending.clear();
            qint64 alreadyArchived = 0;
            for (auto it = inRange.crbegin(); it != inRange.crend(); ++it) {
                const quint32 uid = *it;
                if (std::binary_search(archived.cbegin(), archived.cend(), uid)) {
                    ++alreadyArchived;
                    continue;
                }
                if (uid < c.belowUid)
                    state.pending << uid;
            }
            plan.totalInRange = inRange.size();
            plan.pending = state.pending.size();
            c.total = inRange.size();
            c.done = state.pending.isEmpty();
            plan.cursor = c;
            qCInfo(lcImap) << role << "in range" << inRange.size() << "pending" << state.pending.size()
                           << "already archived" << alreadyArchived;
            done(SyncError(), plan);
        });
    });
}

void ImapSource::planLive(const FolderRecord &folder, PlanDone done)
{
    const QString role = folder.role;
    FolderState &state = m_folders[role];
    const FolderCursor keep = state.cursor;
    state = FolderState();
    state.folder = folder;
    state.cursor = keep;
    state.live = true;
    openFolder(role, done, [this, role, done](FolderState &state, const SelectInfo &info, FolderPlan &plan) {
        const quint32 from = std::max<quint32>(1, state.folder.liveUidNext);
        if (info.exists == 0 || from >= info.uidNext) {
            state.pending.clear();
            done(SyncError(), plan);
            return;
        }
        m_connection->command(searchCommand("UID " + QByteArray::number(from) + ":*"),
                              [this, role, done, plan, from](const ImapConnection::Result &r) mutable {
            if (!r.ok()) {
                done(r.error, plan);
                return;
            }
            FolderState &state = m_folders[role];
            const QVector<quint32> archived = m_store->archivedUids(state.folder.id, state.folder.uidValidity);
            state.pending.clear();
            const QVector<quint32> found = searchResults(r);
            // Oldest first, so the live cursor can move after every page.
            for (quint32 uid : found) {
                // "n:*" always includes the highest UID, even below n.
                if (uid >= from && !std::binary_search(archived.cbegin(), archived.cend(), uid))
                    state.pending << uid;
            }
            plan.pending = plan.totalInRange = state.pending.size();
            done(SyncError(), plan);
        });
    });
}

void ImapSource::fetchPage(const QString &role, int pageSize, PageDone done)
{
    if (!m_folders.contains(role)) {
        done(SyncError::make(ErrorCategory::Protocol, QStringLiteral("folder %1 was not planned").arg(role)), {});
        return;
    }
    auto start = [this, role, pageSize, done] {
        FolderState &state = m_folders[role];
        const int n = std::min<int>(pageSize, state.pending.size());
        const QVector<quint32> uids = state.pending.mid(0, n);
        PageResult result;
        result.requested = n;
        result.cursor = state.cursor;
        if (uids.isEmpty()) {
            result.cursor.done = true;
            result.liveUidNext = state.uidNext;
            done(SyncError(), result);
            return;
        }
        if (!state.rematch) {
            fetchContent(role, uids, done, result);
            return;
        }
        // After a UIDVALIDITY change: what is archived already only gets its new UID.
        auto ids = std::make_shared<QHash<quint32, QString>>();
        const qint64 before = m_connection->bytesRead();
        m_connection->command("UID FETCH " + Imap::formatSequenceSet(uids) + " (UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])",
                              [this, role, uids, done, result, ids, before](const ImapConnection::Result &r) mutable {
            if (!r.ok()) {
                done(r.error, result);
                return;
            }
            result.bytes += m_connection->bytesRead() - before;
            FolderState &state = m_folders[role];
            const QHash<QString, qint64> known = m_store->findByMessageIds(m_connectionId, ids->values());
            for (quint32 uid : uids) {
                const QString id = ids->value(uid);
                if (!id.isEmpty() && known.contains(id)) {
                    MessageRecord rec;
                    rec.connectionId = m_connectionId;
                    rec.messageId = id;
                    rec.locationOnly = true;
                    rec.folderId = state.folder.id;
                    rec.folderRole = role;
                    rec.uidValidity = state.folder.uidValidity;
                    rec.uid = uid;
                    result.messages << rec;
                }
            }
            fetchContent(role, uids, done, result);
        }, [ids](const Imap::Response &resp) {
            Imap::FetchItem item;
            QString err;
            if (resp.name != "FETCH" || !Imap::parseFetch(resp, &item, &err))
                return;
            for (auto it = item.sections.cbegin(); it != item.sections.cend(); ++it) {
                if (it.key().startsWith("HEADER.FIELDS"))
                    ids->insert(item.uid, Mime::parseHeaders(it.value()).messageId);
            }
        });
    };
    if (m_selectedRole == role) {
        start();
        return;
    }
    select(role, [this, role, start, done](const SyncError &e, const SelectInfo &info) {
        if (!e.isError() && info.uidValidity != m_folders[role].folder.uidValidity) {
            // Renumbered between plan and page: plan again rather than store wrong UIDs.
            done(SyncError::make(ErrorCategory::Network,
                                 tr("The server renumbered %1; starting that folder again").arg(remoteName(role))), {});
            return;
        }
        if (e.isError()) {
            done(e, {});
            return;
        }
        start();
    });
}

void ImapSource::fetchContent(const QString &role, QVector<quint32> uids, PageDone done, PageResult result)
{
    // Leave out what the re-match already settled.
    QSet<quint32> settled;
    for (const MessageRecord &m : result.messages)
        settled.insert(m.uid);
    QVector<quint32> wanted;
    for (quint32 uid : uids) {
        if (!settled.contains(uid))
            wanted << uid;
    }
    auto finish = [this, role, uids, done](PageResult result) {
        FolderState &state = m_folders[role];
        state.pending.remove(0, std::min<int>(uids.size(), state.pending.size()));
        const quint32 lowest = *std::min_element(uids.cbegin(), uids.cend());
        const quint32 highest = *std::max_element(uids.cbegin(), uids.cend());
        if (state.live) {
            state.folder.liveUidNext = state.pending.isEmpty() ? std::max(state.uidNext, highest + 1) : highest + 1;
            result.liveUidNext = state.folder.liveUidNext;
        } else {
            state.cursor.belowUid = std::min(state.cursor.belowUid, lowest);
            state.cursor.fetched += uids.size();
            state.cursor.done = state.pending.isEmpty();
        }
        result.cursor = state.cursor;
        done(SyncError(), result);
    };
    if (wanted.isEmpty()) {
        finish(result);
        return;
    }
    auto fetched = std::make_shared<QMap<quint32, FetchedMessage>>();
    const bool gmail = m_connection->hasCapability("X-GM-EXT-1");
    // Only the header fields we read: list mail carries kilobytes of Received and DKIM lines.
    QByteArray items = "UID INTERNALDATE RFC822.SIZE BODYSTRUCTURE " + QByteArray(kHeaderFields);
    if (gmail)
        items += " X-GM-MSGID";
    const qint64 before = m_connection->bytesRead();
    auto parseError = std::make_shared<QString>();
    m_connection->command("UID FETCH " + Imap::formatSequenceSet(wanted) + " (" + items + ")",
                          [this, role, done, result, fetched, before, finish, parseError](const ImapConnection::Result &r) mutable {
        if (!r.ok()) {
            done(r.error, result);
            return;
        }
        // Second step: only the text parts, grouped so that messages of the
        // same shape share one command.
        QMap<QByteArray, QVector<quint32>> groups;
        for (auto it = fetched->cbegin(); it != fetched->cend(); ++it) {
            if (!it->hasStructure)
                continue;
            const Imap::TextPlan plan = Imap::planTextParts(it->structure);
            QByteArrayList sections;
            if (plan.hasPlain)
                sections << "BODY.PEEK[" + sectionKey(plan.plain) + "]<0." + QByteArray::number(kMaxTextBytes) + ">";
            if (plan.hasHtml)
                sections << "BODY.PEEK[" + sectionKey(plan.html) + "]<0." + QByteArray::number(kMaxTextBytes) + ">";
            if (!sections.isEmpty())
                groups[sections.join(' ')] << it.key();
        }
        auto remaining = std::make_shared<int>(groups.size());
        auto complete = [this, role, fetched, before, finish, result]() mutable {
            const FolderState &state = m_folders[role];
            result.bytes += m_connection->bytesRead() - before;
            for (const FetchedMessage &m : *fetched)
                result.messages << buildRecord(state, m);
            finish(result);
        };
        if (groups.isEmpty()) {
            complete();
            return;
        }
        auto failed = std::make_shared<bool>(false);
        for (auto g = groups.cbegin(); g != groups.cend(); ++g) {
            m_connection->command("UID FETCH " + Imap::formatSequenceSet(g.value()) + " (UID " + g.key() + ")",
                                  [remaining, complete, failed, done, result](const ImapConnection::Result &r2) mutable {
                if (*failed)
                    return;
                if (!r2.ok()) {
                    *failed = true;
                    done(r2.error, result);
                    return;
                }
                if (--*remaining == 0)
                    complete();
            }, [fetched](const Imap::Response &resp) {
                Imap::FetchItem item;
                QString err;
                if (resp.name != "FETCH" || !Imap::parseFetch(resp, &item, &err))
                    return;
                auto it = fetched->find(item.uid);
                if (it == fetched->end())
                    return;
                for (auto s = item.sections.cbegin(); s != item.sections.cend(); ++s)
                    it->sections.insert(s.key(), s.value());
            });
        }
    }, [fetched, parseError](const Imap::Response &resp) {
        if (resp.name != "FETCH")
            return;
        Imap::FetchItem item;
        QString err;
        if (!Imap::parseFetch(resp, &item, &err) || item.uid == 0) {
            qCWarning(lcImap) << "skipping an unreadable FETCH response:" << err;
            *parseError = err;
            return;
        }
        FetchedMessage &m = (*fetched)[item.uid];
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
            if (s.key() == "HEADER" || s.key().startsWith("HEADER.FIELDS"))
                m.header = s.value();
        }
    });
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

MessageRecord ImapSource::buildRecord(const FolderState &state, const FetchedMessage &m) const
{
    MessageRecord rec;
    rec.connectionId = m_connectionId;
    rec.folderId = state.folder.id;
    rec.folderRole = state.folder.role;
    rec.uidValidity = state.folder.uidValidity;
    rec.uid = m.uid;
    rec.providerId = m.gmailId ? QStringLiteral("gm:%1").arg(m.gmailId, 0, 16)
                               : QStringLiteral("%1/%2/%3").arg(state.folder.remoteName).arg(state.folder.uidValidity).arg(m.uid);
    const Mime::HeaderInfo h = Mime::parseHeaders(m.header);
    rec.messageId = h.messageId;
    rec.subject = h.subject;
    if (!h.from.isEmpty()) {
        rec.fromName = h.from.first().name;
        rec.fromAddress = h.from.first().email;
    }
    rec.toText = Mime::formatAddressList(h.to);
    rec.ccText = Mime::formatAddressList(h.cc);
    rec.sentAt = h.date;
    rec.inReplyTo = h.inReplyTo;
    rec.references = h.references;
    rec.receivedAt = m.internalDate.isValid() ? m.internalDate : h.date;
    if (!rec.receivedAt.isValid())
        rec.receivedAt = QDateTime::fromSecsSinceEpoch(0, QTimeZone::utc());
    rec.size = m.size;
    if (m.hasStructure) {
        const Imap::TextPlan plan = Imap::planTextParts(m.structure);
        if (plan.hasPlain)
            rec.bodyText = decodePart(m, plan.plain);
        if (plan.hasHtml)
            rec.bodyHtml = decodePart(m, plan.html);
        if (rec.bodyText.isEmpty() && !rec.bodyHtml.isEmpty())
            rec.bodyText = Mime::htmlToText(rec.bodyHtml);
        for (const Imap::AttachmentRef &a : plan.attachments) {
            AttachmentRecord att;
            att.fileName = Mime::attachmentFileName(a.dispositionParams, a.params);
            att.mimeType = QString::fromLatin1(a.mimeType);
            att.size = a.size;
            att.partNumber = QString::fromLatin1(a.partNumber);
            rec.attachments << att;
        }
    }
    rec.snippet = Mime::makeSnippet(rec.bodyText);
    rec.threadKey = threadKeyFor(rec);
    return rec;
}

} // namespace Lookback
