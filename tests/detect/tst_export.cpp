// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "export/kqlexport.h"
#include "export/matchexport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Portent;
using namespace Qt::StringLiterals;

class tst_Export : public QObject
{
    Q_OBJECT

private slots:
    void csvIsExact();
    void jsonIsExact();
    void jsonParsesWithTypes();
    void textTableAligns();
    void writesFile();
    void seedKqlHasEveryClause();
    void tunedKqlFollowsRule();

private:
    static Match beacon();
    static Match awkward();
};

// An APT12 beacon: 100*50+7 = 5007; the variant gives 100*(50+7) = 5700.
Match tst_Export::beacon()
{
    Match match;
    match.eventId = 17;
    match.time = 17103120139880000LL; // 2024-03-13T06:40:13.9880000Z
    match.deviceName = u"ws-042"_s;
    match.accountName = u"alice"_s;
    match.processName = u"updater.exe"_s;
    match.processFolder = u"C:\\Temp"_s;
    match.processCommandLine = u"updater.exe /q"_s;
    match.processId = 4242;
    match.remoteUrl = u"c2.example.net"_s;
    match.remoteIp = u"100.50.7.9"_s;
    match.remotePort = 5007;
    match.octets = {100, 50, 7, 9};
    match.octetKnown = {true, true, true, true};
    match.calculatedPorts = {5007, 5700};
    match.formulaMatched = {true, false};
    match.matchedFormula = u"APT12: (oct1*oct2)+oct3"_s;
    match.matchScore = 1;
    return match;
}

// A command line with a comma, quotes and a line break; no process id or time in the export.
Match tst_Export::awkward()
{
    Match match = beacon();
    match.time.reset();
    match.processCommandLine = u"cmd /c \"a,b\"\nnext"_s;
    match.processId.reset();
    match.remoteUrl.clear();
    return match;
}

void tst_Export::csvIsExact()
{
    const QByteArray csv = matchesToCsv(DetectionRule::seed(), {beacon(), awkward()});
    const QByteArray expected
        = "Timestamp,DeviceName,AccountName,InitiatingProcessFileName,InitiatingProcessFolderPath,"
          "InitiatingProcessCommandLine,InitiatingProcessId,RemoteUrl,RemoteIP,RemotePort,Oct1,Oct2,"
          "Oct3,CalcPort_APT12,CalcPort_Variant,MatchedFormula,MatchScore\r\n"
          "2024-03-13T06:40:13.9880000Z,ws-042,alice,updater.exe,C:\\Temp,updater.exe /q,4242,"
          "c2.example.net,100.50.7.9,5007,100,50,7,5007,5700,APT12: (oct1*oct2)+oct3,1\r\n"
          ",ws-042,alice,updater.exe,C:\\Temp,\"cmd /c \"\"a,b\"\"\nnext\",,,100.50.7.9,5007,100,50,"
          "7,5007,5700,APT12: (oct1*oct2)+oct3,1\r\n";
    QCOMPARE(csv, expected);
}

void tst_Export::jsonIsExact()
{
    Match match = beacon();
    match.octetKnown[2] = false; // a formula-free null octet is null, not 0
    match.octets[2] = 0;
    match.calculatedPorts = {std::nullopt, std::nullopt};
    const QByteArray json = matchesToJson(DetectionRule::seed(), {match});
    const QByteArray expected = R"([
  {
    "Timestamp": "2024-03-13T06:40:13.9880000Z",
    "DeviceName": "ws-042",
    "AccountName": "alice",
    "InitiatingProcessFileName": "updater.exe",
    "InitiatingProcessFolderPath": "C:\\Temp",
    "InitiatingProcessCommandLine": "updater.exe /q",
    "InitiatingProcessId": 4242,
    "RemoteUrl": "c2.example.net",
    "RemoteIP": "100.50.7.9",
    "RemotePort": 5007,
    "Oct1": 100,
    "Oct2": 50,
    "Oct3": null,
    "CalcPort_APT12": null,
    "CalcPort_Variant": null,
    "MatchedFormula": "APT12: (oct1*oct2)+oct3",
    "MatchScore": 1
  }
]
)";
    QCOMPARE(json, expected);
    QCOMPARE(matchesToJson(DetectionRule::seed(), {}), QByteArray("[]\n"));
}

void tst_Export::jsonParsesWithTypes()
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(
        matchesToJson(DetectionRule::seed(), {beacon(), awkward()}), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonArray array = document.array();
    QCOMPARE(array.size(), 2);
    const QJsonObject second = array[1].toObject();
    QCOMPARE(second.size(), 17);
    QCOMPARE(second.value(u"InitiatingProcessCommandLine"_s).toString(),
             u"cmd /c \"a,b\"\nnext"_s);
    QVERIFY(second.value(u"Timestamp"_s).isNull());
    QVERIFY(second.value(u"InitiatingProcessId"_s).isNull());
    QCOMPARE(second.value(u"RemotePort"_s).toInt(), 5007);
}

void tst_Export::textTableAligns()
{
    DetectionRule rule = DetectionRule::seed();
    rule.outputColumns = {u"RemoteIP"_s, u"RemotePort"_s, u"InitiatingProcessCommandLine"_s};
    // 12 columns at most: "updater.exe /q" (14) becomes 9 characters and "...".
    const QString table = matchesToTextTable(rule, {beacon(), awkward()}, 12);
    const QString expected = u"RemoteIP    RemotePort  InitiatingProcessCommandLine\n"
                             "----------  ----------  ----------------------------\n"
                             "100.50.7.9  5007        updater.e...\n"
                             "100.50.7.9  5007        cmd /c \"a...\n"_s;
    QCOMPARE(table, expected);
}

