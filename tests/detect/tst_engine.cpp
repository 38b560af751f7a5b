// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "detect/engine.h"

#include "casebuilder.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <QSemaphore>

using namespace Portent;
using namespace Portent::TestSupport;

class tst_Engine : public QObject
{
    Q_OBJECT

private slots:
    void portRangeBoundaries_data();
    void portRangeBoundaries();
    void partialIndexEdge_data();
    void partialIndexEdge();
    void excludedPorts_data();
    void excludedPorts();
    void excludedProcesses_data();
    void excludedProcesses();
    void actionTypes_data();
    void actionTypes();
    void remoteIpType_data();
    void remoteIpType();
    void addresses_data();
    void addresses();
    void addressClassNeedsIpv4();
    void rerunReusesEndpointsUntilCaseChanges();
    void formulaLabelsAndScore_data();
    void formulaLabelsAndScore();
    void projectsSeedColumns();
    void newestEventWindowBoundaries();
    void relativeToNowWindow();
    void absoluteWindowIsInclusive();
    void allTimeKeepsEventsWithoutTime();
    void sortsNewestFirst();
    void countsCandidates();
    void threeFormulasJoinLabels();
    void invalidRuleAndMissingCaseReportErrors();
    void cancelledRunReportsNothing();
    void startRunsOnPoolAndEchoesGeneration();

private:
    // Runs the rule over a new case holding these records.
    DetectionResult detect(const QList<EventRecord> &records,
                           const DetectionRule &rule = DetectionRule::defaults());
    QString newCasePath();

    QTemporaryDir m_dir;
    int m_cases = 0;
};

QString tst_Engine::newCasePath()
{
    return m_dir.filePath(QStringLiteral("case%1.portent").arg(++m_cases));
}

DetectionResult tst_Engine::detect(const QList<EventRecord> &records, const DetectionRule &rule)
{
    const QString path = newCasePath();
    if (!writeCase(path, records)) {
        DetectionResult failed;
        failed.error = QStringLiteral("could not write the test case");
        return failed;
    }
    return DetectionEngine::runNow(path, rule);
}

void tst_Engine::portRangeBoundaries_data()
{
    QTest::addColumn<QByteArray>("ip");
    QTest::addColumn<int>("port");
    QTest::addColumn<int>("matches");

    // Each address's APT12 value equals the port, so only the between clause decides.
    // 64*63+63 = 4032+63 = 4095: one below the range.
    QTest::newRow("4095-below") << QByteArray("64.63.63.1") << 4095 << 0;
    // 64*63+64 = 4096: the range's inclusive lower end.
    QTest::newRow("4096-lowest") << QByteArray("64.63.64.1") << 4096 << 1;
    // 100*50+7 = 5007, well inside.
    QTest::newRow("5007-inside") << QByteArray("100.50.7.9") << 5007 << 1;
    // 200*245+151 = 49000+151 = 49151: the inclusive upper end.
    QTest::newRow("49151-highest") << QByteArray("200.245.151.1") << 49151 << 1;
    // 200*245+152 = 49152: one above.
    QTest::newRow("49152-above") << QByteArray("200.245.152.1") << 49152 << 0;
}

void tst_Engine::portRangeBoundaries()
{
    QFETCH(QByteArray, ip);
    QFETCH(int, port);
    QFETCH(int, matches);

    const DetectionResult result = detect({connection(ip, port)});
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(result.matches.size(), matches);
    if (matches == 0) {
        // The formula does hit: widening the range makes the same event match.
        DetectionRule wide = DetectionRule::defaults();
        wide.portMin = 0;
        wide.portMax = 65535;
        QCOMPARE(detect({connection(ip, port)}, wide).matches.size(), 1);
    }
}

