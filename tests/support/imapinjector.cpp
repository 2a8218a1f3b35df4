#include "imapinjector.h"

#include "tcprelay.h"

#include <QHash>
#include <QMutex>
#include <QMutexLocker>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <limits>

namespace Lookback::Test {

namespace {

constexpr qint64 kRecordLimit = 16ll * 1024 * 1024;
constexpr qint64 kWriteAhead = 256 * 1024; // a flood is generated only as fast as the client takes it
constexpr int kFloodBatch = 4096;

// Splits a stream into IMAP frames: a line ending in CRLF, continued across
// the literals ({n}, {n+}, ~{n}) announced at a line's end. Independent of
// the client's parser on purpose: the tool must not share its bugs.
class Framer
{
public:
    void feed(const QByteArray &bytes) { m_buffer += bytes; }
    bool next(QByteArray *frame)
    {
        for (;;) {
            if (m_literalLeft > 0) {
                if (m_buffer.size() - m_scan < m_literalLeft)
                    return false;
                m_scan += m_literalLeft;
                m_literalLeft = 0;
            }
            const qsizetype eol = m_buffer.indexOf("\r\n", m_scan);
            if (eol < 0)
                return false;
            const qint64 literal = literalAtLineEnd(eol);
            m_scan = eol + 2;
            if (literal >= 0) {
                m_literalLeft = literal;
                continue;
            }
            *frame = m_buffer.left(m_scan);
            m_buffer.remove(0, m_scan);
            m_scan = 0;
            return true;
        }
    }
    QByteArray takeRest()
    {
        QByteArray rest = m_buffer;
        m_buffer.clear();
        m_scan = 0;
        m_literalLeft = 0;
        return rest;
    }

private:
    qint64 literalAtLineEnd(qsizetype eol) const
    {
        if (eol == 0 || m_buffer.at(eol - 1) != '}')
            return -1;
        qsizetype i = eol - 2;
        if (i >= 0 && m_buffer.at(i) == '+')
            --i;
        const qsizetype digitsEnd = i + 1;
        while (i >= m_scan && m_buffer.at(i) >= '0' && m_buffer.at(i) <= '9')
            --i;
        if (i < m_scan || m_buffer.at(i) != '{' || i + 1 == digitsEnd)
            return -1;
        return m_buffer.mid(i + 1, digitsEnd - i - 1).toLongLong();
    }

    QByteArray m_buffer;
    qint64 m_scan = 0;
    qint64 m_literalLeft = 0;
};

// Index of the ')' closing the list opened at `open`, skipping quoted strings
// and literals; -1 if it is not closed.
qsizetype listEnd(const QByteArray &s, qsizetype open)
{
    int depth = 0;
    for (qsizetype i = open; i < s.size(); ++i) {
        const char c = s.at(i);
        if (c == '"') {
            for (++i; i < s.size() && s.at(i) != '"'; ++i) {
                if (s.at(i) == '\\')
                    ++i;
            }
        } else if (c == '{') {
            const qsizetype close = s.indexOf('}', i);
            if (close < 0)
                return -1;
            QByteArray n = s.mid(i + 1, close - i - 1);
            if (n.endsWith('+'))
                n.chop(1);
            i = close + 2 + n.toLongLong() - 1; // past "}\r\n" and the literal
        } else if (c == '(') {
            ++depth;
        } else if (c == ')') {
            if (--depth == 0)
                return i;
        }
    }
    return -1;
}

quint32 fetchUid(const QByteArray &response)
{
    static const QRegularExpression re(QStringLiteral("[( ]UID (\\d+)"));
    const qsizetype eol = response.indexOf("\r\n");
    const QRegularExpressionMatch m = re.match(QString::fromLatin1(response.left(eol)));
    return m.hasMatch() ? m.captured(1).toUInt() : 0;
}

// "* 12 FETCH (...)" -> "FETCH"; "* SEARCH 1 2" -> "SEARCH"; "* OK ..." -> "OK".
QByteArray untaggedName(const QByteArray &response)
{
    const QList<QByteArray> words = response.left(64).split(' ');
    if (words.size() < 2)
        return {};
    const bool numbered = !words.at(1).isEmpty() && std::all_of(words.at(1).cbegin(), words.at(1).cend(),
                                                                [](char c) { return c >= '0' && c <= '9'; });
    QByteArray name = numbered ? words.value(2) : words.at(1);
    while (name.endsWith('\n') || name.endsWith('\r'))
        name.chop(1);
    return name.toUpper();
}

QString mailboxArgument(const QByteArray &rest)
{
    QByteArray name;
    if (rest.startsWith('"')) {
        for (qsizetype i = 1; i < rest.size() && rest.at(i) != '"'; ++i) {
            if (rest.at(i) == '\\' && i + 1 < rest.size())
                ++i;
            name += rest.at(i);
        }
    } else {
        name = rest.left(rest.indexOf(' ') < 0 ? rest.size() : rest.indexOf(' '));
    }
    return QString::fromUtf8(name);
}

} // namespace

namespace {

// The rules and the records, shared by the test's thread and the relay's.
struct InjectorState
{
    enum class Kind { Greeting, AtStart, BeforeTagged, BeforeResponse, Refuse, Corrupt, Drip, Flood, Search, Rewrite,
                      ReplaceTagged, AfterStartTls };
    struct Rule
    {
        int id = 0;
        Kind kind = Kind::AtStart;
        ImapInjector::Match match;
        QByteArray needle; // BeforeResponse
        QByteArray data;
        quint32 uid = 0;
        ImapInjector::Corruption how = ImapInjector::Corruption::BadSize;
        int intervalMs = 0;
        qint64 count = 0;
        QVector<quint32> uids;
        QRegularExpression re;
        int times = -1;
        int fired = 0;
    };

