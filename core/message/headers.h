#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QVector>

// Message headers: the header block split into fields, RFC 2047 encoded-words,
// address lists, Message-IDs and dates. Thread-safe free functions for hostile
// input, like all of core/message (see charset.h for the charset policy).
namespace Lookback::Mime {

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

// RFC 2047 decoding of any unstructured header value: encoded-words (also when
// not separated by white space, as broken mailers write them), adjacent words
// joined before charset conversion (so a character split across two words
// survives), raw 8-bit text by the charset policy. Unfolded, control characters
// turned into spaces, trimmed.
QString decodeHeaderText(const QByteArray &raw);

// "Name <email>", or "email" when there is no name (or it repeats the address),
// or "Name" when there is no address. A name holding , ; : < > @ " ( ) [ ] or a
// backslash is quoted, so that parseHeaders("To: " + formatAddressList(list))
// gives the list back.
QString formatAddress(const Address &address);
QString formatAddressList(const QVector<Address> &addresses); // joined by ", "

} // namespace Lookback::Mime
