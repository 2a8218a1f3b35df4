// A Gmail account on the Google fake, signed in through the real browser step
// and backfilled through the real SyncService, as the Gmail tests need it.
#pragma once

#include "googlefake.h"
#include "oauthharness.h"

namespace Lookback::Test {

// OAuthHarness on a GoogleFake: the environment points LOOKBACK_GOOGLE_AUTH_URL,
// _TOKEN_URL, LOOKBACK_GMAIL_API_URL at it, and LOOKBACK_GOOGLE_CLIENT_ID /
// _SECRET at its client.
//
// Thread: the test's. Owner: the test.
class GmailHarness : public OAuthHarness
{
public:
    GmailHarness();

    GoogleFake &fake() { return m_fake; }
    QProcessEnvironment environment(const QProcessEnvironment &base) const override;

    // Adds `count` messages to the fake, one every `spacingSecs` back from
    // `newest`, with these labels; returns their ids, newest first.
    QStringList addMessages(int count, const QStringList &labels, const QDateTime &newest, int spacingSecs,
                            const QString &tag);

protected:
    bool startFake(QString *error) override;

private:
    GoogleFake m_fake;
};

} // namespace Lookback::Test
