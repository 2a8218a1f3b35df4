#include "answertiming.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

namespace Lookback::Test {

QVector<qint64> answerLatencies(QNetworkAccessManager &nam, const QVector<QNetworkRequest> &requests, int staggerMs,
                                int timeoutMs)
{
    QVector<qint64> took(requests.size(), -1);
    QVector<qint64> sentAt(requests.size(), 0);
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    int left = int(requests.size());
    for (int i = 0; i < requests.size(); ++i) {
        QTimer::singleShot(i * staggerMs, Qt::PreciseTimer, &loop, [&, i] {
            sentAt[i] = clock.elapsed();
            QNetworkReply *reply = nam.get(requests.at(i));
            QObject::connect(reply, &QNetworkReply::finished, &loop, [&, i, reply] {
                took[i] = clock.elapsed() - sentAt[i];
                reply->deleteLater();
                if (--left == 0)
                    loop.quit();
            });
        });
    }
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (left > 0)
        loop.exec();
    return took;
}

} // namespace Lookback::Test
