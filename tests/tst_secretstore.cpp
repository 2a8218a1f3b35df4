// SecretStore against the real Secret Service (gnome-keyring in a private D-Bus session).

#include "keyringsession.h"
#include "auth/secretstore.h"

#include <QEventLoop>
#include <QtTest>
#include <qt6keychain/keychain.h>

using namespace Lookback;
using namespace Lookback::Test;

class TestSecretStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void roundTrip_data();
    void roundTrip();
    void shorterSecretReplacesLonger();
    void removeLeavesNothing();
    void missingSecretIsReported();
    void aWriteThatFailsHalfWayLeavesTheOldSecret();
    void secretsOfTheFirstVersionAreStillRead();

private:
    KeyringSession m_keyring;
};

void TestSecretStore::initTestCase()
{
    QString error;
    QVERIFY2(m_keyring.start(&error), qPrintable(error));
}

void TestSecretStore::roundTrip_data()
{
    QTest::addColumn<QByteArray>("secret");
    QTest::newRow("password") << QByteArray("correct horse battery staple");
    QTest::newRow("non-ASCII") << QString::fromUtf8("pässwörd-密码-пароль").toUtf8();
    QTest::newRow("exactly one chunk") << QByteArray(SecretStore::kChunkSize, 'a');
    QTest::newRow("one byte over") << QByteArray(SecretStore::kChunkSize + 1, 'b');
    // A Microsoft refresh token is often 1.5-3 KB: more than one Windows credential holds.
    QByteArray token;
    for (int i = 0; i < 5000; ++i)
        token += char('A' + (i * 7) % 26);
    QTest::newRow("long token, three chunks") << token;
}

void TestSecretStore::roundTrip()
{
    QFETCH(QByteArray, secret);
    const QString key = QStringLiteral("test:%1").arg(QTest::currentDataTag());
    QVERIFY(!SecretStore::writeNow(key, secret).isError());
    QByteArray back;
    const SyncError e = SecretStore::readNow(key, &back);
    QVERIFY2(!e.isError(), qPrintable(e.message));
    QCOMPARE(back, secret);
}

void TestSecretStore::shorterSecretReplacesLonger()
{
    const QString key = QStringLiteral("test:shrink");
    QVERIFY(!SecretStore::writeNow(key, QByteArray(5000, 'x')).isError());
    QVERIFY(!SecretStore::writeNow(key, QByteArray("short")).isError());
    QByteArray back;
    QVERIFY(!SecretStore::readNow(key, &back).isError());
    QCOMPARE(back, QByteArray("short"));
    // No stale chunk of the long one survives in the keyring.
    for (const QString &s : m_keyring.dumpAllSecrets())
        QVERIFY2(!s.contains(QLatin1String("xxxx")) && !s.contains(QLatin1String(QByteArray(64, 'x').toBase64())), qPrintable(s));
}

void TestSecretStore::removeLeavesNothing()
{
    const QString key = QStringLiteral("test:remove");
    QVERIFY(!SecretStore::writeNow(key, QByteArray(4100, 'r')).isError());
    QVERIFY(!SecretStore::removeNow(key).isError());
    QByteArray back;
    const SyncError e = SecretStore::readNow(key, &back);
    QCOMPARE(e.category, ErrorCategory::AuthExpired);
    QVERIFY(back.isEmpty());
}

void TestSecretStore::missingSecretIsReported()
{
    QByteArray back;
    const SyncError e = SecretStore::readNow(QStringLiteral("test:never-written"), &back);
    QVERIFY(e.isError());
    QVERIFY2(e.message.contains(QStringLiteral("No password")), qPrintable(e.message));
}

namespace {
QByteArray token(int size, char seed)
{
    QByteArray t;
    for (int i = 0; i < size; ++i)
        t += char('A' + (i * 7 + seed) % 26);
    return t;
}

// One keychain entry written the way Lookback 0.1 did, straight through QtKeychain.
bool writeRawEntry(const QString &key, const QByteArray &data)
{
    auto *job = new QKeychain::WritePasswordJob(SecretStore::serviceName());
    job->setKey(key);
    job->setBinaryData(data);
    QEventLoop loop;
    bool ok = false;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&](QKeychain::Job *j) {
        ok = j->error() == QKeychain::NoError;
        loop.quit();
    });
    job->start();
    loop.exec();
    return ok;
}
} // namespace

void TestSecretStore::aWriteThatFailsHalfWayLeavesTheOldSecret()
{
    // A refresh token is several chunks long. When the keychain fails in the
    // middle of replacing it, the one that was there must still read back
    // whole — never the first chunks of the new one glued to the rest of the old.
    const QString key = QStringLiteral("test:halfway");
    const QByteArray first = token(5000, 1);
    QVERIFY(!SecretStore::writeNow(key, first).isError());

    int writes = 0;
    SecretStore::setWriteFaultForTesting([&writes](const QString &entry) {
        ++writes;
        return entry.endsWith(QLatin1String(".1")); // the second chunk of the new secret
    });
    const QByteArray second = token(6000, 2);
    const SyncError failed = SecretStore::writeNow(key, second);
    SecretStore::setWriteFaultForTesting({});
    QCOMPARE(failed.category, ErrorCategory::Keychain);
    QVERIFY(writes >= 2);
    QByteArray back;
    QVERIFY(!SecretStore::readNow(key, &back).isError());
    QCOMPARE(back, first);

    // Once the keychain works again the new one is written and read back whole.
    QVERIFY(!SecretStore::writeNow(key, second).isError());
    QVERIFY(!SecretStore::readNow(key, &back).isError());
    QCOMPARE(back, second);

    // A failure at the very last step (the entry that names the chunks) keeps the previous one too.
    SecretStore::setWriteFaultForTesting([&key](const QString &entry) { return entry == key; });
    const SyncError failedAtHeader = SecretStore::writeNow(key, token(7000, 3));
    SecretStore::setWriteFaultForTesting({});
    QVERIFY(failedAtHeader.isError());
    QVERIFY(!SecretStore::readNow(key, &back).isError());
    QCOMPARE(back, second);
}

void TestSecretStore::secretsOfTheFirstVersionAreStillRead()
{
    // Lookback 0.1 stored a long secret as key, key.1, key.2 ... of 2048 bytes.
    const QString key = QStringLiteral("test:legacy");
    const QByteArray old = token(5000, 4);
    QVERIFY(writeRawEntry(key, old.mid(0, 2048)));
    QVERIFY(writeRawEntry(key + QStringLiteral(".1"), old.mid(2048, 2048)));
    QVERIFY(writeRawEntry(key + QStringLiteral(".2"), old.mid(4096)));
    QByteArray back;
    QVERIFY(!SecretStore::readNow(key, &back).isError());
    QCOMPARE(back, old);
    // Replacing it leaves none of the old chunks behind.
    QVERIFY(!SecretStore::writeNow(key, QByteArray("new password")).isError());
    QVERIFY(!SecretStore::readNow(key, &back).isError());
    QCOMPARE(back, QByteArray("new password"));
    for (const QString &s : m_keyring.dumpAllSecrets())
        QVERIFY2(!s.contains(QString::fromLatin1(old.mid(2048, 64))) && !s.contains(QString::fromLatin1(old.mid(4096, 64))),
                 qPrintable(s.left(80)));
}

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
