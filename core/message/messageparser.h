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
    QString plainText; // the text/plain body part (partrule.h), decoded; empty if blank
    QString htmlText;  // the text/html body part (raw HTML, decoded to Unicode); empty if blank
    struct Attachment
    {
        QString fileName;      // attachmentFileName(); an attached message's attachedMessageFileName()
        QString mimeType;      // lower-case "type/subtype"
        qint64 size = 0;       // decoded byte size
        QByteArray partNumber; // the IMAP section of the part: "2", "1.3"
    };
    QVector<Attachment> attachments;
};

// Whole-message parse with GMime (tests and tools). An mbox "From " first line
// is skipped. Which leaf is the body and which are attachments is decided by
// decideParts() (partrule.h), the rule IMAP planning uses too: the first inline
// unnamed text/plain part is the plain body, the preferred text/html part the
// HTML body; a named or "attachment" part, any other type, an attached message
// (listed, not descended into) and any further text part are attachments; the
// signature of a multipart/signed is neither. Never crashes on malformed input.
ParsedMessage parseMessage(const QByteArray &rfc822);
// Where parseMessage starts reading: after an mbox "From " line and lines of
// blanks before the first header.
qsizetype messageStart(const QByteArray &rfc822);

} // namespace Lookback::Mime
