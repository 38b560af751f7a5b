// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "detect/engine.h"
#include "store/casefile.h"
#include "store/eventwriter.h"
#include "store/schema.h"

#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <SQLiteCpp/SQLiteCpp.h>

using namespace Portent;

// One import of a ring of addresses for the memory-bound tests.
struct RingImport
{
    const char *sha;
    int rows;
    int addresses;
    qsizetype bound; // the writer's remembered keys
    bool commit = true;
};
Q_DECLARE_METATYPE(RingImport)

class tst_CaseFile : public QObject
{
    Q_OBJECT

private slots:
    void createsVersionedWalCase();
    void refusesForeignDatabase();
    void refusesRetiredDevelopmentSchema();
    void writerCommitsAndInterns();
    void sharedExtrasStoredOnceWhateverTheirKey();
    void batchesStoreGroupsAndTheRest();
    void badPortInBatchChangesNothing();
    void reportIdIsAnIntegerOnlyWhenCanonical_data();
    void reportIdIsAnIntegerOnlyWhenCanonical();
    void writerRollsBackWhenNotCommitted();
    void writerCancelledAtCommitWritesNothing();
    void dateOrderSwapsAmbiguousTimes();
    void writerSwapsAmbiguousReadingsOfItsSource();
    void migratesSchema2Case();
    void migratesSchema3Case_data();
    void migratesSchema3Case();
    void failedUpgradeLeavesSchema3Case();
    void upgradesCaseWrittenBySchema3Release();
    void failedAddIsNeverCommitted();
    void readOnlyOpenWritesNothingAndLeavesNoFiles();
    void readOnlyOpenLeavesACrashedWritersLogAlone();
    void portsAtTheEdgesAreDistinctEndpoints_data();
    void portsAtTheEdgesAreDistinctEndpoints();
    void removeSourceCascades();
    void secondImportReusesAddressesAndEndpoints();
    void writerPastItsMemoryBoundStaysUnique_data();
    void writerPastItsMemoryBoundStaysUnique();
    void detectionReadsTheCoveringIndex_data();
    void detectionReadsTheCoveringIndex();
    void eventIndexesSurviveImport_data();
    void eventIndexesSurviveImport();

private:
    static SourceInfo sampleSource(const QString &sha);
    static EventRecord sampleRecord(qint64 line, const QByteArray &ip, std::optional<qint64> port);
    // A record whose slash date could be read two ways when `alt` is given.
    static EventRecord datedRecord(qint64 line, qint64 time, std::optional<qint64> alt = {});
    QString newCasePath();
    static QStringList eventIndexNames(SQLite::Database &db);
    // Rewrites a current case as schema 3 wrote it: remote addresses in `addresses` (shared
    // with a local address of the same text), endpoints referring to them by id, and a view
    // that reads them. With `lookupIndexes`, also the unique indexes of a writer that had
    // crossed its memory bound.
    static void downgradeToSchema3(SQLite::Database &db, bool lookupIndexes = false);
    static QStringList eventViewRows(SQLite::Database &db);
    // The remote address and port importRing writes for `row`, and the local address.
    static EventRecord ringRecord(const RingImport &ring, int row);
    static bool importRing(CaseFile &caseFile,
                           const RingImport &ring,
                           QSet<QPair<QByteArray, qint64>> &seen,
                           bool commit);

    QTemporaryDir m_dir;
    int m_counter = 0;
};

SourceInfo tst_CaseFile::sampleSource(const QString &sha)
{
    SourceInfo source;
    source.fileName = QStringLiteral("export.csv");
    source.filePath = QStringLiteral("/tmp/export.csv");
    source.size = 123;
    source.sha256 = sha;
    source.format = QStringLiteral("defender-csv");
    source.importedAt = 1;
    return source;
}

EventRecord
tst_CaseFile::sampleRecord(qint64 line, const QByteArray &ip, std::optional<qint64> port)
{
    EventRecord record;
    record.sourceLine = line;
    record.time = line * 1000;
    record.deviceName = "ws-01";
    record.actionType = "ConnectionSuccess";
    record.remoteIp = ip;
    record.remotePort = port;
    record.processName = "rundll32.exe";
    return record;
}

EventRecord tst_CaseFile::datedRecord(qint64 line, qint64 time, std::optional<qint64> alt)
{
    EventRecord record = sampleRecord(line, "1.2.3.4", 5);
    record.time = time;
    record.timeAlt = alt;
    return record;
}

QString tst_CaseFile::newCasePath()
{
    return m_dir.filePath(QStringLiteral("case%1.portent").arg(++m_counter));
}

void tst_CaseFile::createsVersionedWalCase()
{
    const QString path = newCasePath();
    auto opened = CaseFile::open(path, CaseFile::Mode::CreateOrOpen);
    QVERIFY2(opened, qPrintable(opened.errorMessage()));
    QCOMPARE((*opened)->schemaVersion(), CurrentSchemaVersion);

    SQLite::Database &db = (*opened)->database();
    QCOMPARE(QByteArray(db.execAndGet("PRAGMA journal_mode").getText()), QByteArray("wal"));
    QCOMPARE(db.execAndGet("PRAGMA foreign_keys").getInt(), 1);
    QCOMPARE((*opened)->eventCount(), qint64(0));
    QVERIFY(!(*opened)->newestEventTime());

    const auto missing = CaseFile::open(m_dir.filePath(QStringLiteral("nope.portent")),
                                        CaseFile::Mode::OpenExisting);
    QVERIFY(!missing);
    QVERIFY(missing.errorMessage().contains(QLatin1String("nope.portent")));
}

