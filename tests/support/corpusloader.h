// Loads real mail from the shared corpus (see testpaths.h) into a DovecotServer.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

namespace Lookback::Test {

class DovecotServer;

class CorpusLoader
{
public:
    // `tar -xJf corpusDir()/archiveName -C dir` (dir is created). False + *error when the
    // archive is absent or tar fails.
    static bool unpack(const QString &archiveName, const QString &dir, QString *error);

    // cygwin-patches (DIR/maildir/cur/*) into INBOX: at most `limit` messages (0 = all),
    // the first ones by file name; INTERNALDATEs are the messages' Date: headers shifted
    // so the newest is exactly 24 h ago, spacing kept. UIDs follow file-name order.
    // Returns the number loaded, or -1 with *error.
    static int loadCygwin(DovecotServer &server, const QString &unpackedDir, int limit, QString *error);

    // One Enron user: DIR/maildir/USER/inbox/* -> INBOX; sent, sent_items, _sent_mail ->
    // Sent (all three, so Sent holds the duplicates the corpus has). Files are taken in
    // numeric file-name order; one date shift for the whole user (newest message of
    // either folder = 24 h ago). Returns the number loaded (both folders), or -1.
    static int loadEnronUser(DovecotServer &server, const QString &unpackedDir, const QString &user,
                             QString *error);

    // A tolerant RFC 2822 / RFC 822 date parser ("Sun, 20 Feb 2000 14:59:00 -0000",
    // optional weekday and seconds, 2/4-digit years, named zones, trailing comments).
    // Returns an invalid QDateTime when the text is not a date.
    static QDateTime parseRfc2822Date(const QString &text);
    // The unfolded value of a header field in a message (empty when absent).
    static QByteArray headerValue(const QByteArray &message, const QByteArray &name);

    // Internal dates for messages in load order: parsed Date: headers (years before 1980
    // or unparsable count as missing and get the previous message's date + 1 min, or the
    // next one's - 1 min), shifted so the newest is `newest` (default: now - 24 h).
    static QList<QDateTime> shiftedDates(const QList<QByteArray> &dateHeaders,
                                         const QDateTime &newest = QDateTime());
};

} // namespace Lookback::Test
