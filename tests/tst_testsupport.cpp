// Proves the test fixtures work: DovecotServer, KeyringSession, CorpusLoader.
#include "corpusloader.h"
#include "dovecotserver.h"
#include "fakehttp.h"
#include "keyringsession.h"
#include "testpaths.h"

#include <qt6keychain/keychain.h>

#include <QElapsedTimer>
#include <QMutex>
#include <QNetworkReply>
#include <QNetworkProxy>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Lookback::Test;

namespace {

// A tiny blocking IMAP client: enough to check what the fixture serves.
class MiniImap
{
public:
    bool connectTls(const QString &host, quint16 port, const QByteArray &caPem, QString *error)
    {
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setCaCertificates(QSslCertificate::fromData(caPem, QSsl::Pem));
        m_socket.setSslConfiguration(config);
        m_socket.connectToHostEncrypted(host, port);
        if (!m_socket.waitForEncrypted(10000)) {
            *error = QStringLiteral("TLS: %1 (%2)").arg(m_socket.errorString()).arg(int(m_socket.sslHandshakeErrors().size()));
            return false;
        }
        m_greeting = readLine();
        return m_greeting.startsWith("* OK");
    }
    bool connectPlain(const QString &host, quint16 port)
    {
        m_socket.connectToHost(host, port);
        if (!m_socket.waitForConnected(10000))
            return false;
        m_greeting = readLine();
        return m_greeting.startsWith("* OK");
    }
    QByteArray greeting() const { return m_greeting; }

    // Sends "TAG text" and returns every line up to and including the tagged one
    // (literals inlined). *ok is true on a tagged OK.
    QList<QByteArray> command(const QByteArray &text, bool *ok = nullptr)
    {
        const QByteArray tag = "t" + QByteArray::number(++m_tag);
        m_socket.write(tag + ' ' + text + "\r\n");
        m_socket.flush();
        QList<QByteArray> lines;
        for (;;) {
            const QByteArray line = readLine();
            if (line.isNull()) {
                if (ok)
                    *ok = false;
                return lines;
            }
            lines << line;
            if (line.startsWith(QByteArray(tag + ' '))) {
                if (ok)
                    *ok = line.startsWith(QByteArray(tag + " OK"));
                return lines;
            }
        }
    }
    void logout()
    {
        command("LOGOUT");
        m_socket.disconnectFromHost();
    }

private:
    bool fill()
    {
        if (m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(10000))
            return false;
        m_buffer += m_socket.readAll();
        return true;
    }
    // One response line without CRLF, with "{n}" literals inlined; null on timeout.
    QByteArray readLine()
    {
        QByteArray line;
        for (;;) {
            int eol;
            while ((eol = m_buffer.indexOf("\r\n")) < 0)
                if (!fill())
                    return QByteArray();
            QByteArray part = m_buffer.left(eol);
            m_buffer.remove(0, eol + 2);
            static const QRegularExpression literal(QStringLiteral("\\{(\\d+)\\}$"));
            const QRegularExpressionMatch m = literal.match(QString::fromLatin1(part));
            if (!m.hasMatch())
                return line + part;
            const int n = m.captured(1).toInt();
            while (m_buffer.size() < n)
                if (!fill())
                    return QByteArray();
            line += part + m_buffer.left(n);
            m_buffer.remove(0, n);
        }
    }

