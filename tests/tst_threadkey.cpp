// Which messages the archive shows as one conversation.

#include "imap/imapsource.h"

#include <QtTest>

using namespace Lookback;

class TestThreadKey : public QObject
{
    Q_OBJECT

private slots:
    void conversations_data();
    void conversations();
};

namespace {
MessageRecord msg(const QString &id, const QString &subject, const QStringList &refs = {}, const QString &inReplyTo = {})
{
    MessageRecord m;
    m.messageId = id;
    m.subject = subject;
    m.references = refs;
    m.inReplyTo = inReplyTo;
    m.providerId = QStringLiteral("p-") + id;
    return m;
}
} // namespace

void TestThreadKey::conversations_data()
{
    QTest::addColumn<MessageRecord>("a");
    QTest::addColumn<MessageRecord>("b");
    QTest::addColumn<bool>("together");
    QTest::newRow("reply joins its root, whichever comes first")
        << msg(QStringLiteral("root@x"), QStringLiteral("Plans"))
        << msg(QStringLiteral("r2@x"), QStringLiteral("Re: Plans"), {QStringLiteral("root@x"), QStringLiteral("r1@x")}) << true;
    QTest::newRow("deep replies share the root even when the subject changes")
        << msg(QStringLiteral("r1@x"), QStringLiteral("Re: Plans"), {QStringLiteral("root@x")})
        << msg(QStringLiteral("r5@x"), QStringLiteral("Budget (was: Plans)"), {QStringLiteral("root@x"), QStringLiteral("r4@x")}) << true;
    QTest::newRow("unrelated notifications with one subject stay apart")
        << msg(QStringLiteral("n1@shop"), QStringLiteral("Your parcel is on its way"))
        << msg(QStringLiteral("n2@shop"), QStringLiteral("Your parcel is on its way")) << false;
    QTest::newRow("old-style replies without References group by subject")
        << msg(QStringLiteral("e1@enron"), QStringLiteral("RE: Gas prices"))
        << msg(QStringLiteral("e2@enron"), QStringLiteral("Re: gas prices")) << true;
    QTest::newRow("a list tag before Re: still counts")
        << msg(QStringLiteral("l1@list"), QStringLiteral("[cygwin] Re: setup fails"))
        << msg(QStringLiteral("l2@list"), QStringLiteral("Re: [cygwin] setup fails")) << true;
    QTest::newRow("different roots are different conversations")
        << msg(QStringLiteral("a@x"), QStringLiteral("Re: Plans"), {QStringLiteral("root1@x")})
        << msg(QStringLiteral("b@x"), QStringLiteral("Re: Plans"), {QStringLiteral("root2@x")}) << false;
}

void TestThreadKey::conversations()
{
    QFETCH(MessageRecord, a);
    QFETCH(MessageRecord, b);
    QFETCH(bool, together);
    QCOMPARE(ImapSource::threadKeyFor(a) == ImapSource::threadKeyFor(b), together);
}

QTEST_GUILESS_MAIN(TestThreadKey)
#include "tst_threadkey.moc"
