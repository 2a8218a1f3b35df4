#pragma once

#include "archive/records.h"
#include "imap/imapconnection.h"
#include "archive/records.h"
#include "source/rangecounts.h"

#include <functional>

#include <QDialog>
#include <QVector>

class QButtonGroup;
class QLabel;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTimer;

namespace Lookback::Ui {

// "How much mail should we sync?": last 30 / 90 (recommended, preselected) days,
// 12 months, everything, or a custom number of days, each with the number of
// messages the server reports and the time a measured download rate predicts;
// or "Skip for now" (nothing is fetched, only new mail from now on).
//
// With a counter (SyncService::countRanges) it counts at the provider (a custom number
// of days is interpolated at once, labelled "about", then counted after the user
// stops changing it). With precomputed RangeCounts it never touches the network.
//
// Accepted by "Start sync" (range()) and by "Skip for now" (wasSkipped(), range()
// has days == 0); Escape rejects.
//
// Thread: GUI. Owner: the caller (usually WA_DeleteOnClose).
class RangePickerDialog : public QDialog
{
    Q_OBJECT
public:
    // Counts what the given numbers of days (and 30/90/365/everything) would fetch.
    using Counter = std::function<void(const QList<int> &customDays, std::function<void(const RangeCounts &)> done)>;
    RangePickerDialog(const QString &connectionName, Counter counter, QWidget *parent = nullptr);
    // No probing: shows these counts (tests, or counts the caller already has).
    RangePickerDialog(const QString &connectionName, const RangeCounts &counts, QWidget *parent = nullptr);
    ~RangePickerDialog() override;

    // days 30 / 90 / 365 / -1 (everything) / N (custom); 0 after "Skip for now".
    BackfillRange range() const;
    bool wasSkipped() const { return m_skipped; }

    // Replaces the counts shown (and stops waiting for the first count).
    void setCounts(const RangeCounts &counts);
    RangeCounts counts() const { return m_counts; }
    bool isCounting() const { return m_counting; }

    // What a choice would fetch: the count (exact when counted, else interpolated from
    // the counted ranges, with *interpolated set), -1 when unknown.
    qint64 estimatedMessages(int days, bool *interpolated = nullptr) const;

    // "under a minute", "about 3 minutes", "about 2 hours", "about 3 days".
    static QString durationText(double seconds);
    // "≈ 2,340 messages · about 3 minutes" (exact) or "about 2,300 messages · ..." (interpolated).
    static QString estimateText(qint64 messages, double messagesPerSecond, bool interpolated);

public slots:
    void skip();

signals:
    // The estimates on screen changed (counts arrived or failed).
    void countsChanged();

private:
    struct Choice
    {
        int days = 0; // 0 for custom
        QRadioButton *radio = nullptr;
        QLabel *estimate = nullptr;
    };

    void buildUi(const QString &connectionName);
    void onCounted(const Lookback::RangeCounts &counts);
    void updateEstimates();
    void requestCustomCount();
    bool eventFilter(QObject *watched, QEvent *event) override;

    Counter m_counter; // only when counting at the provider
    void count(const QList<int> &days);
    RangeCounts m_counts;
    bool m_counting = false;
    bool m_countInFlight = false;
    bool m_recountWanted = false;
    bool m_skipped = false;

    QButtonGroup *m_group = nullptr;
    QVector<Choice> m_choices;
    QSpinBox *m_customDays = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_startButton = nullptr;
    QPushButton *m_skipButton = nullptr;
    QTimer *m_customTimer = nullptr;
};

} // namespace Lookback::Ui
