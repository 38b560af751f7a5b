// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "importtesthelpers.h"
#include "ingest/importer.h"

#include <QTest>

using namespace Portent;
using namespace ImportTest;

namespace {

constexpr qint64 Mar13_064013_988 = 17103120139880000; // 2024-03-13T06:40:13.988Z
constexpr qint64 Mar13_064020 = 17103120200000000;     // 2024-03-13T06:40:20Z

// What the hunting API returns; `schema`/`results` in lower case is what some SDKs write.
QByteArray huntingApiResponse(bool lowerCase, bool resultsFirst)
{
    const QByteArray schema = QByteArray(lowerCase ? "\"schema\"" : "\"Schema\"")
                              + ":[{\"Name\":\"Timestamp\",\"Type\":\"DateTime\"},"
                                "{\"Name\":\"RemotePort\",\"Type\":\"Int32\"}]";
    const QByteArray results
        = QByteArray(lowerCase ? "\"results\"" : "\"Results\"")
          + ":[\n {\"Timestamp\":\"2024-03-13T06:40:13.988Z\",\"DeviceName\":\"h1\","
            "\"RemoteIP\":\"203.0.113.7\",\"RemotePort\":8080,\"AdditionalFields\":{\"a\":[1,2]}},"
            "\n {\"Timestamp\":\"2024-03-13T06:40:20Z\",\"DeviceName\":\"h2\",\"RemoteIP\":null,"
            "\"RemotePort\":null}\n]";
    const QByteArray stats = "\"Stats\":{\"ExecutionTime\":0.1,\"resource_usage\":{\"cpu\":[1]}}";
    return "{" + (resultsFirst ? stats + "," + results + "," + schema : schema + "," + results)
           + "}";
}

// Streaming API output as Event Hub or a storage account receives it: the row sits in
// `properties`, next to the envelope's own time and category.
const QByteArray EventHub
    = "{\"records\":[{\"time\":\"2024-03-13T06:40:13.988Z\",\"tenantId\":\"t\","
      "\"operationName\":\"Publish\",\"category\":\"AdvancedHunting-DeviceNetworkEvents\","
      "\"properties\":{\"DeviceName\":\"h1\",\"RemoteIP\":\"203.0.113.7\",\"RemotePort\":8080,"
      "\"Timestamp\":\"2024-03-13T06:40:13.9880000Z\"}},\n"
      "{\"time\":\"2024-03-13T06:40:20Z\",\"category\":\"AdvancedHunting-DeviceNetworkEvents\","
      "\"properties\":{\"DeviceName\":\"h2\",\"Note\":\"a \\\"quoted\\\" } brace\"}}]}";

// A plain array as `ConvertTo-Json` writes it: pretty-printed over several lines.
const QByteArray PlainArray = "[\n"
                              "  {\n"
                              "    \"Timestamp\": \"2024-03-13T06:40:13.988Z\",\n"
                              "    \"DeviceName\": \"h1\"\n"
                              "  },\n"
                              "  {\n"
                              "    \"Timestamp\": \"2024-03-13T06:40:20Z\",\n"
                              "    \"DeviceName\": \"h2\",\n"
                              "    \"RemotePort\": \"443\"\n"
                              "  }\n"
                              "]\n";

// A union of two tables exported as JSON Lines: different key sets, type suffixes, nulls.
const QByteArray MixedLines
    = "{\"Timestamp\":\"2024-03-13T06:40:13.988Z\",\"ReportId_long\":5,\"ReportId_string\":\"\","
      "\"AdditionalFields_string\":\"{\\\"x\\\":1}\",\"AdditionalFields_dynamic\":null,"
      "\"LocalPort_long\":null}\r\n"
      "{\"TimeGenerated\":\"2024-03-13T06:40:20Z\",\"RemotePort_string\":\"443\","
      "\"RemoteIP_string\":\"198.51.100.1\",\"Flag\":true}\r\n";

QString otrfFile()
{
    return QStringLiteral(PORTENT_TEST_DATA "/otrf/Microsoft365DefenderEvents.json");
}

// Event rows without their ids, to compare two imports of the same content.
QList<QVariantMap> comparableEvents(const QString &casePath)
{
    QList<QVariantMap> rows = events(casePath);
    for (QVariantMap &row : rows) {
        row.remove(QStringLiteral("id"));
        row.remove(QStringLiteral("source_id"));
    }
    return rows;
}

} // namespace

class tst_JsonImport : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void huntingApi_data();
    void huntingApi();
    void plainArray();
    void eventHubRecords();
    void mixedKeysUnionSuffixesNulls();
    void otrfJsonLines();
    void chunkBoundaries_data();
    void chunkBoundaries();
    void badRecords();
    void foreignJsonIsRefused();
    void suricataEveIsNamed();
    void exportThatCannotMatchWarns();

