#include "bodystructure.h"

#include "imapparser.h"
#include "message/partrule.h"

#include <limits>

namespace Lookback::Imap {

namespace {

// Same bound as the tokenizer's list depth; a Value tree from ResponseParser cannot be
// deeper, but these functions also accept hand-built Values.
constexpr int kMaxDepth = 64;

struct StructureError
{
    QString message;
};

// nstring / string where the grammar wants one. Servers that quote numbers or send atoms
// are accepted; a list where a string belongs reads as empty rather than failing the
// whole structure (best effort for torture mail).
QByteArray str(const Value &v)
{
    return v.isList() ? QByteArray() : v.asBytes();
}

const Value &at(const QVector<Value> &l, int i)
{
    static const Value nil;
    return i >= 0 && i < l.size() ? l.at(i) : nil;
}

ParamList params(const Value &v)
{
    ParamList out;
    if (!v.isList())
        return out; // NIL, or a broken server's bare string: no parameters
    for (int i = 0; i + 1 < v.list.size(); i += 2)
        out.append(qMakePair(str(v.list.at(i)).toLower(), str(v.list.at(i + 1))));
    return out;
}

qint64 number(const Value &v, qint64 fallback)
{
    if (v.type == Value::Number)
        return v.number > quint64(std::numeric_limits<qint64>::max()) ? fallback : qint64(v.number);
    if (v.type == Value::String) { // some servers quote numbers
        bool ok = false;
        const qint64 n = v.data.trimmed().toLongLong(&ok);
        if (ok && n >= 0)
            return n;
    }
    return fallback;
}

bool isNumberLike(const Value &v)
{
    return number(v, -1) >= 0;
}

void readDisposition(const Value &v, BodyPart *p)
{
    if (v.isList()) {
        if (!v.list.isEmpty())
            p->disposition = str(v.list.at(0)).toLower();
        if (v.list.size() > 1)
            p->dispositionParams = params(v.list.at(1));
    } else if (v.type == Value::String || v.type == Value::Atom) {
        p->disposition = v.data.toLower(); // pre-RFC 3501 servers sent the bare type
    }
}

QVector<Address> addresses(const Value &v)
{
    QVector<Address> out;
    if (!v.isList())
        return out;
    for (const Value &a : v.list) {
        if (!a.isList())
            continue;
        Address addr;
        addr.name = str(at(a.list, 0));
        addr.adl = str(at(a.list, 1));
        addr.mailbox = str(at(a.list, 2));
        addr.host = str(at(a.list, 3));
        out.append(addr);
    }
    return out;
}

QByteArray childNumber(const QByteArray &base, int index)
{
    const QByteArray n = QByteArray::number(index + 1);
    return base.isEmpty() ? n : base + '.' + n;
}

// msgPrefix/isMessageBody: this value is the body of a message (the top-level one when
// msgPrefix is empty, else the message/rfc822 part msgPrefix), which decides its numbering.
void parsePart(const Value &v, BodyPart *out, const QByteArray &ownNumber,
               const QByteArray &msgPrefix, bool isMessageBody, int depth)
{
    if (depth > kMaxDepth)
        throw StructureError { QStringLiteral("BODYSTRUCTURE nested deeper than %1 levels").arg(kMaxDepth) };
    const QVector<Value> &l = v.list;

    if (!l.isEmpty() && l.at(0).isList()) {
        out->type = "multipart";
        QByteArray base;
        if (isMessageBody) {
            out->partNumber = msgPrefix.isEmpty() ? QByteArray() : msgPrefix + ".TEXT";
            base = msgPrefix;
        } else {
            out->partNumber = ownNumber;
            base = ownNumber;
        }
        int k = 0;
        while (k < l.size() && l.at(k).isList()) {
            BodyPart child;
            parsePart(l.at(k), &child, childNumber(base, k), QByteArray(), false, depth + 1);
            out->children.append(child);
            ++k;
        }
        out->subtype = str(at(l, k)).toLower();
        if (out->subtype.isEmpty())
            out->subtype = "mixed"; // RFC 2046: unknown multipart subtypes are treated as mixed
        // body-ext-mpart: params, disposition, language, location, extensions
        out->params = params(at(l, k + 1));
        readDisposition(at(l, k + 2), out);
        return;
    }

    out->partNumber = isMessageBody ? (msgPrefix.isEmpty() ? QByteArray("1") : msgPrefix + ".1")
                                    : ownNumber;
    out->type = str(at(l, 0)).toLower();
    out->subtype = str(at(l, 1)).toLower();
    if (out->type.isEmpty()) {
        // Unknown type: never render it as text. RFC 2046 treats unknown as octet-stream.
        out->type = "application";
        out->subtype = "octet-stream";
    } else if (out->subtype.isEmpty()) {
        out->subtype = out->type == "text" ? QByteArray("plain") : QByteArray("octet-stream");
    }
    out->params = params(at(l, 2));
    out->id = str(at(l, 3));
    out->description = str(at(l, 4));
    out->encoding = str(at(l, 5)).toLower();
    out->size = number(at(l, 6), 0);

    int ext = 7;
    const bool isMessage = out->type == "message"
            && (out->subtype == "rfc822" || out->subtype == "global");
    if (isMessage && at(l, 7).isList() && at(l, 8).isList()) {
        // body-type-msg: envelope, body, lines. Exchange omits them for broken parts;
        // then the part is read as basic.
        QString ignored;
        Envelope env;
        if (parseEnvelope(at(l, 7), &env, &ignored)) {
            out->envelope = env;
            out->hasEnvelope = true;
        }
        BodyPart body;
        parsePart(at(l, 8), &body, QByteArray(), out->partNumber, true, depth + 1);
        out->children.append(body);
        out->lines = number(at(l, 9), -1);
        ext = 10;
    } else if (out->type == "text" && isNumberLike(at(l, 7))) {
        out->lines = number(at(l, 7), -1);
        ext = 8;
    }
    // body-ext-1part: md5, disposition, language, location, extensions (only disposition kept)
    readDisposition(at(l, ext + 1), out);
}

} // namespace

QByteArray BodyPart::param(const QByteArray &lowerName) const
{
    for (const auto &p : params) {
        if (p.first == lowerName)
            return p.second;
    }
    return QByteArray();
}

QByteArray BodyPart::dispositionParam(const QByteArray &lowerName) const
{
    for (const auto &p : dispositionParams) {
        if (p.first == lowerName)
            return p.second;
    }
    return QByteArray();
}

bool BodyPart::hasFileName() const
{
    return Mime::hasFileNameParameter(dispositionParams, params);
}

bool parseBodyStructure(const Value &v, BodyPart *out, QString *error)
{
    try {
        if (!v.isList() || v.list.isEmpty()) {
            if (error)
                *error = QStringLiteral("BODYSTRUCTURE is not a non-empty list");
            return false;
        }
        BodyPart root;
        parsePart(v, &root, QByteArray(), QByteArray(), true, 0);
        if (out)
            *out = root;
        return true;
    } catch (const StructureError &e) {
        if (error)
            *error = e.message;
    } catch (...) {
        if (error)
            *error = QStringLiteral("BODYSTRUCTURE could not be interpreted (out of memory)");
    }
    return false;
}

bool parseEnvelope(const Value &v, Envelope *out, QString *error)
{
    try {
        if (!v.isList() || v.list.size() < 10) {
            if (error)
                *error = QStringLiteral("ENVELOPE is not a list of 10 fields");
            return false;
        }
        const QVector<Value> &l = v.list;
        Envelope e;
        e.date = str(l.at(0));
        e.subject = str(l.at(1));
        e.from = addresses(l.at(2));
        e.sender = addresses(l.at(3));
        e.replyTo = addresses(l.at(4));
        e.to = addresses(l.at(5));
        e.cc = addresses(l.at(6));
        e.bcc = addresses(l.at(7));
        e.inReplyTo = str(l.at(8));
        e.messageId = str(l.at(9));
        if (out)
            *out = e;
        return true;
    } catch (...) {
        if (error)
            *error = QStringLiteral("ENVELOPE could not be interpreted (out of memory)");
    }
    return false;
}

namespace {

void collectLeaves(const BodyPart &p, bool inAlternative, bool signatureSlot, QVector<const BodyPart *> *parts,
                   QVector<Mime::LeafPart> *leaves, int depth)
{
    if (depth > kMaxDepth)
        return;
    if (Mime::isContainer(p.type)) {
        const bool alt = inAlternative || p.subtype == "alternative";
        const bool isSigned = p.subtype == "signed";
        for (int i = 0; i < p.children.size(); ++i)
            collectLeaves(p.children.at(i), alt, isSigned && i == 1, parts, leaves, depth + 1);
        return;
    }
    // message/rfc822 is a leaf: the attached message's text is not this message's text.
    Mime::LeafPart leaf;
    leaf.type = p.type;
    leaf.subtype = p.subtype;
    leaf.disposition = p.disposition;
    leaf.hasFileName = p.hasFileName();
    leaf.inAlternative = inAlternative;
    leaf.signatureSlot = signatureSlot;
    leaf.empty = p.size == 0;
    parts->append(&p);
    leaves->append(leaf);
}

} // namespace

TextPlan planTextParts(const BodyPart &root)
{
    TextPlan plan;
    try {
        QVector<const BodyPart *> parts;
        QVector<Mime::LeafPart> leaves;
        collectLeaves(root, false, false, &parts, &leaves, 0);
        const QVector<Mime::PartRole> roles = Mime::decideParts(leaves);
        for (int i = 0; i < parts.size(); ++i) {
            const BodyPart &p = *parts.at(i);
            switch (roles.at(i)) {
            case Mime::PartRole::BodyPlain:
                plan.plain = p;
                plan.hasPlain = true;
                break;
            case Mime::PartRole::BodyHtml:
                plan.html = p;
                plan.hasHtml = true;
                break;
            case Mime::PartRole::Attachment: {
                AttachmentRef a;
                a.partNumber = p.partNumber;
                a.mimeType = p.mimeType();
                a.size = p.size;
                a.params = p.params;
                a.dispositionParams = p.dispositionParams;
                a.isMessage = p.type == "message" && (p.subtype == "rfc822" || p.subtype == "global");
                if (a.isMessage && p.hasEnvelope)
                    a.messageSubject = p.envelope.subject;
                plan.attachments.append(a);
                break;
            }
            case Mime::PartRole::Skip:
                break;
            }
        }
    } catch (...) {
        return TextPlan();
    }
    return plan;
}

} // namespace Lookback::Imap