void tst_Engine::partialIndexEdge_data()
{
    QTest::addColumn<QByteArray>("ip");
    QTest::addColumn<int>("port");
    QTest::addColumn<int>("portMin");
    QTest::addColumn<int>("matches");

    // endpoints_port indexes ports from 1024 (IndexedPortsFrom); a range starting there reads
    // the index, one starting lower reads the table. Both must see the same endpoints.
    // 10*100+24 = 1024, the lowest indexed port.
    QTest::newRow("1024-through-index") << QByteArray("10.100.24.1") << 1024 << 1024 << 1;
    // 10*100+23 = 1023: below the index, found by the table read.
    QTest::newRow("1023-through-table") << QByteArray("10.100.23.1") << 1023 << 1023 << 1;
    QTest::newRow("1023-outside-range") << QByteArray("10.100.23.1") << 1023 << 1024 << 0;
}

void tst_Engine::partialIndexEdge()
{
    QFETCH(QByteArray, ip);
    QFETCH(int, port);
    QFETCH(int, portMin);
    QFETCH(int, matches);

    DetectionRule rule = DetectionRule::defaults();
    rule.portMin = portMin;
    const DetectionResult result = detect({connection(ip, port)}, rule);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(result.matches.size(), matches);
}

void tst_Engine::excludedPorts_data()
{
    QTest::addColumn<QByteArray>("ip");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("label");

    const QString apt12 = QStringLiteral("APT12: (oct1*oct2)+oct3");
    const QString both = QStringLiteral("Both formulas");
    // Web proxies, Elasticsearch, git and MongoDB ports that a formula happens to produce.
    // 80*101+0 = 8080 and 80*(101+0) = 8080: both formulas.
    QTest::newRow("8080") << QByteArray("80.101.0.5") << 8080 << both;
    QTest::newRow("8443") << QByteArray("100.84.43.1") << 8443 << apt12;    // 8400+43
    QTest::newRow("8000") << QByteArray("100.80.0.1") << 8000 << both;      // 8000+0, 100*80
    QTest::newRow("8888") << QByteArray("100.88.88.1") << 8888 << apt12;    // 8800+88
    QTest::newRow("9090") << QByteArray("100.90.90.1") << 9090 << apt12;    // 9000+90
    QTest::newRow("9200") << QByteArray("100.92.0.1") << 9200 << both;      // 9200+0
    QTest::newRow("9300") << QByteArray("100.93.0.1") << 9300 << both;      // 9300+0
    QTest::newRow("9418") << QByteArray("100.94.18.1") << 9418 << apt12;    // 9400+18
    QTest::newRow("27017") << QByteArray("200.135.17.1") << 27017 << apt12; // 27000+17
    QTest::newRow("27018") << QByteArray("200.135.18.1") << 27018 << apt12; // 27000+18
    QTest::newRow("28017") << QByteArray("200.140.17.1") << 28017 << apt12; // 28000+17
}

void tst_Engine::excludedPorts()
{
    QFETCH(QByteArray, ip);
    QFETCH(int, port);
    QFETCH(QString, label);

    QCOMPARE(detect({connection(ip, port)}).matches.size(), 0);

    // Control: without the exclusion the formula hits exactly this port.
    DetectionRule rule = DetectionRule::defaults();
    QVERIFY(rule.excludedPorts.removeAll(port) == 1);
    const DetectionResult result = detect({connection(ip, port)}, rule);
    QCOMPARE(result.matches.size(), 1);
    QCOMPARE(result.matches[0].matchedFormula, label);
}