    QSslSocket m_socket;
    QByteArray m_buffer;
    QByteArray m_greeting;
    int m_tag = 0;
};

QByteArray quoted(const QString &s)
{
    QByteArray q = s.toUtf8();
    q.replace('\\', "\\\\").replace('"', "\\\"");
    return '"' + q + '"';
}

quint32 uidValidityFrom(const QList<QByteArray> &lines)
{
    static const QRegularExpression re(QStringLiteral("\\[UIDVALIDITY (\\d+)\\]"));
    for (const QByteArray &l : lines) {
        const QRegularExpressionMatch m = re.match(QString::fromLatin1(l));
        if (m.hasMatch())
            return m.captured(1).toUInt();
    }
    return 0;
}

int existsFrom(const QList<QByteArray> &lines)
{
    static const QRegularExpression re(QStringLiteral("^\\* (\\d+) EXISTS"));
    for (const QByteArray &l : lines) {
        const QRegularExpressionMatch m = re.match(QString::fromLatin1(l));
        if (m.hasMatch())
            return m.captured(1).toInt();
    }
    return -1;
}

// UID -> INTERNALDATE from "* n FETCH (UID u INTERNALDATE "dd-Mon-yyyy hh:mm:ss +zzzz")".
QMap<quint32, QDateTime> internalDatesFrom(const QList<QByteArray> &lines)
{
    static const QRegularExpression uidRe(QStringLiteral("UID (\\d+)"));
    static const QRegularExpression dateRe(QStringLiteral("INTERNALDATE \"([^\"]+)\""));
    QMap<quint32, QDateTime> out;
    for (const QByteArray &l : lines) {
        const QString s = QString::fromLatin1(l);
        const QRegularExpressionMatch u = uidRe.match(s), d = dateRe.match(s);
        if (!u.hasMatch() || !d.hasMatch())
            continue;
        QString v = d.captured(1).trimmed(); // "05-Mar-2024 10:11:12 +0000" (day may be space-padded)
        const QStringList parts = v.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (parts.size() != 3)
            continue;
        const QDateTime local = QLocale::c().toDateTime(parts.at(0) + QLatin1Char(' ') + parts.at(1),
                                                        QStringLiteral("d-MMM-yyyy HH:mm:ss"));
        const QString z = parts.at(2);
        const int offset = (z.mid(1, 2).toInt() * 3600 + z.mid(3, 2).toInt() * 60) * (z.startsWith(QLatin1Char('-')) ? -1 : 1);
        out.insert(u.captured(1).toUInt(), QDateTime(local.date(), local.time(), Qt::OffsetFromUTC, offset).toUTC());
    }
    return out;
}

bool runKeychainJob(QKeychain::Job *job, QString *error)
{
    job->setAutoDelete(false);
    QSignalSpy spy(job, &QKeychain::Job::finished);
    job->start();
    if (!spy.wait(15000)) {
        *error = QStringLiteral("keychain job timed out");
        return false;
    }
    if (job->error() != QKeychain::NoError) {
        *error = QStringLiteral("keychain error %1: %2").arg(int(job->error())).arg(job->errorString());
        return false;
    }
    return true;
}

bool writeSecret(const QString &key, const QString &value, QString *error)
{
    QKeychain::WritePasswordJob job(QStringLiteral("lookback-test"));
    job.setKey(key);
    job.setTextData(value);
    return runKeychainJob(&job, error);
}

bool readSecret(const QString &key, QString *value, QString *error)
{
    QKeychain::ReadPasswordJob job(QStringLiteral("lookback-test"));
    job.setKey(key);
    if (!runKeychainJob(&job, error))
        return false;
    *value = job.textData();
    return true;
}

} // namespace

class TestSupport : public QObject
{
    Q_OBJECT

private slots:
    void testPaths();
    void dateParser();
    void fullFetchClassifier();
    void dovecotServesMessagesAndDates();
    void dovecotRawLogAndUidValidity();
    void keyringInProcessAndChild();
    void keyringSecondSession();
    void corpusCygwin();
    void corpusEnron();
    void fakeHostAnswersOnTimeAndStopsCleanly();
};

void TestSupport::testPaths()
{
    QVERIFY(!corpusDir().isEmpty());
    QVERIFY(!cliPath().isEmpty());
    QString why;
    const bool available = corpusAvailable(&why);
    if (!available) {
        QVERIFY(why.contains(corpusDir()));
        QVERIFY(why.contains(QLatin1String("LOOKBACK_CORPUS_DIR")));
    }
    qputenv("LOOKBACK_CORPUS_DIR", "/nonexistent/lookback-corpus");
    QCOMPARE(corpusDir(), QStringLiteral("/nonexistent/lookback-corpus"));
    QVERIFY(!corpusAvailable(&why));
    QVERIFY(why.contains(QLatin1String("/nonexistent/lookback-corpus")));
    QVERIFY(why.contains(QLatin1String("LOOKBACK_CORPUS_DIR")));
    qunsetenv("LOOKBACK_CORPUS_DIR");
}

