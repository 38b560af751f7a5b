// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "detect/engine.h"
#include "detect/rule.h"
#include "generate/generator.h"
#include "ingest/importer.h"
#include "store/casefile.h"

#include <QBuffer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <SQLiteCpp/SQLiteCpp.h>

using namespace Portent;

Q_DECLARE_METATYPE(Portent::GeneratedFormat)
Q_DECLARE_METATYPE(Portent::TimestampStyle)

namespace {

QByteArray generate(const GeneratorOptions &options, QByteArray *truth = nullptr)
{
    QBuffer events;
    events.open(QIODevice::WriteOnly);
    QBuffer truthBuffer;
    truthBuffer.open(QIODevice::WriteOnly);
    const auto summary = Generator::write(events, truth ? &truthBuffer : nullptr, options);
    if (!summary) {
        qWarning() << summary.errorMessage();
        return {};
    }
    if (truth) {
        *truth = truthBuffer.data();
    }
    return events.data();
}

// Ground-truth rows (without the header), split into their ten fields.
QList<QList<QByteArray>> truthRows(const QByteArray &truth)
{
    QList<QList<QByteArray>> rows;
    const QList<QByteArray> lines = truth.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        if (!lines[i].isEmpty()) {
            rows.append(lines[i].split(','));
        }
    }
    return rows;
}

QSet<QByteArray> reportIdsOfKinds(const QByteArray &truth, const QList<QByteArray> &kinds)
{
    QSet<QByteArray> ids;
    for (const QList<QByteArray> &row : truthRows(truth)) {
        if (kinds.contains(row.value(1))) {
            ids.insert(row.value(0));
        }
    }
    return ids;
}

// The ReportId text of each matched event, read back from the case.
QSet<QByteArray> matchedReportIds(const QString &casePath, const QList<Match> &matches)
{
    QSet<QByteArray> ids;
    auto opened = CaseFile::open(casePath, CaseFile::Mode::ReadOnly);
    if (!opened) {
        qWarning() << opened.errorMessage();
        return ids;
    }
    SQLite::Statement query((*opened)->database(), "SELECT report_id FROM event_view WHERE id = ?");
    for (const Match &match : matches) {
        query.bind(1, static_cast<int64_t>(match.eventId));
        if (query.executeStep()) {
            ids.insert(QByteArray(query.getColumn(0).getText()));
        }
        query.reset();
    }
    return ids;
}

} // namespace

class tst_Generator : public QObject
{
    Q_OBJECT

private slots:
    void sameSeedSameBytes_data();
    void sameSeedSameBytes();
    void differentSeedDifferentBytes();
    void rowCounts_data();
    void rowCounts();
    void plantedCounts();
    void timestampStyles_data();
    void timestampStyles();
    void huntingJsonIsOneDocument();
    void importedBeaconsAreExactlyTheTruth_data();
    void importedBeaconsAreExactlyTheTruth();
    void eachNearMissFailsOneClause_data();
    void eachNearMissFailsOneClause();
    void bundledSampleIsReproducible();

private:
    // Generates, imports and returns the case path; the truth goes to `truth`.
    QString importGenerated(const GeneratorOptions &options, QByteArray &truth);

    QTemporaryDir m_dir;
    int m_caseCounter = 0;
};

QString tst_Generator::importGenerated(const GeneratorOptions &options, QByteArray &truth)
{
    const QString base = m_dir.filePath(QStringLiteral("case%1").arg(++m_caseCounter));
    const QString eventsPath = base + QStringLiteral(".export");
    const QString truthPath = base + QStringLiteral(".truth.csv");
    const auto summary = Generator::writeFiles(eventsPath, truthPath, options);
    if (!summary) {
        qWarning() << summary.errorMessage();
        return {};
    }
    QFile truthFile(truthPath);
    truthFile.open(QIODevice::ReadOnly);
    truth = truthFile.readAll();
    const QString casePath = base + QStringLiteral(".portent");
    const ImportReport report = Importer::importNow(casePath, eventsPath);
    if (!report.error.isEmpty() || report.rowsRejected != 0
        || report.rowsAccepted != options.rows) {
        qWarning() << report.toText();
        return {};
    }
    return casePath;
}

void tst_Generator::sameSeedSameBytes_data()
{
    QTest::addColumn<GeneratedFormat>("format");
    QTest::addColumn<TimestampStyle>("style");
    QTest::newRow("csv-iso7") << GeneratedFormat::Csv << TimestampStyle::Iso7;
    QTest::newRow("csv-log-analytics") << GeneratedFormat::Csv << TimestampStyle::LogAnalytics;
    QTest::newRow("jsonl-iso-ms") << GeneratedFormat::JsonLines << TimestampStyle::IsoMillis;
    QTest::newRow("hunting-json") << GeneratedFormat::HuntingJson << TimestampStyle::Iso7;
}

