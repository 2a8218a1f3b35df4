// Tests for Lookback::Mime (core/message/: charsets, transfer encodings, headers,
// parameters, html to text, snippets, the message parser): concrete decoding
// cases first, then every message of the shared real-mail corpus.

#include "message/charset.h"
#include "message/headers.h"
#include "message/htmltext.h"
#include "message/messageparser.h"
#include "message/parameters.h"
#include "message/snippets.h"
#include "message/transferencoding.h"

#include <QtTest>

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>

#include <atomic>
#include <thread>

using namespace Lookback::Mime;

using Params = QVector<QPair<QByteArray, QByteArray>>;

namespace {

QString corpusDir()
{
    const QByteArray env = qgetenv("LOOKBACK_CORPUS_DIR");
    return env.isEmpty() ? QStringLiteral(LOOKBACK_DEFAULT_CORPUS_DIR) : QString::fromLocal8Bit(env);
}

// No lone surrogates, no U+0000: what a QString from any decoder must satisfy
// before it goes into the archive, the UI or the search index.
bool isValidText(const QString &s)
{
    const qsizetype n = s.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = s[i];
        if (c.isHighSurrogate()) {
            if (i + 1 >= n || !s[i + 1].isLowSurrogate())
                return false;
            ++i;
        } else if (c.isLowSurrogate()) {
            return false;
        }
    }
    return true;
}

bool isValidHeaders(const HeaderInfo &h)
{
    auto addressesOk = [](const QVector<Address> &list) {
        return std::all_of(list.begin(), list.end(), [](const Address &a) {
            return isValidText(a.name) && isValidText(a.email);
        });
    };
    return isValidText(h.subject) && isValidText(h.messageId) && isValidText(h.inReplyTo)
        && std::all_of(h.references.begin(), h.references.end(), isValidText)
        && addressesOk(h.from) && addressesOk(h.to) && addressesOk(h.cc) && addressesOk(h.bcc)
        && addressesOk(h.replyTo);
}

bool isValidMessage(const ParsedMessage &m)
{
    return isValidHeaders(m.headers) && isValidText(m.plainText) && isValidText(m.htmlText)
        && std::all_of(m.attachments.begin(), m.attachments.end(),
                       [](const ParsedMessage::Attachment &a) {
                           return isValidText(a.fileName) && isValidText(a.mimeType) && a.size >= 0;
                       });
}

QByteArray headerBlockOf(const QByteArray &message)
{
    qsizetype lf = message.indexOf("\n\n");
    qsizetype crlf = message.indexOf("\r\n\r\n");
    if (lf < 0 && crlf < 0)
        return message;
    if (lf < 0 || (crlf >= 0 && crlf < lf))
        return message.left(crlf + 4);
    return message.left(lf + 2);
}

QString dumpAddresses(const QVector<Address> &list)
{
    QStringList parts;
    for (const Address &a : list)
        parts.append(a.name + QLatin1Char('|') + a.email);
    return parts.join(QLatin1Char(';'));
}

Params toParams(const QByteArrayList &list)
{
    Params params;
    for (const QByteArray &item : list) {
        const qsizetype eq = item.indexOf('=');
        params.append({item.left(eq), item.mid(eq + 1)});
    }
    return params;
}

QString dumpParams(const Params &params)
{
    QStringList parts;
    for (const auto &p : params)
        parts.append(QString::fromUtf8(p.first + '=' + p.second));
    return parts.join(QLatin1Char('|'));
}

QDateTime utc(int y, int mo, int d, int h, int mi, int s = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s), Qt::UTC);
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArray();
    return f.readAll();
}

// What a user would notice if parsing differed between two runs.
QString fingerprint(const ParsedMessage &m)
{
    QString s = m.headers.subject + QLatin1Char('\x1f') + m.headers.messageId + QLatin1Char('\x1f')
        + formatAddressList(m.headers.from) + QLatin1Char('\x1f') + formatAddressList(m.headers.to)
        + QLatin1Char('\x1f') + m.headers.date.toString(Qt::ISODate) + QLatin1Char('\x1f')
        + m.headers.references.join(QLatin1Char(' ')) + QLatin1Char('\x1f')
        + QString::number(qHash(m.plainText)) + QLatin1Char('\x1f')
        + QString::number(qHash(m.htmlText));
    for (const auto &a : m.attachments)
        s += QLatin1Char('\x1f') + a.fileName + QLatin1Char('/') + a.mimeType + QLatin1Char('/')
            + QString::number(a.size);
    return s;
}

} // namespace

class TestMimeDecoder : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void decodeHeaderText_data();
    void decodeHeaderText();
    void decodeBody_data();
    void decodeBody();
    void parseHeaderParameters_data();
    void parseHeaderParameters();
    void attachmentFileName_data();
    void attachmentFileName();
    void addresses_data();
    void addresses();
    void messageIds_data();
    void messageIds();
    void dates_data();
    void dates();
    void headerBlockShapes_data();
    void headerBlockShapes();
    void htmlToText_data();
    void htmlToText();
    void makeSnippet_data();
    void makeSnippet();
    void normalizedSubject_data();
    void normalizedSubject();
    void formatAddress_data();
    void formatAddress();
    void formatAddressListRoundTrip();

    void parseMessageStructure();
    void parseMessageSigned();
    void parseMessageShapes_data();
    void parseMessageShapes();
    void parseMessageMalformed_data();
    void parseMessageMalformed();

    void corpusMimeTorture();
    void corpusCygwin();
    void corpusKnownMessages_data();
    void corpusKnownMessages();
    void concurrentParsing();

private:
    QTemporaryDir m_unpacked;
    QString m_corpusSkipReason; // non-empty: no corpus on this machine
    QString m_corpusError;      // non-empty: corpus present but unusable
};

void TestMimeDecoder::initTestCase()
{
    ensureInitialized();
    QVERIFY(m_unpacked.isValid());

    const QDir dir(corpusDir());
    const QStringList archives = {QStringLiteral("mime-torture.tar.xz"),
                                  QStringLiteral("cygwin-patches.tar.xz")};
    for (const QString &archive : archives) {
        if (!dir.exists(archive)) {
            m_corpusSkipReason = QStringLiteral("corpus file %1 not found; set LOOKBACK_CORPUS_DIR "
                                                "to the folder holding the shared corpus")
                                     .arg(dir.filePath(archive));
            return;
        }
    }
    QElapsedTimer timer;
    timer.start();
    for (const QString &archive : archives) {
        QProcess tar;
        tar.start(QStringLiteral("tar"), {QStringLiteral("-xJf"), dir.filePath(archive),
                                          QStringLiteral("-C"), m_unpacked.path()});
        if (!tar.waitForFinished(180000) || tar.exitStatus() != QProcess::NormalExit
            || tar.exitCode() != 0) {
            m_corpusError = QStringLiteral("unpacking %1 failed: %2")
                                .arg(archive, QString::fromLocal8Bit(tar.readAllStandardError()));
            return;
        }
    }
    qInfo("corpus unpacked in %lld ms", qint64(timer.elapsed()));
}

// A macro, not a function: QSKIP and QFAIL must return from the test itself.
#define REQUIRE_CORPUS()                                                                           \
    do {                                                                                           \
        if (!m_corpusError.isEmpty())                                                              \
            QFAIL(qPrintable(m_corpusError));                                                      \
        if (!m_corpusSkipReason.isEmpty())                                                         \
            QSKIP(qPrintable(m_corpusSkipReason));                                                 \
    } while (false)

// ---------------------------------------------------------------------------

