#pragma once

#include <QString>

// HTML to plain text, for snippets and the search index (not for display: the
// archive browser shows sanitized HTML). A thread-safe free function for hostile
// input, like all of core/message; Qt only, no GMime.
namespace Lookback::Mime {

// HTML to plain text for snippets and the search index: drops <head>, <script>,
// <style>, <title>, comments and tags; decodes entities (named, &#123;, &#x1F600;;
// &nbsp; becomes a plain space, zero-width characters vanish); collapses white
// space; block elements become line breaks (paragraph-like ones a blank line),
// table cells are separated by a space; <pre> keeps its layout.
QString htmlToText(const QString &html);

} // namespace Lookback::Mime
