#pragma once

#include "common/syncerror.h"
#include "imap/imapconnection.h"
#include "source/rangecounts.h"

#include <QList>
#include <QMap>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>

class QThread;

namespace Lookback {

class ProbeWorker;

// What "Test connection" found out.
struct ProbeResult
{
    SyncError error;
    QString inboxName;               // as the server names it ("INBOX")
    QString sentName;                // the folder marked \Sent, or a well-known name
    QStringList capabilities;        // after login, upper case, sorted
    // When TLS failed because the certificate is not trusted: the server's certificate,
    // as "AB:CD:..." for the user to compare, and as the hex digest to store in
    // ConnectionRecord::trustedCertSha256 / ImapSettings::trustedCertSha256 if they trust it.
    QString certificateFingerprint;
    QString certificateDigestHex;
    bool certificateUntrusted = false;
    // Login worked and the folders were listed: an empty inboxName/sentName then
    // really means the server has no such folder.
    bool foldersListed = false;

    bool ok() const { return !error.isError(); }
};

// Checks IMAP settings before a connection is added, and counts what a backfill of each
// range would fetch, without touching the archive.
//
// Thread: create and use on any thread with an event loop (the GUI thread); the
// network work runs on a thread the probe owns, one request at a time in the order
// asked. Every test() is answered by exactly one tested(), every count() by exactly one
// counted(), delivered on the probe's thread. Destroying the probe abandons whatever is
// still running (its signals are then never emitted) and waits for the thread to end.
// Owner: the dialog that shows the result.
class ImapProbe : public QObject
{
    Q_OBJECT
public:
    explicit ImapProbe(QObject *parent = nullptr);
    ~ImapProbe() override;

    // Connect, TLS, login, LIST: finds Inbox and Sent like ImapSource does. Errors:
    // Network (unreachable, refused, timeout), Tls (certificate not trusted: the result
    // carries its fingerprint and digest), AuthExpired (login rejected),
    // Configuration (no Inbox or no Sent folder).
    void test(const ImapSettings &settings);
    // Counts per range in Inbox + Sent, plus `customDays`, and measures the rate.
    void count(const ImapSettings &settings, const QList<int> &customDays = {});

    // Longest silence a probe waits for (a shorter ImapSettings::timeoutMs wins): a
    // person is waiting for the answer.
    static constexpr int kTimeoutMs = 20000;
    // How many of the newest messages the rate measurement fetches.
    static constexpr int kSampleSize = 50;

signals:
    void tested(const Lookback::ProbeResult &result);
    void counted(const Lookback::RangeCounts &counts);

private:
    QThread *m_thread = nullptr;
    ProbeWorker *m_worker = nullptr; // lives on m_thread, deleted when it finishes
};

} // namespace Lookback

Q_DECLARE_METATYPE(Lookback::ProbeResult)