void TestMimeDecoder::decodeHeaderText_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("expected");

    QTest::newRow("Q word") << QByteArray("=?utf-8?Q?caf=C3=A9_cr=C3=A8me?=") << u"café crème"_qs;
    QTest::newRow("B word") << QByteArray("=?UTF-8?B?SW5kdXN0cmlhbCAzRCBTZW5zb3I=?=")
                            << u"Industrial 3D Sensor"_qs;
    QTest::newRow("lower-case b and q") << QByteArray("=?utf-8?b?w6k=?= =?utf-8?q?=C3=A9?=") << u"éé"_qs;
    QTest::newRow("adjacent words: space dropped")
        << QByteArray("=?utf-8?q?a?= =?utf-8?q?b?=") << u"ab"_qs;
    QTest::newRow("adjacent words across a fold")
        << QByteArray("=?US-ASCII?Q?Re=3A_=5BPATCH=5D_Cygwin=3A_fork=3A_Call_pthread=3A=3Aa?=\r\n"
                      " =?US-ASCII?Q?tforkchild_=28=29_after_other_initializations?=")
        << u"Re: [PATCH] Cygwin: fork: Call pthread::atforkchild () after other initializations"_qs;
    QTest::newRow("word between plain text keeps spaces")
        << QByteArray("Re: =?ISO-8859-15?Q?=5BPatch=5D?= Add dirent") << u"Re: [Patch] Add dirent"_qs;
    QTest::newRow("character split across B words")
        << QByteArray("=?utf-8?B?4oA=?= =?utf-8?B?kw==?=") << u"–"_qs;
    QTest::newRow("character split across Q words")
        << QByteArray("x =?utf-8?Q?=E2=80?= =?utf-8?Q?=93?= y") << u"x – y"_qs;
    QTest::newRow("adjacent words in different charsets")
        << QByteArray("=?iso-8859-1?q?=E9?= =?utf-8?q?=C3=A9?=") << u"éé"_qs;
    QTest::newRow("iso-2022-jp, two words")
        << QByteArray("=?ISO-2022-JP?B?GyRCRnxLXDhsJWEhPCVrJUYlOSVIGyhCICh0ZXN0aW5nIEph?=\n"
                      " =?ISO-2022-JP?B?cGFuZXNlIGVtYWlscyk=?=")
        << u"日本語メールテスト (testing Japanese emails)"_qs;
    QTest::newRow("koi8-r") << QByteArray("=?koi8-r?B?8NLJ18XU?=") << u"Привет"_qs;
    QTest::newRow("gb2312") << QByteArray("=?gb2312?B?xOO6ww==?=") << u"你好"_qs;
    QTest::newRow("GBK") << QByteArray("=?GBK?B?u9i4tKO6?=") << u"回复："_qs;
    QTest::newRow("euc-kr")
        << QByteArray("=?EUC-KR?Q?NOTE:_=C7=D1=B1=B9=B8=BB=B7=CE_=C7=CF=B4=C2_=B0=CD?=")
        << u"NOTE: 한국말로 하는 것"_qs;
    QTest::newRow("iso-8859-8-i")
        << QByteArray("=?iso-8859-8-i?B?7vLw5CAn4PDpIOzgIPDu9uAnOiBJbnZvaWNlIDAyNzIyMDI3?=")
        << u"מענה 'אני לא נמצא': Invoice 02722027"_qs;
    QTest::newRow("windows-1252") << QByteArray("=?Windows-1252?Q?K=9612_Decision?=")
                                  << u"K–12 Decision"_qs;
    QTest::newRow("iso-8859-1 read as windows-1252") << QByteArray("=?iso-8859-1?q?a=96b?=")
                                                     << u"a–b"_qs;
    QTest::newRow("utf-7") << QByteArray("=?utf-7?Q?Die_Hasen_und_die_Fr+APY-sche?=")
                           << u"Die Hasen und die Frösche"_qs;
    QTest::newRow("4-byte UTF-8") << QByteArray("ATM =?utf-8?b?8J+Ppw==?=") << u"ATM 🏧"_qs;
    QTest::newRow("bogus charset, UTF-8 bytes") << QByteArray("=?x-unknown?Q?caf=C3=A9?=") << u"café"_qs;
    QTest::newRow("bogus charset, latin-1 bytes") << QByteArray("=?binary?Q?caf=E9?=") << u"café"_qs;
    QTest::newRow("unknown charset") << QByteArray("=?foo-bar?B?w6k=?=") << u"é"_qs;
    QTest::newRow("charset=3D") << QByteArray("=?3Dutf-8?Q?=C3=A9t=C3=A9?=") << u"été"_qs;
    QTest::newRow("utf-8 label, latin-1 byte") << QByteArray("=?utf-8?Q?bad=E9?=") << u"badé"_qs;
    QTest::newRow("RFC 2231 language") << QByteArray("=?utf-8*en?Q?hello?=") << u"hello"_qs;
    QTest::newRow("glued to text") << QByteArray("x=?utf-8?B?w6k=?=y") << u"xéy"_qs;
    QTest::newRow("spaces inside Q") << QByteArray("=?utf-8?Q?hello world?=") << u"hello world"_qs;
    QTest::newRow("unterminated word stays") << QByteArray("=?utf-8?Q?broken") << u"=?utf-8?Q?broken"_qs;
    QTest::newRow("not a word") << QByteArray("a =? b ?= c") << u"a =? b ?= c"_qs;
    QTest::newRow("raw UTF-8") << QByteArray("caf\xc3\xa9") << u"café"_qs;
    QTest::newRow("raw latin-1") << QByteArray("caf\xe9 \x93quoted\x94") << u"café “quoted”"_qs;
    QTest::newRow("raw mixed") << QByteArray("\xc3\xa9 and \xe9") << u"é and é"_qs;
    QTest::newRow("raw iso-2022-jp") << QByteArray("\x1b$BF|K\\\x1b(B!") << u"日本!"_qs;
    QTest::newRow("fold with tab") << QByteArray(" Hello\r\n\tWorld ") << u"Hello World"_qs;
    QTest::newRow("control characters") << QByteArray("a\x01" "b\x7f" "c") << u"a b c"_qs;
    QTest::newRow("empty") << QByteArray() << QString();
}

void TestMimeDecoder::decodeHeaderText()
{
    QFETCH(QByteArray, raw);
    QFETCH(QString, expected);
    QCOMPARE(Lookback::Mime::decodeHeaderText(raw), expected);
}

void TestMimeDecoder::decodeBody_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<QByteArray>("charset");
    QTest::addColumn<QString>("expected");

    QTest::newRow("qp soft break LF") << QByteArray("soft=\nbreak =3D end") << QByteArray("quoted-printable")
                                      << QByteArray("us-ascii") << u"softbreak = end"_qs;
    QTest::newRow("qp soft break CRLF") << QByteArray("line one=\r\n continues\r\nline two")
                                        << QByteArray("Quoted-Printable") << QByteArray("utf-8")
                                        << u"line one continues\nline two"_qs;
    QTest::newRow("qp soft break with padding") << QByteArray("a= \t\r\nb=") << QByteArray("quoted-printable")
                                                << QByteArray() << u"ab"_qs;
    QTest::newRow("qp lower-case hex") << QByteArray("caf=c3=a9") << QByteArray("quoted-printable")
                                       << QByteArray("utf-8") << u"café"_qs;
    QTest::newRow("qp broken escapes kept") << QByteArray("100=% sure=ZZ") << QByteArray("quoted-printable")
                                            << QByteArray("us-ascii") << u"100=% sure=ZZ"_qs;
    QTest::newRow("qp latin-1") << QByteArray("K=F6ln =80") << QByteArray("quoted-printable")
                                << QByteArray("iso-8859-1") << u"Köln €"_qs;
    QTest::newRow("base64 multi-line")
        << QByteArray("R3LDvMOfZQ0K\r\nYXVzIEvDtmxu\r\nDQo=\r\n") << QByteArray("base64")
        << QByteArray("UTF-8") << u"Grüße\naus Köln\n"_qs;
    QTest::newRow("base64 upper-case label, junk skipped")
        << QByteArray("aGVs!!bG8=") << QByteArray("BASE64") << QByteArray() << u"hello"_qs;
    QTest::newRow("7bit CRLF") << QByteArray("a\r\nb\r\n") << QByteArray("7bit") << QByteArray("us-ascii")
                               << u"a\nb\n"_qs;
    QTest::newRow("8bit koi8-r") << QByteArray("\xf0\xd2\xc9\xd7\xc5\xd4") << QByteArray("8bit")
                                 << QByteArray("KOI8-R") << u"Привет"_qs;
    QTest::newRow("iso-2022-jp") << QByteArray("\x1b$BF|K\\8l$,\x1b(B\r\n") << QByteArray("7bit")
                                 << QByteArray("ISO-2022-JP") << u"日本語が\n"_qs;
    QTest::newRow("gb2312") << QByteArray("\xc4\xe3\xba\xc3") << QByteArray("8bit") << QByteArray("gb2312")
                            << u"你好"_qs;
    QTest::newRow("shift_jis") << QByteArray("\x93\xfa\x96\x7b") << QByteArray("8bit")
                               << QByteArray("Shift_JIS") << u"日本"_qs;
    QTest::newRow("ks_c_5601-1987") << QByteArray("\xc7\xd1\xb1\xb9") << QByteArray("8bit")
                                    << QByteArray("ks_c_5601-1987") << u"한국"_qs;
    QTest::newRow("binary label, UTF-8 bytes") << QByteArray("caf\xc3\xa9") << QByteArray("8bit")
                                               << QByteArray("binary") << u"café"_qs;
    QTest::newRow("binary label, latin-1 bytes") << QByteArray("caf\xe9") << QByteArray("8bit")
                                                 << QByteArray("binary") << u"café"_qs;
    QTest::newRow("utf8 label") << QByteArray("\xe2\x82\xac") << QByteArray("8bit") << QByteArray("utf8")
                                << u"€"_qs;
    QTest::newRow("unknown-8bit") << QByteArray("na\xefve") << QByteArray("8bit")
                                  << QByteArray("unknown-8bit") << u"naïve"_qs;
    QTest::newRow("x-user-defined") << QByteArray("\x80 5") << QByteArray("8bit")
                                    << QByteArray("x-user-defined") << u"€ 5"_qs;
    QTest::newRow("no charset, UTF-8") << QByteArray("\xc3\xbc") << QByteArray() << QByteArray() << u"ü"_qs;
    QTest::newRow("us-ascii label, UTF-8 bytes") << QByteArray("\xc3\xbc") << QByteArray("8bit")
                                                 << QByteArray("us-ascii") << u"ü"_qs;
    QTest::newRow("utf-8 label, stray latin-1 byte")
        << QByteArray("\xc3\xbc and \xfc") << QByteArray("8bit") << QByteArray("utf-8") << u"ü and ü"_qs;
    QTest::newRow("unknown charset name") << QByteArray("\xc3\xbc") << QByteArray("8bit")
                                          << QByteArray("x-no-such-charset") << u"ü"_qs;
    QTest::newRow("8-bit bytes under a 7-bit charset") << QByteArray("Dij\x8a" "at") << QByteArray("8bit")
                                                       << QByteArray("iso-2022-jp") << u"DijŠat"_qs;
    QTest::newRow("quoted charset") << QByteArray("\xe9") << QByteArray("8bit")
                                    << QByteArray("\"ISO-8859-1\"") << u"é"_qs;
    QTest::newRow("iso-8859-2") << QByteArray("\xb1") << QByteArray("8bit") << QByteArray("iso-8859-2")
                                << u"ą"_qs;
    QTest::newRow("unknown transfer encoding is identity") << QByteArray("=41") << QByteArray("x-foo")
                                                           << QByteArray() << u"=41"_qs;
    QTest::newRow("empty") << QByteArray() << QByteArray("base64") << QByteArray("utf-8") << QString();
}

