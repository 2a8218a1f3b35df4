// The archive's write path: every page, of every kind, goes through
// writePage, in one transaction with what it advances.

#include "archivestore.h"

#include "archivesql.h"
#include "common/logging.h"
#include "sqltransaction.h"

#include <QSqlError>
#include <QSqlQuery>

namespace Lookback {

using namespace ArchiveSql;

bool ArchiveStore::writePage(const PageWrite &page, PageOutcome *outcome, SyncError *error)
{
    PageOutcome result;
    SqlTransaction tx(m_db);
    if (!tx.isActive()) {
        *error = commitError(QStringLiteral("Cannot write to the archive"), tx);
        return false;
    }
    // Stored messages leave the list of unreadable ones; most connections have none.
    bool clearFailures = false;
    {
        QSqlQuery &any = prepared("anyFailure", QStringLiteral(
            "SELECT EXISTS(SELECT 1 FROM message_failures WHERE connection_id=?)"));
        any.addBindValue(page.connectionId);
        if (!any.exec() || !any.next()) {
            *error = storageError(QStringLiteral("Cannot read the archive"), any);
            return false;
        }
        clearFailures = any.value(0).toBool();
        any.finish();
    }
    for (const MessageRecord &m : page.messages) {
        if (!writeOne(page, m, clearFailures, &result, error))
            return false;
    }
    if (!page.failures.isEmpty()) {
        const QVariant now = toDb(QDateTime::currentDateTimeUtc());
        QSqlQuery &f = prepared("recordFailure", QStringLiteral(
            "INSERT INTO message_failures(connection_id, provider_id, folder_id, job_id, reason, attempts, "
            "first_seen_at, last_seen_at) VALUES(?,?,?,?,?,1,?,?) ON CONFLICT(connection_id, provider_id) DO UPDATE "
            "SET reason=excluded.reason, attempts=attempts+1, last_seen_at=excluded.last_seen_at, "
            "job_id=ifnull(excluded.job_id, job_id), folder_id=excluded.folder_id"));
        for (const MessageFailure &x : page.failures) {
            f.addBindValue(page.connectionId);
            f.addBindValue(x.providerId);
            f.addBindValue(idOrNull(x.folderId > 0 ? x.folderId : page.folderId));
            f.addBindValue(idOrNull(page.jobId));
            f.addBindValue(x.reason);
            f.addBindValue(now);
            f.addBindValue(now);
            if (!f.exec()) {
                *error = storageError(QStringLiteral("Cannot record an unreadable message"), f);
                return false;
            }
            ++result.failed;
        }
    }
    if (page.hasFolderState) {
        if (page.forgetLocationIds) {
            QSqlQuery &forget = prepared("forgetUids", QStringLiteral(
                "UPDATE locations SET uid = 0, uid_validity = 0 WHERE folder_id=?"));
            forget.addBindValue(page.folderId);
            if (!forget.exec()) {
                *error = storageError(QStringLiteral("Cannot forget old UIDs"), forget);
                return false;
            }
        }
        QSqlQuery &state = prepared("folderState", QStringLiteral("UPDATE folders SET source_state=? WHERE id=?"));
        state.addBindValue(QString::fromUtf8(page.folderState));
        state.addBindValue(page.folderId);
        if (!state.exec()) {
            *error = storageError(QStringLiteral("Cannot save the sync position"), state);
            return false;
        }
    }
    if (page.hasCursor) {
        // The cursor's count grows by what this page added, whatever the caller thought it was.
        QSqlQuery &c = prepared("pageCursor", QStringLiteral(
            "INSERT INTO backfill_cursors(job_id, folder_id, state, done, fetched, total) VALUES(?,?,?,?,?,?) "
            "ON CONFLICT(job_id, folder_id) DO UPDATE SET state=excluded.state, done=excluded.done, "
            "fetched=fetched+excluded.fetched, total=CASE WHEN excluded.total >= 0 THEN excluded.total ELSE total END"));
        c.addBindValue(page.cursor.jobId);
        c.addBindValue(page.cursor.folderId);
        c.addBindValue(QString::fromUtf8(page.cursor.state));
        c.addBindValue(page.cursor.done);
        c.addBindValue(result.inserted);
        c.addBindValue(page.cursor.total);
        if (!c.exec()) {
            *error = storageError(QStringLiteral("Cannot save the backfill position"), c);
            return false;
        }
    }
    if (page.jobId > 0 && result.inserted > 0) {
        QSqlQuery &q = prepared("jobFetched", QStringLiteral("UPDATE backfill_jobs SET fetched=fetched+? WHERE id=?"));
        q.addBindValue(result.inserted);
        q.addBindValue(page.jobId);
        if (!q.exec()) {
            *error = storageError(QStringLiteral("Cannot save the backfill"), q);
            return false;
        }
    }
    if (page.runId > 0 && (result.inserted > 0 || result.failed > 0)) {
        QSqlQuery &q = prepared("runFetched", QStringLiteral(
            "UPDATE sync_runs SET fetched=fetched+?, failed=failed+? WHERE id=?"));
        q.addBindValue(result.inserted);
        q.addBindValue(result.failed);
        q.addBindValue(page.runId);
        if (!q.exec()) {
            *error = storageError(QStringLiteral("Cannot write the sync log"), q);
            return false;
        }
    }
    if (!tx.commit()) {
        *error = commitError(QStringLiteral("Cannot commit to the archive"), tx);
        return false;
    }
    if (outcome)
        *outcome = result;
    return true;
}

qint64 ArchiveStore::rowForProviderId(qint64 connectionId, const QString &providerId, SyncError *error)
{
    QSqlQuery &q = prepared("byProvider", QStringLiteral(
        "SELECT id FROM messages WHERE connection_id=? AND provider_id=? "
        "UNION ALL SELECT message_row FROM message_aliases WHERE connection_id=? AND provider_id=? LIMIT 1"));
    q.addBindValue(connectionId);
    q.addBindValue(providerId);
    q.addBindValue(connectionId);
    q.addBindValue(providerId);
    if (!q.exec()) {
        if (error)
            *error = storageError(QStringLiteral("Cannot read the archive"), q);
        return -1;
    }
    const qint64 row = q.next() ? q.value(0).toLongLong() : 0;
    q.finish();
    return row;
}

// The identity rule. A Message-ID only suggests that two provider ids are the
// same message (a copy in Inbox and Sent, a folder the server renumbered):
// they are merged only when the content matches too — the same Message-ID
// (or both without one), the same Date: header, the same size, subject and
// sender. Two different messages that share a Message-ID (broken mailers
// reuse them, and anyone can forge one) differ in at least one of those and
// are both kept.
qint64 ArchiveStore::sameMessage(const MessageRecord &m, SyncError *error)
{
    QSqlQuery &q = prepared("sameMessage", QStringLiteral(
        "SELECT id FROM messages WHERE connection_id=? AND message_id IS ? AND sent_at IS ? AND size=? "
        "AND ifnull(subject, '')=? AND lower(ifnull(from_address, ''))=? LIMIT 1"));
    q.addBindValue(m.connectionId);
    q.addBindValue(textOrNull(m.messageId));
    q.addBindValue(toDb(m.sentAt));
    q.addBindValue(m.size);
    // Never a null QString here: that would bind NULL, which equals nothing.
    q.addBindValue(m.subject.isEmpty() ? QStringLiteral("") : m.subject);
    q.addBindValue(m.fromAddress.isEmpty() ? QStringLiteral("") : m.fromAddress.toLower());
    if (!q.exec()) {
        if (error)
            *error = storageError(QStringLiteral("Cannot read the archive"), q);
        return -1;
    }
    const qint64 row = q.next() ? q.value(0).toLongLong() : 0;
    q.finish();
    return row;
}

qint64 ArchiveStore::findArchived(const MessageRecord &m)
{
    const qint64 byId = m.providerId.isEmpty() ? 0 : rowForProviderId(m.connectionId, m.providerId, nullptr);
    if (byId != 0)
        return std::max<qint64>(byId, 0);
    return std::max<qint64>(sameMessage(m, nullptr), 0);
}

bool ArchiveStore::writeOne(const PageWrite &page, const MessageRecord &m, bool clearFailures, PageOutcome *outcome,
                            SyncError *error)
{
    qint64 row = rowForProviderId(m.connectionId, m.providerId, error);
    if (row < 0)
        return false;
    bool known = row > 0;
    if (!known) {
        row = sameMessage(m, error);
        if (row < 0)
            return false;
        if (row > 0) {
            QSqlQuery &alias = prepared("addAlias", QStringLiteral(
                "INSERT OR IGNORE INTO message_aliases(connection_id, provider_id, message_row) VALUES(?,?,?)"));
            alias.addBindValue(m.connectionId);
            alias.addBindValue(m.providerId);
            alias.addBindValue(row);
            if (!alias.exec()) {
                *error = storageError(QStringLiteral("Cannot store a message"), alias);
                return false;
            }
            ++outcome->merged;
        }
    } else {
        ++outcome->known;
    }
    if (clearFailures) {
        QSqlQuery &clear = prepared("clearFailure", QStringLiteral(
            "DELETE FROM message_failures WHERE connection_id=? AND provider_id=?"));
        clear.addBindValue(m.connectionId);
        clear.addBindValue(m.providerId);
        if (!clear.exec()) {
            *error = storageError(QStringLiteral("Cannot update the unreadable messages"), clear);
            return false;
        }
    }
    if (row > 0)
        return addLocation(row, m, error);
    if (m.locationOnly) {
        ++outcome->stale; // the match went away: the source fetches it next time
        return true;
    }
    Q_UNUSED(page)

    QSqlQuery &ins = prepared("insertMessage", QStringLiteral(
        "INSERT INTO messages(connection_id, provider_id, message_id, thread_key, from_name, from_address, "
        "to_text, cc_text, subject, received_at, sent_at, size, snippet, body_text, body_html, in_reply_to, "
        "refs, has_attachments) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    ins.addBindValue(m.connectionId);
    ins.addBindValue(m.providerId);
    ins.addBindValue(textOrNull(m.messageId));
    ins.addBindValue(resolveThreadKey(m));
    ins.addBindValue(m.fromName);
    ins.addBindValue(m.fromAddress);
    ins.addBindValue(m.toText);
    ins.addBindValue(m.ccText);
    ins.addBindValue(m.subject);
    ins.addBindValue(m.receivedAt.toMSecsSinceEpoch());
    ins.addBindValue(toDb(m.sentAt));
    ins.addBindValue(m.size);
    ins.addBindValue(m.snippet);
    ins.addBindValue(m.bodyText);
    ins.addBindValue(m.bodyHtml);
    ins.addBindValue(m.inReplyTo);
    ins.addBindValue(m.references.join(QLatin1Char(' ')));
    ins.addBindValue(m.attachments.isEmpty() ? 0 : 1);
    if (!ins.exec()) {
        *error = storageError(QStringLiteral("Cannot store a message"), ins);
        return false;
    }
    row = ins.lastInsertId().toLongLong();

    QSqlQuery &att = prepared("insertAttachment", QStringLiteral(
        "INSERT INTO attachments(message_row, file_name, mime_type, size, part) VALUES(?,?,?,?,?)"));
    for (const AttachmentRecord &a : m.attachments) {
        att.addBindValue(row);
        att.addBindValue(a.fileName);
        att.addBindValue(a.mimeType);
        att.addBindValue(a.size);
        att.addBindValue(a.partNumber);
        if (!att.exec()) {
            *error = storageError(QStringLiteral("Cannot store an attachment's details"), att);
            return false;
        }
    }

    // The index takes its text from the archive itself (message_fts_source),
    // so what is indexed is always what a delete or a rebuild will read back.
    QSqlQuery &fts = prepared("insertFts", QStringLiteral(
        "INSERT INTO message_fts(rowid, subject, sender, recipients, body) "
        "SELECT id, subject, sender, recipients, body FROM message_fts_source WHERE id=?"));
    fts.addBindValue(row);
    if (!fts.exec()) {
        *error = storageError(QStringLiteral("Cannot index a message"), fts);
        return false;
    }
    ++outcome->inserted;
    return addLocation(row, m, error);
}

QString ArchiveStore::resolveThreadKey(const MessageRecord &m)
{
    QStringList parents;
    if (!m.inReplyTo.isEmpty())
        parents << m.inReplyTo;
    for (int i = m.references.size() - 1; i >= 0 && parents.size() < 6; --i)
        parents << m.references.at(i);
    QSqlQuery &q = prepared("threadOf", QStringLiteral(
        "SELECT thread_key FROM messages WHERE connection_id=? AND message_id=? LIMIT 1"));
    for (const QString &parent : parents) {
        q.addBindValue(m.connectionId);
        q.addBindValue(parent);
        if (q.exec() && q.next()) {
            const QString key = q.value(0).toString();
            q.finish();
            if (!key.isEmpty())
                return key;
        }
    }
    return m.threadKey;
}

bool ArchiveStore::addLocation(qint64 messageRowId, const MessageRecord &m, SyncError *error)
{
    if (m.folderId <= 0)
        return true;
    QSqlQuery &q = prepared("addLocation", QStringLiteral(
        "INSERT INTO locations(message_row, folder_id, uid_validity, uid) VALUES(?,?,?,?) "
        "ON CONFLICT(message_row, folder_id) DO UPDATE SET uid_validity=excluded.uid_validity, uid=excluded.uid"));
    q.addBindValue(messageRowId);
    q.addBindValue(m.folderId);
    q.addBindValue(m.uidValidity);
    q.addBindValue(m.uid);
    if (!q.exec()) {
        *error = storageError(QStringLiteral("Cannot save where the message lives"), q);
        return false;
    }
    return true;
}

bool ArchiveStore::deleteMessages(const QVector<qint64> &rowIds, SyncError *error)
{
    SqlTransaction tx(m_db);
    if (!tx.isActive()) {
        *error = commitError(QStringLiteral("Cannot write to the archive"), tx);
        return false;
    }
    // The index entry first, from the same text it was made of, while the
    // row and its attachments still exist.
    QSqlQuery &fts = prepared("deleteFts", QStringLiteral(
        "INSERT INTO message_fts(message_fts, rowid, subject, sender, recipients, body) "
        "SELECT 'delete', id, subject, sender, recipients, body FROM message_fts_source WHERE id=?"));
    QSqlQuery &del = prepared("deleteMessage", QStringLiteral("DELETE FROM messages WHERE id=?"));
    for (qint64 id : rowIds) {
        fts.addBindValue(id);
        if (!fts.exec()) {
            *error = storageError(QStringLiteral("Cannot remove a message from the index"), fts);
            return false;
        }
        del.addBindValue(id);
        if (!del.exec()) {
            *error = storageError(QStringLiteral("Cannot delete a message"), del);
            return false;
        }
    }
    if (!tx.commit()) {
        *error = commitError(QStringLiteral("Cannot commit to the archive"), tx);
        return false;
    }
    return true;
}

// ---- what sources may look at --------------------------------------------

QVector<quint32> ArchiveStore::archivedUids(qint64 folderId, quint32 uidValidity)
{
    QVector<quint32> result;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT uid FROM locations WHERE folder_id=? AND uid_validity=? AND uid>0 ORDER BY uid"));
    q.addBindValue(folderId);
    q.addBindValue(uidValidity);
    if (q.exec()) {
        while (q.next())
            result << q.value(0).toUInt();
    }
    return result;
}

QSet<QString> ArchiveStore::knownProviderIds(qint64 connectionId, const QStringList &providerIds)
{
    QSet<QString> result;
    for (const QString &id : providerIds) {
        if (rowForProviderId(connectionId, id, nullptr) > 0)
            result.insert(id);
    }
    return result;
}

qint64 ArchiveStore::forgottenUidCount(qint64 folderId)
{
    QSqlQuery &q = prepared("forgottenUids", QStringLiteral("SELECT COUNT(*) FROM locations WHERE folder_id=? AND uid=0"));
    q.addBindValue(folderId);
    const qint64 n = q.exec() && q.next() ? q.value(0).toLongLong() : 0;
    q.finish();
    return n;
}

QSet<QString> ArchiveStore::unreadableSince(qint64 folderId, const QDateTime &since)
{
    QSet<QString> result;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT provider_id FROM message_failures WHERE folder_id=? AND last_seen_at>=?"));
    q.addBindValue(folderId);
    q.addBindValue(toDb(since));
    if (q.exec()) {
        while (q.next())
            result.insert(q.value(0).toString());
    }
    return result;
}

} // namespace Lookback