    mutable QMutex mutex;
    QVector<Rule> rules;
    int nextId = 1;
    QList<ImapInjector::ClientLine> clientLines;
    QHash<int, QByteArray> delivered;
    qint64 floodLines = 0;
    qint64 longestLine = 0;

    int add(Rule rule)
    {
        QMutexLocker lock(&mutex);
        rule.id = nextId++;
        rules << rule;
        return rule.id;
    }
    QVector<Rule> snapshot() const
    {
        QMutexLocker lock(&mutex);
        return rules;
    }
    // Counts one use of the rule; false once it has none left.
    bool fire(int id)
    {
        QMutexLocker lock(&mutex);
        for (Rule &r : rules) {
            if (r.id != id)
                continue;
            if (r.times >= 0 && r.fired >= r.times)
                return false;
            ++r.fired;
            return true;
        }
        return false;
    }
};

using Rule = InjectorState::Rule;
using Kind = InjectorState::Kind;

// One relayed connection; lives on the relay thread.
class InjectorSession : public QObject
{
public:
    InjectorSession(QTcpSocket *client, QTcpSocket *server, int index, InjectorState *p)
        : m_client(client)
        , m_server(server)
        , m_index(index)
        , m_p(p)
    {
        client->setParent(this);
        server->setParent(this);
        connect(client, &QTcpSocket::readyRead, this, &InjectorSession::fromClient);
        connect(server, &QTcpSocket::readyRead, this, &InjectorSession::fromServer);
        connect(client, &QTcpSocket::bytesWritten, this, &InjectorSession::flush);
        connect(client, &QTcpSocket::disconnected, this, [this] {
            m_queue.clear();
            m_dripTimer.stop();
            m_server->disconnectFromHost();
            maybeDone();
        });
        connect(server, &QTcpSocket::disconnected, this, [this] {
            m_serverGone = true;
            flush();
            maybeDone();
        });
        connect(&m_dripTimer, &QTimer::timeout, this, &InjectorSession::dripOne);
        fromClient();
        fromServer();
    }

private:
    struct Command
    {
        QByteArray tag;
        QByteArray upper; // the text without the tag, upper-cased
        QString mailbox;
        bool answered = false; // a response to it has been seen
        bool refused = false;
        QByteArray refusal;
    };
    struct Out
    {
        QByteArray bytes;
        QByteArray floodLine;
        qint64 floodLeft = 0;
        bool record = true; // part of the plain-text conversation

        static Out of(const QByteArray &bytes, bool record = true)
        {
            Out o;
            o.bytes = bytes;
            o.record = record;
            return o;
        }
        static Out flood(const QByteArray &line, qint64 count)
        {
            Out o;
            o.floodLine = line;
            o.floodLeft = count;
            return o;
        }
    };

    bool matches(const ImapInjector::Match &m, const Command *c) const
    {
        if (m.command.isEmpty() && m.mailbox.isEmpty())
            return true;
        if (!c)
            return false;
        if (!m.command.isEmpty() && !c->upper.contains(m.command.toUpper()))
            return false;
        return m.mailbox.isEmpty() || m.mailbox.compare(c->mailbox, Qt::CaseInsensitive) == 0;
    }