void TestMimeDecoder::decodeBody()
{
    QFETCH(QByteArray, content);
    QFETCH(QByteArray, encoding);
    QFETCH(QByteArray, charset);
    QFETCH(QString, expected);
    QCOMPARE(Lookback::Mime::decodeBody(content, encoding, charset), expected);
}

void TestMimeDecoder::parseHeaderParameters_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("expected");

    QTest::newRow("content type") << QByteArray("text/plain; charset=utf-8; format=flowed")
                                  << u"charset=utf-8|format=flowed"_qs;
    QTest::newRow("quoted semicolon") << QByteArray("attachment; filename=\"a;b.txt\"; size=123")
                                      << u"filename=a;b.txt|size=123"_qs;
    QTest::newRow("folded continuations")
        << QByteArray("application/pdf;\r\n\tname*0*=utf-8''%E2;\r\n name*1*=%82%AC")
        << u"name*0*=utf-8''%E2|name*1*=%82%AC"_qs;
    QTest::newRow("escaped quote") << QByteArray("attachment; filename=\"say \\\"hi\\\".txt\"")
                                   << u"filename=say \"hi\".txt"_qs;
    QTest::newRow("windows path keeps backslashes")
        << QByteArray("attachment; FileName=\"C:\\dir\\x.txt\"") << u"filename=C:\\dir\\x.txt"_qs;
    QTest::newRow("no type") << QByteArray("filename=x.txt") << u"filename=x.txt"_qs;
    QTest::newRow("junk") << QByteArray("inline;;; foo; =bar") << QString();
}

void TestMimeDecoder::parseHeaderParameters()
{
    QFETCH(QByteArray, value);
    QFETCH(QString, expected);
    QCOMPARE(dumpParams(Lookback::Mime::parseHeaderParameters(value)), expected);
}

void TestMimeDecoder::attachmentFileName_data()
{
    QTest::addColumn<QByteArrayList>("disposition");
    QTest::addColumn<QByteArrayList>("type");
    QTest::addColumn<QString>("expected");

    QTest::newRow("plain filename") << QByteArrayList{"filename=report.pdf"} << QByteArrayList{}
                                    << u"report.pdf"_qs;
    QTest::newRow("name fallback") << QByteArrayList{} << QByteArrayList{"charset=us-ascii", "name=x.txt"}
                                   << u"x.txt"_qs;
    QTest::newRow("disposition wins") << QByteArrayList{"filename=a.txt"} << QByteArrayList{"name=b.txt"}
                                      << u"a.txt"_qs;
    QTest::newRow("RFC 2231 single") << QByteArrayList{"filename*=utf-8''%E2%82%AC%20rates.pdf"}
                                     << QByteArrayList{} << u"€ rates.pdf"_qs;
    QTest::newRow("RFC 2231 continuation")
        << QByteArrayList{"filename*0*=utf-8''Gr%C3%BC", "filename*1*=%C3%9Fe", "filename*2=.txt"}
        << QByteArrayList{} << u"Grüße.txt"_qs;
    QTest::newRow("character split across sections")
        << QByteArrayList{"filename*0*=UTF-8''%E2%82", "filename*1*=%AC.txt"} << QByteArrayList{}
        << u"€.txt"_qs;
    QTest::newRow("continuation out of order")
        << QByteArrayList{"filename*1=bar.txt", "filename*0=foo"} << QByteArrayList{} << u"foobar.txt"_qs;
    QTest::newRow("plain continuation")
        << QByteArrayList{"filename*0=\"a long name \"", "filename*1=\"in two parts.doc\""}
        << QByteArrayList{} << u"a long name in two parts.doc"_qs;
    QTest::newRow("RFC 2231 latin-1 with language")
        << QByteArrayList{"filename*=iso-8859-1'de'K%F6ln.txt"} << QByteArrayList{} << u"Köln.txt"_qs;
    QTest::newRow("RFC 2231 preferred over plain")
        << QByteArrayList{"filename=fallback.txt", "filename*=utf-8''r%C3%A9el.txt"} << QByteArrayList{}
        << u"réel.txt"_qs;
    QTest::newRow("RFC 2231 in type name")
        << QByteArrayList{} << QByteArrayList{"name*=utf-8''%E6%97%A5%E6%9C%AC.txt"} << u"日本.txt"_qs;
    QTest::newRow("RFC 2231 bogus charset")
        << QByteArrayList{"filename*=unknown-8bit''caf%E9.txt"} << QByteArrayList{} << u"café.txt"_qs;
    QTest::newRow("RFC 2231 bad percent") << QByteArrayList{"filename*=utf-8''100%ZZ.txt"}
                                          << QByteArrayList{} << u"100%ZZ.txt"_qs;
    QTest::newRow("RFC 2047 in filename") << QByteArrayList{"filename==?UTF-8?B?w6nDqS5wZGY=?="}
                                          << QByteArrayList{} << u"éé.pdf"_qs;
    QTest::newRow("RFC 2047 in name")
        << QByteArrayList{"inline"} << QByteArrayList{"name==?iso-8859-1?Q?r=E9sum=E9.doc?="}
        << u"résumé.doc"_qs;
    QTest::newRow("RFC 2047 split in two words")
        << QByteArrayList{"filename==?utf-8?Q?Gr=C3=BC?= =?utf-8?Q?=C3=9Fe.txt?="} << QByteArrayList{}
        << u"Grüße.txt"_qs;
    QTest::newRow("raw UTF-8") << QByteArrayList{"filename=r\xc3\xa9sum\xc3\xa9.doc"} << QByteArrayList{}
                               << u"résumé.doc"_qs;
    QTest::newRow("raw latin-1") << QByteArrayList{"filename=r\xe9sum\xe9.doc"} << QByteArrayList{}
                                 << u"résumé.doc"_qs;
    QTest::newRow("windows path stripped") << QByteArrayList{"filename=C:\\Users\\x\\report.doc"}
                                           << QByteArrayList{} << u"report.doc"_qs;
    QTest::newRow("traversal stripped") << QByteArrayList{"filename=../../etc/passwd"} << QByteArrayList{}
                                        << u"passwd"_qs;
    QTest::newRow("upper-case names") << QByteArrayList{"FILENAME=Upper.TXT"} << QByteArrayList{}
                                      << u"Upper.TXT"_qs;
    QTest::newRow("quotes left by the caller") << QByteArrayList{"filename=\"quoted name.txt\""}
                                               << QByteArrayList{} << u"quoted name.txt"_qs;
    QTest::newRow("empty filename falls back to name") << QByteArrayList{"filename="}
                                                       << QByteArrayList{"name=n.bin"} << u"n.bin"_qs;
    QTest::newRow("none") << QByteArrayList{"size=10"} << QByteArrayList{"charset=utf-8"} << QString();
}

void TestMimeDecoder::attachmentFileName()
{
    QFETCH(QByteArrayList, disposition);
    QFETCH(QByteArrayList, type);
    QFETCH(QString, expected);
    QCOMPARE(Lookback::Mime::attachmentFileName(toParams(disposition), toParams(type)), expected);
}

