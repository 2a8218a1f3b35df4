#include "graphmessage.h"

#include "message/headers.h"
#include "message/htmltext.h"
#include "message/snippets.h"

#include <QCoreApplication>
#include <QDateTime>

namespace Lookback::Graph {

namespace {

constexpr int kMaxIdLength = 512;
constexpr int kMaxTextField = 4000;
constexpr qsizetype kMaxBody = 32ll * 1024 * 1024;

QString text(const QJsonObject &o, const char *key, int max = kMaxTextField)
{
    return o.value(QLatin1String(key)).toString().left(max);
}

QDateTime dateOf(const QJsonObject &o, const char *key)
{
    QDateTime at = QDateTime::fromString(o.value(QLatin1String(key)).toString(), Qt::ISODateWithMs);
    if (at.isValid())
        at = at.toUTC();
    return at;
}

Mime::Address addressOf(const QJsonValue &recipient)
{
    const QJsonObject e = recipient.toObject().value(QLatin1String("emailAddress")).toObject();
    return Mime::Address{text(e, "name", 320).simplified(), text(e, "address", 320).trimmed()};
}

QVector<Mime::Address> addressesOf(const QJsonObject &o, const char *key)
{
    QVector<Mime::Address> out;
    const QJsonArray list = o.value(QLatin1String(key)).toArray();
    for (const QJsonValue &v : list) {
        if (out.size() >= 1000)
            break;
        const Mime::Address a = addressOf(v);
        if (!a.email.isEmpty() || !a.name.isEmpty())
            out << a;
    }
    return out;
}

QString stripBrackets(QString id)
{
    id = id.trimmed();
    if (id.startsWith(QLatin1Char('<')) && id.endsWith(QLatin1Char('>')))
        id = id.mid(1, id.size() - 2);
    return id.trimmed();
}

} // namespace

QString providerId(const QString &immutableId)
{
    return QStringLiteral("ms:") + immutableId;
}

QString messageSelect()
{
    return QStringLiteral("id,receivedDateTime,sentDateTime,subject,from,sender,toRecipients,ccRecipients,"
                          "internetMessageId,conversationId,hasAttachments,body,bodyPreview,internetMessageHeaders");
}

bool needsAttachmentList(const QJsonObject &message)
{
    return message.value(QLatin1String("hasAttachments")).toBool();
}

bool recordFromJson(const QJsonObject &message, MessageRecord *out, QString *why)
{
    const QString id = message.value(QLatin1String("id")).toString();
    if (id.isEmpty() || id.size() > kMaxIdLength) {
        *why = QCoreApplication::translate("Graph", "A message without a usable id");
        return false;
    }
    MessageRecord rec;
    rec.providerId = providerId(id);
    rec.receivedAt = dateOf(message, "receivedDateTime");
    if (!rec.receivedAt.isValid()) {
        *why = QCoreApplication::translate("Graph", "Microsoft Graph sent message %1 without its date").arg(id.left(80));
        return false;
    }
    rec.sentAt = dateOf(message, "sentDateTime");
    rec.messageId = stripBrackets(text(message, "internetMessageId", 998));
    const QString conversation = text(message, "conversationId", kMaxIdLength);
    rec.threadKey = QStringLiteral("mc:") + (conversation.isEmpty() ? id : conversation);
    rec.subject = text(message, "subject").simplified();
    Mime::Address from = addressOf(message.value(QLatin1String("from")));
    if (from.email.isEmpty() && from.name.isEmpty())
        from = addressOf(message.value(QLatin1String("sender")));
    rec.fromName = from.name;
    rec.fromAddress = from.email;
    rec.toText = Mime::formatAddressList(addressesOf(message, "toRecipients"));
    rec.ccText = Mime::formatAddressList(addressesOf(message, "ccRecipients"));

    const QJsonArray headers = message.value(QLatin1String("internetMessageHeaders")).toArray();
    QByteArray block;
    for (const QJsonValue &v : headers) {
        const QJsonObject h = v.toObject();
        const QString name = h.value(QLatin1String("name")).toString();
        if (name.compare(QLatin1String("In-Reply-To"), Qt::CaseInsensitive) == 0
            || name.compare(QLatin1String("References"), Qt::CaseInsensitive) == 0)
            block += name.toUtf8() + ": " + h.value(QLatin1String("value")).toString().left(16000).toUtf8() + "\r\n";
    }
    if (!block.isEmpty()) {
        const Mime::HeaderInfo parsed = Mime::parseHeaders(block);
        rec.inReplyTo = parsed.inReplyTo;
        rec.references = parsed.references;
    }

    const QJsonObject body = message.value(QLatin1String("body")).toObject();
    const QString content = body.value(QLatin1String("content")).toString().left(kMaxBody);
    if (body.value(QLatin1String("contentType")).toString().compare(QLatin1String("html"), Qt::CaseInsensitive) == 0) {
        rec.bodyHtml = content;
        rec.bodyText = Mime::htmlToText(content);
    } else {
        rec.bodyText = content;
    }
    const QString preview = text(message, "bodyPreview", 1000);
    rec.snippet = Mime::makeSnippet(preview.isEmpty() ? rec.bodyText : preview);
    rec.size = content.toUtf8().size();
    *out = rec;
    return true;
}

void addAttachments(const QJsonArray &attachments, MessageRecord *rec)
{
    for (const QJsonValue &v : attachments) {
        if (rec->attachments.size() >= 1000)
            break;
        const QJsonObject a = v.toObject();
        if (a.value(QLatin1String("isInline")).toBool())
            continue;
        AttachmentRecord att;
        att.fileName = text(a, "name", 255).simplified();
        if (att.fileName.isEmpty())
            att.fileName = QCoreApplication::translate("Graph", "attachment");
        att.mimeType = text(a, "contentType", 255).trimmed().toLower();
        if (att.mimeType.isEmpty())
            att.mimeType = QStringLiteral("application/octet-stream");
        att.size = std::max<qint64>(0, qint64(a.value(QLatin1String("size")).toDouble()));
        att.partNumber = text(a, "id", 64);
        rec->size += att.size;
        rec->attachments << att;
    }
}

} // namespace Lookback::Graph
