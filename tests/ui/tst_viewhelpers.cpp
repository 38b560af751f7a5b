// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "matchfixtures.h"

#include "views/activitymodel.h"
#include "views/chartdata.h"
#include "views/importprogress.h"
#include "views/timedisplay.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Portent;

class tst_ViewHelpers : public QObject
{
    Q_OBJECT

private slots:
    void timeDisplaySettingsRoundTrip_data();
    void timeDisplaySettingsRoundTrip();
    void rowsFromProgressText_data();
    void rowsFromProgressText();
    void formatImportProgress();
    void timeHistogramUsesRoundBins();
    void portHistogram();
    void topValues();
    void activityModelCapsHistory();
};

void tst_ViewHelpers::timeDisplaySettingsRoundTrip_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("offset");
    QTest::newRow("utc") << QStringLiteral("utc") << int(TimeDisplay::Mode::Utc) << 0;
    QTest::newRow("local") << QStringLiteral("local") << int(TimeDisplay::Mode::Local) << 0;
    QTest::newRow("india") << QStringLiteral("330") << int(TimeDisplay::Mode::FixedOffset) << 330;
    QTest::newRow("newYork") << QStringLiteral("-300") << int(TimeDisplay::Mode::FixedOffset)
                             << -300;
    // A damaged settings file falls back to UTC.
    QTest::newRow("garbage") << QStringLiteral("99999") << int(TimeDisplay::Mode::Utc) << 0;
}

void tst_ViewHelpers::timeDisplaySettingsRoundTrip()
{
    QFETCH(QString, text);
    QFETCH(int, mode);
    QFETCH(int, offset);
    const TimeDisplay display = TimeDisplay::fromSettingsString(text);
    QCOMPARE(int(display.mode), mode);
    QCOMPARE(display.fixedOffsetMinutes, offset);
    if (text != QLatin1String("99999")) {
        QCOMPARE(display.toSettingsString(), text);
    }
}

void tst_ViewHelpers::rowsFromProgressText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("rows");
    QTest::addColumn<bool>("present");
    QTest::newRow("plain") << QStringLiteral("rows=1500") << qint64(1500) << true;
    QTest::newRow("embedded") << QStringLiteral("bytes=1 rows=42 x") << qint64(42) << true;
    QTest::newRow("missing") << QStringLiteral("starting") << qint64(0) << false;
}

void tst_ViewHelpers::rowsFromProgressText()
{
    QFETCH(QString, text);
    QFETCH(qint64, rows);
    QFETCH(bool, present);
    const auto parsed = Portent::rowsFromProgressText(text);
    QCOMPARE(parsed.has_value(), present);
    if (present) {
        QCOMPARE(*parsed, rows);
    }
}

void tst_ViewHelpers::formatImportProgress()
{
    // 152,300 rows in 2 s: 76,150 rows/s.
    QCOMPARE(Portent::formatImportProgress(12'400'000, 80'000'000, 152'300, 2000),
             QStringLiteral("12.4 of 80.0 MB · 152,300 rows · 76,150 rows/s"));
}

void tst_ViewHelpers::timeHistogramUsesRoundBins()
{
    const QList<Match> matches = MatchFixtures::beacons();
    const QList<int> rows{0, 1, 2, 3, 4, 5, 6};
    // 07:00 to 12:00 is five hours: 15-minute bins give 21 bins (< 48), 5-minute ones 61.
    const Histogram histogram = timeHistogram(matches, rows, 48);
    QCOMPARE(histogram.binWidth, 15 * TicksPerMinute);
    QCOMPARE(histogram.start, MatchFixtures::at("2024-03-13T07:00:00Z"));
    QCOMPARE(histogram.counts.size(), 21);
    qint64 total = 0;
    for (qint64 count : histogram.counts) {
        total += count;
    }
    QCOMPARE(total, 7);
    QCOMPARE(histogram.counts.last(), 1); // 12:00
}

void tst_ViewHelpers::portHistogram()
{
    const QList<Match> matches = MatchFixtures::beacons();
    // Ports 4702..20050 span 15348: 500-wide bins from 4500 give 32 bins, 100-wide ones 154.
    const Histogram histogram = Portent::portHistogram(matches, {0, 1, 2, 3, 4, 5, 6}, 40);
    QCOMPARE(histogram.binWidth, 500);
    QCOMPARE(histogram.start, 4500);
    QCOMPARE(histogram.counts.first(), 5); // 4702 x3, 4800 x2
    QCOMPARE(histogram.counts.last(), 1);  // 20050
}

void tst_ViewHelpers::topValues()
{
    const QList<Match> matches = MatchFixtures::beacons();
    const auto top = Portent::topValues(matches, {0, 1, 2, 3, 4, 5, 6}, TopField::Device, 2);
    QCOMPARE(top.size(), 2);
    QCOMPARE(top.at(0), qMakePair(QStringLiteral("ws-01"), qint64(4)));
    QCOMPARE(top.at(1), qMakePair(QStringLiteral("ws-02"), qint64(2)));
    // Only the shown rows count: the filter is respected.
    const auto filtered = Portent::topValues(matches, {1}, TopField::Process, 5);
    QCOMPARE(filtered.size(), 1);
    QCOMPARE(filtered.first().first, QStringLiteral("rundll32.exe"));
}

void tst_ViewHelpers::activityModelCapsHistory()
{
    ActivityModel model(3);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int i = 0; i < 5; ++i) {
        model.append({QDateTime::currentDateTime(),
                      QStringLiteral("portent.ui"),
                      QtWarningMsg,
                      QStringLiteral("message %1").arg(i)});
    }
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.entryAt(0).message, QStringLiteral("message 2"));
    QCOMPARE(model.index(2, int(ActivityModel::Column::Severity)).data().toString(),
             QStringLiteral("Warning"));
}

QTEST_GUILESS_MAIN(tst_ViewHelpers)
#include "tst_viewhelpers.moc"