// A benchmark or a bug report must be reproducible from its seed alone.
void tst_Generator::sameSeedSameBytes()
{
    QFETCH(GeneratedFormat, format);
    QFETCH(TimestampStyle, style);
    GeneratorOptions options;
    options.rows = 3000;
    options.seed = 42;
    options.format = format;
    options.timestampStyle = style;
    QByteArray truthA;
    QByteArray truthB;
    const QByteArray a = generate(options, &truthA);
    const QByteArray b = generate(options, &truthB);
    QVERIFY(!a.isEmpty());
    QCOMPARE(a, b);
    QCOMPARE(truthA, truthB);
}

void tst_Generator::differentSeedDifferentBytes()
{
    GeneratorOptions options;
    options.rows = 500;
    options.seed = 1;
    QByteArray truthA;
    QByteArray truthB;
    const QByteArray a = generate(options, &truthA);
    options.seed = 2;
    const QByteArray b = generate(options, &truthB);
    QVERIFY(a != b);
    QVERIFY(truthA != truthB);
    // The header is the same whatever the seed.
    QCOMPARE(a.left(a.indexOf('\n')), b.left(b.indexOf('\n')));
}

void tst_Generator::rowCounts_data()
{
    QTest::addColumn<GeneratedFormat>("format");
    QTest::addColumn<qint64>("rows");
    // Zero rows is a header-only export, as the portal writes for an empty result.
    QTest::newRow("csv-0") << GeneratedFormat::Csv << qint64(0);
    QTest::newRow("csv-1") << GeneratedFormat::Csv << qint64(1);
    QTest::newRow("csv-99-no-plants") << GeneratedFormat::Csv << qint64(99);
    QTest::newRow("csv-100-first-with-plants") << GeneratedFormat::Csv << qint64(100);
    QTest::newRow("csv-2500") << GeneratedFormat::Csv << qint64(2500);
    QTest::newRow("jsonl-2500") << GeneratedFormat::JsonLines << qint64(2500);
    QTest::newRow("json-2500") << GeneratedFormat::HuntingJson << qint64(2500);
}

void tst_Generator::rowCounts()
{
    QFETCH(GeneratedFormat, format);
    QFETCH(qint64, rows);
    GeneratorOptions options;
    options.rows = rows;
    options.format = format;
    const QByteArray data = generate(options);
    switch (format) {
    case GeneratedFormat::Csv:
        // No generated cell holds a line break, so lines are records plus the header.
        QCOMPARE(data.count('\n'), rows + 1);
        QCOMPARE(data.left(data.indexOf('\n')).count(','), 43); // 44 DeviceNetworkEvents columns
        break;
    case GeneratedFormat::JsonLines: {
        const QList<QByteArray> lines = data.trimmed().split('\n');
        QCOMPARE(lines.size(), rows);
        for (const QByteArray &line : lines) {
            QJsonParseError error;
            const QJsonDocument document = QJsonDocument::fromJson(line, &error);
            QVERIFY2(document.isObject(), qPrintable(error.errorString()));
            QCOMPARE(document.object().size(), 44);
        }
        break;
    }
    case GeneratedFormat::HuntingJson: {
        const QJsonDocument document = QJsonDocument::fromJson(data);
        QCOMPARE(document.object().value(QStringLiteral("Results")).toArray().size(), rows);
        break;
    }
    }
}

// The documented plan: one beacon per 250 rows (at least 6) and one near miss of each of the
// eleven kinds per 2,500 rows (at least one); nothing planted below 100 rows.
void tst_Generator::plantedCounts()
{
    GeneratorOptions options;
    options.rows = 5000;
    QByteArray truth;
    generate(options, &truth);
    const QList<QList<QByteArray>> rows = truthRows(truth);
    QHash<QByteArray, int> perKind;
    for (const QList<QByteArray> &row : rows) {
        QCOMPARE(row.size(), 10);
        ++perKind[row[1]];
    }
    QCOMPARE(perKind.value("beacon"), 20);
    QCOMPARE(perKind.size(), 12);
    for (auto it = perKind.cbegin(); it != perKind.cend(); ++it) {
        if (it.key() != "beacon") {
            QCOMPARE(it.value(), 2);
        }
    }
    // 192.168.x.y is private: 192*168 + x is the port, so the near miss fails only on type.
    for (const QList<QByteArray> &row : rows) {
        if (row[1] == "near-miss-private-ip") {
            QVERIFY(row[4].startsWith("192.168."));
            QCOMPARE(row[5].toInt(), 192 * 168 + row[4].split('.')[2].toInt());
        }
    }

    options.rows = 99;
    generate(options, &truth);
    QVERIFY(truthRows(truth).isEmpty());
}

