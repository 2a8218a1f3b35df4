#include "gmailmessage.h"

#include "message/charset.h"
#include "message/headers.h"
#include "message/htmltext.h"
#include "message/parameters.h"
#include "message/partrule.h"
#include "message/snippets.h"
#include "source/recordheaders.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace Lookback::Gmail {

namespace {

constexpr int kMaxDepth = 32;
constexpr int kMaxLeaves = 2000;

struct Leaf
{
    QJsonObject part;
    Mime::LeafPart shape;
    Mime::ParamList typeParams;
    Mime::ParamList dispositionParams;
};

QByteArray headerValue(const QJsonObject &part, const char *name)
{
    const QJsonArray headers = part.value(QLatin1String("headers")).toArray();
    for (const QJsonValue &h : headers) {
        const QJsonObject o = h.toObject();
        if (o.value(QLatin1String("name")).toString().compare(QLatin1String(name), Qt::CaseInsensitive) == 0)
            return o.value(QLatin1String("value")).toString().toUtf8();
    }
    return {};
}

QByteArray headerBlock(const QJsonObject &part)
{
    QByteArray block;
    const QJsonArray headers = part.value(QLatin1String("headers")).toArray();
    for (const QJsonValue &h : headers) {
        const QJsonObject o = h.toObject();
        const QByteArray name = o.value(QLatin1String("name")).toString().toUtf8();
        if (name.isEmpty() || name.contains(':') || name.contains('\n'))
            continue;
        QByteArray value = o.value(QLatin1String("value")).toString().toUtf8();
        value.replace('\r', ' ').replace('\n', ' ');
        block += name + ": " + value + "\r\n";
    }
    return block;
}

QByteArray lowerToken(const QByteArray &value)
{
    const int semi = value.indexOf(';');
    return (semi < 0 ? value : value.left(semi)).trimmed().toLower();
}

// Depth first, multiparts descended, everything else a leaf (an attached
// message is one leaf, as partrule.h wants).
void collectLeaves(const QJsonObject &part, bool inAlternative, bool signatureSlot, int depth, QVector<Leaf> *leaves)
{
    if (depth > kMaxDepth || leaves->size() >= kMaxLeaves)
        return;
    const QByteArray mimeType = part.value(QLatin1String("mimeType")).toString().toLatin1().toLower();
    const int slash = mimeType.indexOf('/');
    const QByteArray type = slash < 0 ? mimeType : mimeType.left(slash);
    const QByteArray subtype = slash < 0 ? QByteArray() : mimeType.mid(slash + 1);
    if (Mime::isContainer(type)) {
        const QJsonArray parts = part.value(QLatin1String("parts")).toArray();
        for (int i = 0; i < parts.size(); ++i) {
            collectLeaves(parts.at(i).toObject(), inAlternative || subtype == "alternative",
                          subtype == "signed" && i == 1, depth + 1, leaves);
        }
        return;
    }
    Leaf leaf;
    leaf.part = part;
    const QByteArray contentType = headerValue(part, "Content-Type");
    const QByteArray disposition = headerValue(part, "Content-Disposition");
    leaf.typeParams = Mime::parseHeaderParameters(contentType);
    leaf.dispositionParams = Mime::parseHeaderParameters(disposition);
    leaf.shape.type = type.isEmpty() ? QByteArrayLiteral("text") : type;
    leaf.shape.subtype = subtype.isEmpty() ? QByteArrayLiteral("plain") : subtype;
    leaf.shape.disposition = lowerToken(disposition);
    leaf.shape.hasFileName = !part.value(QLatin1String("filename")).toString().isEmpty()
        || Mime::hasFileNameParameter(leaf.dispositionParams, leaf.typeParams);
    leaf.shape.inAlternative = inAlternative;
    leaf.shape.signatureSlot = signatureSlot;
    leaf.shape.empty = part.value(QLatin1String("body")).toObject().value(QLatin1String("size")).toDouble() <= 0;
    leaves->append(leaf);
}

QByteArray paramValue(const Mime::ParamList &params, const char *name)
{
    for (const auto &p : params) {
        if (p.first.compare(name, Qt::CaseInsensitive) == 0)
            return p.second;
    }
    return {};
}

QString decodeText(const Leaf &leaf)
{
    const QJsonObject body = leaf.part.value(QLatin1String("body")).toObject();
    // body.data is the part's content with its transfer encoding undone,
    // base64url-encoded for JSON; the charset is still the part's own.
    const QByteArray data = QByteArray::fromBase64(body.value(QLatin1String("data")).toString().toLatin1(),
                                                   QByteArray::Base64UrlEncoding);
    return Mime::decodeCharset(data, paramValue(leaf.typeParams, "charset"));
}

} // namespace

