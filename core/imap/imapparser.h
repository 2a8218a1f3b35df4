#pragma once

#include "bodystructure.h"

#include <QByteArray>
#include <QDate>
#include <QDateTime>
#include <QHash>
#include <QPair>
#include <QString>
#include <QVector>

// A strict IMAP4rev1 response parser (RFC 3501, plus RFC 4466/4731 ESEARCH, RFC 6154
// special-use LIST flags, RFC 7162 CONDSTORE/QRESYNC responses) and the small helpers
// a client needs to build commands.
//
// The server is untrusted: every input is bounded (literal size, nesting depth, line
// length, tokens per response) and any violation is a parse error with a message, never
// a crash, a hang or unbounded memory. No exception leaves these functions (the
// tokenizer throws internally and catches at the public boundary).
//
// Value types and a parser object without thread affinity: it lives on whichever thread
// owns the connection (the IMAP worker) and is owned by it; it is not shared.

namespace Lookback::Imap {

// One token of a response.
struct Value
{
    enum Type { Atom, Number, String, Nil, List };
    Type type = Nil;
    // Atom text / String bytes (quoted unescaped or literal content). For a Number, the
    // digits exactly as sent, so "007" survives when a mailbox name is all digits.
    QByteArray data;
    quint64 number = 0; // Number
    QVector<Value> list; // List children
    bool isLiteral = false; // String that arrived as {n} or ~{n}

    bool isNil() const { return type == Nil; }
    bool isList() const { return type == List; }
    bool isNumber() const { return type == Number; }
    bool isString() const { return type == String; }
    bool isAtom() const { return type == Atom; }
    // String/Atom data; Number as decimal; Nil and List -> empty.
    QByteArray asBytes() const;
    QString asString() const; // fromUtf8(asBytes())
};

struct Response
{
    enum Kind { Untagged, Tagged, Continuation };
    Kind kind = Untagged;
    QByteArray tag;    // for Tagged
    QByteArray status; // upper-cased OK/NO/BAD/PREAUTH/BYE for status responses; empty otherwise
    quint32 number = 0; // "* 23 EXISTS" / "* 5 FETCH": the leading number
    bool hasNumber = false;
    // Upper-cased: "FETCH","EXISTS","EXPUNGE","SEARCH","ESEARCH","LIST","CAPABILITY","FLAGS",
    // "VANISHED"...; for status responses the status itself ("OK"...); empty for Continuation.
    QByteArray name;
    QByteArray code;         // response code atom upper-cased, e.g. "UIDVALIDITY"
    QVector<Value> codeArgs; // tokens after the code atom inside [...]
    QByteArray text;         // human-readable text after status/code; Continuation: the rest of the line
    QVector<Value> args;     // remaining tokens for data responses (FETCH: args[0] is the List of items)

    bool isStatus() const { return !status.isEmpty(); }
};

// Incremental: socket bytes in, complete responses out.
class ResponseParser
{
public:
    // Defaults per the project's hardening rules. The line limit also bounds an old-style
    // "* SEARCH n n n ..." answer (about 140,000 UIDs); use ESEARCH when the server offers it,
    // or raise the limit.
    struct Limits
    {
        qint64 maxLiteral = 64ll * 1024 * 1024;   // one {n} or ~{n}
        qint64 maxLine = 1024 * 1024;             // one line between literals, CRLF excluded
        qint64 maxResponse = 128ll * 1024 * 1024; // one whole response including literals
        int maxDepth = 64;                        // nested parenthesised lists
        int maxTokens = 2 * 1000 * 1000;          // Values in one response
    };

    ResponseParser() = default;
    explicit ResponseParser(const Limits &limits) : m_limits(limits) {}

    void feed(const QByteArray &bytes);
    // Returns true and fills *out when a complete response is buffered. Returns false with
    // *error empty when more bytes are needed. On malformed input returns false with *error
    // set (non-empty); the parser is then unusable (the connection should be dropped).
    bool next(Response *out, QString *error);
    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    qint64 bufferedBytes() const { return m_buffer.size() - m_start; }
    // Forget all buffered input and any error (e.g. after a reconnect or STARTTLS).
    void reset();
    // Limits for what is framed from now on (a connection scales them to the
    // command it is waiting for).
    void setLimits(const Limits &limits) { m_limits = limits; }
    const Limits &limits() const { return m_limits; }

private:
    enum class Frame { Complete, NeedMore, Error };
    Frame findFrameEnd(qint64 *end);

