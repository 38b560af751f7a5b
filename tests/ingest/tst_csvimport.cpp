// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "importtesthelpers.h"
#include "ingest/csvreader.h"
#include "ingest/importer.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

#include <csv.h>

using namespace Portent;
using namespace ImportTest;

namespace {

// A small Defender export exercising RFC 4180: a doubled quote and a comma inside a quoted
// command line, JSON in AdditionalFields, a quoted line break (kept with its CR) and a quoted
// comma in a device name. Joined with the chosen line terminator; no final newline.
QByteArray rfcExport(const QByteArray &terminator, bool bom)
{
    const QList<QByteArray> lines = {
        "Timestamp,DeviceName,ActionType,RemoteIP,RemotePort,InitiatingProcessCommandLine,"
        "AdditionalFields",
        "2024-03-13T06:40:13.9880000Z,host-a,ConnectionSuccess,203.0.113.7,8080,"
        "\"cmd.exe /c \"\"echo a,b\"\"\",\"{\"\"Port\"\":1}\"",
        "2024-03-13T06:40:14.0000000Z,host-a,ConnectionSuccess,198.51.100.2,443,"
        "\"line one\r\nline two\",",
        "2024-03-13T06:40:15Z,\"host, b\",ConnectionAttempt,,,,",
    };
    QByteArray text = bom ? QByteArray("\xEF\xBB\xBF") : QByteArray();
    text += lines.join(terminator);
    return text;
}

constexpr qint64 Mar13_064013_988 = 17103120139880000; // 2024-03-13T06:40:13.988Z

using Records = QList<QList<QByteArray>>;

// What libcsv itself reads in `text` when told that no byte is a space: the reference the
// reader's stand-ins for spaces must reproduce exactly.
Records libcsvWithSpacesKept(const QByteArray &text)
{
    struct Collected
    {
        Records records;
        QList<QByteArray> fields;
    } collected;
    const auto onField = [](void *field, size_t length, void *data) {
        static_cast<Collected *>(data)->fields.append(
            QByteArray(static_cast<const char *>(field), qsizetype(length)));
    };
    const auto onRecord = [](int, void *data) {
        auto *into = static_cast<Collected *>(data);
        into->records.append(std::exchange(into->fields, {}));
    };
    csv_parser parser;
    csv_init(&parser, 0);
    csv_set_space_func(&parser, [](unsigned char) { return 0; });
    csv_parse(&parser, text.constData(), size_t(text.size()), onField, onRecord, &collected);
    csv_fini(&parser, onField, onRecord, &collected);
    csv_free(&parser);
    return collected.records;
}

// The reader's records for `text`, fed in pieces of the given sizes (cycled).
Records readerRecords(const QByteArray &text, const QList<qsizetype> &pieces)
{
    Records records;
    CsvReader reader([&](qint64, const CsvRow &row) {
        QList<QByteArray> fields;
        for (qsizetype i = 0; i < row.size(); ++i) {
            fields.append(row.field(i).toByteArray());
        }
        records.append(fields);
        return true;
    });
    for (qsizetype at = 0, piece = 0; at < text.size(); at += pieces[piece++ % pieces.size()]) {
        reader.feed(QByteArrayView(text).sliced(
            at, std::min(pieces[piece % pieces.size()], text.size() - at)));
    }
    reader.finish();
    return records;
}

} // namespace

class tst_CsvImport : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void rfc4180_data();
    void rfc4180();
    void columnSubsetAndOrder();
    void extraSplitsSharedAndPerRowColumns();
    void recycledRecordsCarryNothingOver();
    void malformedRowsRejected();
    void dateOrder_data();
    void dateOrder();
    void forcedOrderRejectsContradictingDates();
    void localTimeNeedsOffset();
    void utcLabelledColumns();
    void duplicateSkippedUnlessForced();
    void cancelLeavesCaseUnchanged();
    void openQuoteNamesTheLinesItTook();
    void cancelFlagStopsAndStillReports();
    void unrecognisedFilesFail_data();
    void unrecognisedFilesFail();
    void csvSpectrum_data();
    void csvSpectrum();
    void spacesReadAsLibcsvReadsThem();
    void headerOnlyFileIsKeptWithAWarning();
    void standInByteMidRecord();
    void exportWithoutOctetsWarns_data();
    void exportWithoutOctetsWarns();
    void reportJsonRoundTrip();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_case;
};

void tst_CsvImport::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_case = m_dir->filePath(QStringLiteral("case.portent"));
}

