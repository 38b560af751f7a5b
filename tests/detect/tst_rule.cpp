// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "detect/rule.h"

#include "core/ticks.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Portent;
using namespace Qt::StringLiterals;

class tst_Rule : public QObject
{
    Q_OBJECT

private slots:
    void seedMatchesReferenceHunt();
    void defaultsDifferOnlyInWindow();
    void jsonRoundTrip_data();
    void jsonRoundTrip();
    void jsonErrorsNameTheField_data();
    void jsonErrorsNameTheField();
    void validateNamesClause_data();
    void validateNamesClause();
    void matchedFormulaLabels();
    void calcPortColumns();
    void timespans_data();
    void timespans();
    void isoTimes();
};

void tst_Rule::seedMatchesReferenceHunt()
{
    // Clause for clause from the reference KQL hunt.
    const DetectionRule seed = DetectionRule::seed();
    QCOMPARE(seed.window.kind, TimeWindow::Kind::RelativeToNow);
    QCOMPARE(seed.window.lengthTicks, 24 * 3600 * 10'000'000LL);
    QCOMPARE(seed.actionTypes, (QStringList{u"ConnectionSuccess"_s, u"ConnectionAttempt"_s}));
    QVERIFY(seed.requireRemoteIp);
    QCOMPARE(seed.remoteIpTypes, QStringList{u"Public"_s});
    QCOMPARE(seed.ipTypeSource, IpTypeSource::Column);
    QCOMPARE(seed.octetSource, OctetSource::KqlSplit);
    QCOMPARE(seed.portMin, 4096);
    QCOMPARE(seed.portMax, 49151);
    QCOMPARE(seed.excludedPorts,
             (QList<int>{8080, 8443, 8000, 8888, 9090, 9200, 9300, 9418, 27017, 27018, 28017}));
    QCOMPARE(seed.formulas.size(), 2);
    QCOMPARE(seed.formulas[0].label, QStringLiteral("APT12: (oct1*oct2)+oct3"));
    QCOMPARE(seed.formulas[1].label, QStringLiteral("Variant: oct1*(oct2+oct3)"));
    QCOMPARE(seed.excludedProcesses,
             (QStringList{u"svchost.exe"_s, u"lsass.exe"_s, u"services.exe"_s, u"wininit.exe"_s}));
    QCOMPARE(seed.outputColumns,
             (QStringList{u"Timestamp"_s,
                          u"DeviceName"_s,
                          u"AccountName"_s,
                          u"InitiatingProcessFileName"_s,
                          u"InitiatingProcessFolderPath"_s,
                          u"InitiatingProcessCommandLine"_s,
                          u"InitiatingProcessId"_s,
                          u"RemoteUrl"_s,
                          u"RemoteIP"_s,
                          u"RemotePort"_s,
                          u"Oct1"_s,
                          u"Oct2"_s,
                          u"Oct3"_s,
                          u"CalcPort_APT12"_s,
                          u"CalcPort_Variant"_s,
                          u"MatchedFormula"_s,
                          u"MatchScore"_s}));
    QVERIFY(seed.newestFirst);
    QVERIFY2(seed.validate().hasValue(), qPrintable(seed.validate().errorMessage()));
}

void tst_Rule::defaultsDifferOnlyInWindow()
{
    DetectionRule defaults = DetectionRule::defaults();
    QCOMPARE(defaults.window.kind, TimeWindow::Kind::EndingAtNewestEvent);
    QCOMPARE(defaults.window.lengthTicks, 24 * TicksPerHour);
    defaults.window.kind = TimeWindow::Kind::RelativeToNow;
    QCOMPARE(defaults, DetectionRule::seed());
}

void tst_Rule::jsonRoundTrip_data()
{
    QTest::addColumn<DetectionRule>("rule");

    QTest::newRow("seed") << DetectionRule::seed();
    QTest::newRow("defaults") << DetectionRule::defaults();

    // A responder's tuned copy: every field away from the seed.
    DetectionRule tuned = DetectionRule::defaults();
    tuned.name = QStringLiteral("Tuned \"APT12\" hunt, λ");
    tuned.window.kind = TimeWindow::Kind::Absolute;
    tuned.window.fromTicks = 17103120130000000LL + 1234567; // sub-millisecond ticks survive
    tuned.window.toTicks = 17103120130000000LL + 7 * TicksPerDay;
    tuned.window.lengthTicks = 90 * TicksPerMinute;
    tuned.actionTypes = {QStringLiteral("ConnectionSuccess")};
    tuned.requireRemoteIp = false;
    tuned.remoteIpTypes = {QStringLiteral("Public"), QStringLiteral("Private")};
    tuned.ipTypeSource = IpTypeSource::ColumnOrAddress;
    tuned.octetSource = OctetSource::StrictIpv4;
    tuned.portMin = 1024;
    tuned.portMax = 65535;
    tuned.excludedPorts = {};
    tuned.formulas.append({QStringLiteral("Low: o4*256+o3"), QStringLiteral("o4*256+o3")});
    tuned.excludedProcesses = {QStringLiteral("teams.exe")};
    tuned.outputColumns = {QStringLiteral("Timestamp"), QStringLiteral("RemoteIP")};
    tuned.newestFirst = false;
    QTest::newRow("tuned") << tuned;

    DetectionRule allTime = DetectionRule::defaults();
    allTime.window = TimeWindow{TimeWindow::Kind::AllTime, 3 * TicksPerDay, {}, {}};
    QTest::newRow("all-time") << allTime;
}