void TestMimeDecoder::addresses_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("expected"); // name|email;name|email

    QTest::newRow("quoted name with comma") << QByteArray("\"Doe, John\" <john@example.com>, jane@example.com")
                                            << u"Doe, John|john@example.com;|jane@example.com"_qs;
    QTest::newRow("group flattened")
        << QByteArray("Team: a@example.com, \"B\" <b@example.com>;, x@example.org")
        << u"|a@example.com;B|b@example.com;|x@example.org"_qs;
    QTest::newRow("empty group") << QByteArray("undisclosed-recipients:;") << QString();
    QTest::newRow("encoded name") << QByteArray("=?utf-8?Q?J=C3=B6rg?= <j@example.de>")
                                  << u"Jörg|j@example.de"_qs;
    QTest::newRow("encoded name in quotes") << QByteArray("\"=?iso-8859-1?Q?J=F6rg?=\" <j@example.de>")
                                            << u"Jörg|j@example.de"_qs;
    QTest::newRow("encoded comma stays in the name")
        << QByteArray("=?utf-8?Q?Doe=2C_John?= <john@example.com>, x@example.org")
        << u"Doe, John|john@example.com;|x@example.org"_qs;
    QTest::newRow("encoded name, bogus charset") << QByteArray("=?x-unknown?Q?J=F6rg?= <j@example.de>")
                                                 << u"Jörg|j@example.de"_qs;
    QTest::newRow("raw latin-1 name") << QByteArray("J\xf6rg M\xfcller <j@example.de>")
                                      << u"Jörg Müller|j@example.de"_qs;
    QTest::newRow("raw UTF-8 name") << QByteArray("J\xc3\xb6rg <j@example.de>") << u"Jörg|j@example.de"_qs;
    QTest::newRow("comment as name") << QByteArray("john@example.com (John Doe)")
                                     << u"John Doe|john@example.com"_qs;
    QTest::newRow("Outlook single quotes") << QByteArray("'John Doe' <john@example.com>")
                                           << u"John Doe|john@example.com"_qs;
    QTest::newRow("case kept") << QByteArray("Foo <Foo.Bar@Example.COM>") << u"Foo|Foo.Bar@Example.COM"_qs;
    QTest::newRow("folded list") << QByteArray("a@example.com,\r\n b@example.com")
                                 << u"|a@example.com;|b@example.com"_qs;
    QTest::newRow("missing >") << QByteArray("Foo <foo@example.com") << u"Foo|foo@example.com"_qs;
    QTest::newRow("no domain") << QByteArray("MAILER-DAEMON (Mail Delivery System)")
                               << u"|MAILER-DAEMON"_qs;
    QTest::newRow("garbage kept readable") << QByteArray("garbage no at") << u"garbage no at|"_qs;
    QTest::newRow("garbage with brackets") << QByteArray("Foo Bar <foo at example.com>")
                                           << u"Foo Bar|foo at example.com"_qs;
    QTest::newRow("junk entries skipped") << QByteArray("a@example.com, @@@, <c@example.com>")
                                          << u"|a@example.com;|c@example.com"_qs;
    QTest::newRow("encoded phrase without address")
        << QByteArray("test <t@example.com>, =?utf-8?Q?just_a_name?=")
        << u"test|t@example.com;just a name|"_qs;
    QTest::newRow("null sender") << QByteArray("<>") << QString();
    QTest::newRow("only commas") << QByteArray(",,,") << QString();
    QTest::newRow("empty") << QByteArray("  ") << QString();
}

void TestMimeDecoder::addresses()
{
    QFETCH(QByteArray, value);
    QFETCH(QString, expected);
    const HeaderInfo h = parseHeaders("From: " + value + "\r\nCc: " + value + "\r\n\r\n");
    QCOMPARE(dumpAddresses(h.from), expected);
    QCOMPARE(dumpAddresses(h.cc), expected);
}

void TestMimeDecoder::messageIds_data()
{
    QTest::addColumn<QByteArray>("block");
    QTest::addColumn<QString>("messageId");
    QTest::addColumn<QString>("inReplyTo");
    QTest::addColumn<QStringList>("references");

    QTest::newRow("plain") << QByteArray("Message-ID: <abc@def.example>\r\n") << u"abc@def.example"_qs
                           << QString() << QStringList();
    QTest::newRow("comment and spaces") << QByteArray("Message-Id:   <abc@def.example> (added)  \n")
                                        << u"abc@def.example"_qs << QString() << QStringList();
    QTest::newRow("no brackets") << QByteArray("Message-ID: abc@def.example\n") << u"abc@def.example"_qs
                                 << QString() << QStringList();
    QTest::newRow("garbage") << QByteArray("Message-ID: this is not an id\n") << QString() << QString()
                             << QStringList();
    QTest::newRow("empty brackets") << QByteArray("Message-ID: <>\n") << QString() << QString()
                                    << QStringList();
    QTest::newRow("folded inside") << QByteArray("Message-ID: <abc@\r\n def.example>\r\n")
                                   << u"abc@def.example"_qs << QString() << QStringList();
    QTest::newRow("in-reply-to with prose")
        << QByteArray("In-Reply-To: Your message of \"Mon, 12 Jan 2004\" <a@b.example>\n") << QString()
        << u"a@b.example"_qs << QStringList();
    QTest::newRow("in-reply-to first id") << QByteArray("In-Reply-To: <a@b.example> <c@d.example>\n")
                                          << QString() << u"a@b.example"_qs << QStringList();
    QTest::newRow("in-reply-to with comment")
        << QByteArray("In-Reply-To: <a@b.example> (John Doe's message of Mon, 1 Jan)\n") << QString()
        << u"a@b.example"_qs << QStringList();
    QTest::newRow("references folded, commas, duplicates")
        << QByteArray("References: <a@b.example>,\r\n\t<c@d.example> <a@b.example>\r\n") << QString()
        << QString() << QStringList{u"a@b.example"_qs, u"c@d.example"_qs};
    QTest::newRow("references glued") << QByteArray("References: <a@b><c@d>\n") << QString() << QString()
                                      << QStringList{u"a@b"_qs, u"c@d"_qs};
    QTest::newRow("references without brackets") << QByteArray("References: a@b.example c@d.example\n")
                                                  << QString() << QString()
                                                  << QStringList{u"a@b.example"_qs, u"c@d.example"_qs};
    QTest::newRow("first header wins")
        << QByteArray("Message-ID: <first@x>\nMessage-ID: <second@x>\n") << u"first@x"_qs << QString()
        << QStringList();
}

void TestMimeDecoder::messageIds()
{
    QFETCH(QByteArray, block);
    QFETCH(QString, messageId);
    QFETCH(QString, inReplyTo);
    QFETCH(QStringList, references);
    const HeaderInfo h = parseHeaders(block);
    QCOMPARE(h.messageId, messageId);
    QCOMPARE(h.inReplyTo, inReplyTo);
    QCOMPARE(h.references, references);
}

void TestMimeDecoder::dates_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QDateTime>("expected");

    QTest::newRow("+0100") << QByteArray("Tue, 2 Jan 2024 10:00:00 +0100") << utc(2024, 1, 2, 9, 0);
    QTest::newRow("-0800 (PST)") << QByteArray("Tue, 2 Jan 2024 10:00:00 -0800 (PST)") << utc(2024, 1, 2, 18, 0);
    QTest::newRow("two-digit year, GMT") << QByteArray("2 Jan 24 10:00:00 GMT") << utc(2024, 1, 2, 10, 0);
    QTest::newRow("+05:30") << QByteArray("Tue, 2 Jan 2024 10:00:00 +05:30") << utc(2024, 1, 2, 4, 30);
    QTest::newRow("+1345 crosses the date") << QByteArray("Tue, 2 Jan 2024 10:00 +1345") << utc(2024, 1, 1, 20, 15);
    QTest::newRow("-0000") << QByteArray("Tue, 2 Jan 2024 10:00:00 -0000") << utc(2024, 1, 2, 10, 0);
    QTest::newRow("EST") << QByteArray("Tue, 2 Jan 2024 10:00:00 EST") << utc(2024, 1, 2, 15, 0);
    QTest::newRow("CEST") << QByteArray("Tue, 2 Jul 2024 10:00:00 CEST") << utc(2024, 7, 2, 8, 0);
    QTest::newRow("GMT+0100") << QByteArray("Tue, 2 Jan 2024 10:00:00 GMT+0100") << utc(2024, 1, 2, 9, 0);
    QTest::newRow("UTC+05:30") << QByteArray("Tue, 2 Jan 2024 10:00:00 UTC+05:30") << utc(2024, 1, 2, 4, 30);
    QTest::newRow("GMT-3") << QByteArray("Tue, 2 Jan 2024 10:00:00 GMT-3") << utc(2024, 1, 2, 13, 0);
    QTest::newRow("UT") << QByteArray("Tue, 2 Jan 2024 10:00:00 UT") << utc(2024, 1, 2, 10, 0);
    QTest::newRow("no zone means UTC") << QByteArray("Tue, 2 Jan 2024 10:00:00") << utc(2024, 1, 2, 10, 0);
    QTest::newRow("single-digit time") << QByteArray("Tue, 02 Jan 2024 3:4:5 +0000") << utc(2024, 1, 2, 3, 4, 5);
    QTest::newRow("asctime") << QByteArray("Tue Jan  2 10:00:00 2024") << utc(2024, 1, 2, 10, 0);
    QTest::newRow("ISO 8601") << QByteArray("2024-01-02T10:00:00+02:00") << utc(2024, 1, 2, 8, 0);
    QTest::newRow("comment zone") << QByteArray("Tue, 2 Jan 2024 10:00:00 +0000 (Coordinated Universal Time)")
                                  << utc(2024, 1, 2, 10, 0);
    QTest::newRow("folded") << QByteArray("Tue, 2 Jan 2024\r\n 10:00:00 +0100") << utc(2024, 1, 2, 9, 0);
    QTest::newRow("garbage") << QByteArray("garbage") << QDateTime();
    QTest::newRow("empty") << QByteArray("") << QDateTime();
    QTest::newRow("day 32") << QByteArray("Tue, 32 Jan 2024 10:00:00 +0000") << QDateTime();
    QTest::newRow("hour 25") << QByteArray("Tue, 2 Jan 2024 25:00:00 +0000") << QDateTime();
}