    void fromClient()
    {
        const QByteArray data = m_client->readAll();
        if (data.isEmpty())
            return;
        // Forwarded as it comes (a synchronising literal waits for the server's "+");
        // a copy is framed for the log and for knowing what each response answers.
        m_server->write(data);
        if (m_raw)
            return;
        m_clientFramer.feed(data);
        QByteArray frame;
        while (m_clientFramer.next(&frame))
            clientLine(frame.left(frame.size() - 2));
    }

    void clientLine(const QByteArray &line)
    {
        ImapInjector::ClientLine entry;
        entry.connection = m_index;
        if (m_continuationData) {
            m_continuationData = false;
            entry.text = line;
        } else {
            const qsizetype space = line.indexOf(' ');
            Command c;
            c.tag = space < 0 ? line : line.left(space);
            const QByteArray text = space < 0 ? QByteArray() : line.mid(space + 1);
            c.upper = text.toUpper();
            if (c.upper.startsWith("SELECT ") || c.upper.startsWith("EXAMINE "))
                m_mailbox = mailboxArgument(text.mid(text.indexOf(' ') + 1));
            else if (c.upper == "UNSELECT" || c.upper == "CLOSE")
                m_mailbox.clear();
            c.mailbox = m_mailbox;
            m_commands << c;
            entry.tag = c.tag;
            entry.text = text;
        }
        entry.mailbox = m_mailbox;
        QMutexLocker lock(&m_p->mutex);
        m_p->clientLines << entry;
    }

    void fromServer()
    {
        const QByteArray data = m_server->readAll();
        if (data.isEmpty())
            return;
        if (m_raw) {
            enqueue(Out::of(data, false));
            return;
        }
        m_serverFramer.feed(data);
        QByteArray frame;
        while (!m_raw && m_serverFramer.next(&frame))
            response(frame);
        if (m_raw) {
            const QByteArray rest = m_serverFramer.takeRest();
            if (!rest.isEmpty())
                enqueue(Out::of(rest, false));
        }
    }

    void response(const QByteArray &r)
    {
        const bool untagged = r.startsWith("* ");
        const bool continuation = r.startsWith('+');
        const bool greeting = !m_greeted && untagged;
        m_greeted = true;
        QByteArray tag;
        qsizetype cmdIndex = -1;
        if (!untagged && !continuation) {
            tag = r.left(r.indexOf(' '));
            for (qsizetype i = 0; i < m_commands.size(); ++i) {
                if (m_commands.at(i).tag == tag)
                    cmdIndex = i;
            }
        } else if (!m_commands.isEmpty()) {
            cmdIndex = 0; // the client sends one command at a time
        }
        Command *cmd = cmdIndex >= 0 ? &m_commands[cmdIndex] : nullptr;
        if (continuation)
            m_continuationData = true;
        const QByteArray name = untagged ? untaggedName(r) : QByteArray();
        const QVector<Rule> rules = m_p->snapshot();
        QList<Out> before;
        QByteArray out = r;
        QByteArray after;

        for (const Rule &rule : rules) {
            if (rule.kind == Kind::Greeting && greeting && m_p->fire(rule.id))
                out = rule.data + "\r\n";
            if (rule.kind == Kind::BeforeResponse && r.contains(rule.needle) && m_p->fire(rule.id))
                before << Out::of(rule.data);
            if (rule.kind == Kind::Rewrite && matches(rule.match, greeting ? nullptr : cmd)) {
                QString text = QString::fromLatin1(out);
                const QString replaced = text.replace(rule.re, QString::fromLatin1(rule.data));
                if (replaced.toLatin1() != out && m_p->fire(rule.id))
                    out = replaced.toLatin1();
            }
        }
        if (cmd && !continuation) {
            if (!cmd->answered) {
                cmd->answered = true;
                for (const Rule &rule : rules) {
                    if (rule.kind == Kind::AtStart && matches(rule.match, cmd) && m_p->fire(rule.id))
                        before << Out::of(rule.data);
                    if (rule.kind == Kind::Drip && matches(rule.match, cmd) && m_p->fire(rule.id))
                        startDrip(rule.intervalMs);
                }
            }
            if (untagged && name == "FETCH")
                fetchResponse(rules, cmd, &out);
            if (untagged && (name == "SEARCH" || name == "ESEARCH")) {
                for (const Rule &rule : rules) {
                    if (rule.kind == Kind::Search && matches(rule.match, cmd))
                        out.clear();
                }
            }
            if (!untagged) {
                for (const Rule &rule : rules) {
                    if (!matches(rule.match, cmd))
                        continue;
                    if (rule.kind == Kind::Search && m_p->fire(rule.id)) {
                        QByteArray line = "* SEARCH";
                        line.reserve(rule.uids.size() * 8 + 16);
                        for (quint32 uid : rule.uids)
                            line += ' ' + QByteArray::number(uid);
                        before << Out::of(line + "\r\n");
                    } else if (rule.kind == Kind::Flood && m_p->fire(rule.id)) {
                        before << Out::flood(rule.data + "\r\n", rule.count);
                    } else if (rule.kind == Kind::BeforeTagged && m_p->fire(rule.id)) {
                        before << Out::of(rule.data);
                    }
                }
                if (cmd->refused)
                    out = tag + " NO " + cmd->refusal + "\r\n";
                for (const Rule &rule : rules) {
                    if (rule.kind == Kind::ReplaceTagged && matches(rule.match, cmd) && m_p->fire(rule.id))
                        out = tag + ' ' + rule.data + "\r\n";
                }
                const bool startTls = cmd->upper == "STARTTLS" && out.startsWith(QByteArray(tag + " OK"));
                if (startTls) {
                    for (const Rule &rule : rules) {
                        if (rule.kind == Kind::AfterStartTls && m_p->fire(rule.id))
                            after += rule.data;
                    }
                }
                m_commands.removeAt(cmdIndex);
                for (const Out &o : before)
                    enqueue(o);
                enqueue(Out::of(out + after));
                if (startTls)
                    m_raw = true; // from here on TLS: relayed untouched
                return;
            }
        }
        for (const Out &o : before)
            enqueue(o);
        if (!out.isEmpty())
            enqueue(Out::of(out));
    }