void tst_Rule::jsonRoundTrip()
{
    QFETCH(DetectionRule, rule);

    // Through text, as a rule file on disk.
    const QByteArray text = QJsonDocument(rule.toJson()).toJson();
    const Expected<DetectionRule> read
        = DetectionRule::fromJson(QJsonDocument::fromJson(text).object());
    QVERIFY2(read.hasValue(), qPrintable(read.errorMessage()));
    QCOMPARE(*read, rule);
}

void tst_Rule::jsonErrorsNameTheField_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("fragment");

    QTest::newRow("port-text") << QByteArray(R"({"portMin": "4096"})") << "\"portMin\"";
    QTest::newRow("port-fraction") << QByteArray(R"({"portMax": 4096.5})") << "\"portMax\"";
    QTest::newRow("formula-no-label")
        << QByteArray(R"({"formulas": [{"expression": "o1"}]})") << "\"formulas\"";
    QTest::newRow("window-kind") << QByteArray(R"({"window": {"kind": "lastWeek"}})")
                                 << "\"window.kind\"";
    QTest::newRow("window-length") << QByteArray(R"({"window": {"kind": "relativeToNow",
                                                    "length": "one day"}})")
                                   << "\"window.length\"";
    QTest::newRow("window-from") << QByteArray(R"({"window": {"kind": "absolute",
                                                  "from": "13/03/2024"}})")
                                 << "\"window.from\"";
    QTest::newRow("octet-source") << QByteArray(R"({"octetSource": "dotted"})")
                                  << "\"octetSource\"";
    QTest::newRow("action-types") << QByteArray(R"({"actionTypes": [1, 2]})") << "\"actionTypes\"";
    QTest::newRow("newer-format") << QByteArray(R"({"portentRule": 99})") << "newer Portent";
    QTest::newRow("unknown-field") << QByteArray(R"({"portmin": 1})")
                                   << "\"portmin\" is not one Portent knows. Did you mean "
                                      "\"portMin\"?";
    QTest::newRow("unknown-window-field")
        << QByteArray(R"({"window": {"kind": "relativeToNow", "lenght": "1d"}})")
        << "\"window.lenght\" is not one";
}

void tst_Rule::jsonErrorsNameTheField()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, fragment);

    const Expected<DetectionRule> read
        = DetectionRule::fromJson(QJsonDocument::fromJson(json).object());
    QVERIFY(!read.hasValue());
    QVERIFY2(read.errorMessage().contains(fragment), qPrintable(read.errorMessage()));
}

void tst_Rule::validateNamesClause_data()
{
    QTest::addColumn<DetectionRule>("rule");
    QTest::addColumn<QString>("fragment");

    DetectionRule rule = DetectionRule::defaults();
    rule.portMin = 50000;
    QTest::newRow("inverted-range") << rule << "Port range";
    rule = DetectionRule::defaults();
    rule.excludedPorts.append(70000);
    QTest::newRow("excluded-not-port") << rule << "70000";
    rule = DetectionRule::defaults();
    rule.formulas.clear();
    QTest::newRow("no-formulas") << rule << "at least one formula";
    rule = DetectionRule::defaults();
    rule.formulas[0].expression = QStringLiteral("o1*o2+");
    QTest::newRow("bad-formula") << rule << "o1*o2+";
    rule = DetectionRule::defaults();
    rule.formulas[1].label = rule.formulas[0].label;
    QTest::newRow("duplicate-label") << rule << "used twice";
    rule = DetectionRule::defaults();
    rule.window.lengthTicks = 0;
    QTest::newRow("zero-window") << rule << "Time window";
    rule = DetectionRule::defaults();
    rule.window = TimeWindow{TimeWindow::Kind::Absolute, 0, 20, 10};
    QTest::newRow("absolute-inverted") << rule << "start is after the end";
    rule = DetectionRule::defaults();
    rule.outputColumns.append(QStringLiteral("LocalIP"));
    QTest::newRow("unknown-column") << rule << "\"LocalIP\"";
}