void tst_Engine::excludedProcesses_data()
{
    QTest::addColumn<QByteArray>("process");
    QTest::addColumn<int>("matches");

    // Service hosts open many high ports legitimately; !in~ ignores case.
    QTest::newRow("svchost-lower") << QByteArray("svchost.exe") << 0;
    QTest::newRow("svchost-upper") << QByteArray("SVCHOST.EXE") << 0;
    QTest::newRow("svchost-mixed") << QByteArray("Svchost.Exe") << 0;
    QTest::newRow("lsass") << QByteArray("LSASS.exe") << 0;
    QTest::newRow("services") << QByteArray("services.exe") << 0;
    QTest::newRow("wininit") << QByteArray("WinInit.EXE") << 0;
    // Look-alikes are not the listed names: malware often masquerades this way.
    QTest::newRow("svchost-no-extension") << QByteArray("svchost") << 1;
    QTest::newRow("svch0st") << QByteArray("svch0st.exe") << 1;
    QTest::newRow("svchost-padded") << QByteArray("svchost.exe ") << 1;
    // An export without the column: empty is in no list, so the event is kept.
    QTest::newRow("empty") << QByteArray() << 1;
}

void tst_Engine::excludedProcesses()
{
    QFETCH(QByteArray, process);
    QFETCH(int, matches);

    EventRecord record = connection("100.50.7.9", 5007); // 100*50+7 = 5007
    record.processName = process;
    QCOMPARE(detect({record}).matches.size(), matches);
}

void tst_Engine::actionTypes_data()
{
    QTest::addColumn<QByteArray>("actionType");
    QTest::addColumn<int>("matches");

    QTest::newRow("success") << QByteArray("ConnectionSuccess") << 1;
    QTest::newRow("attempt") << QByteArray("ConnectionAttempt") << 1;
    // KQL's in is case-sensitive.
    QTest::newRow("lower-case") << QByteArray("connectionsuccess") << 0;
    QTest::newRow("upper-case") << QByteArray("CONNECTIONATTEMPT") << 0;
    QTest::newRow("failed") << QByteArray("ConnectionFailed") << 0;
    QTest::newRow("inbound") << QByteArray("InboundConnectionAccepted") << 0;
    QTest::newRow("listening") << QByteArray("ListeningConnectionCreated") << 0;
    QTest::newRow("missing") << QByteArray() << 0;
}

void tst_Engine::actionTypes()
{
    QFETCH(QByteArray, actionType);
    QFETCH(int, matches);

    EventRecord record = connection("100.50.7.9", 5007); // 100*50+7 = 5007
    record.actionType = actionType;
    QCOMPARE(detect({record}).matches.size(), matches);
}

void tst_Engine::remoteIpType_data()
{
    QTest::addColumn<QByteArray>("column");
    QTest::addColumn<int>("source"); // IpTypeSource
    QTest::addColumn<int>("matches");

    const int column = int(IpTypeSource::Column);
    const int address = int(IpTypeSource::Address);
    const int either = int(IpTypeSource::ColumnOrAddress);
    // 100.50.7.9 is a public address; the column is what Defender wrote.
    QTest::newRow("column-public") << QByteArray("Public") << column << 1;
    QTest::newRow("column-lower-case") << QByteArray("public") << column << 0;
    QTest::newRow("column-private") << QByteArray("Private") << column << 0;
    QTest::newRow("column-missing") << QByteArray() << column << 0;
    // Classified from the address, the column does not matter.
    QTest::newRow("address-ignores-column") << QByteArray("Private") << address << 1;
    QTest::newRow("address-without-column") << QByteArray() << address << 1;
    // The column when present, else the address.
    QTest::newRow("either-column-wins") << QByteArray("Private") << either << 0;
    QTest::newRow("either-falls-back") << QByteArray() << either << 1;
}

void tst_Engine::remoteIpType()
{
    QFETCH(QByteArray, column);
    QFETCH(int, source);
    QFETCH(int, matches);

    EventRecord record = connection("100.50.7.9", 5007); // 100*50+7 = 5007
    record.remoteIpType = column;
    DetectionRule rule = DetectionRule::defaults();
    rule.ipTypeSource = IpTypeSource(source);
    QCOMPARE(detect({record}, rule).matches.size(), matches);
}

