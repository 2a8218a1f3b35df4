// bench_gmail: one full Gmail backfill through the real engine against the Google fake
// with Gmail's real per-user quota (15,000 units a minute), measured against the time
// that quota itself allows for the units the run needed: the physical limit, since no
// client can go faster than the provider lets it.
//
// The fake (tests/support/googlefake.h) holds N messages to archive, in Inbox, in Sent
// and in both, plus drafts that must not be fetched. The account is signed in through
// the real browser step (tests/support/gmailharness.h, keychain in a private
// gnome-keyring session); then one backfill of everything runs through SyncService
// with the desktop's default options, timed from startBackfill() to `finished`.
// The fake's request log gives the requests, batch sizes, units and refusals.
//
// Prints Markdown on stdout, progress on stderr; exits 1 when the archive is not what
// was expected. Not a test: not registered with ctest. See bench/run.sh and
// docs/PERFORMANCE.md ("Gmail API backfill vs the quota's limit").

#include "benchcommon.h"
#include "benchengine.h"
#include "gmailharness.h"
#include "keyringsession.h"

#include "auth/requestbudget.h"
#include "gmail/gmailaccount.h"
#include "gmail/gmailmessage.h"
#include "source/sourcefactory.h"
#include "sync/syncservice.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QSet>
#include <QTextStream>

#include <algorithm>
#include <memory>

using namespace Lookback;
using namespace Lookback::Bench;
using namespace Lookback::Test;
using Endpoint = GoogleFake::Endpoint;

