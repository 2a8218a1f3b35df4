// The archive browser, driven through its real widgets on an archive built
// with ArchiveStore: folder tree, paged message list, search as you type on
// the search thread, message view (plain text, HTML that loads nothing,
// attachments), correspondent and conversation lists, and the sync log.

#include "archive/archivebrowser.h"
#include "archive/archivestore.h"
#include "archive/foldertreemodel.h"
#include "archive/messagedocument.h"
#include "archive/messagelistmodel.h"
#include "archive/messageview.h"
#include "archive/safetextbrowser.h"
#include "archive/searchworker.h"
#include "archive/synclogdialog.h"
#include "archive/syncrunmodel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDesktopServices>
#include <QDir>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QRegularExpression>
#include <QSemaphore>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QStyleFactory>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QToolButton>
#include <QTreeView>
#include <QTreeWidget>
#include <functional>

using namespace Lookback;
using namespace Lookback::Ui;

namespace {

const QDateTime kBase(QDate(2024, 6, 1), QTime(12, 0), Qt::UTC);
const QString kBob = QStringLiteral("bob@example.org");

QString browserText(const char *text, int n = -1)
{
    return QCoreApplication::translate("Lookback::Ui::ArchiveBrowser", text, nullptr, n);
}

QString resultsText(int n)
{
    return n == 0 ? browserText("No messages match") : browserText("%Ln result(s)", n);
}

bool hasWordPrefix(const QString &text, const QString &prefix)
{
    const QRegularExpression re(QStringLiteral("\\b") + QRegularExpression::escape(prefix),
                                QRegularExpression::CaseInsensitiveOption);
    return re.match(text).hasMatch();
}

int rowWithSubject(const QAbstractItemModel *model, const QString &subject)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, MessageListModel::SubjectColumn).data(MessageListModel::SubjectRole).toString() == subject)
            return row;
    }
    return -1;
}

bool store(ArchiveStore &archive, qint64 jobId, const FolderRecord &folder, const QVector<MessageRecord> &messages)
{
    for (int start = 0; start < messages.size(); start += 500) {
        FolderCursor cursor;
        cursor.jobId = jobId;
        cursor.folderId = folder.id;
        cursor.role = folder.role;
        PageWrite page;
        page.connectionId = folder.connectionId;
        page.folderId = folder.id;
        page.jobId = jobId;
        page.messages = messages.mid(start, 500);
        page.hasCursor = true;
        page.cursor = cursor;
        SyncError error;
        if (!archive.writePage(page, nullptr, &error)) {
            qWarning() << error.message;
            return false;
        }
    }
    return true;
}

struct Mailbox
{
    ConnectionRecord connection;
    FolderRecord inbox;
    FolderRecord sent;
    qint64 jobId = 0;
};

bool addMailbox(ArchiveStore &archive, const QString &name, const QString &kind, Mailbox *out)
{
    SyncError error;
    out->connection.name = name;
    if (!providerKindFromName(kind, &out->connection.kind))
        out->connection.kind = ProviderKind::Imap;
    out->connection.username = name.toLower() + QStringLiteral("@example.org");
    if (!archive.addConnection(&out->connection, &error)
        || !archive.ensureFolder(out->connection.id, QStringLiteral("inbox"), QStringLiteral("INBOX"), &out->inbox, &error)
        || !archive.ensureFolder(out->connection.id, QStringLiteral("sent"), QStringLiteral("Sent"), &out->sent, &error))
        return false;
    BackfillJobRecord job;
    job.connectionId = out->connection.id;
    job.range = BackfillRange::everything();
    if (!archive.createJob(&job, &error))
        return false;
    out->jobId = job.id;
    return true;
}

MessageRecord inboxMessage(const Mailbox &box, int n, const QDateTime &receivedAt, const QString &fromName,
                           const QString &fromAddress, const QString &subject)
{
    MessageRecord m;
    m.connectionId = box.connection.id;
    m.providerId = QStringLiteral("%1-%2").arg(box.connection.name).arg(n);
    m.messageId = QStringLiteral("m%1@%2.example").arg(n).arg(box.connection.name.toLower());
    m.threadKey = QStringLiteral("t%1").arg(n);
    m.fromName = fromName;
    m.fromAddress = fromAddress;
    m.toText = QStringLiteral("Me <me@example.org>");
    m.subject = subject;
    m.receivedAt = receivedAt;
    m.sentAt = receivedAt.addSecs(-60);
    m.bodyText = QStringLiteral("Body of message %1.\nKind regards,\n%2").arg(n).arg(fromName);
    m.snippet = QStringLiteral("Body of message %1.").arg(n);
    m.size = 1000 + n;
    m.folderRole = QStringLiteral("inbox");
    m.folderId = box.inbox.id;
    m.uidValidity = 7;
    m.uid = quint32(50000 - n);
    return m;
}

MessageRecord sentMessage(const Mailbox &box, int n, const QDateTime &receivedAt, const QString &toText,
                          const QString &subject)
{
    MessageRecord m = inboxMessage(box, n, receivedAt, QStringLiteral("Me"), QStringLiteral("me@example.org"), subject);
    m.toText = toText;
    m.folderRole = QStringLiteral("sent");
    m.folderId = box.sent.id;
    return m;
}

class UrlCatcher : public QObject
{
    Q_OBJECT
public:
    QList<QUrl> urls;
public slots:
    void open(const QUrl &url) { urls << url; }
};

// Installs a catcher for every scheme a link could use, for the test's lifetime.
struct UrlHandlers
{
    explicit UrlHandlers(UrlCatcher *catcher)
    {
        for (const char *scheme : kSchemes)
            QDesktopServices::setUrlHandler(QLatin1String(scheme), catcher, "open");
    }
    ~UrlHandlers()
    {
        for (const char *scheme : kSchemes)
            QDesktopServices::unsetUrlHandler(QLatin1String(scheme));
    }
    static constexpr const char *kSchemes[] = {"http", "https", "mailto", "javascript", "file", "data"};
};

} // namespace

class TestArchiveBrowser : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void folderModel_data();
    void folderModel();
    void folderModelReload();
    void messageListPaging();
    void messageListColumns_data();
    void messageListColumns();
    void messageListRefresh();
    void messageListAsync();
    void largeArchive();
    void searchWorkerDropsStaleGenerations();
    void search_data();
    void search();
    void selectingShowsBody();
    void htmlMessageLoadsNothing();
    void linksOpenOnlyOnClick();
    void correspondentView();
    void conversationView();
    void attachments_data();
    void attachments();
    void browserReload();
    void emptyAndBrokenArchives();
    void syncLog();
    void screenshots();

private:
    int countWhere(const std::function<bool(const MessageRecord &)> &pred, QString *newestSubject = nullptr) const;
    static QTableView *list(ArchiveBrowser &browser) { return browser.findChild<QTableView *>(QStringLiteral("messageList")); }
    static bool selectSubject(ArchiveBrowser &browser, const QString &subject);
    bool coreCorrespondentWorks() const;

    QTemporaryDir m_dir;
    QString m_path;
    Mailbox m_work;     // IMAP, 1,000 messages
    Mailbox m_personal; // Gmail, 5 messages
    QVector<MessageRecord> m_all; // newest first
};

