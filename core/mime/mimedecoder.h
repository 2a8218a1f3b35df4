#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QVector>

// Turning raw mail bytes into text a person can read and the archive can index.
//
// Free functions, no objects: they are called concurrently from every
// connection's worker thread and hold no state between calls (GMime is an
// implementation detail of mimedecoder.cpp; its one-time initialisation is the
// only process-wide state). Every function accepts arbitrary, malformed or
// hostile bytes: it never crashes and always returns valid Unicode.
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

// g_mime_init() exactly once per process, thread-safe. Every function below
// calls it itself; call it early only to pay the cost up front.
void ensureInitialized();

struct Address
{
    QString name;  // display name, RFC 2047 decoded; may be empty
    QString email; // addr-spec as sent, trimmed (case kept); may be empty for garbage
    bool operator==(const Address &o) const { return name == o.name && email == o.email; }
};

struct HeaderInfo
{
    QString subject;                  // RFC 2047 decoded, unfolded, trimmed
    QVector<Address> from, to, cc, bcc, replyTo; // groups flattened to their members
    QString messageId;                // without angle brackets, trimmed; empty if none/garbage
    QString inReplyTo;                // first msg-id, without brackets
    QStringList references;           // msg-ids without brackets, in order, duplicates removed
    QDateTime date;                   // Date: header in UTC, invalid if unparsable
};

// Parses a header block as fetched by IMAP BODY[HEADER]: CRLF or LF, with or
// without the trailing blank line, possibly preceded by an mbox "From " line,
// possibly with raw 8-bit bytes, bogus charsets or garbage lines (ignored).
// The first occurrence of Subject/Date/Message-ID/In-Reply-To/References wins;
// repeated From/To/Cc/Bcc/Reply-To headers are concatenated.
HeaderInfo parseHeaders(const QByteArray &rawHeaderBlock);

// Decodes one body part's content as BODYSTRUCTURE described it. transferEncoding
// is "base64", "quoted-printable", "7bit", "8bit" or "binary" (case-insensitive);
// anything else is taken as identity. The result uses the charset policy above
// and has CRLF normalised to LF.
QString decodeBody(const QByteArray &content, const QByteArray &transferEncoding,
                   const QByteArray &charset);

// The transfer decoding step of decodeBody alone: the part's bytes. Its size is
// what an attachment's size means.
QByteArray decodeTransferEncoding(const QByteArray &content, const QByteArray &transferEncoding);

// Bytes in a given charset to text, with the charset policy above.
QString decodeCharset(const QByteArray &bytes, const QByteArray &charset);

// The display filename of an attachment from Content-Disposition and
// Content-Type parameters as BODYSTRUCTURE reports them (names case-insensitive,
// values raw). The disposition's filename wins over the type's name; within each,
// the RFC 2231 form (filename*=utf-8''..., continuations filename*0*, filename*1
// ...) wins over the plain one; plain values may hold RFC 2047 encoded-words or
// raw 8-bit text. Directory parts ("C:\dir\x.txt", "../x") and control characters
// are removed, since the name is shown and may later be used to save the file.
// Empty if there is no name.
QString attachmentFileName(const QVector<QPair<QByteArray, QByteArray>> &dispositionParams,
                           const QVector<QPair<QByteArray, QByteArray>> &typeParams);

// The parameters of a Content-Type or Content-Disposition header value, after
// its leading "type/subtype" or disposition token: names lower-cased, values
// unquoted but otherwise raw (ready for attachmentFileName).
QVector<QPair<QByteArray, QByteArray>> parseHeaderParameters(const QByteArray &headerValue);

// RFC 2047 decoding of any unstructured header value: encoded-words (also when
// not separated by white space, as broken mailers write them), adjacent words
// joined before charset conversion (so a character split across two words
// survives), raw 8-bit text by the charset policy. Unfolded, control characters
// turned into spaces, trimmed.
QString decodeHeaderText(const QByteArray &raw);

// HTML to plain text for snippets and the search index: drops <head>, <script>,
// <style>, <title>, comments and tags; decodes entities (named, &#123;, &#x1F600;;
// &nbsp; becomes a plain space, zero-width characters vanish); collapses white
// space; block elements become line breaks (paragraph-like ones a blank line),
// table cells are separated by a space; <pre> keeps its layout.
QString htmlToText(const QString &html);

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

struct ParsedMessage
{
    HeaderInfo headers;
    QString plainText; // all inline text/plain parts, joined by a blank line
    QString htmlText;  // all inline text/html parts (raw HTML, decoded to Unicode)
    struct Attachment
    {
        QString fileName; // attachmentFileName(); for an attached message its subject + ".eml"
        QString mimeType; // lower-case "type/subtype"
        qint64 size = 0;  // decoded byte size
    };
    QVector<Attachment> attachments;
};

// Whole-message parse with GMime (tests and tools). An mbox "From " first line
// is skipped. A part is an attachment if its disposition is "attachment", it has
// a file name, or it is not text/plain or text/html; the signature of a
// multipart/signed is not. A text/plain or text/html part not marked as an
// attachment is body text (an inline text part with a file name, such as an
// inline patch, is both). Attached messages (message/rfc822) are listed as
// attachments and not descended into. Never crashes on malformed input.
ParsedMessage parseMessage(const QByteArray &rfc822);

// "Name <email>", or "email" when there is no name (or it repeats the address),
// or "Name" when there is no address. A name holding , ; : < > @ " ( ) [ ] or a
// backslash is quoted, so that parseHeaders("To: " + formatAddressList(list))
// gives the list back.
QString formatAddress(const Address &address);
QString formatAddressList(const QVector<Address> &addresses); // joined by ", "

} // namespace Lookback::Mime
