#include "cliprocess.h"

#include "testpaths.h"

#include <QElapsedTimer>
#include <QProcess>

namespace Lookback::Test {

CliResult runCli(const QStringList &args, const QByteArray &input, const QProcessEnvironment &env, int timeoutMs)
{
    CliResult r;
    QElapsedTimer t;
    t.start();
    QProcess p;
    if (!env.isEmpty())
        p.setProcessEnvironment(env);
    p.start(cliPath(), args);
    if (!p.waitForStarted()) {
        r.err = p.errorString();
        return r;
    }
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("timed out");
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    r.ms = t.elapsed();
    return r;
}

} // namespace Lookback::Test