void TestArchiveBrowser::initTestCase()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QVERIFY(m_dir.isValid());
    m_path = m_dir.filePath(QStringLiteral("archive.sqlite"));
    ArchiveStore archive(m_path);
    SyncError error;
    QVERIFY2(archive.open(&error), qPrintable(error.message));
    QVERIFY(addMailbox(archive, QStringLiteral("Work"), QStringLiteral("imap"), &m_work));
    QVERIFY(addMailbox(archive, QStringLiteral("Personal"), QStringLiteral("gmail"), &m_personal));

    const struct { const char *name; const char *address; const char *subject; } people[] = {
        {"Alice Liddell", "alice@example.org", "Weekly report %1"},
        {"Bob Builder", "bob@example.org", "Lunch plans %1"},
        {"Carol Danvers", "carol@example.org", "Invoice %1"},
    };
    QVector<MessageRecord> workInbox, workSent, personalInbox;
    for (int i = 0; i < 1000; ++i) {
        const QDateTime at = kBase.addSecs(-qint64(i) * 6 * 3600);
        MessageRecord m;
        if (i % 4 == 3) {
            m = sentMessage(m_work, i, at, QStringLiteral("Bob Builder <bob@example.org>"),
                            QStringLiteral("Notes for Bob %1").arg(i));
        } else {
            const auto &p = people[i % 4];
            m = inboxMessage(m_work, i, at, QLatin1String(p.name), QLatin1String(p.address),
                             QString::fromLatin1(p.subject).arg(i));
        }
        switch (i) {
        case 1: // the newest of a three-message conversation with Bob
        case 7:
        case 9:
            m.subject = i == 9 ? QStringLiteral("Lunch?") : QStringLiteral("Re: Lunch?");
            m.threadKey = QStringLiteral("lunch");
            if (i != 9)
                m.inReplyTo = QStringLiteral("m%1@work.example").arg(i + 2);
            break;
        case 5:
            m.fromName = QStringLiteral("Shop News");
            m.fromAddress = QStringLiteral("news@shop.example");
            m.subject = QStringLiteral("Newsletter with tracking");
            m.bodyText.clear();
            m.bodyHtml = QStringLiteral(
                "<html><head><style>p { color: red }</style>"
                "<script>document.write('alert from script')</script></head>"
                "<body><p onclick=\"evil()\">Hello visible text</p>"
                "<img src=\"http://tracker.example/p.gif\" width=\"1\" height=\"1\">"
                "<iframe src=\"https://evil.example/frame\">iframe text</iframe>"
                "<form action=\"https://evil.example/post\"><input name=\"q\" value=\"form value\"></form>"
                "<p><a href=\"https://example.org/read\">Read online</a></p></body></html>");
            m.snippet = QStringLiteral("Hello visible text");
            break;
        case 6:
            m.attachments = {AttachmentRecord{QStringLiteral("report.pdf"), QStringLiteral("application/pdf"), 1234567, QStringLiteral("2")},
                             AttachmentRecord{QStringLiteral("photo.jpg"), QStringLiteral("image/jpeg"), 20480, QStringLiteral("3")}};
            break;
        case 8:
            m.subject = QStringLiteral("Quarterly numbers for the board");
            m.bodyText = QStringLiteral("Plain body of the quarterly message.\nSee https://example.org/q for details.");
            break;
        default:
            break;
        }
        (m.folderRole == QLatin1String("sent") ? workSent : workInbox) << m;
        m_all << m;
    }
    for (int j = 0; j < 5; ++j) {
        MessageRecord m = inboxMessage(m_personal, j, kBase.addSecs(-qint64(j) * 86400 - 1800), QStringLiteral("Dave"),
                                       QStringLiteral("dave@example.net"), QStringLiteral("Holiday photos %1").arg(j));
        m.providerId = QStringLiteral("18c2f0a1b2c3d4e%1").arg(j);
        if (j == 0)
            m.attachments = {AttachmentRecord{QStringLiteral("beach.jpg"), QStringLiteral("image/jpeg"), 3500000, QStringLiteral("2")}};
        personalInbox << m;
        m_all << m;
    }
    QVERIFY(store(archive, m_work.jobId, m_work.inbox, workInbox));
    QVERIFY(store(archive, m_work.jobId, m_work.sent, workSent));
    QVERIFY(store(archive, m_personal.jobId, m_personal.inbox, personalInbox));
    std::sort(m_all.begin(), m_all.end(),
              [](const MessageRecord &a, const MessageRecord &b) { return a.receivedAt > b.receivedAt; });
}

int TestArchiveBrowser::countWhere(const std::function<bool(const MessageRecord &)> &pred, QString *newestSubject) const
{
    int n = 0;
    for (const MessageRecord &m : m_all) {
        if (!pred(m))
            continue;
        if (n == 0 && newestSubject)
            *newestSubject = m.subject;
        ++n;
    }
    return n;
}

bool TestArchiveBrowser::selectSubject(ArchiveBrowser &browser, const QString &subject)
{
    QTableView *view = list(browser);
    const int row = rowWithSubject(view->model(), subject);
    if (row < 0)
        return false;
    view->setCurrentIndex(view->model()->index(row, 0));
    return true;
}

// ---- folder tree -----------------------------------------------------------

void TestArchiveBrowser::folderModel_data()
{
    QTest::addColumn<QString>("connection");
    QTest::addColumn<QString>("role");
    QTest::addColumn<qint64>("expected");
    auto count = [this](qint64 connectionId, const QString &role) {
        return qint64(countWhere([&](const MessageRecord &m) {
            return (connectionId == 0 || m.connectionId == connectionId) && (role.isEmpty() || m.folderRole == role);
        }));
    };
    QTest::newRow("all mail") << QString() << QString() << count(0, QString());
    QTest::newRow("Work") << "Work" << QString() << count(m_work.connection.id, QString());
    QTest::newRow("Work inbox") << "Work" << "inbox" << count(m_work.connection.id, QStringLiteral("inbox"));
    QTest::newRow("Work sent") << "Work" << "sent" << count(m_work.connection.id, QStringLiteral("sent"));
    QTest::newRow("Personal inbox") << "Personal" << "inbox" << count(m_personal.connection.id, QStringLiteral("inbox"));
    QTest::newRow("Personal sent") << "Personal" << "sent" << qint64(0);
}

void TestArchiveBrowser::folderModel()
{
    QFETCH(QString, connection);
    QFETCH(QString, role);
    QFETCH(qint64, expected);
    ArchiveStore archive(m_path);
    SyncError error;
    QVERIFY(archive.open(&error));
    FolderTreeModel model(&archive);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    QCOMPARE(model.rowCount(), 3); // All mail, Personal, Work
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("All mail"));
    QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("Personal"));
    QCOMPARE(model.index(2, 0).data().toString(), QStringLiteral("Work"));
    QCOMPARE(model.rowCount(model.index(2, 0)), 2);
    QCOMPARE(model.index(0, 0, model.index(2, 0)).data().toString(), QStringLiteral("Inbox"));
    QCOMPARE(model.index(1, 0, model.index(2, 0)).data().toString(), QStringLiteral("Sent"));

    const qint64 id = connection.isEmpty() ? 0 : (connection == QLatin1String("Work") ? m_work.connection.id
                                                                                       : m_personal.connection.id);
    const QModelIndex index = model.indexFor(id, role);
    QVERIFY(index.isValid());
    QCOMPARE(index.data(FolderTreeModel::CountRole).toLongLong(), expected);
    QCOMPARE(index.siblingAtColumn(FolderTreeModel::CountColumn).data().toString(), QLocale().toString(expected));
    QCOMPARE(index.data(FolderTreeModel::ConnectionIdRole).toLongLong(), id);
    QCOMPARE(index.data(FolderTreeModel::FolderRoleRole).toString(), role);

    // Nothing changed: no reset, the view keeps its selection.
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    model.reload();
    QCOMPARE(resets.count(), 0);
}

void TestArchiveBrowser::folderModelReload()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.sqlite"));
    ArchiveStore archive(path);
    SyncError error;
    QVERIFY(archive.open(&error));
    FolderTreeModel model(&archive);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.allMailIndex().data(FolderTreeModel::CountRole).toLongLong(), 0);

    Mailbox box;
    QVERIFY(addMailbox(archive, QStringLiteral("Home"), QStringLiteral("imap"), &box));
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    model.reload();
    QCOMPARE(resets.count(), 1);
    QCOMPARE(model.rowCount(), 2);

    // New mail only: counts change in place.
    QVector<MessageRecord> mail;
    for (int i = 0; i < 3; ++i)
        mail << inboxMessage(box, i, kBase.addSecs(-i), QStringLiteral("A"), QStringLiteral("a@x.org"), QStringLiteral("s"));
    QVERIFY(store(archive, box.jobId, box.inbox, mail));
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    model.reload();
    QCOMPARE(resets.count(), 1);
    QVERIFY(changes.count() >= 3); // all mail, the connection, its inbox
    QCOMPARE(model.folderIndex(box.connection.id, QStringLiteral("inbox")).data(FolderTreeModel::CountRole).toLongLong(), 3);
    QCOMPARE(model.allMailIndex().data(FolderTreeModel::CountRole).toLongLong(), 3);
}

