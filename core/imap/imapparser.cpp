#include "imapparser.h"

#include <QTime>

#include <algorithm>
#include <cstring>
#include <limits>
#include <new>

namespace Lookback::Imap {

namespace {

// Thrown by the tokenizer and caught at the public boundary, so deep recursion can bail
// out in one step without threading error codes through every level.
struct ParseError
{
    QString message;
};

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isStatusName(const QByteArray &s)
{
    return s == "OK" || s == "NO" || s == "BAD" || s == "PREAUTH" || s == "BYE";
}

// ATOM-CHAR of RFC 3501, plus the list-wildcards '%' and '*' (they occur in sequence sets
// such as "1:*" and in the "\*" flag) and 8-bit bytes (some servers send raw UTF-8 mailbox
// names as atoms; rejecting them would lose folders, accepting them is harmless).
// ']' is an ASTRING-CHAR, so it belongs to the atom except inside a response code,
// where it closes the code.
bool isAtomChar(unsigned char c, bool inCode)
{
    if (c <= 0x20 || c == 0x7f)
        return false;
    switch (c) {
    case '(':
    case ')':
    case '{':
    case '"':
    case '\\':
        return false;
    case ']':
        return !inCode;
    default:
        return true;
    }
}

// FETCH attribute names that are followed by a bracketed section spec, which may contain
// spaces and a parenthesised header list: BODY[HEADER.FIELDS (MESSAGE-ID)]<0>.
bool isSectionPrefix(const char *p, qint64 n)
{
    static const char *const names[] = { "BODY", "BODY.PEEK", "BINARY", "BINARY.PEEK",
                                         "BINARY.SIZE", nullptr };
    for (int i = 0; names[i]; ++i) {
        const qint64 len = qint64(std::strlen(names[i]));
        if (len == n && qstrnicmp(p, names[i], size_t(n)) == 0)
            return true;
    }
    return false;
}

// Tokenizes one complete, framed response (first byte up to and including its final CRLF).
class Tokenizer
{
public:
    Tokenizer(const char *data, qint64 size, const ResponseParser::Limits &limits)
        : m_data(data), m_size(size), m_limits(limits)
    {
    }

    Response parseResponse()
    {
        Response r;
        if (atEnd())
            fail(QStringLiteral("empty response"));
        const char first = m_data[0];
        if (first == '+') {
            r.kind = Response::Continuation;
            ++m_pos;
            if (!atLineEnd()) {
                expectSpace();
                // base64 never starts with '[', so a bracket here is a response code.
                if (peek() == '[')
                    readCode(&r);
                r.text = readText();
            }
        } else if (first == '*') {
            r.kind = Response::Untagged;
            ++m_pos;
            expectSpace();
            if (isDigit(peek())) {
                r.number = readNumber32();
                r.hasNumber = true;
                expectSpace();
                r.name = readAtom(false).toUpper();
                if (r.name.isEmpty())
                    fail(QStringLiteral("missing response name after number"));
                readArgs(&r.args);
            } else {
                const QByteArray word = readAtom(false).toUpper();
                if (word.isEmpty())
                    fail(QStringLiteral("missing untagged response name"));
                r.name = word;
                if (isStatusName(word)) {
                    r.status = word;
                    readRespText(&r);
                } else {
                    readArgs(&r.args);
                }
            }
        } else {
            r.kind = Response::Tagged;
            r.tag = readTag();
            expectSpace();
            const QByteArray status = readAtom(false).toUpper();
            if (status != "OK" && status != "NO" && status != "BAD")
                fail(QStringLiteral("tagged response with invalid status \"%1\"")
                         .arg(QString::fromLatin1(status.left(32))));
            r.status = status;
            r.name = status;
            readRespText(&r);
        }
        expectCrlf();
        if (!atEnd())
            fail(QStringLiteral("unexpected data after the end of the response"));
        return r;
    }

private:
    [[noreturn]] void fail(const QString &what) const
    {
        throw ParseError { QStringLiteral("IMAP parse error: %1 (at byte %2 of the response)")
                                   .arg(what)
                                   .arg(m_pos) };
    }

    bool atEnd() const { return m_pos >= m_size; }
    // '\0' at the end; callers that care distinguish with atEnd().
    char peek() const { return atEnd() ? '\0' : m_data[m_pos]; }
    bool atLineEnd() const { return !atEnd() && m_data[m_pos] == '\r'; }

    void expectSpace()
    {
        if (peek() != ' ' || atEnd())
            fail(atLineEnd() ? QStringLiteral("unexpected end of line")
                             : QStringLiteral("expected a space"));
        ++m_pos;
    }

    void skipSpaces()
    {
        while (!atEnd() && m_data[m_pos] == ' ')
            ++m_pos;
    }

    void expectCrlf()
    {
        if (m_pos + 1 < m_size && m_data[m_pos] == '\r' && m_data[m_pos + 1] == '\n') {
            m_pos += 2;
            return;
        }
        fail(QStringLiteral("expected end of line"));
    }