void tst_CsvImport::rfc4180_data()
{
    QTest::addColumn<QByteArray>("terminator");
    QTest::addColumn<bool>("bom");
    QTest::addColumn<qint64>("chunkBytes");

    // Portal exports are LF without BOM; Log Analytics exports are CRLF with BOM.
    QTest::newRow("lf-nobom") << QByteArray("\n") << false << qint64(1 << 20);
    QTest::newRow("crlf-nobom") << QByteArray("\r\n") << false << qint64(1 << 20);
    QTest::newRow("lf-bom") << QByteArray("\n") << true << qint64(1 << 20);
    QTest::newRow("crlf-bom") << QByteArray("\r\n") << true << qint64(1 << 20);
    // Tiny reads split quoted fields, the CRLF pair and the BOM-stripped head between chunks.
    QTest::newRow("crlf-bom-7byte-chunks") << QByteArray("\r\n") << true << qint64(7);
}

void tst_CsvImport::rfc4180()
{
    QFETCH(QByteArray, terminator);
    QFETCH(bool, bom);
    QFETCH(qint64, chunkBytes);

    const QString file
        = writeFile(*m_dir, QStringLiteral("export.txt"), rfcExport(terminator, bom));
    ImportOptions options;
    options.chunkBytes = chunkBytes;
    const ImportReport report = Importer::importNow(m_case, file, options);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.format, QStringLiteral("defender-csv"));
    QCOMPARE(report.rowsAccepted, 3);
    QCOMPARE(report.rowsRejected, 0);

    const auto rows = events(m_case);
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows[0].value(QStringLiteral("line")).toLongLong(), 2);
    QCOMPARE(rows[0].value(QStringLiteral("time")).toLongLong(), Mar13_064013_988);
    QCOMPARE(rows[0].value(QStringLiteral("remote_ip")).toString(), QStringLiteral("203.0.113.7"));
    QCOMPARE(rows[0].value(QStringLiteral("remote_port")).toLongLong(), 8080);
    QCOMPARE(rows[0].value(QStringLiteral("process_command_line")).toString(),
             QStringLiteral("cmd.exe /c \"echo a,b\""));
    QCOMPARE(rows[0].value(QStringLiteral("extra")).toString(),
             QStringLiteral("{\"AdditionalFields\":\"{\\\"Port\\\":1}\"}"));

    // The quoted line break keeps its CR whatever the file's own line endings are.
    QCOMPARE(rows[1].value(QStringLiteral("line")).toLongLong(), 3);
    QCOMPARE(rows[1].value(QStringLiteral("process_command_line")).toString(),
             QStringLiteral("line one\r\nline two"));
    QVERIFY(rows[1].value(QStringLiteral("extra")).toString().isEmpty());

    // The row after a two-line record starts on line 5; it is the last, without a newline.
    QCOMPARE(rows[2].value(QStringLiteral("line")).toLongLong(), 5);
    QCOMPARE(rows[2].value(QStringLiteral("device_name")).toString(), QStringLiteral("host, b"));
    QVERIFY(rows[2].value(QStringLiteral("remote_ip")).isNull());
    QVERIFY(rows[2].value(QStringLiteral("remote_port")).isNull());
}

// A projected hunting query: few columns, in its own order, one Portent does not know.
void tst_CsvImport::columnSubsetAndOrder()
{
    const QString file = writeFile(*m_dir,
                                   QStringLiteral("subset.csv"),
                                   "RemotePort,Foo,RemoteIP,DeviceName\n"
                                   "443,bar,203.0.113.9,host-c\n");
    const ImportReport report = Importer::importNow(m_case, file);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    const auto rows = events(m_case);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows[0].value(QStringLiteral("remote_port")).toLongLong(), 443);
    QCOMPARE(rows[0].value(QStringLiteral("remote_ip")).toString(), QStringLiteral("203.0.113.9"));
    QCOMPARE(rows[0].value(QStringLiteral("device_name")).toString(), QStringLiteral("host-c"));
    QVERIFY(rows[0].value(QStringLiteral("time")).isNull());
    QCOMPARE(rows[0].value(QStringLiteral("extra")).toString(),
             QStringLiteral("{\"Foo\":\"bar\"}"));
}

