#pragma once

// What the provider fakes (GoogleFake, MicrosoftFake) share: an HTTP server on
// its own thread that answers each request with a function and holds each
// answer for its own delay, the request and reply they hand around, and the
// form and PKCE rules both identity platforms read the same way.

#include <QByteArray>
#include <QMutex>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <memory>

namespace Lookback::Test::FakeHttp {

using Headers = QList<QPair<QByteArray, QByteArray>>;
using Params = QList<QPair<QString, QString>>;

// A request as a fake's handlers see it: from the server, or parsed out of a
// batch part.
struct Request
{
    QByteArray method; // "GET", "POST", … ("OTHER")
    QUrl url;          // path and query
    Headers headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const; // the first, case-insensitive; "" when absent
    QList<QByteArray> headerValues(const QByteArray &name) const;
};

// One answer. `immediate`: sent without any delay (refusals); `delayMs`: its
// own delay (-1: the server's); `tag`: the fake's own note, given back to it
// once the answer is written.
struct Reply
{
    Reply() = default;
    Reply(int status_, const QByteArray &contentType_, const Headers &headers_, const QByteArray &body_)
        : status(status_), contentType(contentType_), headers(headers_), body(body_)
    {
    }
    int status = 200;
    QByteArray contentType;
    Headers headers; // besides Content-Type
    QByteArray body;
    bool immediate = false;
    int delayMs = -1;
    QString tag;
};

// The decoded parameters of a form or a query, in order, as a fake recorded
// them (an authorize or a token request).
struct Form
{
    Params parameters;
    QString value(const QString &name) const; // the first; "" when absent
    bool has(const QString &name) const;
};

// application/x-www-form-urlencoded: "+" is a space, then percent-decoding.
// Query strings are read the same way.
Params parseForm(const QByteArray &encoded);
QString paramValue(const Params &params, const QString &name);
bool hasParam(const Params &params, const QString &name);
// The first parameter name that occurs more than once, "" if none.
QString duplicateParam(const Params &params);

// `length` characters drawn from `alphabet`.
QString randomString(int length, const char *alphabet);
// RFC 7636 §4.1: 43 to 128 characters of [A-Za-z0-9-._~].
bool isValidVerifier(const QString &verifier);

// An HTTP server on 127.0.0.1 (a free port) and a thread of its own. Every
// request is answered there by `answer`, and `delay` and `written` run there
// too, each with `guard` (the fake's own mutex, if any) held; the answer goes out after its delay (Reply::delayMs, else `delay()`)
// on a timer, so each waits its own time and others are served meanwhile
// (a client sends its next request on a connection only after the answer).
// `written` runs on that thread once an answer is written or its client has
// gone; answers still waiting when stop() runs are dropped without it.
// Thread: start() and stop() from the owner's thread.
class Host
{
public:
    using Answer = std::function<Reply(const Request &)>;
    using Delay = std::function<int()>;
    using Written = std::function<void(const Reply &)>;

    explicit Host(const QString &threadName);
    ~Host(); // stop()
    Host(const Host &) = delete;
    Host &operator=(const Host &) = delete;

    // False (and `error`) when it cannot listen.
    bool start(QMutex *guard, Answer answer, Delay delay, Written written, QString *error);
    void stop(); // closes the port, drops answers still waiting; idempotent
    bool running() const;
    quint16 port() const; // 0 when stopped; any thread

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Lookback::Test::FakeHttp

namespace Lookback::Test {

// The messages whose content a fake (GoogleFake, MicrosoftFake: their
// allContentFetches()) sent more than once.
template <class Fake>
QStringList fetchedTwice(const Fake &fake)
{
    QStringList twice;
    const QHash<QString, int> all = fake.allContentFetches();
    for (auto it = all.cbegin(); it != all.cend(); ++it) {
        if (it.value() > 1)
            twice << it.key();
    }
    return twice;
}

// How many times a fake sent content it had sent before.
template <class Fake>
int fetchedAgain(const Fake &fake)
{
    int again = 0;
    const QHash<QString, int> all = fake.allContentFetches();
    for (auto it = all.cbegin(); it != all.cend(); ++it)
        again += it.value() - 1;
    return again;
}

} // namespace Lookback::Test
