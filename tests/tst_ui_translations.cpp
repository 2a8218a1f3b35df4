// The program follows the system locale: German and French are embedded and used,
// and English gets proper singular and plural forms.

#include "connections/connectioncard.h"
#include "connections/healthbadge.h"
#include "translations.h"

#include <QApplication>
#include <QTranslator>
#include <QtTest>

using namespace Lookback;
using namespace Lookback::Ui;

class TestUiTranslations : public QObject
{
    Q_OBJECT

private slots:
    void followsTheLocale_data();
    void followsTheLocale();
    void everyStringIsTranslated_data();
    void everyStringIsTranslated();

private:
    void reset();
};

void TestUiTranslations::reset()
{
    for (QTranslator *t : qApp->findChildren<QTranslator *>()) {
        QCoreApplication::removeTranslator(t);
        delete t;
    }
}

void TestUiTranslations::followsTheLocale_data()
{
    QTest::addColumn<QLocale>("locale");
    QTest::addColumn<QString>("healthy");
    QTest::addColumn<QString>("oneDay");
    QTest::addColumn<QString>("twoDays");
    QTest::newRow("English") << QLocale(QLocale::English, QLocale::UnitedStates) << QStringLiteral("Healthy")
                             << QStringLiteral("the last 1 day") << QStringLiteral("the last 2 days");
    QTest::newRow("German") << QLocale(QLocale::German, QLocale::Germany) << QString() << QString() << QString();
    QTest::newRow("French") << QLocale(QLocale::French, QLocale::France) << QString() << QString() << QString();
}

void TestUiTranslations::followsTheLocale()
{
    QFETCH(QLocale, locale);
    QFETCH(QString, healthy);
    QFETCH(QString, oneDay);
    QFETCH(QString, twoDays);
    reset();
    installTranslators(locale);
    const QString label = HealthBadge::labelFor(Health::Healthy);
    const QString one = ConnectionCard::rangeText(BackfillRange{1});
    const QString two = ConnectionCard::rangeText(BackfillRange{2});
    if (locale.language() == QLocale::English) {
        QCOMPARE(label, healthy);
        QCOMPARE(one, oneDay);
        QCOMPARE(two, twoDays);
    } else {
        // Translated: not the English words, and the plural differs from the singular.
        QVERIFY2(label != QLatin1String("Healthy") && !label.isEmpty(), qPrintable(label));
        QVERIFY2(!two.contains(QLatin1String("day")), qPrintable(two));
        QVERIFY2(one != two && !two.contains(QLatin1String("(")), qPrintable(one + QLatin1String(" / ") + two));
    }
    reset();
}

void TestUiTranslations::everyStringIsTranslated_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("German") << QStringLiteral(":/i18n/lookback_de.qm");
    QTest::newRow("French") << QStringLiteral(":/i18n/lookback_fr.qm");
}

void TestUiTranslations::everyStringIsTranslated()
{
    QFETCH(QString, file);
    QTranslator t;
    QVERIFY2(t.load(file), qPrintable(file));
    // A few strings from every corner of the program.
    const struct { const char *context; const char *source; } probes[] = {
        {"Lookback::Ui::ConnectionCard", "Resume"},
        {"Lookback::Ui::MainWindow", "Connections"},
        {"Lookback::Ui::RangePickerDialog", "How much mail should we sync?"},
        {"Lookback::Ui::HealthBadge", "Needs reconnect"},
    };
    for (const auto &p : probes) {
        const QString translated = t.translate(p.context, p.source);
        QVERIFY2(!translated.isEmpty() && translated != QLatin1String(p.source),
                 qPrintable(QStringLiteral("%1 / %2").arg(QLatin1String(p.context), QLatin1String(p.source))));
    }
}

QTEST_MAIN(TestUiTranslations)
#include "tst_ui_translations.moc"
