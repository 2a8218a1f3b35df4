// bench_graph: one full Microsoft 365 backfill through the real engine against the
// Microsoft fake with Graph's real mailbox limits (PROVIDERS.md 1.5: 10,000 requests
// per 10 minutes and 4 at once), measured against the time those limits themselves
// allow for the requests the run needed.
//
// The fake (tests/support/microsoftfake.h) holds N messages in Inbox and Sent Items,
// a quarter of them with attachments (whose metadata costs one request each) and a
// tenth with only an inline picture (which Graph's hasAttachments ignores, so no
// request), plus drafts and deleted items that must not be fetched. Every answer
// waits --latency-ms (a list page of 100 with bodies --list-latency-ms), standing for
// the network and Graph's own time; with 4 requests at once at most, the run cannot
// take less than the sum of those waits / 4, nor less than a folder's list pages one
// after another (each needs the nextLink of the one before). The
// account is signed in through the real browser step (tests/support/microsoftharness.h,
// keychain in a private gnome-keyring session); then one backfill of everything runs
// through SyncService with the desktop's default options, timed from startBackfill()
// to `finished`. The fake's counters and request log give the requests, refusals and
// the peak in flight.
//
// Prints Markdown on stdout, progress on stderr; exits 1 when the archive is not what
// was expected. Not a test: not registered with ctest. See bench/run.sh and
// docs/PERFORMANCE.md ("Microsoft Graph backfill vs the mailbox limits").

#include "benchcommon.h"
#include "benchengine.h"
#include "keyringsession.h"
#include "microsoftharness.h"

#include "auth/requestbudget.h"
#include "graph/graphaccount.h"
#include "graph/graphapi.h"
#include "graph/graphmessage.h"
#include "graph/graphsource.h"
#include "source/sourcefactory.h"
#include "sync/syncservice.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QRegularExpression>
#include <QTextStream>

#include <algorithm>
#include <memory>

using namespace Lookback;
using namespace Lookback::Bench;
using namespace Lookback::Test;
using Endpoint = MicrosoftFake::Endpoint;

