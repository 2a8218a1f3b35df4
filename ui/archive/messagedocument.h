#pragma once

#include <QImage>
#include <QSet>
#include <QTextDocument>
#include <QUrl>
#include <QVector>

namespace Lookback::Ui {

// The document a message body is laid out in. It loads nothing: every
// resource its HTML asks for (images, backgrounds, style sheets, whatever the
// URL: http, file, relative, qrc, UNC, data, /dev/zero) is answered here with
// a placeholder, without touching the disk or the network.
//
// Declining is not enough. QTextDocument::loadResource() reads the file itself
// (and decodes data: URLs) whenever the widget's loadResource() returns
// nothing, and resource() then asks the document's resource provider and the
// application's default one. So loadResource() is overridden here, never calls
// the base class, and never answers with a null QVariant.
//
// Qt's image handler is replaced as well: it probes the disk for name@2x.png
// on a high-DPI screen, and loads the file by name when the document's answer
// does not decode. This one draws what the document answers and nothing else.
//
// cid: URLs name the message's own parts. The archive keeps no part content
// (only names, types and sizes), so they get the placeholder too.
//
// Thread: GUI. Owner: the SafeTextBrowser showing it (its parent).
class MessageDocument : public QTextDocument
{
    Q_OBJECT
public:
    explicit MessageDocument(QObject *parent = nullptr);

    // The URLs the document asked for since the last clearRequestedResources(),
    // each once, in order (at most 1,000): what a web view would have fetched.
    QVector<QUrl> requestedResources() const { return m_requested; }
    void clearRequestedResources();

    // What every image request gets: one transparent pixel.
    static QImage placeholderImage();

protected:
    QVariant loadResource(int type, const QUrl &name) override;

private:
    void installImageHandler();

    QVector<QUrl> m_requested;
    QSet<QUrl> m_requestedSet;
};

} // namespace Lookback::Ui