// ---- message list ----------------------------------------------------------

void TestArchiveBrowser::messageListPaging()
{
    ArchiveStore archive(m_path);
    SyncError error;
    QVERIFY(archive.open(&error));
    int reads = 0;
    MessageListModel model;
    model.setPageSource([&](int limit, int offset) {
        ++reads;
        return archive.list(0, QString(), limit, offset);
    });
    QCOMPARE(model.rowCount(), MessageListModel::PageSize);
    QCOMPARE(reads, 1);
    QCOMPARE(model.index(0, 0).data(MessageListModel::MessageIdRole).toLongLong() > 0, true);
    QCOMPARE(model.index(0, MessageListModel::SubjectColumn).data().toString(), m_all.first().subject);

    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    while (model.canFetchMore(QModelIndex()))
        model.fetchMore(QModelIndex());
    QCOMPARE(model.rowCount(), m_all.size());
    QCOMPARE(reads, int(m_all.size() / MessageListModel::PageSize) + 1);
    // Newest first, every message once.
    QSet<qint64> ids;
    for (int row = 0; row < model.rowCount(); ++row) {
        ids.insert(model.index(row, 0).data(MessageListModel::MessageIdRole).toLongLong());
        QCOMPARE(model.index(row, MessageListModel::SubjectColumn).data(MessageListModel::SubjectRole).toString(),
                 m_all.at(row).subject);
    }
    QCOMPARE(ids.size(), m_all.size());

    // Resets, with the tester watching.
    model.setPageSource([&](int limit, int offset) { return archive.list(m_work.connection.id, QStringLiteral("sent"), limit, offset); },
                        QStringLiteral("sent"));
    QCOMPARE(model.rowCount(), MessageListModel::PageSize);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.canFetchMore(QModelIndex()));
}

void TestArchiveBrowser::messageListColumns_data()
{
    QTest::addColumn<QString>("folderRole");
    QTest::addColumn<MessageSummary>("summary");
    QTest::addColumn<QString>("party");
    QTest::addColumn<QString>("header");
    QTest::addColumn<bool>("sent");

    MessageSummary received;
    received.id = 1;
    received.fromName = QStringLiteral("Alice Liddell");
    received.fromAddress = QStringLiteral("alice@example.org");
    received.toText = QStringLiteral("Me <me@example.org>");
    received.subject = QStringLiteral("Hello");
    received.receivedAt = kBase;
    received.inInbox = true;
    MessageSummary sent = received;
    sent.id = 2;
    sent.fromName = QStringLiteral("Me");
    sent.fromAddress = QStringLiteral("me@example.org");
    sent.toText = QStringLiteral("Bob Builder <bob@example.org>, \"Danvers, Carol\" <carol@example.org>");
    sent.inInbox = false;
    sent.inSent = true;
    MessageSummary bare = received;
    bare.id = 3;
    bare.fromName.clear();

    QTest::newRow("inbox") << "inbox" << received << "Alice Liddell" << "From" << false;
    QTest::newRow("sent folder names recipients") << "sent" << sent << "Bob Builder, Danvers, Carol" << "To" << true;
    QTest::newRow("all mail, sent") << QString() << sent << "To: Bob Builder, Danvers, Carol" << "From / To" << true;
    QTest::newRow("all mail, received") << QString() << received << "Alice Liddell" << "From / To" << false;
    QTest::newRow("no display name") << QString() << bare << "alice@example.org" << "From / To" << false;
}

void TestArchiveBrowser::messageListColumns()
{
    QFETCH(QString, folderRole);
    QFETCH(MessageSummary, summary);
    QFETCH(QString, party);
    QFETCH(QString, header);
    QFETCH(bool, sent);
    MessageListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    MessageSummary withAttachment = summary;
    withAttachment.id += 100;
    withAttachment.hasAttachments = true;
    withAttachment.subject.clear();
    model.setRows({summary, withAttachment, summary}, folderRole); // the duplicate is listed once
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.headerData(MessageListModel::CorrespondentColumn, Qt::Horizontal).toString(), header);
    QCOMPARE(model.index(0, MessageListModel::CorrespondentColumn).data().toString(), party);
    QCOMPARE(model.index(0, 0).data(MessageListModel::IsSentRole).toBool(), sent);
    QCOMPARE(model.index(0, 0).data(MessageListModel::AddressRole).toString(),
             sent ? QStringLiteral("bob@example.org") : QStringLiteral("alice@example.org"));
    QCOMPARE(model.index(0, MessageListModel::DateColumn).data().toString(),
             QLocale().toString(kBase.toLocalTime().date(), QLocale::ShortFormat));
    QVERIFY(model.index(0, MessageListModel::AttachmentColumn).data(Qt::DecorationRole).isNull());
    QVERIFY(!model.index(1, MessageListModel::AttachmentColumn).data(Qt::DecorationRole).isNull());
    QCOMPARE(model.index(1, MessageListModel::SubjectColumn).data().toString(), QStringLiteral("(no subject)"));
}

void TestArchiveBrowser::messageListRefresh()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("r.sqlite"));
    ArchiveStore archive(path);
    SyncError error;
    QVERIFY(archive.open(&error));
    Mailbox box;
    QVERIFY(addMailbox(archive, QStringLiteral("Live"), QStringLiteral("imap"), &box));
    QVector<MessageRecord> mail;
    for (int i = 0; i < 300; ++i)
        mail << inboxMessage(box, 1000 + i, kBase.addSecs(-qint64(i) * 60), QStringLiteral("A"), QStringLiteral("a@x.org"),
                             QStringLiteral("Old %1").arg(i));
    QVERIFY(store(archive, box.jobId, box.inbox, mail));

    MessageListModel model;
    model.setPageSource([&](int limit, int offset) { return archive.list(box.connection.id, QString(), limit, offset); });
    QCOMPARE(model.rowCount(), 200);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const int before = model.rowCount();

    // Live sync brings 3 newer messages; a backfill 2 older ones.
    QVector<MessageRecord> more;
    for (int i = 0; i < 3; ++i)
        more << inboxMessage(box, 2000 + i, kBase.addSecs(60 * (i + 1)), QStringLiteral("A"), QStringLiteral("a@x.org"),
                             QStringLiteral("New %1").arg(i));
    for (int i = 0; i < 2; ++i)
        more << inboxMessage(box, 3000 + i, kBase.addSecs(-100000 - i), QStringLiteral("A"), QStringLiteral("a@x.org"),
                             QStringLiteral("Older %1").arg(i));
    QVERIFY(store(archive, box.jobId, box.inbox, more));
    model.refresh();
    QCOMPARE(model.rowCount(), before + 3);
    QCOMPARE(model.index(0, MessageListModel::SubjectColumn).data().toString(), QStringLiteral("New 2"));
    while (model.canFetchMore(QModelIndex()))
        model.fetchMore(QModelIndex());
    QCOMPARE(model.rowCount(), 305);
    QSet<qint64> ids;
    for (int row = 0; row < model.rowCount(); ++row) {
        ids.insert(model.index(row, 0).data(MessageListModel::MessageIdRole).toLongLong());
        if (row > 0)
            QVERIFY(model.index(row - 1, 0).data(MessageListModel::ReceivedAtRole).toDateTime()
                    >= model.index(row, 0).data(MessageListModel::ReceivedAtRole).toDateTime());
    }
    QCOMPARE(ids.size(), 305);
    QCOMPARE(model.index(304, MessageListModel::SubjectColumn).data().toString(), QStringLiteral("Older 1"));

    // More new mail than a page: the gap cannot be merged, the list starts over.
    QVector<MessageRecord> burst;
    for (int i = 0; i < 250; ++i)
        burst << inboxMessage(box, 4000 + i, kBase.addSecs(100000 - i), QStringLiteral("A"), QStringLiteral("a@x.org"),
                              QStringLiteral("Burst %1").arg(i));
    QVERIFY(store(archive, box.jobId, box.inbox, burst));
    model.refresh();
    QCOMPARE(model.rowCount(), 200);
    QCOMPARE(model.index(0, MessageListModel::SubjectColumn).data().toString(), QStringLiteral("Burst 0"));
}