void tst_Engine::addresses_data()
{
    QTest::addColumn<QByteArray>("ip");
    QTest::addColumn<std::optional<qint64>>("port");
    QTest::addColumn<int>("octetSource"); // OctetSource
    QTest::addColumn<int>("matches");

    const int kql = int(OctetSource::KqlSplit);
    const int strict = int(OctetSource::StrictIpv4);
    using Port = std::optional<qint64>;
    QTest::newRow("ipv4-kql") << QByteArray("100.50.7.9") << Port(5007) << kql << 1;
    QTest::newRow("ipv4-strict") << QByteArray("100.50.7.9") << Port(5007) << strict << 1;
    // Dual-stack sockets report IPv4 peers as mapped IPv6. split() gives "::ffff:100" first, which
    // toint() makes null, so the seed misses it; the strict reading unwraps 100.50.7.9.
    QTest::newRow("mapped-kql") << QByteArray("::ffff:100.50.7.9") << Port(5007) << kql << 0;
    QTest::newRow("mapped-strict") << QByteArray("::ffff:100.50.7.9") << Port(5007) << strict << 1;
    QTest::newRow("mapped-upper-strict")
        << QByteArray("::FFFF:100.50.7.9") << Port(5007) << strict << 1;
    // Native IPv6 has no dotted octets under either reading.
    QTest::newRow("ipv6-kql") << QByteArray("2001:db8::1") << Port(5007) << kql << 0;
    QTest::newRow("ipv6-strict") << QByteArray("2001:db8::1") << Port(5007) << strict << 0;
    // Redacted exports replace the address with a placeholder.
    QTest::newRow("redacted") << QByteArray("REDACTED IP") << Port(5007) << kql << 0;
    // A non-numeric octet is null, so the formulas reading it are null.
    QTest::newRow("letter-octet") << QByteArray("100.50.x.9") << Port(5007) << kql << 0;
    // KQL does not check octet ranges: "1.4000.100.7" gives 1*4000+100 = 4100, and with o1 = 1
    // also 1*(4000+100) = 4100. Strict parsing refuses the address.
    QTest::newRow("oversized-octet-kql") << QByteArray("1.4000.100.7") << Port(4100) << kql << 1;
    QTest::newRow("oversized-octet-strict")
        << QByteArray("1.4000.100.7") << Port(4100) << strict << 0;
    // A port-less record (ICMP, or a blank cell) fails between.
    QTest::newRow("null-port") << QByteArray("100.50.7.9") << Port() << kql << 0;
    // Without an address there is nothing to compute from.
    QTest::newRow("empty-address") << QByteArray() << Port(5007) << kql << 0;
}

void tst_Engine::addresses()
{
    QFETCH(QByteArray, ip);
    QFETCH(std::optional<qint64>, port);
    QFETCH(int, octetSource);
    QFETCH(int, matches);

    DetectionRule rule = DetectionRule::defaults();
    rule.octetSource = OctetSource(octetSource);
    const DetectionResult result = detect({connection(ip, port)}, rule);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(result.matches.size(), matches);
}

void tst_Engine::addressClassNeedsIpv4()
{
    // "1.4000.100.7" has KQL octets (1*4000+100 = 4100) but no IPv4 reading, hence no class: the
    // column says Public, so the seed keeps it, while a class read from the address fails.
    DetectionRule rule = DetectionRule::defaults();
    QCOMPARE(detect({connection("1.4000.100.7", 4100)}, rule).matches.size(), 1);
    rule.ipTypeSource = IpTypeSource::Address;
    QCOMPARE(detect({connection("1.4000.100.7", 4100)}, rule).matches.size(), 0);
    // A private address fails the Public class: 192.168.1.1 gives 192*168+1 = 32256+1 = 32257.
    QCOMPARE(detect({connection("192.168.1.1", 32257)}, rule).matches.size(), 0);
    rule.remoteIpTypes = {QStringLiteral("Private")};
    QCOMPARE(detect({connection("192.168.1.1", 32257)}, rule).matches.size(), 1);
}

