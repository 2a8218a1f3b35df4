#pragma once

#include <QTextBrowser>
#include <QUrl>
#include <QVector>

namespace Lookback::Ui {

class MessageDocument;

// The message body viewer. It never loads anything: its document is a
// MessageDocument, which answers every resource with a placeholder and never
// reaches the disk or the network (no remote images, no tracking pixels, no
// local files). Links are never followed inside the viewer
// (setOpenLinks(false)), and QTextBrowser has no script engine. Clicks on
// links arrive as anchorClicked(); the MessageView decides what to open.
// Thread: GUI. Owner: its parent widget.
class SafeTextBrowser : public QTextBrowser
{
    Q_OBJECT
public:
    explicit SafeTextBrowser(QWidget *parent = nullptr);

    // Only QTextBrowser's own navigation (setSource) asks here: it gets nothing.
    QVariant loadResource(int type, const QUrl &name) override;

    // The URLs the document asked for since the last clearBlockedResources(),
    // each once: what a web view would have fetched.
    QVector<QUrl> blockedResources() const;
    void clearBlockedResources();

private:
    MessageDocument *m_document;
};

} // namespace Lookback::Ui
