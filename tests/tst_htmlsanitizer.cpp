// sanitizeHtml(): mail HTML made safe for the message view's QTextDocument.
// What must go (scripts, handlers, forms, anything that loads), what must
// stay (text, web links), and what the message view is told about it.

#include "message/htmlsanitizer.h"

#include <QRegularExpression>
#include <QStringList>
#include <QTest>

using namespace Lookback;

class TestHtmlSanitizer : public QObject
{
    Q_OBJECT

private slots:
    void sanitizer_data();
    void sanitizer();
    void unknownAttributesDropped_data();
    void unknownAttributesDropped();
    void unbalancedQuotes_data();
    void unbalancedQuotes();
    void entitiesDecodedBeforeChecks_data();
    void entitiesDecodedBeforeChecks();
    void uncAndNetworkPaths_data();
    void uncAndNetworkPaths();
    void styleUrlOnlyCid_data();
    void styleUrlOnlyCid();
    void malformedMarkup_data();
    void malformedMarkup();
    void sanitizerNoticesColours_data();
    void sanitizerNoticesColours();
};

namespace {

void addColumns()
{
    QTest::addColumn<QString>("html");
    QTest::addColumn<QStringList>("absent");
    QTest::addColumn<QStringList>("present");
    QTest::addColumn<bool>("remote");
}

// Every row: what must be gone, what must stay, whether the view is told of
// remote content; and whatever the input, no image, background or url() in
// the output points anywhere but at one of the message's own parts (cid:).
void checkSanitized()
{
    QFETCH(QString, html);
    QFETCH(QStringList, absent);
    QFETCH(QStringList, present);
    QFETCH(bool, remote);
    const SanitizedHtml clean = sanitizeHtml(html);
    for (const QString &s : absent)
        QVERIFY2(!clean.html.contains(s, Qt::CaseInsensitive), qPrintable(s + QStringLiteral(" in ") + clean.html));
    for (const QString &s : present)
        QVERIFY2(clean.html.contains(s), qPrintable(s + QStringLiteral(" not in ") + clean.html));
    QCOMPARE(clean.remoteContent, remote);
    // Read again, the output is the same: what the view's document reads is
    // what was checked.
    QCOMPARE(sanitizeHtml(clean.html).html, clean.html);

    static const QRegularExpression resource(QStringLiteral("\\b(?:src|source|background)\\s*=\\s*([\"']?)([^\"'\\s>]*)"),
                                             QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression cssUrl(QStringLiteral("url\\s*\\(\\s*[\"']?\\s*([^\"')\\s]*)"),
                                           QRegularExpression::CaseInsensitiveOption);
    for (const QRegularExpression &re : {resource, cssUrl}) {
        auto it = re.globalMatch(clean.html);
        while (it.hasNext()) {
            const QString target = it.next().captured(re.captureCount());
            QVERIFY2(target.startsWith(QLatin1String("cid:"), Qt::CaseInsensitive),
                     qPrintable(QStringLiteral("%1 kept in %2").arg(target, clean.html)));
        }
    }
}

} // namespace

void TestHtmlSanitizer::sanitizer_data()
{
    addColumns();

    QTest::newRow("script") << "<p>Hi</p><script>alert(1)</script><p>there</p>"
                            << QStringList{"alert", "<script"} << QStringList{"Hi", "there"} << false;
    QTest::newRow("unclosed script") << "<p>Hi</p><SCRIPT type=x>alert(1)" << QStringList{"alert"} << QStringList{"Hi"} << false;
    QTest::newRow("self-closed script") << "<p>Hi</p><script src=x />alert(2)</script>ok"
                                        << QStringList{"alert", "src"} << QStringList{"Hi", "ok"} << false;
    QTest::newRow("style") << "<style>p{color:red}</style><p>x</p>" << QStringList{"color:red", "<style"} << QStringList{"<p>x</p>"} << false;
    QTest::newRow("iframe object embed") << "<iframe src=a>in</iframe><object data=b>ob</object><embed src=c>t"
                                         << QStringList{"iframe", "object", "embed", "in<", "ob"} << QStringList{"t"} << false;
    QTest::newRow("form") << "<form action=https://e.x/p><input name=q value=v><button>Go</button></form>"
                          << QStringList{"<form", "<input", "action", "<button"} << QStringList{"Go"} << false;
    QTest::newRow("event handlers") << "<p onclick=\"evil()\" ONMOUSEOVER='x()' onload=y() class=a>t</p>"
                                    << QStringList{"evil", "x()", "y()", "onclick", "ONMOUSEOVER"} << QStringList{">t</p>", "class=\"a\""} << false;
    QTest::newRow("javascript link") << "<a href=\"javascript:alert(1)\">a</a><a href='&#106;avascript:alert(2)'>b</a>"
                                        "<a href=\" java\tscript:alert(3)\">c</a><a href=vbscript:x>d</a>"
                                     << QStringList{"alert", "vbscript", "href"} << QStringList{">a</a>", ">b</a>"} << false;
    QTest::newRow("web link kept") << "<a href=\"https://example.org/read?a=1&amp;b=2\">Read</a><a href=\"#top\">t</a>"
                                   << QStringList{} << QStringList{"href=\"https://example.org/read?a=1&amp;b=2\"", "href=\"#top\""} << false;
    // Never loaded by the view, but the view's document is asked for nothing it need not be.
    QTest::newRow("tracking pixel") << "<img src=\"http://tracker.example/p.gif\" width=1>"
                                    << QStringList{"tracker.example"} << QStringList{"<img", "width=\"1\""} << true;
    QTest::newRow("protocol-relative image") << "<img src=\"//tracker.example/p.gif\">"
                                             << QStringList{"tracker.example"} << QStringList{"<img"} << true;
    QTest::newRow("local file image") << "<img src=\"file:///etc/passwd\"><img src=\"../../.ssh/id_rsa\"><img src=/dev/zero>"
                                      << QStringList{"passwd", "id_rsa", "/dev/zero"} << QStringList{"<img"} << false;
    QTest::newRow("data image") << "<img src=\"data:image/png;base64,AAAA\">" << QStringList{"data:"} << QStringList{"<img"} << false;
    QTest::newRow("css url") << "<div style=\"background: url(http://t.example/x.png); color: #333\">x</div>"
                             << QStringList{"t.example"} << QStringList{"color: #333"} << true;
    QTest::newRow("background attribute") << "<body background=\"https://t.example/bg.png\">x</body>"
                                          << QStringList{} << QStringList{"x"} << true;
    QTest::newRow("meta refresh, base, link") << "<meta http-equiv=refresh content=\"0;url=http://evil\"><base href=file:///>"
                                                 "<link rel=stylesheet href=http://evil/s.css>x"
                                              << QStringList{"refresh", "evil", "<base", "<link"} << QStringList{"x"} << false;
    QTest::newRow("comments") << "a<!-- <script>alert(1)</script> -->b" << QStringList{"alert", "<!--"} << QStringList{"a", "b"} << false;
    QTest::newRow("gt in attribute") << "<p title=\"a>b\" onclick=\"z()\">t</p>" << QStringList{"z()"} << QStringList{"title=\"a&gt;b\""} << false;
}

void TestHtmlSanitizer::sanitizer()
{
    checkSanitized();
}

void TestHtmlSanitizer::unknownAttributesDropped_data()
{
    // An allow-list: QTextDocument reads <img source=...> as src, and who
    // knows what else in a later Qt.
    addColumns();
    QTest::newRow("img source") << "<img source=\"/some/file.png\">" << QStringList{"source", "/some/file.png"}
                                << QStringList{"<img>"} << false;
    QTest::newRow("other image attributes")
        << "<img lowsrc=/a.png dynsrc=/b.avi srcset=\"/c.png 2x\" poster=/d.png longdesc=/e usemap=#m data-src=/f.png alt=\"A\">"
        << QStringList{"lowsrc", "dynsrc", "srcset", "poster", "longdesc", "usemap", "data-src", ".png"}
        << QStringList{"<img alt=\"A\">"} << false;
    QTest::newRow("made-up and namespaced") << "<p xmlns:v=\"urn:x\" v:src=\"/a.png\" formaction=/x foo=bar>t</p>"
                                            << QStringList{"xmlns", "v:src", "formaction", "foo", "/a.png"}
                                            << QStringList{"<p>t</p>"} << false;
    QTest::newRow("known attributes kept")
        << "<table border=1 cellpadding=2 width=\"100%\"><tr><td colspan=2 align=right valign=top nowrap>x</td></tr></table>"
        << QStringList{}
        << QStringList{"border=\"1\"", "cellpadding=\"2\"", "width=\"100%\"", "colspan=\"2\"", "align=\"right\"",
                       "valign=\"top\"", "nowrap"}
        << false;
    QTest::newRow("event handlers however written")
        << "<p/onclick=\"x()\">a</p><img src=cid:a onerror=alert(1)><b ONmouseover = y()>b</b><i\tonfocus\n=z()>c</i>"
        << QStringList{"onclick", "onerror", "alert", "onmouseover", "y()", "onfocus", "z()"}
        << QStringList{"<img src=\"cid:a\">"} << false;
    QTest::newRow("first of duplicates") << "<img src=\"cid:a\" src=\"/etc/passwd\">" << QStringList{"passwd"}
                                         << QStringList{"src=\"cid:a\""} << false;
}

void TestHtmlSanitizer::unknownAttributesDropped()
{
    checkSanitized();
}

void TestHtmlSanitizer::unbalancedQuotes_data()
{
    // QTextDocument reads an unclosed quote to the end of the text and still
    // makes an image of the tag: such a tag is dropped with what follows it.
    addColumns();
    QTest::newRow("single quote") << "<p>ok</p><img src=file:///some/file.png alt='x>" << QStringList{"file:", "/some/file.png", "<img"}
                                  << QStringList{"<p>ok</p>"} << false;
    QTest::newRow("double quote") << "<p>ok</p><img src=\"/some/file.png>text" << QStringList{"/some/file.png", "<img"}
                                  << QStringList{"<p>ok</p>"} << false;
    QTest::newRow("other quotes inside a value") << "<p title='a>b\" onclick=\"x()'>t</p>"
                                           << QStringList{"onclick=\"", "<p title=\"a>"} << QStringList{"&quot; onclick=&quot;x()\""} << false;
    QTest::newRow("quote in an unquoted value") << "<img src=cid:a\"b alt=x onerror=y()>" << QStringList{"onerror", "y()"}
                                                << QStringList{"<img"} << false;
    QTest::newRow("quote opens a style") << "<div style='background:url(/some/file.png)>x</div><p>after</p>"
                                         << QStringList{"/some/file.png", "url("} << QStringList{} << false;
}

void TestHtmlSanitizer::unbalancedQuotes()
{
    checkSanitized();
}

void TestHtmlSanitizer::entitiesDecodedBeforeChecks_data()
{
    // QTextDocument decodes character references in attribute values before
    // its CSS parser or its loader sees them, so the checks must too.
    addColumns();
    QTest::newRow("decimal u in url()") << "<div style=\"background-image:&#117;rl(/some/file.png)\">x</div>"
                                        << QStringList{"/some/file.png", "rl("} << QStringList{">x</div>"} << false;
    QTest::newRow("hex url()") << "<div style=\"background:&#x75;&#x52;&#x6C;&#x28;/a.png&#x29;\">x</div>"
                               << QStringList{"/a.png", "&#x"} << QStringList{">x</div>"} << false;
    QTest::newRow("without semicolons") << "<div style=\"background:&#117rl(/a.png)\">x</div>" << QStringList{"/a.png"}
                                        << QStringList{">x</div>"} << false;
    QTest::newRow("expression()") << "<p style=\"width:ex&#112;ression(alert(1)); color:red\">x</p>"
                                  << QStringList{"ression", "alert"} << QStringList{"color:red"} << false;
    QTest::newRow("javascript in href") << "<a href=\"jav&#x61;script&colon;alert(1)\">a</a><a href=\"&#0000106avascript:x\">b</a>"
                                        << QStringList{"href", "script", "alert"} << QStringList{">a</a>", ">b</a>"} << false;
    QTest::newRow("entity in src") << "<img src=\"&#102;ile:///etc/passwd\"><img src=\"&#99;id:ok@x\">"
                                   << QStringList{"passwd", "&#"} << QStringList{"src=\"cid:ok@x\""} << false;
    QTest::newRow("named entities survive") << "<a href=\"https://x.org/?a=1&amp;b=2&quot;c\" title=\"&lt;Tom &amp; Jerry&gt;\">l</a>"
                                            << QStringList{}
                                            << QStringList{"href=\"https://x.org/?a=1&amp;b=2&quot;c\"",
                                                           "title=\"&lt;Tom &amp; Jerry&gt;\""}
                                            << false;
}

void TestHtmlSanitizer::entitiesDecodedBeforeChecks()
{
    checkSanitized();
}

void TestHtmlSanitizer::uncAndNetworkPaths_data()
{
    // On Windows, opening \\host\share (or //host/share, or file://host/share)
    // sends the user's credentials to that host.
    addColumns();
    QTest::newRow("UNC image") << "<img src=\"\\\\host\\share\\x.png\">" << QStringList{"host", "share"} << QStringList{"<img>"} << true;
    QTest::newRow("UNC unquoted") << "<img src=\\\\host\\share\\x.png>" << QStringList{"host", "share"} << QStringList{"<img>"} << true;
    QTest::newRow("slashes") << "<img src=\"//host/share/x.png\">" << QStringList{"host"} << QStringList{"<img>"} << true;
    QTest::newRow("mixed slashes") << "<img src=\"\\/host/share/x.png\">" << QStringList{"host"} << QStringList{"<img>"} << true;
    QTest::newRow("file://host") << "<img src=\"file://host/share/x.png\">" << QStringList{"host"} << QStringList{"<img>"} << false;
    QTest::newRow("UNC background") << "<table background=\"\\\\host\\x.png\"><tr><td>x</td></tr></table>"
                                    << QStringList{"host"} << QStringList{"<table>"} << true;
    QTest::newRow("UNC in css") << "<div style=\"background:url(\\\\host\\x.png)\">x</div>" << QStringList{"host"}
                                << QStringList{">x</div>"} << true;
    QTest::newRow("UNC links") << "<a href=\"\\\\host\\share\\doc\">a</a><a href=\"file://host/share/doc\">b</a>"
                                  "<a href=\"//host/share\">c</a>"
                               << QStringList{"host", "href"} << QStringList{">a</a>", ">b</a>", ">c</a>"} << false;
}

void TestHtmlSanitizer::uncAndNetworkPaths()
{
    checkSanitized();
}

void TestHtmlSanitizer::styleUrlOnlyCid_data()
{
    addColumns();
    QTest::newRow("cid kept") << "<div style=\"background-image: url(cid:bg@example.org)\">x</div>" << QStringList{}
                              << QStringList{"url(cid:bg@example.org)"} << false;
    QTest::newRow("quoted cid kept") << "<div style=\"background-image: url('cid:bg@example.org')\">x</div>" << QStringList{}
                                     << QStringList{"url('cid:bg@example.org')"} << false;
    QTest::newRow("local") << "<div style=\"background: url('/a.png'); color: #333\">x</div>" << QStringList{"/a.png", "url("}
                           << QStringList{"color: #333"} << false;
    QTest::newRow("data") << "<div style=\"background:URL(data:image/png;base64,AAAA)\">x</div>" << QStringList{"data:", "url("}
                          << QStringList{">x</div>"} << false;
    QTest::newRow("remote") << "<div style=\"background:url( 'https://t.example/x.png' )\">x</div>"
                            << QStringList{"t.example", "url("} << QStringList{">x</div>"} << true;
    QTest::newRow("cid, then another") << "<div style=\"background:url(cid:a), url(/b.png)\">x</div>" << QStringList{"/b.png", "url("}
                                       << QStringList{">x</div>"} << false;
    QTest::newRow("css escape") << "<div style=\"background-image:\\75rl(/some/file.png)\">x</div>"
                                << QStringList{"/some/file.png"} << QStringList{">x</div>"} << false;
    QTest::newRow("comment inside") << "<div style=\"background-image:u/**/rl(/a.png); background:url/**/(/b.png)\">x</div>"
                                    << QStringList{"/a.png", "/b.png"} << QStringList{">x</div>"} << false;
    QTest::newRow("other functions") << "<div style=\"background-image:image-set('/a.png' 1x); behavior:url(x.htc); "
                                        "-moz-binding:url(x.xml); color: rgb(1, 2, 3)\">x</div>"
                                     << QStringList{"image-set", "/a.png", "behavior", "binding"} << QStringList{"color: rgb(1, 2, 3)"} << false;
    QTest::newRow("import") << "<div style=\"@import '/a.css'; color: red\">x</div>" << QStringList{"import", "/a.css"}
                            << QStringList{"color: red"} << false;
}

void TestHtmlSanitizer::styleUrlOnlyCid()
{
    checkSanitized();
}

void TestHtmlSanitizer::malformedMarkup_data()
{
    // Whatever does not parse as a tag becomes text; removing one thing never
    // makes another.
    addColumns();
    QTest::newRow("less-than in text") << "a < b and c<d, 1<2" << QStringList{"<d", "<2"}
                                       << QStringList{"a &lt; b and c&lt;d, 1&lt;2"} << false;
    QTest::newRow("tag made by a removal") << "<scr<style>x</style>ipt>alert(1)</script>" << QStringList{"<script", "<scr"}
                                           << QStringList{"&lt;scr"} << false;
    QTest::newRow("nested comment trick") << "<!-- a --!><img src=/a.png>--><p>x</p>" << QStringList{"/a.png"}
                                          << QStringList{"<p>x</p>"} << false;
    QTest::newRow("doctype, xml, cdata") << "<!DOCTYPE html><?xml version=\"1.0\"?><![CDATA[<img src=/a.png>]]><p>x</p>"
                                         << QStringList{"DOCTYPE", "?xml", "CDATA", "/a.png"} << QStringList{"<p>x</p>"} << false;
    QTest::newRow("end tag with attributes") << "<p>x</p onclick=y()>" << QStringList{"onclick"} << QStringList{"<p>x</p>"} << false;
    QTest::newRow("unterminated tag at the end") << "<p>x</p><img src=cid:a" << QStringList{"<img"} << QStringList{"<p>x</p>"}
                                                 << false;
    // Characters outside the BMP are surrogate pairs; a lone surrogate is not
    // valid UTF-16, and code that rejects it must not skip a check.
    QTest::newRow("astral characters after a reference")
        << QStringLiteral("a &gt; b %1").arg(QString::fromUtf8("\xf0\x9f\x98\x80").repeated(30)) << QStringList{"&amp;gt;"}
        << QStringList{"a &gt; b"} << false;
    QTest::newRow("control characters in a value")
        << QStringLiteral("<p style=\"color: red; background: %1\" title=\"a%2b\">x</p>").arg(QChar(1), QChar(0x7f))
        << QStringList{QString(QChar(1)), QString(QChar(0x7f))} << QStringList{"title=\"ab\""} << false;
    QTest::newRow("lone surrogate in a style")
        << QStringLiteral("<div style=\"color:red; background:url(/a.png)%1\">x</div>").arg(QChar(0xd800))
        << QStringList{"/a.png"} << QStringList{"style=\"color:red\""} << false;
    QTest::newRow("title and head text") << "<html><head><title>Secret title</title></head><body>x</body></html>"
                                         << QStringList{"Secret title"} << QStringList{"x"} << false;
}

void TestHtmlSanitizer::malformedMarkup()
{
    checkSanitized();
}

void TestHtmlSanitizer::sanitizerNoticesColours_data()
{
    QTest::addColumn<QString>("html");
    QTest::addColumn<bool>("colours");
    QTest::newRow("plain") << "<p><b>Hi</b> <a href=https://x.org>x</a></p>" << false;
    QTest::newRow("font color") << "<font color=\"#333\">Hi</font>" << true;
    QTest::newRow("bgcolor") << "<table bgcolor=white><tr><td>Hi</td></tr></table>" << true;
    QTest::newRow("css color") << "<p style=\"margin:0; color: #222\">Hi</p>" << true;
    QTest::newRow("css background") << "<div style=\"background-color:#fff\">Hi</div>" << true;
    QTest::newRow("colour only in a removed style block") << "<style>p{color:#000}</style><p>Hi</p>" << false;
}

void TestHtmlSanitizer::sanitizerNoticesColours()
{
    // Author-coloured HTML is shown on a light page in a dark palette.
    QFETCH(QString, html);
    QFETCH(bool, colours);
    QCOMPARE(sanitizeHtml(html).setsColours, colours);
}

QTEST_APPLESS_MAIN(TestHtmlSanitizer)
#include "tst_htmlsanitizer.moc"
