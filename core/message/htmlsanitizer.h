#pragma once

#include <QString>

namespace Lookback {

// What sanitizeHtml() made of a message's HTML part.
struct SanitizedHtml
{
    QString html;
    // The HTML referred to http(s) images or backgrounds (tracking pixels
    // among them). They stay referenced but SafeTextBrowser never loads them.
    bool remoteContent = false;
    // The author chose colours of their own; such HTML was written for a
    // light page and is shown on one even in a dark palette.
    bool setsColours = false;
};

// Makes mail HTML safe to hand to a QTextBrowser. QTextBrowser runs no
// scripts and SafeTextBrowser loads no resources; this is the second wall:
// - removes <script>, <style>, <iframe>, <object>, <applet>, <template>, <svg>,
//   <math> with their content, and the tags (not the text) of <embed>,
//   <form> and its controls, <link>, <meta>, <base>, <frame>, media elements;
// - removes every on* attribute and every link to javascript:, vbscript: or
//   any scheme other than http, https, mailto, cid or an in-page #anchor;
// - keeps an image or background only when it points at http(s) or cid:
//   (never loaded, see SafeTextBrowser); anything else (file:, relative
//   paths, data:, //host) is dropped, because QTextDocument itself would read
//   local files and decode data: URLs after the browser declined them;
// - removes url(...) from style attributes.
// Pure function, any thread.
SanitizedHtml sanitizeHtml(const QString &html);

} // namespace Lookback
