// libFuzzer target for the HTML sanitizer (core/message/htmlsanitizer.cpp): mail HTML
// is untrusted, so whatever bytes arrive, the sanitizer must not crash, hang, or read
// out of bounds (ASan/UBSan watch that), and its output must keep the promises the
// message view relies on. The output is read back here by a parser of its own, the way
// QTextDocument reads it (double-quoted values with their character references
// decoded); any broken promise is an abort(), which libFuzzer records as a crash:
// - every '<' opens a well-formed tag, every '>' closes one: text holds neither;
// - no <script>, <style>, <iframe>, <object> ... and no on* event handler attribute;
// - src=, source= and background= point at cid: only, as does every url() in a
//   style, which also holds no expression(), no CSS escape and no "javascript:";
// - sanitizing the output again changes nothing (so QTextDocument, which reads the
//   output, sees what the sanitizer checked).
//
// Built by tests/fuzz/CMakeLists.txt (lookback_add_fuzzer); `ctest -R fuzz_htmlsanitizer`
// builds it with clang and fuzzes for 20 s from tests/fuzz/corpus-htmlsanitizer.

#include "message/htmlsanitizer.h"

#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <utility>

using namespace Lookback;

namespace {

void fail(int line)
{
    std::fprintf(stderr, "fuzz_htmlsanitizer.cpp:%d: invariant broken\n", line);
    std::abort(); // libFuzzer records the input as a crash
}

#define check(condition) ((condition) ? void() : fail(__LINE__))

bool isLetter(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'));
}

// The four references the sanitizer writes into values; anything else with an & would
// be a reference it failed to escape.
QString decodeValue(QStringView value)
{
    QString out;
    for (qsizetype i = 0; i < value.size(); ++i) {
        if (value.at(i) != QLatin1Char('&')) {
            out += value.at(i);
            continue;
        }
        bool known = false;
        for (const auto &[entity, character] : {std::pair{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}}) {
            const QLatin1String name(entity);
            if (value.mid(i).startsWith(name)) {
                out += QLatin1Char(character);
                i += name.size() - 1;
                known = true;
                break;
            }
        }
        check(known);
    }
    return out;
}

// Lower case, white space and control characters gone, backslashes as slashes: the
// way a loader or the CSS parser might read a value.
QString squash(const QString &value)
{
    QString out;
    for (const QChar c : value) {
        if (c.isSpace() || c.unicode() < 0x20 || c.unicode() == 0x7f)
            continue;
        out += c == QLatin1Char('\\') ? QLatin1Char('/') : c.toLower();
    }
    return out;
}

void checkStyle(const QString &style)
{
    check(!style.contains(QLatin1Char('\\')));
    const QString css = squash(style);
    check(!css.contains(QLatin1String("expression(")));
    check(!css.contains(QLatin1String("javascript:")));
    check(!css.contains(QLatin1String("@import")));
    for (qsizetype at = css.indexOf(QLatin1String("url(")); at >= 0; at = css.indexOf(QLatin1String("url("), at + 1)) {
        QStringView target = QStringView(css).mid(at + 4);
        if (target.startsWith(QLatin1Char('\'')) || target.startsWith(QLatin1Char('"')))
            target = target.mid(1);
        check(target.startsWith(QLatin1String("cid:")));
    }
}

void checkAttribute(const QString &name, const QString &value)
{
    check(!name.isEmpty());
    for (const QChar c : name)
        check(isLetter(c) || c == QLatin1Char('-'));
    check(!name.startsWith(QLatin1String("on")));
    if (name == QLatin1String("src") || name == QLatin1String("source") || name == QLatin1String("background")
        || name == QLatin1String("srcset") || name == QLatin1String("lowsrc") || name == QLatin1String("dynsrc"))
        check(squash(value).startsWith(QLatin1String("cid:")));
    if (name == QLatin1String("style"))
        checkStyle(value);
    if (name == QLatin1String("href")) {
        const QString url = squash(value);
        check(!url.startsWith(QLatin1String("javascript:")) && !url.startsWith(QLatin1String("vbscript:"))
              && !url.startsWith(QLatin1String("data:")) && !url.startsWith(QLatin1String("file:"))
              && !url.startsWith(QLatin1String("//")));
    }
}

// Reads one tag of the output from its '<'; returns the index after its '>'.
qsizetype checkTag(QStringView html, qsizetype pos)
{
    const qsizetype n = html.size();
    qsizetype i = pos + 1;
    const bool endTag = i < n && html.at(i) == QLatin1Char('/');
    if (endTag)
        ++i;
    const qsizetype nameStart = i;
    while (i < n && (isLetter(html.at(i)) || (i > nameStart && html.at(i).isDigit())))
        ++i;
    check(i > nameStart && i < n);
    const QString name = html.mid(nameStart, i - nameStart).toString().toLower();
    for (const char *forbidden : {"script", "style", "iframe", "object", "embed", "applet", "link", "meta", "base",
                                  "form", "input", "frame", "frameset", "svg", "math", "template", "title"})
        check(name != QLatin1String(forbidden));
    if (endTag) {
        check(html.at(i) == QLatin1Char('>'));
        return i + 1;
    }
    while (true) {
        check(i < n);
        if (html.at(i) == QLatin1Char('>'))
            return i + 1;
        if (html.mid(i, 3) == QLatin1String(" />"))
            return i + 3;
        check(html.at(i) == QLatin1Char(' '));
        ++i;
        const qsizetype attributeStart = i;
        while (i < n && (isLetter(html.at(i)) || html.at(i) == QLatin1Char('-')))
            ++i;
        const QString attribute = html.mid(attributeStart, i - attributeStart).toString();
        QString value;
        if (i < n && html.at(i) == QLatin1Char('=')) {
            check(i + 1 < n && html.at(i + 1) == QLatin1Char('"'));
            const qsizetype close = html.indexOf(QLatin1Char('"'), i + 2);
            check(close > 0);
            const QStringView raw = html.mid(i + 2, close - i - 2);
            check(!raw.contains(QLatin1Char('<')) && !raw.contains(QLatin1Char('>')));
            value = decodeValue(raw);
            i = close + 1;
        }
        checkAttribute(attribute, value);
    }
}

void checkOutput(const QString &output)
{
    check(!output.contains(QLatin1String("<script"), Qt::CaseInsensitive));
    const QStringView html(output);
    qsizetype i = 0;
    while (i < html.size()) {
        const QChar c = html.at(i);
        check(c != QLatin1Char('>'));
        check(c.unicode() != 0);
        if (c == QLatin1Char('<'))
            i = checkTag(html, i);
        else
            ++i;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString input = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const SanitizedHtml clean = sanitizeHtml(input);
    checkOutput(clean.html);

    const SanitizedHtml again = sanitizeHtml(clean.html);
    check(again.html == clean.html);
    check(!again.remoteContent); // nothing remote survives to be noticed twice
    return 0;
}