namespace {

// Gmail's real per-user quota (PROVIDERS.md 2.4): 15,000 units in any minute.
constexpr int kGmailQuotaUnits = 15000;
constexpr int kGmailQuotaWindowMs = 60000;

struct Options : DriverOptions {
    int quotaUnits = kGmailQuotaUnits;
    int windowMs = kGmailQuotaWindowMs;
};

bool realQuota(const Options &o)
{
    return o.quotaUnits == kGmailQuotaUnits && o.windowMs == kGmailQuotaWindowMs;
}

void usage()
{
    log() << "usage: bench_gmail [--messages 6000] [--quota 15000 --window-ms 60000] [--timeout-s S]\n"
             "                  [--request-log FILE]  (the fake's log: ms since the first request, status, units, target)\n"
             "       bench_gmail --quick   (= --messages 600 --quota 1500 --window-ms 6000: a 15 s sanity run)\n"
             "With the real quota the engine keeps its own budget (core/source/sourcefactory.cpp); with\n"
             "another quota it gets the same budget scaled to it (95% of the units, the same window).\n";
}

Options parseArgs(const QStringList &a)
{
    Options o;
    bool quota = false;
    for (int i = 1; i < a.size(); ++i) {
        const QString &k = a.at(i);
        auto number = [&](int min) { return wholeNumberAfter(a, i, min, usage); };
        if (readDriverOption(a, i, o, usage)) {
            continue;
        } else if (k == QLatin1String("--quota")) {
            o.quotaUnits = number(500); // a batch of 50 gets is 250 units
            quota = true;
        } else if (k == QLatin1String("--window-ms")) {
            o.windowMs = number(1000);
            quota = true;
        } else {
            usage();
            die(QStringLiteral("unknown argument %1").arg(k));
        }
    }
    if (o.quick) {
        if (!o.sized)
            o.messages = 600;
        if (!quota) {
            o.quotaUnits = 1500;
            o.windowMs = 6000;
        }
    }
    return o;
}

int costOf(const GoogleFake::RequestRecord &r)
{
    switch (r.endpoint) {
    case Endpoint::Profile:
    case Endpoint::Labels:
        return 1;
    case Endpoint::List:
    case Endpoint::Get:
    case Endpoint::Attachment:
    case Endpoint::BatchPart:
        return 5;
    default:
        return 0; // the batch itself and OAuth cost nothing; its parts are charged
    }
}

// Charged by the fake: answered past the quota check (refusals, bad credentials and
// scopes cost nothing).
bool charged(const GoogleFake::RequestRecord &r)
{
    return r.retryAfterUntilMs == 0 && r.status != 401 && r.status != 403 && costOf(r) > 0;
}

// What the request log says about one run.
struct LogFigures {
    int httpRequests = 0; // standalone calls + batches
    QList<int> batchSizes;
    qint64 unitsFromLog = 0;
    int refusedRequests = 0; // HTTP requests with at least one call refused over quota
    qint64 firstMs = 0, lastMs = 0;
    int peakWindowUnits = 0; // most units charged in any window of the quota's length
    QList<qint64> unitsPerWindow; // windows counted from the first request
};

LogFigures analyse(const QVector<GoogleFake::RequestRecord> &log, int windowMs)
{
    LogFigures f;
    int partsInBatch = 0;
    bool batchRefused = false;
    QVector<QPair<qint64, int>> charges;
    for (const GoogleFake::RequestRecord &r : log) {
        if (f.firstMs == 0)
            f.firstMs = r.arrivalMs;
        f.lastMs = std::max(f.lastMs, r.arrivalMs);
        if (charged(r)) {
            f.unitsFromLog += costOf(r);
            charges << qMakePair(r.arrivalMs, costOf(r));
        }
        if (r.endpoint == Endpoint::BatchPart) {
            // A batch's parts are logged before the batch itself.
            ++partsInBatch;
            batchRefused = batchRefused || r.retryAfterUntilMs > 0;
            continue;
        }
        ++f.httpRequests;
        if (r.endpoint == Endpoint::Batch) {
            f.batchSizes << partsInBatch;
            if (batchRefused)
                ++f.refusedRequests;
            partsInBatch = 0;
            batchRefused = false;
        } else if (r.retryAfterUntilMs > 0) {
            ++f.refusedRequests;
        }
    }
    // Sliding window, as the fake counts it: a charge at t counts during [t, t + window).
    qint64 inWindow = 0;
    int tail = 0;
    for (int head = 0; head < charges.size(); ++head) {
        inWindow += charges.at(head).second;
        while (charges.at(tail).first <= charges.at(head).first - windowMs)
            inWindow -= charges.at(tail++).second;
        f.peakWindowUnits = std::max<int>(f.peakWindowUnits, int(inWindow));
        const int bucket = int((charges.at(head).first - f.firstMs) / windowMs);
        while (f.unitsPerWindow.size() <= bucket)
            f.unitsPerWindow << 0;
        f.unitsPerWindow[bucket] += charges.at(head).second;
    }
    return f;
}

// The mailbox: what must be archived, and the drafts that must not be.
struct Mailbox {
    QStringList inboxOnly, sentOnly, both, drafts;
    int days = 0;
    int expected() const { return int(inboxOnly.size() + sentOnly.size() + both.size()); }
};

Mailbox seed(GmailHarness &h, int messages)
{
    // 70% Inbox only, 25% Sent only, 5% in both (mail to oneself), plus drafts worth 2%
    // on top; spread over about two years, the groups interleaved in time.
    const int both = std::max(1, messages / 20);
    const int sent = std::max(1, messages / 4);
    const int inbox = messages - both - sent;
    const int drafts = std::max(1, messages / 50);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 span = 730ll * 86400;
    Mailbox m;
    m.days = 730;
    const QStringList in{QStringLiteral("INBOX")}, out{QStringLiteral("SENT")};
    m.inboxOnly = h.addMessages(inbox, in, now.addSecs(-60), int(span / inbox), QStringLiteral("in"));
    m.sentOnly = h.addMessages(sent, out, now.addSecs(-600), int(span / sent), QStringLiteral("sent"));
    m.both = h.addMessages(both, in + out, now.addSecs(-1800), int(span / both), QStringLiteral("self"));
    m.drafts = h.addMessages(drafts, {QStringLiteral("DRAFT")}, now.addSecs(-120), int(span / drafts),
                             QStringLiteral("draft"));
    return m;
}

// With a scaled-down quota the engine gets the product's budget scaled the same way:
// 95% of the units in the same window, and a slack for the time a batch takes to
// arrive (the product's 1 s per minute, at least 250 ms).
RequestBudget::Limits scaledBudget(const Options &o)
{
    return {int(qint64(o.quotaUnits) * 95 / 100), o.windowMs, 0, std::max<qint64>(250, qint64(o.windowMs) / 60)};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const Options o = parseArgs(app.arguments());
    const QString startedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    const QString loadAtStart = loadAvg();

    if (!realQuota(o))
        useBudget(ProviderKind::Gmail, scaledBudget(o));

    KeyringSession keyring;
    GmailHarness h;
    startKeyringAndFake(keyring, h, QStringLiteral("Google fake"));
    h.fake().setQuota(o.quotaUnits, o.windowMs);

    log() << "seeding the fake with " << o.messages << " messages (and drafts)…" << Qt::endl;
    const Mailbox mailbox = seed(h, o.messages);
    const SignedIn signedIn = signInAndOpen(h, QStringLiteral("Gmail"));
    const qint64 id = signedIn.id;
    SyncService &service = *signedIn.service;
    const RequestBudget::Limits &budget = signedIn.budget;

    // Only the backfill counts: the sign-in's requests are forgotten (its one profile
    // call, 1 unit, stays in the fake's window).
    h.fake().resetCounters();
    const qint64 expectedUnits = qint64(o.messages) * 5;
    const qint64 timeoutMs = o.timeoutS > 0 ? qint64(o.timeoutS) * 1000
                                            : 2 * slidingWindowFloorMs(expectedUnits * 11 / 10, o.quotaUnits, o.windowMs) + 120000;

    log() << "backfill of everything (" << mailbox.expected() << " messages, quota " << o.quotaUnits << " units per "
          << o.windowMs << " ms)…" << Qt::endl;
    const BackfillRun run = runBackfill(service, id, mailbox.expected(), timeoutMs, std::max(1000, o.windowMs / 12),
                                        [&](const SyncProgress &last, qint64 elapsedMs) {
        log() << "  " << fmt(elapsedMs / 1000.0, 1) << " s: " << last.fetched << " of " << mailbox.expected()
              << " archived, " << fmtInt(h.fake().unitsCharged()) << " units charged, "
              << h.fake().quotaRefusals() << " refused" << Qt::endl;
    });
    const qint64 wallMs = run.wallMs;
    const SyncProgress &result = run.result;
    service.shutdown(10000);
    log() << "done in " << seconds(wallMs) << Qt::endl;

    // ---- figures ----
    GoogleFake &fake = h.fake();
    const LogFigures lf = analyse(fake.requestLog(), o.windowMs);
    const qint64 units = fake.unitsCharged();
    const qint64 floorMs = slidingWindowFloorMs(units, o.quotaUnits, o.windowMs);
    const qint64 budgetFloorMs = slidingWindowFloorMs(units, budget.unitsPerWindow, budget.windowMs + budget.slackMs);
    const int batches = fake.requests(Endpoint::Batch);
    const int parts = fake.requests(Endpoint::BatchPart);
    const int lists = fake.requests(Endpoint::List);
    const int labels = fake.requests(Endpoint::Labels);
    const int profiles = fake.requests(Endpoint::Profile);
    const int gets = fake.requests(Endpoint::Get);
    const int attachments = fake.requests(Endpoint::Attachment);
    const int refused = fake.quotaRefusals();
    const int refusedAfterFirst = std::max(0, lf.refusedRequests - 1);
    const qint64 unitsFromCounts = 5ll * (lists + gets + attachments + parts) + labels + profiles;

    const QStringList twice = fetchedTwice(fake);
    int draftsFetched = 0, draftsArchived = 0;
    const QHash<QString, int> archived = h.archivedProviderIds();
    for (const QString &d : mailbox.drafts) {
        draftsFetched += fake.contentFetches(d) > 0 ? 1 : 0;
        draftsArchived += archived.contains(Gmail::providerId(d)) ? 1 : 0;
    }
    int missing = 0, duplicated = 0;
    for (const QStringList *group : {&mailbox.inboxOnly, &mailbox.sentOnly, &mailbox.both}) {
        for (const QString &m : *group) {
            const int rows = archived.value(Gmail::providerId(m));
            missing += rows == 0 ? 1 : 0;
            duplicated += rows > 1 ? 1 : 0;
        }
    }
    const qint64 inInbox = h.archivedCount(id, QStringLiteral("inbox"));
    const qint64 inSent = h.archivedCount(id, QStringLiteral("sent"));
    const int expectedInbox = int(mailbox.inboxOnly.size() + mailbox.both.size());
    const int expectedSent = int(mailbox.sentOnly.size() + mailbox.both.size());
    const double ratio = floorMs > 0 ? double(wallMs) / double(floorMs) : 0;
    const int msgs = mailbox.expected();
    double meanBatch = 0;
    int minBatch = lf.batchSizes.isEmpty() ? 0 : *std::min_element(lf.batchSizes.cbegin(), lf.batchSizes.cend());
    for (int s : lf.batchSizes)
        meanBatch += s;
    if (!lf.batchSizes.isEmpty())
        meanBatch /= lf.batchSizes.size();

    if (!o.requestLog.isEmpty()) {
        QFile f(o.requestLog);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            die(QStringLiteral("cannot write %1").arg(o.requestLog));
        QTextStream s(&f);
        s << "# ms since the first request, status, units charged, retry-after ms, target (batch parts before their batch)\n";
        for (const GoogleFake::RequestRecord &r : fake.requestLog())
            s << (r.arrivalMs - lf.firstMs) << '\t' << r.status << '\t' << (charged(r) ? costOf(r) : 0) << '\t'
              << (r.retryAfterUntilMs ? r.retryAfterUntilMs - r.arrivalMs : 0) << '\t'
              << (r.endpoint == Endpoint::Batch ? QStringLiteral("POST /batch/gmail/v1") : r.target) << '\n';
    }

    // ---- Markdown ----
    out() << "## Gmail API backfill vs the quota's limit\n\n";
    out() << "Command: `" << commandLine(QStringLiteral("bench_gmail"), app.arguments().mid(1)) << "` (" << startedAt
          << ")\n\n";
    out() << "| | |\n|---|---|\n";
    out() << machineRows();
    out() << "| build | " << LOOKBACK_BENCH_BUILD_TYPE << ", source " << sourceRevision() << " |\n";
    out() << "| server | Google fake (tests/support/googlefake), HTTP on 127.0.0.1, quota " << fmtInt(o.quotaUnits)
          << " units per " << fmtInt(o.windowMs) << " ms, sliding"
          << (realQuota(o) ? QStringLiteral(" (Gmail's real per-user quota)") : QStringLiteral(" (scaled down)")) << " |\n";
    out() << "| engine budget | " << fmtInt(budget.unitsPerWindow) << " units per " << fmtInt(budget.windowMs)
          << " ms + " << fmtInt(budget.slackMs) << " ms slack"
          << (realQuota(o) ? QStringLiteral(" (the product's, core/source/sourcefactory.cpp)")
                           : QStringLiteral(" (the product's scaled to this quota)"))
          << " |\n";
    out() << "| load average at start | " << loadAtStart << " |\n\n";
    out() << "Mailbox: " << fmtInt(msgs) << " messages to archive (" << fmtInt(mailbox.inboxOnly.size())
          << " Inbox only, " << fmtInt(mailbox.sentOnly.size()) << " Sent only, " << fmtInt(mailbox.both.size())
          << " in both) over " << mailbox.days << " days, and " << fmtInt(mailbox.drafts.size())
          << " drafts that must not be fetched. One backfill of everything through SyncService (the desktop's default "
             "options), signed in through the browser step beforehand; wall time from startBackfill() to finished.\n\n";

    out() << "| | |\n|---|---:|\n";
    out() << "| wall time | " << seconds(wallMs) << " |\n";
    out() << "| units the run needed, U | " << fmtInt(units) << " |\n";
    out() << "| the quota's limit: (⌈U / " << fmtInt(o.quotaUnits) << "⌉ − 1) × " << fmt(o.windowMs / 1000.0, 0)
          << " s | " << seconds(floorMs) << " |\n";
    out() << "| **wall ÷ the quota's limit** | **"
          << (floorMs > 0 ? fmt(ratio, 3) : QStringLiteral("n/a (U fits in one window)")) << "** |\n";
    out() << "| the engine budget's own limit: (⌈U / " << fmtInt(budget.unitsPerWindow) << "⌉ − 1) × "
          << fmt((budget.windowMs + budget.slackMs) / 1000.0, 1) << " s | " << seconds(budgetFloorMs) << " |\n";
    out() << "| Gmail API requests | " << fmtInt(lf.httpRequests) << ": " << batches << " batches, " << lists
          << " lists, " << labels << " labels, " << profiles << " profile"
          << (gets ? QStringLiteral(", %1 single gets").arg(gets) : QString())
          << (attachments ? QStringLiteral(", %1 attachments").arg(attachments) : QString()) << " |\n";
    out() << "| requests per 100 messages | " << fmt(100.0 * lf.httpRequests / std::max(1, msgs), 2) << " |\n";
    out() << "| batch size (parts) | mean " << fmt(meanBatch, 1) << ", max " << fake.maxBatchParts() << ", min "
          << minBatch << " (" << fmtInt(parts) << " parts) |\n";
    out() << "| most units in any " << fmt(o.windowMs / 1000.0, 0) << " s | " << fmtInt(lf.peakWindowUnits) << " ("
          << fmt(100.0 * lf.peakWindowUnits / o.quotaUnits, 1) << "% of the quota) |\n";
    QStringList perWindow;
    for (qint64 u : lf.unitsPerWindow)
        perWindow << fmtInt(u);
    out() << "| units per window from the first request | " << perWindow.join(QStringLiteral(" / ")) << " |\n";
    out() << "| first → last request | " << seconds(lf.lastMs - lf.firstMs) << " |\n";
    out() << "| quota refusals (calls and batch parts) | " << refused << " |\n";
    out() << "| requests refused over quota / after the first | " << lf.refusedRequests << " / " << refusedAfterFirst
          << " |\n";
    out() << "| requests sent before a Retry-After ran out | " << fake.requestsBeforeRetryAfter() << " |\n";
    out() << "| messages fetched twice | " << twice.size() << " |\n";
    out() << "| token refreshes | " << fake.requests(Endpoint::TokenRefresh) << " |\n";
    out() << "| archived / expected | " << fmtInt(archived.size() - draftsArchived) << " / " << fmtInt(msgs)
          << " (Inbox " << fmtInt(inInbox) << " / " << fmtInt(expectedInbox) << ", Sent " << fmtInt(inSent) << " / "
          << fmtInt(expectedSent) << ") |\n";
    out() << "| drafts fetched / archived | " << draftsFetched << " / " << draftsArchived << " |\n";
    out() << "\nU is the fake's count of units charged (" << fmtInt(units) << "; from the request counts × costs — "
          << "list 5, get 5 per batch part, labels 1, profile 1 — " << fmtInt(unitsFromCounts) << ", from the log "
          << fmtInt(lf.unitsFromLog) << "). The sign-in before the backfill is not counted.\n\n";
    const bool withinTen = floorMs == 0 || ratio <= 1.10;
    out() << "Targets: within 10% of the quota's limit — " << (withinTen ? "**met**" : "**not met**")
          << "; zero avoidable quota errors — " << (refused == 0 ? "**met**" : refusedAfterFirst == 0 ? "**one refused request**" : "**not met**")
          << ".\n";
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
    if (archived.size() - draftsArchived != msgs)
        failures << QStringLiteral("%1 rows archived for %2 messages").arg(archived.size()).arg(msgs);
    if (draftsFetched || draftsArchived)
        failures << QStringLiteral("drafts fetched %1, archived %2").arg(draftsFetched).arg(draftsArchived);
    if (inInbox != expectedInbox || inSent != expectedSent)
        failures << QStringLiteral("Inbox %1 of %2, Sent %3 of %4").arg(inInbox).arg(expectedInbox).arg(inSent).arg(expectedSent);
    if (!twice.isEmpty())
        failures << QStringLiteral("%1 messages fetched twice").arg(twice.size());
    if (!failures.isEmpty())
        die(QStringLiteral("the archive is not what was expected: ") + failures.join(QStringLiteral("; ")));
    return 0;
}