void TestSupport::dateParser()
{
    const QDateTime a = CorpusLoader::parseRfc2822Date(QStringLiteral("Sun, 20 Feb 2000 14:59:00 -0000"));
    QCOMPARE(a, QDateTime(QDate(2000, 2, 20), QTime(14, 59), Qt::UTC));
    const QDateTime b = CorpusLoader::parseRfc2822Date(QStringLiteral("Mon, 14 May 2001 16:39:00 -0700 (PDT)"));
    QCOMPARE(b, QDateTime(QDate(2001, 5, 14), QTime(23, 39), Qt::UTC));
    const QDateTime c = CorpusLoader::parseRfc2822Date(QStringLiteral("3 Mar 99 1:02 EST"));
    QCOMPARE(c, QDateTime(QDate(1999, 3, 3), QTime(6, 2), Qt::UTC));
    QVERIFY(!CorpusLoader::parseRfc2822Date(QStringLiteral("yesterday")).isValid());

    const QList<QDateTime> shifted = CorpusLoader::shiftedDates(
        {"Sun, 20 Feb 2000 14:59:00 +0000", "garbage", "Sun, 20 Feb 2000 15:59:00 +0000"},
        QDateTime(QDate(2030, 1, 1), QTime(12, 0), Qt::UTC));
    QCOMPARE(shifted.size(), 3);
    QCOMPARE(shifted.at(2), QDateTime(QDate(2030, 1, 1), QTime(12, 0), Qt::UTC));
    QCOMPARE(shifted.at(0), QDateTime(QDate(2030, 1, 1), QTime(11, 0), Qt::UTC));
    QCOMPARE(shifted.at(1), QDateTime(QDate(2030, 1, 1), QTime(11, 1), Qt::UTC));
}

void TestSupport::fullFetchClassifier()
{
    QVERIFY(DovecotServer::isFullFetch(QStringLiteral("(BODYSTRUCTURE)")));
    QVERIFY(DovecotServer::isFullFetch(QStringLiteral("(UID BODY.PEEK[HEADER])")));
    QVERIFY(DovecotServer::isFullFetch(QStringLiteral("(UID BODY.PEEK[])")));
    QVERIFY(DovecotServer::isFullFetch(QStringLiteral("(BINARY.PEEK[])")));
    QVERIFY(DovecotServer::isFullFetch(QStringLiteral("(UID BODY[HEADER] FLAGS)")));
    QVERIFY(DovecotServer::isFullFetch(QStringLiteral("RFC822")));
    QVERIFY(DovecotServer::isFullFetch(QStringLiteral("(FLAGS BODY)")));
    QVERIFY(DovecotServer::isFullFetch(QStringLiteral("FULL")));
    QVERIFY(!DovecotServer::isFullFetch(QStringLiteral("(UID INTERNALDATE FLAGS)")));
    QVERIFY(!DovecotServer::isFullFetch(QStringLiteral("(UID RFC822.SIZE BINARY.SIZE[1] MODSEQ) (CHANGEDSINCE 5)")));
    QVERIFY(!DovecotServer::isFullFetch(QStringLiteral("(UID ENVELOPE)")));
    // parts fetched after the structure are not a second download of the message
    QVERIFY(!DovecotServer::isFullFetch(QStringLiteral("(BINARY.PEEK[1])")));
    QVERIFY(!DovecotServer::isFullFetch(QStringLiteral("(UID BODY.PEEK[2.1])")));
    QVERIFY(!DovecotServer::isFullFetch(QStringLiteral("(UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])")));
}