private:
    ImportReport importBytes(const QByteArray &bytes, qint64 chunkBytes = 1 << 20);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_case;
    int m_fileCounter = 0;
};

void tst_JsonImport::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_case = m_dir->filePath(QStringLiteral("case.portent"));
}

ImportReport tst_JsonImport::importBytes(const QByteArray &bytes, qint64 chunkBytes)
{
    const QString file = writeFile(*m_dir, QStringLiteral("in%1.json").arg(++m_fileCounter), bytes);
    ImportOptions options;
    options.chunkBytes = chunkBytes;
    return Importer::importNow(m_case, file, options);
}

void tst_JsonImport::huntingApi_data()
{
    QTest::addColumn<bool>("lowerCase");
    QTest::addColumn<bool>("resultsFirst");
    QTest::newRow("Schema-Results") << false << false;
    QTest::newRow("schema-results") << true << false;
    QTest::newRow("stats-results-schema") << false << true;
}

void tst_JsonImport::huntingApi()
{
    QFETCH(bool, lowerCase);
    QFETCH(bool, resultsFirst);

    const ImportReport report = importBytes(huntingApiResponse(lowerCase, resultsFirst));
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.format, QStringLiteral("defender-json-api"));
    QCOMPARE(report.rowsAccepted, 2);
    const auto rows = events(m_case);
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[0].value(QStringLiteral("time")).toLongLong(), Mar13_064013_988);
    QCOMPARE(rows[0].value(QStringLiteral("remote_port")).toLongLong(), 8080);
    // A nested value stays JSON, not a string holding JSON.
    QCOMPARE(rows[0].value(QStringLiteral("extra")).toString(),
             QStringLiteral("{\"AdditionalFields\":{\"a\":[1,2]}}"));
    QCOMPARE(rows[1].value(QStringLiteral("time")).toLongLong(), Mar13_064020);
    QVERIFY(rows[1].value(QStringLiteral("remote_ip")).isNull());
    QCOMPARE(rows[1].value(QStringLiteral("device_name")).toString(), QStringLiteral("h2"));
}

void tst_JsonImport::plainArray()
{
    const ImportReport report = importBytes(PlainArray);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.format, QStringLiteral("defender-json-array"));
    const auto rows = events(m_case);
    QCOMPARE(rows.size(), 2);
    // Each record's line is where its opening brace is.
    QCOMPARE(rows[0].value(QStringLiteral("line")).toLongLong(), 2);
    QCOMPARE(rows[1].value(QStringLiteral("line")).toLongLong(), 6);
    QCOMPARE(rows[1].value(QStringLiteral("time")).toLongLong(), Mar13_064020);
    QVERIFY(rows[1].value(QStringLiteral("extra")).toString().isEmpty());
}

void tst_JsonImport::eventHubRecords()
{
    const ImportReport report = importBytes(EventHub);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.format, QStringLiteral("defender-event-hub"));
    const auto rows = events(m_case);
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[0].value(QStringLiteral("time")).toLongLong(), Mar13_064013_988);
    QCOMPARE(rows[0].value(QStringLiteral("remote_ip")).toString(), QStringLiteral("203.0.113.7"));
    // The row's own Timestamp won, so the envelope time is kept with the other envelope keys.
    QCOMPARE(rows[0].value(QStringLiteral("extra")).toString(),
             QStringLiteral("{\"tenantId\":\"t\",\"operationName\":\"Publish\","
                            "\"category\":\"AdvancedHunting-DeviceNetworkEvents\","
                            "\"time\":\"2024-03-13T06:40:13.988Z\"}"));
    // Without a row time the envelope time is the event time; the escaped quotes and the brace
    // inside the string do not confuse the record scanner.
    QCOMPARE(rows[1].value(QStringLiteral("time")).toLongLong(), Mar13_064020);
    QCOMPARE(rows[1].value(QStringLiteral("extra")).toString(),
             QStringLiteral("{\"Note\":\"a \\\"quoted\\\" } brace\","
                            "\"category\":\"AdvancedHunting-DeviceNetworkEvents\"}"));
}