void tst_CaseFile::refusesForeignDatabase()
{
    const QString path = newCasePath();
    {
        SQLite::Database other(path.toStdString(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        other.exec("CREATE TABLE t (x)");
    }
    const auto opened = CaseFile::open(path, CaseFile::Mode::OpenExisting);
    QVERIFY(!opened);
    QVERIFY(opened.errorMessage().contains(QLatin1String("not a Portent case")));
}

// A case from a development build (schema 1, before the first release) is refused with a
// message that says what to do, not opened with views that no longer fit its tables.
void tst_CaseFile::refusesRetiredDevelopmentSchema()
{
    const QString path = newCasePath();
    {
        SQLite::Database old(path.toStdString(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        old.exec("PRAGMA application_id = 1347572814"); // "PRTN", Portent's id
        old.exec("CREATE TABLE events (id INTEGER PRIMARY KEY)");
        old.exec("PRAGMA user_version = 1");
    }
    const auto opened = CaseFile::open(path, CaseFile::Mode::OpenExisting);
    QVERIFY(!opened);
    QVERIFY2(opened.errorMessage().contains(QLatin1String("development build")),
             qPrintable(opened.errorMessage()));
    QVERIFY(opened.errorMessage().contains(path));
}

// The importer names each shared extras text with a key; the same text under a new key (its
// cache was cleared) or under none (another producer) must still be stored once.
void tst_CaseFile::sharedExtrasStoredOnceWhateverTheirKey()
{
    auto opened = CaseFile::open(newCasePath(), CaseFile::Mode::CreateOrOpen);
    CaseFile &caseFile = **opened;
    auto writer = EventWriter::begin(caseFile, sampleSource(QStringLiteral("ab")));
    QVERIFY2(writer, qPrintable(writer.errorMessage()));

    const QByteArray shared = R"({"InitiatingProcessSHA1":"53f5b3ae"})";
    const QByteArray other = R"({"InitiatingProcessSHA1":"0000"})";
    const std::pair<quint64, QByteArray> extras[]
        = {{7, shared}, {7, shared}, {0, shared}, {8, shared}, {9, other}, {0, other}};
    qint64 line = 2;
    for (const auto &[key, text] : extras) {
        EventRecord record = sampleRecord(line++, "61.19.32.5", 1191);
        record.extraShared = text;
        record.extraSharedKey = key;
        QVERIFY((*writer)->add(record));
    }
    SourceInfo final = sampleSource(QStringLiteral("ab"));
    final.rowsAccepted = 6;
    QVERIFY((*writer)->commit(final));

    SQLite::Database &db = caseFile.database();
    QCOMPARE(db.execAndGet("SELECT count(DISTINCT extra) FROM events").getInt(), 2);
    QCOMPARE(db.execAndGet("SELECT count(*) FROM events e JOIN strings s ON s.id = e.extra "
                           "WHERE s.text = '{\"InitiatingProcessSHA1\":\"53f5b3ae\"}' "
                           "AND e.line <= 5")
                 .getInt(),
             4);
    QCOMPARE(db.execAndGet("SELECT count(*) FROM strings WHERE text LIKE '{%'").getInt(), 2);
}

// 70 records in one call: two multi-row INSERTs of EventsPerInsert (32) and six single rows.
// After an earlier source of 3 events, this source's ids are 4..73, in line order, and the
// ambiguous readings of exactly its events swap.
void tst_CaseFile::batchesStoreGroupsAndTheRest()
{
    static_assert(EventWriter::EventsPerInsert == 32);
    auto opened = CaseFile::open(newCasePath(), CaseFile::Mode::CreateOrOpen);
    CaseFile &caseFile = **opened;
    auto earlier = EventWriter::begin(caseFile, sampleSource(QStringLiteral("b1")));
    const std::vector<EventRecord> first
        = {datedRecord(2, 10, 20), datedRecord(3, 30), datedRecord(4, 40)};
    QVERIFY((*earlier)->add(first));
    QVERIFY((*earlier)->commit(sampleSource(QStringLiteral("b1"))));

    std::vector<EventRecord> records;
    for (qint64 line = 2; line < 72; ++line) {
        // Every tenth row is an ambiguous slash date: its other reading is 5,000,000 + line.
        records.push_back(datedRecord(line, line, line % 10 == 0 ? 5'000'000 + line : 0));
        if (line % 10 != 0) {
            records.back().timeAlt.reset();
        }
        records.back().remotePort = line;
    }
    auto writer = EventWriter::begin(caseFile, sampleSource(QStringLiteral("b2")));
    QVERIFY((*writer)->add(records));
    QCOMPARE((*writer)->added(), qint64(70));
    QVERIFY((*writer)->swapAmbiguousReadings());
    QVERIFY((*writer)->commit(sampleSource(QStringLiteral("b2"))));

    SQLite::Database &db = caseFile.database();
    SQLite::Statement range(db,
                            "SELECT first_event_id, last_event_id FROM sources "
                            "WHERE sha256 = 'b2'");
    QVERIFY(range.executeStep());
    QCOMPARE(range.getColumn(0).getInt64(), qint64(4));
    QCOMPARE(range.getColumn(1).getInt64(), qint64(73));
    QCOMPARE(db.execAndGet("SELECT count(*) FROM events WHERE id BETWEEN 4 AND 73 "
                           "AND line = id - 2 AND source_id = 2")
                 .getInt(),
             70);
    // Lines 10, 20 .. 70 now carry their other reading; the first source's line 2 does not.
    QCOMPARE(db.execAndGet("SELECT count(*) FROM events WHERE time = 5000000 + line "
                           "AND source_id = 2")
                 .getInt(),
             7);
    QCOMPARE(db.execAndGet("SELECT time FROM events WHERE source_id = 1 AND line = 2").getInt64(),
             qint64(10));
    // Each record has its own port, 2..71, of 1.2.3.4: 70 endpoints. Port 5 is also the first
    // source's endpoint, so the counts add up to all 73 events.
    QCOMPARE(db.execAndGet("SELECT count(*) FROM endpoints").getInt(), 70);
    QCOMPARE(db.execAndGet("SELECT sum(event_count) FROM endpoints").getInt(), 73);
    QCOMPARE(db.execAndGet("SELECT event_count FROM endpoints WHERE port = 5").getInt(), 4);
    // The 69 new endpoints went in as two INSERTs of 32 rows and five stored at commit, after
    // events that refer to them: each event still finds its own endpoint.
    static_assert(EventWriter::EndpointsPerInsert == 32);
    QCOMPARE(db.execAndGet("SELECT count(*) FROM events e JOIN endpoints ep "
                           "ON ep.id = e.remote_endpoint WHERE e.source_id = 2 "
                           "AND ep.port = e.line AND ep.address = '1.2.3.4'")
                 .getInt(),
             70);
    QCOMPARE(db.execAndGet("SELECT count(*) FROM pragma_foreign_key_check").getInt(), 0);
}

// A port out of range in the second group of a batch: the call fails naming that line, and
// nothing of that group was interned (its endpoints were never created).
void tst_CaseFile::badPortInBatchChangesNothing()
{
    auto opened = CaseFile::open(newCasePath(), CaseFile::Mode::CreateOrOpen);
    CaseFile &caseFile = **opened;
    std::vector<EventRecord> records;
    for (qint64 line = 2; line < 72; ++line) {
        records.push_back(sampleRecord(line, "61.19.32." + QByteArray::number(line), 4000));
    }
    records[40].remotePort = 70000;
    {
        auto writer = EventWriter::begin(caseFile, sampleSource(QStringLiteral("bp")));
        const Status added = (*writer)->add(records);
        QVERIFY(!added);
        QVERIFY2(added.errorMessage().contains(QLatin1String("Line 42 ")),
                 qPrintable(added.errorMessage()));
        QCOMPARE((*writer)->added(), qint64(32));
        // Inside the import's transaction: the first group's 32 endpoints, none of the second's.
        QCOMPARE(caseFile.database().execAndGet("SELECT count(*) FROM endpoints").getInt(), 32);
        // Rolled back when the writer goes without a commit.
    }
    SQLite::Database &db = caseFile.database();
    QCOMPARE(db.execAndGet("SELECT count(*) FROM events").getInt(), 0);
    QCOMPARE(db.execAndGet("SELECT count(*) FROM sources").getInt(), 0);
    QCOMPARE(db.execAndGet("SELECT count(*) FROM endpoints").getInt(), 0);
}

void tst_CaseFile::writerCommitsAndInterns()
{
    auto opened = CaseFile::open(newCasePath(), CaseFile::Mode::CreateOrOpen);
    CaseFile &caseFile = **opened;
    auto writer = EventWriter::begin(caseFile, sampleSource(QStringLiteral("aa")));
    QVERIFY2(writer, qPrintable(writer.errorMessage()));

    EventRecord numbered = sampleRecord(2, "61.19.32.5", 1191);
    numbered.reportId = "113597";
    QVERIFY((*writer)->add(numbered));
    EventRecord padded = sampleRecord(3, "61.19.32.5", 1191);
    padded.reportId = "0042"; // not canonical: kept as text, leading zeros and all
    QVERIFY((*writer)->add(padded));
    QVERIFY((*writer)->add(sampleRecord(4, "::ffff:61.19.32.5", 1191)));
    EventRecord redactedRecord = sampleRecord(5, "REDACTED IP", 443);
    redactedRecord.localIp = "10.0.0.7";
    QVERIFY((*writer)->add(redactedRecord));
    SourceInfo final = sampleSource(QStringLiteral("aa"));
    final.rowsAccepted = 4;
    QVERIFY((*writer)->commit(final));

    SQLite::Database &db = caseFile.database();
    QCOMPARE(caseFile.eventCount(), qint64(4));
    QCOMPARE(*caseFile.newestEventTime(), qint64(5000));
    // One device, one action, one process: each stored once. Report ids are not strings.
    QCOMPARE(db.execAndGet("SELECT count(*) FROM strings").getInt(), 3);
    QCOMPARE(QByteArray(db.execAndGet("SELECT typeof(report_id) || ':' || report_id FROM events "
                                      "WHERE line = 2")
                            .getText()),
             QByteArray("integer:113597"));
    QCOMPARE(QByteArray(db.execAndGet("SELECT typeof(report_id) || ':' || report_id FROM events "
                                      "WHERE line = 3")
                            .getText()),
             QByteArray("text:0042"));
    // Two events share 61.19.32.5:1191, so three endpoints for four events. Remote addresses
    // live with their endpoints; `addresses` holds the one local address.
    QCOMPARE(db.execAndGet("SELECT count(*) FROM endpoints").getInt(), 3);
    QCOMPARE(db.execAndGet("SELECT max(event_count) FROM endpoints").getInt(), 2);
    QCOMPARE(QByteArray(db.execAndGet("SELECT group_concat(text || ':' || ipv4 || ':' || "
                                      "ip_class) FROM addresses")
                            .getText()),
             QByteArray("10.0.0.7:167772167:Private")); // 10 << 24 | 7
    // 61 << 24 | 19 << 16 | 32 << 8 | 5
    QCOMPARE(db.execAndGet("SELECT ipv4 FROM endpoints WHERE address = '61.19.32.5'").getInt64(),
             qint64(1024663557));

    // The mapped address keeps its text, yields the same value and strict octets, and no KQL
    // first octet.
    SQLite::Statement mapped(db,
                             "SELECT o1, o2, o3, o4, ip_class, kql_o1, kql_o2, ipv4, port "
                             "FROM endpoints WHERE address = '::ffff:61.19.32.5'");
    QVERIFY(mapped.executeStep());
    QCOMPARE(mapped.getColumn(0).getInt(), 61);
    QCOMPARE(mapped.getColumn(3).getInt(), 5);
    QCOMPARE(QByteArray(mapped.getColumn(4).getText()), QByteArray("Public"));
    QVERIFY(mapped.getColumn(5).isNull());
    QCOMPARE(mapped.getColumn(6).getInt(), 19);
    QCOMPARE(mapped.getColumn(7).getInt64(), qint64(1024663557));
    QCOMPARE(mapped.getColumn(8).getInt(), 1191);

    SQLite::Statement redacted(db,
                               "SELECT ipv4, kql_o1, o1, ip_class FROM endpoints "
                               "WHERE address = 'REDACTED IP'");
    QVERIFY(redacted.executeStep());
    for (int column = 0; column < 4; ++column) {
        QVERIFY(redacted.getColumn(column).isNull());
    }
    SQLite::Statement local(db, "SELECT local_ip, remote_ip FROM event_view WHERE line = 5");
    QVERIFY(local.executeStep());
    QCOMPARE(QByteArray(local.getColumn(0).getText()), QByteArray("10.0.0.7"));
    QCOMPARE(QByteArray(local.getColumn(1).getText()), QByteArray("REDACTED IP"));

    SQLite::Statement view(db,
                           "SELECT remote_ip, remote_port, o1, process_name FROM event_view "
                           "WHERE line = 2");
    QVERIFY(view.executeStep());
    QCOMPARE(QByteArray(view.getColumn(0).getText()), QByteArray("61.19.32.5"));
    QCOMPARE(view.getColumn(1).getInt(), 1191);
    QCOMPARE(view.getColumn(2).getInt(), 61);
    QCOMPARE(QByteArray(view.getColumn(3).getText()), QByteArray("rundll32.exe"));

    QVERIFY(caseFile.sourceWithSha256(QStringLiteral("aa")));
    QVERIFY(!caseFile.sourceWithSha256(QStringLiteral("bb")));
}

void tst_CaseFile::reportIdIsAnIntegerOnlyWhenCanonical_data()
{
    QTest::addColumn<QByteArray>("reportId");
    QTest::addColumn<QByteArray>("stored");
    QTest::newRow("plain") << QByteArray("113597") << QByteArray("integer:113597");
    QTest::newRow("zero") << QByteArray("0") << QByteArray("integer:0");
    QTest::newRow("negative") << QByteArray("-17") << QByteArray("integer:-17");
    QTest::newRow("int64-max") << QByteArray("9223372036854775807")
                               << QByteArray("integer:9223372036854775807");
    QTest::newRow("past-int64") << QByteArray("9223372036854775808")
                                << QByteArray("text:9223372036854775808");
    QTest::newRow("leading-zeros") << QByteArray("0042") << QByteArray("text:0042");
    QTest::newRow("minus-zero") << QByteArray("-0") << QByteArray("text:-0");
    QTest::newRow("plus-sign") << QByteArray("+5") << QByteArray("text:+5");
    QTest::newRow("trailing-space") << QByteArray("7 ") << QByteArray("text:7 ");
    QTest::newRow("minus-alone") << QByteArray("-") << QByteArray("text:-");
}

// Integers are stored as such only when they read back as the same text.
void tst_CaseFile::reportIdIsAnIntegerOnlyWhenCanonical()
{
    QFETCH(QByteArray, reportId);
    QFETCH(QByteArray, stored);
    auto opened = CaseFile::open(newCasePath(), CaseFile::Mode::CreateOrOpen);
    auto writer = EventWriter::begin(**opened, sampleSource(QStringLiteral("r1")));
    EventRecord record = sampleRecord(2, "61.19.32.5", 1191);
    record.reportId = reportId;
    QVERIFY((*writer)->add(record));
    QVERIFY((*writer)->commit(sampleSource(QStringLiteral("r1"))));
    QCOMPARE(QByteArray((*opened)
                            ->database()
                            .execAndGet("SELECT typeof(report_id) || ':' || report_id FROM events")
                            .getText()),
             stored);
}

void tst_CaseFile::writerRollsBackWhenNotCommitted()
{
    auto opened = CaseFile::open(newCasePath(), CaseFile::Mode::CreateOrOpen);
    CaseFile &caseFile = **opened;
    {
        auto writer = EventWriter::begin(caseFile, sampleSource(QStringLiteral("cc")));
        QVERIFY((*writer)->add(sampleRecord(2, "1.2.3.4", 5)));
    }
    SQLite::Database &db = caseFile.database();
    QCOMPARE(db.execAndGet("SELECT count(*) FROM sources").getInt(), 0);
    QCOMPARE(db.execAndGet("SELECT count(*) FROM events").getInt(), 0);
    QCOMPARE(db.execAndGet("SELECT count(*) FROM addresses").getInt(), 0);
    QCOMPARE(db.execAndGet("PRAGMA foreign_keys").getInt(), 1);
}

// Cancel pressed while a large import is being finished: the commit itself still backs out.
void tst_CaseFile::writerCancelledAtCommitWritesNothing()
{
    auto opened = CaseFile::open(newCasePath(), CaseFile::Mode::CreateOrOpen);
    CaseFile &caseFile = **opened;
    auto writer = EventWriter::begin(caseFile, sampleSource(QStringLiteral("c2")));
    QVERIFY((*writer)->add(sampleRecord(2, "1.2.3.4", 5)));
    int asked = 0;
    const Status committed = (*writer)->commit(sampleSource(QStringLiteral("c2")), [&asked] {
        ++asked;
        return true;
    });
    QVERIFY(!committed);
    QCOMPARE(asked, 1);
    SQLite::Database &db = caseFile.database();
    QCOMPARE(db.execAndGet("SELECT count(*) FROM sources").getInt(), 0);
    QCOMPARE(db.execAndGet("SELECT count(*) FROM events").getInt(), 0);
    QCOMPARE(eventIndexNames(db).size(), 1);
    // The writer changed two settings around its transaction; both are back (2: MEMORY).
    QCOMPARE(db.execAndGet("PRAGMA foreign_keys").getInt(), 1);
    QCOMPARE(db.execAndGet("PRAGMA temp_store").getInt(), 2);
}

void tst_CaseFile::dateOrderSwapsAmbiguousTimes()
{
    auto opened = CaseFile::open(newCasePath(), CaseFile::Mode::CreateOrOpen);
    CaseFile &caseFile = **opened;
    auto writer = EventWriter::begin(caseFile, sampleSource(QStringLiteral("dd")));
    QVERIFY((*writer)->add(datedRecord(2, 100, 400)));
    QVERIFY((*writer)->add(datedRecord(3, 300)));
    SourceInfo final = sampleSource(QStringLiteral("dd"));
    final.rowsAccepted = 2;
    final.dateOrder = DateOrder::MonthFirst;
    QVERIFY((*writer)->commit(final));
    const qint64 sourceId = caseFile.sources().constFirst().id;
    QCOMPARE(*caseFile.newestEventTime(), qint64(300));

    QVERIFY(caseFile.setDateOrder(sourceId, DateOrder::DayFirst));
    SQLite::Database &db = caseFile.database();
    QCOMPARE(db.execAndGet("SELECT time FROM events WHERE line = 2").getInt64(), qint64(400));
    QCOMPARE(db.execAndGet("SELECT time_alt FROM events WHERE line = 2").getInt64(), qint64(100));
    QCOMPARE(db.execAndGet("SELECT time FROM events WHERE line = 3").getInt64(), qint64(300));
    // The default window ends at the newest event, which the swap moved.
    QCOMPARE(*caseFile.newestEventTime(), qint64(400));
    QCOMPARE(caseFile.sources().constFirst().dateOrder, DateOrder::DayFirst);
    // The stored report follows the change: reopened later, it states the order in force.
    const QString reason = QString::fromStdString(
        db.execAndGet("SELECT json_extract(report, '$.dateOrderReason') FROM sources").getString());
    QCOMPARE(reason,
             QStringLiteral("day-first, changed by the user after import (1 ambiguous "
                            "dates re-read)"));
    QCOMPARE(
        QString::fromStdString(
            db.execAndGet("SELECT json_extract(report, '$.dateOrder') FROM sources").getString()),
        QStringLiteral("day-first"));

    // Asking for the order already in force changes nothing.
    QVERIFY(caseFile.setDateOrder(sourceId, DateOrder::DayFirst));
    QCOMPARE(db.execAndGet("SELECT time FROM events WHERE line = 2").getInt64(), qint64(400));
}

// The importer decides day-first only after writing the rows; the writer swaps them in its own
// transaction, touching this source's events only, and commits the newest time that results.
void tst_CaseFile::writerSwapsAmbiguousReadingsOfItsSource()
{
    auto opened = CaseFile::open(newCasePath(), CaseFile::Mode::CreateOrOpen);
    CaseFile &caseFile = **opened;
    auto earlier = EventWriter::begin(caseFile, sampleSource(QStringLiteral("s1")));
    QVERIFY((*earlier)->add(datedRecord(2, 100, 900)));
    QVERIFY((*earlier)->commit(sampleSource(QStringLiteral("s1"))));

    auto writer = EventWriter::begin(caseFile, sampleSource(QStringLiteral("s2")));
    QVERIFY((*writer)->add(datedRecord(7, 200, 700)));
    QVERIFY((*writer)->add(datedRecord(8, 500)));
    QVERIFY((*writer)->swapAmbiguousReadings());
    QVERIFY((*writer)->commit(sampleSource(QStringLiteral("s2"))));

    SQLite::Database &db = caseFile.database();
    QCOMPARE(db.execAndGet("SELECT time FROM events WHERE line = 7").getInt64(), qint64(700));
    QCOMPARE(db.execAndGet("SELECT time FROM events WHERE line = 8").getInt64(), qint64(500));
    QCOMPARE(db.execAndGet("SELECT time FROM events WHERE line = 2").getInt64(), qint64(100));
    QCOMPARE(db.execAndGet("SELECT newest_time FROM sources WHERE sha256 = 's2'").getInt64(),
             qint64(700));
    QCOMPARE(db.execAndGet("SELECT last_event_id - first_event_id FROM sources "
                           "WHERE sha256 = 's2'")
                 .getInt64(),
             qint64(1));
    QCOMPARE(*caseFile.newestEventTime(), qint64(700));
}

// A schema 2 case (its sources without the newest time and id range, events_time and
// events_source still there) is brought up to date on open, with those filled in.
void tst_CaseFile::migratesSchema2Case()
{
    const QString path = newCasePath();
    {
        auto opened = CaseFile::open(path, CaseFile::Mode::CreateOrOpen);
        auto writer = EventWriter::begin(**opened, sampleSource(QStringLiteral("m1")));
        QVERIFY((*writer)->add(sampleRecord(2, "1.2.3.4", 5)));
        QVERIFY((*writer)->add(sampleRecord(3, "1.2.3.4", 6)));
        QVERIFY((*writer)->commit(sampleSource(QStringLiteral("m1"))));
        SQLite::Database &db = (*opened)->database();
        // Back to what schema 2 wrote.
        downgradeToSchema3(db);
        db.exec("ALTER TABLE sources DROP COLUMN newest_time");
        db.exec("ALTER TABLE sources DROP COLUMN first_event_id");
        db.exec("ALTER TABLE sources DROP COLUMN last_event_id");
        db.exec("CREATE INDEX events_time ON events(time)");
        db.exec("CREATE INDEX events_source ON events(source_id)");
        db.exec("PRAGMA user_version = 2");
    }
    auto reopened = CaseFile::open(path, CaseFile::Mode::CreateOrOpen);
    QVERIFY2(reopened, qPrintable(reopened.errorMessage()));
    CaseFile &caseFile = **reopened;
    QCOMPARE(caseFile.schemaVersion(), CurrentSchemaVersion);
    QCOMPARE(eventIndexNames(caseFile.database()),
             QStringList{QStringLiteral("events_remote_endpoint")});
    QCOMPARE(*caseFile.newestEventTime(), qint64(3000)); // sampleRecord: line * 1000
    SQLite::Statement range(caseFile.database(),
                            "SELECT first_event_id, last_event_id FROM sources");
    QVERIFY(range.executeStep());
    QCOMPARE(range.getColumn(0).getInt64(), qint64(1));
    QCOMPARE(range.getColumn(1).getInt64(), qint64(2));
    // New address rows leave their octet columns empty; event_view reads the endpoint's.
    QCOMPARE(caseFile.database().execAndGet("SELECT count(o1) FROM addresses").getInt(), 0);
    QCOMPARE(caseFile.database()
                 .execAndGet("SELECT o1 || '.' || o4 FROM event_view WHERE line = 3")
                 .getString(),
             std::string("1.4"));
}

void tst_CaseFile::downgradeToSchema3(SQLite::Database &db, bool lookupIndexes)
{
    db.exec("PRAGMA foreign_keys = OFF");
    SQLite::Transaction transaction(db);
    db.exec(R"sql(
        INSERT INTO addresses (text, ipv4, ip_class)
            SELECT DISTINCT address, ipv4, ip_class FROM endpoints
            WHERE address NOT IN (SELECT text FROM addresses);
        CREATE TABLE endpoints_v3 (
            id INTEGER PRIMARY KEY,
            address_id INTEGER NOT NULL REFERENCES addresses(id),
            port INTEGER,
            event_count INTEGER NOT NULL DEFAULT 0,
            o1 INTEGER, o2 INTEGER, o3 INTEGER, o4 INTEGER,
            ip_class TEXT,
            kql_o1 INTEGER, kql_o2 INTEGER, kql_o3 INTEGER, kql_o4 INTEGER);
        INSERT INTO endpoints_v3
            SELECT ep.id, a.id, ep.port, ep.event_count, ep.o1, ep.o2, ep.o3, ep.o4,
                   ep.ip_class, ep.kql_o1, ep.kql_o2, ep.kql_o3, ep.kql_o4
            FROM endpoints ep JOIN addresses a ON a.text = ep.address;
        DROP VIEW event_view;
        DROP TABLE endpoints;
        ALTER TABLE endpoints_v3 RENAME TO endpoints;
        CREATE INDEX endpoints_port ON endpoints(port, kql_o1, kql_o2, kql_o3, kql_o4, o1, o2, o3,
                                                 o4, ip_class, address_id) WHERE port >= 1024;
        -- Stands for schema 3's view: it reads the column the upgrade removes.
        CREATE VIEW event_view AS
            SELECT e.id, a.text AS remote_ip FROM events e
            JOIN endpoints ep ON ep.id = e.remote_endpoint JOIN addresses a ON a.id = ep.address_id;
        -- A user's own view over the endpoints, as one might make in the sqlite3 shell.
        CREATE VIEW analyst_ports AS SELECT port, count(*) AS n FROM endpoints GROUP BY port;
        PRAGMA user_version = 3;
    )sql");
    if (lookupIndexes) {
        db.exec("CREATE UNIQUE INDEX addresses_text ON addresses(text)");
        db.exec("CREATE UNIQUE INDEX endpoints_address_port ON endpoints(address_id, port)");
    }
    transaction.commit();
    db.exec("PRAGMA foreign_keys = ON");
}

QStringList tst_CaseFile::eventViewRows(SQLite::Database &db)
{
    SQLite::Statement query(db, "SELECT * FROM event_view ORDER BY id");
    QStringList rows;
    while (query.executeStep()) {
        QStringList values;
        for (int column = 0; column < query.getColumnCount(); ++column) {
            const SQLite::Column value = query.getColumn(column);
            values.append(value.isNull() ? QStringLiteral("NULL")
                                         : QString::fromUtf8(value.getText()));
        }
        rows.append(values.join(QLatin1Char('|')));
    }
    return rows;
}

void tst_CaseFile::migratesSchema3Case_data()
{
    QTest::addColumn<bool>("lookupIndexes");
    QTest::newRow("in-memory-writer") << false;
    QTest::newRow("writer-past-its-bound") << true;
}

// A schema 3 case (remote addresses in `addresses`, endpoints referring to them) is brought to
// schema 4 on open: each endpoint keeps its id and gains its address, `addresses` keeps only the
// local ones (10.0.0.7 is also a remote address here), every event reads back exactly as before,
// and the next import, past the writer's bound, finds the endpoints the upgrade wrote.
void tst_CaseFile::migratesSchema3Case()
{
    QFETCH(bool, lookupIndexes);
    const QString path = newCasePath();
    QStringList before;
    {
        auto opened = CaseFile::open(path, CaseFile::Mode::CreateOrOpen);
        auto writer = EventWriter::begin(**opened, sampleSource(QStringLiteral("m3")));
        EventRecord first = sampleRecord(2, "61.19.32.5", 1191);
        first.localIp = "10.0.0.7";
        QVERIFY((*writer)->add(first));
        QVERIFY((*writer)->add(sampleRecord(3, "::ffff:61.19.32.5", 1191)));
        QVERIFY((*writer)->add(sampleRecord(4, "REDACTED IP", std::nullopt)));
        QVERIFY((*writer)->add(sampleRecord(5, "61.19.32.5", 1191)));
        QVERIFY((*writer)->add(sampleRecord(6, "10.0.0.7", 445)));
        QVERIFY((*writer)->commit(sampleSource(QStringLiteral("m3"))));
        SQLite::Database &db = (*opened)->database();
        before = eventViewRows(db);
        downgradeToSchema3(db, lookupIndexes);
        QCOMPARE(db.execAndGet("SELECT count(*) FROM addresses").getInt(), 4);
    }
    auto reopened = CaseFile::open(path, CaseFile::Mode::CreateOrOpen);
    QVERIFY2(reopened, qPrintable(reopened.errorMessage()));
    SQLite::Database &db = (*reopened)->database();
    QCOMPARE((*reopened)->schemaVersion(), CurrentSchemaVersion);
    QCOMPARE(before.size(), 5);
    QCOMPARE(eventViewRows(db), before);
    QCOMPARE(QByteArray(db.execAndGet("SELECT group_concat(text) FROM addresses").getText()),
             QByteArray("10.0.0.7"));
    QCOMPARE(QByteArray(db.execAndGet("SELECT group_concat(id || '=' || address || ':' || "
                                      "ifnull(port, '-') || ':' || event_count, ' ') "
                                      "FROM endpoints")
                            .getText()),
             QByteArray("1=61.19.32.5:1191:2 2=::ffff:61.19.32.5:1191:1 3=REDACTED IP:-:1 "
                        "4=10.0.0.7:445:1"));
    QCOMPARE(db.execAndGet("SELECT count(*) FROM pragma_foreign_key_check").getInt(), 0);
    QCOMPARE(db.execAndGet("PRAGMA foreign_keys").getInt(), 1);
    QCOMPARE(db.execAndGet("PRAGMA legacy_alter_table").getInt(), 0);
    QCOMPARE(db.execAndGet("SELECT count(*) FROM analyst_ports").getInt(), 3); // 1191, 445, none
    QVERIFY(db.execAndGet("SELECT sql FROM sqlite_schema WHERE name = 'endpoints_port'")
                .getString()
                .find("address_id")
            == std::string::npos);

    // A bound of 2 makes the writer look every endpoint up in the case.
    auto writer = EventWriter::begin(**reopened, sampleSource(QStringLiteral("m4")), 2);
    QVERIFY((*writer)->add(sampleRecord(7, "61.19.32.5", 1191)));
    QVERIFY((*writer)->add(sampleRecord(8, "REDACTED IP", std::nullopt)));
    QVERIFY((*writer)->add(sampleRecord(9, "61.19.32.6", 1191)));
    QVERIFY((*writer)->commit(sampleSource(QStringLiteral("m4"))));
    QCOMPARE(QByteArray(db.execAndGet("SELECT group_concat(id || ':' || event_count, ' ') "
                                      "FROM endpoints")
                            .getText()),
             QByteArray("1:3 2:1 3:2 4:1 5:1"));
}

// An upgrade that would leave an event without its endpoint (here the schema 3 endpoint's
// address row is missing, so the rebuild's join drops it) is refused: the case stays as it was,
// at schema 3, and the message says what to do.
void tst_CaseFile::failedUpgradeLeavesSchema3Case()
{
    const QString path = newCasePath();
    {
        auto opened = CaseFile::open(path, CaseFile::Mode::CreateOrOpen);
        auto writer = EventWriter::begin(**opened, sampleSource(QStringLiteral("f3")));
        QVERIFY((*writer)->add(sampleRecord(2, "61.19.32.5", 1191)));
        QVERIFY((*writer)->commit(sampleSource(QStringLiteral("f3"))));
        SQLite::Database &db = (*opened)->database();
        downgradeToSchema3(db);
        db.exec("PRAGMA foreign_keys = OFF");
        db.exec("DELETE FROM addresses");
    }
    auto reopened = CaseFile::open(path, CaseFile::Mode::CreateOrOpen);
    QVERIFY(!reopened);
    QVERIFY2(reopened.errorMessage().contains(QLatin1String("event 1 refers to a missing row "
                                                            "of endpoints"))
                 && reopened.errorMessage().contains(QLatin1String("into a new case")),
             qPrintable(reopened.errorMessage()));

    SQLite::Database raw(path.toStdString(), SQLite::OPEN_READONLY);
    QCOMPARE(raw.execAndGet("PRAGMA user_version").getInt(), 3);
    QCOMPARE(raw.execAndGet("SELECT count(*) FROM endpoints WHERE address_id = 1").getInt(), 1);
}

// tests/data/cases/schema3.portent was written by the schema 3 release itself (see the README
// there), with a view of a user's own over the endpoints. Opened, it is upgraded: every event
// reads back with its addresses and octets (worked out from schema3-source.csv by hand), the
// user's view still works, and `addresses` keeps the two local addresses.
void tst_CaseFile::upgradesCaseWrittenBySchema3Release()
{
    const QString path = newCasePath();
    QVERIFY(QFile::copy(QStringLiteral(PORTENT_TEST_DATA "/cases/schema3.portent"), path));
    QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner));
    auto opened = CaseFile::open(path, CaseFile::Mode::OpenExisting);
    QVERIFY2(opened, qPrintable(opened.errorMessage()));
    SQLite::Database &db = (*opened)->database();
    QCOMPARE((*opened)->schemaVersion(), CurrentSchemaVersion);

    SQLite::Statement events(db,
                             "SELECT line, remote_ip, ifnull(remote_ipv4, '-'), "
                             "ifnull(o1 || '.' || o2 || '.' || o3 || '.' || o4, '-'), "
                             "ifnull(remote_port, '-'), local_ip, local_port, device_name "
                             "FROM event_view ORDER BY line");
    QStringList rows;
    while (events.executeStep()) {
        QStringList values;
        for (int column = 0; column < events.getColumnCount(); ++column) {
            values.append(QString::fromUtf8(events.getColumn(column).getText()));
        }
        rows.append(values.join(QLatin1Char(' ')));
    }
    // 61.19.32.5 = 61 << 24 | 19 << 16 | 32 << 8 | 5; 10.0.0.7 = 10 << 24 | 7.
    const QStringList expected = {
        QStringLiteral("2 61.19.32.5 1024663557 61.19.32.5 1191 10.0.0.7 50000 ws-01"),
        QStringLiteral("3 ::ffff:61.19.32.5 1024663557 61.19.32.5 1191 10.0.0.7 50001 ws-01"),
        QStringLiteral("4 REDACTED IP - - - 10.0.0.8 50002 ws-02"),
        QStringLiteral("5 10.0.0.7 167772167 10.0.0.7 445 10.0.0.8 50003 ws-02"),
        QStringLiteral("6 61.19.32.5 1024663557 61.19.32.5 1191 10.0.0.7 50004 ws-01"),
    };
    QCOMPARE(rows, expected);
    QCOMPARE(QByteArray(db.execAndGet("SELECT group_concat(ifnull(port, '-') || ':' || n) "
                                      "FROM analyst_ports")
                            .getText()),
             QByteArray("-:1,445:1,1191:2"));
    QCOMPARE(QByteArray(db.execAndGet("SELECT group_concat(text) FROM addresses").getText()),
             QByteArray("10.0.0.7,10.0.0.8"));
    QCOMPARE(db.execAndGet("SELECT sum(event_count) FROM endpoints").getInt(), 5);
}

// An add() that failed part-way (here SQLite refuses the 20th new endpoint, inside the first
// group of 32) leaves the import unable to commit, and nothing of it stays in the case.
void tst_CaseFile::failedAddIsNeverCommitted()
{
    auto opened = CaseFile::open(newCasePath(), CaseFile::Mode::CreateOrOpen);
    CaseFile &caseFile = **opened;
    SQLite::Database &db = caseFile.database();
    // Not a TEMP trigger: the writer changes temp_store, which drops every temporary object.
    db.exec("CREATE TRIGGER refuse_endpoint BEFORE INSERT ON endpoints "
            "WHEN NEW.id = 20 BEGIN SELECT RAISE(FAIL, 'refused for the test'); END");
    std::vector<EventRecord> records;
    for (qint64 line = 2; line < 42; ++line) {
        records.push_back(sampleRecord(line, "61.19.32." + QByteArray::number(line), 4000));
    }
    {
        auto writer = EventWriter::begin(caseFile, sampleSource(QStringLiteral("fa")));
        const Status added = (*writer)->add(records);
        QVERIFY(!added);
        QVERIFY2(added.errorMessage().contains(QLatin1String("refused for the test")),
                 qPrintable(added.errorMessage()));
        const Status committed = (*writer)->commit(sampleSource(QStringLiteral("fa")));
        QVERIFY(!committed);
        QVERIFY2(committed.errorMessage().contains(QLatin1String("nothing of it was kept")),
                 qPrintable(committed.errorMessage()));
    }
    for (const char *table : {"sources", "events", "endpoints"}) {
        QCOMPARE(db.execAndGet(std::string("SELECT count(*) FROM ") + table).getInt(), 0);
    }
}

// A read-only open (detect, sources, the engine) refuses every write, and when it is the case's
// only connection it leaves no -wal or -shm file behind it.
void tst_CaseFile::readOnlyOpenWritesNothingAndLeavesNoFiles()
{
    const QString path = newCasePath();
    {
        auto created = CaseFile::open(path, CaseFile::Mode::CreateOrOpen);
        auto writer = EventWriter::begin(**created, sampleSource(QStringLiteral("ro")));
        QVERIFY((*writer)->add(sampleRecord(2, "61.19.32.5", 1191)));
        SourceInfo final = sampleSource(QStringLiteral("ro"));
        final.rowsAccepted = 1;
        QVERIFY((*writer)->commit(final));
    }
    {
        auto opened = CaseFile::open(path, CaseFile::Mode::ReadOnly);
        QVERIFY2(opened, qPrintable(opened.errorMessage()));
        QCOMPARE((*opened)->eventCount(), qint64(1));
        QVERIFY_THROWS_EXCEPTION(SQLite::Exception,
                                 (*opened)->database().exec("DELETE FROM events"));
        QVERIFY(!(*opened)->removeSource((*opened)->sources().constFirst().id));
    }
    QVERIFY(!QFileInfo::exists(path + QStringLiteral("-wal")));
    QVERIFY(!QFileInfo::exists(path + QStringLiteral("-shm")));
    auto reopened = CaseFile::open(path, CaseFile::Mode::ReadOnly);
    QCOMPARE((*reopened)->eventCount(), qint64(1));
}

// A writer that crashed leaves its committed rows in the write-ahead log. A read-only open sees
// them, but must not merge them into the case on close: the case file keeps its bytes (it may
// have been hashed), and the log stays for the next writer.
void tst_CaseFile::readOnlyOpenLeavesACrashedWritersLogAlone()
{
    const QString path = newCasePath();
    const QString crashed = newCasePath();
    {
        auto created = CaseFile::open(path, CaseFile::Mode::CreateOrOpen);
        auto writer = EventWriter::begin(**created, sampleSource(QStringLiteral("cw")));
        QVERIFY((*writer)->add(sampleRecord(2, "61.19.32.5", 1191)));
        SourceInfo final = sampleSource(QStringLiteral("cw"));
        final.rowsAccepted = 1;
        QVERIFY((*writer)->commit(final));
        // Copied while the writer is still open: the state a crash would leave.
        for (const QString &suffix : {QString(), QStringLiteral("-wal")}) {
            QVERIFY(QFile::copy(path + suffix, crashed + suffix));
        }
    }
    QVERIFY(QFileInfo(crashed + QStringLiteral("-wal")).size() > 0);
    const auto bytesOf = [](const QString &file) {
        QFile in(file);
        return in.open(QIODevice::ReadOnly) ? in.readAll() : QByteArray();
    };
    const QByteArray before = bytesOf(crashed);
    {
        auto opened = CaseFile::open(crashed, CaseFile::Mode::ReadOnly);
        QVERIFY2(opened, qPrintable(opened.errorMessage()));
        QCOMPARE((*opened)->eventCount(), qint64(1));
    }
    QCOMPARE(bytesOf(crashed), before);
    QVERIFY(QFileInfo(crashed + QStringLiteral("-wal")).size() > 0);
}

void tst_CaseFile::portsAtTheEdgesAreDistinctEndpoints_data()
{
    QTest::addColumn<qsizetype>("bound");
    QTest::newRow("remembered") << qsizetype(1000);
    QTest::newRow("looked-up") << qsizetype(1);
}

// One address with port 0, port 65535 and no port is three endpoints, and a second import of
// the same three (in memory, or looked up in the case past the writer's bound) finds them.
void tst_CaseFile::portsAtTheEdgesAreDistinctEndpoints()
{
    QFETCH(qsizetype, bound);
    auto opened = CaseFile::open(newCasePath(), CaseFile::Mode::CreateOrOpen);
    CaseFile &caseFile = **opened;
    for (const QString &sha : {QStringLiteral("p1"), QStringLiteral("p2")}) {
        auto writer = EventWriter::begin(caseFile, sampleSource(sha), bound);
        QVERIFY((*writer)->add(sampleRecord(2, "61.19.32.5", 0)));
        QVERIFY((*writer)->add(sampleRecord(3, "61.19.32.5", 65535)));
        QVERIFY((*writer)->add(sampleRecord(4, "61.19.32.5", std::nullopt)));
        QVERIFY((*writer)->add(sampleRecord(5, "::ffff:61.19.32.5", std::nullopt)));
        QVERIFY((*writer)->commit(sampleSource(sha)));
    }
    QCOMPARE(QByteArray(caseFile.database()
                            .execAndGet("SELECT group_concat(address || ':' || ifnull(port, '-') "
                                        "|| '=' || event_count, ' ') FROM endpoints")
                            .getText()),
             QByteArray("61.19.32.5:0=2 61.19.32.5:65535=2 61.19.32.5:-=2 ::ffff:61.19.32.5:-=2"));
}

void tst_CaseFile::removeSourceCascades()
{
    auto opened = CaseFile::open(newCasePath(), CaseFile::Mode::CreateOrOpen);
    CaseFile &caseFile = **opened;
    for (const QString &sha : {QStringLiteral("e1"), QStringLiteral("e2")}) {
        auto writer = EventWriter::begin(caseFile, sampleSource(sha));
        QVERIFY((*writer)->add(sampleRecord(2, "1.2.3.4", 5)));
        SourceInfo final = sampleSource(sha);
        final.rowsAccepted = 1;
        QVERIFY((*writer)->commit(final));
    }
    const qint64 before = caseFile.dataVersion();
    const qint64 removed = caseFile.sources().constFirst().id;
    QVERIFY(caseFile.removeSource(removed));

    SQLite::Database &db = caseFile.database();
    QCOMPARE(db.execAndGet("SELECT count(*) FROM events").getInt(), 1);
    QVERIFY(db.execAndGet("SELECT source_id FROM events").getInt64() != removed);
    QCOMPARE(db.execAndGet("SELECT event_count FROM endpoints").getInt(), 1);
    QCOMPARE(caseFile.eventCount(), qint64(1));
    QVERIFY(caseFile.dataVersion() != before);
}

// Two exports of the same host seen on different days: the address and the endpoint are stored
// once in the case, and the endpoint counts the events of both sources.
void tst_CaseFile::secondImportReusesAddressesAndEndpoints()
{
    auto opened = CaseFile::open(newCasePath(), CaseFile::Mode::CreateOrOpen);
    CaseFile &caseFile = **opened;
    for (const QString &sha : {QStringLiteral("f1"), QStringLiteral("f2")}) {
        auto writer = EventWriter::begin(caseFile, sampleSource(sha));
        EventRecord record = sampleRecord(2, "61.19.32.5", 1191);
        record.localIp = "10.0.0.7";
        QVERIFY((*writer)->add(record));
        SourceInfo final = sampleSource(sha);
        final.rowsAccepted = 1;
        QVERIFY((*writer)->commit(final));
    }
    SQLite::Database &db = caseFile.database();
    QCOMPARE(db.execAndGet("SELECT count(*) FROM addresses").getInt(), 1);
    QCOMPARE(db.execAndGet("SELECT count(*) FROM endpoints").getInt(), 1);
    QCOMPARE(db.execAndGet("SELECT event_count FROM endpoints").getInt(), 2);
}

// One import of `rows` events over `addresses` addresses, two ports each, every tenth event
// without a port (an ICMP row), in an order that revisits each address long after its first
// event. `seen` gathers the (address, port) pairs written, the test's own count of endpoints.
EventRecord tst_CaseFile::ringRecord(const RingImport &ring, int row)
{
    const QByteArray host = QByteArray::number(row % ring.addresses / 250) + '.'
                            + QByteArray::number(row % ring.addresses % 250);
    // Every third address is written IPv4-mapped, so endpoints keyed by text are covered as
    // well as those keyed by value.
    const QByteArray ip = (row % ring.addresses % 3 == 0 ? "::ffff:61.19." : "61.19.") + host;
    std::optional<qint64> port = 1191 + (row / ring.addresses) % 2;
    if (row % 10 == 9) {
        port.reset();
    }
    EventRecord record = sampleRecord(row + 2, ip, port);
    record.localIp = "10.19." + host;
    return record;
}

bool tst_CaseFile::importRing(CaseFile &caseFile,
                              const RingImport &ring,
                              QSet<QPair<QByteArray, qint64>> &seen,
                              bool commit)
{
    auto writer
        = EventWriter::begin(caseFile, sampleSource(QString::fromLatin1(ring.sha)), ring.bound);
    if (!writer) {
        qWarning().noquote() << writer.errorMessage();
        return false;
    }
    for (int row = 0; row < ring.rows; ++row) {
        const EventRecord record = ringRecord(ring, row);
        if (!(*writer)->add(record)) {
            return false;
        }
        if (commit) {
            seen.insert({record.remoteIp, record.remotePort.value_or(-1)});
        }
    }
    if (!commit) {
        return true; // the writer goes out of scope and rolls back
    }
    SourceInfo final = sampleSource(QString::fromLatin1(ring.sha));
    final.rowsAccepted = ring.rows;
    return bool((*writer)->commit(final));
}

void tst_CaseFile::writerPastItsMemoryBoundStaysUnique_data()
{
    QTest::addColumn<QList<RingImport>>("imports");
    QTest::addColumn<bool>("lookupIndexes");

    // Everything fits: both imports run on the maps alone and no look-up index is built.
    QTest::newRow("all-remembered")
        << QList<RingImport>{{"h1", 60, 12, 1000}, {"h2", 30, 12, 1000}} << false;
    // The first import outgrows the bound after a few rows and switches to look-ups.
    QTest::newRow("bound-reached-while-importing")
        << QList<RingImport>{{"h1", 60, 12, 8}, {"h2", 30, 12, 8}} << true;
    // The first import fits; the second starts with the whole case in memory, revisits its
    // addresses and crosses the bound with new ones, so counts held for loaded endpoints must
    // be written out at the switch.
    QTest::newRow("loaded-case-crosses-bound")
        << QList<RingImport>{{"h1", 60, 12, 40}, {"h2", 120, 40, 40}} << true;
    // A rolled-back import that had switched leaves no trace, and the next one starts clean.
    QTest::newRow("rolled-back-after-switch")
        << QList<RingImport>{{"h1", 60, 12, 8, false}, {"h2", 30, 12, 8}} << true;
}

// A writer that can no longer remember every address and endpoint must still store each once
// and count every event on its endpoint.
void tst_CaseFile::writerPastItsMemoryBoundStaysUnique()
{
    QFETCH(QList<RingImport>, imports);
    QFETCH(bool, lookupIndexes);
    auto opened = CaseFile::open(newCasePath(), CaseFile::Mode::CreateOrOpen);
    CaseFile &caseFile = **opened;
    QSet<QPair<QByteArray, qint64>> endpoints;
    int events = 0;
    for (const RingImport &ring : imports) {
        QVERIFY(importRing(caseFile, ring, endpoints, ring.commit));
        events += ring.commit ? ring.rows : 0;
    }
    // importRing gives each remote address one local address of its own.
    QSet<QByteArray> addresses;
    for (const auto &endpoint : std::as_const(endpoints)) {
        addresses.insert(endpoint.first);
    }

    SQLite::Database &db = caseFile.database();
    QCOMPARE(db.execAndGet("SELECT count(*) FROM events").getInt(), events);
    QCOMPARE(db.execAndGet("SELECT count(*) FROM addresses").getInt(), int(addresses.size()));
    QCOMPARE(db.execAndGet("SELECT count(*) FROM endpoints").getInt(), int(endpoints.size()));
    QCOMPARE(db.execAndGet("SELECT sum(event_count) FROM endpoints").getInt(), events);
    const int miscounted = db.execAndGet("SELECT count(*) FROM endpoints ep WHERE event_count != "
                                         "(SELECT count(*) FROM events e "
                                         "WHERE e.remote_endpoint = ep.id)")
                               .getInt();
    QCOMPARE(miscounted, 0);
    // And each event refers to the endpoint and local address of its own row.
    for (const RingImport &ring : imports) {
        if (!ring.commit) {
            continue;
        }
        SQLite::Statement stored(db,
                                 "SELECT v.line, v.remote_ip, v.remote_port, v.local_ip "
                                 "FROM event_view v JOIN sources s ON s.id = v.source_id "
                                 "WHERE s.sha256 = ? ORDER BY v.line");
        stored.bind(1, ring.sha);
        int row = 0;
        for (; stored.executeStep(); ++row) {
            const EventRecord expected = ringRecord(ring, row);
            QCOMPARE(stored.getColumn(0).getInt64(), expected.sourceLine);
            QCOMPARE(QByteArray(stored.getColumn(1).getText()), expected.remoteIp);
            QCOMPARE(stored.getColumn(2).isNull(), !expected.remotePort.has_value());
            QCOMPARE(stored.getColumn(2).getInt64(), expected.remotePort.value_or(0));
            QCOMPARE(QByteArray(stored.getColumn(3).getText()), expected.localIp);
        }
        QCOMPARE(row, ring.rows);
    }
    // The look-up indexes exist once the writer needed them (and survived in the case).
    const int indexes = db.execAndGet("SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                                      "AND name IN ('addresses_text', 'endpoints_address_port')")
                            .getInt();
    QCOMPARE(indexes, lookupIndexes ? 2 : 0);
}

// The engine's endpoint read, for each octet source: with the partial index's condition
// repeated, SQLite answers it from endpoints_port alone, without touching the table.
void tst_CaseFile::detectionReadsTheCoveringIndex_data()
{
    QTest::addColumn<int>("octetSource");
    QTest::newRow("kql-split") << int(OctetSource::KqlSplit);
    QTest::newRow("strict") << int(OctetSource::StrictIpv4);
}

void tst_CaseFile::detectionReadsTheCoveringIndex()
{
    QFETCH(int, octetSource);
    DetectionRule rule = DetectionRule::defaults();
    rule.octetSource = OctetSource(octetSource);
    auto opened = CaseFile::open(newCasePath(), CaseFile::Mode::CreateOrOpen);
    SQLite::Statement plan((*opened)->database(),
                           "EXPLAIN QUERY PLAN "
                               + DetectionEngine::endpointRangeSql(rule).toStdString());
    plan.bind(1, rule.portMin);
    plan.bind(2, rule.portMax);
    QVERIFY(plan.executeStep());
    const QString detail = QString::fromUtf8(plan.getColumn(3).getText());
    QVERIFY2(detail.contains(QStringLiteral("COVERING INDEX endpoints_port")), qPrintable(detail));
}

QStringList tst_CaseFile::eventIndexNames(SQLite::Database &db)
{
    SQLite::Statement query(db,
                            "SELECT name FROM sqlite_schema WHERE type = 'index' "
                            "AND tbl_name = 'events' ORDER BY name");
    QStringList names;
    while (query.executeStep()) {
        names.append(QString::fromUtf8(query.getColumn(0).getText()));
    }
    return names;
}

void tst_CaseFile::eventIndexesSurviveImport_data()
{
    QTest::addColumn<bool>("commit");
    QTest::newRow("committed") << true;
    QTest::newRow("rolled-back") << false;
}

// The writer keeps the events index up row by row, even in a fresh case; whatever happens, the
// case must end with it, or detection and the GUI would scan the whole table.
void tst_CaseFile::eventIndexesSurviveImport()
{
    QFETCH(bool, commit);
    auto opened = CaseFile::open(newCasePath(), CaseFile::Mode::CreateOrOpen);
    CaseFile &caseFile = **opened;
    SQLite::Database &db = caseFile.database();
    const QStringList expected = {QStringLiteral("events_remote_endpoint")};
    QCOMPARE(eventIndexNames(db), expected);
    {
        auto writer = EventWriter::begin(caseFile, sampleSource(QStringLiteral("g1")));
        QVERIFY((*writer)->add(sampleRecord(2, "61.19.32.5", 1191)));
        QVERIFY((*writer)->add(sampleRecord(3, "10.1.2.3", 443)));
        if (commit) {
            SourceInfo final = sampleSource(QStringLiteral("g1"));
            final.rowsAccepted = 2;
            QVERIFY((*writer)->commit(final));
        }
    }
    QCOMPARE(eventIndexNames(db), expected);
    QCOMPARE(db.execAndGet("SELECT count(*) FROM events").getInt(), commit ? 2 : 0);
    const int used = db.execAndGet("SELECT count(*) FROM events INDEXED BY "
                                   "events_remote_endpoint WHERE remote_endpoint = 1")
                         .getInt();
    QCOMPARE(used, commit ? 1 : 0);
}

QTEST_GUILESS_MAIN(tst_CaseFile)
#include "tst_casefile.moc"
