// The message view never reads a local file, whatever a message's HTML says:
// no image or background from the disk (absolute and relative paths, file:,
// qrc:, a Windows UNC path), nothing from /dev/zero, no probing the disk for
// the @2x variant of a name (the test runs at a scale factor of 2). Every vector is shown twice: through MessageView
// (sanitizer and document together, as the user sees it), and straight into
// the viewer with no sanitizer in front, because the document must hold on
// its own.

#include "archive/messageview.h"
#include "archive/records.h"
#include "archive/safetextbrowser.h"

#include <QApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QPixmap>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>

#include <sys/resource.h>

using namespace Lookback;
using namespace Lookback::Ui;

namespace {

// Colours no style paints: on screen, they mean a file was read.
const QColor kFileColour(0x12, 0xee, 0x34);  // shot.png
const QColor kProbeColour(0xee, 0x12, 0x90); // shot@2x.png, what Qt looks for on a high-DPI screen

// How a message gets a file name past a sanitizer, and how plain HTML asks for one.
struct Form
{
    const char *name;
    const char *html; // %1 is the target
};
const Form kForms[] = {
    {"img src", "<p>Before</p><img src=\"%1\"><p>After</p>"},
    {"img source attribute", "<p>Before</p><img source=\"%1\"><p>After</p>"},
    {"unbalanced quote", "<p>Before</p><img src=%1 alt='x>"},
    {"entity in css url()",
     "<p style=\"font-size:40px; background-image:&#117;rl(%1)\">&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;"
     "&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;</p>"},
    {"table background", "<table background=\"%1\" width=\"300\" height=\"200\"><tr><td>cell</td></tr></table>"},
};

int pixelsNear(const QImage &image, const QColor &colour)
{
    const QImage argb = image.convertToFormat(QImage::Format_ARGB32);
    int n = 0;
    for (int y = 0; y < argb.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(argb.constScanLine(y));
        for (int x = 0; x < argb.width(); ++x) {
            if (qAlpha(line[x]) > 200 && qAbs(qRed(line[x]) - colour.red()) <= 8
                && qAbs(qGreen(line[x]) - colour.green()) <= 8 && qAbs(qBlue(line[x]) - colour.blue()) <= 8)
                ++n;
        }
    }
    return n;
}

QImage imageOf(const QVariant &resource)
{
    if (resource.userType() == QMetaType::QImage)
        return resource.value<QImage>();
    if (resource.userType() == QMetaType::QPixmap)
        return resource.value<QPixmap>().toImage();
    if (resource.userType() == QMetaType::QByteArray)
        return QImage::fromData(resource.toByteArray());
    return QImage();
}

// The same picture, allowing for the rounding of a trip through a QPixmap.
bool samePicture(const QImage &a, const QImage &b)
{
    if (a.isNull() || b.isNull() || a.size() != b.size())
        return false;
    const QImage x = a.convertToFormat(QImage::Format_ARGB32);
    const QImage y = b.convertToFormat(QImage::Format_ARGB32);
    for (int row = 0; row < x.height(); ++row) {
        for (int col = 0; col < x.width(); ++col) {
            const QRgb p = x.pixel(col, row);
            const QRgb q = y.pixel(col, row);
            if (qAbs(qAlpha(p) - qAlpha(q)) > 2)
                return false;
            if (qAlpha(p) > 16
                && (qAbs(qRed(p) - qRed(q)) > 8 || qAbs(qGreen(p) - qGreen(q)) > 8 || qAbs(qBlue(p) - qBlue(q)) > 8))
                return false;
        }
    }
    return true;
}

bool writePng(const QString &path, int size, const QColor &colour)
{
    QImage image(size, size, QImage::Format_RGB32);
    image.fill(colour);
    return image.save(path, "PNG");
}

// Caps the address space for one scope, so that reading /dev/zero ends in a
// failed allocation within a second instead of taking the machine's memory.
class AddressSpaceCeiling
{
public:
    explicit AddressSpaceCeiling(qint64 headroom)
    {
        m_active = getrlimit(RLIMIT_AS, &m_old) == 0;
        QFile statm(QStringLiteral("/proc/self/statm"));
        if (!m_active || !statm.open(QIODevice::ReadOnly)) {
            m_active = false;
            return;
        }
        const qint64 pages = statm.readAll().split(' ').value(0).toLongLong();
        rlimit capped = m_old;
        capped.rlim_cur = rlim_t(pages * 4096 + headroom);
        if (m_old.rlim_max != RLIM_INFINITY && capped.rlim_cur > m_old.rlim_max)
            capped.rlim_cur = m_old.rlim_max;
        m_active = setrlimit(RLIMIT_AS, &capped) == 0;
    }
    ~AddressSpaceCeiling()
    {
        if (m_active)
            setrlimit(RLIMIT_AS, &m_old);
    }

private:
    rlimit m_old {};
    bool m_active = false;
};

MessageRecord htmlMessage(const QString &html)
{
    MessageRecord m;
    m.id = 1;
    m.subject = QStringLiteral("Pictures");
    m.fromName = QStringLiteral("Mallory");
    m.fromAddress = QStringLiteral("mallory@example.org");
    m.toText = QStringLiteral("Me <me@example.org>");
    m.receivedAt = QDateTime(QDate(2024, 6, 1), QTime(12, 0), Qt::UTC);
    m.bodyHtml = html;
    return m;
}

} // namespace

