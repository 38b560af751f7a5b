// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "matchfixtures.h"

#include "views/matchfilterproxy.h"
#include "views/matchtablemodel.h"

#include <QAbstractItemModelTester>
#include <QPersistentModelIndex>
#include <QSignalSpy>
#include <QTest>

using namespace Portent;
using Column = MatchTableModel::Column;

class tst_MatchTableModel : public QObject
{
    Q_OBJECT

private slots:
    void modelTester();
    void columnLayout();
    void sortsLikeTheValues_data();
    void sortsLikeTheValues();
    void sortRoleIsTyped();
    void sortOnWorkerKeepsCurrentMatch();
    void newerSortOrResultWins();
    void unsortedIsEngineOrder();
    void filterOnWorker();
    void quickFilter_data();
    void quickFilter();
    void groupFilter();
    void timeDisplayChangesText();
    void resetOnlyOnNewRun();
};

namespace {

QList<QVariant> columnValues(const QAbstractItemModel &model, int column)
{
    QList<QVariant> values;
    for (int row = 0; row < model.rowCount(); ++row) {
        values.append(model.index(row, column).data());
    }
    return values;
}

} // namespace

void tst_MatchTableModel::modelTester()
{
    MatchTableModel model;
    MatchFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester modelTest(&model,
                                       QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTest(&proxy,
                                       QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMatches(MatchFixtures::beacons(), MatchFixtures::formulaLabels());
    proxy.sort(model.column(Column::RemotePort));
    proxy.setQuickFilter(QStringLiteral("implant"));
    proxy.setQuickFilter(QString());
    model.setMatches({}, {});
    QCOMPARE(proxy.rowCount(), 0);
}

void tst_MatchTableModel::columnLayout()
{
    MatchTableModel model;
    model.setMatches(MatchFixtures::beacons(), MatchFixtures::formulaLabels());
    // 13 fixed columns before the formulas, two CalcPort columns, MatchedFormula and Score.
    QCOMPARE(model.columnCount(), 17);
    QCOMPARE(model.column(Column::CalcPort, 1), 14);
    QCOMPARE(model.column(Column::MatchedFormula), 15);
    QCOMPARE(model.columnKind(16), Column::MatchScore);
    // The seed's column names: CalcPort_APT12 and CalcPort_Variant.
    QCOMPARE(model.headerData(13, Qt::Horizontal).toString(), QStringLiteral("CalcPort_APT12"));
    QCOMPARE(model.headerData(14, Qt::Horizontal).toString(), QStringLiteral("CalcPort_Variant"));
    // Row 0 is 103.45.67.89:4702: (103*45)+67 = 4702, 103*(45+67) = 11536.
    QCOMPARE(model.index(0, 13).data().toString(), QStringLiteral("4702"));
    QCOMPARE(model.index(0, 14).data().toString(), QStringLiteral("11536"));
}

void tst_MatchTableModel::sortsLikeTheValues_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<Qt::SortOrder>("order");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<bool>("worker");

    struct Case
    {
        const char *tag;
        Column column;
        Qt::SortOrder order;
        QStringList expected;
    };
    const QList<Case> cases = {
        // 20050 is the largest port; a text sort would put it before 4702.
        {"portAscendingIsNumeric",
         Column::RemotePort,
         Qt::AscendingOrder,
         {QStringLiteral("4702"),
          QStringLiteral("4702"),
          QStringLiteral("4702"),
          QStringLiteral("4800"),
          QStringLiteral("4800"),
          QStringLiteral("5600"),
          QStringLiteral("20050")}},
        // PID 10234 is larger than 912 and 4321 although it sorts first as text.
        {"pidDescendingIsNumeric",
         Column::ProcessId,
         Qt::DescendingOrder,
         {QStringLiteral("10234"),
          QStringLiteral("10234"),
          QStringLiteral("4321"),
          QStringLiteral("912"),
          QStringLiteral("912"),
          QStringLiteral("912"),
          QStringLiteral("777")}},
        // 60.70.10.1 < 70.80.0.9 < 103.45.67.89 < 200.100.50.7 as addresses; as text "103" first.
        {"ipAscendingIsNumeric",
         Column::RemoteIp,
         Qt::AscendingOrder,
         {QStringLiteral("60.70.10.1"),
          QStringLiteral("60.70.10.1"),
          QStringLiteral("70.80.0.9"),
          QStringLiteral("103.45.67.89"),
          QStringLiteral("103.45.67.89"),
          QStringLiteral("103.45.67.89"),
          QStringLiteral("200.100.50.7")}},
        {"timeAscendingIsChronological",
         Column::Time,
         Qt::AscendingOrder,
         {QStringLiteral("2024-03-13 07:00:00.000 UTC"),
          QStringLiteral("2024-03-13 08:15:00.000 UTC"),
          QStringLiteral("2024-03-13 09:30:00.000 UTC"),
          QStringLiteral("2024-03-13 10:00:00.000 UTC"),
          QStringLiteral("2024-03-13 11:00:00.000 UTC"),
          QStringLiteral("2024-03-13 11:30:00.000 UTC"),
          QStringLiteral("2024-03-13 12:00:00.000 UTC")}},
        // Process names as an analyst reads them: alphabetical, ignoring case.
        {"processAscendingIsAlphabetical",
         Column::Process,
         Qt::AscendingOrder,
         {QStringLiteral("beacon.exe"),
          QStringLiteral("implant.exe"),
          QStringLiteral("implant.exe"),
          QStringLiteral("implant.exe"),
          QStringLiteral("rundll32.exe"),
          QStringLiteral("update.exe"),
          QStringLiteral("update.exe")}},
    };
    // Each case twice: sorted on the calling thread (small result) and on a worker (as a
    // million-row result would be).
    for (const Case &sortCase : cases) {
        for (const bool worker : {false, true}) {
            QTest::addRow("%s-%s", sortCase.tag, worker ? "worker" : "inline")
                << int(sortCase.column) << sortCase.order << sortCase.expected << worker;
        }
    }
}

void tst_MatchTableModel::sortsLikeTheValues()
{
    QFETCH(int, column);
    QFETCH(Qt::SortOrder, order);
    QFETCH(QStringList, expected);
    QFETCH(bool, worker);

    MatchTableModel model;
    MatchFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester proxyTest(&proxy,
                                       QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSyncSortLimit(worker ? 0 : MatchTableModel::DefaultSyncSortLimit);
    model.setMatches(MatchFixtures::beacons(), MatchFixtures::formulaLabels());
    proxy.sort(column, order);
    if (worker) {
        // Time ascending on a newest-first result is a reversal, computed on the worker too.
        QVERIFY(model.isSorting());
        QTRY_VERIFY(!model.isSorting());
    }
    QCOMPARE(model.sortColumn(), column);
    QStringList actual;
    for (const QVariant &value : columnValues(proxy, column)) {
        actual.append(value.toString());
    }
    QCOMPARE(actual, expected);
}

void tst_MatchTableModel::sortRoleIsTyped()
{
    MatchTableModel model;
    model.setMatches(MatchFixtures::beacons(), MatchFixtures::formulaLabels());
    const QVariant time
        = model.index(0, model.column(Column::Time)).data(MatchTableModel::SortRole);
    QCOMPARE(time.typeId(), QMetaType::LongLong);
    QCOMPARE(time.toLongLong(), MatchFixtures::at("2024-03-13T12:00:00Z"));
    const QVariant port
        = model.index(1, model.column(Column::RemotePort)).data(MatchTableModel::SortRole);
    QCOMPARE(port.typeId(), QMetaType::LongLong);
    QCOMPARE(port.toLongLong(), 20050);
    QCOMPARE(MatchTableModel::SortRole, Qt::UserRole + 1);
}

void tst_MatchTableModel::sortOnWorkerKeepsCurrentMatch()
{
    MatchTableModel model;
    model.setSyncSortLimit(0);
    model.setMatches(MatchFixtures::beacons(), MatchFixtures::formulaLabels());
    QSignalSpy sorting(&model, &MatchTableModel::sortingChanged);
    QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);
    // The analyst has the rundll32 beacon (event 2, port 20050, row 1) selected.
    const QPersistentModelIndex selected = model.index(1, 0);
    model.sort(model.column(Column::RemotePort), Qt::AscendingOrder);
    QVERIFY(model.isSorting());
    QCOMPARE(layout.count(), 0);
    QTRY_VERIFY(!model.isSorting());
    QCOMPARE(sorting.count(), 2);
    QCOMPARE(layout.count(), 1);
    QCOMPARE(model.index(0, model.column(Column::RemotePort)).data().toInt(), 4702);
    // The largest port is now the last of seven rows, and the selection went with it.
    QCOMPARE(selected.row(), 6);
    QCOMPARE(selected.data(MatchTableModel::EventIdRole).toLongLong(), 2);
    QCOMPARE(model.matchIndex(6), 1);
    QCOMPARE(model.matchAt(6).remotePort, 20050);
}

void tst_MatchTableModel::newerSortOrResultWins()
{
    MatchTableModel model;
    model.setSyncSortLimit(0);
    model.setMatches(MatchFixtures::beacons(), MatchFixtures::formulaLabels());
    QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);
    // Two header clicks in a row: only the second order is applied.
    model.sort(model.column(Column::RemotePort), Qt::AscendingOrder);
    model.sort(model.column(Column::ProcessId), Qt::AscendingOrder);
    QTRY_VERIFY(!model.isSorting());
    QCOMPARE(layout.count(), 1);
    QCOMPARE(model.index(0, model.column(Column::ProcessId)).data().toString(),
             QStringLiteral("777"));
    // A new run's two matches arrive while a sort by port descending runs: the new result is
    // sorted by port descending, and the stale order (for seven rows) never lands.
    model.sort(model.column(Column::RemotePort), Qt::DescendingOrder);
    model.setMatches(MatchFixtures::beacons().mid(0, 2), MatchFixtures::formulaLabels());
    QTRY_VERIFY(!model.isSorting());
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, model.column(Column::RemotePort)).data().toInt(), 20050);
    QCOMPARE(model.index(1, model.column(Column::RemotePort)).data().toInt(), 4702);
}