void tst_Engine::rerunReusesEndpointsUntilCaseChanges()
{
    const QString path = newCasePath();
    QVERIFY(writeCase(path, {connection("100.50.7.9", 5007)}));
    const DetectionResult first = DetectionEngine::runNow(path, DetectionRule::defaults());
    const DetectionResult second = DetectionEngine::runNow(path, DetectionRule::defaults());
    QVERIFY(second.endpointSnapshotReused);
    QCOMPARE(second.matches.size(), first.matches.size());

    // A second import adds a new beacon (60*100+0 = 6000): the kept endpoints are stale now.
    QVERIFY(writeCase(path, {connection("60.100.0.1", 6000)}));
    const DetectionResult third = DetectionEngine::runNow(path, DetectionRule::defaults());
    QVERIFY(!third.endpointSnapshotReused);
    QCOMPARE(third.matches.size(), 2);

    // Switching the octet reading needs the other octets.
    DetectionRule strict = DetectionRule::defaults();
    strict.octetSource = OctetSource::StrictIpv4;
    QVERIFY(!DetectionEngine::runNow(path, strict).endpointSnapshotReused);
    DetectionEngine::releaseCache();
    QVERIFY(!DetectionEngine::runNow(path, strict).endpointSnapshotReused);
}

void tst_Engine::formulaLabelsAndScore_data()
{
    QTest::addColumn<QByteArray>("ip");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("label");
    QTest::addColumn<int>("score");
    QTest::addColumn<std::optional<qint64>>("apt12");
    QTest::addColumn<std::optional<qint64>>("variant");

    using Value = std::optional<qint64>;
    // 100*50+7 = 5007; 100*(50+7) = 5700.
    QTest::newRow("apt12-only") << QByteArray("100.50.7.9") << 5007 << "APT12: (oct1*oct2)+oct3"
                                << 1 << Value(5007) << Value(5700);
    QTest::newRow("variant-only") << QByteArray("100.50.7.9") << 5700 << "Variant: oct1*(oct2+oct3)"
                                  << 1 << Value(5007) << Value(5700);
    // o3 = 0 makes the formulas equal: 60*100+0 = 60*(100+0) = 6000.
    QTest::newRow("both-o3-zero") << QByteArray("60.100.0.1") << 6000 << "Both formulas" << 2
                                  << Value(6000) << Value(6000);
    // o1 = 1 does too: 1*4000+100 = 1*(4000+100) = 4100 (KQL reads 4000 as a number).
    QTest::newRow("both-o1-one") << QByteArray("1.4000.100.7") << 4100 << "Both formulas" << 2
                                 << Value(4100) << Value(4100);
}

void tst_Engine::formulaLabelsAndScore()
{
    QFETCH(QByteArray, ip);
    QFETCH(int, port);
    QFETCH(QString, label);
    QFETCH(int, score);
    QFETCH(std::optional<qint64>, apt12);
    QFETCH(std::optional<qint64>, variant);

    const DetectionResult result = detect({connection(ip, port)});
    QCOMPARE(result.matches.size(), 1);
    const Match &match = result.matches[0];
    QCOMPARE(match.matchedFormula, label);
    QCOMPARE(match.matchScore, score);
    QCOMPARE(match.calculatedPorts, (QList<std::optional<qint64>>{apt12, variant}));
    QCOMPARE(match.formulaMatched.count(true), score);
}

