#pragma once

#include <QStringList>

namespace Lookback {

// lookback-cli: the core, headless. Parses the command line, runs one
// command on the main thread (backfills on their worker thread), returns the
// process exit status: 0 success, 1 failure, 2 bad usage, 3 no keychain,
// 130 paused by Ctrl-C / SIGTERM.
int runCli(const QStringList &arguments);

} // namespace Lookback