void tst_JsonImport::mixedKeysUnionSuffixesNulls()
{
    const ImportReport report = importBytes(MixedLines);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.format, QStringLiteral("defender-json-lines"));
    const auto rows = events(m_case);
    QCOMPARE(rows.size(), 2);
    // ReportId_long wins over the empty ReportId_string; nulls leave no trace.
    QCOMPARE(rows[0].value(QStringLiteral("report_id")).toString(), QStringLiteral("5"));
    QCOMPARE(rows[0].value(QStringLiteral("extra")).toString(),
             QStringLiteral("{\"AdditionalFields\":\"{\\\"x\\\":1}\"}"));
    QVERIFY(rows[0].value(QStringLiteral("local_port")).isNull());
    QCOMPARE(rows[1].value(QStringLiteral("line")).toLongLong(), 2);
    QCOMPARE(rows[1].value(QStringLiteral("time")).toLongLong(), Mar13_064020);
    QCOMPARE(rows[1].value(QStringLiteral("remote_port")).toLongLong(), 443);
    QCOMPARE(rows[1].value(QStringLiteral("remote_ip")).toString(), QStringLiteral("198.51.100.1"));
    QCOMPARE(rows[1].value(QStringLiteral("extra")).toString(), QStringLiteral("{\"Flag\":true}"));
}

// OTRF GoldenSAML lab export (MIT, see tests/data/README.md): 5 DeviceEvents LdapSearch rows,
// 2 IdentityDirectoryEvents, 2 CloudAppEvents, one record per CRLF line.
void tst_JsonImport::otrfJsonLines()
{
    const ImportReport report = Importer::importNow(m_case, otrfFile());
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.format, QStringLiteral("defender-json-lines"));
    QCOMPARE(report.rowsAccepted, 9);
    QCOMPARE(report.rowsRejected, 0);
    const auto rows = events(m_case);
    QCOMPARE(rows.size(), 9);

    // First record: "Timestamp":"2021-08-02T13:11:39.7724491Z" = day 18841 + 13:11:39.7724491.
    const QVariantMap &first = rows[0];
    QCOMPARE(first.value(QStringLiteral("line")).toLongLong(), 1);
    QCOMPARE(first.value(QStringLiteral("time")).toLongLong(), qint64(16279098997724491));
    QCOMPARE(first.value(QStringLiteral("device_name")).toString(),
             QStringLiteral("adfs01.simulandlabs.com"));
    QCOMPARE(first.value(QStringLiteral("action_type")).toString(), QStringLiteral("LdapSearch"));
    QCOMPARE(first.value(QStringLiteral("process_id")).toLongLong(), 5692);
    QCOMPARE(first.value(QStringLiteral("account_name")).toString(), QStringLiteral("wardog"));
    QCOMPARE(first.value(QStringLiteral("report_id")).toString(), QStringLiteral("113597"));
    QCOMPARE(first.value(QStringLiteral("process_folder")).toString(),
             QStringLiteral("c:\\windows\\system32\\windowspowershell\\v1.0\\powershell.exe"));
    const QString extra = first.value(QStringLiteral("extra")).toString();
    QVERIFY(extra.contains(QStringLiteral("\"InitiatingProcessFileSize\":448000")));
    QVERIFY(extra.contains(QStringLiteral("\"AdditionalFields\":\"{\\\"AttributeList\\\"")));
    QVERIFY(!extra.contains(QStringLiteral("ReportId")));
    QVERIFY(!extra.contains(QStringLiteral("null")));

    // IdentityDirectoryEvents: AccountName stands in for the missing initiating account, and
    // DestinationIPAddress:DestinationPort for the remote end.
    const QVariantMap &identity = rows[5];
    QCOMPARE(identity.value(QStringLiteral("line")).toLongLong(), 6);
    QCOMPARE(identity.value(QStringLiteral("account_name")).toString(), QStringLiteral("pgustavo"));
    QCOMPARE(identity.value(QStringLiteral("remote_ip")).toString(), QStringLiteral("192.168.2.4"));
    QCOMPARE(identity.value(QStringLiteral("remote_port")).toLongLong(), 49668);
    // "2021-08-02T13:32:07Z", a CloudAppEvents row without a device.
    QCOMPARE(rows[7].value(QStringLiteral("time")).toLongLong(), qint64(16279111270000000));
    QVERIFY(rows[7].value(QStringLiteral("device_name")).isNull());
}

void tst_JsonImport::chunkBoundaries_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<qint64>("chunkBytes");
    const QList<qint64> sizes = {1, 2, 3, 7, 64};
    for (const qint64 size : sizes) {
        QTest::addRow("api-%lld", size) << huntingApiResponse(false, true) << size;
        QTest::addRow("eventhub-%lld", size) << EventHub << size;
        QTest::addRow("array-%lld", size) << PlainArray << size;
        QTest::addRow("lines-%lld", size) << MixedLines << size;
    }
}

