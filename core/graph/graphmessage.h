#pragma once

#include "archive/records.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

// A Microsoft Graph message resource as an archive record. Free functions on
// plain values: any thread.
namespace Lookback::Graph {

// The one definition of a Graph message's provider id: "ms:" and its
// immutable id (Prefer: IdType="ImmutableId"), which survives moves between
// folders. Ids are case-sensitive and compared byte for byte (PROVIDERS.md 1.8).
QString providerId(const QString &immutableId);

// The $select of a message list: only what the archive keeps.
QString messageSelect();

// Fills *out from a message of a list: internetMessageId as the Message-ID
// hint, conversationId as the thread key (PROVIDERS.md 1.8), receivedDateTime
// as the received date, sentDateTime as Date:, the addresses, the body (HTML
// or text, as asked for; text made from HTML when needed), bodyPreview's
// words as the snippet, In-Reply-To and References from
// internetMessageHeaders when Graph gives them. The size is the body's plus
// the attachments' (Graph gives no message size). False with *why for a
// resource that is not a readable message.
bool recordFromJson(const QJsonObject &message, MessageRecord *out, QString *why);

// True when the message has attachments to list (hasAttachments; inline
// pictures do not count, as in Graph).
bool needsAttachmentList(const QJsonObject &message);

// The attachments (value of /messages/{id}/attachments with
// $select=name,size,contentType,isInline) into the record: the ones that are
// not inline, by name, type and size. Content is never asked for.
void addAttachments(const QJsonArray &attachments, MessageRecord *rec);

} // namespace Lookback::Graph