    quint32 readNumber32()
    {
        const qint64 start = m_pos;
        quint64 n = 0;
        while (!atEnd() && isDigit(m_data[m_pos])) {
            n = n * 10 + quint64(m_data[m_pos] - '0');
            if (n > std::numeric_limits<quint32>::max())
                fail(QStringLiteral("number out of range"));
            ++m_pos;
        }
        if (m_pos == start)
            fail(QStringLiteral("expected a number"));
        return quint32(n);
    }

    // tag = 1*<any ASTRING-CHAR except "+">
    QByteArray readTag()
    {
        const qint64 start = m_pos;
        while (!atEnd()) {
            const unsigned char c = uchar(m_data[m_pos]);
            if (c == '+' || c == '%' || c == '*' || c >= 0x80 || !isAtomChar(c, false))
                break;
            ++m_pos;
        }
        if (m_pos == start)
            fail(QStringLiteral("invalid tag"));
        return QByteArray(m_data + start, qsizetype(m_pos - start));
    }

    QByteArray readAtom(bool inCode)
    {
        const qint64 start = m_pos;
        bool flag = false;
        if (peek() == '\\') { // a flag: "\Seen", "\*"
            flag = true;
            ++m_pos;
        }
        bool sectionDone = false;
        while (!atEnd()) {
            const char c = m_data[m_pos];
            if (c == '[' && !inCode && !sectionDone && isSectionPrefix(m_data + start, m_pos - start)) {
                readSection();
                sectionDone = true;
                continue;
            }
            if (!isAtomChar(uchar(c), inCode))
                break;
            ++m_pos;
        }
        if (flag && m_pos == start + 1)
            fail(QStringLiteral("empty flag"));
        return QByteArray(m_data + start, qsizetype(m_pos - start));
    }

    // At '[' after BODY/BINARY: consume through the matching ']'.
    void readSection()
    {
        ++m_pos;
        int parens = 0;
        while (true) {
            if (atEnd() || atLineEnd())
                fail(QStringLiteral("unterminated section specification"));
            const char c = m_data[m_pos];
            if (c == '"') {
                readQuoted(); // header names may be quoted; only skipping here
                continue;
            }
            ++m_pos;
            if (c == '(') {
                if (++parens > m_limits.maxDepth)
                    fail(QStringLiteral("section specification nested too deeply"));
            } else if (c == ')') {
                if (--parens < 0)
                    fail(QStringLiteral("unbalanced ')' in section specification"));
            } else if (c == ']' && parens == 0) {
                return;
            } else if (uchar(c) < 0x20 && c != '\t') {
                fail(QStringLiteral("control character in section specification"));
            }
        }
    }

    QByteArray readQuoted()
    {
        ++m_pos; // opening quote
        QByteArray out;
        while (true) {
            if (atEnd())
                fail(QStringLiteral("unterminated quoted string"));
            // Copy runs of plain bytes in one go; quoted strings can be long (subjects).
            qint64 run = m_pos;
            while (run < m_size && m_data[run] != '"' && m_data[run] != '\\'
                   && m_data[run] != '\r' && m_data[run] != '\n')
                ++run;
            if (run > m_pos) {
                out.append(m_data + m_pos, qsizetype(run - m_pos));
                m_pos = run;
                continue;
            }
            const char c = m_data[m_pos];
            if (c == '"') {
                ++m_pos;
                return out;
            }
            if (c == '\\') {
                if (m_pos + 1 >= m_size
                    || (m_data[m_pos + 1] != '"' && m_data[m_pos + 1] != '\\'))
                    fail(QStringLiteral("invalid escape in quoted string"));
                out.append(m_data[m_pos + 1]);
                m_pos += 2;
                continue;
            }
            fail(QStringLiteral("unterminated quoted string"));
        }
    }

    // "{n}" CRLF n-bytes, or "~{n}" (RFC 3516 literal8).
    QByteArray readLiteral()
    {
        if (peek() == '~')
            ++m_pos;
        if (peek() != '{')
            fail(QStringLiteral("expected a literal"));
        ++m_pos;
        quint64 n = 0;
        int digits = 0;
        while (!atEnd() && isDigit(m_data[m_pos])) {
            if (++digits > 19)
                fail(QStringLiteral("literal length overflow"));
            n = n * 10 + quint64(m_data[m_pos] - '0');
            ++m_pos;
        }
        if (digits == 0)
            fail(QStringLiteral("literal without a length"));
        if (peek() != '}')
            fail(peek() == '+' ? QStringLiteral("non-synchronizing literal sent by the server")
                               : QStringLiteral("malformed literal length"));
        ++m_pos;
        if (n > quint64(m_limits.maxLiteral))
            fail(QStringLiteral("literal of %1 bytes exceeds the limit of %2 bytes")
                     .arg(n)
                     .arg(m_limits.maxLiteral));
        expectCrlf();
        if (qint64(n) > m_size - m_pos)
            fail(QStringLiteral("literal extends past the end of the response"));
        QByteArray out(m_data + m_pos, qsizetype(n));
        m_pos += qint64(n);
        return out;
    }