void tst_Engine::projectsSeedColumns()
{
    EventRecord record = connection("100.50.7.9", 5007);
    record.localIp = "10.0.0.5";
    const DetectionResult result = detect({record});
    QCOMPARE(result.matches.size(), 1);
    const Match &match = result.matches[0];
    QCOMPARE(match.time, std::optional<qint64>(Newest));
    QCOMPARE(match.deviceName, QStringLiteral("ws-042.corp.example"));
    QCOMPARE(match.accountName, QStringLiteral("alice"));
    QCOMPARE(match.processName, QStringLiteral("updater.exe"));
    QCOMPARE(match.processFolder,
             QStringLiteral("c:\\users\\alice\\appdata\\local\\temp\\updater.exe"));
    QCOMPARE(match.processCommandLine, QStringLiteral("updater.exe /silent"));
    QCOMPARE(match.processId, std::optional<qint64>(4242));
    QCOMPARE(match.remoteUrl, QStringLiteral("c2.example.net"));
    QCOMPARE(match.remoteIp, QStringLiteral("100.50.7.9"));
    QCOMPARE(match.remotePort, 5007);
    QCOMPARE(match.octets, (std::array<qint64, 4>{100, 50, 7, 9}));
    QCOMPARE(match.octetKnown, (std::array<bool, 4>{true, true, true, true}));
    QVERIFY(match.eventId > 0);
    QVERIFY(match.sourceId > 0);
}

void tst_Engine::newestEventWindowBoundaries()
{
    // Newest event at Newest; the window is (Newest - 24h, Newest].
    EventRecord newest = connection("100.50.7.9", 5007);
    EventRecord justInside = connection("100.50.7.9", 5007);
    justInside.time = Newest - 24 * TicksPerHour + 1;
    EventRecord exactlyDayBefore = connection("100.50.7.9", 5007);
    exactlyDayBefore.time = Newest - 24 * TicksPerHour; // excluded: > is strict
    EventRecord noTime = connection("100.50.7.9", 5007);
    noTime.time.reset();

    const DetectionResult result = detect({newest, justInside, exactlyDayBefore, noTime});
    QCOMPARE(result.matches.size(), 2);
    QCOMPARE(result.matches[0].time, std::optional<qint64>(Newest));
    QCOMPARE(result.matches[1].time, std::optional<qint64>(Newest - 24 * TicksPerHour + 1));
    QCOMPARE(result.window.toTicks, std::optional<qint64>(Newest));
    QCOMPARE(result.window.fromTicks, std::optional<qint64>(Newest - 24 * TicksPerHour));
    QVERIFY2(result.window.description.contains(QStringLiteral("2024-03-13T06:40:13.0000000Z")),
             qPrintable(result.window.description));
    QVERIFY2(result.window.description.contains(QStringLiteral("2024-03-12T06:40:13.0000000Z")),
             qPrintable(result.window.description));
}

void tst_Engine::relativeToNowWindow()
{
    // The seed's ago(24h): an export from 2024 is entirely outside today's window.
    const qint64 now = ticksFromDateTime(QDateTime::currentDateTimeUtc());
    EventRecord recent = connection("100.50.7.9", 5007);
    recent.time = now - TicksPerHour;
    EventRecord old = connection("100.50.7.9", 5007);
    old.time = now - 25 * TicksPerHour;
    EventRecord future = connection("100.50.7.9", 5007);
    future.time = now + TicksPerHour; // no upper bound in Timestamp > ago(24h)

    const DetectionResult result = detect({recent, old, future}, DetectionRule::seed());
    QCOMPARE(result.matches.size(), 2);
    QCOMPARE(result.matches[0].time, future.time);
    QCOMPARE(result.matches[1].time, recent.time);
    QVERIFY(!result.window.toTicks);
    QVERIFY(result.window.fromTicks);
    QVERIFY(result.window.description.contains(QStringLiteral("before now")));

    QCOMPARE(detect({connection("100.50.7.9", 5007)}, DetectionRule::seed()).matches.size(), 0);
}

void tst_Engine::absoluteWindowIsInclusive()
{
    DetectionRule rule = DetectionRule::defaults();
    rule.window.kind = TimeWindow::Kind::Absolute;
    rule.window.fromTicks = Newest - TicksPerHour;
    rule.window.toTicks = Newest - TicksPerMinute;
    QList<EventRecord> records;
    for (qint64 time : {Newest - TicksPerHour - 1,
                        Newest - TicksPerHour,
                        Newest - TicksPerMinute,
                        Newest - TicksPerMinute + 1}) {
        records.append(connection("100.50.7.9", 5007));
        records.last().time = time;
    }
    const DetectionResult result = detect(records, rule);
    QCOMPARE(result.matches.size(), 2);
    QCOMPARE(result.matches[0].time, std::optional<qint64>(Newest - TicksPerMinute));
    QCOMPARE(result.matches[1].time, std::optional<qint64>(Newest - TicksPerHour));
}

