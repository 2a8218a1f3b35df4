// The archive's read path: messages, folder lists, search, threads and
// correspondents. Reads never take the write lock (WAL).

#include "archivestore.h"

#include "archivesql.h"
#include "common/logging.h"

#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace Lookback {

using namespace ArchiveSql;

// ---- reading -------------------------------------------------------------

qint64 ArchiveStore::messageCount(qint64 connectionId, const QString &role)
{
    QSqlQuery q(m_db);
    if (role.isEmpty()) {
        q.prepare(QStringLiteral("SELECT COUNT(*) FROM messages WHERE connection_id=?"));
        q.addBindValue(connectionId);
    } else {
        q.prepare(QStringLiteral("SELECT COUNT(DISTINCT l.message_row) FROM locations l JOIN folders f "
                                 "ON f.id = l.folder_id WHERE f.connection_id=? AND f.role=?"));
        q.addBindValue(connectionId);
        q.addBindValue(role);
    }
    if (!q.exec() || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

bool ArchiveStore::message(qint64 id, MessageRecord *out)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral(
        "SELECT id, connection_id, provider_id, message_id, thread_key, from_name, from_address, to_text, "
        "cc_text, subject, received_at, sent_at, size, snippet, body_text, body_html, in_reply_to, refs "
        "FROM messages WHERE id=?"));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return false;
    MessageRecord m;
    m.id = q.value(0).toLongLong();
    m.connectionId = q.value(1).toLongLong();
    m.providerId = q.value(2).toString();
    m.messageId = q.value(3).toString();
    m.threadKey = q.value(4).toString();
    m.fromName = q.value(5).toString();
    m.fromAddress = q.value(6).toString();
    m.toText = q.value(7).toString();
    m.ccText = q.value(8).toString();
    m.subject = q.value(9).toString();
    m.receivedAt = fromDb(q.value(10));
    m.sentAt = fromDb(q.value(11));
    m.size = q.value(12).toLongLong();
    m.snippet = q.value(13).toString();
    m.bodyText = q.value(14).toString();
    m.bodyHtml = q.value(15).toString();
    m.inReplyTo = q.value(16).toString();
    m.references = q.value(17).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    q.prepare(QStringLiteral("SELECT file_name, mime_type, size, part FROM attachments WHERE message_row=? ORDER BY id"));
    q.addBindValue(id);
    if (q.exec()) {
        while (q.next())
            m.attachments << AttachmentRecord{q.value(0).toString(), q.value(1).toString(),
                                              q.value(2).toLongLong(), q.value(3).toString()};
    }
    q.prepare(QStringLiteral("SELECT f.role FROM locations l JOIN folders f ON f.id = l.folder_id "
                             "WHERE l.message_row=? ORDER BY f.role LIMIT 1"));
    q.addBindValue(id);
    if (q.exec() && q.next())
        m.folderRole = q.value(0).toString();
    *out = m;
    return true;
}

QVector<MessageSummary> ArchiveStore::summaries(QSqlQuery &q)
{
    QVector<MessageSummary> result;
    while (q.next()) {
        MessageSummary s;
        s.id = q.value(0).toLongLong();
        s.connectionId = q.value(1).toLongLong();
        s.threadKey = q.value(2).toString();
        s.fromName = q.value(3).toString();
        s.fromAddress = q.value(4).toString();
        s.toText = q.value(5).toString();
        s.subject = q.value(6).toString();
        s.snippet = q.value(7).toString();
        s.receivedAt = fromDb(q.value(8));
        s.hasAttachments = q.value(9).toBool();
        s.inInbox = q.value(10).toBool();
        s.inSent = q.value(11).toBool();
        result << s;
    }
    return result;
}

