#include "benchengine.h"

#include "benchcommon.h"
#include "keyringsession.h"
#include "oauthharness.h"

#include "auth/signin.h"
#include "source/sourcefactory.h"
#include "sync/syncservice.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <memory>

namespace Lookback::Bench {

qint64 slidingWindowFloorMs(qint64 needed, qint64 perWindow, qint64 windowMs)
{
    if (needed <= 0 || perWindow <= 0)
        return 0;
    const qint64 windows = (needed + perWindow - 1) / perWindow;
    return std::max<qint64>(0, windows - 1) * windowMs;
}

void useBudget(ProviderKind kind, const RequestBudget::Limits &limits)
{
    SourceFactory::setBudgetMaker(kind, [limits] { return std::make_shared<RequestBudget>(limits); });
}

void startKeyringAndFake(Test::KeyringSession &keyring, Test::OAuthHarness &harness, const QString &fakeName)
{
    QString why;
    if (!keyring.start(&why))
        die(QStringLiteral("keyring session: %1").arg(why));
    if (!harness.init(&why))
        die(QStringLiteral("%1: %2").arg(fakeName, why));
}

RequestBudget::Limits engineBudget(const ConnectionRecord &connection)
{
    std::unique_ptr<SignIn> signIn(SourceFactory::createSignIn(connection, nullptr));
    if (!signIn || !signIn->budget())
        return {};
    return signIn->budget()->limits();
}

QString seconds(qint64 ms)
{
    return fmt(double(ms) / 1000.0, 1) + QStringLiteral(" s");
}

int wholeNumberAfter(const QStringList &args, int &i, int min, const std::function<void()> &usage)
{
    const QString key = args.value(i);
    if (i + 1 >= args.size()) {
        usage();
        die(QStringLiteral("%1 needs a value").arg(key));
    }
    bool ok = false;
    const int v = args.at(++i).toInt(&ok);
    if (!ok || v < min)
        die(QStringLiteral("%1 takes a whole number of at least %2").arg(key).arg(min));
    return v;
}

bool readDriverOption(const QStringList &args, int &i, DriverOptions &o, const std::function<void()> &usage)
{
    const QString &k = args.at(i);
    if (k == QLatin1String("--help") || k == QLatin1String("-h")) {
        usage();
        std::exit(0);
    } else if (k == QLatin1String("--messages")) {
        o.messages = wholeNumberAfter(args, i, 20, usage);
        o.sized = true;
    } else if (k == QLatin1String("--timeout-s")) {
        o.timeoutS = wholeNumberAfter(args, i, 1, usage);
    } else if (k == QLatin1String("--request-log")) {
        if (i + 1 >= args.size())
            die(QStringLiteral("--request-log needs a file"));
        o.requestLog = args.at(++i);
    } else if (k == QLatin1String("--quick")) {
        o.quick = true;
    } else {
        return false;
    }
    return true;
}

SignedIn signInAndOpen(Test::OAuthHarness &harness, const QString &name)
{
    log() << "signing in through the browser step…" << Qt::endl;
    QString why;
    SignedIn s;
    s.id = harness.signIn(name, &why);
    if (s.id <= 0)
        die(QStringLiteral("sign-in failed: %1").arg(why));
    s.service = std::make_unique<SyncService>(harness.archivePath());
    SyncError e;
    if (!s.service->open(&e))
        die(QStringLiteral("archive: %1").arg(e.message));
    ConnectionRecord connection;
    if (!s.service->connection(s.id, &connection))
        die(QStringLiteral("the new connection is not in the archive"));
    s.budget = engineBudget(connection);
    s.service->setOptions(SyncOptions()); // the desktop's defaults
    return s;
}

BackfillRun runBackfill(SyncService &service, qint64 id, qint64 expected, qint64 timeoutMs, int tickMs,
                        const std::function<void(const SyncProgress &, qint64)> &tick)
{
    BackfillRun run;
    bool finished = false;
    SyncProgress last;
    QEventLoop loop;
    QElapsedTimer clock;
    const QMetaObject::Connection progress =
        QObject::connect(&service, &SyncService::progressChanged, &loop, [&](const SyncProgress &p) {
            if (p.connectionId == id)
                last = p;
        });
    const QMetaObject::Connection done =
        QObject::connect(&service, &SyncService::finished, &loop, [&](const SyncProgress &p) {
            if (p.connectionId != id || p.kind != TaskKind::Backfill)
                return;
            run.result = p;
            finished = true;
            loop.quit();
        });
    QTimer ticker;
    QObject::connect(&ticker, &QTimer::timeout, &loop, [&] { tick(last, clock.elapsed()); });
    ticker.start(tickMs);
    QTimer::singleShot(int(std::min<qint64>(timeoutMs, INT_MAX)), &loop, &QEventLoop::quit);
    clock.start();
    if (!service.startBackfill(id, BackfillRange::everything()))
        die(QStringLiteral("startBackfill refused"));
    loop.exec();
    run.wallMs = clock.elapsed();
    ticker.stop();
    QObject::disconnect(progress);
    QObject::disconnect(done);
    if (!finished)
        die(QStringLiteral("the backfill did not finish in %1 (%2 of %3 archived)")
                .arg(seconds(timeoutMs))
                .arg(last.fetched)
                .arg(expected));
    return run;
}

} // namespace Lookback::Bench