void tst_Engine::allTimeKeepsEventsWithoutTime()
{
    DetectionRule rule = DetectionRule::defaults();
    rule.window.kind = TimeWindow::Kind::AllTime;
    EventRecord noTime = connection("100.50.7.9", 5007);
    noTime.time.reset();
    EventRecord yearOld = connection("100.50.7.9", 5007);
    yearOld.time = Newest - 365 * TicksPerDay;

    const DetectionResult result = detect({noTime, connection("100.50.7.9", 5007), yearOld}, rule);
    QCOMPARE(result.matches.size(), 3);
    // Newest first; KQL's desc sort puts nulls last.
    QCOMPARE(result.matches[0].time, std::optional<qint64>(Newest));
    QCOMPARE(result.matches[1].time, yearOld.time);
    QVERIFY(!result.matches[2].time);
    QVERIFY(!result.window.fromTicks && !result.window.toTicks);
}

void tst_Engine::sortsNewestFirst()
{
    // Three beacons to different calculated endpoints, written out of time order.
    EventRecord middle = connection("100.50.7.9", 5007); // 5007 by APT12
    middle.time = Newest - 2 * TicksPerHour;
    EventRecord newest = connection("60.100.0.1", 6000); // 6000 by both
    EventRecord oldest = connection("100.50.7.9", 5700); // 5700 by the variant
    oldest.time = Newest - 3 * TicksPerHour;

    const DetectionResult result = detect({middle, oldest, newest});
    QCOMPARE(result.matches.size(), 3);
    QCOMPARE(result.matches[0].remotePort, 6000);
    QCOMPARE(result.matches[1].remotePort, 5007);
    QCOMPARE(result.matches[2].remotePort, 5700);

    DetectionRule oldestFirst = DetectionRule::defaults();
    oldestFirst.newestFirst = false;
    const DetectionResult ascending = detect({middle, oldest, newest}, oldestFirst);
    QCOMPARE(ascending.matches[0].remotePort, 5700);
    QCOMPARE(ascending.matches[2].remotePort, 6000);
}

void tst_Engine::countsCandidates()
{
    // Candidates pass every clause but the formulas: in range, not excluded, right action...
    QList<EventRecord> records{
        connection("100.50.7.9", 5007), // match (5007)
        connection("100.50.7.9", 5007), // match, same endpoint
        connection("8.8.4.4", 5353),    // candidate: 8*8+4 = 68, 8*12 = 96, no formula hits
        connection("8.8.4.4", 443),     // below the range
        connection("8.8.4.4", 8080),    // excluded port
    };
    EventRecord service = connection("8.8.4.4", 5353);
    service.processName = "svchost.exe"; // excluded process
    records.append(service);
    EventRecord failed = connection("8.8.4.4", 5353);
    failed.actionType = "ConnectionFailed"; // wrong action
    records.append(failed);
    EventRecord old = connection("8.8.4.4", 6000);
    old.time = Newest - 2 * TicksPerDay; // outside the window
    records.append(old);

    const DetectionResult result = detect(records);
    QCOMPARE(result.matches.size(), 2);
    QCOMPARE(result.candidateEvents, 3);
    QCOMPARE(result.eventsInCase, records.size());
    // In-range, non-excluded endpoints: 100.50.7.9:5007, 8.8.4.4:5353, 8.8.4.4:6000.
    QCOMPARE(result.endpointsEvaluated, 3);
    // 8.8.4.4:6000 has no event in the window, so the chart does not show it.
    QCOMPARE(result.candidateEndpoints.size(), 2);
    QVERIFY(!result.candidateEndpointsTruncated);
    for (const CandidateEndpoint &endpoint : result.candidateEndpoints) {
        const bool matching = endpoint.remotePort == 5007;
        QCOMPARE(endpoint.eventCount, matching ? 2 : 1);
        QCOMPARE(endpoint.calculatedPorts[0], std::optional<qint64>(matching ? 5007 : 68));
        QCOMPARE(endpoint.formulaMatched, (QList<bool>{matching, false}));
    }
}

