// For the widget tests (tst_ui_*, which link Qt Widgets; header only, as the
// support library does not): screenshots on request, and the dialog on top.
#pragma once

#include <QApplication>
#include <QDir>
#include <QWidget>
#include <QtTest>

namespace Lookback::Test {

// With LOOKBACK_SCREENSHOT_DIR set (scripts/screenshots runs the tests under
// Xvfb), saves what `w` shows as <dir>/<name>.png; otherwise nothing.
inline void shoot(QWidget *w, const QString &name)
{
    const QString dir = qEnvironmentVariable("LOOKBACK_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QCoreApplication::processEvents();
    QVERIFY(w->grab().save(QDir(dir).filePath(name + QStringLiteral(".png"))));
}

// The visible top-level window of type T (a dialog a click opened), or nullptr.
template <typename T>
T *topLevel()
{
    for (QWidget *w : QApplication::topLevelWidgets()) {
        if (auto *t = qobject_cast<T *>(w); t && t->isVisible())
            return t;
    }
    return nullptr;
}

} // namespace Lookback::Test