class TestMessageView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void viewerShowsNoLocalFile_data();
    void viewerShowsNoLocalFile();
    void documentLoadsNoLocalFile_data();
    void documentLoadsNoLocalFile();
    void documentAnswersEveryUrlWithAPlaceholder_data();
    void documentAnswersEveryUrlWithAPlaceholder();
    // Last: before the fix it ran out of memory.
    void devZeroReturnsPromptly_data();
    void devZeroReturnsPromptly();

private:
    void addVectorRows();
    void checkNothingRead(QWidget *shown, SafeTextBrowser *body, const QString &target);

    QTemporaryDir m_dir;
    QString m_previousCurrent;
    QString m_qrcImagePath;
    QImage m_qrcImage;
};

void TestMessageView::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(writePng(m_dir.filePath(QStringLiteral("shot.png")), 64, kFileColour));
    QVERIFY(writePng(m_dir.filePath(QStringLiteral("shot@2x.png")), 128, kProbeColour));
    // On Windows \\host\share\x.png names a file on another machine, and opening
    // it sends the user's credentials there. Here it names a file in the
    // current folder, so reading it shows.
    QVERIFY(writePng(m_dir.filePath(QStringLiteral("\\\\host\\share\\x.png")), 64, kFileColour));
    QVERIFY(writePng(m_dir.filePath(QStringLiteral("\\\\host\\share\\x@2x.png")), 128, kProbeColour));
    // Relative names resolve against the current folder.
    m_previousCurrent = QDir::currentPath();
    QVERIFY(QDir::setCurrent(m_dir.path()));

    // A picture compiled into Qt itself stands for qrc: (the program's own resources).
    QDirIterator it(QStringLiteral(":/qt-project.org"), {QStringLiteral("*.png")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext() && m_qrcImagePath.isEmpty()) {
        const QString path = it.next();
        const QImage image(path);
        // Not the icon Qt itself draws for an image it could not load.
        if (!path.endsWith(QLatin1String("/file-16.png")) && image.width() >= 16)
            m_qrcImagePath = path;
    }
    QVERIFY2(!m_qrcImagePath.isEmpty(), "Qt carries no PNG in its resources");
    m_qrcImage = QImage(m_qrcImagePath);
}

void TestMessageView::cleanupTestCase()
{
    QDir::setCurrent(m_previousCurrent);
}

void TestMessageView::addVectorRows()
{
    QTest::addColumn<QString>("html");
    QTest::addColumn<QString>("target");
    const QString shot = m_dir.filePath(QStringLiteral("shot.png"));
    const QString qrcUrl = QLatin1String("qrc") + m_qrcImagePath; // ":/a/b.png" -> "qrc:/a/b.png"
    const struct { const char *name; QString target; } targets[] = {
        {"absolute path", shot},
        {"file://", QUrl::fromLocalFile(shot).toString()},
        {"relative path", QStringLiteral("shot.png")},
        {"qrc:", qrcUrl},
        {"Qt resource path", m_qrcImagePath},
        {"UNC path", QStringLiteral("\\\\host\\share\\x.png")},
    };
    for (const Form &form : kForms) {
        for (const auto &t : targets) {
            QTest::addRow("%s, %s", form.name, t.name) << QString::fromLatin1(form.html).arg(t.target) << t.target;
        }
    }
}

// What a user would notice, and what would reach the disk: the file's pixels
// on screen, a look for name@2x.png, or the file's content in a resource the
// document hands out.
void TestMessageView::checkNothingRead(QWidget *shown, SafeTextBrowser *body, const QString &target)
{
    const QImage screen = shown->grab().toImage();
    QCOMPARE(screen.devicePixelRatio(), 2.0);
    QCOMPARE(pixelsNear(screen, kFileColour), 0);
    QCOMPARE(pixelsNear(screen, kProbeColour), 0);

    QVector<QUrl> asked = body->blockedResources();
    for (const QUrl &url : asked) {
        QVERIFY2(!url.toString().contains(QLatin1String("@2x")),
                 qPrintable(QStringLiteral("the disk was searched for %1").arg(url.toString())));
    }
    asked << QUrl(target) << QUrl::fromLocalFile(target);
    for (const QUrl &url : asked) {
        // What the document has, or would load if its HTML asked again.
        const QImage image = imageOf(body->document()->resource(QTextDocument::ImageResource, url));
        const QString what = url.isValid() ? url.toString() : target;
        QVERIFY2(pixelsNear(image, kFileColour) == 0 && pixelsNear(image, kProbeColour) == 0,
                 qPrintable(QStringLiteral("the document hands out the file for %1").arg(what)));
        QVERIFY2(!samePicture(image, m_qrcImage),
                 qPrintable(QStringLiteral("the document hands out a qrc: picture for %1").arg(what)));
    }
}