void TestArchiveBrowser::messageListAsync()
{
    MessageListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy requests(&model, &MessageListModel::moreRequested);
    model.beginAsync();
    QVERIFY(model.isWaitingForRows());
    QVERIFY(!model.canFetchMore(QModelIndex()));

    QVector<MessageSummary> page;
    for (int i = 0; i < MessageListModel::PageSize; ++i) {
        MessageSummary s;
        s.id = i + 1;
        s.subject = QStringLiteral("S%1").arg(i);
        s.receivedAt = kBase.addSecs(-i);
        page << s;
    }
    model.appendRows(page, true);
    QCOMPARE(model.rowCount(), 200);
    QVERIFY(model.canFetchMore(QModelIndex()));
    model.fetchMore(QModelIndex());
    QCOMPARE(requests.count(), 1);
    QCOMPARE(requests.at(0).at(0).toInt(), 200);
    QVERIFY(!model.canFetchMore(QModelIndex())); // one request at a time
    model.fetchMore(QModelIndex());
    QCOMPARE(requests.count(), 1);

    // The next page overlaps (mail arrived in between): no row twice.
    QVector<MessageSummary> next = page.mid(190);
    for (int i = 0; i < 5; ++i) {
        MessageSummary s;
        s.id = 1000 + i;
        s.receivedAt = kBase.addSecs(-1000 - i);
        next << s;
    }
    model.appendRows(next, false);
    QCOMPARE(model.rowCount(), 205);
    QVERIFY(!model.canFetchMore(QModelIndex()));

    model.beginAsync(QStringLiteral("sent"));
    QCOMPARE(model.rowCount(), 0);
}

void TestArchiveBrowser::largeArchive()
{
    // 100,000 messages, inserted in one transaction with SQL: the list must
    // open with one page and page on, whatever the size of the archive.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("large.sqlite"));
    Mailbox box;
    {
        ArchiveStore archive(path);
        SyncError error;
        QVERIFY(archive.open(&error));
        QVERIFY(addMailbox(archive, QStringLiteral("Big"), QStringLiteral("imap"), &box));
        QSqlDatabase db = archive.database();
        QVERIFY(db.transaction());
        QSqlQuery q(db);
        QVERIFY(q.prepare(QStringLiteral(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) "
            "INSERT INTO messages(connection_id, provider_id, message_id, thread_key, from_name, from_address, "
            "to_text, subject, received_at, snippet, body_text, has_attachments) "
            "SELECT ?, 'p' || i, 'm' || i || '@big.example', 't' || i, 'Sender ' || (i % 50), "
            "'s' || (i % 50) || '@example.org', 'Me <me@example.org>', 'Message number ' || i, ? - i * 60000, "
            "'snippet ' || i, 'body ' || i, i % 7 = 0 FROM n")));
        q.addBindValue(box.connection.id);
        q.addBindValue(kBase.toMSecsSinceEpoch());
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        QVERIFY(q.prepare(QStringLiteral("INSERT INTO locations(message_row, folder_id, uid_validity, uid) "
                                         "SELECT id, ?, 7, id FROM messages WHERE connection_id = ?")));
        q.addBindValue(box.inbox.id);
        q.addBindValue(box.connection.id);
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        QVERIFY2(q.exec(QStringLiteral("INSERT INTO message_fts(rowid, subject, sender, recipients, body) "
                                       "SELECT id, subject, from_name || ' ' || from_address, to_text, body_text "
                                       "FROM messages")),
                 qPrintable(q.lastError().text()));
        QVERIFY(db.commit());
    }

    ArchiveStore reader(path);
    SyncError error;
    QVERIFY(reader.open(&error));
    QElapsedTimer timer;
    timer.start();
    MessageListModel model;
    model.setPageSource([&](int limit, int offset) { return reader.list(box.connection.id, QStringLiteral("inbox"), limit, offset); },
                        QStringLiteral("inbox"));
    const qint64 firstPageMs = timer.elapsed();
    QCOMPARE(model.rowCount(), 200);
    // Generous: a page is one indexed query (a few ms); reading all 100,000 would take seconds.
    QVERIFY2(firstPageMs < 2000, qPrintable(QStringLiteral("first page took %1 ms").arg(firstPageMs)));
    QCOMPARE(model.index(0, MessageListModel::SubjectColumn).data().toString(), QStringLiteral("Message number 1"));
    QVERIFY(model.canFetchMore(QModelIndex()));
    model.fetchMore(QModelIndex());
    QCOMPARE(model.rowCount(), 400);
    QCOMPARE(model.index(399, MessageListModel::SubjectColumn).data().toString(), QStringLiteral("Message number 400"));
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount() % MessageListModel::PageSize, 0); // whatever the tester fetched: whole pages, and
    QVERIFY(model.rowCount() <= 1000);                           // never the lot

    // The browser opens on it with one page, and searches it off the GUI thread.
    ArchiveBrowser browser(path);
    QCOMPARE(list(browser)->model()->rowCount(), 200);
    auto *folders = browser.findChild<QTreeView *>(QStringLiteral("folderTree"));
    QCOMPARE(folders->model()->index(0, 0).data(FolderTreeModel::CountRole).toLongLong(), 100000);
    browser.resize(1200, 750);
    browser.show();
    QVERIFY(QTest::qWaitForWindowExposed(&browser));
    QTest::qWait(200);
    QCOMPARE(list(browser)->model()->rowCount(), 200); // the view fetches when its last row shows, not before
    list(browser)->scrollToBottom();
    QTRY_COMPARE(list(browser)->model()->rowCount(), 400);
    auto *box2 = browser.findChild<QLineEdit *>(QStringLiteral("searchBox"));
    auto *status = browser.findChild<QLabel *>(QStringLiteral("searchStatus"));
    QTest::keyClicks(box2, QStringLiteral("subject:number"));
    QTRY_COMPARE_WITH_TIMEOUT(status->text(), resultsText(100000), 60000);
    QVERIFY(list(browser)->model()->rowCount() <= 400);
    QTest::keyClicks(box2, QStringLiteral(" 99999"));
    QTRY_COMPARE_WITH_TIMEOUT(status->text(), resultsText(1), 30000);
    QCOMPARE(list(browser)->model()->index(0, MessageListModel::SubjectColumn).data().toString(),
             QStringLiteral("Message number 99999"));
}

// ---- search ----------------------------------------------------------------

void TestArchiveBrowser::searchWorkerDropsStaleGenerations()
{
    QThread thread;
    auto *worker = new SearchWorker(m_path);
    worker->moveToThread(&thread);
    connect(&thread, &QThread::started, worker, &SearchWorker::open);
    connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
    struct Page { quint64 generation; int offset; int rows; bool more; };
    QVector<Page> pages;
    QVector<QPair<quint64, qint64>> counts;
    connect(worker, &SearchWorker::pageReady, this,
            [&](quint64 g, int offset, const QVector<MessageSummary> &rows, bool more) {
                QCOMPARE(QThread::currentThread(), qApp->thread()); // delivered queued, on the GUI thread
                pages.append({g, offset, int(rows.size()), more});
            });
    connect(worker, &SearchWorker::counted, this, [&](quint64 g, qint64 total) { counts.append({g, total}); });
    thread.start();

    // Hold the worker while three requests pile up, as fast typing does.
    QSemaphore gate;
    QMetaObject::invokeMethod(worker, [&gate] { gate.acquire(); }, Qt::QueuedConnection);
    for (auto [generation, text] : {std::pair{quint64(1), "from:alice"}, {quint64(2), "from:carol"}, {quint64(3), "from:bob"}}) {
        const QString query = QString::fromLatin1(text);
        QMetaObject::invokeMethod(worker, [worker, generation, query] { worker->search(generation, query, 0, QString()); },
                                  Qt::QueuedConnection);
    }
    gate.release();

    const int bob = countWhere([](const MessageRecord &m) { return m.fromAddress == kBob; });
    QVERIFY(bob > SearchWorker::PageSize);
    QTRY_COMPARE(counts.size(), 1);
    QCOMPARE(counts.at(0).first, quint64(3));
    QCOMPARE(counts.at(0).second, qint64(bob));
    QCOMPARE(pages.size(), 1); // generations 1 and 2 were never run
    QCOMPARE(pages.at(0).generation, quint64(3));
    QCOMPARE(pages.at(0).rows, SearchWorker::PageSize);
    QVERIFY(pages.at(0).more);

    // A page asked for an old generation is dropped; for the current one, served.
    QMetaObject::invokeMethod(worker, [worker] { worker->fetchMore(2, 200); }, Qt::QueuedConnection);
    QMetaObject::invokeMethod(worker, [worker] { worker->fetchMore(3, 200); }, Qt::QueuedConnection);
    QTRY_COMPARE(pages.size(), 2);
    QCOMPARE(pages.at(1).generation, quint64(3));
    QCOMPARE(pages.at(1).offset, 200);
    QCOMPARE(pages.at(1).rows, bob - 200);
    QVERIFY(!pages.at(1).more);
    QTest::qWait(50);
    QCOMPARE(pages.size(), 2);

    thread.quit();
    QVERIFY(thread.wait(10000));
}

