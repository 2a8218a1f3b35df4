#include "benchcommon.h"

#include "testpaths.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSysInfo>
#include <QTextStream>
#include <QThread>

#include <algorithm>
#include <cstdlib>

#include <time.h>

namespace Lookback::Bench {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream &log()
{
    static QTextStream s(stderr);
    return s;
}

void die(const QString &message)
{
    const QString program = QCoreApplication::instance() ? QCoreApplication::applicationName() : QStringLiteral("bench");
    out().flush();
    log() << program << ": " << message << Qt::endl;
    std::exit(1);
}

double monotonicSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString firstLine(const QByteArray &text)
{
    return QString::fromUtf8(text).trimmed().section(QLatin1Char('\n'), 0, 0).trimmed();
}

QString toolOutput(const QString &program, const QStringList &args)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(10000))
        return QStringLiteral("?");
    const QByteArray all = p.readAllStandardOutput() + p.readAllStandardError();
    return firstLine(all);
}

double median(QList<double> v)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const int n = int(v.size());
    return n % 2 ? v.at(n / 2) : (v.at(n / 2 - 1) + v.at(n / 2)) / 2.0;
}

QString fmt(double v, int decimals)
{
    return QString::number(v, 'f', decimals);
}

QString fmtInt(qint64 v)
{
    QString s = QString::number(v);
    for (int i = int(s.size()) - 3; i > (v < 0 ? 1 : 0); i -= 3)
        s.insert(i, QLatin1Char(','));
    return s;
}

QString mib(qint64 bytes)
{
    return fmt(double(bytes) / (1024.0 * 1024.0), 1);
}

QString shellQuote(const QString &s)
{
    if (!s.isEmpty() && s.indexOf(QRegularExpression(QStringLiteral("[^A-Za-z0-9_./=:,+-]"))) < 0)
        return s;
    QString q = s;
    q.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

QString commandLine(const QString &name, const QStringList &args)
{
    QStringList cmd{shellQuote(name)};
    for (const QString &a : args)
        cmd << shellQuote(a);
    return cmd.join(QLatin1Char(' '));
}

QString cpuModel()
{
    const QByteArray info = readAll(QStringLiteral("/proc/cpuinfo"));
    for (const QByteArray &line : info.split('\n'))
        if (line.startsWith("model name"))
            return QString::fromUtf8(line.mid(line.indexOf(':') + 1)).trimmed();
    return QStringLiteral("?");
}

QString memTotal()
{
    const QByteArray info = readAll(QStringLiteral("/proc/meminfo"));
    for (const QByteArray &line : info.split('\n'))
        if (line.startsWith("MemTotal:"))
            return fmt(line.mid(9).trimmed().split(' ').first().toDouble() / 1024.0 / 1024.0, 1) + QStringLiteral(" GiB");
    return QStringLiteral("?");
}

QString loadAvg()
{
    return QString::fromUtf8(readAll(QStringLiteral("/proc/loadavg"))).section(QLatin1Char(' '), 0, 2);
}

QString sourceRevision()
{
    const QString core = QFileInfo(Test::sourceDir() + QStringLiteral("/core")).canonicalFilePath();
    if (core.isEmpty())
        return QStringLiteral("?");
    const QString repo = QFileInfo(core).path();
    QProcess git;
    git.start(QStringLiteral("git"), {QStringLiteral("-C"), repo, QStringLiteral("rev-parse"), QStringLiteral("--short"), QStringLiteral("HEAD")});
    if (!git.waitForFinished(10000) || git.exitCode() != 0)
        return repo;
    QString rev = QString::fromUtf8(git.readAllStandardOutput()).trimmed();
    git.start(QStringLiteral("git"), {QStringLiteral("-C"), repo, QStringLiteral("status"), QStringLiteral("--porcelain"),
                                      QStringLiteral("--untracked-files=no")});
    if (git.waitForFinished(10000) && git.exitCode() == 0) {
        const int changed = int(QString::fromUtf8(git.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts).size());
        if (changed > 0)
            rev += QStringLiteral(" + uncommitted changes in %1 tracked files").arg(changed);
    }
    return rev;
}

QString machineRows()
{
    QString rows;
    QTextStream s(&rows);
    s << "| CPU | " << cpuModel() << ", " << QThread::idealThreadCount() << " logical CPUs (nproc) |\n";
    s << "| RAM | " << memTotal() << " |\n";
    s << "| OS | " << QSysInfo::prettyProductName() << ", kernel " << QSysInfo::kernelVersion() << " |\n";
    s << "| Qt | " << qVersion() << " |\n";
    s.flush();
    return rows;
}

} // namespace Lookback::Bench