void TestSupport::dovecotServesMessagesAndDates()
{
    DovecotServer server;
    // Added in this order: UIDs follow the calls, not the dates.
    const QDateTime d1(QDate(2024, 3, 5), QTime(10, 11, 12), Qt::UTC);
    const QDateTime d2(QDate(2023, 1, 2), QTime(3, 4, 5), Qt::UTC);
    const QDateTime d3(QDate(2025, 7, 8), QTime(23, 59, 58), Qt::OffsetFromUTC, 2 * 3600);
    QString error;
    QVERIFY2(server.addMessage(QStringLiteral("INBOX"),
                               DovecotServer::makeMessage(QStringLiteral("m1@test"), QStringLiteral("first"),
                                                          QStringLiteral("Bob <bob@example.com>"),
                                                          QStringLiteral("alice@example.com"), d1, QStringLiteral("one")),
                               d1, &error),
             qPrintable(error));
    QVERIFY2(server.addMessage(QStringLiteral("INBOX"),
                               DovecotServer::makeMessage(QStringLiteral("<m2@test>"), QStringLiteral("Grüße zweite"),
                                                          QStringLiteral("Jürgen Ä <j@example.com>"),
                                                          QStringLiteral("alice@example.com"), d2, QStringLiteral("zwei\nZeilen")),
                               d2, &error),
             qPrintable(error));
    QVERIFY(server.addMessage(QStringLiteral("Sent"),
                              DovecotServer::makeMessage(QStringLiteral("s1@test"), QStringLiteral("sent"),
                                                         QStringLiteral("alice@example.com"), QStringLiteral("bob@example.com"),
                                                         d3, QStringLiteral("s")),
                              d3, &error));
    QVERIFY(server.addMessage(QStringLiteral("Drafts"),
                              DovecotServer::makeMessage(QStringLiteral("d1@test"), QStringLiteral("draft"),
                                                         QStringLiteral("alice@example.com"), QStringLiteral("bob@example.com"),
                                                         d3, QStringLiteral("d")),
                              d3, &error));

    QElapsedTimer timer;
    timer.start();
    QVERIFY2(server.start(&error), qPrintable(error));
    qInfo("DovecotServer::start() took %lld ms (ports %u/%u)", timer.elapsed(), server.plainPort(), server.tlsPort());
    QVERIFY(server.plainPort() != 0 && server.tlsPort() != 0 && server.plainPort() != server.tlsPort());
    QCOMPARE(server.host(), QStringLiteral("127.0.0.1"));
    QVERIFY(server.certificatePem().contains("BEGIN CERTIFICATE"));
    QCOMPARE(server.messageCount(QStringLiteral("INBOX")), 2);
    QCOMPARE(server.messageCount(QStringLiteral("Sent")), 1);
    QCOMPARE(server.messageCount(QStringLiteral("Archive")), 0);

    // Plain port: STARTTLS offered.
    {
        MiniImap plain;
        QVERIFY(plain.connectPlain(server.host(), server.plainPort()));
        QVERIFY2(plain.greeting().contains("STARTTLS"), plain.greeting().constData());
        plain.logout();
    }

    MiniImap imap;
    QVERIFY2(imap.connectTls(server.host(), server.tlsPort(), server.certificatePem(), &error), qPrintable(error));
    bool ok = false;
    imap.command("LOGIN " + quoted(server.user()) + ' ' + quoted(server.password()), &ok);
    QVERIFY(ok);
    QList<QByteArray> lines = imap.command("SELECT INBOX", &ok);
    QVERIFY(ok);
    QCOMPARE(existsFrom(lines), 2);
    lines = imap.command("UID FETCH 1:* (INTERNALDATE)", &ok);
    QVERIFY(ok);
    QMap<quint32, QDateTime> dates = internalDatesFrom(lines);
    QCOMPARE(dates.size(), 2);
    QCOMPARE(dates.value(1), d1.toUTC());
    QCOMPARE(dates.value(2), d2.toUTC());

    lines = imap.command("LIST \"\" \"*\"", &ok);
    QVERIFY(ok);
    const QByteArray list = lines.join('\n');
    QVERIFY2(list.contains("\\Sent) \".\" Sent"), list.constData());
    QVERIFY2(list.contains("\\Drafts) \".\" Drafts"), list.constData());
    QVERIFY2(list.contains("\".\" Archive"), list.constData());

    lines = imap.command("EXAMINE Sent", &ok);
    QVERIFY(ok);
    lines = imap.command("UID FETCH 1 (INTERNALDATE BODY.PEEK[HEADER.FIELDS (SUBJECT)])", &ok);
    QVERIFY(ok);
    QCOMPARE(internalDatesFrom(lines).value(1), d3.toUTC());
    QVERIFY(lines.join('\n').contains("Subject: sent"));

    // A message added while the server runs shows up on the next sync; UIDs continue.
    QVERIFY(server.addMessage(QStringLiteral("INBOX"),
                              DovecotServer::makeMessage(QStringLiteral("m3@test"), QStringLiteral("third"),
                                                         QStringLiteral("bob@example.com"), QStringLiteral("alice@example.com"),
                                                         d3, QStringLiteral("three")),
                              d3, &error));
    lines = imap.command("SELECT INBOX", &ok);
    QVERIFY(ok);
    QCOMPARE(existsFrom(lines), 3);
    lines = imap.command("UID FETCH 3 (INTERNALDATE BODY.PEEK[HEADER.FIELDS (SUBJECT)])", &ok);
    QCOMPARE(internalDatesFrom(lines).value(3), d3.toUTC());
    QVERIFY(lines.join('\n').contains("Subject: third"));
    lines = imap.command("UID FETCH 2 (BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)])", &ok);
    QVERIFY(lines.join('\n').contains("Subject: =?UTF-8?B?"));
    imap.logout();

    // restart(): same ports, same mail.
    const quint16 plainPort = server.plainPort(), tlsPort = server.tlsPort();
    timer.restart();
    QVERIFY2(server.restart(&error), qPrintable(error));
    qInfo("DovecotServer::restart() took %lld ms", timer.elapsed());
    QCOMPARE(server.plainPort(), plainPort);
    QCOMPARE(server.tlsPort(), tlsPort);
    MiniImap again;
    QVERIFY2(again.connectTls(server.host(), server.tlsPort(), server.certificatePem(), &error), qPrintable(error));
    again.command("LOGIN " + quoted(server.user()) + ' ' + quoted(server.password()), &ok);
    QVERIFY(ok);
    QCOMPARE(existsFrom(again.command("SELECT INBOX", &ok)), 3);
    again.logout();

    server.stop();
    server.stop(); // idempotent
    QVERIFY(!server.isRunning());
}

