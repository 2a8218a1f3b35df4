#include "gmailharness.h"

namespace Lookback::Test {

GmailHarness::GmailHarness()
    : OAuthHarness(ProviderKind::Gmail)
{
}

bool GmailHarness::startFake(QString *error)
{
    return m_fake.start(error);
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

} // namespace Lookback::Test
