#include "gmailharness.h"

#include "testbrowser.h"

#include <QEventLoop>
#include <QSqlQuery>
#include <QTimer>

namespace Lookback::Test {

GmailHarness::GmailHarness() = default;

GmailHarness::~GmailHarness()
{
    for (const QString &name : std::as_const(m_envSet))
        qunsetenv(name.toLatin1().constData());
}

bool GmailHarness::init(QString *error)
{
    if (!m_dir.isValid()) {
        *error = QStringLiteral("no temporary folder");
        return false;
    }
    if (!m_fake.start(error))
        return false;
    const QProcessEnvironment env = environment(QProcessEnvironment());
    for (const QString &name : env.keys()) {
        qputenv(name.toLatin1().constData(), env.value(name).toUtf8());
        m_envSet << name;
    }
    return true;
}

QString GmailHarness::archivePath() const
{
    return ArchiveStore::defaultPath(m_dir.path());
}

QProcessEnvironment GmailHarness::environment(const QProcessEnvironment &base) const
{
    QProcessEnvironment env = base;
    env.insert(QStringLiteral("LOOKBACK_GOOGLE_AUTH_URL"), m_fake.authUrl().toString());
    env.insert(QStringLiteral("LOOKBACK_GOOGLE_TOKEN_URL"), m_fake.tokenUrl().toString());
    env.insert(QStringLiteral("LOOKBACK_GMAIL_API_URL"), m_fake.apiUrl().toString());
    env.insert(QStringLiteral("LOOKBACK_GOOGLE_CLIENT_ID"), m_fake.clientId());
    env.insert(QStringLiteral("LOOKBACK_GOOGLE_CLIENT_SECRET"), m_fake.clientSecret());
    return env;
}

QStringList GmailHarness::addMessages(int count, const QStringList &labels, const QDateTime &newest, int spacingSecs,
                                      const QString &tag)
{
    QStringList ids;
    for (int i = 0; i < count; ++i) {
        const QDateTime when = newest.addSecs(-qint64(spacingSecs) * i);
        GoogleFake::Message m;
        m.labelIds = labels;
        m.internalDateMs = when.toMSecsSinceEpoch();
        m.raw = GoogleFake::makeRaw(QStringLiteral("Sender %1 <sender%1@example.org>").arg(i % 7),
                                    m_fake.userEmail(), QStringLiteral("%1 message %2").arg(tag).arg(i), when,
                                    QStringLiteral("Body of %1 %2\r\n").arg(tag).arg(i).repeated(10),
                                    QStringLiteral("%1-%2@lookback.test").arg(tag).arg(i));
        ids << m_fake.addMessage(m);
    }
    return ids;
}

qint64 GmailHarness::signIn(const QString &name, QString *error)
{
    SyncService service(archivePath());
    SyncError e;
    if (!service.open(&e)) {
        *error = e.message;
        return 0;
    }
    qint64 id = 0;
    QEventLoop loop;
    QString browserError;
    service.signInWithBrowser(ProviderKind::Gmail, {}, [&browserError](const QUrl &url) {
        // The browser runs beside the program, not inside its signal.
        QTimer::singleShot(0, [url, &browserError] { followAuthorization(url, &browserError); });
    }, [&](const SyncError &signInError, const OAuthGrant &grant, const QString &address) {
        if (signInError.isError()) {
            *error = signInError.message;
            loop.quit();
            return;
        }
        service.addOAuthConnection(name, ProviderKind::Gmail, grant, address, [&](const SyncError &addError, qint64 newId) {
            if (addError.isError())
                *error = addError.message;
            id = newId;
            loop.quit();
        });
    }, 30000);
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    loop.exec();
    if (!id && error->isEmpty())
        *error = browserError.isEmpty() ? QStringLiteral("sign-in timed out") : browserError;
    return id;
}

bool GmailHarness::reconnect(qint64 id, QString *error)
{
    SyncService service(archivePath());
    SyncError e;
    if (!service.open(&e)) {
        *error = e.message;
        return false;
    }
    bool ok = false;
    bool done = false;
    QEventLoop loop;
    service.reconnectWithBrowser(id, {}, [](const QUrl &url) {
        QTimer::singleShot(0, [url] {
            QString ignored;
            followAuthorization(url, &ignored);
        });
    }, [&](const SyncError &r) {
        ok = !r.isError();
        if (!ok)
            *error = r.message;
        done = true;
        loop.quit();
    }, 30000);
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    if (!done)
        loop.exec();
    return ok;
}

HarnessRequest GmailHarness::request(qint64 id, const BackfillRange &range) const
{
    HarnessRequest r;
    r.range = range;
    r.connectionId = id;
    r.options.retryFirstConnect = false;
    r.options.maxAttemptsWithoutProgress = 3;
    r.options.retryBaseMs = 200;
    r.options.progressIntervalMs = 0;
    return r;
}

SyncProgress GmailHarness::run(const HarnessRequest &request, const BackfillHarness::OnProgress &onProgress,
                               int timeoutMs)
{
    return BackfillHarness::runAll(archivePath(), {request}, onProgress, timeoutMs).value(request.connectionId);
}

QHash<QString, int> GmailHarness::archivedProviderIds() const
{
    QHash<QString, int> result;
    ArchiveStore store(archivePath());
    SyncError e;
    if (!store.open(&e))
        return result;
    QSqlQuery q(store.database());
    q.exec(QStringLiteral("SELECT provider_id FROM messages"));
    while (q.next())
        result[q.value(0).toString()] += 1;
    return result;
}

QHash<QString, QStringList> GmailHarness::locations() const
{
    QHash<QString, QStringList> result;
    ArchiveStore store(archivePath());
    SyncError e;
    if (!store.open(&e))
        return result;
    QSqlQuery q(store.database());
    q.exec(QStringLiteral("SELECT m.provider_id, f.role FROM locations l JOIN messages m ON m.id = l.message_row "
                          "JOIN folders f ON f.id = l.folder_id ORDER BY f.role"));
    while (q.next())
        result[q.value(0).toString()] << q.value(1).toString();
    return result;
}

qint64 GmailHarness::archivedCount(qint64 id, const QString &role) const
{
    ArchiveStore store(archivePath());
    SyncError e;
    if (!store.open(&e))
        return -1;
    return store.messageCount(id, role);
}

} // namespace Lookback::Test