QString providerId(const QString &gmailId)
{
    return QStringLiteral("gm:") + gmailId;
}

bool recordFromJson(const QJsonObject &message, MessageRecord *out, QString *why)
{
    const QString id = message.value(QLatin1String("id")).toString();
    if (id.isEmpty() || id.size() > 64) {
        *why = QCoreApplication::translate("Gmail", "A message without a usable id");
        return false;
    }
    const QJsonObject payload = message.value(QLatin1String("payload")).toObject();
    if (payload.isEmpty()) {
        *why = QCoreApplication::translate("Gmail", "Gmail sent message %1 without its content").arg(id);
        return false;
    }
    bool ok = false;
    const qint64 internalMs = message.value(QLatin1String("internalDate")).toString().toLongLong(&ok);
    if (!ok) {
        *why = QCoreApplication::translate("Gmail", "Gmail sent message %1 without its date").arg(id);
        return false;
    }
    MessageRecord rec;
    rec.providerId = providerId(id);
    rec.receivedAt = QDateTime::fromMSecsSinceEpoch(internalMs, Qt::UTC);
    rec.size = qint64(message.value(QLatin1String("sizeEstimate")).toDouble());
    const QString threadId = message.value(QLatin1String("threadId")).toString();
    rec.threadKey = QStringLiteral("gt:") + (threadId.isEmpty() ? id : threadId);

    const Mime::HeaderInfo h = Mime::parseHeaders(headerBlock(payload));
    fillHeaderFields(&rec, h);

    QVector<Leaf> leaves;
    collectLeaves(payload, false, false, 0, &leaves);
    QVector<Mime::LeafPart> shapes;
    shapes.reserve(leaves.size());
    for (const Leaf &l : leaves)
        shapes << l.shape;
    const QVector<Mime::PartRole> roles = Mime::decideParts(shapes);
    for (int i = 0; i < leaves.size(); ++i) {
        const Leaf &leaf = leaves.at(i);
        switch (roles.at(i)) {
        case Mime::PartRole::BodyPlain:
            rec.bodyText = decodeText(leaf);
            break;
        case Mime::PartRole::BodyHtml:
            rec.bodyHtml = decodeText(leaf);
            break;
        case Mime::PartRole::Attachment: {
            AttachmentRecord a;
            // Gmail gives the decoded file name; the parameters are the fallback.
            a.fileName = Mime::attachmentFileName({{"filename", leaf.part.value(QLatin1String("filename")).toString().toUtf8()}}, {});
            if (a.fileName.isEmpty())
                a.fileName = Mime::attachmentFileName(leaf.dispositionParams, leaf.typeParams);
            if (a.fileName.isEmpty() && leaf.shape.type == "message") {
                const QJsonArray inner = leaf.part.value(QLatin1String("parts")).toArray();
                const QByteArray subject = inner.isEmpty() ? headerValue(leaf.part, "Subject")
                                                           : headerValue(inner.first().toObject(), "Subject");
                a.fileName = Mime::attachedMessageFileName(Mime::decodeHeaderText(subject));
            }
            a.mimeType = QString::fromLatin1(leaf.shape.type + '/' + leaf.shape.subtype);
            a.size = qint64(leaf.part.value(QLatin1String("body")).toObject().value(QLatin1String("size")).toDouble());
            a.partNumber = leaf.part.value(QLatin1String("partId")).toString().left(64);
            rec.attachments << a;
            break;
        }
        case Mime::PartRole::Skip:
            break;
        }
    }
    if (rec.bodyText.isEmpty() && !rec.bodyHtml.isEmpty())
        rec.bodyText = Mime::htmlToText(rec.bodyHtml);
    rec.snippet = Mime::makeSnippet(rec.bodyText);
    *out = rec;
    return true;
}

} // namespace Lookback::Gmail