void TestArchiveBrowser::search_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("expected");
    QTest::addColumn<QString>("known");
    QTest::addColumn<QString>("status");

    auto row = [this](const char *name, const QString &query, const std::function<bool(const MessageRecord &)> &pred) {
        QString newest;
        const int n = countWhere(pred, &newest);
        QTest::newRow(name) << query << n << newest << resultsText(n);
    };
    auto anywhere = [](const MessageRecord &m, const QString &word) {
        return hasWordPrefix(m.subject, word) || hasWordPrefix(m.bodyText, word) || hasWordPrefix(m.fromName, word)
            || hasWordPrefix(m.fromAddress, word) || hasWordPrefix(m.toText, word);
    };
    row("word", QStringLiteral("quarterly"), [&](const MessageRecord &m) { return anywhere(m, QStringLiteral("quarterly")); });
    row("from:", QStringLiteral("from:bob"), [](const MessageRecord &m) { return m.fromAddress == kBob; });
    row("to:", QStringLiteral("to:bob"), [](const MessageRecord &m) { return m.toText.contains(kBob); });
    row("subject:", QStringLiteral("subject:invoice"), [](const MessageRecord &m) { return m.subject.startsWith(QLatin1String("Invoice")); });
    row("before:", QStringLiteral("before:2024-01-01"),
        [](const MessageRecord &m) { return m.receivedAt < QDate(2024, 1, 1).startOfDay(); });
    row("from: after:", QStringLiteral("from:alice after:2024-05-01"), [](const MessageRecord &m) {
        return m.fromAddress == QLatin1String("alice@example.org") && m.receivedAt >= QDate(2024, 5, 1).startOfDay();
    });
    row("in:sent and a word", QStringLiteral("in:sent lunch"), [&](const MessageRecord &m) {
        return m.folderRole == QLatin1String("sent") && anywhere(m, QStringLiteral("lunch"));
    });
    row("phrase", QStringLiteral("\"numbers for the\""), [](const MessageRecord &m) { return m.subject.contains(QLatin1String("numbers for the")); });
    row("no match", QStringLiteral("zzyzx"), [](const MessageRecord &) { return false; });
    QTest::newRow("bad date") << QStringLiteral("before:someday") << 0 << QString()
                              << SearchQuery::parse(QStringLiteral("before:someday")).error;
}

void TestArchiveBrowser::search()
{
    QFETCH(QString, query);
    QFETCH(int, expected);
    QFETCH(QString, known);
    QFETCH(QString, status);
    QVERIFY(!status.isEmpty());

    ArchiveBrowser browser(m_path);
    browser.resize(1200, 750);
    browser.show();
    QVERIFY(QTest::qWaitForWindowExposed(&browser));
    auto *box = browser.findChild<QLineEdit *>(QStringLiteral("searchBox"));
    auto *label = browser.findChild<QLabel *>(QStringLiteral("searchStatus"));
    QVERIFY(box && label);
    QVERIFY(box->placeholderText().contains(QLatin1String("from:")));
    QVERIFY(box->placeholderText().contains(QLatin1String("before:")));
    QTableView *view = list(browser);
    QAbstractItemModelTester tester(view->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);

    box->setFocus();
    QTest::keyClicks(box, query);
    QTRY_COMPARE_WITH_TIMEOUT(label->text(), status, 20000);
    QVERIFY(label->isVisibleTo(&browser));
    const int listed = view->model()->rowCount();
    QVERIFY2(listed >= qMin(expected, MessageListModel::PageSize) && listed <= expected,
             qPrintable(QStringLiteral("%1 rows listed").arg(listed)));
    if (!known.isEmpty())
        QCOMPARE(view->model()->index(0, MessageListModel::SubjectColumn).data(MessageListModel::SubjectRole).toString(), known);

    // Clearing the search goes back to the folder.
    box->clear();
    QTRY_VERIFY(!label->isVisibleTo(&browser));
    QTRY_COMPARE(view->model()->index(0, MessageListModel::SubjectColumn).data(MessageListModel::SubjectRole).toString(),
                 m_all.first().subject);
}

// ---- message view ----------------------------------------------------------

void TestArchiveBrowser::selectingShowsBody()
{
    ArchiveBrowser browser(m_path);
    browser.resize(1200, 750);
    browser.show();
    QVERIFY(QTest::qWaitForWindowExposed(&browser));
    auto *body = browser.findChild<SafeTextBrowser *>(QStringLiteral("messageBody"));
    QVERIFY(body);
    QVERIFY(!body->isVisibleTo(&browser)); // the placeholder until a message is chosen

    QSignalSpy opened(&browser, &ArchiveBrowser::messageOpened);
    QVERIFY(selectSubject(browser, QStringLiteral("Quarterly numbers for the board")));
    QCOMPARE(opened.count(), 1);
    QVERIFY(body->isVisibleTo(&browser));
    QVERIFY(body->toPlainText().contains(QLatin1String("Plain body of the quarterly message.")));
    QVERIFY(body->isReadOnly());
    QCOMPARE(browser.findChild<QLabel *>(QStringLiteral("subjectLabel"))->text(), QStringLiteral("Quarterly numbers for the board"));
    QVERIFY(browser.findChild<QLabel *>(QStringLiteral("fromLabel"))->text().contains(QLatin1String("Alice Liddell")));
    QVERIFY(browser.findChild<QLabel *>(QStringLiteral("toLabel"))->text().contains(QLatin1String("me@example.org")));
    QVERIFY(!browser.findChild<QLabel *>(QStringLiteral("ccLabel"))->isVisibleTo(&browser));
    QVERIFY(!browser.findChild<QWidget *>(QStringLiteral("remoteContentNote"))->isVisibleTo(&browser));
    QVERIFY(!browser.findChild<QWidget *>(QStringLiteral("attachmentBox"))->isVisibleTo(&browser));
    // The web address in the plain text became a link.
    QVERIFY(body->document()->toHtml().contains(QLatin1String("href=\"https://example.org/q\"")));

    // Keyboard: the next row shows the next message.
    auto *view = list(browser);
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Down);
    QTRY_COMPARE(opened.count(), 2);
    QCOMPARE(browser.currentMessageId(), view->currentIndex().data(MessageListModel::MessageIdRole).toLongLong());
}