    void fetchResponse(const QVector<Rule> &rules, Command *cmd, QByteArray *out)
    {
        const quint32 uid = fetchUid(*out);
        if (uid == 0)
            return;
        for (const Rule &rule : rules) {
            if (rule.uid != uid || (!rule.match.mailbox.isEmpty()
                                    && rule.match.mailbox.compare(cmd->mailbox, Qt::CaseInsensitive) != 0))
                continue;
            if (rule.kind == Kind::Refuse && cmd->upper.contains("FETCH") && m_p->fire(rule.id)) {
                out->clear();
                cmd->refused = true;
                cmd->refusal = rule.data;
                return;
            }
            if (rule.kind == Kind::Corrupt) {
                const QByteArray damaged = corrupt(*out, rule.how);
                if (damaged != *out && m_p->fire(rule.id))
                    *out = damaged;
            }
        }
    }

    static QByteArray corrupt(const QByteArray &r, ImapInjector::Corruption how)
    {
        using C = ImapInjector::Corruption;
        if (how == C::BadSize) {
            static const QRegularExpression size(QStringLiteral("RFC822\\.SIZE \\d+"));
            return QString::fromLatin1(r).replace(size, QStringLiteral("RFC822.SIZE x")).toLatin1();
        }
        const qsizetype item = r.indexOf("BODYSTRUCTURE (");
        if (item < 0)
            return r;
        const qsizetype open = item + 14;
        const qsizetype close = listEnd(r, open);
        if (close < 0)
            return r;
        QByteArray d = r;
        switch (how) {
        case C::BadBodyStructure:
            d.replace(open, close - open + 1, "NIL");
            break;
        case C::NoBodyStructure: {
            // The item and one space next to it: "(A BODYSTRUCTURE (..) B)" -> "(A B)".
            qsizetype from = item, to = close + 1;
            if (from > 0 && d.at(from - 1) == ' ')
                --from;
            else if (to < d.size() && d.at(to) == ' ')
                ++to;
            d.remove(from, to - from);
            break;
        }
        case C::BrokenSyntax:
            d.insert(open, '('); // one more "(" than ")"
            break;
        case C::BadSize:
            break;
        }
        return d;
    }

    void startDrip(int intervalMs)
    {
        m_dripMs = std::max(1, intervalMs);
        m_dripTimer.setInterval(m_dripMs);
    }

    void enqueue(const Out &o)
    {
        if (o.bytes.isEmpty() && o.floodLeft <= 0)
            return;
        m_queue << o;
        flush();
    }