void TestMessageView::viewerShowsNoLocalFile_data()
{
    addVectorRows();
}

void TestMessageView::viewerShowsNoLocalFile()
{
    QFETCH(QString, html);
    QFETCH(QString, target);
    MessageView view;
    view.resize(700, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.showMessage(htmlMessage(html), ConnectionRecord());
    auto *body = view.findChild<SafeTextBrowser *>(QStringLiteral("messageBody"));
    QVERIFY(body);
    QVERIFY(body->isVisibleTo(&view));
    checkNothingRead(&view, body, target);
}

void TestMessageView::documentLoadsNoLocalFile_data()
{
    addVectorRows();
}

void TestMessageView::documentLoadsNoLocalFile()
{
    // No sanitizer in front: what QTextDocument would do with the raw HTML.
    QFETCH(QString, html);
    QFETCH(QString, target);
    SafeTextBrowser body;
    body.resize(600, 500);
    body.show();
    QVERIFY(QTest::qWaitForWindowExposed(&body));
    body.setHtml(html);
    checkNothingRead(&body, &body, target);
    // The HTML did reach the document and ask for the file: without that this
    // row would prove nothing.
    QVERIFY(!body.blockedResources().isEmpty());
}

void TestMessageView::documentAnswersEveryUrlWithAPlaceholder_data()
{
    QTest::addColumn<QString>("url");
    QTest::newRow("cid:") << "cid:logo@example.org";
    QTest::newRow("http") << "http://tracker.example/p.gif";
    QTest::newRow("https") << "https://tracker.example/p.gif";
    QTest::newRow("protocol-relative") << "//tracker.example/p.gif";
    QTest::newRow("data:") << "data:image/png;base64,iVBORw0KGgo=";
    QTest::newRow("file") << "file:///etc/passwd";
    QTest::newRow("qrc") << "qrc:/qt-project.org/styles/commonstyle/images/file-16.png";
    QTest::newRow("made-up scheme") << "x-lookback:whatever";
}

void TestMessageView::documentAnswersEveryUrlWithAPlaceholder()
{
    // A null answer is what sends QTextDocument to its own fallbacks (resource
    // providers, data: decoding, local files): every answer is a placeholder.
    QFETCH(QString, url);
    SafeTextBrowser body;
    body.setHtml(QStringLiteral("<img src=\"%1\" width=\"40\" height=\"40\">").arg(url));
    for (int type : {int(QTextDocument::ImageResource), int(QTextDocument::StyleSheetResource),
                     int(QTextDocument::HtmlResource), int(QTextDocument::UserResource)}) {
        const QVariant resource = body.document()->resource(type, QUrl(url));
        QVERIFY2(resource.isValid(), qPrintable(QStringLiteral("no answer of type %1").arg(type)));
        if (type == QTextDocument::ImageResource) {
            const QImage image = imageOf(resource);
            QVERIFY(!image.isNull());
            QCOMPARE(image.size(), QSize(1, 1));
            QCOMPARE(qAlpha(image.pixel(0, 0)), 0);
        }
    }
}

void TestMessageView::devZeroReturnsPromptly_data()
{
    QTest::addColumn<QString>("html");
    QTest::addColumn<bool>("throughSanitizer");
    for (const bool sanitized : {true, false}) {
        for (const Form &form : kForms) {
            for (const char *target : {"/dev/zero", "file:///dev/zero"}) {
                QTest::addRow("%s, %s, %s", sanitized ? "message view" : "document alone", form.name, target)
                    << QString::fromLatin1(form.html).arg(QLatin1String(target)) << sanitized;
            }
        }
    }
}

void TestMessageView::devZeroReturnsPromptly()
{
    QFETCH(QString, html);
    QFETCH(bool, throughSanitizer);
    MessageView view;
    SafeTextBrowser bare;
    QWidget *shown = throughSanitizer ? static_cast<QWidget *>(&view) : &bare;
    shown->resize(600, 500);
    shown->show();
    QVERIFY(QTest::qWaitForWindowExposed(shown));

    QElapsedTimer timer;
    timer.start();
    {
        const AddressSpaceCeiling ceiling(qint64(768) << 20);
        if (throughSanitizer)
            view.showMessage(htmlMessage(html), ConnectionRecord());
        else
            bare.setHtml(html);
        shown->grab();
    }
    QVERIFY2(timer.elapsed() < 3000, qPrintable(QStringLiteral("took %1 ms").arg(timer.elapsed())));
}

int main(int argc, char **argv)
{
    // A high-DPI screen, where Qt's own image handler also looks on the disk
    // for name@2x.png before it asks the document.
    if (!qEnvironmentVariableIsSet("QT_SCALE_FACTOR"))
        qputenv("QT_SCALE_FACTOR", "2");
    QApplication app(argc, argv);
    app.setAttribute(Qt::AA_Use96Dpi, true); // as QTEST_MAIN
    TestMessageView test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_ui_messageview.moc"