// A long Defender export where the process hash repeats (three processes) and the process
// creation time differs on every row. After the classifier's 1,000-value sample the hash goes to
// the shared part, stored once per distinct value, and the creation time stays with each row;
// event_view still shows one object per event, shared members first.
void tst_CsvImport::extraSplitsSharedAndPerRowColumns()
{
    constexpr int Rows = 1500;
    QByteArray text = "InitiatingProcessCreationTime,RemoteIP,InitiatingProcessSHA1\n";
    for (int i = 0; i < Rows; ++i) {
        text += "2024-03-10T06:" + QByteArray::number(10000 + i) + ",203.0.113.9,sha-"
                + QByteArray::number(i % 3) + "\n";
    }
    const QString file = writeFile(*m_dir, QStringLiteral("split.csv"), text);
    const ImportReport report = Importer::importNow(m_case, file);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));

    const auto rows = events(m_case);
    QCOMPARE(rows.size(), Rows);
    // Row 1 (line 2) is in the sample: everything per row, in column order.
    QCOMPARE(rows[0].value(QStringLiteral("extra")).toString(),
             QStringLiteral("{\"InitiatingProcessCreationTime\":\"2024-03-10T06:10000\","
                            "\"InitiatingProcessSHA1\":\"sha-0\"}"));
    // Row 1,500 (i = 1499): the shared hash first, then the row's own creation time.
    QCOMPARE(rows[Rows - 1].value(QStringLiteral("extra")).toString(),
             QStringLiteral("{\"InitiatingProcessSHA1\":\"sha-2\","
                            "\"InitiatingProcessCreationTime\":\"2024-03-10T06:11499\"}"));
    // The 1,000th value decides: rows 1,000 to 1,500 reference one of three shared objects.
    const auto shared = query(m_case,
                              "SELECT count(DISTINCT extra) AS texts, count(extra) AS rows "
                              "FROM events");
    QCOMPARE(shared.first().value(QStringLiteral("texts")).toLongLong(), 3);
    QCOMPARE(shared.first().value(QStringLiteral("rows")).toLongLong(), Rows - 999);
    QCOMPARE(count(m_case, "events WHERE extra_row IS NULL"), 0);
}

// Records and their buffers are reused for row after row (BatchWriter hands written batches
// back): 6,000 rows are a dozen batches, so every record is filled several times. Values that
// stop, shrink or change their type part-way must not leave anything of an earlier row behind.
void tst_CsvImport::recycledRecordsCarryNothingOver()
{
    constexpr int Rows = 6000;
    constexpr int FullRows = 4000;
    QByteArray text = "Timestamp,RemoteIP,RemotePort,RemoteUrl,InitiatingProcessCommandLine,"
                      "ReportId,InitiatingProcessSHA1,InitiatingProcessCreationTime\n";
    for (int i = 0; i < Rows; ++i) {
        const bool full = i < FullRows;
        const QByteArray n = QByteArray::number(i);
        text += "2024-03-10T06:00:00Z,203.0.113." + QByteArray::number(i % 200) + ","
                + (full ? "4444" : "") + "," + (full ? "long-url-" + n + ".example.com" : "") + ","
                + (full ? "\"cmd.exe /c \"\"x\"\"\"" : "c") + ","
                + (full ? n : QByteArray("r-") + n) + "," + (full ? "sha-" + n : "") + ","
                + (full ? "2024-03-09T0" + n : "") + "\n";
    }
    const QString file = writeFile(*m_dir, QStringLiteral("recycled.csv"), text);
    const ImportReport report = Importer::importNow(m_case, file);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.rowsAccepted, qint64(Rows));

    const auto rows = events(m_case);
    QCOMPARE(rows.size(), Rows);
    const QVariantMap &full = rows[FullRows - 1];
    QCOMPARE(full.value(QStringLiteral("remote_url")).toString(),
             QStringLiteral("long-url-3999.example.com"));
    QCOMPARE(full.value(QStringLiteral("process_command_line")).toString(),
             QStringLiteral("cmd.exe /c \"x\""));
    QCOMPARE(full.value(QStringLiteral("remote_port")).toLongLong(), 4444);
    for (int i = FullRows; i < Rows; ++i) {
        const QVariantMap &row = rows[i];
        QVERIFY2(row.value(QStringLiteral("remote_url")).isNull(), qPrintable(QString::number(i)));
        QVERIFY(row.value(QStringLiteral("remote_port")).isNull());
        QCOMPARE(row.value(QStringLiteral("process_command_line")).toString(), QStringLiteral("c"));
        QCOMPARE(row.value(QStringLiteral("report_id")).toString(), QStringLiteral("r-%1").arg(i));
        QVERIFY(row.value(QStringLiteral("extra")).isNull());
    }
    QCOMPARE(count(m_case, "events WHERE remote_url IS NULL"), qint64(Rows - FullRows));
}