    void write(const QByteArray &bytes, bool record)
    {
        m_client->write(bytes);
        if (!record)
            return;
        qint64 longest = 0;
        for (char c : bytes) {
            if (c == '\n') {
                longest = std::max(longest, m_lineLength);
                m_lineLength = 0;
            } else {
                ++m_lineLength;
            }
        }
        longest = std::max(longest, m_lineLength);
        QMutexLocker lock(&m_p->mutex);
        QByteArray &log = m_p->delivered[m_index];
        if (log.size() < kRecordLimit)
            log += bytes.left(kRecordLimit - log.size());
        m_p->longestLine = std::max(m_p->longestLine, longest);
    }

    // The next bytes of the front item (flood lines are made here, in batches).
    QByteArray take(qint64 max)
    {
        Out &o = m_queue.first();
        if (o.floodLeft > 0 && o.bytes.isEmpty()) {
            const qint64 n = std::min<qint64>(o.floodLeft, kFloodBatch);
            o.bytes = o.floodLine.repeated(int(n));
            o.floodLeft -= n;
            QMutexLocker lock(&m_p->mutex);
            m_p->floodLines += n;
        }
        const QByteArray chunk = o.bytes.left(max);
        o.bytes.remove(0, chunk.size());
        return chunk;
    }

    void flush()
    {
        if (m_dripMs > 0) {
            if (!m_queue.isEmpty() && !m_dripTimer.isActive())
                m_dripTimer.start();
            return;
        }
        while (!m_queue.isEmpty() && m_client->state() == QAbstractSocket::ConnectedState) {
            if (m_client->bytesToWrite() > kWriteAhead)
                return; // bytesWritten() comes back
            const bool record = m_queue.first().record;
            const QByteArray chunk = take(std::numeric_limits<int>::max());
            if (!chunk.isEmpty())
                write(chunk, record);
            if (m_queue.first().bytes.isEmpty() && m_queue.first().floodLeft <= 0)
                m_queue.removeFirst();
        }
        if (m_queue.isEmpty() && m_serverGone)
            m_client->disconnectFromHost();
    }

    void dripOne()
    {
        if (m_queue.isEmpty()) {
            m_dripTimer.stop();
            if (m_serverGone)
                m_client->disconnectFromHost();
            return;
        }
        const bool record = m_queue.first().record;
        write(take(1), record);
        if (m_queue.first().bytes.isEmpty() && m_queue.first().floodLeft <= 0)
            m_queue.removeFirst();
    }

    void maybeDone()
    {
        if (m_client->state() == QAbstractSocket::UnconnectedState && m_server->state() == QAbstractSocket::UnconnectedState)
            deleteLater();
    }

