// A Microsoft 365 account on the Microsoft fake, signed in through the real
// browser step and backfilled through the real SyncService, as the Graph
// tests need it.
#pragma once

#include "microsoftfake.h"
#include "oauthharness.h"

namespace Lookback::Test {

// OAuthHarness on a MicrosoftFake: the environment points
// LOOKBACK_MICROSOFT_AUTH_URL, _TOKEN_URL and LOOKBACK_GRAPH_API_URL at it and
// LOOKBACK_MICROSOFT_CLIENT_ID at its public client.
//
// Thread: the test's. Owner: the test.
class MicrosoftHarness : public OAuthHarness
{
public:
    MicrosoftHarness();

    MicrosoftFake &fake() { return m_fake; }
    QProcessEnvironment environment(const QProcessEnvironment &base) const override;

    // Adds `count` messages to a folder of a mailbox ("" the user's own), one
    // every `spacingSecs` back from `newest`; every third has an attachment
    // (every ninth also an inline picture). Returns their ids, newest first.
    QStringList addMessages(int count, const QString &folder, const QDateTime &newest, int spacingSecs,
                            const QString &tag, const QString &mailbox = QString());
    // A shared mailbox under connection `parentId`, through SyncService. 0 on failure.
    qint64 addShared(const QString &name, qint64 parentId, const QString &address, QString *error);

protected:
    bool startFake(QString *error) override;

private:
    MicrosoftFake m_fake;
};

} // namespace Lookback::Test
