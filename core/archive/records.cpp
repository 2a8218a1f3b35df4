#include "records.h"

namespace Lookback {

QString backfillStateName(BackfillState state)
{
    switch (state) {
    case BackfillState::Running: return QStringLiteral("running");
    case BackfillState::Paused: return QStringLiteral("paused");
    case BackfillState::Cancelled: return QStringLiteral("cancelled");
    case BackfillState::Complete: return QStringLiteral("complete");
    case BackfillState::Failed: return QStringLiteral("failed");
    }
    return QStringLiteral("failed");
}

BackfillState backfillStateFromName(const QString &name)
{
    if (name == QLatin1String("running")) return BackfillState::Running;
    if (name == QLatin1String("paused")) return BackfillState::Paused;
    if (name == QLatin1String("cancelled")) return BackfillState::Cancelled;
    if (name == QLatin1String("complete")) return BackfillState::Complete;
    return BackfillState::Failed;
}

QString BackfillRange::label() const
{
    if (isEverything())
        return QStringLiteral("all");
    return QString::number(days) + QLatin1Char('d');
}

bool BackfillRange::parse(const QString &text, BackfillRange *out)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("all") || t == QLatin1String("everything")) {
        *out = everything();
        return true;
    }
    if (t == QLatin1String("skip")) {
        *out = BackfillRange{0};
        return true;
    }
    QString digits = t;
    if (digits.endsWith(QLatin1Char('d')))
        digits.chop(1);
    bool ok = false;
    const int days = digits.toInt(&ok);
    if (!ok || days <= 0 || days > 36500)
        return false;
    *out = BackfillRange{days};
    return true;
}

} // namespace Lookback
