#pragma once

#include <QByteArray>
#include <QPair>
#include <QString>
#include <QVector>

// Interpretation of the two structured FETCH items a mail archive needs without
// downloading whole messages: BODYSTRUCTURE (RFC 3501 7.4.2) and ENVELOPE, plus the
// plan which parts to download as the readable text and which to record as
// attachments (decided by the one rule of message/partrule.h).
//
// Plain value types and free functions: no thread affinity, no ownership, no
// exceptions escape. Everything here tolerates the broken structures real servers
// send for torture mail: a best-effort result or a clean error, never a crash.

namespace Lookback::Imap {

struct Value; // imapparser.h; only passed by reference here

using ParamList = QVector<QPair<QByteArray, QByteArray>>;

struct Address
{
    QByteArray name, adl, mailbox, host; // raw as sent (RFC 2047 words not decoded)
};

struct Envelope
{
    QByteArray date, subject, inReplyTo, messageId; // raw as sent, NIL -> empty
    QVector<Address> from, sender, replyTo, to, cc, bcc;
};

struct BodyPart
{
    QByteArray type, subtype; // lower-cased: "text","plain"; multipart: "multipart","mixed"
    // Raw: name lower-cased, value as sent, NOT decoded (RFC 2231/2047 decoding happens elsewhere).
    ParamList params;
    QByteArray id, description;
    QByteArray encoding; // lower-cased, e.g. "base64"
    qint64 size = 0;     // body-fld-octets: encoded size
    qint64 lines = -1;   // text/* and message/rfc822 only
    QByteArray disposition; // lower-cased, e.g. "attachment","inline", empty if none
    ParamList dispositionParams;
    // The IMAP section of this part, usable as BODY[<partNumber>]:
    //   leaves and nested multiparts: "1", "1.2", "2.1.3";
    //   a non-multipart top-level body: "1";
    //   the top-level multipart itself: "" (BODY[] is the whole message);
    //   the multipart body of an embedded message/rfc822 part "3": "3.TEXT"
    //   (a non-multipart embedded body is "3.1", as in RFC 3501 6.4.5).
    QByteArray partNumber;
    // Multipart children; for message/rfc822 parts the embedded message's body as one child.
    QVector<BodyPart> children;
    // message/rfc822 (and message/global) parts: the embedded message's ENVELOPE.
    bool hasEnvelope = false;
    Envelope envelope;

    bool isMultipart() const { return type == "multipart"; }
    QByteArray mimeType() const { return type + '/' + subtype; }
    // Case-insensitive look-up in params / dispositionParams; empty if absent.
    QByteArray param(const QByteArray &lowerName) const;
    QByteArray dispositionParam(const QByteArray &lowerName) const;
    // True if the part carries a file name: filename / filename* (disposition) or name / name*
    // (type); Mime::hasFileNameParameter().
    bool hasFileName() const;
};

// Parses one "body" value (a List) as sent after BODYSTRUCTURE or BODY.
bool parseBodyStructure(const Value &v, BodyPart *out, QString *error);
// Parses one "envelope" value (a List of 10 fields).
bool parseEnvelope(const Value &v, Envelope *out, QString *error);

struct AttachmentRef
{
    QByteArray partNumber;
    QByteArray mimeType; // "application/pdf"
    qint64 size = 0; // body-fld-octets: the size of the still-encoded content
    ParamList params, dispositionParams;
    // An attached message (message/rfc822 with an ENVELOPE): its raw Subject, which names
    // it when it has no file name (Mime::attachedMessageFileName).
    QByteArray messageSubject;
    bool isMessage = false;
};

// Which parts of a message to download as its readable text, and which to record as
// attachment metadata (their content is never downloaded). Mime::decideParts() decides,
// for the leaves of the structure (message/rfc822 parts are leaves, not descended into).
struct TextPlan
{
    BodyPart plain;
    bool hasPlain = false; // the leaf decided PartRole::BodyPlain
    BodyPart html;
    bool hasHtml = false; // the leaf decided PartRole::BodyHtml
    // The leaves decided PartRole::Attachment, in document order.
    QVector<AttachmentRef> attachments;
};

TextPlan planTextParts(const BodyPart &root);

} // namespace Lookback::Imap