    Value readValue(int depth, bool inCode)
    {
        if (++m_tokens > m_limits.maxTokens)
            fail(QStringLiteral("more than %1 tokens in one response").arg(m_limits.maxTokens));
        if (atEnd())
            fail(QStringLiteral("unexpected end of response"));
        Value v;
        const char c = m_data[m_pos];
        switch (c) {
        case '(':
            return readList(depth + 1, inCode);
        case ')':
            fail(QStringLiteral("unexpected ')'"));
        case '\r':
            fail(QStringLiteral("unexpected end of line"));
        case '"':
            v.type = Value::String;
            v.data = readQuoted();
            return v;
        case '{':
            v.type = Value::String;
            v.isLiteral = true;
            v.data = readLiteral();
            return v;
        case '~':
            if (m_pos + 1 < m_size && m_data[m_pos + 1] == '{') {
                v.type = Value::String;
                v.isLiteral = true;
                v.data = readLiteral();
                return v;
            }
            break;
        default:
            break;
        }
        const QByteArray atom = readAtom(inCode);
        if (atom.isEmpty())
            fail(QStringLiteral("unexpected character 0x%1").arg(uchar(c), 2, 16, QLatin1Char('0')));
        if (atom.size() == 3 && qstricmp(atom.constData(), "NIL") == 0) {
            v.type = Value::Nil;
            return v;
        }
        v.data = atom;
        v.type = Value::Atom;
        if (std::all_of(atom.begin(), atom.end(), isDigit)) {
            // Numbers beyond 64 bits stay atoms: not our business to reject, and nothing
            // that expects a number will accept them.
            bool ok = false;
            const quint64 n = atom.toULongLong(&ok);
            if (ok) {
                v.type = Value::Number;
                v.number = n;
            }
        }
        return v;
    }

    Value readList(int depth, bool inCode)
    {
        if (depth > m_limits.maxDepth)
            fail(QStringLiteral("lists nested deeper than %1 levels").arg(m_limits.maxDepth));
        ++m_pos; // '('
        Value v;
        v.type = Value::List;
        skipSpaces();
        while (true) {
            if (atEnd() || atLineEnd())
                fail(QStringLiteral("unterminated list"));
            if (m_data[m_pos] == ')') {
                ++m_pos;
                return v;
            }
            v.list.append(readValue(depth, inCode));
            if (peek() == ')')
                continue;
            // body-type-mpart is "1*body SP media-subtype" and an address list is
            // "1*address": parenthesised siblings there follow each other without a space.
            if (peek() == '(' && v.list.constLast().isList())
                continue;
            if (atEnd() || atLineEnd())
                fail(QStringLiteral("unterminated list"));
            expectSpace();
            skipSpaces(); // some servers double spaces; harmless to accept
        }
    }

    void readArgs(QVector<Value> *args)
    {
        while (!atLineEnd()) {
            expectSpace();
            skipSpaces(); // tolerate a trailing space before CRLF ("* SEARCH 1 2 ")
            if (atLineEnd())
                break;
            args->append(readValue(0, false));
        }
    }

    QByteArray readText()
    {
        const void *cr = std::memchr(m_data + m_pos, '\r', size_t(m_size - m_pos));
        if (!cr)
            fail(QStringLiteral("missing end of line"));
        const qint64 end = static_cast<const char *>(cr) - m_data;
        QByteArray text(m_data + m_pos, qsizetype(end - m_pos));
        m_pos = end;
        return text;
    }

    // resp-text = ["[" resp-text-code "]" SP] text; servers also send "[CODE]" alone.
    void readRespText(Response *r)
    {
        if (atLineEnd())
            return; // "a1 OK" without text: not quite RFC 3501, but common
        expectSpace();
        if (peek() == '[')
            readCode(r);
        r->text = readText();
    }

    void readCode(Response *r)
    {
        ++m_pos; // '['
        r->code = readAtom(true).toUpper();
        if (r->code.isEmpty())
            fail(QStringLiteral("empty response code"));
        if (peek() == ' ') {
            ++m_pos;
            const qint64 argsStart = m_pos;
            const int tokensBefore = m_tokens;
            try {
                while (true) {
                    skipSpaces();
                    if (peek() == ']')
                        break;
                    if (atEnd() || atLineEnd())
                        fail(QStringLiteral("unterminated response code"));
                    r->codeArgs.append(readValue(0, true));
                    if (peek() != ']' && peek() != ' ')
                        fail(QStringLiteral("malformed response code"));
                }
            } catch (const ParseError &) {
                // Free-form codes (Gmail's "[WEBALERT https://...]", vendor codes with
                // text) need not be token lists: keep their raw text as one atom.
                m_pos = argsStart;
                m_tokens = tokensBefore;
                r->codeArgs.clear();
                const void *cr = std::memchr(m_data + m_pos, '\r', size_t(m_size - m_pos));
                const qint64 lineEnd = cr ? static_cast<const char *>(cr) - m_data : m_size;
                const void *br = std::memchr(m_data + m_pos, ']', size_t(lineEnd - m_pos));
                if (!br)
                    fail(QStringLiteral("unterminated response code"));
                const qint64 close = static_cast<const char *>(br) - m_data;
                Value raw;
                raw.type = Value::Atom;
                raw.data = QByteArray(m_data + m_pos, qsizetype(close - m_pos));
                r->codeArgs.append(raw);
                m_pos = close;
            }
        }
        if (peek() != ']')
            fail(QStringLiteral("unterminated response code"));
        ++m_pos;
        if (peek() == ' ')
            ++m_pos;
    }