// Hand-edited or truncated exports: each bad row is named by line and field, the rest imported.
void tst_CsvImport::malformedRowsRejected()
{
    const QString file = writeFile(*m_dir,
                                   QStringLiteral("bad.csv"),
                                   "Timestamp,DeviceName,RemotePort,LocalPort\n"
                                   "2024-03-13T06:40:13Z,ok-1,443,50000\n"
                                   "2024-03-13T06:40:13Z,bad-port,abc,50000\n"
                                   "2024-13-13T06:40:13Z,bad-time,443,50000\n"
                                   "2024-03-13T06:40:13Z,short\n"
                                   "2024-03-13T06:40:13Z,ok-2,,\n"
                                   "2024-03-13T06:40:13Z,bad-range,70000,1\n");
    const ImportReport report = Importer::importNow(m_case, file);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.rowsAccepted, 2);
    QCOMPARE(report.rowsRejected, 4);
    QCOMPARE(report.firstRejections.size(), 4);

    const QList<QPair<qint64, QString>> expected = {{3, QStringLiteral("RemotePort")},
                                                    {4, QStringLiteral("Timestamp")},
                                                    {5, QString()},
                                                    {7, QStringLiteral("RemotePort")}};
    for (int i = 0; i < expected.size(); ++i) {
        QCOMPARE(report.firstRejections[i].line, expected[i].first);
        QCOMPARE(report.firstRejections[i].field, expected[i].second);
    }
    QVERIFY(report.firstRejections[0].reason.contains(QStringLiteral("\"abc\"")));
    QVERIFY(report.firstRejections[2].reason.contains(QStringLiteral("2 fields")));
    QVERIFY(report.toText().contains(QStringLiteral("line 3, RemotePort")));

    const auto rows = events(m_case);
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[1].value(QStringLiteral("device_name")).toString(), QStringLiteral("ok-2"));
    QVERIFY(rows[1].value(QStringLiteral("remote_port")).isNull());
}

void tst_CsvImport::dateOrder_data()
{
    QTest::addColumn<QByteArray>("dates");
    QTest::addColumn<int>("forced");
    QTest::addColumn<int>("decided");
    QTest::addColumn<QString>("reasonPart");
    QTest::addColumn<qint64>("lastTime");
    QTest::addColumn<qint64>("lastAlt"); // -1: NULL

    // 05/12/2024 6:41:32 PM is 12 May 2024 (17155392920000000) month-first and 5 December 2024
    // (17334240920000000) day-first.
    const QByteArray ambiguous = "\"05/12/2024 6:41:32 PM\"\n";
    // A European export: 13/03/2024 proves day-first, so the ambiguous row is 5 December.
    QTest::newRow("evidence-day-first")
        << QByteArray("\"13/03/2024 1:00:00 PM\"\n" + ambiguous) << int(DateOrder::Unknown)
        << int(DateOrder::DayFirst) << QStringLiteral("1 rows have a first number above 12")
        << qint64(17334240920000000) << qint64(17155392920000000);
    // A US export: 3/13/2024 proves month-first.
    QTest::newRow("evidence-month-first")
        << QByteArray("\"3/13/2024 1:00:00 PM\"\n" + ambiguous) << int(DateOrder::Unknown)
        << int(DateOrder::MonthFirst) << QStringLiteral("second number above 12")
        << qint64(17155392920000000) << qint64(17334240920000000);
    QTest::newRow("no-evidence") << ambiguous << int(DateOrder::Unknown)
                                 << int(DateOrder::MonthFirst)
                                 << QStringLiteral("ambiguous: assumed month-first (1 rows")
                                 << qint64(17155392920000000) << qint64(17334240920000000);
    QTest::newRow("override-day-first")
        << ambiguous << int(DateOrder::DayFirst) << int(DateOrder::DayFirst)
        << QStringLiteral("set by the user (1 slash dates, 1 of them") << qint64(17334240920000000)
        << qint64(17155392920000000);
}

// The user said day-first, but 3/13/2024 can only be read month-first: that row is rejected
// rather than read against the user's word.
void tst_CsvImport::forcedOrderRejectsContradictingDates()
{
    const QString file
        = writeFile(*m_dir,
                    QStringLiteral("contra.csv"),
                    "Timestamp\n\"3/13/2024 1:00:00 PM\"\n\"05/12/2024 6:41:32 PM\"\n");
    ImportOptions options;
    options.dateOrder = DateOrder::DayFirst;
    const ImportReport report = Importer::importNow(m_case, file, options);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.rowsAccepted, 1);
    QCOMPARE(report.rowsRejected, 1);
    QCOMPARE(report.firstRejections.first().line, 2);
    QCOMPARE(report.firstRejections.first().field, QStringLiteral("Timestamp"));
    QVERIFY(report.firstRejections.first().reason.contains(QStringLiteral("not a day-first")));
    QVERIFY2(report.dateOrderReason.contains(QStringLiteral("1 rows could only be read the other "
                                                            "way and were rejected")),
             qPrintable(report.dateOrderReason));
}

