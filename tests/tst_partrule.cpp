// The one body/attachment rule (core/message/partrule.h): the cases it decides,
// and, for every message of the shared corpus, that IMAP planning (a BODYSTRUCTURE
// built from the message, parsed by our IMAP parser, planned by planTextParts) and
// the MIME parser (parseMessage) pick the same body text and the same attachments.

#include "corpusloader.h"
#include "imap/bodystructure.h"
#include "imap/imapparser.h"
#include "message/gmimeinternal.h"
#include "message/headers.h"
#include "message/messageparser.h"
#include "message/parameters.h"
#include "message/partrule.h"
#include "message/transferencoding.h"
#include "testpaths.h"

#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QTemporaryDir>
#include <QtTest>

using namespace Lookback;
using namespace Lookback::Test;

namespace {

// ---------------------------------------------------------------------------
// A BODYSTRUCTURE for a message, written from GMime's view of it the way an IMAP
// server writes one (RFC 3501 7.4.2): type, subtype and disposition as parsed,
// parameters raw (names lower-cased, RFC 2231 sections left as they are), sizes
// of the still-encoded content. Leaves also keep their content, by part number,
// so that a planned part can be "fetched".

QByteArray imapString(const QByteArray &s)
{
    if (Imap::needsLiteral(s))
        return '{' + QByteArray::number(s.size()) + "}\r\n" + s;
    return Imap::quoteString(s);
}

QByteArray nstring(const QByteArray &s)
{
    return s.isNull() ? QByteArray("NIL") : imapString(s);
}

QByteArray rawHeader(GMimeObject *object, const char *name)
{
    GMimeHeaderList *headers = g_mime_object_get_header_list(object);
    GMimeHeader *header = headers ? g_mime_header_list_get_header(headers, name) : nullptr;
    const char *raw = header ? g_mime_header_get_raw_value(header) : nullptr;
    return raw ? QByteArray(raw) : QByteArray();
}

QByteArray paramList(const QVector<QPair<QByteArray, QByteArray>> &params)
{
    if (params.isEmpty())
        return "NIL";
    QByteArrayList items;
    for (const auto &p : params)
        items << imapString(p.first) + ' ' + imapString(p.second);
    return '(' + items.join(' ') + ')';
}

QByteArray dispositionOf(GMimeObject *object)
{
    GMimeContentDisposition *d = g_mime_object_get_content_disposition(object);
    const char *value = d ? g_mime_content_disposition_get_disposition(d) : nullptr;
    if (!value || !*value)
        return "NIL";
    return '(' + imapString(QByteArray(value)) + ' '
        + paramList(Mime::parseHeaderParameters(rawHeader(object, "Content-Disposition"))) + ')';
}

void typeOf(GMimeObject *object, QByteArray *type, QByteArray *subtype)
{
    GMimeContentType *ct = g_mime_object_get_content_type(object);
    *type = ct && g_mime_content_type_get_media_type(ct) ? QByteArray(g_mime_content_type_get_media_type(ct))
                                                         : QByteArray("application");
    *subtype = ct && g_mime_content_type_get_media_subtype(ct)
        ? QByteArray(g_mime_content_type_get_media_subtype(ct))
        : QByteArray("octet-stream");
}

struct LeafContent
{
    QByteArray raw;      // still transfer-encoded
    QByteArray encoding; // as the parser reads it
};

class StructureWriter
{
public:
    QHash<QByteArray, LeafContent> leaves; // by IMAP part number