void TestSupport::dovecotRawLogAndUidValidity()
{
    DovecotServer server;
    server.setRawLogEnabled(true);
    QString error;
    const QDateTime when = QDateTime::currentDateTimeUtc().addDays(-3);
    for (int i = 1; i <= 3; ++i)
        QVERIFY(server.addMessage(QStringLiteral("INBOX"),
                                  DovecotServer::makeMessage(QStringLiteral("r%1@test").arg(i), QStringLiteral("raw %1").arg(i),
                                                             QStringLiteral("bob@example.com"),
                                                             QStringLiteral("alice@example.com"), when, QStringLiteral("x")),
                                  when.addSecs(i), &error));
    QVERIFY(server.addMessage(QStringLiteral("Archive"),
                              DovecotServer::makeMessage(QStringLiteral("a1@test"), QStringLiteral("archived"),
                                                         QStringLiteral("bob@example.com"), QStringLiteral("alice@example.com"),
                                                         when, QStringLiteral("x")),
                              when, &error));
    QVERIFY2(server.start(&error), qPrintable(error));

    MiniImap imap;
    QVERIFY2(imap.connectTls(server.host(), server.tlsPort(), server.certificatePem(), &error), qPrintable(error));
    bool ok = false;
    imap.command("LOGIN " + quoted(server.user()) + ' ' + quoted(server.password()), &ok);
    QVERIFY(ok);
    QList<QByteArray> lines = imap.command("SELECT INBOX", &ok);
    QVERIFY(ok);
    const quint32 before = uidValidityFrom(lines);
    QVERIFY(before != 0);
    QCOMPARE(server.uidValidity(QStringLiteral("INBOX"), &error), before);
    imap.command("UID FETCH 1:* (UID FLAGS INTERNALDATE)", &ok); // not a full fetch
    QVERIFY(ok);
    imap.command("UID FETCH 1 (BODYSTRUCTURE)", &ok);
    QVERIFY(ok);
    imap.command("UID FETCH 2:* (UID BODY.PEEK[HEADER])", &ok);
    QVERIFY(ok);
    imap.command("UID FETCH 3 (BODY.PEEK[])", &ok);
    QVERIFY(ok);
    imap.command("SELECT {7+}\r\nArchive", &ok); // a literal mailbox name
    imap.command("UID FETCH 1 (BINARY.PEEK[1])", &ok); // a part: not counted
    imap.command("UID FETCH 1 (BINARY.PEEK[])", &ok);
    imap.command("FETCH 1 (BODYSTRUCTURE)", &ok); // sequence numbers: ignored
    imap.logout();

    QVERIFY(!server.rawLogInputs().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!server.rawLogCommands().isEmpty(), 5000);
    const QHash<QPair<QString, quint32>, int> counts = server.fullFetchCountsByMailboxUid();
    QCOMPARE(counts.value(qMakePair(QStringLiteral("INBOX"), 1u)), 1);
    QCOMPARE(counts.value(qMakePair(QStringLiteral("INBOX"), 2u)), 1);
    QCOMPARE(counts.value(qMakePair(QStringLiteral("INBOX"), 3u)), 2);
    QCOMPARE(counts.value(qMakePair(QStringLiteral("Archive"), 1u)), 1);
    QCOMPARE(counts.size(), 4);

    // bumpUidValidity: messages stay, SELECT reports a new UIDVALIDITY.
    quint32 reported = 0;
    QVERIFY2(server.bumpUidValidity(QStringLiteral("INBOX"), &error, &reported), qPrintable(error));
    QVERIFY(server.isRunning());
    MiniImap after;
    QVERIFY2(after.connectTls(server.host(), server.tlsPort(), server.certificatePem(), &error), qPrintable(error));
    after.command("LOGIN " + quoted(server.user()) + ' ' + quoted(server.password()), &ok);
    QVERIFY(ok);
    lines = after.command("SELECT INBOX", &ok);
    QVERIFY(ok);
    const quint32 afterValue = uidValidityFrom(lines);
    QVERIFY(afterValue != 0);
    QVERIFY(afterValue != before);
    QCOMPARE(afterValue, reported);
    QCOMPARE(existsFrom(lines), 3);
    lines = after.command("UID FETCH 1:* (UID)", &ok);
    QVERIFY(lines.join('\n').contains("UID 3"));
    after.logout();
    QVERIFY(server.rawLogInputs().size() >= 2); // the rawlog survives restarts
}