void tst_Rule::validateNamesClause()
{
    QFETCH(DetectionRule, rule);
    QFETCH(QString, fragment);

    const Status status = rule.validate();
    QVERIFY(!status.hasValue());
    QVERIFY2(status.errorMessage().contains(fragment), qPrintable(status.errorMessage()));
}

void tst_Rule::matchedFormulaLabels()
{
    const DetectionRule seed = DetectionRule::seed();
    QCOMPARE(seed.matchedFormulaLabel({true, true}), QStringLiteral("Both formulas"));
    QCOMPARE(seed.matchedFormulaLabel({true, false}), QStringLiteral("APT12: (oct1*oct2)+oct3"));
    QCOMPARE(seed.matchedFormulaLabel({false, true}), QStringLiteral("Variant: oct1*(oct2+oct3)"));
    QCOMPARE(seed.matchedFormulaLabel({false, false}), QString());

    DetectionRule three = seed;
    three.formulas.append({QStringLiteral("Sum"), QStringLiteral("o1+o2+o3")});
    QCOMPARE(three.matchedFormulaLabel({true, false, true}),
             QStringLiteral("APT12: (oct1*oct2)+oct3 + Sum"));
    QCOMPARE(three.matchedFormulaLabel({true, true, true}),
             QStringLiteral("APT12: (oct1*oct2)+oct3 + Variant: oct1*(oct2+oct3) + Sum"));
}

void tst_Rule::calcPortColumns()
{
    DetectionRule rule = DetectionRule::seed();
    QCOMPARE(rule.calcPortColumn(0), QStringLiteral("CalcPort_APT12"));
    QCOMPARE(rule.calcPortColumn(1), QStringLiteral("CalcPort_Variant"));
    rule.formulas.append({QStringLiteral("low word: o4*256"), QStringLiteral("o4*256")});
    rule.formulas.append({QStringLiteral("APT12 (alt)"), QStringLiteral("o2*o1+o3")});
    rule.formulas.append({QStringLiteral("!!!"), QStringLiteral("o1")});
    QCOMPARE(rule.calcPortColumn(2), QStringLiteral("CalcPort_low_word"));
    QCOMPARE(rule.calcPortColumn(3), QStringLiteral("CalcPort_APT12_alt"));
    QCOMPARE(rule.calcPortColumn(4), QStringLiteral("CalcPort_F5"));
    rule.formulas.append({QStringLiteral("Variant: copy"), QStringLiteral("o1")});
    QCOMPARE(rule.calcPortColumn(1), QStringLiteral("CalcPort_Variant_2"));
    QCOMPARE(rule.calcPortColumn(5), QStringLiteral("CalcPort_Variant_6"));
}

void tst_Rule::timespans_data()
{
    QTest::addColumn<qint64>("ticks");
    QTest::addColumn<QString>("text");

    QTest::newRow("day-as-hours") << 24 * TicksPerHour << "24h";
    QTest::newRow("week") << 7 * TicksPerDay << "7d";
    QTest::newRow("minutes") << 90 * TicksPerMinute << "90m";
    QTest::newRow("seconds") << 45 * TicksPerSecond << "45s";
    QTest::newRow("millis") << 1500 * TicksPerMillisecond << "1500ms";
    QTest::newRow("ticks") << qint64(3) << "3tick";
}

void tst_Rule::timespans()
{
    QFETCH(qint64, ticks);
    QFETCH(QString, text);

    QCOMPARE(formatTimespan(ticks), text);
    QCOMPARE(parseTimespan(text), std::optional<qint64>(ticks));
    QCOMPARE(parseTimespan(QStringLiteral("1d")), std::optional<qint64>(TicksPerDay));
    QCOMPARE(parseTimespan(QStringLiteral("24 hours")), std::optional<qint64>());
}

void tst_Rule::isoTimes()
{
    // 2024-03-13T06:40:13Z is Unix time 1710312013.
    const qint64 base = 1'710'312'013LL * TicksPerSecond;
    QCOMPARE(parseIsoTicks(QStringLiteral("2024-03-13T06:40:13Z")), std::optional<qint64>(base));
    QCOMPARE(parseIsoTicks(QStringLiteral("2024-03-13T06:40:13.9880000Z")),
             std::optional<qint64>(base + 9'880'000));
    QCOMPARE(parseIsoTicks(QStringLiteral("2024-03-13T06:40:13.1234567Z")),
             std::optional<qint64>(base + 1'234'567));
    QCOMPARE(parseIsoTicks(formatTicksIso(base + 42)), std::optional<qint64>(base + 42));
    QCOMPARE(parseIsoTicks(QStringLiteral("2024-13-13T06:40:13Z")), std::optional<qint64>());
    QCOMPARE(parseIsoTicks(QStringLiteral("2024-03-13 06:40:13")), std::optional<qint64>());
}

QTEST_GUILESS_MAIN(tst_Rule)
#include "tst_rule.moc"