    QByteArray write(GMimeObject *object, const QByteArray &number, bool isMessageBody, int depth)
    {
        if (!object || depth > 60)
            return "(\"text\" \"plain\" NIL NIL NIL \"7bit\" 0 0)";
        QByteArray type, subtype;
        typeOf(object, &type, &subtype);
        const QByteArray params = paramList(Mime::parseHeaderParameters(rawHeader(object, "Content-Type")));
        if (GMIME_IS_MULTIPART(object)) {
            GMimeMultipart *mp = GMIME_MULTIPART(object);
            const int count = g_mime_multipart_get_count(mp);
            QByteArray out = "(";
            for (int i = 0; i < count; ++i) {
                const QByteArray n = QByteArray::number(i + 1);
                out += write(g_mime_multipart_get_part(mp, i), number.isEmpty() ? n : number + '.' + n, false,
                             depth + 1);
            }
            if (count == 0) // RFC 3501 needs one body; an empty multipart still has its text
                out += "(\"text\" \"plain\" NIL NIL NIL \"7bit\" 0 0)";
            return out + ' ' + imapString(subtype) + ' ' + params + ' ' + dispositionOf(object) + " NIL NIL)";
        }
        const QByteArray own = isMessageBody ? QByteArray("1") : number;
        const QByteArray head = '(' + imapString(type) + ' ' + imapString(subtype) + ' ' + params + " NIL NIL ";
        const QByteArray tail = " NIL " + dispositionOf(object) + " NIL NIL)";
        if (GMIME_IS_MESSAGE_PART(object)) {
            GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
            QByteArray enc = rawHeader(object, "Content-Transfer-Encoding").trimmed();
            if (enc.isEmpty())
                enc = "7bit";
            if (!inner)
                return head + imapString(enc) + " 0" + tail;
            GMimeStream *mem = g_mime_stream_mem_new();
            g_mime_object_write_to_stream(GMIME_OBJECT(inner), nullptr, mem);
            GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
            const QByteArray content(reinterpret_cast<const char *>(bytes->data), qsizetype(bytes->len));
            g_object_unref(mem);
            const QByteArray envelope = "(NIL " + nstring(rawHeader(GMIME_OBJECT(inner), "Subject"))
                + " NIL NIL NIL NIL NIL NIL NIL NIL)";
            StructureWriter innerWriter; // its part numbers are not ours
            const QByteArray body = innerWriter.write(g_mime_message_get_mime_part(inner), own, true, depth + 1);
            leaves.insert(own, {content, enc});
            return head + imapString(enc) + ' ' + QByteArray::number(content.size()) + ' ' + envelope + ' ' + body
                + ' ' + QByteArray::number(content.count('\n')) + tail;
        }
        LeafContent leaf;
        if (GMIME_IS_PART(object)) {
            if (GMimeDataWrapper *wrapper = g_mime_part_get_content(GMIME_PART(object))) {
                const char *enc = g_mime_content_encoding_to_string(g_mime_data_wrapper_get_encoding(wrapper));
                leaf.encoding = enc ? QByteArray(enc) : QByteArray();
                GMimeStream *stream = g_mime_data_wrapper_get_stream(wrapper);
                if (stream && g_mime_stream_reset(stream) >= 0) {
                    char buffer[65536];
                    for (;;) {
                        const ssize_t n = g_mime_stream_read(stream, buffer, sizeof buffer);
                        if (n <= 0)
                            break;
                        leaf.raw.append(buffer, qsizetype(n));
                    }
                }
            }
        }
        leaves.insert(own, leaf);
        QByteArray out = head + imapString(leaf.encoding.isEmpty() ? QByteArray("7bit") : leaf.encoding) + ' '
            + QByteArray::number(leaf.raw.size());
        if (type.compare("text", Qt::CaseInsensitive) == 0)
            out += ' ' + QByteArray::number(leaf.raw.count('\n'));
        return out + tail;
    }
};

// What IMAP planning makes of a message: its plain text, its HTML and its attachment
// list ("type/subtype|file name"), as ImapSource::buildRecord would store them.
struct Outcome
{
    QString plain, html;
    QStringList attachments;
    bool ok = false;
    QString error;
};

QString bodyOf(const QString &text)
{
    return text.trimmed().isEmpty() ? QString() : text;
}

Outcome planned(const QByteArray &rfc822)
{
    Outcome o;
    Mime::ensureInitialized();
    const qsizetype start = Mime::messageStart(rfc822);
    if (start >= rfc822.size()) {
        o.ok = true;
        return o;
    }
    GMimeStream *stream = g_mime_stream_mem_new_with_buffer(rfc822.constData() + start, size_t(rfc822.size() - start));
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    g_object_unref(stream);
    g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
    Mime::detail::ParserOptions options;
    GMimeMessage *message = g_mime_parser_construct_message(parser, options.get());
    g_object_unref(parser);
    if (!message) {
        o.ok = true;
        return o;
    }
    StructureWriter writer;
    const QByteArray structure = writer.write(g_mime_message_get_mime_part(message), QByteArray(), true, 0);
    g_object_unref(message);

    Imap::Response response;
    Imap::FetchItem item;
    if (!Imap::parseResponse("* 1 FETCH (BODYSTRUCTURE " + structure + ")\r\n", &response, &o.error)
        || !Imap::parseFetch(response, &item, &o.error) || !item.hasBodyStructure) {
        o.error += QStringLiteral(" in ") + QString::fromLatin1(structure.left(300));
        return o;
    }
    const Imap::TextPlan plan = Imap::planTextParts(item.bodyStructure);
    auto fetch = [&writer](const Imap::BodyPart &part) {
        const QByteArray key = part.partNumber.isEmpty() ? QByteArray("1") : part.partNumber;
        return Mime::decodeBody(writer.leaves.value(key).raw, part.encoding, part.param("charset"));
    };
    if (plan.hasPlain)
        o.plain = bodyOf(fetch(plan.plain));
    if (plan.hasHtml)
        o.html = bodyOf(fetch(plan.html));
    for (const Imap::AttachmentRef &a : plan.attachments) {
        // As ImapSource::buildRecord names it.
        QString name = Mime::attachmentFileName(a.dispositionParams, a.params);
        if (name.isEmpty() && a.isMessage)
            name = Mime::attachedMessageFileName(Mime::decodeHeaderText(a.messageSubject));
        o.attachments << QString::fromLatin1(a.partNumber + ' ' + a.mimeType) + QLatin1Char('|') + name;
    }
    o.ok = true;
    return o;
}

Outcome parsed(const QByteArray &rfc822)
{
    Outcome o;
    const Mime::ParsedMessage m = Mime::parseMessage(rfc822);
    o.plain = m.plainText;
    o.html = m.htmlText;
    for (const auto &a : m.attachments)
        o.attachments << QString::fromLatin1(a.partNumber) + QLatin1Char(' ') + a.mimeType + QLatin1Char('|')
                + a.fileName;
    o.ok = true;
    return o;
}

// A leaf written compactly: "text/plain" plus flags: "att" (disposition attachment),
// "inline", "name" (a file name), "alt" (below multipart/alternative), "sig" (second
// part of a multipart/signed), "empty".
Mime::LeafPart leaf(const QByteArray &spec)
{
    const QByteArrayList words = spec.split(' ');
    Mime::LeafPart p;
    const QByteArrayList type = words.value(0).split('/');
    p.type = type.value(0);
    p.subtype = type.value(1);
    for (const QByteArray &w : words.mid(1)) {
        if (w == "att")
            p.disposition = "attachment";
        else if (w == "inline")
            p.disposition = "inline";
        else if (w == "name")
            p.hasFileName = true;
        else if (w == "alt")
            p.inAlternative = true;
        else if (w == "sig")
            p.signatureSlot = true;
        else if (w == "empty")
            p.empty = true;
        else
            qFatal("unknown leaf flag %s", w.constData());
    }
    return p;
}

QByteArray roleName(Mime::PartRole r)
{
    switch (r) {
    case Mime::PartRole::BodyPlain:
        return "plain";
    case Mime::PartRole::BodyHtml:
        return "html";
    case Mime::PartRole::Attachment:
        return "attachment";
    case Mime::PartRole::Skip:
        return "skip";
    }
    return "?";
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestPartRule : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void decideParts_data();
    void decideParts();
    void fileNameParameter_data();
    void fileNameParameter();
    void containers();
    void bothPathsAgree_data();
    void bothPathsAgree();
    void corpusAgrees_data();
    void corpusAgrees();

private:
    QTemporaryDir m_unpacked;
    QString m_skip;
};

void TestPartRule::initTestCase()
{
    Mime::ensureInitialized();
    QVERIFY(m_unpacked.isValid());
    for (const QString &archive : {QStringLiteral("mime-torture.tar.xz"), QStringLiteral("cygwin-patches.tar.xz")}) {
        if (!corpusArchiveAvailable(archive, &m_skip))
            return;
        QString error;
        QVERIFY2(CorpusLoader::unpack(archive, m_unpacked.path(), &error), qPrintable(error));
    }
}

void TestPartRule::decideParts_data()
{
    QTest::addColumn<QByteArrayList>("leaves");
    QTest::addColumn<QByteArrayList>("roles");

    QTest::newRow("single plain") << QByteArrayList{"text/plain"} << QByteArrayList{"plain"};
    QTest::newRow("html only") << QByteArrayList{"text/html"} << QByteArrayList{"html"};
    QTest::newRow("alternative(plain, html)") << QByteArrayList{"text/plain alt", "text/html alt"}
                                              << QByteArrayList{"plain", "html"};
    QTest::newRow("explicitly inline text is body") << QByteArrayList{"text/plain inline", "text/html inline"}
                                                    << QByteArrayList{"plain", "html"};
    QTest::newRow("text marked attachment") << QByteArrayList{"text/plain", "text/plain att"}
                                            << QByteArrayList{"plain", "attachment"};
    // An inline patch with a file name is an attachment, never downloaded as text
    // (DESIGN.md 2: attachments are metadata only); the unnamed part is the body.
    QTest::newRow("named inline text part") << QByteArrayList{"text/plain inline name", "text/plain"}
                                            << QByteArrayList{"attachment", "plain"};
    QTest::newRow("named text part without disposition") << QByteArrayList{"text/plain name", "text/plain"}
                                                         << QByteArrayList{"attachment", "plain"};
    QTest::newRow("calendar invitation")
        << QByteArrayList{"text/plain alt", "text/html alt", "text/calendar alt"}
        << QByteArrayList{"plain", "html", "attachment"};
    QTest::newRow("inline image without a name") << QByteArrayList{"text/html", "image/png inline"}
                                                 << QByteArrayList{"html", "attachment"};
    QTest::newRow("forwarded message") << QByteArrayList{"text/plain", "message/rfc822"}
                                       << QByteArrayList{"plain", "attachment"};
    QTest::newRow("forwarded message marked inline") << QByteArrayList{"message/rfc822 inline"}
                                                     << QByteArrayList{"attachment"};
    QTest::newRow("delivery report") << QByteArrayList{"text/plain", "message/delivery-status", "message/rfc822"}
                                     << QByteArrayList{"plain", "attachment", "attachment"};
    QTest::newRow("pgp signature of multipart/signed")
        << QByteArrayList{"text/plain", "application/pgp-signature sig att name"} << QByteArrayList{"plain", "skip"};
    QTest::newRow("s/mime signature of multipart/signed")
        << QByteArrayList{"text/plain", "application/pkcs7-signature sig name"} << QByteArrayList{"plain", "skip"};
    QTest::newRow("old s/mime signature type") << QByteArrayList{"application/x-pkcs7-signature sig"}
                                               << QByteArrayList{"skip"};
    QTest::newRow("a signature someone attached is an attachment")
        << QByteArrayList{"text/plain", "application/pgp-signature att name"} << QByteArrayList{"plain", "attachment"};
    QTest::newRow("signed slot holding something else")
        << QByteArrayList{"text/plain", "application/pdf sig name"} << QByteArrayList{"plain", "attachment"};
    QTest::newRow("html inside alternative is preferred")
        << QByteArrayList{"text/html inline", "text/plain alt", "text/html alt"}
        << QByteArrayList{"attachment", "plain", "html"};
    QTest::newRow("first html when none is in an alternative")
        << QByteArrayList{"text/html", "text/html"} << QByteArrayList{"html", "attachment"};
    // Apple Mail's text, image, text: the second text is listed, not silently dropped.
    QTest::newRow("second inline text part") << QByteArrayList{"text/plain", "image/jpeg inline", "text/plain"}
                                             << QByteArrayList{"plain", "attachment", "attachment"};
    QTest::newRow("empty placeholder does not take the body")
        << QByteArrayList{"text/plain alt empty", "text/plain"} << QByteArrayList{"skip", "plain"};
    QTest::newRow("empty html") << QByteArrayList{"text/html empty", "text/html alt"}
                                << QByteArrayList{"skip", "html"};
    QTest::newRow("empty named file is still an attachment") << QByteArrayList{"text/plain name empty"}
                                                             << QByteArrayList{"attachment"};
    QTest::newRow("only attachments") << QByteArrayList{"application/zip att name", "image/gif"}
                                      << QByteArrayList{"attachment", "attachment"};
    QTest::newRow("no leaves") << QByteArrayList{} << QByteArrayList{};
}

void TestPartRule::decideParts()
{
    QFETCH(QByteArrayList, leaves);
    QFETCH(QByteArrayList, roles);
    QVector<Mime::LeafPart> parts;
    for (const QByteArray &spec : leaves)
        parts.append(leaf(spec));
    QByteArrayList got;
    for (Mime::PartRole r : Mime::decideParts(parts))
        got.append(roleName(r));
    QCOMPARE(got, roles);
}

void TestPartRule::fileNameParameter_data()
{
    QTest::addColumn<QByteArray>("disposition");
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<bool>("named");
    QTest::newRow("none") << QByteArray() << QByteArray("charset") << false;
    QTest::newRow("filename") << QByteArray("filename") << QByteArray() << true;
    QTest::newRow("FILENAME") << QByteArray("FILENAME") << QByteArray() << true;
    QTest::newRow("filename*") << QByteArray("filename*") << QByteArray() << true;
    QTest::newRow("filename*0*") << QByteArray("filename*0*") << QByteArray() << true;
    QTest::newRow("name") << QByteArray() << QByteArray("name") << true;
    QTest::newRow("name*1") << QByteArray() << QByteArray("name*1") << true;
    QTest::newRow("filenames is not filename") << QByteArray("filenames") << QByteArray() << false;
    QTest::newRow("name in the disposition does not count") << QByteArray("name") << QByteArray() << false;
    QTest::newRow("filename in the type does not count") << QByteArray() << QByteArray("filename") << false;
}

void TestPartRule::fileNameParameter()
{
    QFETCH(QByteArray, disposition);
    QFETCH(QByteArray, type);
    QFETCH(bool, named);
    Mime::ParamList d, t;
    if (!disposition.isEmpty())
        d.append({disposition, "x.txt"});
    if (!type.isEmpty())
        t.append({type, "x.txt"});
    QCOMPARE(Mime::hasFileNameParameter(d, t), named);
}

void TestPartRule::containers()
{
    QVERIFY(Mime::isContainer("multipart"));
    QVERIFY2(!Mime::isContainer("message"), "an attached message is one attachment, not more body");
    QVERIFY(!Mime::isContainer("text"));
}

// The documented cases as whole messages, through both paths: each must give the
// expected body and attachment list ("part type|name").
void TestPartRule::bothPathsAgree_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("plain");
    QTest::addColumn<QString>("html");
    QTest::addColumn<QStringList>("attachments");