void tst_CsvImport::dateOrder()
{
    QFETCH(QByteArray, dates);
    QFETCH(int, forced);
    QFETCH(int, decided);
    QFETCH(QString, reasonPart);
    QFETCH(qint64, lastTime);
    QFETCH(qint64, lastAlt);

    const QString file = writeFile(*m_dir, QStringLiteral("dates.csv"), "Timestamp\n" + dates);
    ImportOptions options;
    options.dateOrder = DateOrder(forced);
    const ImportReport report = Importer::importNow(m_case, file, options);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(int(report.dateOrder), decided);
    QVERIFY2(report.dateOrderReason.contains(reasonPart), qPrintable(report.dateOrderReason));

    const auto rows = events(m_case);
    const QVariantMap last = rows.last();
    QCOMPARE(last.value(QStringLiteral("time")).toLongLong(), lastTime);
    const QVariant alt = last.value(QStringLiteral("time_alt"));
    QCOMPARE(alt.isNull() ? qint64(-1) : alt.toLongLong(), lastAlt);
    const auto sources = query(m_case, "SELECT date_order FROM sources");
    QCOMPARE(sources.first().value(QStringLiteral("date_order")).toString(),
             dateOrderName(DateOrder(decided)));
}

// A Log Analytics export in the analyst's local time carries no zone: Portent never guesses.
void tst_CsvImport::localTimeNeedsOffset()
{
    const QString file = writeFile(*m_dir,
                                   QStringLiteral("local.csv"),
                                   "TimeGenerated [Local Time],DeviceName\n"
                                   "\"4/4/2025, 11:18:26.637 PM\",host-l\n");
    const ImportReport refused = Importer::importNow(m_case, file);
    QVERIFY(refused.error.contains(QStringLiteral("--utc-offset")));
    QVERIFY(refused.needsUtcOffset);
    QCOMPARE(refused.sourceId, 0);
    QCOMPARE(count(m_case, "sources"), 0);
    QCOMPARE(count(m_case, "events"), 0);

    // 23:18:26.637 at UTC+02:00 is 21:18:26.637 UTC on 4 April 2025.
    ImportOptions options;
    options.utcOffsetMinutes = 120;
    const ImportReport report = Importer::importNow(m_case, file, options);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.format, QStringLiteral("sentinel-csv"));
    QVERIFY(report.timeZoneNote.contains(QStringLiteral("+02:00")));
    const auto rows = events(m_case);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows[0].value(QStringLiteral("time")).toLongLong(), qint64(17438015066370000));
    const auto sources = query(m_case, "SELECT utc_offset_minutes FROM sources");
    QCOMPARE(sources.first().value(QStringLiteral("utc_offset_minutes")).toLongLong(), 120);
}

// "Timestamp [UTC]" maps to Timestamp; TimeGenerated, not used for the time, stays in extra.
void tst_CsvImport::utcLabelledColumns()
{
    const QString file
        = writeFile(*m_dir,
                    QStringLiteral("utc.csv"),
                    "TimeGenerated [UTC],Timestamp [UTC],RemotePort\n"
                    "\"4/4/2025, 9:18:27.000 PM\",\"4/4/2025, 9:18:26.637 PM\",443\n");
    const ImportReport report = Importer::importNow(m_case, file);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.format, QStringLiteral("sentinel-csv"));
    QCOMPARE(report.timeZoneNote, QStringLiteral("UTC ([UTC] columns)"));
    QVERIFY(report.dateOrderReason.contains(QStringLiteral("does not matter")));
    const auto rows = events(m_case);
    QCOMPARE(rows[0].value(QStringLiteral("time")).toLongLong(), qint64(17438015066370000));
    QCOMPARE(rows[0].value(QStringLiteral("extra")).toString(),
             QStringLiteral("{\"TimeGenerated\":\"4/4/2025, 9:18:27.000 PM\"}"));
}

void tst_CsvImport::duplicateSkippedUnlessForced()
{
    const QString file = writeFile(*m_dir, QStringLiteral("dup.csv"), rfcExport("\n", false));
    const ImportReport first = Importer::importNow(m_case, file);
    QVERIFY2(first.error.isEmpty(), qPrintable(first.error));
    QVERIFY(!first.skippedAsDuplicate);

    // The same bytes under another name are still the same content.
    const QString copy = writeFile(*m_dir, QStringLiteral("renamed.txt"), rfcExport("\n", false));
    const ImportReport second = Importer::importNow(m_case, copy);
    QVERIFY(second.skippedAsDuplicate);
    QCOMPARE(second.sourceId, first.sourceId);
    QCOMPARE(count(m_case, "sources"), 1);
    QCOMPARE(count(m_case, "events"), 3);

    ImportOptions force;
    force.force = true;
    const ImportReport forced = Importer::importNow(m_case, copy, force);
    QVERIFY2(forced.error.isEmpty(), qPrintable(forced.error));
    QVERIFY(!forced.skippedAsDuplicate);
    QVERIFY(forced.sourceId != first.sourceId);
    QCOMPARE(count(m_case, "sources"), 2);
    QCOMPARE(count(m_case, "events"), 6);
}

