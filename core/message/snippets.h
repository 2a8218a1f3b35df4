#pragma once

#include <QString>

// What the message list shows and the threader compares: a one-line preview of
// the body and the subject without reply prefixes. Thread-safe free functions for
// hostile input, like all of core/message; Qt only, no GMime.
namespace Lookback::Mime {

// A one-line preview: the first meaningful text. Skips quoted lines ("> ...")
// and the attribution line that introduces them ("On ... wrote:"), stops at a
// signature ("-- ") or an Outlook/Gmail original-message separator once some text
// was found, collapses white space and cuts at a word boundary with "…". The
// result is at most maxChars characters. A message that is nothing but quotes
// gets a snippet of the quoted text.
QString makeSnippet(const QString &text, int maxChars = 200);

// The subject as the threader compares it. Strips any number of leading reply
// and forward prefixes (Re, Fwd, Fw, AW, WG, SV, VS, Antw, TR, Odp, Ynt, Rif,
// 回复, 转发 ..., also "Re[2]:", "RE :", full-width colon) wherever they appear
// among the leading tags, a trailing "(fwd)" and a "[Fwd: ...]" wrapper.
// Bracketed tags ("[cygwin]", "[PATCH v2]") are KEPT, because they are part of
// what makes two subjects the same thread ("[PATCH 1/3]" vs "[PATCH 2/3]"), but a
// tag repeated by a mailing list ("Re: [list] Re: [list] x") is kept once, so
// "[list] x", "Re: [list] x" and "[list] Re: x" all normalise to "[list] x".
// Case-folded, white space collapsed.
QString normalizedSubject(const QString &subject);

} // namespace Lookback::Mime
