// SecretStore against the real Secret Service (gnome-keyring in a private D-Bus session).

#include "keyringsession.h"
#include "auth/secretstore.h"

#include <QtTest>

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

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
