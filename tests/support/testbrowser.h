// A stand-in for the user's web browser in OAuth tests: it opens the
// authorization URL, follows the provider's redirect to the app's loopback
// listener and reports what each hop answered.
#pragma once

#include <QString>
#include <QUrl>
#include <QVector>

namespace Lookback::Test {

// One request the browser made.
struct BrowserHop
{
    QUrl url;
    int status = 0;  // HTTP status, 0 if no answer came
    QString error;   // transport error or timeout, "" if an answer came
};

// Does what lookback-test-browser does, in-process and synchronously: GETs
// `url` without letting Qt follow redirects, follows each `Location` itself
// (up to 5 redirects), and stops once the app's loopback redirect has
// answered. That last hop is the first one whose scheme, host, port and path
// equal the `redirect_uri` parameter of `url`; when `url` has no
// redirect_uri, the first http://127.0.0.1 URL reached through a Location.
// A chain that ends elsewhere (an error page of the provider, no Location)
// stops there.
//
// Returns true if the last answer was 2xx; otherwise false with *error saying
// which hop failed and how. `hops` (optional) gets every request in order.
// Each hop waits at most `hopTimeoutMs`.
//
// Thread: any thread with a Qt event dispatcher (a QCoreApplication must
// exist). It spins a local QEventLoop, so the app under test may answer the
// loopback redirect from this same thread's event loop or from another
// thread. Owner: the caller; nothing outlives the call.
bool followAuthorization(const QUrl &url, QString *error, QVector<BrowserHop> *hops = nullptr,
                         int hopTimeoutMs = 15000);

} // namespace Lookback::Test
