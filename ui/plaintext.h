#pragma once

#include <QString>

namespace Lookback::Ui {

// Text from servers and senders is untrusted: shown as text, never as markup.
// QLabel (with Qt::AutoText) and tooltips render anything that looks like
// HTML; every label that shows such text is set to Qt::PlainText, and a
// tooltip gets its text through this (escaped, line breaks kept).
inline QString plainToolTip(const QString &text)
{
    if (text.isEmpty())
        return text;
    QString escaped = text.toHtmlEscaped();
    escaped.replace(QLatin1Char('\n'), QLatin1String("<br>"));
    return QLatin1String("<p style=\"white-space:pre-wrap\">") + escaped + QLatin1String("</p>");
}

} // namespace Lookback::Ui
