// Running the real lookback-cli from a test and collecting what it said.
#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace Lookback::Test {

struct CliResult
{
    int exitCode = -1; // -1: killed by a signal, did not start, or timed out
    QString out;
    QString err;       // "timed out" / the start error when it never finished
    qint64 ms = 0;     // wall time from start to exit
};

// Runs cliPath() with `args`, writes `input` to its stdin and closes it, and waits
// up to `timeoutMs` (then kills it). `env` empty: this process's environment.
CliResult runCli(const QStringList &args, const QByteArray &input = QByteArray(),
                 const QProcessEnvironment &env = QProcessEnvironment(), int timeoutMs = 120000);

} // namespace Lookback::Test
