#include "archive/messagedocument.h"

#include <QAbstractTextDocumentLayout>
#include <QPainter>
#include <QPixmap>
#include <QTextFormat>

namespace Lookback::Ui {

namespace {

constexpr int kMaxRecorded = 1000;
// How large an image is laid out when neither the HTML nor the document gives
// it a size: as large as the icon Qt draws for an image it could not load.
constexpr qreal kPlaceholderSize = 16;
// Image sizes in HTML are CSS pixels of a 96 dpi screen.
constexpr qreal kCssDpi = 96;

// Draws an <img> from what the document answers, and from nothing else: no
// look at the disk for name@2x.png, no loading the file by name when the
// answer does not decode (both of which Qt's own image handler does). A
// placeholder is drawn as an empty frame the size the HTML asked for.
class ImageHandler : public QObject, public QTextObjectInterface
{
    Q_OBJECT
    Q_INTERFACES(QTextObjectInterface)
public:
    using QObject::QObject;

    QSizeF intrinsicSize(QTextDocument *doc, int posInDocument, const QTextFormat &format) override
    {
        Q_UNUSED(posInDocument)
        const QTextImageFormat imageFormat = format.toImageFormat();
        const bool hasWidth = imageFormat.hasProperty(QTextFormat::ImageWidth);
        const bool hasHeight = imageFormat.hasProperty(QTextFormat::ImageHeight);
        QSizeF size(imageFormat.width(), imageFormat.height());
        if (!hasWidth || !hasHeight) {
            const QImage image = imageFor(doc, imageFormat);
            const QSizeF natural = isPlaceholder(image) || image.isNull()
                ? QSizeF(kPlaceholderSize, kPlaceholderSize)
                : image.deviceIndependentSize();
            if (!hasWidth && !hasHeight)
                size = natural;
            else if (!hasWidth)
                size.setWidth(size.height() * natural.width() / natural.height());
            else
                size.setHeight(size.width() * natural.height() / natural.width());
        }
        if (QPaintDevice *device = doc->documentLayout()->paintDevice())
            size *= device->logicalDpiY() / kCssDpi;
        return size;
    }

    void drawObject(QPainter *painter, const QRectF &rect, QTextDocument *doc, int posInDocument,
                    const QTextFormat &format) override
    {
        Q_UNUSED(posInDocument)
        const QImage image = imageFor(doc, format.toImageFormat());
        if (!image.isNull() && !isPlaceholder(image)) {
            painter->drawImage(rect, image);
            return;
        }
        if (rect.width() < 4 || rect.height() < 4)
            return; // a tracking pixel stays invisible
        painter->save();
        QPen pen(QColor(128, 128, 128, 160));
        pen.setCosmetic(true);
        painter->setPen(pen);
        painter->setBrush(Qt::NoBrush);
        painter->drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5));
        painter->restore();
    }

private:
    static QImage imageFor(QTextDocument *doc, const QTextImageFormat &format)
    {
        const QVariant data = doc->resource(QTextDocument::ImageResource, QUrl(format.name()));
        if (data.userType() == QMetaType::QImage)
            return data.value<QImage>();
        if (data.userType() == QMetaType::QPixmap)
            return data.value<QPixmap>().toImage();
        if (data.userType() == QMetaType::QByteArray)
            return QImage::fromData(data.toByteArray()); // bytes already in memory, never a file
        return QImage();
    }

    static bool isPlaceholder(const QImage &image)
    {
        return image.cacheKey() == MessageDocument::placeholderImage().cacheKey();
    }
};

} // namespace

MessageDocument::MessageDocument(QObject *parent)
    : QTextDocument(parent)
{
    // Never consulted while loadResource() answers every request; should it
    // ever be, a default provider set elsewhere in the program still does not
    // decide what a message loads.
    setResourceProvider([](const QUrl &) { return QVariant(QByteArray()); });
    installImageHandler();
    connect(this, &QTextDocument::documentLayoutChanged, this, &MessageDocument::installImageHandler);
}

void MessageDocument::clearRequestedResources()
{
    m_requested.clear();
    m_requestedSet.clear();
}

QImage MessageDocument::placeholderImage()
{
    static const QImage placeholder = [] {
        QImage image(1, 1, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        return image;
    }();
    return placeholder;
}

QVariant MessageDocument::loadResource(int type, const QUrl &name)
{
    // Deliberately not QTextDocument::loadResource(): it reads local files.
    if (m_requested.size() < kMaxRecorded && !m_requestedSet.contains(name)) {
        m_requested.append(name);
        m_requestedSet.insert(name);
    }
    if (type == ImageResource)
        return placeholderImage(); // cid: too: the archive keeps no part content to resolve it from
    // Style sheets, HTML, anything else: empty, but an answer.
    return QString();
}

void MessageDocument::installImageHandler()
{
    QAbstractTextDocumentLayout *layout = documentLayout();
    layout->registerHandler(QTextFormat::ImageObject, new ImageHandler(layout));
}

} // namespace Lookback::Ui

#include "messagedocument.moc"
