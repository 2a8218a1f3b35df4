// libFuzzer target for the IMAP response parser: the server is untrusted, so whatever
// bytes arrive, in whatever pieces, the parser must not crash, hang, or read out of
// bounds (ASan/UBSan watch that), and its helpers must keep their invariants.

#include "imap/bodystructure.h"
#include "imap/imapparser.h"

#include <cstdint>
#include <cstdlib>

using namespace Lookback::Imap;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort(); // an invariant broke: libFuzzer records the input as a crash
}

// Interpret every nested list as if it were a BODYSTRUCTURE or ENVELOPE: the
// interpreters get arbitrary trees, not only the ones a FETCH would put there.
void exerciseValues(const QVector<Value> &values, int budget)
{
    for (const Value &v : values) {
        if (budget-- <= 0)
            return;
        if (v.isList()) {
            BodyPart part;
            QString error;
            if (parseBodyStructure(v, &part, &error))
                planTextParts(part);
            else
                check(!error.isEmpty());
            Envelope envelope;
            parseEnvelope(v, &envelope, &error);
            exerciseValues(v.list, budget / 2);
        } else if (v.type == Value::Atom) {
            bool ok = false;
            const auto ranges = parseSequenceSet(v.data, &ok);
            check(ok || ranges.isEmpty());
        } else if (v.type == Value::String) {
            parseInternalDate(v.data);
        }
    }
}

void exercise(const Response &r)
{
    FetchItem item;
    QString error;
    if (parseFetch(r, &item, &error)) {
        if (item.hasBodyStructure)
            planTextParts(item.bodyStructure);
    } else {
        check(!error.isEmpty());
    }
    const QVector<quint32> uids = parseSearch(r);
    check(uids.size() <= 10 * 1000 * 1000);

    ListEntry entry;
    if (parseList(r, &entry)) {
        // Whatever name we decoded, encoding it back and decoding again is lossless.
        check(decodeModifiedUtf7(encodeModifiedUtf7(entry.name)) == entry.name);
    }
    exerciseValues(r.args, 64);
    exerciseValues(r.codeArgs, 16);

    // What quoteString() produces, the parser reads back unchanged.
    if (!r.text.isEmpty() && r.text.size() < 4096 && !needsLiteral(r.text)) {
        Response back;
        check(parseResponse("* X " + quoteString(r.text) + "\r\n", &back, &error));
        check(back.args.size() == 1 && back.args.at(0).data == r.text);
    }
}

void drain(ResponseParser &parser)
{
    Response r;
    QString error;
    while (parser.next(&r, &error))
        exercise(r);
    check(error.isEmpty() || parser.hasError());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));

    // Split points derived from the content (FNV-1a), so seeds stay plain server output
    // and every mutation also moves the chunk boundaries.
    quint32 h = 2166136261u;
    for (const char c : input)
        h = (h ^ uchar(c)) * 16777619u;
    const qsizetype n = input.size();
    const qsizetype a = n ? qsizetype(h % quint32(n + 1)) : 0;
    const qsizetype b = a + ((h >> 7) % quint32(n - a + 1));

    ResponseParser parser;
    parser.feed(input.left(a));
    drain(parser);
    parser.feed(input.mid(a, b - a));
    drain(parser);
    parser.feed(input.mid(b));
    drain(parser);
    check(parser.hasError() || parser.bufferedBytes() <= n);

    // The same bytes in one piece must give the same outcome as in three.
    ResponseParser whole;
    whole.feed(input);
    Response r;
    QString error;
    while (whole.next(&r, &error)) {
    }
    check(whole.hasError() == parser.hasError());
    check(whole.bufferedBytes() == parser.bufferedBytes());
    return 0;
}
