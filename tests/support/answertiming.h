// How long a server takes to answer each of several requests sent one after
// another, for the fakes' tests of their response delays.
#pragma once

#include <QNetworkRequest>
#include <QVector>

class QNetworkAccessManager;

namespace Lookback::Test {

// Sends each GET request `staggerMs` after the one before (all first when 0)
// and answers how long each took from its own sending to its answer, in
// milliseconds (-1: no answer within `timeoutMs`).
QVector<qint64> answerLatencies(QNetworkAccessManager &nam, const QVector<QNetworkRequest> &requests, int staggerMs,
                                int timeoutMs = 10000);

} // namespace Lookback::Test