    const char *m_data;
    qint64 m_size;
    const ResponseParser::Limits &m_limits;
    qint64 m_pos = 0;
    int m_tokens = 0;
};

} // namespace

// ---------------------------------------------------------------------------------------

QByteArray Value::asBytes() const
{
    switch (type) {
    case Atom:
    case String:
        return data;
    case Number:
        return data.isEmpty() ? QByteArray::number(number) : data;
    case Nil:
    case List:
        break;
    }
    return QByteArray();
}

QString Value::asString() const
{
    return QString::fromUtf8(asBytes());
}

// ---------------------------------------------------------------------------------------

void ResponseParser::feed(const QByteArray &bytes)
{
    if (hasError())
        return; // the connection is going away; do not keep buffering
    try {
        m_buffer.append(bytes);
    } catch (...) {
        m_buffer.clear();
        m_start = m_scan = m_segStart = m_literalLeft = 0;
        m_error = QStringLiteral("IMAP parse error: out of memory");
    }
}

void ResponseParser::reset()
{
    m_buffer.clear();
    m_start = m_scan = m_segStart = m_literalLeft = 0;
    m_error.clear();
}

// Framing only finds where the current response ends: line by line, skipping literal
// bytes announced by "{n}" at a line's end. It resumes where it stopped, so feeding a
// large response in small pieces costs linear time, and it enforces the size limits
// before the bytes are buffered, not after.
ResponseParser::Frame ResponseParser::findFrameEnd(qint64 *end)
{
    const qint64 size = m_buffer.size();
    const char *d = m_buffer.constData();
    while (true) {
        if (m_literalLeft > 0) {
            const qint64 avail = size - m_scan;
            if (avail < m_literalLeft) {
                m_literalLeft -= avail;
                m_scan = size;
                return Frame::NeedMore;
            }
            m_scan += m_literalLeft;
            m_literalLeft = 0;
            m_segStart = m_scan;
        }
        const void *lf = m_scan < size ? std::memchr(d + m_scan, '\n', size_t(size - m_scan)) : nullptr;
        if (!lf) {
            if (size - m_segStart > m_limits.maxLine + 2) {
                m_error = QStringLiteral("IMAP parse error: response line longer than %1 bytes")
                              .arg(m_limits.maxLine);
                return Frame::Error;
            }
            m_scan = size;
            return Frame::NeedMore;
        }
        const qint64 lfPos = static_cast<const char *>(lf) - d;
        if (lfPos == m_segStart || d[lfPos - 1] != '\r') {
            m_error = QStringLiteral("IMAP parse error: line ends in LF without CR (at byte %1 of the response)")
                          .arg(lfPos - m_start);
            return Frame::Error;
        }
        const qint64 lineEnd = lfPos - 1; // the CR
        if (lineEnd - m_segStart > m_limits.maxLine) {
            m_error = QStringLiteral("IMAP parse error: response line longer than %1 bytes")
                          .arg(m_limits.maxLine);
            return Frame::Error;
        }
        const qint64 next = lfPos + 1;
        if (next - m_start > m_limits.maxResponse) {
            m_error = QStringLiteral("IMAP parse error: response larger than %1 bytes")
                          .arg(m_limits.maxResponse);
            return Frame::Error;
        }
        // Does the line end in "{digits}"? Then a literal of that many bytes follows.
        qint64 p = lineEnd - 1;
        if (p > m_segStart && d[p] == '}') {
            qint64 q = p - 1;
            while (q >= m_segStart && isDigit(d[q]))
                --q;
            if (q >= m_segStart && d[q] == '{' && q < p - 1) {
                const qint64 digits = p - 1 - q;
                quint64 n = 0;
                bool overflow = digits > 19;
                for (qint64 i = q + 1; i < p && !overflow; ++i)
                    n = n * 10 + quint64(d[i] - '0');
                if (overflow || n > quint64(m_limits.maxLiteral)) {
                    m_error = overflow
                            ? QStringLiteral("IMAP parse error: literal length overflow")
                            : QStringLiteral("IMAP parse error: literal of %1 bytes exceeds the limit of %2 bytes")
                                      .arg(n)
                                      .arg(m_limits.maxLiteral);
                    return Frame::Error;
                }
                if (next - m_start + qint64(n) > m_limits.maxResponse) {
                    m_error = QStringLiteral("IMAP parse error: response larger than %1 bytes")
                                  .arg(m_limits.maxResponse);
                    return Frame::Error;
                }
                m_scan = next;
                m_segStart = next;
                m_literalLeft = qint64(n); // may be 0: "{0}" is a valid empty literal
                continue;
            }
        }
        *end = next;
        return Frame::Complete;
    }
}

bool ResponseParser::next(Response *out, QString *error)
{
    if (error)
        error->clear();
    if (hasError()) {
        if (error)
            *error = m_error;
        return false;
    }
    try {
        qint64 end = 0;
        switch (findFrameEnd(&end)) {
        case Frame::NeedMore:
            // Release memory of consumed responses while we wait for more.
            if (m_start > 0 && m_start == m_buffer.size()) {
                m_buffer.clear();
                m_scan = m_segStart = m_start = 0;
            }
            return false;
        case Frame::Error:
            break;
        case Frame::Complete: {
            Tokenizer t(m_buffer.constData() + m_start, end - m_start, m_limits);
            Response r = t.parseResponse();
            m_start = end;
            m_scan = m_segStart = m_start;
            m_literalLeft = 0;
            // Compact now and then rather than after every response: remove() moves the
            // remaining bytes, which would be quadratic for a burst of small responses.
            if (m_start == m_buffer.size()) {
                m_buffer.clear();
                m_scan = m_segStart = m_start = 0;
            } else if (m_start > 1024 * 1024 && m_start > m_buffer.size() / 2) {
                m_buffer.remove(0, qsizetype(m_start));
                m_scan = m_segStart = m_start = 0;
            }
            if (out)
                *out = std::move(r);
            return true;
        }
        }
    } catch (const ParseError &e) {
        m_error = e.message;
    } catch (const std::bad_alloc &) {
        m_error = QStringLiteral("IMAP parse error: out of memory");
    } catch (...) {
        m_error = QStringLiteral("IMAP parse error: internal error");
    }
    if (m_error.isEmpty())
        m_error = QStringLiteral("IMAP parse error");
    m_buffer.clear();
    m_start = m_scan = m_segStart = m_literalLeft = 0;
    if (error)
        *error = m_error;
    return false;
}

bool parseResponse(const QByteArray &bytes, Response *out, QString *error)
{
    ResponseParser parser;
    parser.feed(bytes);
    QString err;
    if (parser.next(out, &err)) {
        if (parser.bufferedBytes() == 0)
            return true;
        err = QStringLiteral("IMAP parse error: data after the response");
    } else if (err.isEmpty()) {
        err = QStringLiteral("IMAP parse error: incomplete response");
    }
    if (error)
        *error = err;
    return false;
}

// ---------------------------------------------------------------------------------------

namespace {

bool toUid(const Value &v, quint32 *out)
{
    if (v.type != Value::Number || v.number > std::numeric_limits<quint32>::max())
        return false;
    *out = quint32(v.number);
    return true;
}

} // namespace

bool parseFetch(const Response &r, FetchItem *out, QString *error)
{
    auto failWith = [error](const QString &msg) {
        if (error)
            *error = msg;
        return false;
    };
    try {
        if (!out)
            return failWith(QStringLiteral("no output"));
        *out = FetchItem();
        if (r.kind != Response::Untagged || r.name != "FETCH" || !r.hasNumber)
            return failWith(QStringLiteral("not a FETCH response"));
        if (r.args.size() != 1 || !r.args.at(0).isList())
            return failWith(QStringLiteral("FETCH without a parenthesised item list"));
        const QVector<Value> &items = r.args.at(0).list;
        if (items.size() % 2 != 0)
            return failWith(QStringLiteral("FETCH item list with an odd number of elements"));
        out->sequence = r.number;
        for (int i = 0; i < items.size(); i += 2) {
            const Value &key = items.at(i);
            const Value &val = items.at(i + 1);
            if (key.type != Value::Atom)
                return failWith(QStringLiteral("FETCH item name is not an atom"));
            const QByteArray name = key.data.toUpper();
            const int bracket = name.indexOf('[');
            if (bracket >= 0) {
                const int close = name.lastIndexOf(']');
                if (close < bracket)
                    return failWith(QStringLiteral("malformed FETCH section"));
                const QByteArray prefix = name.left(bracket);
                const QByteArray section = name.mid(bracket + 1, close - bracket - 1);
                if (val.isList())
                    return failWith(QStringLiteral("FETCH %1 is not a string")
                                        .arg(QString::fromLatin1(prefix)));
                if (prefix == "BODY") {
                    out->sections.insert(section, val.asBytes());
                } else if (prefix == "BINARY") {
                    out->binarySections.insert(section, val.asBytes());
                    if (!out->sections.contains(section))
                        out->sections.insert(section, val.asBytes());
                }
                // BINARY.SIZE and the like: nothing to keep.
                continue;
            }
            if (name == "UID") {
                if (!toUid(val, &out->uid))
                    return failWith(QStringLiteral("FETCH UID is not a 32-bit number"));
            } else if (name == "RFC822.SIZE") {
                if (val.type != Value::Number || val.number > quint64(std::numeric_limits<qint64>::max()))
                    return failWith(QStringLiteral("FETCH RFC822.SIZE is not a number"));
                out->rfc822Size = qint64(val.number);
            } else if (name == "INTERNALDATE") {
                // An unparsable date stays invalid rather than failing the whole item:
                // the caller can still store the message and fall back to Date:.
                out->internalDate = parseInternalDate(val.asBytes());
            } else if (name == "X-GM-MSGID") {
                if (val.type != Value::Number)
                    return failWith(QStringLiteral("FETCH X-GM-MSGID is not a number"));
                out->gmailMessageId = val.number;
            } else if (name == "X-GM-THRID") {
                if (val.type != Value::Number)
                    return failWith(QStringLiteral("FETCH X-GM-THRID is not a number"));
                out->gmailThreadId = val.number;
            } else if (name == "X-GM-LABELS") {
                if (!val.isList())
                    return failWith(QStringLiteral("FETCH X-GM-LABELS is not a list"));
                for (const Value &l : val.list)
                    out->gmailLabels.append(l.asBytes());
            } else if (name == "MODSEQ") {
                if (!val.isList() || val.list.size() != 1 || val.list.at(0).type != Value::Number)
                    return failWith(QStringLiteral("FETCH MODSEQ is not (number)"));
                out->modseq = val.list.at(0).number;
            } else if (name == "FLAGS") {
                if (!val.isList())
                    return failWith(QStringLiteral("FETCH FLAGS is not a list"));
                out->hasFlags = true;
                for (const Value &f : val.list) {
                    if (f.type != Value::Atom)
                        return failWith(QStringLiteral("FETCH FLAGS contains a non-atom"));
                    out->flags.append(f.data);
                }
            } else if (name == "BODYSTRUCTURE" || name == "BODY") {
                QString bsError;
                if (!parseBodyStructure(val, &out->bodyStructure, &bsError))
                    return failWith(bsError);
                out->hasBodyStructure = true;
            } else if (name == "ENVELOPE") {
                QString envError;
                if (!parseEnvelope(val, &out->envelope, &envError))
                    return failWith(envError);
                out->hasEnvelope = true;
            } else if (name == "RFC822" || name == "RFC822.HEADER" || name == "RFC822.TEXT") {
                if (val.isList())
                    return failWith(QStringLiteral("FETCH %1 is not a string").arg(QString::fromLatin1(name)));
                const QByteArray section = name == "RFC822" ? QByteArray() : name.mid(7);
                out->sections.insert(section, val.asBytes());
            }
            // Anything else (X-GM-*, SAVEDATE, EMAILID...) is skipped on purpose.
        }
        return true;
    } catch (...) {
        return failWith(QStringLiteral("FETCH could not be interpreted (out of memory)"));
    }
}

// ---------------------------------------------------------------------------------------

namespace {

constexpr qint64 kMaxSearchExpansion = 10 * 1000 * 1000;

// Appends the numbers of a sequence set, skipping ranges with '*' (meaningless in an
// answer) and stopping at the overall cap.
void expandSet(const QByteArray &set, QVector<quint32> *out)
{
    bool ok = false;
    const QVector<QPair<quint32, quint32>> ranges = parseSequenceSet(set, &ok);
    if (!ok)
        return;
    for (const auto &range : ranges) {
        if (range.first == std::numeric_limits<quint32>::max()
            || range.second == std::numeric_limits<quint32>::max())
            continue;
        for (quint64 n = range.first; n <= range.second; ++n) {
            if (out->size() >= kMaxSearchExpansion)
                return;
            out->append(quint32(n));
        }
    }
}

} // namespace

QVector<quint32> parseSearch(const Response &r)
{
    QVector<quint32> result;
    try {
        if (r.kind != Response::Untagged)
            return result;
        if (r.name == "SEARCH") {
            for (const Value &v : r.args) {
                quint32 n = 0;
                // (MODSEQ n) of CONDSTORE and anything odd is skipped.
                if (toUid(v, &n) && n > 0)
                    result.append(n);
            }
            return result;
        }
        if (r.name != "ESEARCH")
            return result;
        int i = 0;
        if (i < r.args.size() && r.args.at(i).isList()) // (TAG "a1")
            ++i;
        if (i < r.args.size() && r.args.at(i).type == Value::Atom && r.args.at(i).data.toUpper() == "UID")
            ++i;
        bool sawAll = false;
        QVector<quint32> minMax;
        for (; i + 1 < r.args.size(); i += 2) {
            const QByteArray name = r.args.at(i).asBytes().toUpper();
            const Value &val = r.args.at(i + 1);
            if (name == "ALL") {
                sawAll = true;
                expandSet(val.asBytes(), &result);
            } else if (name == "MIN" || name == "MAX") {
                quint32 n = 0;
                if (toUid(val, &n) && n > 0 && !minMax.contains(n))
                    minMax.append(n);
            } else if (name == "PARTIAL" && val.isList() && val.list.size() == 2) {
                // RFC 5267: PARTIAL (range set-or-NIL)
                sawAll = true;
                if (!val.list.at(1).isNil())
                    expandSet(val.list.at(1).asBytes(), &result);
            }
        }
        if (!sawAll)
            result = minMax;
    } catch (...) {
        result.clear();
    }
    return result;
}

// ---------------------------------------------------------------------------------------

bool ListEntry::hasFlag(const QByteArray &flag) const
{
    for (const QByteArray &f : flags) {
        if (f.size() == flag.size() && qstrnicmp(f.constData(), flag.constData(), size_t(f.size())) == 0)
            return true;
    }
    return false;
}

QVector<ListEntry> listEntries(const QVector<Response> &untagged)
{
    QVector<ListEntry> entries;
    for (const Response &resp : untagged) {
        ListEntry e;
        if (resp.name == "LIST" && parseList(resp, &e))
            entries << e;
    }
    return entries;
}

bool parseList(const Response &r, ListEntry *out)
{
    try {
        if (!out || r.kind != Response::Untagged)
            return false;
        if (r.name != "LIST" && r.name != "LSUB" && r.name != "XLIST")
            return false;
        if (r.args.size() < 3 || !r.args.at(0).isList())
            return false;
        ListEntry e;
        for (const Value &f : r.args.at(0).list) {
            if (f.type != Value::Atom)
                return false;
            e.flags.append(f.data);
        }
        const Value &delim = r.args.at(1);
        if (delim.type == Value::String) {
            if (delim.data.size() > 1)
                return false;
            e.delimiter = delim.data.isEmpty() ? 0 : delim.data.at(0);
        } else if (!delim.isNil()) {
            return false;
        }
        const Value &mbox = r.args.at(2);
        if (mbox.isList())
            return false;
        // A mailbox literally named NIL arrives as an atom the tokenizer cannot tell from nil.
        e.rawName = mbox.isNil() ? QByteArrayLiteral("NIL") : mbox.asBytes();
        e.name = decodeModifiedUtf7(e.rawName);
        *out = e;
        return true;
    } catch (...) {
        return false;
    }
}

// ---------------------------------------------------------------------------------------

namespace {

const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

int b64Value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == ',')
        return 63;
    return -1;
}

