// sanitizeHtml(): mail HTML made safe for the message view's QTextDocument.
// What must go (scripts, handlers, forms, anything that loads), what must
// stay (text, web links), and what the message view is told about it.

#include "message/htmlsanitizer.h"

#include <QStringList>
#include <QTest>

using namespace Lookback;

class TestHtmlSanitizer : public QObject
{
    Q_OBJECT

private slots:
    void sanitizer_data();
    void sanitizer();
    void sanitizerNoticesColours_data();
    void sanitizerNoticesColours();
};

void TestHtmlSanitizer::sanitizer_data()
{
    QTest::addColumn<QString>("html");
    QTest::addColumn<QStringList>("absent");
    QTest::addColumn<QStringList>("present");
    QTest::addColumn<bool>("remote");

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
                                    << QStringList{"evil", "x()", "y()", "onclick", "ONMOUSEOVER"} << QStringList{">t</p>", "class=a"} << false;
    QTest::newRow("javascript link") << "<a href=\"javascript:alert(1)\">a</a><a href='&#106;avascript:alert(2)'>b</a>"
                                        "<a href=\" java\tscript:alert(3)\">c</a><a href=vbscript:x>d</a>"
                                     << QStringList{"alert", "vbscript", "href"} << QStringList{">a</a>", ">b</a>"} << false;
    QTest::newRow("web link kept") << "<a href=\"https://example.org/read?a=1&amp;b=2\">Read</a><a href=\"#top\">t</a>"
                                   << QStringList{} << QStringList{"href=\"https://example.org/read?a=1&amp;b=2\"", "href=\"#top\""} << false;
    QTest::newRow("tracking pixel") << "<img src=\"http://tracker.example/p.gif\" width=1>"
                                    << QStringList{} << QStringList{"http://tracker.example/p.gif"} << true;
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
    QTest::newRow("gt in attribute") << "<p title=\"a>b\" onclick=\"z()\">t</p>" << QStringList{"z()"} << QStringList{"title=\"a>b\""} << false;
}

void TestHtmlSanitizer::sanitizer()
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