void tst_Engine::threeFormulasJoinLabels()
{
    DetectionRule rule = DetectionRule::defaults();
    rule.formulas.append({QStringLiteral("Sum"), QStringLiteral("o1+o2+o3+o4")});
    // 60.100.0.5840: KQL takes 5840 as o4; 60*100+0 = 6000 and 60+100+0+5840 = 6000 too.
    const DetectionResult result = detect({connection("60.100.0.5840", 6000)}, rule);
    QCOMPARE(result.matches.size(), 1);
    QCOMPARE(result.matches[0].matchedFormula,
             QStringLiteral("APT12: (oct1*oct2)+oct3 + Variant: oct1*(oct2+oct3) + Sum"));
    QCOMPARE(result.matches[0].matchScore, 3);
}

void tst_Engine::invalidRuleAndMissingCaseReportErrors()
{
    DetectionRule broken = DetectionRule::defaults();
    broken.formulas[1].expression = QStringLiteral("o1*(o2+");
    const DetectionResult invalid = detect({connection("100.50.7.9", 5007)}, broken);
    QVERIFY(invalid.error.contains(QStringLiteral("o1*(o2+")));
    QVERIFY(invalid.matches.isEmpty());

    const QString missing = m_dir.filePath(QStringLiteral("missing.portent"));
    const DetectionResult absent = DetectionEngine::runNow(missing, DetectionRule::defaults());
    QVERIFY(absent.error.contains(missing));
}

void tst_Engine::cancelledRunReportsNothing()
{
    const QString path = newCasePath();
    QVERIFY(writeCase(path, {connection("100.50.7.9", 5007)}));

    // Cancelled before the run gets to work, as when the user re-runs at once.
    QPromise<DetectionResult> promise;
    QFuture<DetectionResult> future = promise.future();
    promise.start();
    future.cancel();
    DetectionEngine::run(promise, path, DetectionRule::defaults(), 7);
    promise.finish();
    QVERIFY(future.isCanceled());
    QCOMPARE(future.resultCount(), 0);

    // Through the pool: the only worker is busy until after the cancel.
    QThreadPool pool;
    pool.setMaxThreadCount(1);
    QSemaphore release;
    auto blocker = QtConcurrent::run(&pool, [&release] { release.acquire(); });
    QFuture<DetectionResult> queued
        = QtConcurrent::run(&pool, [&path](QPromise<DetectionResult> &p) {
              DetectionEngine::run(p, path, DetectionRule::defaults(), 8);
          });
    queued.cancel();
    release.release();
    queued.waitForFinished();
    blocker.waitForFinished();
    QCOMPARE(queued.resultCount(), 0);
}

void tst_Engine::startRunsOnPoolAndEchoesGeneration()
{
    const QString path = newCasePath();
    QVERIFY(writeCase(path, {connection("100.50.7.9", 5007)}));
    QFuture<DetectionResult> future = DetectionEngine::start(path, DetectionRule::defaults(), 42);
    future.waitForFinished();
    QCOMPARE(future.resultCount(), 1);
    QCOMPARE(future.result().generation, quint64(42));
    QCOMPARE(future.result().matches.size(), 1);
    QCOMPARE(future.progressValue(), 100);
}

QTEST_GUILESS_MAIN(tst_Engine)
#include "tst_engine.moc"