void TestArchiveBrowser::htmlMessageLoadsNothing()
{
    ArchiveBrowser browser(m_path);
    browser.resize(1200, 750);
    browser.show();
    QVERIFY(QTest::qWaitForWindowExposed(&browser));
    auto *body = browser.findChild<SafeTextBrowser *>(QStringLiteral("messageBody"));
    auto *note = browser.findChild<QWidget *>(QStringLiteral("remoteContentNote"));
    QVERIFY(selectSubject(browser, QStringLiteral("Newsletter with tracking")));

    QVERIFY(body->toPlainText().contains(QLatin1String("Hello visible text")));
    QVERIFY(body->toPlainText().contains(QLatin1String("Read online")));
    for (const char *hidden : {"alert from script", "color: red", "iframe text", "form value"})
        QVERIFY2(!body->toPlainText().contains(QLatin1String(hidden)), hidden);
    QVERIFY(!body->document()->toHtml().contains(QLatin1String("evil")));

    // The tracking pixel's address never reached the document; had it, the
    // document would have answered with a blank placeholder.
    const QUrl pixel(QStringLiteral("http://tracker.example/p.gif"));
    QVERIFY(!body->document()->toHtml().contains(QLatin1String("tracker.example")));
    QVERIFY(body->blockedResources().isEmpty());
    QVERIFY(body->loadResource(QTextDocument::ImageResource, pixel).isNull());
    QCOMPARE(body->document()->resource(QTextDocument::ImageResource, pixel).value<QImage>(),
             MessageDocument::placeholderImage());
    QVERIFY(body->loadResource(QTextDocument::ImageResource, QUrl::fromLocalFile(QDir::currentPath())).isNull());
    QVERIFY(!body->openLinks());
    QVERIFY(!body->openExternalLinks());
    QVERIFY(note->isVisibleTo(&browser));
    QVERIFY(qApp->findChildren<QNetworkAccessManager *>().isEmpty());
    QVERIFY(browser.findChildren<QNetworkAccessManager *>().isEmpty());

    // A plain message: no note.
    QVERIFY(selectSubject(browser, QStringLiteral("Quarterly numbers for the board")));
    QVERIFY(!note->isVisibleTo(&browser));
}

void TestArchiveBrowser::linksOpenOnlyOnClick()
{
    UrlCatcher catcher;
    UrlHandlers handlers(&catcher);
    ArchiveBrowser browser(m_path);
    browser.resize(1200, 750);
    browser.show();
    QVERIFY(QTest::qWaitForWindowExposed(&browser));
    auto *body = browser.findChild<SafeTextBrowser *>(QStringLiteral("messageBody"));
    QVERIFY(selectSubject(browser, QStringLiteral("Newsletter with tracking")));
    QTest::qWait(50);
    QVERIFY(catcher.urls.isEmpty()); // showing a message opens nothing

    // Hovering shows where a link goes, and opens nothing.
    emit body->highlighted(QUrl(QStringLiteral("https://example.org/read")));
    QVERIFY(catcher.urls.isEmpty());

    // A real click on the link.
    QTextCursor cursor = body->document()->find(QStringLiteral("Read online"));
    QVERIFY(!cursor.isNull());
    cursor.setPosition(cursor.selectionStart() + 3);
    const QPoint at = body->cursorRect(cursor).center();
    QTest::mouseClick(body->viewport(), Qt::LeftButton, Qt::NoModifier, at);
    QTRY_COMPARE(catcher.urls.size(), 1);
    QCOMPARE(catcher.urls.at(0), QUrl(QStringLiteral("https://example.org/read")));
    QCOMPARE(browser.currentMessageId() > 0, true); // the viewer did not navigate away

    // Links to anything but web and mail addresses are never opened.
    for (const char *url : {"javascript:alert(1)", "file:///etc/passwd", "data:text/html,<b>x</b>"})
        emit body->anchorClicked(QUrl(QString::fromLatin1(url)));
    emit body->anchorClicked(QUrl(QStringLiteral("mailto:bob@example.org")));
    QCOMPARE(catcher.urls.size(), 2);
    QCOMPARE(catcher.urls.at(1).scheme(), QStringLiteral("mailto"));
}

bool TestArchiveBrowser::coreCorrespondentWorks() const
{
    ArchiveStore probe(m_path);
    SyncError error;
    return probe.open(&error) && !probe.correspondent(0, kBob, 1, 0).isEmpty();
}

void TestArchiveBrowser::correspondentView()
{
    QVERIFY(coreCorrespondentWorks());

    ArchiveBrowser browser(m_path);
    browser.resize(1200, 750);
    browser.show();
    QVERIFY(QTest::qWaitForWindowExposed(&browser));
    QVERIFY(selectSubject(browser, QStringLiteral("Re: Lunch?")));
    const qint64 opened = browser.currentMessageId();

    // Click Bob's address in the header.
    auto *from = browser.findChild<QLabel *>(QStringLiteral("fromLabel"));
    const QRegularExpressionMatch href = QRegularExpression(QStringLiteral("href=\"([^\"]+)\"")).match(from->text());
    QVERIFY(href.hasMatch());
    QVERIFY(from->text().contains(kBob));
    emit from->linkActivated(href.captured(1));

    const int expected = countWhere([](const MessageRecord &m) { return m.fromAddress == kBob || m.toText.contains(kBob); });
    auto *context = browser.findChild<QLabel *>(QStringLiteral("contextLabel"));
    auto *bar = browser.findChild<QWidget *>(QStringLiteral("contextBar"));
    QTRY_COMPARE_WITH_TIMEOUT(context->text(),
                              browserText("With %1 — %Ln message(s)", expected).arg(kBob), 20000);
    QVERIFY(bar->isVisibleTo(&browser));

    QTableView *view = list(browser);
    QAbstractItemModel *model = view->model();
    QTRY_VERIFY(model->rowCount() > 0);
    int received = 0, sent = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        QCOMPARE(index.data(MessageListModel::AddressRole).toString(), kBob);
        (index.data(MessageListModel::IsSentRole).toBool() ? sent : received) += 1;
    }
    QVERIFY2(received > 0 && sent > 0, "both directions in one list");
    QCOMPARE(view->currentIndex().data(MessageListModel::MessageIdRole).toLongLong(), opened);
    QCOMPARE(model->index(0, MessageListModel::CorrespondentColumn).data().toString(), QStringLiteral("Bob Builder"));

    // All of it, page by page.
    while (model->canFetchMore(QModelIndex())) {
        const int before = model->rowCount();
        model->fetchMore(QModelIndex());
        QTRY_VERIFY(model->rowCount() > before);
    }
    QCOMPARE(model->rowCount(), expected);

    // Back to where we were.
    browser.findChild<QToolButton *>(QStringLiteral("backButton"))->click();
    QVERIFY(!bar->isVisibleTo(&browser));
    QCOMPARE(model->index(0, MessageListModel::SubjectColumn).data(MessageListModel::SubjectRole).toString(), m_all.first().subject);
    QCOMPARE(view->currentIndex().data(MessageListModel::MessageIdRole).toLongLong(), opened);

    // Straight from the API too.
    browser.showCorrespondent(QStringLiteral("carol@example.org"));
    const int carol = countWhere([](const MessageRecord &m) { return m.fromAddress == QLatin1String("carol@example.org"); });
    QTRY_COMPARE_WITH_TIMEOUT(context->text(),
                              browserText("With %1 — %Ln message(s)", carol).arg(QStringLiteral("carol@example.org")), 20000);
}

void TestArchiveBrowser::conversationView()
{
    ArchiveBrowser browser(m_path);
    browser.resize(1200, 750);
    browser.show();
    QVERIFY(QTest::qWaitForWindowExposed(&browser));
    QTableView *view = list(browser);
    const int row = rowWithSubject(view->model(), QStringLiteral("Re: Lunch?"));
    QVERIFY(row >= 0);
    const QModelIndex index = view->model()->index(row, MessageListModel::SubjectColumn);
    const qint64 id = index.data(MessageListModel::MessageIdRole).toLongLong();
    view->scrollTo(index);
    const QPoint at = view->visualRect(index).center();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, at);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, at);

    QAbstractItemModel *model = view->model();
    QTRY_COMPARE(model->rowCount(), 3);
    // Oldest first, both sides.
    QCOMPARE(model->index(0, 0).data(MessageListModel::SubjectRole).toString(), QStringLiteral("Lunch?"));
    QCOMPARE(model->index(1, 0).data(MessageListModel::IsSentRole).toBool(), true);
    QCOMPARE(model->index(1, MessageListModel::CorrespondentColumn).data().toString(), QStringLiteral("To: Bob Builder"));
    QCOMPARE(model->index(2, 0).data(MessageListModel::MessageIdRole).toLongLong(), id);
    QCOMPARE(view->currentIndex().row(), 2);
    auto *context = browser.findChild<QLabel *>(QStringLiteral("contextLabel"));
    QCOMPARE(context->text(), browserText("Conversation: %1 — %Ln message(s)", 3).arg(QStringLiteral("Re: Lunch?")));

    browser.goBack();
    QCOMPARE(model->rowCount(), MessageListModel::PageSize);
    QCOMPARE(view->currentIndex().data(MessageListModel::MessageIdRole).toLongLong(), id);

    // Return opens it too.
    // Shortcuts fire in the active window, as on a real desktop.
    browser.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&browser));
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Return);
    QTRY_COMPARE(model->rowCount(), 3);
}

