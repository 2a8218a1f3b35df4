#pragma once

#include <QTextBrowser>
#include <QUrl>
#include <QVector>

namespace Lookback::Ui {

// The message body viewer. It never loads anything: loadResource() answers
// nothing for every URL (no remote images, no tracking pixels, no local
// files), links are never followed inside the viewer (setOpenLinks(false)),
// and QTextBrowser has no script engine. Clicks on links arrive as
// anchorClicked(); the MessageView decides what to open.
// Thread: GUI. Owner: its parent widget.
class SafeTextBrowser : public QTextBrowser
{
    Q_OBJECT
public:
    explicit SafeTextBrowser(QWidget *parent = nullptr);

    QVariant loadResource(int type, const QUrl &name) override;

    // The URLs the document asked for since the last clearBlockedResources(),
    // each once: what a web view would have fetched.
    QVector<QUrl> blockedResources() const { return m_blocked; }
    void clearBlockedResources() { m_blocked.clear(); }

private:
    QVector<QUrl> m_blocked;
};

} // namespace Lookback::Ui
