#pragma once

#include "headers.h"

#include <QByteArray>
#include <QString>
#include <QVector>

// A whole message parsed with GMime: headers, body text and the attachment list.
// Thread-safe free functions for hostile input, like all of core/message (see
// charset.h for the charset policy).
namespace Lookback::Mime {

// g_mime_init() exactly once per process, thread-safe. Every function of
// core/message that needs GMime calls it itself; call it early only to pay the
// cost up front.
void ensureInitialized();

struct ParsedMessage
{
    HeaderInfo headers;
    QString plainText; // all inline text/plain parts, joined by a blank line
    QString htmlText;  // all inline text/html parts (raw HTML, decoded to Unicode)
    struct Attachment
    {
        QString fileName; // attachmentFileName(); for an attached message its subject + ".eml"
        QString mimeType; // lower-case "type/subtype"
        qint64 size = 0;  // decoded byte size
    };
    QVector<Attachment> attachments;
};

// Whole-message parse with GMime (tests and tools). An mbox "From " first line
// is skipped. A part is an attachment if its disposition is "attachment", it has
// a file name, or it is not text/plain or text/html; the signature of a
// multipart/signed is not. A text/plain or text/html part not marked as an
// attachment is body text (an inline text part with a file name, such as an
// inline patch, is both). Attached messages (message/rfc822) are listed as
// attachments and not descended into. Never crashes on malformed input.
ParsedMessage parseMessage(const QByteArray &rfc822);

} // namespace Lookback::Mime