    QTcpSocket *m_client;
    QTcpSocket *m_server;
    int m_index;
    InjectorState *m_p;
    Framer m_clientFramer;
    Framer m_serverFramer;
    QList<Command> m_commands; // sent, not yet answered with their tag
    QString m_mailbox;
    QList<Out> m_queue;        // to the client, in order
    QTimer m_dripTimer;
    int m_dripMs = 0;
    qint64 m_lineLength = 0;
    bool m_greeted = false;
    bool m_continuationData = false;
    bool m_raw = false;
    bool m_serverGone = false;
};

} // namespace

struct ImapInjector::Private : InjectorState
{
    std::unique_ptr<TcpRelay> relay;
};

ImapInjector::ImapInjector()
    : d(std::make_unique<Private>())
{
    Private *p = d.get();
    d->relay = std::make_unique<TcpRelay>([p](QTcpSocket *client, QTcpSocket *server, int index) -> QObject * {
        return new InjectorSession(client, server, index, p);
    });
}

ImapInjector::~ImapInjector()
{
    stop();
}

bool ImapInjector::start(const QString &host, quint16 plainPort, QString *error)
{
    return d->relay->start(host, plainPort, error);
}

void ImapInjector::stop()
{
    d->relay->stop();
}

quint16 ImapInjector::port() const
{
    return d->relay->port();
}

int ImapInjector::setGreeting(const QByteArray &line, int times)
{
    InjectorState::Rule r;
    r.kind = InjectorState::Kind::Greeting;
    r.data = line;
    r.times = times;
    return d->add(r);
}

int ImapInjector::insertAtStart(const Match &match, const QByteArray &responses, int times)
{
    InjectorState::Rule r;
    r.kind = InjectorState::Kind::AtStart;
    r.match = match;
    r.data = responses;
    r.times = times;
    return d->add(r);
}

int ImapInjector::insertBeforeTagged(const Match &match, const QByteArray &responses, int times)
{
    InjectorState::Rule r;
    r.kind = InjectorState::Kind::BeforeTagged;
    r.match = match;
    r.data = responses;
    r.times = times;
    return d->add(r);
}

int ImapInjector::insertBeforeResponse(const QByteArray &needle, const QByteArray &responses, int times)
{
    InjectorState::Rule r;
    r.kind = InjectorState::Kind::BeforeResponse;
    r.needle = needle;
    r.data = responses;
    r.times = times;
    return d->add(r);
}

int ImapInjector::refuseFetch(const QString &mailbox, quint32 uid, const QByteArray &text, int times)
{
    InjectorState::Rule r;
    r.kind = InjectorState::Kind::Refuse;
    r.match.mailbox = mailbox;
    r.uid = uid;
    r.data = text;
    r.times = times;
    return d->add(r);
}

int ImapInjector::corruptFetch(const QString &mailbox, quint32 uid, Corruption how, int times)
{
    InjectorState::Rule r;
    r.kind = InjectorState::Kind::Corrupt;
    r.match.mailbox = mailbox;
    r.uid = uid;
    r.how = how;
    r.times = times;
    return d->add(r);
}

int ImapInjector::drip(const Match &match, int intervalMs, int times)
{
    InjectorState::Rule r;
    r.kind = InjectorState::Kind::Drip;
    r.match = match;
    r.intervalMs = intervalMs;
    r.times = times;
    return d->add(r);
}

int ImapInjector::flood(const Match &match, const QByteArray &line, qint64 count, int times)
{
    InjectorState::Rule r;
    r.kind = InjectorState::Kind::Flood;
    r.match = match;
    r.data = line;
    r.count = count;
    r.times = times;
    return d->add(r);
}

int ImapInjector::answerSearch(const Match &match, const QVector<quint32> &uids, int times)
{
    InjectorState::Rule r;
    r.kind = InjectorState::Kind::Search;
    r.match = match;
    r.uids = uids;
    r.times = times;
    return d->add(r);
}

int ImapInjector::rewrite(const Match &match, const QRegularExpression &re, const QByteArray &replacement, int times)
{
    InjectorState::Rule r;
    r.kind = InjectorState::Kind::Rewrite;
    r.match = match;
    r.re = re;
    r.data = replacement;
    r.times = times;
    return d->add(r);
}

int ImapInjector::removeCapability(const QByteArray &capability)
{
    // Only inside a capability list: the greeting's and a tagged reply's
    // [CAPABILITY ...] code, or an untagged CAPABILITY response.
    const QString cap = QRegularExpression::escape(QString::fromLatin1(capability));
    return rewrite({}, QRegularExpression(QStringLiteral("((?:\\[|^\\* )CAPABILITY [^\\]\\r\\n]*?) %1(?=[ \\]\\r])").arg(cap),
                                          QRegularExpression::CaseInsensitiveOption | QRegularExpression::MultilineOption),
                   "\\1");
}

int ImapInjector::replaceTagged(const Match &match, const QByteArray &statusAndText, int times)
{
    InjectorState::Rule r;
    r.kind = InjectorState::Kind::ReplaceTagged;
    r.match = match;
    r.data = statusAndText;
    r.times = times;
    return d->add(r);
}

int ImapInjector::injectAfterStartTls(const QByteArray &plaintext, int times)
{
    InjectorState::Rule r;
    r.kind = InjectorState::Kind::AfterStartTls;
    r.data = plaintext;
    r.times = times;
    return d->add(r);
}

void ImapInjector::clearRules()
{
    QMutexLocker lock(&d->mutex);
    d->rules.clear();
}

int ImapInjector::fired(int id) const
{
    QMutexLocker lock(&d->mutex);
    for (const InjectorState::Rule &r : d->rules) {
        if (r.id == id)
            return r.fired;
    }
    return 0;
}

int ImapInjector::connections() const
{
    return d->relay->connections();
}

QList<ImapInjector::ClientLine> ImapInjector::clientLines() const
{
    QMutexLocker lock(&d->mutex);
    return d->clientLines;
}

QByteArray ImapInjector::toClient(int connection) const
{
    QMutexLocker lock(&d->mutex);
    return d->delivered.value(connection);
}

qint64 ImapInjector::floodLinesDelivered() const
{
    QMutexLocker lock(&d->mutex);
    return d->floodLines;
}

qint64 ImapInjector::longestLineDelivered() const
{
    QMutexLocker lock(&d->mutex);
    return d->longestLine;
}

} // namespace Lookback::Test