namespace {

// Graph's real limits per app and mailbox (PROVIDERS.md 1.5).
constexpr int kGraphRequests = 10000;
constexpr int kGraphWindowMs = 600000;
constexpr int kGraphConcurrency = 4;

struct Options : DriverOptions {
    int latencyMs = 100;
    int listLatencyMs = 500;
    int requests = kGraphRequests;
    int windowMs = kGraphWindowMs;
    int bodyBytes = 3000;
};

bool realLimits(const Options &o)
{
    return o.requests == kGraphRequests && o.windowMs == kGraphWindowMs;
}

void usage()
{
    log() << "usage: bench_graph [--messages 6000] [--latency-ms 100] [--list-latency-ms 500] [--body-bytes 3000]\n"
             "                  [--requests 10000 --window-ms 600000] [--timeout-s S]\n"
             "                  [--request-log FILE]  (the fake's log: ms since the first request, status, in flight, target)\n"
             "       bench_graph --quick   (= --messages 600 --latency-ms 50 --list-latency-ms 250: a few seconds)\n"
             "With Graph's real window the engine keeps its own budget (core/source/sourcefactory.cpp); with\n"
             "another window it gets the same budget scaled to it (95% of the requests, the same window, 4 at once).\n";
}

Options parseArgs(const QStringList &a)
{
    Options o;
    bool latency = false, listLatency = false;
    for (int i = 1; i < a.size(); ++i) {
        const QString &k = a.at(i);
        auto number = [&](int min) { return wholeNumberAfter(a, i, min, usage); };
        if (readDriverOption(a, i, o, usage)) {
            continue;
        } else if (k == QLatin1String("--latency-ms")) {
            o.latencyMs = number(0);
            latency = true;
        } else if (k == QLatin1String("--list-latency-ms")) {
            o.listLatencyMs = number(0);
            listLatency = true;
        } else if (k == QLatin1String("--body-bytes")) {
            o.bodyBytes = number(0);
        } else if (k == QLatin1String("--requests")) {
            o.requests = number(50);
        } else if (k == QLatin1String("--window-ms")) {
            o.windowMs = number(1000);
        } else {
            usage();
            die(QStringLiteral("unknown argument %1").arg(k));
        }
    }
    if (o.quick) {
        if (!o.sized)
            o.messages = 600;
        if (!latency)
            o.latencyMs = 50;
        if (!listLatency)
            o.listLatencyMs = 250;
    }
    return o;
}

// The time the concurrency limit allows: every request holds one of the 4 slots
// for at least its latency, so the slots are busy for `busyMs` in all.
qint64 concurrencyFloorMs(qint64 busyMs, int atOnce)
{
    return (busyMs + atOnce - 1) / atOnce;
}

// The mailbox: what must be archived, and what must not be fetched.
struct Mailbox {
    QStringList inbox, sent, drafts, deleted;
    int withAttachments = 0, inlineOnly = 0;
    int days = 0;
    int expected() const { return int(inbox.size() + sent.size()); }
};

QString filler(int bytes, int seed)
{
    static const QString words = QStringLiteral(
        "the quarterly figures attached below show that the meeting on thursday moved to the larger room "
        "and everyone who replied before noon will get the minutes; please forward to the team ");
    QString text;
    text.reserve(bytes + words.size());
    int at = seed % int(words.size());
    while (text.size() < bytes) {
        text += words.mid(at);
        at = 0;
    }
    text.truncate(bytes);
    return text;
}

QStringList addMessages(MicrosoftFake &fake, Mailbox &m, int count, const QString &folder, const QDateTime &newest,
                        int spacingSecs, const QString &tag, int bodyBytes)
{
    QStringList ids;
    for (int i = 0; i < count; ++i) {
        MicrosoftFake::Message msg;
        msg.folder = folder;
        msg.received = newest.addSecs(-qint64(spacingSecs) * i);
        msg.sent = msg.received.addSecs(-40);
        msg.subject = QStringLiteral("%1 message %2: the quarterly figures").arg(tag).arg(i);
        msg.fromName = QStringLiteral("Sender %1").arg(i % 13);
        msg.fromAddress = QStringLiteral("sender%1@example.org").arg(i % 13);
        msg.to = {fake.userAddress(), QStringLiteral("colleague%1@contoso.com").arg(i % 5)};
        if (i % 4 == 1)
            msg.cc = {QStringLiteral("team@contoso.com")};
        msg.internetMessageId = QStringLiteral("<%1-%2@bench.lookback.test>").arg(tag).arg(i);
        msg.conversationId = QStringLiteral("conv-%1-%2").arg(tag).arg(i / 3);
        msg.bodyHtml = QStringLiteral("<html><body><p>%1</p></body></html>").arg(filler(bodyBytes, i));
        msg.isRead = i % 3 != 0;
        if (i % 4 == 0) {
            msg.attachments << MicrosoftFake::Attachment{QStringLiteral("figures-%1.xlsx").arg(i),
                                                         QStringLiteral("application/vnd.ms-excel"), false,
                                                         QByteArray(2000 + i % 500, 'x'), QString()};
            ++m.withAttachments;
        } else if (i % 10 == 3) {
            msg.attachments << MicrosoftFake::Attachment{QStringLiteral("logo.png"), QStringLiteral("image/png"), true,
                                                         QByteArray(400, 'p'), QStringLiteral("logo-%1@bench").arg(i)};
            ++m.inlineOnly;
        }
        ids << fake.addMessage(msg);
    }
    return ids;
}

Mailbox seed(MicrosoftFake &fake, int messages, int bodyBytes)
{
    // 75% Inbox, 25% Sent Items over about two years, interleaved in time; drafts and
    // deleted items worth 2% each on top, which must not be fetched.
    const int sent = std::max(1, messages / 4);
    const int inbox = messages - sent;
    const int others = std::max(1, messages / 50);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 span = 730ll * 86400;
    Mailbox m;
    m.days = 730;
    m.inbox = addMessages(fake, m, inbox, QStringLiteral("inbox"), now.addSecs(-60), int(span / inbox),
                          QStringLiteral("in"), bodyBytes);
    m.sent = addMessages(fake, m, sent, QStringLiteral("sentitems"), now.addSecs(-600), int(span / sent),
                         QStringLiteral("sent"), bodyBytes);
    Mailbox ignored;
    m.drafts = addMessages(fake, ignored, others, QStringLiteral("drafts"), now.addSecs(-120), int(span / others),
                           QStringLiteral("draft"), bodyBytes);
    m.deleted = addMessages(fake, ignored, others, QStringLiteral("deleteditems"), now.addSecs(-300),
                            int(span / others), QStringLiteral("deleted"), bodyBytes);
    return m;
}

// With another window the engine gets the product's budget scaled the same way.
RequestBudget::Limits scaledBudget(const Options &o)
{
    return {int(qint64(o.requests) * 95 / 100), o.windowMs, GraphApi::kMaxInFlight,
            std::max<qint64>(250, qint64(o.windowMs) / 600)};
}

// Graph requests (not OAuth): what Graph's mailbox limits count.
bool isGraph(Endpoint e)
{
    return e != Endpoint::Authorize && e != Endpoint::Token && e != Endpoint::TokenRefresh;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const Options o = parseArgs(app.arguments());
    const QString startedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    const QString loadAtStart = loadAvg();

    if (!realLimits(o))
        useBudget(ProviderKind::Microsoft, scaledBudget(o));

    KeyringSession keyring;
    MicrosoftHarness h;
    startKeyringAndFake(keyring, h, QStringLiteral("Microsoft fake"));
    MicrosoftFake &fake = h.fake();
    fake.setRequestWindow(o.requests, o.windowMs);
    fake.setMaxConcurrency(kGraphConcurrency);

    log() << "seeding the fake with " << o.messages << " messages (and drafts, deleted items)…" << Qt::endl;
    const Mailbox mailbox = seed(fake, o.messages, o.bodyBytes);
    const SignedIn signedIn = signInAndOpen(h, QStringLiteral("Microsoft 365"));
    const qint64 id = signedIn.id;
    SyncService &service = *signedIn.service;
    const RequestBudget::Limits &budget = signedIn.budget;

    // Only the backfill counts: the sign-in's requests are forgotten, and its
    // answers come at once; from here every answer waits the latency.
    fake.resetCounters();
    fake.setResponseDelayMs(o.latencyMs);
    fake.setResponseDelayMs(Endpoint::List, o.listLatencyMs);
    const qint64 expectedRequests = qint64(o.messages) * 3 / 10 + 100;
    const qint64 timeoutMs = o.timeoutS > 0
        ? qint64(o.timeoutS) * 1000
        : 3 * std::max(slidingWindowFloorMs(expectedRequests, o.requests, o.windowMs),
                       expectedRequests * o.latencyMs + qint64(o.messages) / 100 * o.listLatencyMs) + 120000;

    log() << "backfill of everything (" << mailbox.expected() << " messages, " << o.latencyMs
          << " ms a request, " << o.listLatencyMs << " ms a list page, at most " << o.requests << " requests per "
          << o.windowMs << " ms)…" << Qt::endl;
    const BackfillRun run = runBackfill(service, id, mailbox.expected(), timeoutMs, 5000, [&](const SyncProgress &last, qint64 elapsedMs) {
        log() << "  " << fmt(elapsedMs / 1000.0, 1) << " s: " << last.fetched << " of " << mailbox.expected()
              << " archived, " << fake.requests(Endpoint::List) << " lists, " << fake.requests(Endpoint::Attachments)
              << " attachment listings, " << fake.throttled429s() << " refused" << Qt::endl;
    });
    const qint64 wallMs = run.wallMs;
    const SyncProgress &result = run.result;
    fake.setResponseDelayMs(0);
    fake.setResponseDelayMs(Endpoint::List, -1);
    service.shutdown(10000);
    log() << "done in " << seconds(wallMs) << Qt::endl;

    // ---- figures ----
    const QVector<MicrosoftFake::RequestRecord> requestLog = fake.requestLog();
    qint64 firstMs = 0, lastMs = 0;
    int graphRequests = 0, refused = 0, refusedAfterFirst = 0, peakFromLog = 0;
    QHash<QString, int> listsPerFolder; // what each folder's chain of nextLinks is made of
    const QRegularExpression folderOf(QStringLiteral("/mailFolders(?:/|\\('|%28%27)([^/?'%]+)"));
    for (const MicrosoftFake::RequestRecord &r : requestLog) {
        if (!isGraph(r.endpoint))
            continue;
        ++graphRequests;
        if (r.endpoint == Endpoint::List && r.status == 200)
            ++listsPerFolder[folderOf.match(r.target).captured(1).toLower()];
        if (firstMs == 0)
            firstMs = r.arrivalMs;
        lastMs = std::max(lastMs, r.arrivalMs);
        peakFromLog = std::max(peakFromLog, r.inFlight);
        if (r.status == 429) {
            if (refused > 0)
                ++refusedAfterFirst;
            ++refused;
        }
    }
    const int lists = fake.requests(Endpoint::List);
    const int attachmentListings = fake.requests(Endpoint::Attachments);
    const int folders = fake.requests(Endpoint::Folder);
    const int deltas = fake.requests(Endpoint::Delta);
    const int gets = fake.requests(Endpoint::Get);
    const int contentRequests = fake.requests(Endpoint::Attachment) + fake.requests(Endpoint::AttachmentValue);
    const int me = fake.requests(Endpoint::Me);
    const int refreshes = fake.requests(Endpoint::TokenRefresh);
    const int throttled = fake.throttled429s();
    const int concurrencyRefusals = fake.concurrencyRefusals();
    const int unavailable = fake.serviceUnavailable503s();
    const int peak = fake.peakInFlight();
    const int beforeRetryAfter = fake.requestsBeforeRetryAfter();
    const int withoutImmutable = fake.requestsWithoutImmutableId();

    int longestChain = 0;
    for (int n : std::as_const(listsPerFolder))
        longestChain = std::max(longestChain, n);
    const qint64 busyMs = qint64(lists) * o.listLatencyMs + qint64(graphRequests - lists) * o.latencyMs;
    const qint64 floorConcurrency = concurrencyFloorMs(busyMs, kGraphConcurrency);
    const qint64 floorChain = qint64(longestChain) * o.listLatencyMs;
    const qint64 floorWindow = slidingWindowFloorMs(graphRequests, o.requests, o.windowMs);
    const qint64 floorMs = std::max({floorConcurrency, floorChain, floorWindow});
    const double ratio = floorMs > 0 ? double(wallMs) / double(floorMs) : 0;
    const qint64 listsInTurnMs = qint64(lists) * o.listLatencyMs;

    const QStringList twice = fetchedTwice(fake);
    const QHash<QString, int> archived = h.archivedProviderIds();
    int missing = 0, duplicated = 0, strays = 0;
    for (const QStringList *group : {&mailbox.inbox, &mailbox.sent}) {
        for (const QString &m : *group) {
            const int rows = archived.value(Graph::providerId(m));
            missing += rows == 0 ? 1 : 0;
            duplicated += rows > 1 ? 1 : 0;
        }
    }
    int othersFetched = 0;
    for (const QStringList *group : {&mailbox.drafts, &mailbox.deleted}) {
        for (const QString &m : *group) {
            strays += archived.contains(Graph::providerId(m)) ? 1 : 0;
            othersFetched += fake.contentFetches(m) > 0 ? 1 : 0;
        }
    }
    const qint64 inInbox = h.archivedCount(id, QStringLiteral("inbox"));
    const qint64 inSent = h.archivedCount(id, QStringLiteral("sent"));
    const int msgs = mailbox.expected();

    if (!o.requestLog.isEmpty()) {
        QFile f(o.requestLog);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            die(QStringLiteral("cannot write %1").arg(o.requestLog));
        QTextStream s(&f);
        s << "# ms since the first request, status, in flight once let in, retry-after ms, target\n";
        for (const MicrosoftFake::RequestRecord &r : requestLog)
            s << (r.arrivalMs - firstMs) << '\t' << r.status << '\t' << r.inFlight << '\t'
              << (r.retryAfterUntilMs ? r.retryAfterUntilMs - r.arrivalMs : 0) << '\t' << r.target << '\n';
    }

    // ---- Markdown ----
    out() << "## Microsoft Graph backfill vs the mailbox limits\n\n";
    out() << "Command: `" << commandLine(QStringLiteral("bench_graph"), app.arguments().mid(1)) << "` (" << startedAt
          << ")\n\n";
    out() << "| | |\n|---|---|\n";
    out() << machineRows();
    out() << "| build | " << LOOKBACK_BENCH_BUILD_TYPE << ", source " << sourceRevision() << " |\n";
    out() << "| server | Microsoft fake (tests/support/microsoftfake), HTTP on 127.0.0.1: " << fmtInt(o.requests)
          << " requests per " << fmtInt(o.windowMs / 1000) << " s sliding, " << kGraphConcurrency
          << " at once per mailbox"
          << (realLimits(o) ? QStringLiteral(" (Graph's real mailbox limits)") : QStringLiteral(" (window scaled down)"))
          << "; every answer waits " << o.latencyMs << " ms, a list page " << o.listLatencyMs << " ms |\n";
    out() << "| engine budget | " << fmtInt(budget.unitsPerWindow) << " requests per " << fmtInt(budget.windowMs / 1000)
          << " s + " << fmtInt(budget.slackMs) << " ms slack, " << budget.maxInFlight << " in flight per sign-in"
          << (realLimits(o) ? QStringLiteral(" (the product's, core/source/sourcefactory.cpp)")
                            : QStringLiteral(" (the product's scaled to this window)"))
          << " |\n";
    out() << "| load average at start | " << loadAtStart << " |\n\n";
    out() << "Mailbox: " << fmtInt(msgs) << " messages to archive (" << fmtInt(mailbox.inbox.size()) << " Inbox, "
          << fmtInt(mailbox.sent.size()) << " Sent Items) over " << mailbox.days << " days, bodies of about "
          << fmtInt(o.bodyBytes) << " bytes of HTML; " << fmtInt(mailbox.withAttachments)
          << " with an attachment (one metadata request each), " << fmtInt(mailbox.inlineOnly)
          << " with only an inline picture (hasAttachments false: no request); " << fmtInt(mailbox.drafts.size())
          << " drafts and " << fmtInt(mailbox.deleted.size())
          << " deleted items that must not be fetched. One backfill of everything through SyncService (the desktop's "
             "default options), signed in through the browser step beforehand; wall time from startBackfill() to "
             "finished.\n\n";

    out() << "| | |\n|---|---:|\n";
    out() << "| wall time | " << seconds(wallMs) << " |\n";
    out() << "| Graph requests the run needed, R | " << fmtInt(graphRequests) << ": " << lists << " list pages, "
          << attachmentListings << " attachment listings, " << folders << " folder reads, " << deltas
          << " delta baseline pages" << (me ? QStringLiteral(", %1 /me").arg(me) : QString())
          << (gets ? QStringLiteral(", %1 single gets").arg(gets) : QString()) << " |\n";
    out() << "| the concurrency limit's floor: (lists × " << o.listLatencyMs << " ms + the rest × " << o.latencyMs
          << " ms) / " << kGraphConcurrency << " | " << seconds(floorConcurrency) << " |\n";
    out() << "| the longest folder's list pages one after another: " << longestChain << " × " << o.listLatencyMs
          << " ms | " << seconds(floorChain) << " |\n";
    out() << "| the window's floor: (⌈R / " << fmtInt(o.requests) << "⌉ − 1) × " << fmtInt(o.windowMs / 1000)
          << " s | " << seconds(floorWindow) << " |\n";
    out() << "| **wall ÷ the limits' floor (the largest of the three)** | **"
          << (floorMs > 0 ? fmt(ratio, 3) : QStringLiteral("n/a")) << "** |\n";
    out() << "| every list page one after another (both folders): " << lists << " × " << o.listLatencyMs << " ms | "
          << seconds(listsInTurnMs) << " |\n";
    out() << "| **list requests per 100 messages** | **" << fmt(100.0 * lists / std::max(1, msgs), 2) << "** |\n";
    out() << "| Graph requests per 100 messages | " << fmt(100.0 * graphRequests / std::max(1, msgs), 2) << " |\n";
    out() << "| **429s received / after the first** | **" << throttled << " / " << refusedAfterFirst << "** ("
          << concurrencyRefusals << " over the concurrency limit) |\n";
    out() << "| 503s | " << unavailable << " |\n";
    out() << "| requests sent before a Retry-After ran out | " << beforeRetryAfter << " |\n";
    out() << "| **peak requests in flight (the fake's count)** | **" << peak << "** |\n";
    out() << "| first → last request | " << seconds(lastMs - firstMs) << " |\n";
    out() << "| requests without Prefer: IdType=\"ImmutableId\" | " << withoutImmutable << " |\n";
    out() << "| attachment content requested | " << contentRequests << " |\n";
    out() << "| messages fetched twice | " << twice.size() << " |\n";
    out() << "| token refreshes | " << refreshes << " |\n";
    out() << "| archived / expected | " << fmtInt(archived.size() - strays) << " / " << fmtInt(msgs) << " (Inbox "
          << fmtInt(inInbox) << " / " << fmtInt(mailbox.inbox.size()) << ", Sent " << fmtInt(inSent) << " / "
          << fmtInt(mailbox.sent.size()) << ") |\n";
    out() << "| drafts and deleted items fetched / archived | " << othersFetched << " / " << strays << " |\n";
    out() << "\nR counts every request to Graph during the backfill (the fake's log; the sign-in before it is not "
             "counted). Each holds one of the mailbox's "
          << kGraphConcurrency << " slots for at least its latency, so no client finishes sooner than the sum of "
             "the latencies / "
          << kGraphConcurrency << "; a folder's list pages come one after another (each needs the nextLink of the "
             "one before); and the window lets only so many requests through.\n\n";
    out() << "Targets: list requests per 100 messages ≤ 2 — "
          << (100.0 * lists / std::max(1, msgs) <= 2.0 ? "**met**" : "**not met**") << "; no 429 after the first — "
          << (refusedAfterFirst == 0 ? "**met**" : "**not met**") << "; peak in flight ≤ " << kGraphConcurrency << " — "
          << (peak <= kGraphConcurrency ? "**met**" : "**not met**") << ".\n";
    out() << "\nLoad average at end: " << loadAvg() << ".\n";
    out().flush();

    // ---- what must hold ----
    QStringList failures;
    if (result.state != BackfillState::Complete)
        failures << QStringLiteral("the backfill ended %1: %2").arg(backfillStateName(result.state), result.error.message);
    if (missing)
        failures << QStringLiteral("%1 expected messages not archived").arg(missing);
    if (duplicated)
        failures << QStringLiteral("%1 messages archived more than once").arg(duplicated);
    if (archived.size() != msgs)
        failures << QStringLiteral("%1 rows archived for %2 messages").arg(archived.size()).arg(msgs);
    if (othersFetched || strays || fake.draftsRequests())
        failures << QStringLiteral("drafts or deleted items fetched %1, archived %2").arg(othersFetched).arg(strays);
    if (inInbox != mailbox.inbox.size() || inSent != mailbox.sent.size())
        failures << QStringLiteral("Inbox %1 of %2, Sent %3 of %4")
                        .arg(inInbox)
                        .arg(mailbox.inbox.size())
                        .arg(inSent)
                        .arg(mailbox.sent.size());
    if (!twice.isEmpty())
        failures << QStringLiteral("%1 messages fetched twice").arg(twice.size());
    if (contentRequests)
        failures << QStringLiteral("attachment content requested %1 times").arg(contentRequests);
    if (peakFromLog > kGraphConcurrency || peak > kGraphConcurrency)
        failures << QStringLiteral("%1 requests in flight at once").arg(std::max(peak, peakFromLog));
    if (!failures.isEmpty())
        die(QStringLiteral("the archive is not what was expected: ") + failures.join(QStringLiteral("; ")));
    return 0;
}
