// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "matchfixtures.h"

#include "views/beacongroups.h"

#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace Portent;

class tst_BeaconGroups : public QObject
{
    Q_OBJECT

private slots:
    void groupsByDeviceProcessAddressFormula();
    void samePairDifferentFormulaSplits();
    void portsAreDistinctAndSorted();
    void formatPorts_data();
    void formatPorts();
    void modelTester();
    void modelSortsCountsNumerically();
};

void tst_BeaconGroups::groupsByDeviceProcessAddressFormula()
{
    const QList<BeaconGroup> groups = groupMatches(MatchFixtures::beacons());
    // implant.exe x3, update.exe x2, beacon.exe x1, rundll32.exe x1.
    QCOMPARE(groups.size(), 4);
    QCOMPARE(groups.at(0).key.process, QStringLiteral("implant.exe"));
    QCOMPARE(groups.at(0).count, 3);
    QCOMPARE(groups.at(0).firstSeen, MatchFixtures::at("2024-03-13T10:00:00Z"));
    QCOMPARE(groups.at(0).lastSeen, MatchFixtures::at("2024-03-13T12:00:00Z"));
    QCOMPARE(groups.at(0).ports, QList<int>{4702});
    QCOMPARE(groups.at(1).key.process, QStringLiteral("update.exe"));
    QCOMPARE(groups.at(1).count, 2);
    // Equal counts: the most recent group first (rundll32 at 11:30 before beacon at 07:00).
    QCOMPARE(groups.at(2).key.process, QStringLiteral("rundll32.exe"));
    QCOMPARE(groups.at(3).key.process, QStringLiteral("beacon.exe"));
}

void tst_BeaconGroups::samePairDifferentFormulaSplits()
{
    QList<Match> matches = MatchFixtures::beacons().mid(0, 1);
    Match other = matches.first();
    other.matchedFormula = QStringLiteral("Both formulas");
    matches.append(other);
    QCOMPARE(groupMatches(matches).size(), 2);
}

void tst_BeaconGroups::portsAreDistinctAndSorted()
{
    // One implant rotating its address: same device, process, IP, formula, three ports.
    QList<Match> matches;
    for (int port : {5000, 4800, 5000, 4702}) {
        Match match = MatchFixtures::beacons().first();
        match.remotePort = port;
        matches.append(match);
    }
    const QList<BeaconGroup> groups = groupMatches(matches);
    QCOMPARE(groups.size(), 1);
    QCOMPARE(groups.first().count, 4);
    QCOMPARE(groups.first().ports, (QList<int>{4702, 4800, 5000}));
}

void tst_BeaconGroups::formatPorts_data()
{
    QTest::addColumn<QList<int>>("ports");
    QTest::addColumn<int>("maxShown");
    QTest::addColumn<QString>("expected");
    QTest::newRow("one") << QList<int>{4702} << 6 << QStringLiteral("4702");
    QTest::newRow("three") << QList<int>{1, 2, 3} << 6 << QStringLiteral("1, 2, 3");
    QTest::newRow("truncated") << QList<int>{1, 2, 3, 4} << 2 << QStringLiteral("1, 2 … (+2)");
    QTest::newRow("none") << QList<int>{} << 6 << QString();
}

void tst_BeaconGroups::formatPorts()
{
    QFETCH(QList<int>, ports);
    QFETCH(int, maxShown);
    QFETCH(QString, expected);
    QCOMPARE(Portent::formatPorts(ports, maxShown), expected);
}

void tst_BeaconGroups::modelTester()
{
    BeaconGroupModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setGroups(groupMatches(MatchFixtures::beacons()));
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.index(0, int(BeaconGroupModel::Column::FirstSeen)).data().toString(),
             QStringLiteral("2024-03-13 10:00:00.000 UTC"));
    model.setTimeDisplay({TimeDisplay::Mode::FixedOffset, 60});
    QCOMPARE(model.index(0, int(BeaconGroupModel::Column::FirstSeen)).data().toString(),
             QStringLiteral("2024-03-13 11:00:00.000 +01:00"));
    model.setGroups({});
}

void tst_BeaconGroups::modelSortsCountsNumerically()
{
    QList<Match> matches = MatchFixtures::beacons();
    // Ten more rundll32 matches: 11 sorts above 3 numerically, below it as text.
    for (int i = 0; i < 10; ++i) {
        matches.append(matches.at(1));
    }
    BeaconGroupModel model;
    model.setGroups(groupMatches(matches));
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(BeaconGroupModel::SortRole);
    proxy.sort(int(BeaconGroupModel::Column::Matches), Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, int(BeaconGroupModel::Column::Matches)).data().toLongLong(), 11);
    QCOMPARE(proxy.index(1, int(BeaconGroupModel::Column::Matches)).data().toLongLong(), 3);
}

QTEST_GUILESS_MAIN(tst_BeaconGroups)
#include "tst_beacongroups.moc"
