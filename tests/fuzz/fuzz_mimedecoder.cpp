// libFuzzer target for MIME decoding: mail comes from anyone, so whatever bytes a
// message, a header, a parameter list or a body part holds, the decoders of
// core/message must not crash, hang, or read out of bounds (ASan/UBSan watch that),
// and must keep the promises of their headers: valid Unicode out, attachment names
// safe to show and save, snippets no longer than asked, one body part of each kind.

#include "message/charset.h"
#include "message/headers.h"
#include "message/htmltext.h"
#include "message/messageparser.h"
#include "message/parameters.h"
#include "message/partrule.h"
#include "message/snippets.h"
#include "message/transferencoding.h"

#include <cstdint>
#include <cstdlib>

using namespace Lookback::Mime;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort(); // an invariant broke: libFuzzer records the input as a crash
}

// No lone surrogates: what every decoder promises.
void checkText(const QString &s)
{
    const qsizetype n = s.size();
    for (qsizetype i = 0; i < n; ++i) {
        if (s[i].isHighSurrogate()) {
            check(i + 1 < n && s[i + 1].isLowSurrogate());
            ++i;
        } else {
            check(!s[i].isLowSurrogate());
        }
    }
}

// Shown, and maybe one day saved under: no directories, no control characters.
void checkFileName(const QString &name)
{
    checkText(name);
    check(name != QLatin1String(".") && name != QLatin1String(".."));
    for (QChar c : name)
        check(c != QLatin1Char('/') && c != QLatin1Char('\\') && c.unicode() >= 0x20 && c.unicode() != 0x7F);
}

void checkHeaders(const HeaderInfo &h)
{
    checkText(h.subject);
    checkText(h.messageId);
    checkText(h.inReplyTo);
    for (const QString &r : h.references)
        checkText(r);
    for (const QVector<Address> *list : {&h.from, &h.to, &h.cc, &h.bcc, &h.replyTo}) {
        for (const Address &a : *list) {
            checkText(a.name);
            checkText(a.email);
        }
    }
    checkText(formatAddressList(h.to));
}

void checkSnippets(const QString &text)
{
    for (int maxChars : {1, 37, 200}) {
        const QString snippet = makeSnippet(text, maxChars);
        checkText(snippet);
        check(snippet.size() <= maxChars);
    }
}

// Charset labels whose decoders take different paths: iconv with fallbacks, stateful
// 7-bit encodings, the windows-1252 table, labels that name no charset, GMime's aliases.
constexpr const char *kLabels[] = {
    "utf-8", "iso-2022-jp", "gb2312", "shift_jis", "utf-7", "koi8-r", "iso-8859-1",
    "ks_c_5601-1987", "big5", "utf-16", "binary", "latin2", "x-unknown-label", "",
};

// Leaves for the part rule, three bytes each.
QVector<LeafPart> leavesFrom(const QByteArray &bytes)
{
    static const char *const kTypes[][2] = {
        {"text", "plain"}, {"text", "html"}, {"text", "calendar"}, {"message", "rfc822"},
        {"application", "pgp-signature"}, {"application", "pkcs7-signature"}, {"image", "png"},
        {"application", "pdf"},
    };
    QVector<LeafPart> leaves;
    for (qsizetype i = 0; i + 2 < bytes.size() && leaves.size() < 64; i += 3) {
        const uchar a = uchar(bytes[i]), b = uchar(bytes[i + 1]);
        LeafPart p;
        p.type = kTypes[a % 8][0];
        p.subtype = kTypes[a % 8][1];
        p.disposition = (b & 3) == 0 ? QByteArray() : (b & 3) == 1 ? QByteArray("inline") : QByteArray("attachment");
        p.hasFileName = b & 4;
        p.inAlternative = b & 8;
        p.signatureSlot = b & 16;
        p.empty = b & 32;
        leaves.append(p);
    }
    return leaves;
}

void checkPartRule(const QVector<LeafPart> &leaves)
{
    const QVector<PartRole> roles = decideParts(leaves);
    check(roles.size() == leaves.size());
    int plain = 0, html = 0;
    for (int i = 0; i < roles.size(); ++i) {
        const LeafPart &p = leaves.at(i);
        if (roles.at(i) == PartRole::BodyPlain || roles.at(i) == PartRole::BodyHtml) {
            // Body text is never something the user sees as an attachment.
            check(p.type == "text" && p.disposition != "attachment" && !p.hasFileName && !p.empty);
            plain += roles.at(i) == PartRole::BodyPlain;
            html += roles.at(i) == PartRole::BodyHtml;
            check(p.subtype == (roles.at(i) == PartRole::BodyPlain ? "plain" : "html"));
        }
    }
    check(plain <= 1 && html <= 1);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    ensureInitialized();

    // The whole input as a message, as a header block, and as one header value.
    const ParsedMessage m = parseMessage(input);
    checkHeaders(m.headers);
    checkText(m.plainText);
    checkText(m.htmlText);
    for (const ParsedMessage::Attachment &a : m.attachments) {
        checkFileName(a.fileName);
        checkText(a.mimeType);
        check(a.mimeType == a.mimeType.toLower());
        check(a.size >= 0);
    }
    checkSnippets(m.plainText);
    checkText(htmlToText(m.htmlText));
    checkHeaders(parseHeaders(input));
    const QString headerText = decodeHeaderText(input);
    checkText(headerText);
    checkText(normalizedSubject(headerText));

    // As Content-Type / Content-Disposition parameters.
    const QVector<QPair<QByteArray, QByteArray>> params = parseHeaderParameters(input);
    for (const auto &p : params)
        check(p.first == p.first.toLower());
    checkFileName(attachmentFileName(params, params));
    checkFileName(attachmentFileName({}, params));
    checkFileName(attachedMessageFileName(headerText));

    // As a body part: the first line names a charset, the rest is content.
    quint32 h = 2166136261u; // FNV-1a picks a known label too
    for (const char c : input)
        h = (h ^ uchar(c)) * 16777619u;
    const qsizetype nl = input.indexOf('\n');
    const QByteArray ownLabel = nl < 0 ? QByteArray() : input.left(std::min<qsizetype>(nl, 64));
    const QByteArray content = nl < 0 ? input : input.mid(nl + 1);
    const QByteArray label = kLabels[h % (sizeof kLabels / sizeof kLabels[0])];
    checkText(decodeCharset(content, ownLabel));
    checkText(decodeCharset(content, label));
    const QByteArray fromBase64 = decodeTransferEncoding(content, "base64");
    check(fromBase64.size() <= content.size() * 3 / 4 + 4);
    check(decodeTransferEncoding(content, "Quoted-Printable").size() <= content.size());
    const QString body = decodeBody(content, (h & 1) ? "base64" : "quoted-printable", label);
    checkText(body);
    checkSnippets(body);

    // As HTML, and as a list of leaves for the part rule.
    const QString html = QString::fromUtf8(input);
    checkText(htmlToText(html));
    checkPartRule(leavesFrom(input));
    return 0;
}
