#pragma once

#include <QByteArray>
#include <QString>

// Content-Transfer-Encoding: a body part's bytes as sent to the bytes they stand
// for, and to text. Thread-safe free functions, like all of core/message (see
// charset.h).
namespace Lookback::Mime {

// Decodes one body part's content as BODYSTRUCTURE described it. transferEncoding
// is "base64", "quoted-printable", "7bit", "8bit" or "binary" (case-insensitive);
// anything else is taken as identity. The result uses the charset policy of
// charset.h and has CRLF normalised to LF.
QString decodeBody(const QByteArray &content, const QByteArray &transferEncoding,
                   const QByteArray &charset);

// The transfer decoding step of decodeBody alone: the part's bytes. Its size is
// what an attachment's size means.
QByteArray decodeTransferEncoding(const QByteArray &content, const QByteArray &transferEncoding);

} // namespace Lookback::Mime