void TestArchiveBrowser::attachments_data()
{
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QList<qint64>>("sizes");
    QTest::addColumn<QStringList>("types");
    QTest::addColumn<bool>("webCopy");

    QTest::newRow("IMAP") << "Invoice 6" << QStringList{"report.pdf", "photo.jpg"} << QList<qint64>{1234567, 20480}
                          << QStringList{"application/pdf", "image/jpeg"} << false;
    QTest::newRow("Gmail") << "Holiday photos 0" << QStringList{"beach.jpg"} << QList<qint64>{3500000}
                           << QStringList{"image/jpeg"} << true;
}

void TestArchiveBrowser::attachments()
{
    QFETCH(QString, subject);
    QFETCH(QStringList, names);
    QFETCH(QList<qint64>, sizes);
    QFETCH(QStringList, types);
    QFETCH(bool, webCopy);
    UrlCatcher catcher;
    UrlHandlers handlers(&catcher);

    ArchiveBrowser browser(m_path);
    browser.resize(1200, 750);
    browser.show();
    QVERIFY(QTest::qWaitForWindowExposed(&browser));
    QVERIFY(selectSubject(browser, subject));
    QVERIFY(browser.findChild<QWidget *>(QStringLiteral("attachmentBox"))->isVisibleTo(&browser));
    auto *tree = browser.findChild<QTreeWidget *>(QStringLiteral("attachmentList"));
    QCOMPARE(tree->topLevelItemCount(), names.size());
    for (int i = 0; i < names.size(); ++i) {
        QCOMPARE(tree->topLevelItem(i)->text(0), names.at(i));
        QCOMPARE(tree->topLevelItem(i)->text(1), QLocale().formattedDataSize(sizes.at(i)));
        QCOMPARE(tree->topLevelItem(i)->text(2), types.at(i));
    }
    QVERIFY(!browser.findChild<QLabel *>(QStringLiteral("attachmentNote"))->text().isEmpty());

    auto *button = browser.findChild<QPushButton *>(QStringLiteral("openAtProviderButton"));
    QVERIFY(button->isVisibleTo(&browser));
    QCOMPARE(button->isEnabled(), webCopy);
    QVERIFY(!button->toolTip().isEmpty());
    if (!webCopy) {
        QVERIFY(button->toolTip().contains(QLatin1String("IMAP")));
        return;
    }
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(catcher.urls.size(), 1);
    QCOMPARE(catcher.urls.at(0).host(), QStringLiteral("mail.google.com"));
    QCOMPARE(catcher.urls.at(0).fragment(), QStringLiteral("all/18c2f0a1b2c3d4e0"));
}

void TestArchiveBrowser::browserReload()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("reload.sqlite"));
    ArchiveStore archive(path);
    SyncError error;
    QVERIFY(archive.open(&error));
    Mailbox box;
    QVERIFY(addMailbox(archive, QStringLiteral("First"), QStringLiteral("imap"), &box));
    QVector<MessageRecord> mail;
    for (int i = 0; i < 10; ++i)
        mail << inboxMessage(box, i, kBase.addSecs(-i * 60), QStringLiteral("A"), QStringLiteral("a@x.org"), QStringLiteral("Mail %1").arg(i));
    QVERIFY(store(archive, box.jobId, box.inbox, mail));

    ArchiveBrowser browser(path);
    browser.resize(1200, 750);
    browser.show();
    QVERIFY(QTest::qWaitForWindowExposed(&browser));
    QTableView *view = list(browser);
    auto *folders = browser.findChild<QTreeView *>(QStringLiteral("folderTree"));
    QAbstractItemModelTester tester(view->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    browser.showConnection(box.connection.id);
    QCOMPARE(folders->currentIndex().data(FolderTreeModel::ConnectionIdRole).toLongLong(), box.connection.id);
    QCOMPARE(view->model()->rowCount(), 10);
    QVERIFY(selectSubject(browser, QStringLiteral("Mail 3")));
    const qint64 selected = browser.currentMessageId();

    // A backfill stored new mail, and a second connection appeared.
    QVector<MessageRecord> fresh{inboxMessage(box, 100, kBase.addSecs(600), QStringLiteral("A"), QStringLiteral("a@x.org"), QStringLiteral("Fresh"))};
    QVERIFY(store(archive, box.jobId, box.inbox, fresh));
    Mailbox second;
    QVERIFY(addMailbox(archive, QStringLiteral("Second"), QStringLiteral("imap"), &second));
    browser.reload();
    QCOMPARE(folders->model()->rowCount(), 3);
    QCOMPARE(folders->currentIndex().data(FolderTreeModel::ConnectionIdRole).toLongLong(), box.connection.id);
    QCOMPARE(folders->currentIndex().data(FolderTreeModel::CountRole).toLongLong(), 11);
    QCOMPARE(view->model()->rowCount(), 11);
    QCOMPARE(view->model()->index(0, MessageListModel::SubjectColumn).data().toString(), QStringLiteral("Fresh"));
    QCOMPARE(view->currentIndex().data(MessageListModel::MessageIdRole).toLongLong(), selected);
    QCOMPARE(browser.currentMessageId(), selected);

    browser.showConnection(second.connection.id);
    QCOMPARE(view->model()->rowCount(), 0);
    auto *status = browser.findChild<QLabel *>(QStringLiteral("searchStatus"));
    QVERIFY(status->isVisibleTo(&browser));
    QVERIFY(!status->text().isEmpty());
}

void TestArchiveBrowser::emptyAndBrokenArchives()
{
    QTemporaryDir dir;
    {
        // First run: nothing archived yet, and the browser says so.
        ArchiveBrowser browser(dir.filePath(QStringLiteral("new.sqlite")));
        browser.show();
        QVERIFY(QTest::qWaitForWindowExposed(&browser));
        QVERIFY(browser.isArchiveOpen());
        QCOMPARE(browser.findChild<QTreeView *>(QStringLiteral("folderTree"))->model()->rowCount(), 1);
        QCOMPARE(list(browser)->model()->rowCount(), 0);
        auto *status = browser.findChild<QLabel *>(QStringLiteral("searchStatus"));
        QVERIFY(status->isVisibleTo(&browser));
        QCOMPARE(status->text(), browserText("Nothing is archived yet. Connect a mailbox and sync it to fill the archive."));
        browser.reload();
        QTest::keyClicks(browser.findChild<QLineEdit *>(QStringLiteral("searchBox")), QStringLiteral("anything"));
        QTRY_COMPARE(status->text(), resultsText(0));
    }
    {
        // Not an archive at all (a folder): a clear error, no crash.
        ArchiveBrowser browser(dir.path());
        browser.show();
        QVERIFY(QTest::qWaitForWindowExposed(&browser));
        QVERIFY(!browser.isArchiveOpen());
        auto *status = browser.findChild<QLabel *>(QStringLiteral("searchStatus"));
        QVERIFY(status->isVisibleTo(&browser));
        QVERIFY(status->text().startsWith(browserText("The archive cannot be opened: %1").arg(QString())));
        browser.reload();
        browser.showConnection(1);
        QTest::keyClicks(browser.findChild<QLineEdit *>(QStringLiteral("searchBox")), QStringLiteral("x"));
        QTRY_VERIFY(status->text().contains(QLatin1String("cannot")));
        QCOMPARE(list(browser)->model()->rowCount(), 0);
    }
}

// ---- sync log --------------------------------------------------------------