// The user presses Cancel: the job stops at the next record and rolls everything back.
void tst_CsvImport::cancelLeavesCaseUnchanged()
{
    const QString first = writeFile(*m_dir, QStringLiteral("a.csv"), rfcExport("\n", false));
    QVERIFY(Importer::importNow(m_case, first).error.isEmpty());
    const qint64 sourcesBefore = count(m_case, "sources");
    const qint64 eventsBefore = count(m_case, "events");
    const qint64 stringsBefore = count(m_case, "strings");

    const QString second = writeFile(*m_dir, QStringLiteral("b.csv"), rfcExport("\r\n", true));
    QPromise<ImportReport> promise;
    promise.start();
    promise.future().cancel();
    Importer::run(promise, m_case, second, {});
    promise.finish();

    QCOMPARE(count(m_case, "sources"), sourcesBefore);
    QCOMPARE(count(m_case, "events"), eventsBefore);
    QCOMPARE(count(m_case, "strings"), stringsBefore);
}

// A hand-edited export with a stray opening quote: libcsv reads on to the next quote, so the
// record takes line 3 along. The rejection names both lines, so nothing vanishes unexplained.
void tst_CsvImport::openQuoteNamesTheLinesItTook()
{
    const QString file = writeFile(*m_dir,
                                   QStringLiteral("quote.csv"),
                                   "Timestamp,DeviceName,RemotePort\n"
                                   "2024-03-13T06:40:13Z,ws-01,4702\n"
                                   "\"2024-03-13T06:41:13Z,ws-02,4702\n"
                                   "2024-03-13T06:42:13Z,\"ws-03\",4702\n"
                                   "2024-03-13T06:43:13Z,ws-04,4702\n");
    const ImportReport report = Importer::importNow(m_case, file);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.rowsAccepted, 2);
    QCOMPARE(report.rowsRejected, 1);
    QCOMPARE(report.firstRejections.first().line, 3);
    QVERIFY2(report.firstRejections.first().reason.contains(
                 QStringLiteral("runs from line 3 to line 4")),
             qPrintable(report.firstRejections.first().reason));

    // Never closed at all: the record runs to the file's last line (5), not one past it.
    const QString open = writeFile(*m_dir,
                                   QStringLiteral("open.csv"),
                                   "Timestamp,DeviceName,RemotePort\n"
                                   "2024-03-13T06:40:13Z,ws-01,4702\n"
                                   "\"2024-03-13T06:41:13Z,ws-02,4702\n"
                                   "2024-03-13T06:42:13Z,ws-03,4702\n"
                                   "2024-03-13T06:43:13Z,ws-04,4702\n");
    const ImportReport cut = Importer::importNow(m_case, open);
    QCOMPARE(cut.rowsAccepted, 1);
    QVERIFY2(cut.firstRejections.value(0).reason.contains(QStringLiteral("line 3 to line 5")),
             qPrintable(cut.firstRejections.value(0).reason));
}

// The workbench and the CLI stop an import through its own flag, so the report still arrives and
// says it was cancelled.
void tst_CsvImport::cancelFlagStopsAndStillReports()
{
    const QString file = writeFile(*m_dir, QStringLiteral("c.csv"), rfcExport("\n", false));
    ImportOptions options;
    options.cancel = std::make_shared<std::atomic<bool>>(true);
    const ImportReport report = Importer::importNow(m_case, file, options);
    QVERIFY(report.cancelled);
    QVERIFY2(report.error.contains(QStringLiteral("cancelled")), qPrintable(report.error));
    QCOMPARE(count(m_case, "sources"), 0);

    options.cancel->store(false);
    const ImportReport again = Importer::importNow(m_case, file, options);
    QVERIFY(!again.cancelled);
    QVERIFY2(again.error.isEmpty(), qPrintable(again.error));
    QCOMPARE(count(m_case, "sources"), 1);
}

void tst_CsvImport::unrecognisedFilesFail_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("messagePart");

    // Some other CSV: no column Portent knows.
    QTest::newRow("foreign-csv") << QByteArray("a,b,c\n1,2,3\n")
                                 << QStringLiteral("is not a Defender or Sentinel export");
    // A zip archive renamed .csv.
    QTest::newRow("binary") << QByteArray("PK\x03\x04\x00\x00\x08\x00", 8)
                            << QStringLiteral("binary data");
    // Excel "Unicode text": UTF-16 with BOM.
    QTest::newRow("utf16") << QByteArray("\xFF\xFET\x00i\x00", 6) << QStringLiteral("UTF-16");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("is empty");
    // The first lines of a Zeek conn.log, tab-separated with its directives.
    QTest::newRow("zeek") << QByteArray("#separator \\x09\n#set_separator\t,\n#path\tconn\n"
                                        "#fields\tts\tuid\tid.orig_h\tid.orig_p\n")
                          << QStringLiteral("is a Zeek log");
}