void tst_Generator::timestampStyles_data()
{
    QTest::addColumn<TimestampStyle>("style");
    QTest::addColumn<QByteArray>("firstHeader");
    QTest::addColumn<QByteArray>("firstCell");
    // The newest event is the first row, at the default newest time 2024-03-14T12:00:00Z.
    QTest::newRow("portal-iso7") << TimestampStyle::Iso7 << QByteArray("Timestamp")
                                 << QByteArray("2024-03-14T12:00:00.0000000Z");
    QTest::newRow("api-iso-ms") << TimestampStyle::IsoMillis << QByteArray("Timestamp")
                                << QByteArray("2024-03-14T12:00:00.000Z");
    // Log Analytics quotes the time because of its comma, and names the column "[UTC]".
    QTest::newRow("log-analytics") << TimestampStyle::LogAnalytics << QByteArray("Timestamp [UTC]")
                                   << QByteArray("\"3/14/2024, 12:00:00.000 PM\"");
}

void tst_Generator::timestampStyles()
{
    QFETCH(TimestampStyle, style);
    QFETCH(QByteArray, firstHeader);
    QFETCH(QByteArray, firstCell);
    GeneratorOptions options;
    options.rows = 10;
    options.timestampStyle = style;
    const QList<QByteArray> lines = generate(options).split('\n');
    QVERIFY(lines[0].startsWith(firstHeader + ','));
    QVERIFY2(lines[1].startsWith(firstCell + ','), lines[1].constData());
}

void tst_Generator::huntingJsonIsOneDocument()
{
    GeneratorOptions options;
    options.rows = 300;
    options.format = GeneratedFormat::HuntingJson;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(generate(options), &error);
    QVERIFY2(document.isObject(), qPrintable(error.errorString()));
    const QJsonArray schema = document.object().value(QStringLiteral("Schema")).toArray();
    QCOMPARE(schema.size(), 44);
    QCOMPARE(schema.at(5).toObject().value(QStringLiteral("Name")).toString(),
             QStringLiteral("RemotePort"));
    QCOMPARE(schema.at(5).toObject().value(QStringLiteral("Type")).toString(),
             QStringLiteral("Int32"));
    const QJsonObject first
        = document.object().value(QStringLiteral("Results")).toArray().first().toObject();
    QVERIFY(first.value(QStringLiteral("ReportId")).isDouble());
    QVERIFY(first.value(QStringLiteral("IsInitiatingProcessRemoteSession")).isBool());
}

void tst_Generator::importedBeaconsAreExactlyTheTruth_data()
{
    QTest::addColumn<GeneratedFormat>("format");
    QTest::addColumn<TimestampStyle>("style");
    QTest::addColumn<quint64>("seed");
    QTest::newRow("portal-csv-seed1") << GeneratedFormat::Csv << TimestampStyle::Iso7 << 1ULL;
    QTest::newRow("portal-csv-seed7") << GeneratedFormat::Csv << TimestampStyle::Iso7 << 7ULL;
    QTest::newRow("sentinel-csv") << GeneratedFormat::Csv << TimestampStyle::LogAnalytics << 3ULL;
    QTest::newRow("json-lines") << GeneratedFormat::JsonLines << TimestampStyle::IsoMillis << 4ULL;
    QTest::newRow("hunting-api-json")
        << GeneratedFormat::HuntingJson << TimestampStyle::Iso7 << 5ULL;
}

// The generator's promise: DetectionRule::defaults() (the seed with its window ending at the
// newest event) finds exactly the planted beacons, no noise and no near miss. The data ends in
// March 2024, so the seed's own ago(24h) finds nothing; over all time the beacons and the near
// misses planted just outside the window are found.
void tst_Generator::importedBeaconsAreExactlyTheTruth()
{
    QFETCH(GeneratedFormat, format);
    QFETCH(TimestampStyle, style);
    QFETCH(quint64, seed);
    GeneratorOptions options;
    options.rows = 4000;
    options.seed = seed;
    options.format = format;
    options.timestampStyle = style;
    QByteArray truth;
    const QString casePath = importGenerated(options, truth);
    QVERIFY(!casePath.isEmpty());

    const QSet<QByteArray> beacons = reportIdsOfKinds(truth, {"beacon"});
    QCOMPARE(beacons.size(), 16);
    const DetectionResult found = DetectionEngine::runNow(casePath, DetectionRule::defaults());
    QVERIFY2(found.error.isEmpty(), qPrintable(found.error));
    QCOMPARE(matchedReportIds(casePath, found.matches), beacons);

    const DetectionResult now = DetectionEngine::runNow(casePath, DetectionRule::seed());
    QCOMPARE(now.matches.size(), 0);

    DetectionRule allTime = DetectionRule::defaults();
    allTime.window.kind = TimeWindow::Kind::AllTime;
    const DetectionResult all = DetectionEngine::runNow(casePath, allTime);
    QCOMPARE(matchedReportIds(casePath, all.matches),
             reportIdsOfKinds(truth, {"beacon", "near-miss-outside-window"}));
}