void TestMimeDecoder::dates()
{
    QFETCH(QByteArray, value);
    QFETCH(QDateTime, expected);
    const HeaderInfo h = parseHeaders("Date: " + value + "\r\n");
    QCOMPARE(h.date.isValid(), expected.isValid());
    if (expected.isValid()) {
        QCOMPARE(h.date, expected);
        QCOMPARE(h.date.timeSpec(), Qt::UTC);
    }
}

void TestMimeDecoder::headerBlockShapes_data()
{
    QTest::addColumn<QByteArray>("block");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("to");

    QTest::newRow("CRLF with blank line") << QByteArray("Subject: s\r\nTo: a@x.example\r\n\r\n") << u"s"_qs
                                          << u"|a@x.example"_qs;
    QTest::newRow("LF without blank line") << QByteArray("Subject: s\nTo: a@x.example") << u"s"_qs
                                           << u"|a@x.example"_qs;
    QTest::newRow("mbox From line") << QByteArray("From a@x.example Mon Jan  1 00:00:00 2024\nSubject: s\n")
                                    << u"s"_qs << QString();
    QTest::newRow("folded subject") << QByteArray("Subject: a very\r\n long subject\r\n") << u"a very long subject"_qs
                                    << QString();
    QTest::newRow("garbage line ignored")
        << QByteArray("this is not a header\r\n continuation of garbage\r\nSubject: ok\r\n") << u"ok"_qs << QString();
    QTest::newRow("first subject wins") << QByteArray("Subject: one\nSubject: two\n") << u"one"_qs << QString();
    QTest::newRow("repeated To concatenated") << QByteArray("To: a@x.example\nTo: b@x.example\n") << QString()
                                              << u"|a@x.example;|b@x.example"_qs;
    QTest::newRow("name case and space before colon") << QByteArray("SUBJECT : s\n") << u"s"_qs << QString();
    QTest::newRow("body ignored") << QByteArray("Subject: a\n\nSubject: b\n") << u"a"_qs << QString();
    QTest::newRow("raw 8-bit subject") << QByteArray("Subject: Gr\xfc\xdf" "e\n") << u"Grüße"_qs << QString();
    QTest::newRow("empty block") << QByteArray("\r\n") << QString() << QString();
    QTest::newRow("NUL bytes") << QByteArray("Subject: a\0b\n", 13) << u"a b"_qs << QString();
}

void TestMimeDecoder::headerBlockShapes()
{
    QFETCH(QByteArray, block);
    QFETCH(QString, subject);
    QFETCH(QString, to);
    const HeaderInfo h = parseHeaders(block);
    QCOMPARE(h.subject, subject);
    QCOMPARE(dumpAddresses(h.to), to);
}

void TestMimeDecoder::htmlToText_data()
{
    QTest::addColumn<QString>("html");
    QTest::addColumn<QString>("expected");

    QTest::newRow("head, script, style dropped")
        << u"<html><head><title>T</title><style>p{color:red}</style></head><body><p>Hello</p>"
           "<script>alert('<p>x</p>')</script><p>World</p></body></html>"_qs
        << u"Hello\n\nWorld"_qs;
    QTest::newRow("entities") << u"a &amp; b &lt;c&gt; &quot;d&quot; &#123; &#x1F600; &eacute; &euro;"_qs
                              << u"a & b <c> \"d\" { 😀 é €"_qs;
    QTest::newRow("nbsp collapses") << u"a&nbsp;&nbsp;&nbsp;b"_qs << u"a b"_qs;
    QTest::newRow("unknown and bare entities") << u"&bogus; &amp &copy x"_qs << u"&bogus; & © x"_qs;
    QTest::newRow("numeric windows-1252 range") << u"1&#150;2"_qs << u"1–2"_qs;
    QTest::newRow("invalid numeric") << u"&#0;&#xD800;&#99999999;"_qs << u"\uFFFD\uFFFD\uFFFD"_qs;
    QTest::newRow("br") << u"a<br>b<br/><br />c"_qs << u"a\nb\n\nc"_qs;
    QTest::newRow("list") << u"<ul><li>one</li><li>two</li></ul>"_qs << u"one\ntwo"_qs;
    QTest::newRow("whitespace") << u"  lots   of\n\n  space  "_qs << u"lots of space"_qs;
    QTest::newRow("table") << u"<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>"_qs
                           << u"a b\nc"_qs;
    QTest::newRow("comments") << u"x<!-- hidden -->y<!--[if mso]><p>mso</p><![endif]-->z"_qs << u"xyz"_qs;
    QTest::newRow("pre keeps layout") << u"<p>x</p><pre>a\n  b</pre>"_qs << u"x\n\na\n  b"_qs;
    QTest::newRow("quoted >") << u"<a title=\"x>y\" href='z'>link</a> it's"_qs << u"link it's"_qs;
    QTest::newRow("stray <") << u"a < b and c > d"_qs << u"a < b and c > d"_qs;
    QTest::newRow("upper-case tags") << u"<P>One</P><SCRIPT>x</SCRIPT>Two"_qs << u"One\n\nTwo"_qs;
    QTest::newRow("zero-width preheader") << u"Hi&zwnj;&nbsp;&zwnj;&nbsp;\u200Bthere"_qs << u"Hi there"_qs;
    QTest::newRow("unterminated script") << u"a<script>b"_qs << u"a"_qs;
    QTest::newRow("head without end") << u"<head><meta charset=utf-8><body>Text"_qs << u"Text"_qs;
    QTest::newRow("doctype") << u"<!DOCTYPE html><p>x</p>"_qs << u"x"_qs;
    QTest::newRow("entity makes no tag") << u"&lt;b&gt;bold&lt;/b&gt;"_qs << u"<b>bold</b>"_qs;
    QTest::newRow("empty") << QString() << QString();
}

void TestMimeDecoder::htmlToText()
{
    QFETCH(QString, html);
    QFETCH(QString, expected);
    QCOMPARE(Lookback::Mime::htmlToText(html), expected);
}

void TestMimeDecoder::makeSnippet_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("maxChars");
    QTest::addColumn<QString>("expected");

    QTest::newRow("short") << u"Hello world"_qs << 200 << u"Hello world"_qs;
    QTest::newRow("whitespace") << u"Hello\n\n   world\t!"_qs << 200 << u"Hello world !"_qs;
    QTest::newRow("reply below attribution")
        << u"Thanks, applied.\n\nOn Mon, Jan 1, 2024 at 10:00, John wrote:\n> patch\n> more\n"_qs << 200
        << u"Thanks, applied."_qs;
    QTest::newRow("answer after quote") << u"John wrote:\n> question?\n\nAnswer here."_qs << 200
                                        << u"Answer here."_qs;
    QTest::newRow("signature") << u"Short.\n-- \nJohn Doe\nCompany"_qs << 200 << u"Short."_qs;
    QTest::newRow("outlook original") << u"See below.\r\n\r\n-----Original Message-----\r\nFrom: x\r\n"_qs
                                      << 200 << u"See below."_qs;
    QTest::newRow("only quotes") << u"> only quoted\n>> text"_qs << 200 << u"only quoted text"_qs;
    QTest::newRow("word boundary") << u"The quick brown fox jumps over the lazy dog"_qs << 18
                                   << u"The quick brown…"_qs;
    QTest::newRow("exact fit") << u"The quick brown fox jumps"_qs << 25 << u"The quick brown fox jumps"_qs;
    QTest::newRow("long word") << u"Supercalifragilisticexpialidocious"_qs << 10 << u"Supercali…"_qs;
    QTest::newRow("no split surrogate") << u"aaaa😀bbb"_qs << 6 << u"aaaa…"_qs;
    QTest::newRow("zero") << u"text"_qs << 0 << QString();
    QTest::newRow("empty") << QString() << 200 << QString();
}

