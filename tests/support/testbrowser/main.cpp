// lookback-test-browser <url>: what tests set as $BROWSER for lookback-cli.
// It opens the authorization URL like a user who consents at once: follows
// the provider's redirects by hand up to the app's loopback listener (see
// followAuthorization() in testbrowser.h), prints each hop's status to stderr
// and exits 0 if the last answer was 2xx, 1 otherwise (2 on a usage error).
//
// Environment:
//   LOOKBACK_TEST_BROWSER_LOG=<file>    append the URL given (one line per run)
//   LOOKBACK_TEST_BROWSER_DELAY_MS=<ms> wait that long before the first request
#include "testbrowser.h"

#include <QCoreApplication>
#include <QFile>
#include <QThread>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 2) {
        std::fprintf(stderr, "usage: lookback-test-browser <url>\n");
        return 2;
    }
    const QString given = args.at(1);

    const QString logPath = qEnvironmentVariable("LOOKBACK_TEST_BROWSER_LOG");
    if (!logPath.isEmpty()) {
        QFile log(logPath);
        if (log.open(QIODevice::WriteOnly | QIODevice::Append))
            log.write(given.toUtf8() + '\n');
        else
            std::fprintf(stderr, "lookback-test-browser: cannot append to %s\n", qPrintable(logPath));
    }
    bool ok = false;
    const int delayMs = qEnvironmentVariableIntValue("LOOKBACK_TEST_BROWSER_DELAY_MS", &ok);
    if (ok && delayMs > 0)
        QThread::msleep(ulong(delayMs));

    QString error;
    QVector<Lookback::Test::BrowserHop> hops;
    const bool success = Lookback::Test::followAuthorization(QUrl::fromEncoded(given.toUtf8()), &error, &hops);
    for (const Lookback::Test::BrowserHop &hop : hops) {
        std::fprintf(stderr, "lookback-test-browser: GET %s -> %s\n", qPrintable(hop.url.toString()),
                     hop.status ? qPrintable(QString::number(hop.status)) : qPrintable(hop.error));
    }
    if (!success)
        std::fprintf(stderr, "lookback-test-browser: %s\n", qPrintable(error));
    return success ? 0 : 1;
}