void tst_Generator::eachNearMissFailsOneClause_data()
{
    QTest::addColumn<QString>("relaxation");
    QTest::addColumn<QList<QByteArray>>("alsoFound");
    // Dropping one clause of the rule lets in exactly the near misses built to fail it.
    QTest::newRow("no-port-exclusions")
        << QStringLiteral("excludedPorts") << QList<QByteArray>{"near-miss-excluded-port"};
    QTest::newRow("no-process-exclusions")
        << QStringLiteral("excludedProcesses") << QList<QByteArray>{"near-miss-excluded-process"};
    QTest::newRow("failed-connections-too")
        << QStringLiteral("actionTypes") << QList<QByteArray>{"near-miss-connection-failed"};
    QTest::newRow("wider-port-range")
        << QStringLiteral("portRange")
        << QList<QByteArray>{"near-miss-port-below-range", "near-miss-port-above-range"};
    QTest::newRow("any-ip-type") << QStringLiteral(
        "ipTypes") << QList<QByteArray>{"near-miss-private-ip", "near-miss-ip-type-not-public"};
    // Strict parsing unwraps ::ffff:a.b.c.d, which KQL's split() cannot.
    QTest::newRow("strict-octets")
        << QStringLiteral("strictOctets") << QList<QByteArray>{"near-miss-mapped-ipv6"};
}

void tst_Generator::eachNearMissFailsOneClause()
{
    QFETCH(QString, relaxation);
    QFETCH(QList<QByteArray>, alsoFound);
    GeneratorOptions options;
    options.rows = 5000;
    options.seed = 11;
    QByteArray truth;
    const QString casePath = importGenerated(options, truth);
    QVERIFY(!casePath.isEmpty());

    DetectionRule rule = DetectionRule::defaults();
    if (relaxation == QLatin1String("excludedPorts")) {
        rule.excludedPorts.clear();
    } else if (relaxation == QLatin1String("excludedProcesses")) {
        rule.excludedProcesses.clear();
    } else if (relaxation == QLatin1String("actionTypes")) {
        rule.actionTypes.append(QStringLiteral("ConnectionFailed"));
    } else if (relaxation == QLatin1String("portRange")) {
        rule.portMin = 4095;
        rule.portMax = 49152;
    } else if (relaxation == QLatin1String("ipTypes")) {
        rule.remoteIpTypes.clear();
    } else if (relaxation == QLatin1String("strictOctets")) {
        rule.octetSource = OctetSource::StrictIpv4;
    }
    const DetectionResult found = DetectionEngine::runNow(casePath, rule);
    QVERIFY2(found.error.isEmpty(), qPrintable(found.error));
    QList<QByteArray> kinds = alsoFound;
    kinds.append("beacon");
    QCOMPARE(matchedReportIds(casePath, found.matches), reportIdsOfKinds(truth, kinds));
}

// resources/sample/README.md promises the command that reproduces the bundled sample; a change to
// the generator that alters its output must regenerate the sample (and its truth) too.
void tst_Generator::bundledSampleIsReproducible()
{
    GeneratorOptions options;
    options.rows = 5000;
    options.seed = 20240314;
    QByteArray truth;
    const QByteArray events = generate(options, &truth);
    QFile committed(QStringLiteral(PORTENT_SAMPLE_DIR "/defender-sample.csv"));
    QVERIFY(committed.open(QIODevice::ReadOnly));
    QVERIFY2(committed.readAll() == events, "regenerate resources/sample (see its README)");
    QFile committedTruth(QStringLiteral(PORTENT_SAMPLE_DIR "/defender-sample.truth.csv"));
    QVERIFY(committedTruth.open(QIODevice::ReadOnly));
    QCOMPARE(committedTruth.readAll(), truth);
}

QTEST_GUILESS_MAIN(tst_Generator)
#include "tst_generator.moc"