void tst_CsvImport::unrecognisedFilesFail()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, messagePart);

    const QString file = writeFile(*m_dir, QStringLiteral("other.csv"), content);
    const ImportReport report = Importer::importNow(m_case, file);
    QVERIFY2(report.error.contains(messagePart), qPrintable(report.error));
    QVERIFY(report.error.contains(QStringLiteral("other.csv")));
    QCOMPARE(count(m_case, "sources"), 0);
}

void tst_CsvImport::csvSpectrum_data()
{
    QTest::addColumn<QString>("name");
    const QDir dir(QStringLiteral(PORTENT_TEST_DATA "/csv-spectrum/csvs"));
    const QStringList names = dir.entryList({QStringLiteral("*.csv")}, QDir::Files, QDir::Name);
    QVERIFY(names.size() == 12);
    for (const QString &name : names) {
        const QString base = name.chopped(4);
        QTest::newRow(qPrintable(base)) << base;
    }
}

// The csv-spectrum acid tests, fed one byte at a time so that every state of the tokeniser
// meets a chunk boundary.
void tst_CsvImport::csvSpectrum()
{
    QFETCH(QString, name);
    QFile csvFile(QStringLiteral(PORTENT_TEST_DATA "/csv-spectrum/csvs/") + name
                  + QStringLiteral(".csv"));
    QFile jsonFile(QStringLiteral(PORTENT_TEST_DATA "/csv-spectrum/json/") + name
                   + QStringLiteral(".json"));
    QVERIFY(csvFile.open(QIODevice::ReadOnly));
    QVERIFY(jsonFile.open(QIODevice::ReadOnly));
    const QByteArray csv = csvFile.readAll();

    QStringList header;
    QJsonArray parsed;
    CsvReader reader([&](qint64, const CsvRow &row) {
        if (header.isEmpty()) {
            for (qsizetype i = 0; i < row.size(); ++i) {
                header.append(QString::fromUtf8(row.field(i)));
            }
            return true;
        }
        QJsonObject object;
        for (qsizetype i = 0; i < row.size() && i < header.size(); ++i) {
            object.insert(header[i], QString::fromUtf8(row.field(i)));
        }
        parsed.append(object);
        return true;
    });
    for (qsizetype i = 0; i < csv.size(); ++i) {
        QVERIFY(reader.feed(QByteArrayView(csv).sliced(i, 1)));
    }
    QVERIFY(reader.finish());

    const QJsonDocument expected = QJsonDocument::fromJson(jsonFile.readAll());
    // Upstream's expected JSON for this case is a single object with a different phone number,
    // and its CSV has a bare quote inside an unquoted field (see tests/data/README.md).
    QEXPECT_FAIL("location_coordinates", "expected JSON is broken upstream", Continue);
    QCOMPARE(QJsonDocument(parsed), expected);
}

// Random text over the bytes that matter to the tokeniser (spaces and tabs next to commas,
// quotes and line breaks), some of it holding the stand-in bytes themselves, read by the reader
// in random pieces and by libcsv at once: the records must be the same.
void tst_CsvImport::spacesReadAsLibcsvReadsThem()
{
    QRandomGenerator random(20261204);
    const QByteArray alphabet(" \t,\"\r\nab", 8);
    int withStandIns = 0;
    for (int round = 0; round < 4000; ++round) {
        QByteArray text;
        const int length = random.bounded(1, 120);
        for (int i = 0; i < length; ++i) {
            text.append(alphabet[random.bounded(int(alphabet.size()))]);
        }
        // Some texts hold stand-in bytes themselves, a few of them several: the reader leaves
        // and resumes hiding spaces line by line.
        if (round % 8 == 0) {
            for (int i = 0, count = random.bounded(1, 4); i < count; ++i) {
                text.insert(random.bounded(int(text.size())), round % 16 ? '\xFE' : '\xFF');
            }
            ++withStandIns;
        }
        const QList<qsizetype> pieces = {random.bounded(1, 40), random.bounded(1, 40)};
        const Records expected = libcsvWithSpacesKept(text);
        const Records actual = readerRecords(text, pieces);
        if (actual != expected) {
            qWarning() << "text" << text.toPercentEncoding() << "pieces" << pieces;
        }
        QCOMPARE(actual, expected);
    }
    QCOMPARE(withStandIns, 500);
}

