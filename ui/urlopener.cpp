#include "urlopener.h"

#include <QDesktopServices>

namespace Lookback::Ui {

namespace {
UrlOpener &opener()
{
    static UrlOpener installed;
    return installed;
}
} // namespace

bool openExternalUrl(const QUrl &url)
{
    if (opener())
        return opener()(url);
    return QDesktopServices::openUrl(url);
}

void setExternalUrlOpener(UrlOpener o)
{
    opener() = std::move(o);
}

} // namespace Lookback::Ui
