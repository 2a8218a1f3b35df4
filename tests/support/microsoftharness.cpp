#include "microsoftharness.h"

#include <QEventLoop>
#include <QTimer>

namespace Lookback::Test {

MicrosoftHarness::MicrosoftHarness()
    : OAuthHarness(ProviderKind::Microsoft)
{
}

bool MicrosoftHarness::startFake(QString *error)
{
    return m_fake.start(error);
}

QProcessEnvironment MicrosoftHarness::environment(const QProcessEnvironment &base) const
{
    QProcessEnvironment env = base;
    env.insert(QStringLiteral("LOOKBACK_MICROSOFT_AUTH_URL"), m_fake.authUrl().toString());
    env.insert(QStringLiteral("LOOKBACK_MICROSOFT_TOKEN_URL"), m_fake.tokenUrl().toString());
    env.insert(QStringLiteral("LOOKBACK_GRAPH_API_URL"), m_fake.apiUrl().toString());
    env.insert(QStringLiteral("LOOKBACK_MICROSOFT_CLIENT_ID"), m_fake.clientId());
    return env;
}

QStringList MicrosoftHarness::addMessages(int count, const QString &folder, const QDateTime &newest, int spacingSecs,
                                          const QString &tag, const QString &mailbox)
{
    QStringList ids;
    for (int i = 0; i < count; ++i) {
        MicrosoftFake::Message m;
        m.folder = folder;
        m.received = newest.addSecs(-qint64(spacingSecs) * i);
        m.sent = m.received.addSecs(-30);
        m.subject = QStringLiteral("%1 message %2").arg(tag).arg(i);
        m.fromName = QStringLiteral("Sender %1").arg(i % 7);
        m.fromAddress = QStringLiteral("sender%1@example.org").arg(i % 7);
        m.to = {mailbox.isEmpty() ? m_fake.userAddress() : mailbox};
        m.internetMessageId = QStringLiteral("<%1-%2@lookback.test>").arg(tag).arg(i);
        m.conversationId = QStringLiteral("conv-%1-%2").arg(tag).arg(i / 3);
        m.bodyHtml = QStringLiteral("<html><body><p>Body of %1 %2</p></body></html>").arg(tag).arg(i);
        if (i % 3 == 0)
            m.attachments << MicrosoftFake::Attachment{QStringLiteral("report-%1.pdf").arg(i),
                                                       QStringLiteral("application/pdf"), false,
                                                       QByteArray(1000 + i, 'x'), QString()};
        if (i % 9 == 0)
            m.attachments << MicrosoftFake::Attachment{QStringLiteral("logo.png"), QStringLiteral("image/png"), true,
                                                       QByteArray(300, 'p'), QStringLiteral("logo@lookback")};
        ids << m_fake.addMessage(mailbox, m);
    }
    return ids;
}

qint64 MicrosoftHarness::addShared(const QString &name, qint64 parentId, const QString &address, QString *error)
{
    SyncService service(archivePath());
    SyncError e;
    if (!service.open(&e)) {
        *error = e.message;
        return 0;
    }
    qint64 id = 0;
    bool done = false;
    QEventLoop loop;
    service.addSharedMailbox(name, parentId, address, [&](const SyncError &r, qint64 newId) {
        if (r.isError())
            *error = r.message;
        id = newId;
        done = true;
        loop.quit();
    });
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    if (!done)
        loop.exec();
    return id;
}

} // namespace Lookback::Test
