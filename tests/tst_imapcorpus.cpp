// Real mail through a real Dovecot and our whole pipeline: the MIME torture
// collection and the cygwin-patches list (15,000 messages of real MIME).
// Skips, saying why, when ../shared/corpus is absent (LOOKBACK_CORPUS_DIR sets it).

#include "archive/archivestore.h"
#include "backfillharness.h"
#include "corpusloader.h"
#include "dovecotserver.h"
#include "message/headers.h"
#include "message/messageparser.h"
#include "testpaths.h"

#include <QDirIterator>
#include <QSqlQuery>
#include <QtTest>

using namespace Lookback;
using namespace Lookback::Test;

namespace {

Mime::HeaderInfo headersOf(const QByteArray &raw)
{
    int end = raw.indexOf("\r\n\r\n");
    if (end < 0)
        end = raw.indexOf("\n\n");
    return Mime::parseHeaders(end < 0 ? raw : raw.left(end + 2));
}

// The size an IMAP server reports (RFC822.SIZE counts every line ending as CRLF).
qint64 imapSize(const QByteArray &raw)
{
    qint64 bareLf = 0;
    for (qsizetype i = 0; i < raw.size(); ++i) {
        if (raw.at(i) == '\n' && (i == 0 || raw.at(i - 1) != '\r'))
            ++bareLf;
    }
    return raw.size() + bareLf;
}

// Rows a faithful archive must hold, by the archive's identity rule (DESIGN.md
// 2): messages are the same only when Message-ID, Date:, subject, sender and
// size all match; messages that merely share a Message-ID are both kept.
int expectedRows(const QList<QByteArray> &messages)
{
    QSet<QString> distinct;
    for (const QByteArray &m : messages) {
        const Mime::HeaderInfo h = headersOf(m);
        distinct.insert(QStringList{h.messageId, h.date.isValid() ? h.date.toString(Qt::ISODateWithMs) : QString(),
                                    h.subject, h.from.isEmpty() ? QString() : h.from.first().email.toLower(),
                                    QString::number(imapSize(m))}
                            .join(QChar(0x1f)));
    }
    return distinct.size();
}

// Provider ids that point at an archived message: the rows, plus the copies merged into them.
qint64 archivedProviderIds(const QString &archivePath)
{
    ArchiveStore store(archivePath);
    SyncError e;
    if (!store.open(&e))
        return -1;
    QSqlQuery q(store.database());
    q.exec(QStringLiteral("SELECT (SELECT COUNT(*) FROM messages) + (SELECT COUNT(*) FROM message_aliases)"));
    return q.next() ? q.value(0).toLongLong() : -1;
}

} // namespace

class TestImapCorpus : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void mimeTortureSurvives();
    void cygwinListArchivesCompletely();
};

void TestImapCorpus::initTestCase()
{
    QString why;
    if (!corpusAvailable(&why))
        QSKIP(qPrintable(why));
    Mime::ensureInitialized();
}