// Every split of a record between two reads gives the same events as reading it whole.
void tst_JsonImport::chunkBoundaries()
{
    QFETCH(QByteArray, content);
    QFETCH(qint64, chunkBytes);

    const ImportReport whole = importBytes(content);
    QVERIFY2(whole.error.isEmpty(), qPrintable(whole.error));
    const auto expected = comparableEvents(m_case);
    QVERIFY(!expected.isEmpty());

    m_case = m_dir->filePath(QStringLiteral("split.portent"));
    const ImportReport split = importBytes(content, chunkBytes);
    QVERIFY2(split.error.isEmpty(), qPrintable(split.error));
    QCOMPARE(split.format, whole.format);
    QCOMPARE(comparableEvents(m_case), expected);
}

// A damaged JSON Lines file: each bad record is reported with its line, the others imported.
void tst_JsonImport::badRecords()
{
    const QByteArray content
        = "{\"Timestamp\":\"2024-03-13T06:40:13.988Z\",\"DeviceName\":\"ok\"}\n"
          "{\"Timestamp\":\"2024-03-13T06:40:13Z\",\"RemotePort\":\"abc\"}\n"
          "{\"a\":1,}\n"
          "42\n"
          "{\"Timestamp\":\"2024-03-13T06:40:20Z\",\"DeviceName\":\"ok2\"}\n"
          "{\"Timestamp\":";
    const ImportReport report = importBytes(content);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.rowsAccepted, 2);
    QCOMPARE(report.rowsRejected, 4);
    QCOMPARE(report.firstRejections.size(), 4);
    QCOMPARE(report.firstRejections[0].line, 2);
    QCOMPARE(report.firstRejections[0].field, QStringLiteral("RemotePort"));
    QCOMPARE(report.firstRejections[1].line, 3);
    QVERIFY(report.firstRejections[1].reason.contains(QStringLiteral("not valid JSON")));
    QCOMPARE(report.firstRejections[2].line, 4);
    QCOMPARE(report.firstRejections[3].line, 6);
    QVERIFY(report.firstRejections[3].reason.contains(QStringLiteral("not closed")));
}

// Another tool's JSON log (here shaped like Suricata's eve.json) parses as records but maps no
// field: importing it would turn "no matches" into a false answer, so the file is refused.
void tst_JsonImport::foreignJsonIsRefused()
{
    const QByteArray content = "{\"id\":1,\"user\":\"alice\",\"quota\":5}\n"
                               "{\"id\":2,\"user\":\"bob\",\"quota\":7}\n";
    const ImportReport report = importBytes(content);
    QVERIFY2(report.error.contains(QStringLiteral("is not a Defender or Sentinel network export")),
             qPrintable(report.error));
    QVERIFY2(report.error.contains(QStringLiteral("none of its 2 records")),
             qPrintable(report.error));
    QCOMPARE(count(m_case, "sources"), 0);
    QCOMPARE(count(m_case, "events"), 0);
}

// Suricata's EVE JSON has a `timestamp` Portent would read as a time, and no RemoteIP: it is
// named and refused at its first record rather than imported as a file that cannot match.
void tst_JsonImport::suricataEveIsNamed()
{
    const QByteArray content
        = "{\"timestamp\":\"2021-06-06T15:59:46.457984+0200\","
          "\"flow_id\":1,\"event_type\":\"alert\",\"src_ip\":\"78.36.196.213\","
          "\"src_port\":51698,\"dest_ip\":\"192.168.1.129\",\"dest_port\":445}\n";
    const ImportReport report = importBytes(content);
    QVERIFY2(report.error.contains(QStringLiteral("is Suricata EVE JSON")),
             qPrintable(report.error));
    // A file may open with a stats record, which carries no addresses.
    const ImportReport stats = importBytes("{\"timestamp\":\"2021-06-06T15:59:46.457984+0200\","
                                           "\"event_type\":\"stats\",\"stats\":{\"uptime\":8}}\n");
    QVERIFY2(stats.error.contains(QStringLiteral("is Suricata EVE JSON")), qPrintable(stats.error));
    QCOMPARE(count(m_case, "sources"), 0);
    QCOMPARE(count(m_case, "events"), 0);
}

// A Defender export of process events (no network columns) is real, so it is kept, and the
// report says why it can never match; one row without a time is counted too.
void tst_JsonImport::exportThatCannotMatchWarns()
{
    const QByteArray content = "{\"Timestamp\":\"2024-03-13T06:40:13Z\",\"DeviceName\":\"ws-01\"}\n"
                               "{\"DeviceName\":\"ws-02\"}\n";
    const ImportReport report = importBytes(content);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.rowsAccepted, 2);
    const QString warnings = report.warnings.join(QLatin1Char('\n'));
    QVERIFY2(warnings.contains(QStringLiteral("No row has a remote address")),
             qPrintable(warnings));
    QVERIFY2(warnings.contains(QStringLiteral("1 of 2 rows have no time")), qPrintable(warnings));
}

QTEST_GUILESS_MAIN(tst_JsonImport)
#include "tst_jsonimport.moc"