bool decodeMutf7Strict(const QByteArray &in, QString *out)
{
    QString result;
    result.reserve(in.size());
    int i = 0;
    while (i < in.size()) {
        const unsigned char c = uchar(in.at(i));
        if (c >= 0x80)
            return false; // raw 8-bit: not modified UTF-7
        if (c != '&') {
            result.append(QChar(c));
            ++i;
            continue;
        }
        ++i;
        if (i < in.size() && in.at(i) == '-') { // "&-" is '&'
            result.append(QLatin1Char('&'));
            ++i;
            continue;
        }
        quint32 bits = 0;
        int nbits = 0;
        bool closed = false;
        int units = 0;
        while (i < in.size()) {
            const char b = in.at(i++);
            if (b == '-') {
                closed = true;
                break;
            }
            const int v = b64Value(b);
            if (v < 0)
                return false;
            bits = (bits << 6) | quint32(v);
            nbits += 6;
            if (nbits >= 16) {
                nbits -= 16;
                result.append(QChar(char16_t((bits >> nbits) & 0xffff)));
                bits &= (1u << nbits) - 1;
                ++units;
            }
        }
        // Leftover bits must be padding: fewer than 6 and all zero.
        if (!closed || units == 0 || nbits >= 6 || (bits & ((1u << nbits) - 1)) != 0)
            return false;
    }
    *out = result;
    return true;
}

} // namespace

