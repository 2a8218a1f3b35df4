#pragma once

#include <QString>

namespace Lookback {

// What sanitizeHtml() made of a message's HTML part.
struct SanitizedHtml
{
    QString html;
    // The HTML referred to remote images or backgrounds (http, https, //host
    // or \\host; tracking pixels among them). They were removed; the message
    // view says so.
    bool remoteContent = false;
    // The author chose colours of their own; such HTML was written for a
    // light page and is shown on one even in a dark palette.
    bool setsColours = false;
};

// Makes mail HTML safe to hand to a QTextDocument. The message view's
// document loads nothing (ui/archive/messagedocument.h); this is the second
// wall, and it holds on its own:
// - The input is tokenised the way a browser would and the output is written
//   anew: only tags from an allow-list (the HTML subset QTextDocument
//   renders), only attributes from an allow-list, every value in double
//   quotes with & < > " escaped, every < or > in text escaped. So what was
//   checked is exactly what QTextDocument reads: character references in
//   values are decoded before any check, and a tag whose quote never closes
//   is dropped with the rest of the input, not passed through.
// - <script>, <style>, <title>, <iframe>, <object>, <applet>, <template>,
//   <svg>, <math> and a few more go with their content (an unclosed one hides
//   the rest, as in a browser); other tags not on the list go, their text stays.
// - Links (a href) only to http, https, mailto, cid or an in-page #anchor.
// - Images and backgrounds (img src, background) only to cid:, a part of the
//   message itself; anything else (http, file:, relative, qrc, data:, //host,
//   \\host) is dropped.
// - In style attributes, a declaration goes if it holds url() to anything but
//   cid:, any other function but rgb/rgba/hsl/hsla, a CSS escape or a
//   character reference left undecoded, or names an engine-specific property.
// Pure function, any thread.
SanitizedHtml sanitizeHtml(const QString &html);

} // namespace Lookback