void TestMimeDecoder::makeSnippet()
{
    QFETCH(QString, text);
    QFETCH(int, maxChars);
    QFETCH(QString, expected);
    const QString snippet = Lookback::Mime::makeSnippet(text, maxChars);
    QCOMPARE(snippet, expected);
    QVERIFY(snippet.size() <= std::max(0, maxChars));
    QVERIFY(isValidText(snippet));
}

void TestMimeDecoder::normalizedSubject_data()
{
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("expected");

    QTest::newRow("Re") << u"Re: Hello"_qs << u"hello"_qs;
    QTest::newRow("stacked") << u"RE: re: Fwd: FW: Hello  World"_qs << u"hello world"_qs;
    QTest::newRow("German and Nordic") << u"AW: WG: SV: Antw: Hello"_qs << u"hello"_qs;
    QTest::newRow("counters") << u"Re[2]: Re(3): Re^4: x"_qs << u"x"_qs;
    QTest::newRow("French spacing") << u"Re : TR : Bonjour"_qs << u"bonjour"_qs;
    QTest::newRow("Chinese") << u"回复：你好"_qs << u"你好"_qs;
    QTest::newRow("list tag kept") << u"[cygwin] Re: foo"_qs << u"[cygwin] foo"_qs;
    QTest::newRow("repeated list tag once") << u"Re: [cygwin] Re: [Cygwin] foo"_qs << u"[cygwin] foo"_qs;
    QTest::newRow("patch tag kept") << u"Re: [PATCH v2] Cygwin: fix foo"_qs << u"[patch v2] cygwin: fix foo"_qs;
    QTest::newRow("two tags") << u"Fwd: [list] [PATCH 2/3] x"_qs << u"[list] [patch 2/3] x"_qs;
    QTest::newRow("Fwd wrapper") << u"[Fwd: Hello]"_qs << u"hello"_qs;
    QTest::newRow("(fwd) suffix") << u"Hello (fwd)"_qs << u"hello"_qs;
    QTest::newRow("not a prefix") << u"Rev: not a prefix"_qs << u"rev: not a prefix"_qs;
    QTest::newRow("only prefixes") << u"Re: Re: Fwd:"_qs << QString();
    QTest::newRow("case folding") << u"ÄRGER im Büro"_qs << u"ärger im büro"_qs;
    QTest::newRow("empty") << QString() << QString();
}

void TestMimeDecoder::normalizedSubject()
{
    QFETCH(QString, subject);
    QFETCH(QString, expected);
    QCOMPARE(Lookback::Mime::normalizedSubject(subject), expected);
}

void TestMimeDecoder::formatAddress_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("email");
    QTest::addColumn<QString>("expected");

    QTest::newRow("name and email") << u"John Doe"_qs << u"john@example.com"_qs << u"John Doe <john@example.com>"_qs;
    QTest::newRow("email only") << QString() << u"john@example.com"_qs << u"john@example.com"_qs;
    QTest::newRow("name repeats email") << u"John@Example.com"_qs << u"john@example.com"_qs << u"john@example.com"_qs;
    QTest::newRow("comma quoted") << u"Doe, John"_qs << u"john@example.com"_qs
                                  << u"\"Doe, John\" <john@example.com>"_qs;
    QTest::newRow("quote escaped") << u"Say \"Hi\""_qs << u"a@example.com"_qs << u"\"Say \\\"Hi\\\"\" <a@example.com>"_qs;
    QTest::newRow("name only") << u"Only Name"_qs << QString() << u"Only Name"_qs;
    QTest::newRow("unicode") << u"Jörg"_qs << u"j@example.de"_qs << u"Jörg <j@example.de>"_qs;
}

void TestMimeDecoder::formatAddress()
{
    QFETCH(QString, name);
    QFETCH(QString, email);
    QFETCH(QString, expected);
    QCOMPARE(Lookback::Mime::formatAddress({name, email}), expected);
    QCOMPARE(formatAddressList({{name, email}, {QString(), u"x@example.org"_qs}}),
             expected + u", x@example.org"_qs);
}

void TestMimeDecoder::formatAddressListRoundTrip()
{
    // The archive stores To/Cc as formatAddressList() text and the browser
    // parses it back: nothing may change on the way.
    const QVector<Address> list = {
        {u"Doe, John"_qs, u"john@example.com"_qs},
        {u"John (Work) Doe"_qs, u"jw@example.com"_qs},
        {u"Say \"Hi\" \\o/"_qs, u"hi@example.com"_qs},
        {u"Jörg Müller"_qs, u"j@example.de"_qs},
        {u"John Q. Public"_qs, u"jqp@example.com"_qs},
        {u"日本 太郎"_qs, u"taro@example.jp"_qs},
        {QString(), u"plain@example.org"_qs},
    };
    const QString formatted = formatAddressList(list);
    const HeaderInfo h = parseHeaders("To: " + formatted.toUtf8() + "\r\n");
    QCOMPARE(dumpAddresses(h.to), dumpAddresses(list));
}

// ---------------------------------------------------------------------------

void TestMimeDecoder::parseMessageStructure()
{
    QByteArray pdf(1000, '\0');
    for (int i = 0; i < pdf.size(); ++i)
        pdf[i] = char(i * 7);
    QByteArray pdfBase64;
    const QByteArray encoded = pdf.toBase64();
    for (qsizetype i = 0; i < encoded.size(); i += 76)
        pdfBase64 += encoded.mid(i, 76) + "\r\n";

    const QByteArray message =
        "From: \"Doe, John\" <john@example.com>\r\n"
        "To: Team: a@example.com, b@example.com;, c@example.com\r\n"
        "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?= aus =?iso-8859-1?q?K=F6ln?=\r\n"
        "Date: Tue, 2 Jan 2024 10:00:00 +0100\r\n"
        "Message-ID: <abc@example.com>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
        "\r\n"
        "preamble\r\n"
        "--outer\r\n"
        "Content-Type: multipart/alternative; boundary=\"alt\"\r\n"
        "\r\n"
        "--alt\r\n"
        "Content-Type: text/plain; charset=iso-8859-1\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "\r\n"
        "Hallo K=F6ln, soft=\r\n"
        " break.\r\n"
        "--alt\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
        + QByteArray("<p>Hallo K&ouml;ln</p>").toBase64() + "\r\n"
        "--alt--\r\n"
        "--outer\r\n"
        "Content-Type: application/pdf; name=\"fallback.pdf\"\r\n"
        "Content-Disposition: attachment;\r\n"
        " filename*0*=utf-8''%E2%82%AC%20Rech;\r\n"
        " filename*1*=nung.pdf\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
        + pdfBase64 +
        "--outer\r\n"
        "Content-Type: text/x-patch; name=fix.patch\r\n"
        "\r\n"
        "diff --git a/x b/x\r\n"
        "--outer\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Disposition: inline; filename=\"inline.txt\"\r\n"
        "\r\n"
        "inline text\r\n"
        "--outer\r\n"
        "Content-Type: message/rfc822\r\n"
        "\r\n"
        "Subject: Inner mail\r\n"
        "From: x@example.org\r\n"
        "\r\n"
        "inner body\r\n"
        "--outer--\r\n";

    const ParsedMessage m = parseMessage(message);
    QCOMPARE(m.headers.subject, u"Grüße aus Köln"_qs);
    QCOMPARE(dumpAddresses(m.headers.from), u"Doe, John|john@example.com"_qs);
    QCOMPARE(dumpAddresses(m.headers.to), u"|a@example.com;|b@example.com;|c@example.com"_qs);
    QCOMPARE(m.headers.messageId, u"abc@example.com"_qs);
    QCOMPARE(m.headers.date, utc(2024, 1, 2, 9, 0));
    // The named inline text part is an attachment only (partrule.h): IMAP does not
    // download it either.
    QCOMPARE(m.plainText, u"Hallo Köln, soft break."_qs);
    QCOMPARE(m.htmlText, u"<p>Hallo K&ouml;ln</p>"_qs);
    QCOMPARE(Lookback::Mime::htmlToText(m.htmlText), u"Hallo Köln"_qs);

    QCOMPARE(m.attachments.size(), 4);
    QCOMPARE(m.attachments[0].fileName, u"€ Rechnung.pdf"_qs);
    QCOMPARE(m.attachments[0].mimeType, u"application/pdf"_qs);
    QCOMPARE(m.attachments[0].size, qint64(1000));
    QCOMPARE(m.attachments[1].fileName, u"fix.patch"_qs);
    QCOMPARE(m.attachments[1].mimeType, u"text/x-patch"_qs);
    QCOMPARE(m.attachments[1].size, qint64(qstrlen("diff --git a/x b/x")));
    QCOMPARE(m.attachments[2].fileName, u"inline.txt"_qs);
    QCOMPARE(m.attachments[2].mimeType, u"text/plain"_qs);
    QCOMPARE(m.attachments[3].fileName, u"Inner mail.eml"_qs);
    QCOMPARE(m.attachments[3].mimeType, u"message/rfc822"_qs);
    QVERIFY(m.attachments[3].size > 0);

    // The same headers through the IMAP path.
    const HeaderInfo h = parseHeaders(headerBlockOf(message));
    QCOMPARE(h.subject, m.headers.subject);
    QCOMPARE(dumpAddresses(h.to), dumpAddresses(m.headers.to));
}

