#pragma once

#include <QDate>
#include <QString>
#include <QStringList>

namespace Lookback {

// A search typed by the user: free words plus from:, to:, subject:, before:,
// after: and in:inbox / in:sent. Parsed once, turned into an FTS5 expression.
struct SearchQuery
{
    QStringList words;          // free text, each word or "quoted phrase"
    QStringList from;
    QStringList to;
    QStringList subject;
    QDate before;               // received strictly before this day (local time)
    QDate after;                // received on or after this day (local time)
    QString folderRole;         // "inbox", "sent" or empty
    qint64 connectionId = 0;    // 0: every connection
    QString error;              // set when part of the text could not be understood

    static SearchQuery parse(const QString &text);
    bool isEmpty() const;
    // The FTS5 MATCH expression for the text parts, empty when there are none.
    // Every term is quoted (FTS syntax in user input is never interpreted) and
    // prefix-matched so results appear while the user is still typing.
    QString ftsExpression() const;
};

} // namespace Lookback
