#include "cliapp.h"

#include "archive/archivestore.h"
#include "common/appidentity.h"
#include "imap/imapconnection.h"
#include "sync/syncservice.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSocketNotifier>
#include <QSslCertificate>
#include <QTextStream>

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace Lookback {

namespace {

enum Exit { Ok = 0, Failure = 1, Usage = 2, NoKeychain = 3, Interrupted = 130 };

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

int fail(const QString &message, int code = Failure)
{
    err() << "lookback-cli: " << message << Qt::endl;
    return code;
}

QByteArray readSecretFromStdin()
{
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return {};
    QByteArray line = in.readLine();
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    return line;
}


// ---- Ctrl-C / SIGTERM: a self-pipe turns the signal into an event ---------

int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] auto n = ::write(g_signalPipe[1], &c, 1);
}

QString formatDuration(int seconds)
{
    if (seconds < 0)
        return {};
    if (seconds >= 3600)
        return QStringLiteral("%1:%2:%3").arg(seconds / 3600).arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
            .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

QString progressLine(const SyncProgress &p, bool tty)
{
    const QLocale locale;
    QString line;
    if (p.estimatedTotal >= 0) {
        const int width = 24;
        const double fraction = p.estimatedTotal > 0 ? std::min(1.0, double(p.fetched) / double(p.estimatedTotal)) : 1.0;
        const int filled = int(fraction * width);
        line = QLatin1Char('[') + QString(filled, QLatin1Char('#')) + QString(width - filled, QLatin1Char('-'))
            + QStringLiteral("] %1 of ~%2 messages").arg(locale.toString(p.fetched), locale.toString(p.estimatedTotal));
    } else {
        line = QStringLiteral("Counting messages on the server…");
    }
    if (p.rate > 0)
        line += QStringLiteral("  %1 msg/s").arg(qRound(p.rate));
    if (p.etaSeconds >= 0)
        line += QStringLiteral("  ETA %1").arg(formatDuration(p.etaSeconds));
    if (p.state == BackfillState::Paused)
        line += QStringLiteral("  paused");
    if (p.unreadable > 0)
        line += QStringLiteral("  %1 unreadable").arg(p.unreadable);
    if (p.retryAt.isValid())
        line += QStringLiteral("  %1, retrying at %2").arg(healthName(p.health), p.retryAt.toString(QStringLiteral("HH:mm:ss")));
    if (tty)
        line = QLatin1Char('\r') + line + QStringLiteral("\x1b[K");
    return line;
}

// ---- commands -------------------------------------------------------------

struct Context
{
    QCommandLineParser &parser;
    QStringList args; // positional, without the command name
    QString archivePath;
};

bool openStore(ArchiveStore &store, int *code)
{
    SyncError e;
    if (!store.open(&e)) {
        *code = fail(e.message);
        return false;
    }
    return true;
}

// The connection with exactly this name (names are unique).
bool findConnection(const SyncService &service, const QString &name, ConnectionRecord *out = nullptr)
{
    for (const ConnectionRecord &x : service.connections()) {
        if (x.name == name) {
            if (out)
                *out = x;
            return true;
        }
    }
    return false;
}

int addImap(Context &c)
{
    if (c.args.size() != 1)
        return fail(QStringLiteral("usage: add-imap NAME --host H --port P --security tls|starttls|none --user U --password-stdin"), Usage);
    ConnectionRecord conn;
    conn.name = c.args.first().trimmed();
    conn.kind = ProviderKind::Imap;
    conn.host = c.parser.value(QStringLiteral("host")).trimmed();
    conn.username = c.parser.value(QStringLiteral("user"));
    bool ok = false;
    const uint port = c.parser.value(QStringLiteral("port")).toUInt(&ok);
    Security security;
    if (conn.name.isEmpty())
        return fail(QStringLiteral("the connection needs a name"), Usage);
    if (conn.host.isEmpty())
        return fail(QStringLiteral("--host is required"), Usage);
    if (!ok || port == 0 || port > 65535)
        return fail(QStringLiteral("--port must be a number from 1 to 65535"), Usage);
    if (!securityFromName(c.parser.value(QStringLiteral("security")), &security))
        return fail(QStringLiteral("--security must be tls, starttls or none"), Usage);
    if (conn.username.isEmpty())
        return fail(QStringLiteral("--user is required"), Usage);
    if (!c.parser.isSet(QStringLiteral("password-stdin")))
        return fail(QStringLiteral("--password-stdin is required: the password is read from standard input, never from the command line"), Usage);
    conn.port = quint16(port);
    conn.security = securityName(security);
    if (c.parser.isSet(QStringLiteral("trust-cert"))) {
        const QList<QSslCertificate> certs = QSslCertificate::fromPath(c.parser.value(QStringLiteral("trust-cert")), QSsl::Pem);
        if (certs.isEmpty())
            return fail(QStringLiteral("no PEM certificate could be read from %1").arg(c.parser.value(QStringLiteral("trust-cert"))), Usage);
        conn.trustedCertSha256 = ImapConnection::digestHex(certs.first());
    }
    const QByteArray password = readSecretFromStdin();
    if (password.isEmpty())
        return fail(QStringLiteral("no password on standard input"), Usage);
    if (security == Security::None)
        err() << "lookback-cli: warning: security none sends the password unencrypted" << Qt::endl;

    SyncService service(c.archivePath);
    SyncError e;
    if (!service.open(&e))
        return fail(e.message);
    if (findConnection(service, conn.name))
        return fail(QStringLiteral("a connection named \"%1\" already exists").arg(conn.name), Usage);
    // The keychain first: a connection whose password could not be kept is not created.
    SyncError result;
    bool done = false;
    QEventLoop loop;
    service.addConnection(conn, QString::fromUtf8(password), SyncService::SecretPolicy::KeychainOnly,
                          [&](const SyncError &error, qint64) {
        result = error;
        done = true;
        loop.quit();
    });
    if (!done)
        loop.exec();
    if (result.category == ErrorCategory::Keychain)
        return fail(result.message + QStringLiteral(" — the password was not saved anywhere; "
                                                    "run backfill with --password-stdin to use it for one run"),
                    NoKeychain);
    if (result.isError())
        return fail(result.message);
    out() << "Added " << conn.name << " (" << conn.username << "@" << conn.host << ":" << conn.port << ", "
          << conn.security << "); the password is in the keychain." << Qt::endl;
    return Ok;
}

// Prints the sign-in address and opens it: $BROWSER (its first command; "%s"
// is replaced by the address, or the address is its last argument), otherwise
// xdg-open when there is a display. The address is printed in any case, so a
// sign-in works from a terminal on another machine too.
void openInBrowser(const QUrl &url)
{
    const QString address = url.toString(QUrl::FullyEncoded);
    err() << "Sign in with your browser; if it does not open, visit:" << Qt::endl << "  " << address << Qt::endl;
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QString browser = env.value(QStringLiteral("BROWSER")).section(QLatin1Char(':'), 0, 0).trimmed();
    QStringList command;
    if (!browser.isEmpty()) {
        command = QProcess::splitCommand(browser);
        bool substituted = false;
        for (QString &part : command) {
            if (part.contains(QLatin1String("%s"))) {
                part.replace(QLatin1String("%s"), address);
                substituted = true;
            }
        }
        if (!substituted)
            command << address;
    } else if (env.contains(QStringLiteral("DISPLAY")) || env.contains(QStringLiteral("WAYLAND_DISPLAY"))) {
        command = {QStringLiteral("xdg-open"), address};
    }
    if (command.isEmpty())
        return;
    const QString program = command.takeFirst();
    if (!QProcess::startDetached(program, command))
        err() << "lookback-cli: could not start " << program << "; open the address above yourself" << Qt::endl;
}

OAuthClient clientFromOptions(const Context &c)
{
    OAuthClient client;
    client.clientId = c.parser.value(QStringLiteral("client-id")).trimmed();
    client.clientSecret = c.parser.value(QStringLiteral("client-secret")).trimmed();
    return client;
}

int signInFailure(const SyncError &e)
{
    if (e.category == ErrorCategory::Keychain)
        return fail(e.message + QStringLiteral(" — the sign-in was not saved anywhere"), NoKeychain);
    if (e.category == ErrorCategory::Configuration && e.message.contains(QLatin1String("--client-id")))
        return fail(e.message, Usage);
    return fail(e.message);
}

// add-gmail and add-microsoft: the browser step, then the connection.
int addOAuth(Context &c, ProviderKind kind)
{
    const bool google = kind == ProviderKind::Gmail;
    const QString usage = google ? QStringLiteral("usage: add-gmail NAME [--client-id ID] [--client-secret S]")
                                 : QStringLiteral("usage: add-microsoft NAME [--client-id ID]");
    if (c.args.size() != 1 || c.args.first().trimmed().isEmpty())
        return fail(usage, Usage);
    if (!google && c.parser.isSet(QStringLiteral("client-secret")))
        return fail(QStringLiteral("--client-secret does not apply: Microsoft's public clients have no secret"), Usage);
    const QString name = c.args.first().trimmed();
    SyncService service(c.archivePath);
    SyncError e;
    if (!service.open(&e))
        return fail(e.message);
    if (findConnection(service, name))
        return fail(QStringLiteral("a connection named \"%1\" already exists").arg(name), Usage);
    SyncError result;
    QString address;
    QEventLoop loop;
    service.signInWithBrowser(kind, clientFromOptions(c), openInBrowser,
                              [&](const SyncError &error, const OAuthGrant &grant, const QString &who) {
        if (error.isError()) {
            result = error;
            loop.quit();
            return;
        }
        address = who;
        service.addOAuthConnection(name, kind, grant, who, [&](const SyncError &addError, qint64) {
            result = addError;
            loop.quit();
        });
    });
    loop.exec();
    if (result.isError())
        return signInFailure(result);
    out() << "Added " << name << " (" << (google ? "Gmail" : "Microsoft 365") << ", " << address
          << "); the sign-in is in the keychain." << Qt::endl;
    return Ok;
}

int addShared(Context &c)
{
    const QString usage = QStringLiteral("usage: add-shared NAME --parent PARENT --address ADDRESS");
    if (c.args.size() != 1 || c.args.first().trimmed().isEmpty() || !c.parser.isSet(QStringLiteral("parent"))
        || !c.parser.isSet(QStringLiteral("address")))
        return fail(usage, Usage);
    SyncService service(c.archivePath);
    SyncError e;
    if (!service.open(&e))
        return fail(e.message);
    ConnectionRecord parent;
    const QString parentName = c.parser.value(QStringLiteral("parent"));
    if (!findConnection(service, parentName, &parent))
        return fail(QStringLiteral("no connection named \"%1\" (see: lookback-cli status)").arg(parentName), Usage);
    SyncError result;
    QEventLoop loop;
    service.addSharedMailbox(c.args.first().trimmed(), parent.id, c.parser.value(QStringLiteral("address")),
                             [&](const SyncError &error, qint64) {
        result = error;
        loop.quit();
    });
    loop.exec();
    if (result.isError())
        return fail(result.message, result.category == ErrorCategory::Configuration ? Usage : Failure);
    out() << "Added " << c.args.first().trimmed() << " (shared mailbox " << c.parser.value(QStringLiteral("address")).trimmed()
          << ", signed in through " << parent.name << ")." << Qt::endl;
    return Ok;
}

int reconnect(Context &c)
{
    if (c.args.size() != 1)
        return fail(QStringLiteral("usage: reconnect NAME [--client-id ID] [--client-secret S]"), Usage);
    SyncService service(c.archivePath);
    SyncError e;
    if (!service.open(&e))
        return fail(e.message);
    ConnectionRecord conn;
    if (!findConnection(service, c.args.first(), &conn))
        return fail(QStringLiteral("no connection named \"%1\" (see: lookback-cli status)").arg(c.args.first()), Usage);
    if (!SyncService::usesBrowserSignIn(conn.kind))
        return fail(QStringLiteral("\"%1\" signs in with a password: give a new one with backfill --password-stdin")
                        .arg(conn.name), Usage);
    if (conn.parentId > 0) {
        ConnectionRecord parent;
        service.connection(conn.parentId, &parent);
        return fail(QStringLiteral("\"%1\" signs in through \"%2\": lookback-cli reconnect %2").arg(conn.name, parent.name),
                    Usage);
    }
    SyncError result;
    QEventLoop loop;
    service.reconnectWithBrowser(conn.id, clientFromOptions(c), openInBrowser, [&](const SyncError &error) {
        result = error;
        loop.quit();
    });
    loop.exec();
    if (result.isError())
        return signInFailure(result);
    out() << "Reconnected " << conn.name << " (" << conn.username << "); run backfill to continue." << Qt::endl;
    return Ok;
}

int backfill(Context &c)
{
    if (c.args.size() != 1)
        return fail(QStringLiteral("usage: backfill NAME --range 30d|90d|365d|<N>d|all"), Usage);
    BackfillRange range;
    if (!BackfillRange::parse(c.parser.value(QStringLiteral("range")), &range))
        return fail(QStringLiteral("--range must be 30d, 90d, 365d, a number of days like 14d, or all"), Usage);
    SyncService service(c.archivePath);
    SyncError e;
    if (!service.open(&e))
        return fail(e.message);
    ConnectionRecord conn;
    if (!findConnection(service, c.args.first(), &conn))
        return fail(QStringLiteral("no connection named \"%1\" (see: lookback-cli status)").arg(c.args.first()), Usage);
    if (c.parser.isSet(QStringLiteral("password-stdin"))) {
        if (SyncService::usesBrowserSignIn(conn.kind))
            return fail(QStringLiteral("--password-stdin does not apply to \"%1\": it signs in with the browser "
                                       "(lookback-cli reconnect %1)").arg(conn.name), Usage);
        service.setSessionPassword(conn.id, QString::fromUtf8(readSecretFromStdin()));
    }

    SyncOptions options;
    options.retryFirstConnect = false;
    // Keep going while attempts store something; six in a row that store nothing end the run.
    options.maxAttemptsWithoutProgress = 6;
    if (c.parser.isSet(QStringLiteral("page-size")))
        options.pageSize = std::max(1, c.parser.value(QStringLiteral("page-size")).toInt());
    service.setOptions(options);

    const bool tty = ::isatty(STDERR_FILENO);
    SyncProgress last;
    bool interrupted = false;
    qint64 lastPrintedMs = 0;
    QElapsedTimer sincePrint;
    sincePrint.start();
    QObject::connect(&service, &SyncService::progressChanged, [&](const SyncProgress &p) {
        last = p;
        // A terminal gets a live bar; a pipe or log gets a line every two seconds.
        if (tty || sincePrint.elapsed() - lastPrintedMs >= 2000 || p.state != BackfillState::Running) {
            lastPrintedMs = sincePrint.elapsed();
            err() << progressLine(p, tty);
            if (!tty)
                err() << Qt::endl;
            else
                err().flush();
        }
    });
    QEventLoop loop;
    QObject::connect(&service, &SyncService::finished, [&](const SyncProgress &p) {
        last = p;
        loop.quit();
    });

    // Ctrl-C or SIGTERM: stop at the end of the page.
    if (::pipe(g_signalPipe) == 0) {
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, [&] {
        char buf[16];
        [[maybe_unused]] auto n = ::read(g_signalPipe[0], buf, sizeof buf);
        if (!interrupted) {
            interrupted = true;
            if (tty)
                err() << Qt::endl;
            err() << "Pausing at the end of this page… (run the same command again to resume)" << Qt::endl;
        }
        service.stop(conn.id);
    });

    if (!service.startBackfill(conn.id, range))
        return fail(QStringLiteral("cannot start the backfill of \"%1\"").arg(conn.name));
    loop.exec();
    if (tty)
        err() << Qt::endl;
    switch (last.state) {
    case BackfillState::Complete:
        out() << last.message << Qt::endl;
        return Ok;
    case BackfillState::Paused:
        out() << last.message << Qt::endl;
        return Interrupted;
    case BackfillState::Cancelled:
        out() << last.message << Qt::endl;
        return Failure;
    default:
        if (last.error.category == ErrorCategory::Keychain)
            return fail(last.error.message + QStringLiteral(" (give it for this run with --password-stdin)"), NoKeychain);
        if (last.error.category == ErrorCategory::AuthExpired && last.error.message.contains(QLatin1String("No password")))
            return fail(last.error.message + QStringLiteral(" (give it for this run with --password-stdin)"));
        return fail(last.error.isError() ? last.error.message : last.message);
    }
}

QJsonObject statusJson(ArchiveStore &store, const ConnectionRecord &conn)
{
    QJsonObject o;
    o[QStringLiteral("name")] = conn.name;
    o[QStringLiteral("kind")] = providerKindName(conn.kind);
    o[QStringLiteral("account")] = SyncService::usesBrowserSignIn(conn.kind)
        ? conn.username
        : QStringLiteral("%1@%2:%3").arg(conn.username, conn.host).arg(conn.port);
    if (conn.parentId > 0) {
        ConnectionRecord parent;
        if (store.connectionById(conn.parentId, &parent))
            o[QStringLiteral("parent")] = parent.name;
    }
    o[QStringLiteral("health")] = healthName(conn.health);
    if (!conn.healthDetail.isEmpty())
        o[QStringLiteral("healthDetail")] = conn.healthDetail;
    BackfillJobRecord job;
    if (store.latestJob(conn.id, &job)) {
        QJsonObject b;
        b[QStringLiteral("state")] = backfillStateName(job.state);
        b[QStringLiteral("range")] = job.range.label();
        if (job.rangeStart.isValid())
            b[QStringLiteral("rangeStart")] = job.rangeStart.toString(Qt::ISODate);
        b[QStringLiteral("fetched")] = job.fetched;
        b[QStringLiteral("estimatedTotal")] = job.estimatedTotal;
        if (!job.errorMessage.isEmpty())
            b[QStringLiteral("message")] = job.errorMessage;
        b[QStringLiteral("unreadable")] = store.failureCount(conn.id, job.id);
        o[QStringLiteral("backfill")] = b;
    } else {
        o[QStringLiteral("backfill")] = QJsonValue::Null;
    }
    QJsonObject counts;
    counts[QStringLiteral("inbox")] = store.messageCount(conn.id, QStringLiteral("inbox"));
    counts[QStringLiteral("sent")] = store.messageCount(conn.id, QStringLiteral("sent"));
    counts[QStringLiteral("total")] = store.messageCount(conn.id);
    o[QStringLiteral("archive")] = counts;
    // Which received dates of each folder are completely archived.
    QJsonObject coverage;
    for (const FolderRecord &f : store.folders(conn.id)) {
        QJsonArray intervals;
        for (const CoverageInterval &i : store.coverage(f.id)) {
            QJsonObject span;
            span[QStringLiteral("from")] = i.start.isValid() ? QJsonValue(i.start.toString(Qt::ISODate)) : QJsonValue();
            span[QStringLiteral("to")] = i.end.toString(Qt::ISODate);
            intervals << span;
        }
        coverage[f.role] = intervals;
    }
    o[QStringLiteral("coverage")] = coverage;
    // Messages that could not be read, with the reason (retried on the next run).
    QJsonArray unreadable;
    for (const ArchiveStore::FailureRow &f : store.failures(conn.id, 50)) {
        QJsonObject x;
        x[QStringLiteral("folder")] = f.folderRole;
        x[QStringLiteral("id")] = f.providerId;
        x[QStringLiteral("reason")] = f.reason;
        x[QStringLiteral("attempts")] = f.attempts;
        unreadable << x;
    }
    o[QStringLiteral("unreadable")] = unreadable;
    o[QStringLiteral("unreadableCount")] = store.failureCount(conn.id);
    return o;
}

int status(Context &c)
{
    ArchiveStore store(c.archivePath);
    int code = 0;
    if (!openStore(store, &code))
        return code;
    QVector<ConnectionRecord> list;
    if (!c.args.isEmpty()) {
        ConnectionRecord conn;
        if (!store.connectionByName(c.args.first(), &conn))
            return fail(QStringLiteral("no connection named \"%1\"").arg(c.args.first()), Usage);
        list << conn;
    } else {
        list = store.connections();
    }
    QJsonArray all;
    for (const ConnectionRecord &conn : list)
        all << statusJson(store, conn);
    if (c.parser.isSet(QStringLiteral("json"))) {
        out() << QJsonDocument(all).toJson(QJsonDocument::Indented);
        return Ok;
    }
    if (list.isEmpty()) {
        out() << "No connections yet. Add one with: lookback-cli add-imap NAME --host ... --password-stdin" << Qt::endl;
        return Ok;
    }
    const QLocale locale;
    for (const QJsonValue &v : all) {
        const QJsonObject o = v.toObject();
        const QJsonObject b = o.value(QStringLiteral("backfill")).toObject();
        const QJsonObject a = o.value(QStringLiteral("archive")).toObject();
        out() << o.value(QStringLiteral("name")).toString() << "  " << o.value(QStringLiteral("account")).toString()
              << "\n  health: " << o.value(QStringLiteral("health")).toString();
        if (o.contains(QStringLiteral("healthDetail")))
            out() << " (" << o.value(QStringLiteral("healthDetail")).toString() << ")";
        if (!b.isEmpty())
            out() << "\n  backfill: " << b.value(QStringLiteral("state")).toString() << ", range "
                  << b.value(QStringLiteral("range")).toString() << ", "
                  << locale.toString(b.value(QStringLiteral("fetched")).toInteger()) << " of ~"
                  << locale.toString(b.value(QStringLiteral("estimatedTotal")).toInteger()) << " messages";
        else
            out() << "\n  backfill: never run";
        out() << "\n  archive: " << locale.toString(a.value(QStringLiteral("inbox")).toInteger()) << " in Inbox, "
              << locale.toString(a.value(QStringLiteral("sent")).toInteger()) << " in Sent";
        const qint64 unreadable = o.value(QStringLiteral("unreadableCount")).toInteger();
        if (unreadable > 0)
            out() << "\n  could not be read: " << locale.toString(unreadable) << (unreadable == 1 ? " message" : " messages")
                  << " (see status --json; tried again on the next run)";
        out() << Qt::endl;
    }
    return Ok;
}

int search(Context &c)
{
    if (c.args.isEmpty())
        return fail(QStringLiteral("usage: search QUERY (words, from:, to:, subject:, before:YYYY-MM-DD, after:YYYY-MM-DD)"), Usage);
    const SearchQuery query = SearchQuery::parse(c.args.join(QLatin1Char(' ')));
    if (!query.error.isEmpty())
        return fail(query.error, Usage);
    ArchiveStore store(c.archivePath);
    int code = 0;
    if (!openStore(store, &code))
        return code;
    SyncError e;
    const int limit = c.parser.isSet(QStringLiteral("limit")) ? c.parser.value(QStringLiteral("limit")).toInt() : 50;
    const QVector<MessageSummary> results = store.search(query, std::max(1, limit), 0, &e);
    if (e.isError())
        return fail(e.message);
    if (c.parser.isSet(QStringLiteral("json"))) {
        QJsonArray arr;
        for (const MessageSummary &s : results) {
            QJsonObject o;
            o[QStringLiteral("id")] = s.id;
            o[QStringLiteral("received")] = s.receivedAt.toString(Qt::ISODate);
            o[QStringLiteral("fromName")] = s.fromName;
            o[QStringLiteral("fromAddress")] = s.fromAddress;
            o[QStringLiteral("to")] = s.toText;
            o[QStringLiteral("subject")] = s.subject;
            o[QStringLiteral("snippet")] = s.snippet;
            QJsonArray folders;
            if (s.inInbox)
                folders << QStringLiteral("inbox");
            if (s.inSent)
                folders << QStringLiteral("sent");
            o[QStringLiteral("folders")] = folders;
            arr << o;
        }
        out() << QJsonDocument(arr).toJson(QJsonDocument::Indented);
        return Ok;
    }
    for (const MessageSummary &s : results) {
        out() << s.receivedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) << "  "
              << (s.fromName.isEmpty() ? s.fromAddress : s.fromName) << "  " << s.subject << "\n";
    }
    out() << results.size() << (results.size() == 1 ? " message" : " messages") << Qt::endl;
    return Ok;
}

} // namespace