void TestImapCorpus::mimeTortureSurvives()
{
    QTemporaryDir unpacked;
    QString error;
    QVERIFY2(CorpusLoader::unpack(QStringLiteral("mime-torture.tar.xz"), unpacked.path(), &error), qPrintable(error));
    DovecotServer server;
    QVERIFY2(server.start(&error), qPrintable(error));
    QList<QByteArray> loaded;
    QDirIterator it(unpacked.path(), QDir::Files, QDirIterator::Subdirectories);
    QStringList files;
    while (it.hasNext())
        files << it.next();
    files.sort();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const QString &path : files) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray raw = f.readAll();
        if (raw.isEmpty())
            continue;
        QVERIFY2(server.addMessage(QStringLiteral("INBOX"), raw, now.addSecs(-60 * (loaded.size() + 1)), &error), qPrintable(error));
        loaded << raw;
    }
    QVERIFY2(loaded.size() >= 550, qPrintable(QString::number(loaded.size())));

    BackfillHarness h(server);
    QVERIFY2(h.init(&error), qPrintable(error));
    HarnessRequest request = h.request(BackfillRange::everything());
    request.options.pageSize = 50;
    const SyncProgress result = h.run(request);
    QVERIFY2(result.state == BackfillState::Complete, qPrintable(result.error.message + result.message));
    // Every message is archived (as a row, or as a copy of an identical one), none unreadable.
    QCOMPARE(result.unreadable, qint64(0));
    QCOMPARE(archivedProviderIds(h.archivePath()), qint64(loaded.size()));
    QCOMPARE(h.archivedCount(), qint64(expectedRows(loaded)));
    // The card's number is what the archive holds.
    QCOMPARE(result.fetched, h.archivedCount());
    // Every archived message is readable, whatever its shape.
    ArchiveStore store(h.archivePath());
    SyncError e;
    QVERIFY(store.open(&e));
    QSqlQuery q(store.database());
    QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM messages WHERE received_at IS NULL OR provider_id = ''")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), 0);
    // The torture tests' attachments surface as metadata.
    QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM attachments")));
    QVERIFY(q.next());
    QVERIFY2(q.value(0).toInt() > 100, qPrintable(q.value(0).toString()));
}

void TestImapCorpus::cygwinListArchivesCompletely()
{
    QTemporaryDir unpacked;
    QString error;
    QElapsedTimer phase;
    phase.start();
    QVERIFY2(CorpusLoader::unpack(QStringLiteral("cygwin-patches.tar.xz"), unpacked.path(), &error), qPrintable(error));
    qInfo("unpacked in %lld ms", phase.restart());
    DovecotServer server;
    QVERIFY2(server.start(&error), qPrintable(error));
    const int loadedCount = CorpusLoader::loadCygwin(server, unpacked.path(), 0, &error);
    QVERIFY2(loadedCount > 15000, qPrintable(error));
    qInfo("loaded in %lld ms", phase.restart());
    QList<QByteArray> loaded;
    qint64 corpusBytes = 0;
    QDirIterator it(unpacked.path() + QStringLiteral("/maildir/cur"), QDir::Files);
    while (it.hasNext()) {
        QFile f(it.next());
        QVERIFY(f.open(QIODevice::ReadOnly));
        loaded << f.readAll();
        corpusBytes += loaded.last().size();
    }
    QCOMPARE(loaded.size(), loadedCount);

    BackfillHarness h(server);
    QVERIFY2(h.init(&error), qPrintable(error));
    HarnessRequest request = h.request(BackfillRange::everything());
    request.options.progressIntervalMs = 100;
    phase.restart();
    const SyncProgress result = h.run(request, {}, 600000);
    qInfo("backfilled %lld messages in %lld ms", result.fetched, phase.restart());
    QVERIFY2(result.state == BackfillState::Complete, qPrintable(result.error.message + result.message));
    QCOMPARE(result.unreadable, qint64(0));
    QCOMPARE(archivedProviderIds(h.archivePath()), qint64(loadedCount));
    QCOMPARE(h.archivedCount(), qint64(expectedRows(loaded)));
    QCOMPARE(result.fetched, h.archivedCount());
    // Attachment content stays on the server: far fewer bytes read than the mailbox holds.
    QVERIFY2(result.bytesRead < corpusBytes * 3 / 4,
             qPrintable(QStringLiteral("%1 of %2 bytes").arg(result.bytesRead).arg(corpusBytes)));

    ArchiveStore store(h.archivePath());
    SyncError e;
    QVERIFY(store.open(&e));
    QSqlQuery q(store.database());
    QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM attachments")));
    QVERIFY(q.next());
    QVERIFY2(q.value(0).toInt() > 2500, qPrintable(q.value(0).toString()));
    // Encoded-word subjects and other charsets come out as text people can search.
    const auto hits = store.search(SearchQuery::parse(QStringLiteral("subject:cygwin")), 5, 0, &e);
    QCOMPARE(hits.size(), 5);
}

QTEST_GUILESS_MAIN(TestImapCorpus)
#include "tst_imapcorpus.moc"
