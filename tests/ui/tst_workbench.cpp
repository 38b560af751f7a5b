// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "activitylog.h"
#include "breakdownpanel.h"
#include "chartspanel.h"
#include "groupsview.h"
#include "importcontroller.h"
#include "mainwindow.h"
#include "matchesview.h"
#include "reportdialog.h"

#include "ingest/importer.h"
#include "store/casefile.h"
#include "views/activitymodel.h"
#include "views/beacongroups.h"
#include "views/matchfilterproxy.h"
#include "views/matchtablemodel.h"

#include <QAbstractItemModelTester>
#include <QBarSeries>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QHeaderView>
#include <QHorizontalBarSeries>
#include <QMimeData>
#include <QPushButton>
#include <QScatterSeries>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>
#include <QXYSeries>

#include <algorithm>
#include <memory>

using namespace Portent;
using Column = MatchTableModel::Column;
using Chart = ChartsPanel::Kind;

// Whole-window behaviour beyond tst_mainwindow: drops, the report dialog's date flip, charts,
// the time-zone switch and sorting a result on a worker, with every model under a tester.
class tst_Workbench : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void dropImportsLikeTheDialog();
    void dropIsRefused_data();
    void dropIsRefused();
    void dayMonthFlipRereadsAndReruns();
    void chartsCountWhatTheTableShows();
    void filterKeepsBreakdownOnAShownMatch_data();
    void filterKeepsBreakdownOnAShownMatch();
    void timeZoneReachesEveryView();
    void sortOnWorkerReordersTheTable();
    void everyModelPassesTheTester();

private:
    QString caseWith(const QString &fixtureName);
    QString fixture(const QString &name) const;
    bool openAndWait(MainWindow &window, const QString &path);
    QXYSeries *xySeries(QChart *chart, const QString &name) const;

    QTemporaryDir m_dir;
    int m_cases = 0;
};

void tst_Workbench::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(
        QSettings::IniFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
    QCoreApplication::setOrganizationName(QStringLiteral("PortentTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_workbench"));
}

QString tst_Workbench::fixture(const QString &name) const
{
    return QStringLiteral(PORTENT_TEST_DATA "/ui/") + name;
}

QString tst_Workbench::caseWith(const QString &fixtureName)
{
    const QString path = m_dir.filePath(QStringLiteral("case%1.portent").arg(++m_cases));
    {
        auto caseFile = CaseFile::open(path, CaseFile::Mode::CreateOrOpen);
        if (!caseFile) {
            qWarning() << caseFile.errorMessage();
            return {};
        }
    }
    if (!fixtureName.isEmpty()) {
        const ImportReport report = Importer::importNow(path, fixture(fixtureName));
        if (!report.error.isEmpty()) {
            qWarning() << report.error;
        }
    }
    return path;
}

bool tst_Workbench::openAndWait(MainWindow &window, const QString &path)
{
    QSignalSpy shown(&window, &MainWindow::resultShown);
    if (!window.openCase(path)) {
        return false;
    }
    return shown.wait(30000) || shown.count() > 0;
}

QXYSeries *tst_Workbench::xySeries(QChart *chart, const QString &name) const
{
    for (QAbstractSeries *series : chart->series()) {
        if (series->name() == name) {
            return qobject_cast<QXYSeries *>(series);
        }
    }
    return nullptr;
}

void tst_Workbench::dropImportsLikeTheDialog()
{
    MainWindow window;
    QVERIFY(openAndWait(window, caseWith(QStringLiteral("beacons.csv"))));
    QSignalSpy shown(&window, &MainWindow::resultShown);
    QSignalSpy reports(&window, &MainWindow::importReportShown);
    // A file dragged from the file manager onto the window.
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(fixture(QStringLiteral("more.csv")))});
    QDragEnterEvent enter(QPoint(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    enter.setAccepted(false);
    QCoreApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    drop.setAccepted(false);
    QCoreApplication::sendEvent(&window, &drop);
    QVERIFY(drop.isAccepted());
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 30000);
    QCOMPARE(reports.count(), 1);
    const auto report = reports.at(0).at(0).value<ImportReport>();
    QCOMPARE(QFileInfo(report.filePath).fileName(), QStringLiteral("more.csv"));
    QCOMPARE(report.rowsAccepted, 1);
    // more.csv adds one beacon from a new device: eight matches, five groups.
    QCOMPARE(window.matchModel()->rowCount(), 8);
    QCOMPARE(window.groupModel()->rowCount(), 5);
}

