// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "matchfixtures.h"

#include "views/breakdown.h"

#include <QTest>

using namespace Portent;

class tst_Breakdown : public QObject
{
    Q_OBJECT

private slots:
    void substituteOctets_data();
    void substituteOctets();
    void octetTile_data();
    void octetTile();
    void formulaLinesOfSeedRule();
    void clauseChecks();
    void clauseChecksFailures();
    void prettyJson_data();
    void prettyJson();
};

void tst_Breakdown::substituteOctets_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("expected");
    // 61.19.32.7 is the worked example of the issue: 61 × 19 + 32 = 1191.
    QTest::newRow("apt12Bare") << QStringLiteral("o1*o2+o3") << QStringLiteral("61 × 19 + 32");
    QTest::newRow("apt12AsSeed") << QStringLiteral("(o1*o2)+o3")
                                 << QStringLiteral("(61 × 19) + 32");
    QTest::newRow("variant") << QStringLiteral("o1*(o2+o3)") << QStringLiteral("61 × (19 + 32)");
    QTest::newRow("spacesAndConstant")
        << QStringLiteral(" o4 % 7 - 1 ") << QStringLiteral("7 % 7 - 1");
    QTest::newRow("unknownIdentifierKept") << QStringLiteral("o5+o1") << QStringLiteral("o5 + 61");
}

void tst_Breakdown::substituteOctets()
{
    QFETCH(QString, expression);
    QFETCH(QString, expected);
    QCOMPARE(Portent::substituteOctets(expression, {61, 19, 32, 7}), expected);
}

void tst_Breakdown::octetTile_data()
{
    QTest::addColumn<qint64>("value");
    QTest::addColumn<QString>("hex");
    QTest::addColumn<QString>("binary");
    QTest::newRow("61") << qint64(61) << QStringLiteral("0x3D") << QStringLiteral("0011 1101");
    QTest::newRow("0") << qint64(0) << QStringLiteral("0x00") << QStringLiteral("0000 0000");
    QTest::newRow("255") << qint64(255) << QStringLiteral("0xFF") << QStringLiteral("1111 1111");
    // KQL's toint(split()) yields 300 for "300.1.2.3"; no byte to show.
    QTest::newRow("outOfByte") << qint64(300) << QStringLiteral("—") << QStringLiteral("—");
}

void tst_Breakdown::octetTile()
{
    QFETCH(qint64, value);
    QFETCH(QString, hex);
    QFETCH(QString, binary);
    const OctetTile tile = Portent::octetTile(value);
    QCOMPARE(tile.decimal, QString::number(value));
    QCOMPARE(tile.hex, hex);
    QCOMPARE(tile.binary, binary);
}

void tst_Breakdown::formulaLinesOfSeedRule()
{
    const Match match = MatchFixtures::beacons().first(); // 103.45.67.89:4702
    const QList<FormulaLine> lines = formulaLines(match, DetectionRule::seed().formulas);
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines.at(0).arithmetic, QStringLiteral("(103 × 45) + 67 = 4702"));
    QVERIFY(lines.at(0).equalsPort);
    QCOMPARE(lines.at(0).verdict, QStringLiteral("= RemotePort 4702"));
    QCOMPARE(lines.at(1).arithmetic, QStringLiteral("103 × (45 + 67) = 11536"));
    QVERIFY(!lines.at(1).equalsPort);
    QCOMPARE(lines.at(1).verdict, QStringLiteral("≠ RemotePort 4702"));

    const auto tiles = octetTiles(match);
    QCOMPARE(tiles.at(3).decimal, QStringLiteral("89")); // from the address, not the rule
}

void tst_Breakdown::clauseChecks()
{
    const Match match = MatchFixtures::beacons().first();
    const QVariantMap event{{QStringLiteral("action_type"), QStringLiteral("ConnectionSuccess")},
                            {QStringLiteral("remote_ip_type"), QStringLiteral("Public")}};
    EffectiveWindow window;
    window.fromTicks = MatchFixtures::at("2024-03-12T12:00:00Z");
    window.toTicks = MatchFixtures::at("2024-03-13T12:00:00Z");
    const QList<ClauseCheck> checks
        = Portent::clauseChecks(DetectionRule::defaults(), match, event, window);
    QCOMPARE(checks.size(), 8);
    for (const ClauseCheck &check : checks) {
        QVERIFY2(check.passed, qPrintable(check.clause));
    }
}

void tst_Breakdown::clauseChecksFailures()
{
    // What a near miss shows: svchost.exe, a private address, ConnectionFailed, outside window.
    Match match = MatchFixtures::beacons().first();
    match.processName = QStringLiteral("SVCHOST.EXE");
    const QVariantMap event{{QStringLiteral("action_type"), QStringLiteral("ConnectionFailed")},
                            {QStringLiteral("remote_ip_type"), QStringLiteral("Private")}};
    EffectiveWindow window;
    window.fromTicks = MatchFixtures::at("2024-03-13T12:00:00Z"); // exclusive
    const QList<ClauseCheck> checks
        = Portent::clauseChecks(DetectionRule::defaults(), match, event, window);
    QStringList failed;
    for (const ClauseCheck &check : checks) {
        if (!check.passed) {
            failed.append(check.actual);
        }
    }
    QCOMPARE(failed,
             (QStringList{QStringLiteral("2024-03-13T12:00:00.0000000Z"),
                          QStringLiteral("ConnectionFailed"),
                          QStringLiteral("Private"),
                          QStringLiteral("SVCHOST.EXE")}));

    // In another zone the time reads in that zone first, the exact UTC instant after it.
    const QList<ClauseCheck> inIndia
        = Portent::clauseChecks(DetectionRule::defaults(),
                                match,
                                event,
                                window,
                                TimeDisplay{TimeDisplay::Mode::FixedOffset, 5 * 60 + 30});
    QCOMPARE(inIndia.first().actual,
             QStringLiteral("2024-03-13 17:30:00.000 +05:30, 2024-03-13T12:00:00.0000000Z"));
}

void tst_Breakdown::prettyJson_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("object") << QStringLiteral("{\"a\":1}") << QStringLiteral("{\n    \"a\": 1\n}");
    QTest::newRow("notJson") << QStringLiteral("plain") << QStringLiteral("plain");
    QTest::newRow("empty") << QString() << QString();
}

void tst_Breakdown::prettyJson()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(Portent::prettyJson(text), expected);
}

QTEST_GUILESS_MAIN(tst_Breakdown)
#include "tst_breakdown.moc"
