// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "matchfixtures.h"

#include "views/matchfilterproxy.h"
#include "views/matchtablemodel.h"

#include <QAbstractItemModelTester>
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
    QAbstractItemModelTester modelTest(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTest(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
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

    // 20050 is the largest port; a text sort would put it before 4702.
    QTest::newRow("portAscendingIsNumeric")
        << int(Column::RemotePort) << Qt::AscendingOrder
        << QStringList{QStringLiteral("4702"), QStringLiteral("4702"), QStringLiteral("4702"),
                       QStringLiteral("4800"), QStringLiteral("4800"), QStringLiteral("5600"),
                       QStringLiteral("20050")};
    // PID 10234 is larger than 912 and 4321 although it sorts first as text.
    QTest::newRow("pidDescendingIsNumeric")
        << int(Column::ProcessId) << Qt::DescendingOrder
        << QStringList{QStringLiteral("10234"), QStringLiteral("10234"), QStringLiteral("4321"),
                       QStringLiteral("912"), QStringLiteral("912"), QStringLiteral("912"),
                       QStringLiteral("777")};
    // 60.70.10.1 < 70.80.0.9 < 103.45.67.89 < 200.100.50.7 as addresses; as text "103" first.
    QTest::newRow("ipAscendingIsNumeric")
        << int(Column::RemoteIp) << Qt::AscendingOrder
        << QStringList{QStringLiteral("60.70.10.1"),   QStringLiteral("60.70.10.1"),
                       QStringLiteral("70.80.0.9"),    QStringLiteral("103.45.67.89"),
                       QStringLiteral("103.45.67.89"), QStringLiteral("103.45.67.89"),
                       QStringLiteral("200.100.50.7")};
    QTest::newRow("timeAscendingIsChronological")
        << int(Column::Time) << Qt::AscendingOrder
        << QStringList{QStringLiteral("2024-03-13 07:00:00.000 UTC"),
                       QStringLiteral("2024-03-13 08:15:00.000 UTC"),
                       QStringLiteral("2024-03-13 09:30:00.000 UTC"),
                       QStringLiteral("2024-03-13 10:00:00.000 UTC"),
                       QStringLiteral("2024-03-13 11:00:00.000 UTC"),
                       QStringLiteral("2024-03-13 11:30:00.000 UTC"),
                       QStringLiteral("2024-03-13 12:00:00.000 UTC")};
}

void tst_MatchTableModel::sortsLikeTheValues()
{
    QFETCH(int, column);
    QFETCH(Qt::SortOrder, order);
    QFETCH(QStringList, expected);

    MatchTableModel model;
    MatchFilterProxy proxy;
    proxy.setSourceModel(&model);
    model.setMatches(MatchFixtures::beacons(), MatchFixtures::formulaLabels());
    proxy.sort(column, order);
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
    const QVariant time = model.index(0, model.column(Column::Time)).data(MatchTableModel::SortRole);
    QCOMPARE(time.typeId(), QMetaType::LongLong);
    QCOMPARE(time.toLongLong(), MatchFixtures::at("2024-03-13T12:00:00Z"));
    const QVariant port = model.index(1, model.column(Column::RemotePort))
                              .data(MatchTableModel::SortRole);
    QCOMPARE(port.typeId(), QMetaType::LongLong);
    QCOMPARE(port.toLongLong(), 20050);
    QCOMPARE(MatchTableModel::SortRole, Qt::UserRole + 1);
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
    proxy.setGroupFilter(BeaconGroupKey{QStringLiteral("ws-02"), QStringLiteral("update.exe"),
                                        QStringLiteral("60.70.10.1"),
                                        QStringLiteral("Variant: oct1*(oct2+oct3)")});
    QCOMPARE(proxy.rowCount(), 2);
    QCOMPARE(proxy.sourceRows(), (QList<int>{4, 5}));
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
