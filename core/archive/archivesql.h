#pragma once

// Helpers shared by the archive's source files (not part of its interface).

#include "archive/sqltransaction.h"
#include "common/syncerror.h"

#include <QDateTime>
#include <QString>
#include <QTimeZone>
#include <QVariant>

namespace Lookback::ArchiveSql {

// "Cannot commit to the archive: <SQLite's words>".
inline SyncError commitError(const QString &what, const SqlTransaction &tx)
{
    return SyncError::make(ErrorCategory::Storage, QStringLiteral("%1: %2").arg(what, tx.errorText()));
}

inline QVariant toDb(const QDateTime &dt)
{
    return dt.isValid() ? QVariant(dt.toMSecsSinceEpoch()) : QVariant(QMetaType(QMetaType::LongLong));
}

inline QDateTime fromDb(const QVariant &v)
{
    if (v.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(v.toLongLong(), QTimeZone::utc());
}

// Empty text is stored as NULL, so that "no Message-ID" compares the same way
// whichever code path wrote it.
inline QVariant textOrNull(const QString &s)
{
    return s.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(s);
}

inline QVariant idOrNull(qint64 id)
{
    return id > 0 ? QVariant(id) : QVariant(QMetaType(QMetaType::LongLong));
}

// The columns of a MessageSummary, in the order ArchiveStore::summaries reads them.
inline constexpr char kSummaryColumns[] =
    "m.id, m.connection_id, m.thread_key, m.from_name, m.from_address, m.to_text, m.subject, "
    "m.snippet, m.received_at, m.has_attachments, "
    "EXISTS(SELECT 1 FROM locations l JOIN folders f ON f.id = l.folder_id "
    "       WHERE l.message_row = m.id AND f.role = 'inbox'), "
    "EXISTS(SELECT 1 FROM locations l JOIN folders f ON f.id = l.folder_id "
    "       WHERE l.message_row = m.id AND f.role = 'sent') ";

} // namespace Lookback::ArchiveSql