QVector<MessageSummary> ArchiveStore::search(const SearchQuery &query, int limit, int offset, SyncError *error)
{
    QString sql = QLatin1String("SELECT ") + QLatin1String(kSummaryColumns) + QLatin1String("FROM messages m ");
    QStringList where;
    QVariantList binds;
    const QString fts = query.ftsExpression();
    if (!fts.isEmpty()) {
        // The matches become a set of row ids, and the newest messages are walked in
        // date order through the index until enough are in the set. Joining the full-text
        // table instead looks up every match's row to read its date: one page of a wide
        // row per match, 15,000 of them for a common word (2-4x slower, measured in
        // docs/PERFORMANCE.md). Within one connection, its own date index, so the
        // connection's filter is read from the index too.
        sql += query.connectionId > 0 ? QLatin1String("INDEXED BY messages_received ")
                                      : QLatin1String("INDEXED BY messages_received_all ");
        where << QStringLiteral("m.id IN (SELECT rowid FROM message_fts WHERE message_fts MATCH ?)");
        binds << fts;
    }
    if (query.connectionId > 0) {
        where << QStringLiteral("m.connection_id = ?");
        binds << query.connectionId;
    }
    if (query.after.isValid()) {
        where << QStringLiteral("m.received_at >= ?");
        binds << query.after.startOfDay().toMSecsSinceEpoch();
    }
    if (query.before.isValid()) {
        where << QStringLiteral("m.received_at < ?");
        binds << query.before.startOfDay().toMSecsSinceEpoch();
    }
    if (!query.folderRole.isEmpty()) {
        where << QStringLiteral("EXISTS(SELECT 1 FROM locations l JOIN folders f ON f.id = l.folder_id "
                                "WHERE l.message_row = m.id AND f.role = ?)");
        binds << query.folderRole;
    }
    if (!where.isEmpty())
        sql += QLatin1String("WHERE ") + where.join(QLatin1String(" AND ")) + QLatin1Char(' ');
    sql += QLatin1String("ORDER BY m.received_at DESC, m.id DESC LIMIT ? OFFSET ?");
    binds << limit << offset;
    QSqlQuery q(m_db);
    q.prepare(sql);
    for (const QVariant &v : binds)
        q.addBindValue(v);
    if (!q.exec()) {
        if (error)
            *error = SyncError::make(ErrorCategory::Protocol,
                                     QStringLiteral("Cannot search for that: %1").arg(q.lastError().databaseText()));
        return {};
    }
    return summaries(q);
}

QVector<MessageSummary> ArchiveStore::list(qint64 connectionId, const QString &role, int limit, int offset)
{
    SearchQuery query;
    query.connectionId = connectionId;
    query.folderRole = role;
    return search(query, limit, offset, nullptr);
}

QVector<MessageSummary> ArchiveStore::thread(qint64 connectionId, const QString &threadKey)
{
    QSqlQuery q(m_db);
    // The newest 500 of a very long thread, shown oldest first.
    q.prepare(QLatin1String("SELECT ") + QLatin1String(kSummaryColumns)
              + QLatin1String("FROM messages m WHERE m.connection_id=? AND m.thread_key=? "
                              "ORDER BY m.received_at DESC LIMIT 500"));
    q.addBindValue(connectionId);
    q.addBindValue(threadKey);
    if (!q.exec())
        return {};
    QVector<MessageSummary> result = summaries(q);
    std::reverse(result.begin(), result.end());
    return result;
}

QVector<MessageSummary> ArchiveStore::correspondent(qint64 connectionId, const QString &address, int limit, int offset)
{
    // Received from them, or sent (or copied) to them: both sides in one list.
    // FTS narrows by the address's words; the exact address then decides, so
    // bob@example.org does not also match alice.bob@example.org.
    const QString exact = address.trimmed().toLower();
    QString phrase = exact;
    phrase.replace(QLatin1Char('"'), QLatin1String("\"\""));
    QSqlQuery q(m_db);
    q.prepare(QLatin1String("SELECT ") + QLatin1String(kSummaryColumns)
              + QLatin1String("FROM messages m WHERE (? = 0 OR m.connection_id = ?) AND "
                              "(lower(m.from_address) = ? OR (m.id IN ("
                              "  SELECT rowid FROM message_fts WHERE message_fts MATCH ?) AND "
                              "  (instr(lower(' ' || ifnull(m.to_text, '') || ', ' || ifnull(m.cc_text, '') || ','), ?) > 0 OR "
                              "   instr(lower(' ' || ifnull(m.to_text, '') || ', ' || ifnull(m.cc_text, '') || ','), ?) > 0))) "
                              "ORDER BY m.received_at DESC, m.id DESC LIMIT ? OFFSET ?"));
    q.addBindValue(connectionId);
    q.addBindValue(connectionId);
    q.addBindValue(exact);
    q.addBindValue(QStringLiteral("recipients : \"%1\"").arg(phrase));
    q.addBindValue(QString(QLatin1Char('<') + exact + QLatin1Char('>'))); // "Name <bob@example.org>"
    q.addBindValue(QString(QLatin1Char(' ') + exact + QLatin1Char(','))); // a bare address in the list
    q.addBindValue(limit);
    q.addBindValue(offset);
    if (!q.exec()) {
        qCWarning(lcArchive) << "correspondent query failed" << q.lastError().text();
        return {};
    }
    return summaries(q);
}

} // namespace Lookback