int runCli(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Lookback, headless: archive a mailbox's Inbox and Sent history.\n\n"
        "Commands:\n"
        "  add-imap NAME --host H --port P --security tls|starttls|none --user U --password-stdin [--trust-cert PEM]\n"
        "  add-gmail NAME [--client-id ID] [--client-secret S]\n"
        "  add-microsoft NAME [--client-id ID]\n"
        "  add-shared NAME --parent PARENT --address ADDRESS\n"
        "  reconnect NAME [--client-id ID] [--client-secret S]\n"
        "  backfill NAME --range 30d|90d|365d|<N>d|all [--password-stdin]\n"
        "  status [NAME] [--json]\n"
        "  search QUERY [--json] [--limit N]"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {QStringLiteral("data-dir"), QStringLiteral("Keep the archive in DIR."), QStringLiteral("DIR")},
        {QStringLiteral("host"), QStringLiteral("IMAP server host name."), QStringLiteral("H")},
        {QStringLiteral("port"), QStringLiteral("IMAP server port."), QStringLiteral("P")},
        {QStringLiteral("security"), QStringLiteral("tls, starttls or none."), QStringLiteral("MODE"), QStringLiteral("tls")},
        {QStringLiteral("user"), QStringLiteral("Login name."), QStringLiteral("U")},
        {QStringLiteral("password-stdin"), QStringLiteral("Read the password from standard input.")},
        {QStringLiteral("trust-cert"), QStringLiteral("Trust this server certificate (PEM file)."), QStringLiteral("PEM")},
        {QStringLiteral("range"), QStringLiteral("How much history: 30d, 90d, 365d, <N>d or all."), QStringLiteral("R"), QStringLiteral("90d")},
        {QStringLiteral("json"), QStringLiteral("Machine-readable output.")},
        {QStringLiteral("limit"), QStringLiteral("At most N search results."), QStringLiteral("N")},
        {QStringLiteral("client-id"), QStringLiteral("OAuth client id (else LOOKBACK_GOOGLE_CLIENT_ID, LOOKBACK_MICROSOFT_CLIENT_ID or the settings)."), QStringLiteral("ID")},
        {QStringLiteral("client-secret"), QStringLiteral("The OAuth client's secret, for Google desktop clients (not confidential)."), QStringLiteral("S")},
        {QStringLiteral("parent"), QStringLiteral("The Microsoft 365 connection a shared mailbox signs in through."), QStringLiteral("PARENT")},
        {QStringLiteral("address"), QStringLiteral("The shared mailbox's address."), QStringLiteral("ADDRESS")},
        {QStringLiteral("page-size"), QStringLiteral("Messages per page (default 500)."), QStringLiteral("N")},
    });
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("add-imap, add-gmail, add-microsoft, add-shared, reconnect, backfill, status or search"));
    if (!parser.parse(arguments))
        return fail(parser.errorText(), Usage);
    if (parser.isSet(QStringLiteral("help"))) {
        out() << parser.helpText();
        return Ok;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        out() << "lookback-cli " << QCoreApplication::applicationVersion() << Qt::endl;
        return Ok;
    }
    QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return fail(QStringLiteral("no command given (try --help)"), Usage);
    const QString command = positional.takeFirst();
    Context c{parser, positional, ArchiveStore::defaultPath(parser.value(QStringLiteral("data-dir")))};
    if (command == QLatin1String("add-imap"))
        return addImap(c);
    if (command == QLatin1String("add-gmail"))
        return addOAuth(c, ProviderKind::Gmail);
    if (command == QLatin1String("add-microsoft"))
        return addOAuth(c, ProviderKind::Microsoft);
    if (command == QLatin1String("add-shared"))
        return addShared(c);
    if (command == QLatin1String("reconnect"))
        return reconnect(c);
    if (command == QLatin1String("backfill"))
        return backfill(c);
    if (command == QLatin1String("status"))
        return status(c);
    if (command == QLatin1String("search"))
        return search(c);
    return fail(QStringLiteral("unknown command \"%1\" (try --help)").arg(command), Usage);
}

} // namespace Lookback