void TestSupport::keyringInProcessAndChild()
{
    KeyringSession keyring;
    QString error;
    QElapsedTimer timer;
    timer.start();
    QVERIFY2(keyring.start(&error), qPrintable(error));
    qInfo("KeyringSession::start() took %lld ms", timer.elapsed());
    QCOMPARE(qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS"), keyring.busAddress());

    QVERIFY2(writeSecret(QStringLiteral("alice@example.com"), QStringLiteral("s3cret-value"), &error), qPrintable(error));
    QString value;
    QVERIFY2(readSecret(QStringLiteral("alice@example.com"), &value, &error), qPrintable(error));
    QCOMPARE(value, QStringLiteral("s3cret-value"));

    const QStringList all = keyring.dumpAllSecrets();
    QVERIFY2(all.contains(QStringLiteral("s3cret-value")), qPrintable(keyring.dumpAllItems().join(QLatin1Char('\n'))));
    qInfo("keychain items: %s", qPrintable(keyring.dumpAllItems().join(QStringLiteral(" | "))));
    // QtKeychain 0.13 (libsecret): attributes user=KEY, server=SERVICE, type=plaintext.
    QCOMPARE(keyring.lookup({{QStringLiteral("server"), QStringLiteral("lookback-test")},
                             {QStringLiteral("user"), QStringLiteral("alice@example.com")}}),
             QStringLiteral("s3cret-value"));

    // A child process with environment() sees the same keyring.
    QProcess child;
    child.setProcessEnvironment(keyring.environment());
    child.start(QStringLiteral("secret-tool"), {QStringLiteral("lookup"), QStringLiteral("user"), QStringLiteral("alice@example.com")});
    QVERIFY(child.waitForFinished(10000));
    QCOMPARE(child.exitCode(), 0);
    QCOMPARE(QString::fromUtf8(child.readAllStandardOutput()), QStringLiteral("s3cret-value"));

    // And what a child stores, the test sees.
    QVERIFY2(keyring.store({{QStringLiteral("service"), QStringLiteral("other")}}, QStringLiteral("from-child"), &error),
             qPrintable(error));
    QCOMPARE(keyring.lookup(QStringLiteral("service"), QStringLiteral("other")), QStringLiteral("from-child"));
    QCOMPARE(keyring.dumpAllSecrets().size(), 2);

    QProcess printer;
    printer.setProcessEnvironment(keyring.environment());
    printer.start(QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("printf %s \"$HOME\"")});
    QVERIFY(printer.waitForFinished(5000));
    QCOMPARE(QString::fromUtf8(printer.readAllStandardOutput()), keyring.homeDir());
}

