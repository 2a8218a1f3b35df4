#include "archive/safetextbrowser.h"

namespace Lookback::Ui {

SafeTextBrowser::SafeTextBrowser(QWidget *parent)
    : QTextBrowser(parent)
{
    setOpenLinks(false);
    setOpenExternalLinks(false);
    setReadOnly(true);
    setSearchPaths({});
    document()->setUndoRedoEnabled(false);
}

QVariant SafeTextBrowser::loadResource(int type, const QUrl &name)
{
    Q_UNUSED(type)
    // Deliberately not QTextBrowser::loadResource(): that one reads local files.
    if (m_blocked.size() < 1000 && !m_blocked.contains(name))
        m_blocked.append(name);
    return QVariant();
}

} // namespace Lookback::Ui
