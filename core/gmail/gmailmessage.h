#pragma once

#include "archive/records.h"

#include <QJsonObject>
#include <QString>

// A Gmail API message resource (users.messages.get, format=full) as an archive
// record. Free functions on plain values: any thread.
namespace Lookback::Gmail {

// The one definition of a Gmail message's provider id: "gm:" and the API's
// id (hex), the same id the IMAP source gives a message from Gmail's
// X-GM-MSGID, and stable across labels.
QString providerId(const QString &gmailId);

// Fills *out from the message JSON: headers (parsed like any RFC 5322 header
// block), the text/plain and text/html bodies and the attachment list chosen
// by Mime::decideParts() over the payload's leaves (the same rule IMAP and the
// MIME parser use), internalDate (epoch milliseconds as a string) as the
// received date, sizeEstimate as the size and threadId as the thread key.
// Attachment content is never part of it: name, type and size come from the
// part tree. False with *why for a resource that is not a readable message.
bool recordFromJson(const QJsonObject &message, MessageRecord *out, QString *why);

} // namespace Lookback::Gmail