    Limits m_limits;
    QByteArray m_buffer;
    qint64 m_start = 0;       // first byte of the response being framed
    qint64 m_scan = 0;        // framing has examined everything before this offset
    qint64 m_segStart = 0;    // start of the current line segment (after the last literal)
    qint64 m_literalLeft = 0; // literal bytes still to skip while framing
    QString m_error;
};

// Parses a whole response line in one go (a convenience for tests and fixtures).
bool parseResponse(const QByteArray &bytes, Response *out, QString *error);

// Interpreted "* n FETCH (...)".
struct FetchItem
{
    quint32 sequence = 0;
    quint32 uid = 0;
    QDateTime internalDate; // UTC; invalid if absent
    qint64 rfc822Size = -1;
    quint64 gmailMessageId = 0; // X-GM-MSGID, 0 if absent
    quint64 gmailThreadId = 0;  // X-GM-THRID, 0 if absent
    QVector<QByteArray> gmailLabels; // X-GM-LABELS as sent (modified UTF-7, may be "\\Inbox")
    quint64 modseq = 0;              // MODSEQ (n)
    QVector<QByteArray> flags;
    bool hasFlags = false; // FLAGS present (an empty list is meaningful)
    bool hasBodyStructure = false;
    BodyPart bodyStructure;
    bool hasEnvelope = false;
    Envelope envelope;
    // BODY[...] contents. Key = the section spec as in the response, upper-cased, without
    // BODY[ ] and without <origin>: "HEADER", "1", "1.2", "TEXT", "" (whole message),
    // "HEADER.FIELDS (MESSAGE-ID)". NIL -> empty. RFC822 / RFC822.HEADER / RFC822.TEXT are
    // stored as "", "HEADER", "TEXT". BINARY[...] contents go to binarySections and also here
    // when no BODY[] of the same section was sent.
    QHash<QByteArray, QByteArray> sections;
    QHash<QByteArray, QByteArray> binarySections;
};

bool parseFetch(const Response &r, FetchItem *out, QString *error);

// "* SEARCH 1 2 3 [(MODSEQ n)]" and "* ESEARCH (TAG "a") UID ALL 1:3,7". ESEARCH sets are
// expanded (at most 10 million numbers; ranges with '*' are ignored). If an ESEARCH
// carries no ALL, its MIN and MAX are returned. Anything else gives an empty vector.
QVector<quint32> parseSearch(const Response &r);

struct ListEntry
{
    QByteArray rawName;
    QString name; // modified UTF-7 decoded (RFC 3501 5.1.3)
    QVector<QByteArray> flags; // as sent, e.g. "\\Sent", "\\HasNoChildren"
    char delimiter = 0;        // 0 for NIL (flat namespace)
    bool hasFlag(const QByteArray &flag) const; // case-insensitive, e.g. hasFlag("\\Noselect")
};
// "* LIST (...) "/" name" and LSUB; false for anything else or malformed.
bool parseList(const Response &r, ListEntry *out);
// Every well-formed LIST among a command's untagged responses.
QVector<ListEntry> listEntries(const QVector<Response> &untagged);

// RFC 3501 5.1.3. Malformed input (or raw 8-bit, as some servers send) decodes as UTF-8.
QString decodeModifiedUtf7(const QByteArray &);
QByteArray encodeModifiedUtf7(const QString &);

// For commands: "..." with \ and " escaped. Strings for which needsLiteral() is true
// (CR, LF, NUL or 8-bit bytes) must be sent as a literal instead.
QByteArray quoteString(const QByteArray &);
bool needsLiteral(const QByteArray &);

// "1:5,8,10:12" -> {(1,5),(8,8),(10,12)}. '*' is returned as 0xFFFFFFFF; reversed ranges
// are normalised (low, high). *ok false (and an empty result) on any syntax error or 0.
QVector<QPair<quint32, quint32>> parseSequenceSet(const QByteArray &set, bool *ok);
// Any order, duplicates and zeros ignored; compact "1:5,8,10:12". Empty input -> empty.
QByteArray formatSequenceSet(QVector<quint32> uids);

// "17-Jul-1996 02:44:25 -0700" (day may be space-padded) -> UTC. Invalid on error.
QDateTime parseInternalDate(const QByteArray &);
// "1-Feb-2024" (RFC 3501 date for SEARCH SINCE/BEFORE), English month names.
QByteArray formatSearchDate(const QDate &);

} // namespace Lookback::Imap
