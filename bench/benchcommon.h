// What every benchmark driver in bench/ prints the same way: Markdown on
// stdout, progress on stderr, the machine and the source revision a result
// came from, and numbers formatted for a table.
//
// Not a test: used by the drivers in bench/ only.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

class QTextStream;

namespace Lookback::Bench {

QTextStream &out(); // stdout: the results (Markdown)
QTextStream &log(); // stderr: progress and diagnostics
// Prints "<program>: message" on stderr and exits with 1.
[[noreturn]] void die(const QString &message);

double monotonicSeconds();
QByteArray readAll(const QString &path); // empty when unreadable

QString firstLine(const QByteArray &text);
// The first line a tool prints (stdout, then stderr), e.g. for `--version`; "?" when it hangs.
QString toolOutput(const QString &program, const QStringList &args);

double median(QList<double> v);
QString fmt(double v, int decimals);
QString fmtInt(qint64 v); // 15,304
QString mib(qint64 bytes); // one decimal
QString shellQuote(const QString &s);
// `name` followed by the program's arguments, each quoted for a shell when needed.
QString commandLine(const QString &name, const QStringList &args);

QString cpuModel();
QString memTotal(); // "23.5 GiB"
QString loadAvg();  // the 1, 5 and 15 minute load averages
// "abc1234" or "abc1234 + uncommitted changes in N tracked files" for the source tree the
// build came from (bench/run.sh may configure through a folder of symlinks).
QString sourceRevision();
// The table rows every result starts with: CPU, RAM, OS, Qt ("| CPU | … |\n" each).
QString machineRows();

} // namespace Lookback::Bench