void tst_MatchTableModel::unsortedIsEngineOrder()
{
    MatchTableModel model;
    model.setMatches(MatchFixtures::beacons(), MatchFixtures::formulaLabels());
    model.sort(model.column(Column::RemotePort), Qt::AscendingOrder);
    QCOMPARE(model.matchIndex(0), 0);
    QCOMPARE(model.matchIndex(6), 1);
    model.sort(-1);
    for (int row = 0; row < model.rowCount(); ++row) {
        QCOMPARE(model.matchIndex(row), row);
    }
    // The engine reports newest first, so the default sort is that same order.
    model.sort(model.column(Column::Time), Qt::DescendingOrder);
    QCOMPARE(
        model.index(0, model.column(Column::Time)).data(MatchTableModel::EventIdRole).toLongLong(),
        1);
    QCOMPARE(model.matchIndex(6), 6);
}

void tst_MatchTableModel::filterOnWorker()
{
    MatchTableModel model;
    MatchFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester proxyTest(&proxy,
                                       QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setSyncFilterLimit(0);
    model.setMatches(MatchFixtures::beacons(), MatchFixtures::formulaLabels());
    QSignalSpy filtering(&proxy, &MatchFilterProxy::filteringChanged);
    proxy.setQuickFilter(QStringLiteral("implant"));
    // Until the worker answers, the previous (empty) filter stays applied.
    QVERIFY(proxy.isFiltering());
    QCOMPARE(proxy.rowCount(), 7);
    QTRY_COMPARE(proxy.rowCount(), 3);
    QCOMPARE(filtering.count(), 2);
    // The filter is per match, so re-sorting keeps it: implant.exe is events 1, 3 and 4.
    model.sort(model.column(Column::Time), Qt::AscendingOrder);
    QCOMPARE(proxy.matchIndexes(), (QList<int>{3, 2, 0}));
    // A new result with the filter on shows nothing until its own filter pass is done, rather
    // than rows the filter would hide.
    model.setMatches(MatchFixtures::beacons().mid(0, 3), MatchFixtures::formulaLabels());
    QVERIFY(proxy.isFiltering());
    QCOMPARE(proxy.rowCount(), 0);
    QTRY_COMPARE(proxy.rowCount(), 2);
    proxy.setQuickFilter(QString());
    QCOMPARE(proxy.rowCount(), 3);
}

void tst_MatchTableModel::quickFilter_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("rows");

    QTest::newRow("processCaseInsensitive") << QStringLiteral("IMPLANT") << 3;
    QTest::newRow("deviceAcrossProcesses") << QStringLiteral("ws-01") << 4;
    QTest::newRow("addressPrefix") << QStringLiteral("60.70.") << 2;
    QTest::newRow("formulaLabel") << QStringLiteral("Both formulas") << 1;
    QTest::newRow("exactPort") << QStringLiteral("20050") << 1;
    QTest::newRow("noMatch") << QStringLiteral("lsass") << 0;
    QTest::newRow("blankShowsAll") << QStringLiteral("   ") << 7;
}

