#include "archive/safetextbrowser.h"

#include "archive/messagedocument.h"

#include <QAbstractTextDocumentLayout>

namespace Lookback::Ui {

SafeTextBrowser::SafeTextBrowser(QWidget *parent)
    : QTextBrowser(parent)
    , m_document(new MessageDocument(this))
{
    setDocument(m_document);
    // What QTextEdit does for the document it creates itself.
    m_document->setDefaultFont(font());
    m_document->documentLayout()->setPaintDevice(viewport());
    setOpenLinks(false);
    setOpenExternalLinks(false);
    setReadOnly(true);
    setSearchPaths({});
    m_document->setUndoRedoEnabled(false);
}

QVariant SafeTextBrowser::loadResource(int type, const QUrl &name)
{
    Q_UNUSED(type)
    Q_UNUSED(name)
    // Deliberately not QTextBrowser::loadResource(): that one reads local files.
    return QVariant();
}

QVector<QUrl> SafeTextBrowser::blockedResources() const
{
    return m_document->requestedResources();
}

void SafeTextBrowser::clearBlockedResources()
{
    m_document->clearRequestedResources();
}

} // namespace Lookback::Ui