void tst_Export::writesFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"matches.csv"_s);
    QVERIFY(writeMatchesFile(path, MatchFileFormat::Csv, DetectionRule::seed(), {beacon()}));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), matchesToCsv(DetectionRule::seed(), {beacon()}));

    const Status failed = writeMatchesFile(dir.filePath(u"missing/dir/m.json"_s),
                                           MatchFileFormat::Json, DetectionRule::seed(), {});
    QVERIFY(!failed.hasValue());
    QVERIFY(failed.errorMessage().contains(u"missing/dir/m.json"_s));
}

void tst_Export::seedKqlHasEveryClause()
{
    const QString kql = ruleToKql(DetectionRule::seed());
    // Each clause of the reference hunt, in the hunt's order.
    const QStringList clauses{
        u"DeviceNetworkEvents\n"_s,
        u"| where Timestamp > ago(24h)\n"_s,
        u"| where ActionType in (\"ConnectionSuccess\", \"ConnectionAttempt\")\n"_s,
        u"| where isnotempty(RemoteIP)\n"_s,
        u"| where RemoteIPType == \"Public\"\n"_s,
        u"| where RemotePort between (4096 .. 49151)\n"_s,
        u"| where RemotePort !in (8080, 8443, 8000, 8888, 9090, 9200, 9300, 9418, 27017, 27018, "
        "28017)\n"_s,
        u"| extend IP_Parts = split(RemoteIP, \".\")\n"_s,
        u"| extend Oct1 = toint(IP_Parts[0])\n"_s,
        u"| extend Oct2 = toint(IP_Parts[1])\n"_s,
        u"| extend Oct3 = toint(IP_Parts[2])\n"_s,
        u"| extend CalcPort_APT12 = Oct1 * Oct2 + Oct3\n"_s,
        u"| extend CalcPort_Variant = Oct1 * (Oct2 + Oct3)\n"_s,
        u"| extend MatchScore = toint(RemotePort == CalcPort_APT12) + toint(RemotePort == "
        "CalcPort_Variant)\n"_s,
        u"| where MatchScore > 0\n"_s,
        u"RemotePort == CalcPort_APT12 and RemotePort == CalcPort_Variant, \"Both formulas\",\n"_s,
        u"RemotePort == CalcPort_APT12, \"APT12: (oct1*oct2)+oct3\",\n"_s,
        u"\"Variant: oct1*(oct2+oct3)\"\n"_s,
        u"| where InitiatingProcessFileName !in~ (\"svchost.exe\", \"lsass.exe\", \"services.exe\", "
        "\"wininit.exe\")\n"_s,
        u"AccountName = InitiatingProcessAccountName,\n"_s,
        u"CalcPort_Variant,\n    MatchedFormula,\n    MatchScore\n"_s,
        u"| sort by Timestamp desc\n"_s,
    };
    qsizetype from = 0;
    for (const QString &clause : clauses) {
        const qsizetype at = kql.indexOf(clause, from);
        QVERIFY2(at >= 0, qPrintable(u"missing or out of order: "_s + clause));
        from = at + clause.size();
    }
    QVERIFY(!kql.contains(u"Oct4"_s));
    QVERIFY(!kql.contains(u"NewestEvent"_s));
}

void tst_Export::tunedKqlFollowsRule()
{
    DetectionRule rule = DetectionRule::defaults();
    rule.octetSource = OctetSource::StrictIpv4;
    rule.remoteIpTypes = {u"Public"_s, u"Private"_s};
    rule.excludedPorts.clear();
    rule.excludedProcesses = {u"c:\\odd\"name.exe"_s};
    rule.formulas.append({u"Low"_s, u"o4-(o3-o2)"_s});
    rule.outputColumns.clear();
    rule.newestFirst = false;
    const QString kql = ruleToKql(rule);
    QVERIFY(kql.contains(u"let NewestEvent = toscalar(DeviceNetworkEvents | summarize "
                         "max(Timestamp));\n"_s));
    QVERIFY(kql.contains(u"| where Timestamp > NewestEvent - 24h and Timestamp <= NewestEvent\n"_s));
    QVERIFY(kql.contains(u"| where RemoteIPType in (\"Public\", \"Private\")\n"_s));
    QVERIFY(!kql.contains(u"RemotePort !in"_s));
    QVERIFY(kql.contains(u"split(IPv4, \".\")"_s));
    QVERIFY(kql.contains(u"| extend Oct4 = toint(IP_Parts[3])\n"_s));
    QVERIFY(kql.contains(u"| extend CalcPort_Low = Oct4 - (Oct3 - Oct2)\n"_s));
    QVERIFY(kql.contains(u"!in~ (\"c:\\\\odd\\\"name.exe\")"_s));
    QVERIFY(kql.contains(u"    CalcPort_Low,\n"_s));
    QVERIFY(kql.contains(u"| sort by Timestamp asc\n"_s));
}

QTEST_GUILESS_MAIN(tst_Export)
#include "tst_export.moc"