void tst_MatchTableModel::quickFilter()
{
    QFETCH(QString, text);
    QFETCH(int, rows);
    MatchTableModel model;
    MatchFilterProxy proxy;
    proxy.setSourceModel(&model);
    model.setMatches(MatchFixtures::beacons(), MatchFixtures::formulaLabels());
    proxy.setQuickFilter(text);
    QCOMPARE(proxy.rowCount(), rows);
}

void tst_MatchTableModel::groupFilter()
{
    MatchTableModel model;
    MatchFilterProxy proxy;
    proxy.setSourceModel(&model);
    model.setMatches(MatchFixtures::beacons(), MatchFixtures::formulaLabels());
    proxy.setGroupFilter(BeaconGroupKey{QStringLiteral("ws-02"),
                                        QStringLiteral("update.exe"),
                                        QStringLiteral("60.70.10.1"),
                                        QStringLiteral("Variant: oct1*(oct2+oct3)")});
    QCOMPARE(proxy.rowCount(), 2);
    QCOMPARE(proxy.matchIndexes(), (QList<int>{4, 5}));
    // Group and quick filter combine.
    proxy.setQuickFilter(QStringLiteral("implant"));
    QCOMPARE(proxy.rowCount(), 0);
    proxy.setGroupFilter(std::nullopt);
    QCOMPARE(proxy.rowCount(), 3);
}

void tst_MatchTableModel::timeDisplayChangesText()
{
    MatchTableModel model;
    model.setMatches(MatchFixtures::beacons(), MatchFixtures::formulaLabels());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setTimeDisplay({TimeDisplay::Mode::FixedOffset, 2 * 60});
    QCOMPARE(changed.count(), 1);
    // 12:00Z shown at +02:00.
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("2024-03-13 14:00:00.000 +02:00"));
    QCOMPARE(model.headerData(0, Qt::Horizontal).toString(),
             QStringLiteral("Timestamp (UTC+02:00)"));
}

void tst_MatchTableModel::resetOnlyOnNewRun()
{
    MatchTableModel model;
    model.setMatches(MatchFixtures::beacons(), MatchFixtures::formulaLabels());
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setTimeDisplay({TimeDisplay::Mode::FixedOffset, -5 * 60});
    QCOMPARE(reset.count(), 0);
    model.setMatches(MatchFixtures::beacons().mid(0, 2), MatchFixtures::formulaLabels());
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 2);
}

QTEST_GUILESS_MAIN(tst_MatchTableModel)
#include "tst_matchtablemodel.moc"