QString decodeModifiedUtf7(const QByteArray &in)
{
    QString out;
    if (decodeMutf7Strict(in, &out))
        return out;
    return QString::fromUtf8(in);
}

QByteArray encodeModifiedUtf7(const QString &in)
{
    QByteArray out;
    const char16_t *u = reinterpret_cast<const char16_t *>(in.utf16());
    const int n = in.size();
    int i = 0;
    while (i < n) {
        const char16_t c = u[i];
        if (c >= 0x20 && c <= 0x7e) {
            out.append(char(c));
            if (c == '&')
                out.append('-');
            ++i;
            continue;
        }
        out.append('&');
        quint32 bits = 0;
        int nbits = 0;
        while (i < n && !(u[i] >= 0x20 && u[i] <= 0x7e)) {
            bits = (bits << 16) | u[i];
            nbits += 16;
            while (nbits >= 6) {
                nbits -= 6;
                out.append(kB64[(bits >> nbits) & 0x3f]);
            }
            bits &= (1u << nbits) - 1;
            ++i;
        }
        if (nbits > 0)
            out.append(kB64[(bits << (6 - nbits)) & 0x3f]);
        out.append('-');
    }
    return out;
}

QByteArray quoteString(const QByteArray &in)
{
    QByteArray out;
    out.reserve(in.size() + 2);
    out.append('"');
    for (const char c : in) {
        if (c == '"' || c == '\\')
            out.append('\\');
        out.append(c);
    }
    out.append('"');
    return out;
}