void TestSupport::keyringSecondSession()
{
    // A second session in the same process: the first one's bus is gone, the process
    // survives, and in-process QtKeychain reaches the new keyring.
    QString error;
    KeyringSession keyring;
    QVERIFY2(keyring.start(&error), qPrintable(error));
    QString value;
    QVERIFY(!readSecret(QStringLiteral("alice@example.com"), &value, &error)); // fresh keyring: not found
    QVERIFY2(writeSecret(QStringLiteral("second"), QStringLiteral("v2"), &error), qPrintable(error));
    QVERIFY2(readSecret(QStringLiteral("second"), &value, &error), qPrintable(error));
    QCOMPARE(value, QStringLiteral("v2"));
    QCOMPARE(keyring.dumpAllSecrets(), QStringList{QStringLiteral("v2")});
    keyring.stop();
    QTest::qWait(300); // let GLib notice the bus is gone: the process must not get SIGTERM
}

void TestSupport::corpusCygwin()
{
    QString why;
    if (!corpusArchiveAvailable(QStringLiteral("cygwin-patches.tar.xz"), &why))
        QSKIP(qPrintable(why));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString error;
    QElapsedTimer timer;
    timer.start();
    QVERIFY2(CorpusLoader::unpack(QStringLiteral("cygwin-patches.tar.xz"), dir.path(), &error), qPrintable(error));
    qInfo("unpack cygwin: %lld ms", timer.elapsed());
    DovecotServer server;
    QVERIFY2(server.start(&error), qPrintable(error));
    timer.restart();
    QCOMPARE(CorpusLoader::loadCygwin(server, dir.path(), 200, &error), 200);
    qInfo("load 200 cygwin messages: %lld ms", timer.elapsed());
    QCOMPARE(server.messageCount(QStringLiteral("INBOX")), 200);

    MiniImap imap;
    QVERIFY2(imap.connectTls(server.host(), server.tlsPort(), server.certificatePem(), &error), qPrintable(error));
    bool ok = false;
    imap.command("LOGIN " + quoted(server.user()) + ' ' + quoted(server.password()), &ok);
    QVERIFY(ok);
    QCOMPARE(existsFrom(imap.command("SELECT INBOX", &ok)), 200);
    // Newest is 24 h ago: something within 2 days, nothing within 23 h.
    QList<QByteArray> lines = imap.command("UID SEARCH YOUNGER 172800", &ok);
    QVERIFY(ok);
    QVERIFY2(lines.join('\n').contains("* SEARCH "), lines.join('\n').constData());
    lines = imap.command("UID SEARCH YOUNGER 82800", &ok);
    QVERIFY(ok);
    QVERIFY(!lines.join('\n').contains("* SEARCH "));
    lines = imap.command("UID FETCH 1 (BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])", &ok);
    QVERIFY(lines.join('\n').contains("38B071E7.4E71774C@vinschen.de")); // the first file by name
    imap.logout();
}

