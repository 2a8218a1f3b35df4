#pragma once

#include "archive/records.h"

#include <QMetaType>

namespace Lookback {

// One unit of the write path: whatever a sync step learned that must be
// stored together, in one transaction. A backfill page carries its cursor, a
// live page the folder's new live position; a plan step may carry only a
// cursor and folder state. Built by the sync engine from a source's page.
struct PageWrite
{
    qint64 connectionId = 0;
    qint64 folderId = 0;
    qint64 jobId = 0;          // the backfill job whose counts grow; 0 for live sync
    qint64 runId = 0;          // the sync-log run whose counts grow; 0 for none
    QVector<MessageRecord> messages;
    QVector<MessageFailure> failures;
    bool hasCursor = false;
    FolderCursor cursor;       // the job's cursor for this folder after the page
    bool hasFolderState = false;
    QByteArray folderState;    // the source's state of the folder after the page
    bool forgetLocationIds = false; // with folderState: the folder was renumbered
};

// What a PageWrite changed.
struct PageOutcome
{
    int inserted = 0;          // new messages in the archive
    int merged = 0;            // the same content under a new provider id: one more location
    int known = 0;             // provider ids that were archived already
    int failed = 0;            // failures recorded
    int stale = 0;             // location-only matches that no longer matched (fetch them)

    int settled() const { return inserted + merged + known + failed; }
};

} // namespace Lookback

Q_DECLARE_METATYPE(Lookback::PageWrite)
Q_DECLARE_METATYPE(Lookback::PageOutcome)