bool needsLiteral(const QByteArray &in)
{
    for (const char c : in) {
        const unsigned char u = uchar(c);
        if (u == 0 || u == '\r' || u == '\n' || u >= 0x80)
            return true;
    }
    return false;
}

// ---------------------------------------------------------------------------------------

QVector<QPair<quint32, quint32>> parseSequenceSet(const QByteArray &set, bool *ok)
{
    QVector<QPair<quint32, quint32>> result;
    if (ok)
        *ok = false;
    constexpr quint32 star = std::numeric_limits<quint32>::max();
    int i = 0;
    const int n = set.size();
    auto number = [&](quint32 *v) {
        if (i < n && set.at(i) == '*') {
            ++i;
            *v = star;
            return true;
        }
        quint64 acc = 0;
        const int start = i;
        while (i < n && isDigit(set.at(i))) {
            acc = acc * 10 + quint64(set.at(i) - '0');
            if (acc > star)
                return false;
            ++i;
        }
        if (i == start || acc == 0)
            return false;
        *v = quint32(acc);
        return true;
    };
    if (n == 0)
        return result;
    try {
        while (true) {
            quint32 a = 0;
            if (!number(&a))
                return {};
            quint32 b = a;
            if (i < n && set.at(i) == ':') {
                ++i;
                if (!number(&b))
                    return {};
            }
            result.append(qMakePair(qMin(a, b), qMax(a, b)));
            if (i == n)
                break;
            if (set.at(i) != ',')
                return {};
            ++i;
        }
    } catch (...) {
        return {};
    }
    if (ok)
        *ok = true;
    return result;
}