void TestMimeDecoder::parseMessageSigned()
{
    const QByteArray message =
        "From: a@example.com\n"
        "Subject: signed\n"
        "Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; micalg=pgp-sha256;\n"
        " boundary=\"sig\"\n"
        "\n"
        "--sig\n"
        "Content-Type: text/plain\n"
        "\n"
        "signed text\n"
        "--sig\n"
        "Content-Type: application/pgp-signature; name=\"signature.asc\"\n"
        "\n"
        "-----BEGIN PGP SIGNATURE-----\n"
        "-----END PGP SIGNATURE-----\n"
        "--sig--\n";
    const ParsedMessage m = parseMessage(message);
    QCOMPARE(m.plainText, u"signed text"_qs);
    QVERIFY2(m.attachments.isEmpty(), "a signature is not an attachment a user would look for");
}

void TestMimeDecoder::parseMessageShapes_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("plainText");
    QTest::addColumn<QString>("htmlText");
    QTest::addColumn<QStringList>("attachments"); // "name|type|size"

    QTest::newRow("LF only, no MIME") << QByteArray("Subject: s\n\nline 1\nline 2\n") << u"s"_qs
                                      << u"line 1\nline 2\n"_qs << QString() << QStringList();
    QTest::newRow("mbox From line") << QByteArray("From a@b Mon Jan  1 00:00:00 2024\nSubject: s\n\nbody\n")
                                    << u"s"_qs << u"body\n"_qs << QString() << QStringList();
    QTest::newRow("leading line of spaces")
        << QByteArray("      \nSubject: s\nContent-Type: text/plain\n\nbody\n") << u"s"_qs << u"body\n"_qs
        << QString() << QStringList();
    QTest::newRow("html only") << QByteArray("Subject: h\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<b>x</b>\r\n")
                               << u"h"_qs << QString() << u"<b>x</b>\n"_qs << QStringList();
    QTest::newRow("single-part attachment")
        << QByteArray("Subject: a\r\nContent-Type: application/octet-stream\r\n"
                      "Content-Disposition: attachment; filename=data.bin\r\n"
                      "Content-Transfer-Encoding: base64\r\n\r\nAAECAw==\r\n")
        << u"a"_qs << QString() << QString() << QStringList{u"data.bin|application/octet-stream|4"_qs};
    QTest::newRow("attached message named after its subject")
        << QByteArray("Subject: outer\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
                      "Content-Type: text/plain\n\nsee attached\n--b\nContent-Type: message/rfc822\n\n"
                      "Subject: Fwd: 34Mbit/s\n\ninner text\n--b--\n")
        << u"outer"_qs << u"see attached"_qs << QString() << QStringList{u"Fwd: 34Mbit-s.eml|message/rfc822|34"_qs};
    QTest::newRow("quoted-printable with bogus charset")
        << QByteArray("Subject: q\nContent-Type: text/plain; charset=unknown-8bit\n"
                      "Content-Transfer-Encoding: quoted-printable\n\nna=EFve caf=C3=A9=\n!\n")
        << u"q"_qs << u"naïve café!\n"_qs << QString() << QStringList();
}

void TestMimeDecoder::parseMessageShapes()
{
    QFETCH(QByteArray, message);
    QFETCH(QString, subject);
    QFETCH(QString, plainText);
    QFETCH(QString, htmlText);
    QFETCH(QStringList, attachments);
    const ParsedMessage m = parseMessage(message);
    QCOMPARE(m.headers.subject, subject);
    QCOMPARE(m.plainText, plainText);
    QCOMPARE(m.htmlText, htmlText);
    QStringList actual;
    for (const auto &a : m.attachments)
        actual.append(a.fileName + QLatin1Char('|') + a.mimeType + QLatin1Char('|') + QString::number(a.size));
    QCOMPARE(actual, attachments);
}

void TestMimeDecoder::parseMessageMalformed_data()
{
    QTest::addColumn<QByteArray>("message");

    QTest::newRow("empty") << QByteArray();
    QTest::newRow("NULs") << QByteArray(64, '\0');
    QByteArray noise(20000, '\0');
    quint32 x = 12345;
    for (char &c : noise) {
        x = x * 1103515245u + 12345u;
        c = char(x >> 16);
    }
    QTest::newRow("noise") << noise;
    QTest::newRow("headers only") << QByteArray("Subject: x\r\nFrom: a@b");
    QTest::newRow("From line only") << QByteArray("From ");
    QTest::newRow("missing boundary")
        << QByteArray("Content-Type: multipart/mixed\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nbody\r\n");
    QTest::newRow("unterminated multipart")
        << QByteArray("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nbo");
    QTest::newRow("bad base64")
        << QByteArray("Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!====abc\r\n");
    QByteArray deep;
    for (int i = 0; i < 200; ++i)
        deep += "Content-Type: multipart/mixed; boundary=b" + QByteArray::number(i) + "\r\n\r\n--b"
            + QByteArray::number(i) + "\r\n";
    deep += "Content-Type: text/plain\r\n\r\ndeep\r\n";
    QTest::newRow("200 levels deep") << deep;
    QTest::newRow("one huge line") << QByteArray("Subject: ") + QByteArray(1 << 20, 'x');
    QTest::newRow("unterminated encoded-words")
        << QByteArray("Subject: ") + QByteArray("=?a?q?").repeated(200000) + "\r\nFrom: " + QByteArray("=?a?q?").repeated(200000);
    QTest::newRow("huge header count") << QByteArray("X-A: b\r\n").repeated(50000) + "\r\nbody";
}

void TestMimeDecoder::parseMessageMalformed()
{
    QFETCH(QByteArray, message);
    const ParsedMessage m = parseMessage(message);
    QVERIFY(isValidMessage(m));
    QVERIFY(isValidHeaders(parseHeaders(message)));
}

// ---------------------------------------------------------------------------
// The corpus

void TestMimeDecoder::corpusMimeTorture()
{
    REQUIRE_CORPUS();
    QElapsedTimer timer;
    timer.start();
    const QString root = m_unpacked.filePath(QStringLiteral("mime-torture"));
    QVERIFY(QFileInfo(root).isDir());
    int files = 0, withFrom = 0, withDate = 0, withText = 0, fromHeaders = 0, dateHeaders = 0;
    const QRegularExpression fromHeader(QStringLiteral("^from:\\s*\\S"),
                                        QRegularExpression::CaseInsensitiveOption
                                            | QRegularExpression::MultilineOption);
    const QRegularExpression dateHeader(QStringLiteral("^date:\\s*\\S"),
                                        QRegularExpression::CaseInsensitiveOption
                                            | QRegularExpression::MultilineOption);
    QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QByteArray data = readFile(path);
        const QString rawHeaders = QString::fromLatin1(headerBlockOf(data));
        if (rawHeaders.contains(fromHeader)) {
            ++fromHeaders;
            QVERIFY2(!parseMessage(data).headers.from.isEmpty(), qPrintable(path + u": From: lost"_qs));
        }
        dateHeaders += rawHeaders.contains(dateHeader);
        const ParsedMessage m = parseMessage(data);
        const HeaderInfo h = parseHeaders(headerBlockOf(data));
        QVERIFY2(isValidMessage(m), qPrintable(path));
        QVERIFY2(isValidHeaders(h), qPrintable(path));
        QVERIFY2(isValidText(Lookback::Mime::htmlToText(m.htmlText)), qPrintable(path));
        QVERIFY2(isValidText(Lookback::Mime::makeSnippet(m.plainText)), qPrintable(path));
        QVERIFY2(isValidText(Lookback::Mime::normalizedSubject(h.subject)), qPrintable(path));
        ++files;
        withFrom += !m.headers.from.isEmpty();
        withDate += m.headers.date.isValid();
        withText += !m.plainText.trimmed().isEmpty() || !m.htmlText.trimmed().isEmpty();
    }
    qInfo("mime-torture: %d files in %lld ms; from %d (of %d with From:), date %d (of %d with Date:), "
          "text %d",
          files, qint64(timer.elapsed()), withFrom, fromHeaders, withDate, dateHeaders, withText);
    QVERIFY2(files >= 550, "the mime-torture archive should hold about 555 files");
    // Every sender a header names is found (checked per file above); the few
    // dates missed are the deliberately broken ones ("59:10", "Pn, 29 paX").
    QVERIFY(withDate >= dateHeaders - 5);
    // These are torture tests, not mail; still, most of them are readable mail.
    QVERIFY(withText >= files * 8 / 10);
}