    QTest::newRow("mixed(alternative(plain, html), pdf)")
        << QByteArray("Subject: s\nContent-Type: multipart/mixed; boundary=o\n\n--o\n"
                      "Content-Type: multipart/alternative; boundary=a\n\n--a\nContent-Type: text/plain\n\nHello\n"
                      "--a\nContent-Type: text/html\n\n<p>Hello</p>\n--a--\n"
                      "--o\nContent-Type: application/pdf\nContent-Disposition: attachment;\n"
                      " filename*=utf-8''R%C3%A9sum%C3%A9.pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n--o--\n")
        << u"Hello"_qs << u"<p>Hello</p>"_qs << QStringList{u"2 application/pdf|Résumé.pdf"_qs};
    QTest::newRow("pgp signed")
        << QByteArray("Subject: s\nContent-Type: multipart/signed; protocol=\"application/pgp-signature\"; boundary=s\n\n"
                      "--s\nContent-Type: text/plain\n\nsigned text\n--s\n"
                      "Content-Type: application/pgp-signature; name=signature.asc\n\nSIG\n--s--\n")
        << u"signed text"_qs << QString() << QStringList();
    QTest::newRow("forwarded message named after its subject")
        << QByteArray("Subject: s\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\n"
                      "see below\n--b\nContent-Type: message/rfc822\n\nSubject: =?utf-8?q?Gr=C3=BC=C3=9Fe?= 1/2\n"
                      "From: a@example.org\n\ninner text\n--b--\n")
        << u"see below"_qs << QString() << QStringList{u"2 message/rfc822|Grüße 1-2.eml"_qs};
    QTest::newRow("named inline patch is an attachment only")
        << QByteArray("Subject: s\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\n"
                      "the fix\n--b\nContent-Type: text/plain; name=fix.patch\nContent-Disposition: inline; "
                      "filename=fix.patch\n\ndiff --git a/x b/x\n--b--\n")
        << u"the fix"_qs << QString() << QStringList{u"2 text/plain|fix.patch"_qs};
    QTest::newRow("text, image, text")
        << QByteArray("Subject: s\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\n"
                      "before\n--b\nContent-Type: image/png\nContent-Disposition: inline\n\nPNG\n--b\n"
                      "Content-Type: text/plain\n\nafter\n--b--\n")
        << u"before"_qs << QString() << QStringList{u"2 image/png|"_qs, u"3 text/plain|"_qs};
    QTest::newRow("calendar invitation")
        << QByteArray("Subject: s\nContent-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain\n\n"
                      "invite\n--b\nContent-Type: text/html\n\n<b>invite</b>\n--b\n"
                      "Content-Type: text/calendar; method=REQUEST\n\nBEGIN:VCALENDAR\n--b--\n")
        << u"invite"_qs << u"<b>invite</b>"_qs << QStringList{u"3 text/calendar|"_qs};
    QTest::newRow("html outside the alternative")
        << QByteArray("Subject: s\nContent-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: text/html\n\n"
                      "<i>banner</i>\n--o\nContent-Type: multipart/alternative; boundary=a\n\n--a\n"
                      "Content-Type: text/plain\n\nbody\n--a\nContent-Type: text/html\n\n<b>body</b>\n--a--\n--o--\n")
        << u"body"_qs << u"<b>body</b>"_qs << QStringList{u"1 text/html|"_qs};
    QTest::newRow("empty alternative before the text")
        << QByteArray("Subject: s\nContent-Type: multipart/mixed; boundary=o\n\n--o\n"
                      "Content-Type: multipart/alternative; boundary=a\n\n\n--o\nContent-Type: text/plain\n\nreal text\n"
                      "--o--\n")
        << u"real text"_qs << QString() << QStringList();
    QTest::newRow("single-part attachment")
        << QByteArray("Subject: s\nContent-Type: application/zip\nContent-Disposition: attachment; filename=a.zip\n"
                      "Content-Transfer-Encoding: base64\n\nUEsDBA==\n")
        << QString() << QString() << QStringList{u"1 application/zip|a.zip"_qs};
}