void tst_Workbench::dropIsRefused_data()
{
    QTest::addColumn<bool>("withCase");
    QTest::addColumn<QList<QUrl>>("urls");

    const QUrl file = QUrl::fromLocalFile(fixture(QStringLiteral("more.csv")));
    // Nothing to import into yet: the start page is showing.
    QTest::newRow("noCaseOpen") << false << QList<QUrl>{file};
    // A folder or a web link is not a file to import.
    QTest::newRow("folder") << true << QList<QUrl>{QUrl::fromLocalFile(m_dir.path())};
    QTest::newRow("webLink") << true
                             << QList<QUrl>{QUrl(QStringLiteral("https://example.com/x.csv"))};
}

void tst_Workbench::dropIsRefused()
{
    QFETCH(bool, withCase);
    QFETCH(QList<QUrl>, urls);
    MainWindow window;
    if (withCase) {
        QVERIFY(openAndWait(window, caseWith(QStringLiteral("beacons.csv"))));
    }
    QSignalSpy reports(&window, &MainWindow::importReportShown);
    QMimeData mime;
    mime.setUrls(urls);
    QDragEnterEvent enter(QPoint(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    enter.setAccepted(false);
    QCoreApplication::sendEvent(&window, &enter);
    QVERIFY(!enter.isAccepted());
    QDropEvent drop(QPointF(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    drop.setAccepted(false);
    QCoreApplication::sendEvent(&window, &drop);
    QVERIFY(!window.imports()->isBusy());
    QCOMPARE(reports.count(), 0);
}

void tst_Workbench::dayMonthFlipRereadsAndReruns()
{
    MainWindow window;
    QVERIFY(openAndWait(window, caseWith(QStringLiteral("slashdates.csv"))));
    const int time = window.matchModel()->column(Column::Time);
    // Every date in slashdates.csv is ambiguous; they are read month first: 4 March.
    QCOMPARE(window.matchModel()->rowCount(), 2);
    QCOMPARE(window.matchProxy()->index(0, time).data().toString(),
             QStringLiteral("2024-03-04 12:00:00.000 UTC"));

    window.showReports();
    ReportDialog *dialog = window.reportDialog();
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->reportText().contains(QStringLiteral("slashdates.csv")));
    auto *order = dialog->findChild<QComboBox *>(QStringLiteral("dateOrder"));
    auto *apply = dialog->findChild<QPushButton *>(QStringLiteral("applyDateOrder"));
    QVERIFY(order && apply);
    QVERIFY(order->isEnabled());
    QCOMPARE(DateOrder(order->currentData().toInt()), DateOrder::MonthFirst);

    QSignalSpy changed(dialog, &ReportDialog::dateOrderChanged);
    QSignalSpy shown(&window, &MainWindow::resultShown);
    order->setCurrentIndex(order->findData(int(DateOrder::DayFirst)));
    QTest::mouseClick(apply, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 30000);
    // Day first, "3/4/2024" is 3 April; both beacons are still within 24 h of each other.
    QCOMPARE(window.matchModel()->rowCount(), 2);
    QCOMPARE(window.matchProxy()->index(0, time).data().toString(),
             QStringLiteral("2024-04-03 12:00:00.000 UTC"));
    QCOMPARE(window.matchProxy()->index(1, time).data().toString(),
             QStringLiteral("2024-04-03 11:00:00.000 UTC"));
    // The dialog shows the stored choice again.
    QCOMPARE(DateOrder(order->currentData().toInt()), DateOrder::DayFirst);
    dialog->close();
}

void tst_Workbench::chartsCountWhatTheTableShows()
{
    MainWindow window;
    QVERIFY(openAndWait(window, caseWith(QStringLiteral("beacons.csv"))));
    window.showCharts();
    ChartsPanel *charts = window.chartsPanel();
    QTRY_VERIFY(!charts->chart(Chart::OverTime)->series().isEmpty());

    // The seven matches span 07:00-12:00Z: 15-minute bins (the first round width giving fewer
    // than 48), 07:00 to 12:00 inclusive, so 21 bars, and the title names the bin width.
    auto *overTime = qobject_cast<QBarSeries *>(charts->chart(Chart::OverTime)->series().value(0));
    QVERIFY(overTime);
    QCOMPARE(overTime->barSets().value(0)->count(), 21);
    QCOMPARE(charts->chart(Chart::OverTime)->title(), QStringLiteral("Matches per 15 min (UTC)"));
    // Ports 4702-20050 in 1000-port bins (500 would give 30 bins, over the 20 allowed): 4000 to
    // 20000, 17 bars.
    auto *ports = qobject_cast<QBarSeries *>(charts->chart(Chart::Ports)->series().value(0));
    QVERIFY(ports);
    QCOMPARE(ports->barSets().value(0)->count(), 17);
    // implant.exe, update.exe, beacon.exe, rundll32.exe; ws-01, ws-02, ws-03.
    const auto barCount = [charts](Chart kind) {
        auto *series = qobject_cast<QHorizontalBarSeries *>(charts->chart(kind)->series().value(0));
        return series ? int(series->barSets().value(0)->count()) : -1;
    };
    QCOMPARE(barCount(Chart::TopProcesses), 4);
    QCOMPARE(barCount(Chart::TopDevices), 3);
    QChart *scatter = charts->chart(Chart::PortVsCalculated);
    QCOMPARE(xySeries(scatter, QStringLiteral("Shown matches"))->count(), 7);
    QCOMPARE(xySeries(scatter, QStringLiteral("Selected"))->count(), 1);

    // Selecting the rundll32 group (one match) redraws from the rows the table shows.
    QTableView *groups = window.groupsView()->table();
    for (int row = 0; row < groups->model()->rowCount(); ++row) {
        if (groups->model()->index(row, 1).data().toString() == QStringLiteral("rundll32.exe")) {
            groups->selectRow(row);
        }
    }
    QCOMPARE(window.matchProxy()->rowCount(), 1);
    // The breakdown follows: it shows the group's match, not the one selected before.
    QCOMPARE(window.breakdownPanel()->fieldValue(QStringLiteral("InitiatingProcessFileName")),
             QStringLiteral("rundll32.exe"));
    QTRY_COMPARE(
        xySeries(charts->chart(Chart::PortVsCalculated), QStringLiteral("Shown matches"))->count(),
        1);
    QCOMPARE(barCount(Chart::TopProcesses), 1);
    // One match: the count axis reads 0 and 1, not 0, 0.25, 0.5... rounded to "0 0 0 0 1".
    auto *counts
        = qobject_cast<QValueAxis *>(charts->chart(Chart::Ports)->axes(Qt::Vertical).value(0));
    QVERIFY(counts);
    QCOMPARE(counts->max(), 1.0);
    QCOMPARE(counts->tickCount(), 2);
}

void tst_Workbench::filterKeepsBreakdownOnAShownMatch_data()
{
    QTest::addColumn<int>("syncLimit");
    QTest::newRow("filtered-at-once") << MatchFilterProxy::DefaultSyncFilterLimit;
    // Every result counts as large: the filter lands later from a worker, as with a million.
    QTest::newRow("filtered-on-worker") << 0;
}

// The responder types a device in the quick filter: the breakdown must not keep describing a
// match the table no longer shows.
void tst_Workbench::filterKeepsBreakdownOnAShownMatch()
{
    QFETCH(int, syncLimit);
    MainWindow window;
    window.matchProxy()->setSyncFilterLimit(syncLimit);
    QVERIFY(openAndWait(window, caseWith(QStringLiteral("beacons.csv"))));
    QTableView *table = window.matchesView()->table();
    table->sortByColumn(window.matchModel()->column(Column::Time), Qt::DescendingOrder);
    QTRY_VERIFY(!window.matchModel()->isSorting());
    table->selectRow(0); // 103.45.67.89 on ws-01
    QCOMPARE(window.breakdownPanel()->fieldValue(QStringLiteral("DeviceName")),
             QStringLiteral("ws-01.corp.example"));

    window.matchProxy()->setQuickFilter(QStringLiteral("ws-02"));
    QTRY_VERIFY(!window.matchProxy()->isFiltering());
    QTRY_COMPARE(window.breakdownPanel()->fieldValue(QStringLiteral("DeviceName")),
                 QStringLiteral("ws-02.corp.example"));
}

void tst_Workbench::timeZoneReachesEveryView()
{
    MainWindow window;
    QVERIFY(openAndWait(window, caseWith(QStringLiteral("beacons.csv"))));
    window.showCharts();
    QTableView *table = window.matchesView()->table();
    const int time = window.matchModel()->column(Column::Time);
    table->sortByColumn(time, Qt::DescendingOrder);
    table->selectRow(0);
    // India Standard Time, a half-hour offset: 12:00Z is 17:30, 07:00Z is 12:30.
    window.setTimeDisplay({TimeDisplay::Mode::FixedOffset, 5 * 60 + 30});
    QCOMPARE(window.matchProxy()->index(0, time).data().toString(),
             QStringLiteral("2024-03-13 17:30:00.000 +05:30"));
    QCOMPARE(window.matchProxy()->headerData(time, Qt::Horizontal).toString(),
             QStringLiteral("Timestamp (UTC+05:30)"));
    QCOMPARE(window.breakdownPanel()->fieldValue(QStringLiteral("Timestamp")),
             QStringLiteral("2024-03-13 17:30:00.000 +05:30"));
    QVERIFY(window.statusText().contains(QStringLiteral("UTC+05:30")));
    // Remembered at once, so the next start shows the same zone.
    const TimeDisplay india{TimeDisplay::Mode::FixedOffset, 5 * 60 + 30};
    QCOMPARE(QSettings().value(QStringLiteral("timeZone")).toString(), india.toSettingsString());
    // The window in the status bar, 24 h ending at the newest event (12:00Z), in that zone too.
    QVERIFY2(
        window.statusText().contains(QStringLiteral("Window: 2024-03-12 17:30 – 2024-03-13 17:30")),
        qPrintable(window.statusText()));
    // The toolbar's choice shows the half-hour zone too, not the UTC it started on.
    const auto combos = window.findChildren<QComboBox *>();
    const auto zone = std::find_if(combos.begin(), combos.end(), [](const QComboBox *combo) {
        return combo->accessibleName() == QStringLiteral("Time zone");
    });
    QVERIFY(zone != combos.end());
    QCOMPARE((*zone)->currentText(), QStringLiteral("UTC+05:30"));
    // The chart's title and first axis label follow once it redraws.
    QTRY_COMPARE(window.chartsPanel()->chart(Chart::OverTime)->title(),
                 QStringLiteral("Matches per 15 min (UTC+05:30)"));
    const auto axes = window.chartsPanel()->chart(Chart::OverTime)->axes(Qt::Horizontal);
    auto *axis = qobject_cast<QCategoryAxis *>(axes.value(0));
    QVERIFY(axis);
    QCOMPARE(axis->categoriesLabels().value(0), QStringLiteral("03-13 12:30"));
}

void tst_Workbench::sortOnWorkerReordersTheTable()
{
    MainWindow window;
    // Every result is "large", so sorting takes the worker path a million rows would.
    window.matchModel()->setSyncSortLimit(0);
    QVERIFY(openAndWait(window, caseWith(QStringLiteral("beacons.csv"))));
    QTableView *table = window.matchesView()->table();
    table->sortByColumn(window.matchModel()->column(Column::Time), Qt::DescendingOrder);
    QTRY_VERIFY(!window.matchModel()->isSorting());
    table->selectRow(6); // the oldest match: beacon.exe to 70.80.0.9:5600, at 07:00Z
    const int port = window.matchModel()->column(Column::RemotePort);
    table->sortByColumn(port, Qt::DescendingOrder);
    // Newest first, row 0 is port 4702; sorted by port descending it is rundll32's 20050.
    QTRY_COMPARE(window.matchProxy()->index(0, port).data().toInt(), 20050);
    QCOMPARE(window.matchProxy()->index(6, port).data().toInt(), 4702);
    QCOMPARE(table->horizontalHeader()->sortIndicatorSection(), port);
    QCOMPARE(table->horizontalHeader()->sortIndicatorOrder(), Qt::DescendingOrder);
    // The selection follows its match to row 1 (20050, 5600, ...); the breakdown still shows it.
    QCOMPARE(table->currentIndex().row(), 1);
    QCOMPARE(window.breakdownPanel()->fieldValue(QStringLiteral("RemotePort")),
             QStringLiteral("5600"));
}

void tst_Workbench::everyModelPassesTheTester()
{
    MainWindow window;
    window.matchModel()->setSyncSortLimit(0);
    window.matchProxy()->setSyncFilterLimit(0);
    using Mode = QAbstractItemModelTester::FailureReportingMode;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
    for (QAbstractItemModel *model :
         {static_cast<QAbstractItemModel *>(window.matchModel()),
          static_cast<QAbstractItemModel *>(window.matchProxy()),
          static_cast<QAbstractItemModel *>(window.groupModel()),
          window.groupsView()->table()->model(),
          static_cast<QAbstractItemModel *>(ActivityLog::instance()->model())}) {
        testers.push_back(std::make_unique<QAbstractItemModelTester>(model, Mode::QtTest));
    }
    QSignalSpy shown(&window, &MainWindow::resultShown);
    QVERIFY(openAndWait(window, caseWith(QStringLiteral("beacons.csv"))));
    QTableView *table = window.matchesView()->table();
    table->sortByColumn(window.matchModel()->column(Column::RemoteIp), Qt::DescendingOrder);
    QTRY_VERIFY(!window.matchModel()->isSorting());
    window.matchProxy()->setQuickFilter(QStringLiteral("ws-01"));
    QTRY_COMPARE(window.matchProxy()->rowCount(), 4);
    window.groupsView()->table()->sortByColumn(0, Qt::AscendingOrder);
    window.groupsView()->table()->selectRow(0);
    window.setTimeDisplay({TimeDisplay::Mode::FixedOffset, -5 * 60});
    window.groupsView()->clearSelection();
    window.matchProxy()->setQuickFilter(QString());
    QCOMPARE(window.matchProxy()->rowCount(), 7);
    shown.clear();
    window.importFiles({fixture(QStringLiteral("more.csv"))});
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 30000);
    QTRY_VERIFY(!window.matchModel()->isSorting());
    QCOMPARE(window.matchProxy()->rowCount(), 8);
}

QTEST_MAIN(tst_Workbench)
#include "tst_workbench.moc"
