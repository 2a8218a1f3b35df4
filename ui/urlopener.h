// Where the desktop program opens web pages (the browser sign-in). Core never
// opens a browser: it hands the address to the front end, which comes here.
#pragma once

#include <QUrl>

#include <functional>

namespace Lookback::Ui {

// Opens `url` in the user's browser: QDesktopServices::openUrl() unless a
// test (or an embedder) installed another opener. False when nothing could
// open it (the sign-in dialog then says so and offers the link to copy).
//
// Thread: GUI.
bool openExternalUrl(const QUrl &url);

// Replaces how openExternalUrl() opens pages; an empty function restores
// QDesktopServices. Tests use it to play the browser.
using UrlOpener = std::function<bool(const QUrl &url)>;
void setExternalUrlOpener(UrlOpener opener);

} // namespace Lookback::Ui