void TestSupport::corpusEnron()
{
    QString why;
    if (!corpusArchiveAvailable(QStringLiteral("enron-13users.tar.xz"), &why))
        QSKIP(qPrintable(why));
    QTemporaryDir dir;
    QString error;
    QVERIFY2(CorpusLoader::unpack(QStringLiteral("enron-13users.tar.xz"), dir.path(), &error), qPrintable(error));
    DovecotServer server;
    QElapsedTimer timer;
    timer.start();
    const int n = CorpusLoader::loadEnronUser(server, dir.path(), QStringLiteral("badeer-r"), &error);
    qInfo("load enron badeer-r: %d messages, %lld ms", n, timer.elapsed());
    QVERIFY2(n > 0, qPrintable(error));
    QVERIFY(server.messageCount(QStringLiteral("Sent")) > 0);
    QCOMPARE(server.messageCount(QStringLiteral("INBOX")) + server.messageCount(QStringLiteral("Sent")), n);
    QVERIFY2(server.start(&error), qPrintable(error));
    MiniImap imap;
    QVERIFY2(imap.connectTls(server.host(), server.tlsPort(), server.certificatePem(), &error), qPrintable(error));
    bool ok = false;
    imap.command("LOGIN " + quoted(server.user()) + ' ' + quoted(server.password()), &ok);
    QVERIFY(ok);
    QCOMPARE(existsFrom(imap.command("EXAMINE Sent", &ok)), server.messageCount(QStringLiteral("Sent")));
    imap.logout();
}

// The provider fakes' HTTP host: an answer with its own delay waits that
// long and no other; stop() while one waits returns at once, its client gets
// an end, and nothing of the fake is called afterwards.
void TestSupport::fakeHostAnswersOnTimeAndStopsCleanly()
{
    using namespace FakeHttp;
    QMutex mutex;
    int answered = 0, written = 0;
    Host host(QStringLiteral("testhost"));
    QString error;
    QVERIFY2(host.start(
                 &mutex,
                 [&](const Request &req) {
                     ++answered;
                     Reply reply(200, "text/plain", {}, req.url.path().toUtf8());
                     reply.delayMs = req.url.path() == QLatin1String("/slow") ? 3000 : 100;
                     return reply;
                 },
                 [] { return 0; }, [&](const Reply &) { ++written; }, &error),
             qPrintable(error));
    QVERIFY(host.port() > 0);
    QNetworkAccessManager nam;
    nam.setProxy(QNetworkProxy::NoProxy);
    const QString base = QStringLiteral("http://127.0.0.1:%1").arg(host.port());
    QElapsedTimer timer;
    timer.start();
    QNetworkReply *quick = nam.get(QNetworkRequest(QUrl(base + QStringLiteral("/quick"))));
    QTRY_VERIFY(quick->isFinished());
    QCOMPARE(quick->readAll(), QByteArray("/quick"));
    QVERIFY2(timer.elapsed() >= 95, qPrintable(QString::number(timer.elapsed())));
    QTRY_COMPARE(written, 1);
    QNetworkReply *slow = nam.get(QNetworkRequest(QUrl(base + QStringLiteral("/slow"))));
    QTRY_COMPARE(answered, 2);
    timer.restart();
    host.stop();
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(host.port(), quint16(0));
    QTRY_VERIFY(slow->isFinished());
    QVERIFY(slow->error() != QNetworkReply::NoError);
    QTest::qWait(3200); // past the slow answer's delay: its timer went with the host
    QCOMPARE(written, 1);
    host.stop(); // idempotent
    quick->deleteLater();
    slow->deleteLater();
}

QTEST_GUILESS_MAIN(TestSupport)
#include "tst_testsupport.moc"