void TestPartRule::bothPathsAgree()
{
    QFETCH(QByteArray, message);
    QFETCH(QString, plain);
    QFETCH(QString, html);
    QFETCH(QStringList, attachments);
    const Outcome imap = planned(message);
    QVERIFY2(imap.ok, qPrintable(imap.error));
    const Outcome mime = parsed(message);
    QCOMPARE(imap.plain, plain);
    QCOMPARE(mime.plain, plain);
    QCOMPARE(imap.html, html);
    QCOMPARE(mime.html, html);
    QCOMPARE(imap.attachments, attachments);
    QCOMPARE(mime.attachments, attachments);
}

void TestPartRule::corpusAgrees_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<int>("atLeast");
    QTest::newRow("mime-torture") << QStringLiteral("mime-torture") << 550;
    QTest::newRow("cygwin-patches") << QStringLiteral("maildir/cur") << 15000;
}

void TestPartRule::corpusAgrees()
{
    if (!m_skip.isEmpty())
        QSKIP(qPrintable(m_skip));
    QFETCH(QString, folder);
    QFETCH(int, atLeast);
    QStringList files;
    QDirIterator it(m_unpacked.filePath(folder), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    files.sort();
    QVERIFY2(files.size() >= atLeast, qPrintable(QString::number(files.size())));
    int plainDiff = 0, htmlDiff = 0, attDiff = 0, failed = 0;
    QStringList report;
    for (const QString &path : files) {
        const QByteArray data = readFile(path);
        const Outcome a = planned(data);
        const Outcome b = parsed(data);
        const QString name = path.mid(m_unpacked.path().size() + 1);
        if (!a.ok) {
            ++failed;
            report << name + QStringLiteral(": no BODYSTRUCTURE: ") + a.error;
            continue;
        }
        QStringList why;
        if (a.plain != b.plain) {
            ++plainDiff;
            why << QStringLiteral("plain %1 vs %2 chars").arg(a.plain.size()).arg(b.plain.size());
        }
        if (a.html != b.html) {
            ++htmlDiff;
            why << QStringLiteral("html %1 vs %2 chars").arg(a.html.size()).arg(b.html.size());
        }
        if (a.attachments != b.attachments) {
            ++attDiff;
            why << QStringLiteral("attachments [%1] vs [%2]").arg(a.attachments.join(u", "), b.attachments.join(u", "));
        }
        if (!why.isEmpty())
            report << name + QStringLiteral(": ") + why.join(QStringLiteral("; "));
    }
    for (const QString &line : report.mid(0, 40))
        qInfo().noquote() << "IMAP plan vs MIME parser:" << line;
    qInfo("%s: %lld messages; plain differs %d, html differs %d, attachments differ %d, no structure %d",
          qPrintable(folder), qint64(files.size()), plainDiff, htmlDiff, attDiff, failed);
    QCOMPARE(report.size(), 0);
}

QTEST_GUILESS_MAIN(TestPartRule)
#include "tst_partrule.moc"