QByteArray formatSequenceSet(QVector<quint32> uids)
{
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
    QByteArray out;
    int i = 0;
    while (i < uids.size() && uids.at(i) == 0)
        ++i;
    while (i < uids.size()) {
        int j = i;
        while (j + 1 < uids.size() && uids.at(j + 1) == uids.at(j) + 1)
            ++j;
        if (!out.isEmpty())
            out.append(',');
        out.append(QByteArray::number(uids.at(i)));
        if (j > i) {
            out.append(':');
            out.append(QByteArray::number(uids.at(j)));
        }
        i = j + 1;
    }
    return out;
}

// ---------------------------------------------------------------------------------------

namespace {

const char *const kMonths[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

} // namespace

QDateTime parseInternalDate(const QByteArray &raw)
{
    const QByteArray s = raw.trimmed(); // date-day-fixed pads with a space: " 7-Jul-1996"
    int i = 0;
    const int n = s.size();
    auto digits = [&](int minCount, int maxCount, int *value) {
        int v = 0, count = 0;
        while (i < n && count < maxCount && isDigit(s.at(i))) {
            v = v * 10 + (s.at(i) - '0');
            ++i;
            ++count;
        }
        *value = v;
        return count >= minCount;
    };
    auto expect = [&](char c) {
        if (i < n && s.at(i) == c) {
            ++i;
            return true;
        }
        return false;
    };
    int day = 0, month = 0, year = 0, hh = 0, mm = 0, ss = 0, zh = 0, zm = 0;
    if (!digits(1, 2, &day) || !expect('-'))
        return QDateTime();
    if (i + 3 > n)
        return QDateTime();
    for (int m = 0; m < 12; ++m) {
        if (qstrnicmp(s.constData() + i, kMonths[m], 3) == 0)
            month = m + 1;
    }
    if (month == 0)
        return QDateTime();
    i += 3;
    if (!expect('-') || !digits(4, 4, &year) || !expect(' '))
        return QDateTime();
    if (!digits(2, 2, &hh) || !expect(':') || !digits(2, 2, &mm) || !expect(':') || !digits(2, 2, &ss))
        return QDateTime();
    if (!expect(' ') || i >= n)
        return QDateTime();
    const char sign = s.at(i++);
    if (sign != '+' && sign != '-')
        return QDateTime();
    if (!digits(2, 2, &zh) || !digits(2, 2, &zm) || i != n || zh > 23 || zm > 59)
        return QDateTime();
    const QDate date(year, month, day);
    const QTime time(hh, mm, ss);
    if (!date.isValid() || !time.isValid())
        return QDateTime();
    const int offset = (zh * 3600 + zm * 60) * (sign == '-' ? -1 : 1);
    return QDateTime(date, time, Qt::UTC).addSecs(-offset);
}

QByteArray formatSearchDate(const QDate &date)
{
    if (!date.isValid() || date.year() < 1 || date.year() > 9999)
        return QByteArray();
    return QByteArray::number(date.day()) + '-' + kMonths[date.month() - 1] + '-'
            + QByteArray::number(date.year()).rightJustified(4, '0');
}

} // namespace Lookback::Imap
