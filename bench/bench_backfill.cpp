// bench_backfill: `lookback-cli backfill --range all` against `mbsync` (isync), both
// pulling INBOX from the same real Dovecot loaded with the cygwin-patches corpus.
//
// For every mailbox size N: one Dovecot (rawlog on), N messages in INBOX, W untimed
// warm-up runs of each tool (they fill Dovecot's index/cache and the page cache), then K
// timed rounds alternating the order of the tools. Every run starts from an empty
// archive / Maildir. Each run is a fork+exec measured with wait4(): wall time,
// user+sys CPU, peak RSS (GNU time %M). The server-side rawlog of the run's IMAP
// sessions gives the bytes the server sent (timestamps stripped). Prints Markdown.
//
// Not a test: it is not registered with ctest. See bench/run.sh and docs/PERFORMANCE.md.

#include "benchcommon.h"
#include "corpusloader.h"
#include "dovecotserver.h"
#include "keyringsession.h"
#include "testpaths.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

using namespace Lookback::Bench;
using namespace Lookback::Test;

namespace {

// ---- one measured child process ------------------------------------------------

struct Measured {
    bool started = false;
    int exitCode = -1; // -1 when killed by a signal
    double wall = 0;   // s
    double cpu = 0;    // user + sys, s
    long maxRssKb = 0;
    QByteArray stdoutData;
    QByteArray stderrData;
};

// fork + execve + wait4. stdout/stderr go to files in scratchDir (no pipe to drain while
// the child runs), stdin gets `input` and is closed.
Measured runMeasured(const QString &program, const QStringList &args, const QProcessEnvironment &env,
                     const QByteArray &input, const QString &scratchDir)
{
    Measured m;
    const QString exe = program.contains(QLatin1Char('/')) ? program : QStandardPaths::findExecutable(program);
    if (exe.isEmpty()) {
        m.stderrData = "not found: " + program.toUtf8();
        return m;
    }
    // Run through GNU time, which forks the tool and reports its peak RSS: a child forked
    // straight from this process would inherit the benchmark's own memory as its RSS
    // high-water mark (Linux carries it across exec, and wait4 reports the larger of a
    // process's and its children's), so every tool smaller than us would show our size.
    // Wall and CPU still come from wait4 here; time itself adds about a millisecond.
    const QByteArray rssPath = QFile::encodeName(scratchDir + QStringLiteral("/child.rss"));
    std::vector<std::string> argStore{"/usr/bin/time", "-f", "%M", "-o", rssPath.toStdString(),
                                      QFile::encodeName(exe).toStdString()};
    for (const QString &a : args)
        argStore.push_back(a.toStdString());
    std::vector<std::string> envStore;
    for (const QString &e : env.toStringList())
        envStore.push_back(e.toStdString());
    std::vector<char *> argv, envp;
    for (auto &s : argStore)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    for (auto &s : envStore)
        envp.push_back(s.data());
    envp.push_back(nullptr);

    const QByteArray outPath = QFile::encodeName(scratchDir + QStringLiteral("/child.stdout"));
    const QByteArray errPath = QFile::encodeName(scratchDir + QStringLiteral("/child.stderr"));
    const int outFd = ::open(outPath.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const int errFd = ::open(errPath.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int inPipe[2];
    if (outFd < 0 || errFd < 0 || ::pipe2(inPipe, O_CLOEXEC) != 0)
        die(QStringLiteral("cannot set up the child's stdio: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));

    const double t0 = monotonicSeconds();
    const pid_t pid = ::fork();
    if (pid < 0)
        die(QStringLiteral("fork failed"));
    if (pid == 0) {
        ::dup2(inPipe[0], 0);
        ::dup2(outFd, 1);
        ::dup2(errFd, 2);
        ::signal(SIGPIPE, SIG_DFL);
        ::execve(argv[0], argv.data(), envp.data());
        _exit(127);
    }
    m.started = true;
    ::close(inPipe[0]);
    ::signal(SIGPIPE, SIG_IGN);
    qsizetype off = 0;
    while (off < input.size()) {
        const ssize_t n = ::write(inPipe[1], input.constData() + off, size_t(input.size() - off));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        off += n;
    }
    ::close(inPipe[1]);
    int status = 0;
    rusage ru{};
    while (::wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
    }
    m.wall = monotonicSeconds() - t0;
    ::close(outFd);
    ::close(errFd);
    m.cpu = double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    // The last line of time's report is %M (before it, a note when the tool failed).
    const QList<QByteArray> rssLines = readAll(QFile::decodeName(rssPath)).trimmed().split('\n');
    m.maxRssKb = rssLines.isEmpty() ? -1 : rssLines.last().trimmed().toLong();
    m.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    m.stdoutData = readAll(QFile::decodeName(outPath));
    m.stderrData = readAll(QFile::decodeName(errPath));
    return m;
}

// ---- helpers -------------------------------------------------------------------

qint64 treeBytes(const QString &dir)
{
    qint64 total = 0;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        total += it.fileInfo().size();
    }
    return total;
}

int filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::NoDotAndDotDot).size();
}

// Dovecot's rawlog prefixes each line with "SECS.USECS "; count the protocol bytes only.
qint64 rawlogPayloadBytes(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    qint64 total = 0;
    bool atLineStart = true;
    QByteArray chunk;
    QByteArray carry; // a line start that straddles two chunks
    while (!(chunk = f.read(1 << 20)).isEmpty()) {
        QByteArray buf = carry + chunk;
        carry.clear();
        int pos = 0;
        while (pos < buf.size()) {
            if (atLineStart) {
                // Need up to 10+1+6+1 bytes to decide; keep a short tail for the next chunk.
                if (buf.size() - pos < 24 && !f.atEnd()) {
                    carry = buf.mid(pos);
                    break;
                }
                int i = pos;
                while (i < buf.size() && i - pos < 12 && buf.at(i) >= '0' && buf.at(i) <= '9')
                    ++i;
                if (i > pos && i < buf.size() && buf.at(i) == '.') {
                    int j = i + 1;
                    while (j < buf.size() && buf.at(j) >= '0' && buf.at(j) <= '9')
                        ++j;
                    if (j - i - 1 == 6 && j < buf.size() && buf.at(j) == ' ')
                        pos = j + 1;
                }
                atLineStart = false;
            }
            const int eol = buf.indexOf('\n', pos);
            if (eol < 0) {
                total += buf.size() - pos;
                pos = buf.size();
            } else {
                total += eol + 1 - pos;
                pos = eol + 1;
                atLineStart = true;
            }
        }
    }
    total += carry.size();
    return total;
}

// CPU time (user + sys, s) of the Dovecot master's reaped children: imap, imap-login,
// auth... Each IMAP session runs in an imap process of its own that exits with the
// session, so the difference around a run is the server's work for that run.
double serverChildrenCpu(const DovecotServer &server)
{
    const QByteArray pid = readAll(server.rootDir() + QStringLiteral("/run/master.pid")).trimmed();
    if (pid.isEmpty())
        return 0;
    const QByteArray stat = readAll(QStringLiteral("/proc/%1/stat").arg(QString::fromLatin1(pid)));
    const int close = stat.lastIndexOf(')');
    if (close < 0)
        return 0;
    // After "pid (comm) ": field 3 is state; cutime and cstime are fields 16 and 17.
    const QList<QByteArray> f = stat.mid(close + 2).split(' ');
    if (f.size() < 15)
        return 0;
    const double ticks = double(::sysconf(_SC_CLK_TCK));
    return (f.at(13).toDouble() + f.at(14).toDouble()) / ticks;
}

struct Traffic {
    qint64 fromServer = 0;
    qint64 toServer = 0;
    int sessions = 0;
};

// Waits until the rawlog files stop growing (the imap process may still be flushing
// after the client exits), then sums them.
Traffic collectTraffic(const DovecotServer &server)
{
    qint64 lastTotal = -1;
    int stable = 0;
    for (int i = 0; i < 100 && stable < 3; ++i) {
        qint64 total = 0;
        for (const QString &p : server.rawLogOutputs() + server.rawLogInputs())
            total += QFileInfo(p).size();
        stable = (total == lastTotal) ? stable + 1 : 0;
        lastTotal = total;
        QThread::msleep(50);
    }
    Traffic t;
    for (const QString &p : server.rawLogOutputs()) {
        t.fromServer += rawlogPayloadBytes(p);
        ++t.sessions;
    }
    for (const QString &p : server.rawLogInputs())
        t.toServer += rawlogPayloadBytes(p);
    return t;
}

// ---- the tools -----------------------------------------------------------------

enum class Tool { Mbsync, MbsyncNoFsync, Lookback };

QString toolLabel(Tool t)
{
    switch (t) {
    case Tool::Mbsync:
        return QStringLiteral("mbsync (FSync yes, as shipped)");
    case Tool::MbsyncNoFsync:
        return QStringLiteral("mbsync (FSync no)");
    case Tool::Lookback:
        return QStringLiteral("lookback-cli backfill --range all");
    }
    return QString();
}

struct RunResult {
    Tool tool;
    int round = 0; // 0 = warm-up
    Measured m;
    qint64 archived = 0;
    Traffic traffic;
    qint64 diskBytes = 0;
    double serverCpu = 0;
};

struct Options {
    struct Size {
        int count = 0;     // 0 = all
        bool last = false; // the last `count` files by name (the newest, largest messages) instead of the first
    };
    QList<Size> sizes;
    int rounds = 3;
    int warmup = 1;
    QList<Tool> tools;
    QString cli;
    QString mbsync = QStringLiteral("mbsync");
    QString workDir = QDir::tempPath();
    QString pageSize;
    QStringList lookbackPrefix; // e.g. perf record ... -- (profiling only)
    bool keep = false;
    // After the whole corpus: lookback-cli search vs notmuch search (same queries).
    bool search = false;
    int searchRounds = 10;
    QString notmuch = QStringLiteral("notmuch");
};

class Bench
{
public:
    Bench(const Options &o, KeyringSession &keyring, DovecotServer &server, const QString &runRoot)
        : m_o(o), m_keyring(keyring), m_server(server), m_runRoot(runRoot), m_env(keyring.environment())
    {
    }

    RunResult run(Tool tool, int round, int n)
    {
        const QString dir = QStringLiteral("%1/n%2-r%3-%4").arg(m_runRoot).arg(n).arg(round).arg(
            tool == Tool::Lookback ? QStringLiteral("lookback")
                                   : tool == Tool::Mbsync ? QStringLiteral("mbsync") : QStringLiteral("mbsync-nofsync"));
        QDir().mkpath(dir);
        RunResult r{tool, round, {}, 0, {}, 0, 0};
        if (tool == Tool::Lookback)
            runLookback(dir, &r);
        else
            runMbsync(dir, tool == Tool::Mbsync, &r);
        if (!m_o.keep)
            QDir(dir).removeRecursively();
        return r;
    }

    // An archive of the whole mailbox for the search comparison (not timed).
    QString buildArchive(const QString &dir)
    {
        QDir().mkpath(dir);
        RunResult r{Tool::Lookback, 0, {}, 0, {}, 0, 0};
        runLookback(dir, &r);
        return dir + QStringLiteral("/data");
    }

private:
    void check(const Measured &m, const QString &what)
    {
        if (m.exitCode != 0)
            die(QStringLiteral("%1 failed (exit %2):\n%3\n%4\nDovecot log:\n%5")
                    .arg(what)
                    .arg(m.exitCode)
                    .arg(QString::fromUtf8(m.stdoutData.right(2000)), QString::fromUtf8(m.stderrData.right(4000)),
                         m_server.logTail(20)));
    }

    // mbsync -q prints only warnings and errors: show them (e.g. messages it skipped).
    void reportStderr(const Measured &m, const QString &what)
    {
        const QString text = QString::fromUtf8(m.stderrData).trimmed();
        if (text.isEmpty())
            return;
        const QStringList lines = text.split(QLatin1Char('\n'));
        log() << "\n  " << what << " said: " << lines.mid(0, 5).join(QStringLiteral("\n    "))
              << (lines.size() > 5 ? QStringLiteral("\n    (%1 more lines)").arg(lines.size() - 5) : QString()) << "\n  ";
    }

    void runMbsync(const QString &dir, bool fsync, RunResult *r)
    {
        const QString maildir = dir + QStringLiteral("/Maildir");
        QDir().mkpath(maildir);
        QString conf;
        if (!fsync)
            conf += QStringLiteral("FSync no\n\n");
        conf += QStringLiteral("IMAPAccount far\n"
                               "Host localhost\n"
                               "Port %1\n"
                               "SSLType IMAPS\n"
                               "CertificateFile %2\n"
                               "User %3\n"
                               "Pass \"%4\"\n\n")
                    .arg(m_server.tlsPort())
                    .arg(m_server.certificatePath(), m_server.user(), m_server.password());
        conf += QStringLiteral("IMAPStore far\nAccount far\n\n");
        conf += QStringLiteral("MaildirStore near\nPath %1/\nInbox %1/INBOX\n\n").arg(maildir);
        conf += QStringLiteral("Channel bench\nFar :far:\nNear :near:\nPatterns INBOX\nSync Pull\nCreate Near\nSyncState *\n");
        const QString confPath = dir + QStringLiteral("/mbsyncrc");
        QFile f(confPath);
        if (!f.open(QIODevice::WriteOnly) || f.write(conf.toUtf8()) < 0)
            die(QStringLiteral("cannot write %1").arg(confPath));
        f.close();

        m_server.clearRawLogs();
        const double cpu0 = serverChildrenCpu(m_server);
        r->m = runMeasured(m_o.mbsync, {QStringLiteral("-c"), confPath, QStringLiteral("-q"), QStringLiteral("bench")},
                           m_env, QByteArray(), dir);
        check(r->m, QStringLiteral("mbsync"));
        r->traffic = collectTraffic(m_server);
        r->serverCpu = serverChildrenCpu(m_server) - cpu0;
        reportStderr(r->m, QStringLiteral("mbsync"));
        r->archived = filesIn(maildir + QStringLiteral("/INBOX/cur")) + filesIn(maildir + QStringLiteral("/INBOX/new"));
        r->diskBytes = treeBytes(maildir);
    }

    void runLookback(const QString &dir, RunResult *r)
    {
        const QString dataDir = dir + QStringLiteral("/data");
        const QString dd = QStringLiteral("--data-dir");
        const QByteArray pw = m_server.password().toUtf8() + '\n';
        const Measured add = runMeasured(
            m_o.cli,
            {QStringLiteral("add-imap"), QStringLiteral("bench"), QStringLiteral("--host"), m_server.host(),
             QStringLiteral("--port"), QString::number(m_server.tlsPort()), QStringLiteral("--security"),
             QStringLiteral("tls"), QStringLiteral("--user"), m_server.user(), QStringLiteral("--password-stdin"),
             QStringLiteral("--trust-cert"), m_server.certificatePath(), dd, dataDir},
            m_env, pw, dir);
        check(add, QStringLiteral("lookback-cli add-imap"));

        QStringList args{QStringLiteral("backfill"), QStringLiteral("bench"), QStringLiteral("--range"),
                         QStringLiteral("all"), dd, dataDir};
        if (!m_o.pageSize.isEmpty())
            args << QStringLiteral("--page-size") << m_o.pageSize;
        QString program = m_o.cli;
        if (!m_o.lookbackPrefix.isEmpty()) {
            program = m_o.lookbackPrefix.first();
            args = m_o.lookbackPrefix.mid(1) + QStringList{m_o.cli} + args;
        }
        m_server.clearRawLogs();
        const double cpu0 = serverChildrenCpu(m_server);
        r->m = runMeasured(program, args, m_env, QByteArray(), dir);
        check(r->m, QStringLiteral("lookback-cli backfill"));
        r->traffic = collectTraffic(m_server);
        r->serverCpu = serverChildrenCpu(m_server) - cpu0;

        const Measured st = runMeasured(m_o.cli, {QStringLiteral("status"), QStringLiteral("bench"),
                                                  QStringLiteral("--json"), dd, dataDir},
                                        m_env, QByteArray(), dir);
        check(st, QStringLiteral("lookback-cli status"));
        const QJsonArray arr = QJsonDocument::fromJson(st.stdoutData).array();
        r->archived = arr.isEmpty() ? -1 : qint64(arr.at(0).toObject().value(QStringLiteral("archive")).toObject()
                                                      .value(QStringLiteral("total")).toDouble(-1));
        r->diskBytes = treeBytes(dataDir);
    }

    const Options &m_o;
    KeyringSession &m_keyring;
    DovecotServer &m_server;
    QString m_runRoot;
    QProcessEnvironment m_env;
};

struct SizeResult {
    bool last = false;
    int loaded = 0;
    qint64 mailboxBytes = 0;
    QList<RunResult> runs;
};

QList<double> collect(const QList<RunResult> &runs, Tool t, const std::function<double(const RunResult &)> &f)
{
    QList<double> v;
    for (const RunResult &r : runs)
        if (r.tool == t && r.round > 0)
            v << f(r);
    return v;
}

void printSize(const SizeResult &s, const QList<Tool> &tools)
{
    out() << "\n### " << fmtInt(s.loaded) << (s.last ? " messages (the last of the corpus)" : " messages")
          << " in INBOX (" << mib(s.mailboxBytes) << " MiB on the server)\n\n";
    out() << "| tool | timed runs | wall s (median) | msg/s | archived | MiB from server | CPU s | server CPU s | peak RSS MiB | on disk MiB |\n";
    out() << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    QHash<int, double> medWall;
    for (Tool t : tools) {
        const QList<double> wall = collect(s.runs, t, [](const RunResult &r) { return r.m.wall; });
        if (wall.isEmpty())
            continue;
        const double w = median(wall);
        medWall[int(t)] = w;
        const double archived = median(collect(s.runs, t, [](const RunResult &r) { return double(r.archived); }));
        // Messages in the mailbox per second (lookback-cli keeps one copy of a duplicate
        // Message-ID, so "archived" differs; both tools went through all of them).
        const int loaded = s.loaded;
        const double rate = median(collect(s.runs, t, [loaded](const RunResult &r) { return loaded / r.m.wall; }));
        const double serverCpu = median(collect(s.runs, t, [](const RunResult &r) { return r.serverCpu; }));
        const double bytes = median(collect(s.runs, t, [](const RunResult &r) { return double(r.traffic.fromServer); }));
        const double cpu = median(collect(s.runs, t, [](const RunResult &r) { return r.m.cpu; }));
        const QList<double> rssAll = collect(s.runs, t, [](const RunResult &r) { return double(r.m.maxRssKb); });
        const double rss = median(rssAll);
        const double maxRss = *std::max_element(rssAll.cbegin(), rssAll.cend());
        const double disk = median(collect(s.runs, t, [](const RunResult &r) { return double(r.diskBytes); }));
        out() << "| " << toolLabel(t) << " | " << wall.size() << " | " << fmt(w, 2) << " | " << fmtInt(qRound64(rate))
              << " | " << fmtInt(qRound64(archived)) << " | " << mib(qint64(bytes)) << " | " << fmt(cpu, 2) << " | "
              << fmt(serverCpu, 2) << " | "
              << fmt(rss / 1024.0, 1) << (maxRss > rss * 1.05 ? QStringLiteral(" (max %1)").arg(fmt(maxRss / 1024.0, 1)) : QString())
              << " | " << mib(qint64(disk)) << " |\n";
    }
    if (medWall.contains(int(Tool::Lookback))) {
        for (Tool t : {Tool::Mbsync, Tool::MbsyncNoFsync}) {
            if (!medWall.contains(int(t)) || medWall.value(int(t)) <= 0)
                continue;
            // Per round too: the ratio of the two runs of the same round.
            QList<double> perRound;
            for (const RunResult &a : s.runs) {
                if (a.tool != Tool::Lookback || a.round == 0)
                    continue;
                for (const RunResult &b : s.runs)
                    if (b.tool == t && b.round == a.round && b.m.wall > 0)
                        perRound << a.m.wall / b.m.wall;
            }
            std::sort(perRound.begin(), perRound.end());
            out() << "\nWall-time ratio lookback / " << toolLabel(t) << ": **"
                  << fmt(medWall.value(int(Tool::Lookback)) / medWall.value(int(t)), 2) << "**";
            if (!perRound.isEmpty())
                out() << " (per round " << fmt(perRound.first(), 2) << "–" << fmt(perRound.last(), 2) << ")";
            out() << "\n";
        }
    }
    out() << "\n<details><summary>every run</summary>\n\n";
    out() << "| round | tool | wall s | CPU s | server CPU s | peak RSS MiB | archived | bytes from server | bytes to server | sessions |\n";
    out() << "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const RunResult &r : s.runs)
        out() << "| " << (r.round == 0 ? QStringLiteral("warm-up") : QString::number(r.round)) << " | " << toolLabel(r.tool)
              << " | " << fmt(r.m.wall, 2) << " | " << fmt(r.m.cpu, 2) << " | " << fmt(r.serverCpu, 2) << " | "
              << fmt(r.m.maxRssKb / 1024.0, 1) << " | "
              << fmtInt(r.archived) << " | " << fmtInt(r.traffic.fromServer) << " | " << fmtInt(r.traffic.toServer)
              << " | " << r.traffic.sessions << " |\n";
    out() << "\n</details>\n";
    out().flush();
}

// ---- search: lookback-cli search vs notmuch search -----------------------------------

// The same question asked of both tools. Lookback matches every word as a prefix
// (results appear while the user types), so notmuch gets the same words with a
// trailing `*`; date ranges are written in each tool's syntax.
struct SearchQuery {
    QString label;
    QString lookback;
    QString notmuch;
};

QList<SearchQuery> searchQueries()
{
    return {
        {QStringLiteral("one word"), QStringLiteral("fork"), QStringLiteral("fork*")},
        {QStringLiteral("two words"), QStringLiteral("signal handler"), QStringLiteral("signal* and handler*")},
        {QStringLiteral("sender"), QStringLiteral("from:corinna"), QStringLiteral("from:corinna*")},
        {QStringLiteral("subject"), QStringLiteral("subject:pthread"), QStringLiteral("subject:pthread*")},
        {QStringLiteral("word in a year"), QStringLiteral("patch after:2015-01-01 before:2016-01-01"),
         QStringLiteral("patch* and date:2015-01-01..2015-12-31")},
        {QStringLiteral("no match"), QStringLiteral("zzqxjv"), QStringLiteral("zzqxjv*")},
    };
}

int outputLines(const QByteArray &data)
{
    return int(data.count('\n'));
}

void runSearchComparison(const Options &o, const QString &dataDir, const QString &maildir, const QString &workDir,
                         const QProcessEnvironment &env)
{
    const QString scratch = workDir + QStringLiteral("/search-scratch");
    QDir().mkpath(scratch);
    // notmuch indexes the same 15,304 files the server held (a copy of the corpus Maildir).
    const QString notmuchConfig = workDir + QStringLiteral("/notmuch-config");
    {
        QFile f(notmuchConfig);
        if (!f.open(QIODevice::WriteOnly))
            die(QStringLiteral("cannot write %1").arg(notmuchConfig));
        f.write(QStringLiteral("[database]\npath=%1\n[user]\nname=Bench\nprimary_email=bench@example.org\n"
                               "[new]\ntags=inbox;\n[search]\nexclude_tags=\n[maildir]\nsynchronize_flags=false\n")
                    .arg(maildir)
                    .toUtf8());
    }
    QProcessEnvironment nenv = env;
    nenv.insert(QStringLiteral("NOTMUCH_CONFIG"), notmuchConfig);
    log() << "notmuch new (indexing " << maildir << ")… " << Qt::flush;
    const Measured indexed = runMeasured(o.notmuch, {QStringLiteral("new"), QStringLiteral("--quiet")}, nenv, {}, scratch);
    if (indexed.exitCode != 0)
        die(QStringLiteral("notmuch new failed: %1").arg(QString::fromUtf8(indexed.stderrData)));
    log() << fmt(indexed.wall, 1) << " s" << Qt::endl;

    const QString version = toolOutput(o.notmuch, {QStringLiteral("--version")});
    out() << "\n## Search: lookback-cli search vs notmuch search\n\n"
          << "A fresh lookback-cli archive of the whole mailbox (`add-imap` + `backfill --range all` from the same Dovecot) "
             "against `" << version << "` over the same files (`notmuch new` took " << fmt(indexed.wall, 1) << " s, " << fmt(indexed.cpu, 1)
          << " s CPU). Whole processes, fork+exec to exit, warm page cache; " << o.searchRounds
          << " rounds alternating the order, medians. Both show at most 50 results "
             "(`lookback-cli search Q --limit 50`: messages; `notmuch search --limit=50 Q`: threads).\n\n"
          << "| query | lookback-cli | notmuch | lookback ms | notmuch ms | ratio | lookback CPU ms | notmuch CPU ms | "
             "lookback RSS MiB | notmuch RSS MiB | lines lookback / notmuch |\n"
          << "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    QList<double> ratios;
    for (const SearchQuery &q : searchQueries()) {
        const QStringList largs{QStringLiteral("search"), q.lookback, QStringLiteral("--limit"), QStringLiteral("50"),
                                QStringLiteral("--data-dir"), dataDir};
        const QStringList nargs{QStringLiteral("search"), QStringLiteral("--limit=50"), q.notmuch};
        QList<double> lw, nw, lc, nc, lr, nr;
        int lLines = 0, nLines = 0;
        for (int round = 0; round <= o.searchRounds; ++round) {
            const bool lookbackFirst = round % 2 == 1;
            for (int k = 0; k < 2; ++k) {
                const bool lookback = (k == 0) == lookbackFirst;
                const Measured m = lookback ? runMeasured(o.cli, largs, env, {}, scratch)
                                            : runMeasured(o.notmuch, nargs, nenv, {}, scratch);
                if (m.exitCode != 0)
                    die(QStringLiteral("%1 search failed: %2").arg(lookback ? o.cli : o.notmuch, QString::fromUtf8(m.stderrData)));
                if (round == 0)
                    continue; // warm-up
                (lookback ? lw : nw) << m.wall * 1000;
                (lookback ? lc : nc) << m.cpu * 1000;
                (lookback ? lr : nr) << m.maxRssKb / 1024.0;
                (lookback ? lLines : nLines) = outputLines(m.stdoutData);
            }
        }
        const double ratio = median(lw) / std::max(1e-9, median(nw));
        ratios << ratio;
        log() << "search " << q.label << ": lookback " << fmt(median(lw), 1) << " ms, notmuch " << fmt(median(nw), 1) << " ms"
              << Qt::endl;
        out() << "| " << q.label << " | `" << q.lookback << "` | `" << q.notmuch << "` | " << fmt(median(lw), 1) << " | "
              << fmt(median(nw), 1) << " | " << fmt(ratio, 2) << " | " << fmt(median(lc), 0) << " | " << fmt(median(nc), 0)
              << " | " << fmt(median(lr), 1) << " | " << fmt(median(nr), 1) << " | " << lLines << " / " << nLines << " |\n";
    }
    out() << "\nMedian wall-time ratio lookback / notmuch over the queries: **" << fmt(median(ratios), 2) << "**\n";
    out().flush();
}

void usage()
{
    log() << "usage: bench_backfill [--messages 1000,last1000,all] [--rounds 3] [--warmup 1]\n"
             "                      [--tools mbsync,mbsync-nofsync,lookback] [--cli PATH] [--mbsync PATH]\n"
             "                      [--work-dir DIR] [--page-size N] [--keep]\n"
             "                      [--search [--search-rounds 10] [--notmuch PATH]]  (after the whole corpus)\n"
             "                      [--lookback-prefix 'perf record -g -o F --']  (profiling only)\n"
             "Environment: LOOKBACK_CORPUS_DIR (folder with cygwin-patches.tar.xz), LOOKBACK_CLI_PATH.\n";
}

Options parseArgs(const QStringList &a)
{
    Options o;
    o.cli = cliPath();
    QString sizes = QStringLiteral("1000,last1000,all");
    QString toolNames = QStringLiteral("mbsync,mbsync-nofsync,lookback");
    for (int i = 1; i < a.size(); ++i) {
        const QString &k = a.at(i);
        auto value = [&]() -> QString {
            if (i + 1 >= a.size()) {
                usage();
                die(QStringLiteral("%1 needs a value").arg(k));
            }
            return a.at(++i);
        };
        if (k == QLatin1String("--help") || k == QLatin1String("-h")) {
            usage();
            std::exit(0);
        } else if (k == QLatin1String("--messages"))
            sizes = value();
        else if (k == QLatin1String("--rounds"))
            o.rounds = std::max(1, value().toInt());
        else if (k == QLatin1String("--warmup"))
            o.warmup = std::max(0, value().toInt());
        else if (k == QLatin1String("--tools"))
            toolNames = value();
        else if (k == QLatin1String("--cli"))
            o.cli = value();
        else if (k == QLatin1String("--mbsync"))
            o.mbsync = value();
        else if (k == QLatin1String("--work-dir"))
            o.workDir = value();
        else if (k == QLatin1String("--page-size"))
            o.pageSize = value();
        else if (k == QLatin1String("--lookback-prefix"))
            o.lookbackPrefix = QProcess::splitCommand(value());
        else if (k == QLatin1String("--keep"))
            o.keep = true;
        else if (k == QLatin1String("--search"))
            o.search = true;
        else if (k == QLatin1String("--search-rounds"))
            o.searchRounds = std::max(1, value().toInt());
        else if (k == QLatin1String("--notmuch"))
            o.notmuch = value();
        else {
            usage();
            die(QStringLiteral("unknown argument %1").arg(k));
        }
    }
    for (QString s : sizes.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        s = s.trimmed();
        Options::Size size;
        if (s.startsWith(QLatin1String("last"))) {
            size.last = true;
            s = s.mid(4);
        }
        bool ok = false;
        size.count = s == QLatin1String("all") ? 0 : s.toInt(&ok);
        if (s != QLatin1String("all") && (!ok || size.count <= 0))
            die(QStringLiteral("--messages takes N, lastN or all, comma-separated (e.g. 1000,last1000,all)"));
        o.sizes << size;
    }
    for (const QString &t : toolNames.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (t == QLatin1String("mbsync"))
            o.tools << Tool::Mbsync;
        else if (t == QLatin1String("mbsync-nofsync"))
            o.tools << Tool::MbsyncNoFsync;
        else if (t == QLatin1String("lookback"))
            o.tools << Tool::Lookback;
        else
            die(QStringLiteral("--tools takes mbsync, mbsync-nofsync and lookback, comma-separated"));
    }
    if (o.tools.isEmpty())
        die(QStringLiteral("--tools: nothing to run"));
    if (o.cli.isEmpty() || !QFileInfo(o.cli).isExecutable())
        die(QStringLiteral("lookback-cli not found at \"%1\" (build it, or set LOOKBACK_CLI_PATH / --cli)").arg(o.cli));
    return o;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const Options o = parseArgs(app.arguments());
    const double benchStart = monotonicSeconds();

    QString why;
    if (!corpusArchiveAvailable(QStringLiteral("cygwin-patches.tar.xz"), &why))
        die(why);

    const QList<Tool> tools = o.tools;
    // Warm-up: Dovecot caches what a client fetched (index, BODYSTRUCTURE, headers), so the
    // very first run of each kind of client pays for it. One untimed run per kind; the two
    // mbsync variants fetch the same, so the cheaper one warms up for both.
    QList<Tool> warmupTools;
    for (Tool t : tools)
        if (!(t == Tool::Mbsync && tools.contains(Tool::MbsyncNoFsync)))
            warmupTools << t;

    QTemporaryDir work(o.workDir + QStringLiteral("/lookback-bench-XXXXXX"));
    work.setAutoRemove(!o.keep);
    if (!work.isValid())
        die(QStringLiteral("cannot create a folder in %1").arg(o.workDir));

    KeyringSession keyring;
    if (!keyring.start(&why))
        die(QStringLiteral("keyring session: %1").arg(why));

    log() << "unpacking cygwin-patches.tar.xz…" << Qt::endl;
    const QString corpus = work.filePath(QStringLiteral("corpus"));
    if (!CorpusLoader::unpack(QStringLiteral("cygwin-patches.tar.xz"), corpus, &why))
        die(why);

    // Header: command, machine, versions.
    out() << "## Backfill benchmark: lookback-cli vs mbsync\n\n";
    out() << "Command: `" << commandLine(QStringLiteral("bench_backfill"), app.arguments().mid(1)) << "` (" << QDateTime::currentDateTimeUtc().toString(Qt::ISODate)
          << ")\n\n";
    out() << "| | |\n|---|---|\n";
    out() << machineRows();
    out() << "| lookback-cli | " << o.cli << " (" << LOOKBACK_BENCH_BUILD_TYPE << "), source " << sourceRevision() << " |\n";
    out() << "| Dovecot | " << toolOutput(QStringLiteral("dovecot"), {QStringLiteral("--version")})
          << " (maildir, mail_fsync = never, rawlog on, IMAPS on 127.0.0.1) |\n";
    out() << "| mbsync | " << toolOutput(o.mbsync, {QStringLiteral("--version")}) << " |\n";
    out() << "| load average at start | " << loadAvg() << " |\n";
    out() << "\nEach run starts from an empty archive / Maildir; " << o.warmup
          << " untimed warm-up run(s) per kind of client and size (they fill Dovecot's index and cache), then " << o.rounds
          << " timed rounds alternating the order. Medians of the timed runs. "
             "\"MiB from server\" = IMAP bytes Dovecot sent after login (rawlog, TLS framing excluded). "
             "Peak RSS = the tool's own maximum resident set, reported by GNU time (`%M`), which forks it. lookback-cli times `backfill` only (not `add-imap`).\n";
    out().flush();

    QList<SizeResult> results;
    for (const Options::Size &size : o.sizes) {
        SizeResult s;
        s.last = size.last;
        DovecotServer server;
        server.setRawLogEnabled(true);
        log() << "loading " << (size.last ? QStringLiteral("the last ") : QString())
              << (size.count ? QString::number(size.count) : QStringLiteral("all")) << " messages into Dovecot…" << Qt::endl;
        QString source = corpus;
        if (size.last && size.count > 0) {
            // CorpusLoader takes the first N by file name: give it a folder of links to the last N.
            source = work.filePath(QStringLiteral("last%1").arg(size.count));
            const QString from = corpus + QStringLiteral("/maildir/cur");
            const QString to = source + QStringLiteral("/maildir/cur");
            QDir().mkpath(to);
            const QStringList names = QDir(from).entryList(QDir::Files, QDir::Name);
            for (const QString &name : names.mid(std::max<qsizetype>(0, names.size() - size.count)))
                if (!QFile::link(from + QLatin1Char('/') + name, to + QLatin1Char('/') + name))
                    die(QStringLiteral("cannot link %1 into %2").arg(name, to));
        }
        s.loaded = CorpusLoader::loadCygwin(server, source, size.count, &why);
        if (s.loaded < 0)
            die(why);
        if (!server.start(&why))
            die(QStringLiteral("dovecot: %1").arg(why));
        s.mailboxBytes = 0;
        for (const QString &sub : {QStringLiteral("/cur"), QStringLiteral("/new")}) {
            QDir d(server.mailRoot() + sub);
            for (const QFileInfo &fi : d.entryInfoList(QDir::Files))
                s.mailboxBytes += fi.size();
        }
        const QString runRoot = work.filePath(QStringLiteral("runs/%1%2").arg(s.last ? QStringLiteral("last") : QString()).arg(s.loaded));
        Bench bench(o, keyring, server, runRoot);
        for (int round = 0; round <= o.rounds; ++round) {
            const int reps = round == 0 ? o.warmup : 1;
            for (int rep = 0; rep < reps; ++rep) {
                QList<Tool> order = round == 0 ? warmupTools : tools;
                if (round % 2 == 0)
                    std::reverse(order.begin(), order.end());
                for (Tool t : order) {
                    log() << "N=" << s.loaded << (round == 0 ? QStringLiteral(" warm-up") : QStringLiteral(" round %1").arg(round))
                          << ": " << toolLabel(t) << "… " << Qt::flush;
                    const RunResult r = bench.run(t, round, s.loaded);
                    log() << fmt(r.m.wall, 2) << " s, " << r.archived << " messages, " << fmt(r.m.maxRssKb / 1024.0, 1)
                          << " MiB peak RSS, " << mib(r.traffic.fromServer) << " MiB from server" << Qt::endl;
                    s.runs << r;
                }
            }
        }
        printSize(s, tools);
        if (o.search && size.count == 0) {
            log() << "building an archive of all " << s.loaded << " messages for the search comparison…" << Qt::endl;
            const QString dataDir = bench.buildArchive(runRoot + QStringLiteral("/search"));
            server.stop();
            runSearchComparison(o, dataDir, corpus + QStringLiteral("/maildir"), work.path(), keyring.environment());
        }
        server.stop();
        results << s;
    }

    // Memory vs mailbox size.
    if (results.size() > 1) {
        out() << "\n### Peak RSS vs mailbox size (median of timed runs, MiB)\n\n| tool |";
        for (const SizeResult &s : results)
            out() << " " << (s.last ? QStringLiteral("last ") : QString()) << fmtInt(s.loaded) << " msgs |";
        out() << "\n|---|" << QString(QStringLiteral("---:|")).repeated(int(results.size())) << "\n";
        for (Tool t : tools) {
            out() << "| " << toolLabel(t) << " |";
            for (const SizeResult &s : results)
                out() << " " << fmt(median(collect(s.runs, t, [](const RunResult &r) { return double(r.m.maxRssKb); })) / 1024.0, 1)
                      << " |";
            out() << "\n";
        }
    }
    out() << "\nLoad average at end: " << loadAvg() << "; bench wall time " << fmt(monotonicSeconds() - benchStart, 0)
          << " s.\n";
    out().flush();
    return 0;
}
