#include "dialogs/dialoglayout.h"
#include "rangepickerdialog.h"

#include <QPointer>

#include <QButtonGroup>
#include <QEvent>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

namespace Lookback::Ui {

namespace {

constexpr int kCustomDefaultDays = 180;
constexpr int kCustomDebounceMs = 600;


void makeSmall(QWidget *w)
{
    QFont f = w->font();
    f.setPointSizeF(f.pointSizeF() * 0.9);
    w->setFont(f);
}


} // namespace

RangePickerDialog::RangePickerDialog(const QString &connectionName, Counter counter, QWidget *parent)
    : QDialog(parent)
    , m_counter(std::move(counter))
{
    buildUi(connectionName);
    m_counting = true;
    m_countInFlight = true;
    count({m_customDays->value()});
    updateEstimates();
}

void RangePickerDialog::count(const QList<int> &days)
{
    QPointer<RangePickerDialog> self(this);
    m_counter(days, [self](const RangeCounts &counts) {
        if (self)
            self->onCounted(counts);
    });
}

RangePickerDialog::RangePickerDialog(const QString &connectionName, const RangeCounts &counts, QWidget *parent)
    : QDialog(parent)
{
    buildUi(connectionName);
    setCounts(counts);
}

RangePickerDialog::~RangePickerDialog() = default;

void RangePickerDialog::buildUi(const QString &connectionName)
{
    setWindowTitle(tr("How much mail should we sync?"));
    auto *layout = new QVBoxLayout(this);

    auto *heading = new QLabel(tr("How much mail should we sync?"), this);
    heading->setObjectName(QStringLiteral("heading"));
    QFont hf = heading->font();
    hf.setPointSizeF(hf.pointSizeF() * 1.3);
    hf.setBold(true);
    heading->setFont(hf);
    layout->addWidget(heading);

    auto *intro = new QLabel(tr("Lookback copies the Inbox and Sent mail of “%1” to this computer, newest first. "
                                "You can fetch older mail later.").arg(connectionName), this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);
    layout->addWidget(intro);
    layout->addSpacing(6);

    m_group = new QButtonGroup(this);
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(12);
    grid->setColumnStretch(2, 1);
    layout->addLayout(grid);

    const struct { int days; QString text; const char *name; } fixed[] = {
        {30, tr("Last &30 days"), "range30"},
        {90, tr("Last &90 days"), "range90"},
        {365, tr("Last 12 &months"), "range365"},
        {-1, tr("&Everything"), "rangeEverything"},
    };
    int row = 0;
    for (const auto &f : fixed) {
        Choice c;
        c.days = f.days;
        c.radio = new QRadioButton(f.text, this);
        c.radio->setObjectName(QLatin1String(f.name));
        c.estimate = new QLabel(this);
        c.estimate->setObjectName(QLatin1String(f.name) + QLatin1String("Estimate"));
        grid->addWidget(c.radio, row, 0);
        grid->addWidget(c.estimate, row, 2);
        if (f.days == 90) {
            auto *badge = new QLabel(tr("Recommended"), this);
            badge->setObjectName(QStringLiteral("recommendedBadge"));
            makeSmall(badge);
            QFont bf = badge->font();
            bf.setBold(true);
            badge->setFont(bf);
            badge->setStyleSheet(QStringLiteral("QLabel { background: palette(highlight); color: palette(highlighted-text);"
                                                " border-radius: 4px; padding: 1px 6px; }"));
            c.radio->setAccessibleDescription(tr("Recommended"));
            grid->addWidget(badge, row, 1, Qt::AlignLeft | Qt::AlignVCenter);
        }
        m_group->addButton(c.radio, row);
        m_choices << c;
        ++row;
    }

    // Custom: a number of days.
    Choice custom;
    custom.days = 0;
    auto *customRow = new QHBoxLayout;
    customRow->setContentsMargins(0, 0, 0, 0);
    custom.radio = new QRadioButton(tr("&Custom:"), this);
    custom.radio->setObjectName(QStringLiteral("rangeCustom"));
    m_customDays = new QSpinBox(this);
    m_customDays->setObjectName(QStringLiteral("customDays"));
    m_customDays->setRange(1, 36500);
    m_customDays->setValue(kCustomDefaultDays);
    m_customDays->setAccessibleName(tr("Custom number of days"));
    auto *daysLabel = new QLabel(tr("days"), this);
    customRow->addWidget(custom.radio);
    customRow->addWidget(m_customDays);
    customRow->addSpacing(2);
    customRow->addWidget(daysLabel);
    customRow->addStretch(1);
    grid->addLayout(customRow, row, 0, 1, 2);
    custom.estimate = new QLabel(this);
    custom.estimate->setObjectName(QStringLiteral("rangeCustomEstimate"));
    grid->addWidget(custom.estimate, row, 2);
    m_group->addButton(custom.radio, row);
    m_choices << custom;

    for (const Choice &c : qAsConst(m_choices)) {
        c.estimate->setTextFormat(Qt::PlainText);
        c.estimate->setForegroundRole(QPalette::PlaceholderText);
        c.estimate->installEventFilter(this); // a click on the estimate picks its choice
    }
    m_choices[1].radio->setChecked(true); // 90 days

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("countStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    makeSmall(m_status);
    m_status->setForegroundRole(QPalette::PlaceholderText);
    layout->addSpacing(4);
    layout->addWidget(m_status);
    layout->addStretch(1);

    auto *line = new QFrame(this);
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Sunken);
    layout->addWidget(line);

    auto *bottom = new QHBoxLayout;
    m_skipButton = new QPushButton(tr("S&kip for now"), this);
    m_skipButton->setObjectName(QStringLiteral("skipButton"));
    m_skipButton->setAutoDefault(false);
    auto *skipText = new QLabel(tr("Skip: nothing is copied now; only new mail from now on. "
                                   "You can fetch history later."), this);
    skipText->setObjectName(QStringLiteral("skipExplanation"));
    skipText->setWordWrap(true);
    skipText->setTextFormat(Qt::PlainText);
    makeSmall(skipText);
    skipText->setForegroundRole(QPalette::PlaceholderText);
    m_skipButton->setAccessibleDescription(skipText->text());
    m_startButton = new QPushButton(tr("&Start sync"), this);
    m_startButton->setObjectName(QStringLiteral("startButton"));
    m_startButton->setDefault(true);
    bottom->addWidget(skipText, 1);
    bottom->addWidget(m_skipButton);
    bottom->addWidget(m_startButton);
    layout->addLayout(bottom);

    connect(m_startButton, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_skipButton, &QPushButton::clicked, this, &RangePickerDialog::skip);

    m_customTimer = new QTimer(this);
    m_customTimer->setSingleShot(true);
    m_customTimer->setInterval(kCustomDebounceMs);
    connect(m_customTimer, &QTimer::timeout, this, &RangePickerDialog::requestCustomCount);
    connect(m_customDays, QOverload<int>::of(&QSpinBox::valueChanged), this, [this, custom] {
        custom.radio->setChecked(true);
        updateEstimates();
        m_customTimer->start();
    });

    setMinimumWidth(560);
}

BackfillRange RangePickerDialog::range() const
{
    if (m_skipped)
        return BackfillRange{0};
    const int id = m_group->checkedId();
    if (id < 0 || id >= m_choices.size())
        return BackfillRange{90};
    const Choice &c = m_choices.at(id);
    return BackfillRange{c.days == 0 ? m_customDays->value() : c.days};
}

void RangePickerDialog::skip()
{
    m_skipped = true;
    accept();
}

void RangePickerDialog::setCounts(const RangeCounts &counts)
{
    m_counting = false;
    m_counts = counts;
    updateEstimates();
    emit countsChanged();
}

void RangePickerDialog::onCounted(const RangeCounts &counts)
{
    m_countInFlight = false;
    if (m_counting) {
        setCounts(counts);
    } else if (counts.ok()) {
        // A recount for a custom number of days: keep what was counted before too.
        RangeCounts merged = counts;
        for (auto it = m_counts.byDays.cbegin(); it != m_counts.byDays.cend(); ++it) {
            if (!merged.byDays.contains(it.key()))
                merged.byDays.insert(it.key(), it.value());
        }
        if (merged.messagesPerSecond <= 0)
            merged.messagesPerSecond = m_counts.messagesPerSecond;
        m_counts = merged;
        updateEstimates();
        emit countsChanged();
    }
    if (m_recountWanted) {
        m_recountWanted = false;
        requestCustomCount();
    }
}

void RangePickerDialog::requestCustomCount()
{
    // Only when counting works at all: a failed login would fail again.
    if (!m_counter || m_counting || !m_counts.ok())
        return;
    const int days = m_customDays->value();
    if (m_counts.countFor(days) >= 0)
        return;
    if (m_countInFlight) {
        m_recountWanted = true;
        return;
    }
    m_countInFlight = true;
    count({days});
}

qint64 RangePickerDialog::estimatedMessages(int days, bool *interpolated) const
{
    if (interpolated)
        *interpolated = false;
    const qint64 exact = m_counts.countFor(days);
    if (exact >= 0 || days < 0 || m_counting || !m_counts.ok())
        return exact;
    // Straight lines between the counted ranges (0 days: 0 messages); beyond the
    // longest, the slope of the last stretch, never more than everything.
    QMap<int, qint64> points = m_counts.byDays;
    points.insert(0, 0);
    if (m_counts.last30 >= 0) points.insert(30, m_counts.last30);
    if (m_counts.last90 >= 0) points.insert(90, m_counts.last90);
    if (m_counts.last365 >= 0) points.insert(365, m_counts.last365);
    if (points.size() < 2)
        return -1;
    auto upper = points.lowerBound(days);
    double estimate;
    if (upper != points.end()) {
        auto lower = std::prev(upper);
        const double t = double(days - lower.key()) / double(upper.key() - lower.key());
        estimate = double(lower.value()) + t * double(upper.value() - lower.value());
    } else {
        auto last = std::prev(points.end());
        auto before = std::prev(last);
        const double slope = std::max(0.0, double(last.value() - before.value()) / double(last.key() - before.key()));
        estimate = double(last.value()) + slope * double(days - last.key());
    }
    qint64 result = qint64(std::llround(estimate));
    if (m_counts.everything >= 0)
        result = std::min(result, m_counts.everything);
    if (interpolated)
        *interpolated = true;
    return result;
}

QString RangePickerDialog::durationText(double seconds)
{
    if (seconds < 60)
        return tr("under a minute");
    const int minutes = int(std::lround(seconds / 60.0));
    if (minutes < 60)
        return tr("about %n minute(s)", nullptr, minutes);
    const int hours = int(std::lround(seconds / 3600.0));
    if (hours < 48)
        return tr("about %n hour(s)", nullptr, hours);
    const int days = int(std::min<double>(std::lround(seconds / 86400.0), 1e6));
    return tr("about %n day(s)", nullptr, days);
}

QString RangePickerDialog::estimateText(qint64 messages, double messagesPerSecond, bool interpolated)
{
    if (messages < 0)
        return tr("Unknown");
    if (messages == 0)
        return interpolated ? tr("probably no messages") : tr("no messages");
    const int n = int(std::min<qint64>(messages, std::numeric_limits<int>::max()));
    QString text = interpolated ? tr("about %Ln message(s)", nullptr, n)
                                : tr("≈ %Ln message(s)", nullptr, n);
    if (messagesPerSecond > 0)
        text += QStringLiteral(" · ") + durationText(double(messages) / messagesPerSecond);
    return text;
}

void RangePickerDialog::updateEstimates()
{
    for (const Choice &c : qAsConst(m_choices)) {
        const int days = c.days == 0 ? m_customDays->value() : c.days;
        bool interpolated = false;
        const qint64 n = estimatedMessages(days, &interpolated);
        QString text;
        QString tip;
        if (m_counting) {
            text = tr("Counting…");
        } else if (n < 0) {
            text = tr("Unknown");
        } else {
            text = estimateText(n, m_counts.messagesPerSecond, interpolated);
            if (interpolated)
                tip = tr("Estimated from the counts for 30, 90 and 365 days");
        }
        c.estimate->setText(text);
        c.estimate->setToolTip(tip);
        c.radio->setAccessibleDescription(c.days == 90 ? tr("Recommended") + QStringLiteral(". ") + text : text);
    }
    if (m_counting) {
        m_status->setText(tr("Counting the messages in Inbox and Sent on the server…"));
    } else if (!m_counts.ok()) {
        m_status->setText(tr("The messages could not be counted, so the sizes are unknown. You can still choose.\n%1")
                              .arg(m_counts.error.message));
    } else if (m_counts.messagesPerSecond > 0) {
        m_status->setText(tr("Counted on the server, Inbox and Sent together. Times are estimated from a download "
                             "measured just now."));
    } else {
        m_status->setText(tr("Counted on the server, Inbox and Sent together. The download speed could not be "
                             "measured, so no times are shown."));
    }
    QTimer::singleShot(0, this, [this] { growToFit(this); });
}

bool RangePickerDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::MouseButtonRelease) {
        for (const Choice &c : qAsConst(m_choices)) {
            if (c.estimate == watched) {
                c.radio->setChecked(true);
                c.radio->setFocus();
                break;
            }
        }
    }
    return QDialog::eventFilter(watched, event);
}

} // namespace Lookback::Ui