void TestArchiveBrowser::syncLog()
{
    ArchiveStore archive(m_path);
    SyncError error;
    QVERIFY(archive.open(&error));
    const qint64 id = m_work.connection.id;
    SyncRunRecord complete;
    complete.connectionId = id;
    complete.kind = QStringLiteral("backfill");
    complete.startedAt = kBase;
    complete.fetched = 1234; // a run's counts grow with its pages, not at its end
    QVERIFY(archive.beginRun(&complete, &error));
    complete.outcome = QStringLiteral("complete");
    complete.message = QStringLiteral("Sync complete — 1,234 messages from last 90 days");
    complete.endedAt = kBase.addSecs(300);
    QVERIFY(archive.endRun(complete, &error));
    SyncRunRecord failed;
    failed.connectionId = id;
    failed.kind = QStringLiteral("live");
    failed.startedAt = kBase.addSecs(600);
    QVERIFY(archive.beginRun(&failed, &error));
    failed.outcome = QStringLiteral("failed");
    failed.message = QStringLiteral("The server rejected the password");
    failed.endedAt = kBase.addSecs(660);
    QVERIFY(archive.endRun(failed, &error));
    SyncRunRecord running;
    running.connectionId = id;
    running.kind = QStringLiteral("backfill");
    running.startedAt = kBase.addSecs(900);
    running.fetched = 10;
    QVERIFY(archive.beginRun(&running, &error));

    SyncLogDialog dialog(m_path, id, QStringLiteral("Work"));
    QVERIFY(dialog.windowTitle().contains(QLatin1String("Work")));
    SyncRunModel *model = dialog.model();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(dialog.findChild<QTableView *>(QStringLiteral("syncRunTable"))->model(), model);

    auto cell = [model](int row, int column, int role = Qt::DisplayRole) { return model->index(row, column).data(role); };
    // Newest first.
    QCOMPARE(cell(0, SyncRunModel::OutcomeColumn).toString(), QStringLiteral("Running"));
    QCOMPARE(cell(0, SyncRunModel::EndedColumn).toString(), QStringLiteral("—"));
    QCOMPARE(cell(1, SyncRunModel::OutcomeColumn).toString(), QStringLiteral("Failed"));
    QCOMPARE(cell(1, SyncRunModel::KindColumn).toString(), QStringLiteral("Live sync"));
    QCOMPARE(cell(1, SyncRunModel::MessageColumn).toString(), failed.message);
    QCOMPARE(cell(2, SyncRunModel::OutcomeColumn).toString(), QStringLiteral("Complete"));
    QCOMPARE(cell(2, SyncRunModel::KindColumn).toString(), QStringLiteral("Backfill"));
    QCOMPARE(cell(2, SyncRunModel::FetchedColumn).toString(), QStringLiteral("1,234"));
    QCOMPARE(cell(2, SyncRunModel::StartedColumn).toString(), QLocale().toString(kBase.toLocalTime(), QLocale::ShortFormat));
    QCOMPARE(cell(2, SyncRunModel::EndedColumn).toString(), // same day: the time only
             QLocale().toString(kBase.addSecs(300).toLocalTime().time(), QLocale::ShortFormat));
    // Outcome: a word and an icon, never colour alone.
    for (int row = 0; row < 3; ++row)
        QVERIFY(!cell(row, SyncRunModel::OutcomeColumn, Qt::DecorationRole).value<QIcon>().isNull());
    QVERIFY(cell(1, SyncRunModel::OutcomeColumn, Qt::ForegroundRole).value<QColor>().isValid());
    QCOMPARE(cell(1, SyncRunModel::OutcomeColumn, SyncRunModel::OutcomeRole).toString(), QStringLiteral("failed"));

    running.outcome = QStringLiteral("paused");
    running.endedAt = kBase.addSecs(960);
    QVERIFY(archive.endRun(running, &error));
    dialog.refresh();
    QCOMPARE(cell(0, SyncRunModel::OutcomeColumn).toString(), QStringLiteral("Paused"));
    QCOMPARE(model->rowCount(), 3);

    SyncLogDialog empty(m_path, m_personal.connection.id, QStringLiteral("Personal"));
    QCOMPARE(empty.model()->rowCount(), 0);
    QVERIFY(!empty.findChild<QLabel *>(QStringLiteral("syncLogStatus"))->text().isEmpty());
}

// ---- screenshots -----------------------------------------------------------

void TestArchiveBrowser::screenshots()
{
    const QString dir = qEnvironmentVariable("LOOKBACK_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("Set LOOKBACK_SCREENSHOT_DIR to save screenshots of the browser");
    QVERIFY(QDir().mkpath(dir));
    auto save = [&](QWidget *widget, const QString &name) {
        QApplication::processEvents();
        QVERIFY(widget->grab().save(QDir(dir).filePath(name)));
    };

    ArchiveBrowser browser(m_path);
    browser.resize(1200, 750);
    browser.show();
    QVERIFY(QTest::qWaitForWindowExposed(&browser));
    QVERIFY(selectSubject(browser, QStringLiteral("Invoice 6")));
    save(&browser, QStringLiteral("browser-message.png"));
    QVERIFY(selectSubject(browser, QStringLiteral("Newsletter with tracking")));
    save(&browser, QStringLiteral("browser-html.png"));

    auto *box = browser.findChild<QLineEdit *>(QStringLiteral("searchBox"));
    auto *status = browser.findChild<QLabel *>(QStringLiteral("searchStatus"));
    QTest::keyClicks(box, QStringLiteral("from:alice after:2024-05-01"));
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QLatin1String("result")), 20000);
    QVERIFY(selectSubject(browser, QStringLiteral("Quarterly numbers for the board")));
    save(&browser, QStringLiteral("browser-search.png"));
    box->clear();
    QTRY_VERIFY(!status->isVisibleTo(&browser));

    if (coreCorrespondentWorks()) {
        QVERIFY(selectSubject(browser, QStringLiteral("Re: Lunch?")));
        browser.showCorrespondent(kBob);
        auto *context = browser.findChild<QLabel *>(QStringLiteral("contextLabel"));
        QTRY_VERIFY_WITH_TIMEOUT(context->text().contains(QLatin1String("message")), 20000);
        save(&browser, QStringLiteral("browser-correspondent.png"));
        browser.goBack();
    }

    // Dark palette: everything must stay readable.
    const QPalette light = QApplication::palette();
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(45, 45, 48));
    dark.setColor(QPalette::WindowText, QColor(230, 230, 230));
    dark.setColor(QPalette::Base, QColor(30, 30, 30));
    dark.setColor(QPalette::AlternateBase, QColor(40, 40, 44));
    dark.setColor(QPalette::Text, QColor(230, 230, 230));
    dark.setColor(QPalette::Button, QColor(55, 55, 58));
    dark.setColor(QPalette::ButtonText, QColor(230, 230, 230));
    dark.setColor(QPalette::Highlight, QColor(38, 79, 120));
    dark.setColor(QPalette::HighlightedText, QColor(255, 255, 255));
    dark.setColor(QPalette::Link, QColor(120, 180, 255));
    dark.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
    dark.setColor(QPalette::ToolTipBase, QColor(55, 55, 58));
    dark.setColor(QPalette::ToolTipText, QColor(230, 230, 230));
    QApplication::setPalette(dark);
    QVERIFY(selectSubject(browser, QStringLiteral("Invoice 6")));
    save(&browser, QStringLiteral("browser-dark.png"));
    QVERIFY(selectSubject(browser, QStringLiteral("Newsletter with tracking")));
    save(&browser, QStringLiteral("browser-dark-html.png"));
    auto *from = browser.findChild<QLabel *>(QStringLiteral("fromLabel"));
    QVERIFY(from->text().contains(QLatin1String("href")));

    SyncLogDialog dialog(m_path, m_work.connection.id, QStringLiteral("Work"));
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    save(&dialog, QStringLiteral("synclog-dark.png"));
    QApplication::setPalette(light);
    save(&dialog, QStringLiteral("synclog.png"));
}

QTEST_MAIN(TestArchiveBrowser)
#include "tst_ui_archivebrowser.moc"