// A record that spans lines, whose second line holds a stand-in byte: the fields before it were
// fed with stand-ins and come back with their spaces, the stand-in byte stays itself, and so
// does the one in the next record.
void tst_CsvImport::standInByteMidRecord()
{
    const QByteArray text("a b,\" c\td \nsecond \xFE line \",e \nf ,\xFF\n");
    const Records expected = {{"a b", " c\td \nsecond \xFE line ", "e "}, {"f ", "\xFF"}};
    QCOMPARE(libcsvWithSpacesKept(text), expected);
    QCOMPARE(readerRecords(text, {1000}), expected);
    QCOMPARE(readerRecords(text, {3, 1}), expected);
}

// A header and no rows: the source is recorded (so a second import is noticed) and the report
// says there was nothing in it.
void tst_CsvImport::headerOnlyFileIsKeptWithAWarning()
{
    const QString file = writeFile(
        *m_dir, QStringLiteral("header-only.csv"), "Timestamp,DeviceName,RemoteIP,RemotePort\n");
    const ImportReport report = Importer::importNow(m_case, file);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.rowsAccepted, 0);
    QCOMPARE(report.warnings,
             QStringList{QStringLiteral("The file holds no rows: there was "
                                        "nothing to import.")});
    QCOMPARE(count(m_case, "sources"), 1);
    QCOMPARE(count(m_case, "events"), 0);
}

// An anonymised export (every RemoteIP a placeholder, as in real Sentinel samples) is kept, and
// the report says why it can never match, quoting the first address; so is one of IPv6 only.
// One address a formula can read (strict IPv4, IPv4-mapped, or four numbers KQL's split reads,
// such as "300.1.2.3") is enough to say nothing.
void tst_CsvImport::exportWithoutOctetsWarns_data()
{
    QTest::addColumn<QByteArrayList>("addresses");
    QTest::addColumn<QString>("warning");
    const QString placeholders = QStringLiteral(
        "No remote address in the 2 rows that have one is an IPv4 address or four numbers a "
        "formula could read (for example \"REDACTED IP\"), so nothing in this file can match a "
        "DNS-calculation rule. Was the export anonymised?");
    QTest::newRow("placeholders") << QByteArrayList{"REDACTED IP", "1.2.3", ""} << placeholders;
    QTest::newRow("ipv6-only")
        << QByteArrayList{"2001:db8::1", "fe80::1"}
        << QStringLiteral("Every remote address in the 2 rows that have one is IPv6 (for example "
                          "\"2001:db8::1\"), which has no octets for a formula, so nothing in "
                          "this file can match a DNS-calculation rule.");
    QTest::newRow("ipv6-and-placeholders")
        << QByteArrayList{"2001:db8::1", "REDACTED IP", "REDACTED:IP"}
        << QStringLiteral("No remote address in the 3 rows that have one is an IPv4 address or "
                          "four numbers a formula could read (for example \"REDACTED IP\"), so "
                          "nothing in this file can match a DNS-calculation rule. Was the export "
                          "anonymised?");
    QTest::newRow("one-mapped") << QByteArrayList{"REDACTED IP", "::ffff:61.19.32.5"} << QString();
    QTest::newRow("one-kql-only") << QByteArrayList{"REDACTED IP", "300.1.2.3"} << QString();
    QTest::newRow("one-strict") << QByteArrayList{"2001:db8::1", "61.19.32.5"} << QString();
}

void tst_CsvImport::exportWithoutOctetsWarns()
{
    QFETCH(QByteArrayList, addresses);
    QFETCH(QString, warning);
    QByteArray content = "Timestamp,RemoteIP,RemotePort\n";
    for (const QByteArray &address : std::as_const(addresses)) {
        content += "2024-03-13T06:40:13Z," + address + ",443\n";
    }
    const QString file = writeFile(*m_dir, QStringLiteral("addresses.csv"), content);
    ImportOptions options;
    options.force = true; // rows of the test may repeat another's content
    const ImportReport report = Importer::importNow(m_case, file, options);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.rowsAccepted, addresses.size());
    QCOMPARE(report.warnings, warning.isEmpty() ? QStringList() : QStringList{warning});
}

void tst_CsvImport::reportJsonRoundTrip()
{
    ImportReport report;
    report.filePath = QStringLiteral("/tmp/x.csv");
    report.format = QStringLiteral("defender-csv");
    report.rowsAccepted = 7;
    report.rowsRejected = 1;
    report.firstRejections = {RejectedRow{3, QStringLiteral("RemotePort"), QStringLiteral("bad")}};
    report.dateOrder = DateOrder::DayFirst;
    report.warnings = {QStringLiteral("w")};
    report.sourceId = 4;
    const ImportReport back = ImportReport::fromJson(report.toJson());
    QCOMPARE(back.toJson(), report.toJson());
    QCOMPARE(back.firstRejections.first().line, 3);
    QCOMPARE(back.dateOrder, DateOrder::DayFirst);
}

QTEST_GUILESS_MAIN(tst_CsvImport)
#include "tst_csvimport.moc"
