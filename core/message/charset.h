#pragma once

#include <QByteArray>
#include <QString>

// Bytes in a mail's declared charset to Unicode.
//
// The functions of core/message are free functions, no objects: they are called
// concurrently from every connection's worker thread and hold no state between
// calls (GMime is an implementation detail of the .cpp files; its one-time
// initialisation, ensureInitialized() in messageparser.h, is the only
// process-wide state). Every function accepts arbitrary, malformed or hostile
// bytes: it never crashes and always returns valid Unicode.
//
// Charset policy, used everywhere text is decoded: a known charset label is
// honoured (with the usual web-compatible supersets: iso-8859-1 is read as
// windows-1252, gb2312 as GB18030, ks_c_5601-1987 as CP949, shift_jis as CP932).
// An empty, unknown or bogus label ("binary", "unknown-8bit", "x-user-defined",
// "us-ascii" with 8-bit bytes) or a failed conversion (8-bit bytes that are valid
// UTF-8, more than 5% invalid sequences, 8-bit bytes under a 7-bit charset such
// as iso-2022-jp) falls back to UTF-8, byte sequence by byte sequence: valid
// UTF-8 is read as UTF-8 and every byte that is not part of a valid sequence is
// read as windows-1252. For input that is entirely valid UTF-8 that is plain
// UTF-8, for input with no valid multi-byte sequence it is plain windows-1252.
// A few invalid sequences in otherwise good text become U+FFFD.
namespace Lookback::Mime {

// Bytes in a given charset to text, with the charset policy above.
QString decodeCharset(const QByteArray &bytes, const QByteArray &charset);

} // namespace Lookback::Mime
