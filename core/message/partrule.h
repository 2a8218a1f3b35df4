#pragma once

#include <QByteArray>
#include <QPair>
#include <QVector>

// The one rule for what the leaf parts of a message are to the archive: its
// readable text/plain body, its text/html body, an attachment (recorded as
// metadata, never downloaded), or nothing. IMAP planning (imap/bodystructure.cpp,
// from BODYSTRUCTURE) and the MIME parser (messageparser.cpp, from a whole message)
// both describe their leaves with LeafPart and ask decideParts(), so that a
// message reads the same whichever way it arrived. Other providers do the same
// with their own part lists.
//
// Free functions on plain values: any thread, no state, Qt Core only (no GMime).
namespace Lookback::Mime {

using ParamList = QVector<QPair<QByteArray, QByteArray>>;

enum class PartRole {
    BodyPlain,  // the message's text/plain body
    BodyHtml,   // the message's text/html body
    Attachment, // listed as an attachment
    Skip,       // neither: the signature of a multipart/signed, an empty text part
};

// One leaf of a message's MIME tree, as either source sees it. Leaves are the
// parts reached from the top through multiparts only (isContainer()): an attached
// message (message/rfc822) is one leaf, so nothing inside it is ever a leaf of
// the message that carries it.
struct LeafPart
{
    QByteArray type, subtype;   // lower-case: "text", "plain"
    QByteArray disposition;     // lower-case: "attachment", "inline"; empty if none
    bool hasFileName = false;   // hasFileNameParameter() of its parameters
    bool inAlternative = false; // below a multipart/alternative
    bool signatureSlot = false; // the second part of a multipart/signed
    bool empty = false;         // no content at all (0 octets, still encoded)
};

// Whether a walker descends into a part: multipart/* only.
bool isContainer(const QByteArray &lowerType);

// True if the parameters name a file: filename or filename* (RFC 2231 sections
// filename*0, filename*0*, ...) of Content-Disposition, or name / name* of
// Content-Type. Names compared case-insensitively; the value does not matter.
bool hasFileNameParameter(const ParamList &dispositionParams, const ParamList &typeParams);

// The role of every leaf of one message, given in document order (depth first):
//   Skip        the signature (application/pgp-signature, application/pkcs7-signature,
//               application/x-pkcs7-signature) in the second slot of a multipart/signed:
//               not an attachment a user would look for.
//   Attachment  disposition "attachment", or a file name (so a named inline text
//               part such as an inline patch is an attachment, and its content is not
//               downloaded), or any type but text/plain and text/html (text/calendar,
//               inline images, message/rfc822, delivery reports).
//   Skip        an empty text/plain or text/html leaf, such as the 0-octet text/plain
//               an IMAP server puts in a multipart that has no parts (BODYSTRUCTURE
//               needs at least one): it must not take the place of the real body.
//   BodyPlain   the first remaining text/plain leaf.
//   BodyHtml    the first remaining text/html leaf below a multipart/alternative, or
//               if there is none, the first remaining text/html leaf.
//   Attachment  every other remaining text part (a second inline text/plain, an HTML
//               part beside the chosen one): listed rather than silently dropped.
// At most one leaf is BodyPlain and at most one BodyHtml.
QVector<PartRole> decideParts(const QVector<LeafPart> &leaves);

} // namespace Lookback::Mime