void TestMimeDecoder::corpusCygwin()
{
    REQUIRE_CORPUS();
    QElapsedTimer timer;
    timer.start();
    const QDir cur(m_unpacked.filePath(QStringLiteral("maildir/cur")));
    const QStringList names = cur.entryList(QDir::Files, QDir::Name);
    QVERIFY2(names.size() >= 15000, "the cygwin archive should hold 15,304 messages");

    int withId = 0, withDate = 0, withFrom = 0, withSubject = 0, withText = 0, undecoded = 0,
        headerMismatch = 0, withAttachments = 0, attachments = 0, namedAttachments = 0,
        plausibleDate = 0;
    QSet<QString> ids;
    for (const QString &name : names) {
        const QByteArray data = readFile(cur.filePath(name));
        const ParsedMessage m = parseMessage(data);
        const HeaderInfo h = parseHeaders(headerBlockOf(data));
        QVERIFY2(isValidMessage(m), qPrintable(name));
        QVERIFY2(isValidHeaders(h), qPrintable(name));
        const QString snippet = Lookback::Mime::makeSnippet(
            m.plainText.isEmpty() ? Lookback::Mime::htmlToText(m.htmlText) : m.plainText);
        QVERIFY2(isValidText(snippet) && snippet.size() <= 200, qPrintable(name));
        QVERIFY2(isValidText(Lookback::Mime::normalizedSubject(h.subject)), qPrintable(name));

        headerMismatch += h.subject != m.headers.subject || h.messageId != m.headers.messageId
            || h.date != m.headers.date;
        withId += !h.messageId.isEmpty();
        if (!h.messageId.isEmpty())
            ids.insert(h.messageId);
        withDate += h.date.isValid();
        plausibleDate += h.date.isValid() && h.date.date().year() >= 1999 && h.date.date().year() <= 2027;
        withFrom += !h.from.isEmpty() && !h.from.first().email.isEmpty();
        withSubject += !h.subject.isEmpty();
        undecoded += h.subject.contains(QLatin1String("=?"));
        withText += !snippet.isEmpty();
        withAttachments += !m.attachments.isEmpty();
        attachments += m.attachments.size();
        namedAttachments += std::count_if(m.attachments.begin(), m.attachments.end(),
                                          [](const auto &a) { return !a.fileName.isEmpty(); });
    }
    const int n = names.size();
    qInfo("cygwin: %d messages in %lld ms; message-id %d (%d distinct), date %d (plausible %d), "
          "from %d, subject %d, undecoded subjects %d, text %d, with attachments %d, attachments %d "
          "(named %d)",
          n, qint64(timer.elapsed()), withId, int(ids.size()), withDate, plausibleDate, withFrom,
          withSubject, undecoded, withText, withAttachments, attachments, namedAttachments);

    QCOMPARE(headerMismatch, 0);
    QVERIFY2(withId >= n * 99 / 100, "≥ 99% of messages must have a Message-ID");
    QVERIFY2(withDate >= n * 99 / 100, "≥ 99% of messages must have a valid date");
    QVERIFY2(plausibleDate >= n * 99 / 100, "dates must fall within the archive's years");
    QVERIFY2(withFrom >= n * 99 / 100, "≥ 99% of messages must have a sender address");
    QVERIFY2(withText >= n * 98 / 100, "≥ 98% of messages must give a snippet");
    // public-inbox counts 15,116 unique Message-IDs in this archive: threading sees the same.
    QCOMPARE(int(ids.size()), 15116);
    QVERIFY2(undecoded <= 2, "encoded-words left in subjects");
    // The README counts 3,357 named parts; about 940 of them are PGP signatures,
    // which are not listed as attachments.
    QVERIFY2(attachments >= 2500, qPrintable(QString::number(attachments)));
    QVERIFY(namedAttachments >= attachments * 9 / 10);
}

void TestMimeDecoder::corpusKnownMessages_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("messageId");
    QTest::addColumn<QDateTime>("date");
    QTest::addColumn<QString>("textContains");

    QTest::newRow("cygwin utf-8 Q words with en dash")
        << u"maildir/cur/008391.933c81621e72:2,S"_qs
        << u"Console requested reports – Re: [ANNOUNCEMENT] TEST RELEASE: Cygwin 2.5.0-0.6"_qs
        << u"56E80B4B.5040106@towo.net"_qs << utc(2016, 3, 15, 13, 17) << QString();
    QTest::newRow("cygwin us-ascii Q words across a fold")
        << u"maildir/cur/013655.b48f99af9108:2,S"_qs
        << u"Re: [PATCH] Cygwin: fork: Call pthread::atforkchild () after other initializations"_qs
        << u"C262E1A5-1B14-4D38-AE47-2EC7709DB6D1@gmx.de"_qs << utc(2025, 4, 4, 5, 27, 9) << QString();
    QTest::newRow("cygwin windows-1252")
        << u"maildir/cur/014380.905d373e0865:2,S"_qs << u"K–12 Decision Makers Contacts"_qs
        << u"PN1P287MB2631D29F0835724250A6DCECFCFAA@PN1P287MB2631.INDP287.PROD.OUTLOOK.COM"_qs
        << utc(2025, 10, 29, 12, 11, 30) << QString();
    QTest::newRow("cygwin iso-8859-1 word in plain text")
        << u"maildir/cur/005369.63fb7e577edc:2,S"_qs
        << u"[PATCH]: \"decorate\" gcc extensions with __extension__"_qs
        << u"20050327065657.21624.qmail@gawab.com"_qs << utc(2005, 3, 27, 6, 58) << QString();
    QTest::newRow("cygwin koi8-r body")
        << u"maildir/cur/012361.6c5edb462a3f:2,S"_qs << u"Checking"_qs << QString() << QDateTime()
        << u"iпt'l business proposaI"_qs;
    QTest::newRow("mimekit iso-2022-jp subject and body")
        << u"mime-torture/mimekit/UnitTests/TestData/messages/japanese.txt"_qs
        << u"日本語メールテスト (testing Japanese emails)"_qs
        << u"55AE6D15.4010805@veritas-vos-liberabit.com"_qs << utc(2015, 7, 21, 16, 2, 29)
        << u"日本語が\n正常に\n送れているか\nテスト."_qs;
    QTest::newRow("zbateson utf-7 Q word")
        << u"mime-torture/zbateson-mail-mime-parser/tests/_data/emails/m0006.txt"_qs
        << u"Die Hasen und die Frösche (Microsoft Outlook 00)"_qs
        << u"NDBBIAKOPKHFGPLCODIGMEKCCHAA.doug@example.com"_qs << utc(2000, 5, 17, 23, 18, 39) << QString();
    QTest::newRow("ruby-mail euc-kr")
        << u"mime-torture/ruby-mail/spec/fixtures/emails/plain_emails/raw_email.eml"_qs
        << u"NOTE: 한국말로 하는 것"_qs << u"d3b8cf8e49f04480850c28713a1f473e@37signals.com"_qs
        << utc(2005, 5, 2, 22, 7, 5) << QString();
    QTest::newRow("php-mime-mail-parser iso-8859-8-i")
        << u"mime-torture/php-mime-mail-parser/tests/mails/issue149"_qs
        << u"מענה 'אני לא נמצא': Invoice 02722027"_qs << QString() << QDateTime() << QString();
}

void TestMimeDecoder::corpusKnownMessages()
{
    REQUIRE_CORPUS();
    QFETCH(QString, path);
    QFETCH(QString, subject);
    QFETCH(QString, messageId);
    QFETCH(QDateTime, date);
    QFETCH(QString, textContains);

    const QByteArray data = readFile(m_unpacked.filePath(path));
    QVERIFY2(!data.isEmpty(), qPrintable(path));
    const ParsedMessage m = parseMessage(data);
    QCOMPARE(m.headers.subject, subject);
    QCOMPARE(parseHeaders(headerBlockOf(data)).subject, subject);
    if (!messageId.isEmpty())
        QCOMPARE(m.headers.messageId, messageId);
    if (date.isValid())
        QCOMPARE(m.headers.date, date);
    if (!textContains.isEmpty())
        QVERIFY2(m.plainText.contains(textContains), qPrintable(m.plainText.left(300)));
}

void TestMimeDecoder::concurrentParsing()
{
    REQUIRE_CORPUS();
    // Each connection parses on its own thread: results must not depend on it.
    QVector<QByteArray> messages;
    const QDir cur(m_unpacked.filePath(QStringLiteral("maildir/cur")));
    const QStringList names = cur.entryList(QDir::Files, QDir::Name);
    for (int i = 0; i < names.size() && messages.size() < 1500; i += 10)
        messages.append(readFile(cur.filePath(names[i])));
    QDirIterator it(m_unpacked.filePath(QStringLiteral("mime-torture")), QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        messages.append(readFile(it.next()));

    QStringList expected;
    for (const QByteArray &data : messages)
        expected.append(fingerprint(parseMessage(data)));

    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int k = 0; k < messages.size(); ++k) {
                const int i = (k + t * 397) % messages.size(); // different order per thread
                if (fingerprint(parseMessage(messages[i])) != expected[i])
                    ++mismatches;
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    QCOMPARE(mismatches.load(), 0);
}

QTEST_GUILESS_MAIN(TestMimeDecoder)
#include "tst_mimedecoder.moc"
