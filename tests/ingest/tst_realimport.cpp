// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "importtesthelpers.h"
#include "ingest/importer.h"

#include <QFileInfo>
#include <QTest>

using namespace Portent;
using namespace ImportTest;

// Real exports from public repositories. The Defender CSVs are GPL-3.0 / CC BY-NC and are read
// from the shared data folder when it exists; the MIT CommonSecurityLog samples are copied into
// tests/data. Expected values were read off the files with Python's csv module.
class tst_RealImport : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void dafnebAdvancedHunting();
    void mishkaTotalDeviceNetworkEvents();
    void mishkaFelixReducedColumns();
    void sentinelCiscoFirepower();
    void sentinelForcepoint();

private:
    QString realFile(const QString &relative);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_case;
};

void tst_RealImport::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_case = m_dir->filePath(QStringLiteral("case.portent"));
}

QString tst_RealImport::realFile(const QString &relative)
{
    const QString path = QStringLiteral(PORTENT_REAL_DATA "/") + relative;
    return QFileInfo::exists(path) ? path : QString();
}

// M365 Defender portal export (union of three tables): LF, no BOM, no final newline, 26 rows on
// lines 2..27, 7 with a RemoteIP.
void tst_RealImport::dafnebAdvancedHunting()
{
    const QString file
        = realFile(QStringLiteral("defender/dafneb_defender_hunting/advanced_hunting_test.csv"));
    if (file.isEmpty()) {
        QSKIP("PORTENT_REAL_DATA is not available");
    }
    const ImportReport report = Importer::importNow(m_case, file);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.format, QStringLiteral("defender-csv"));
    QCOMPARE(report.rowsAccepted, 26);
    QCOMPARE(report.rowsRejected, 0);
    QCOMPARE(report.dateOrder, DateOrder::Unknown);

    const auto rows = events(m_case);
    QCOMPARE(rows.first().value(QStringLiteral("line")).toLongLong(), 2);
    QCOMPARE(rows.last().value(QStringLiteral("line")).toLongLong(), 27);
    // 2023-10-18T14:37:28.2012261Z
    QCOMPARE(rows.first().value(QStringLiteral("time")).toLongLong(), qint64(16976398482012261));

    const auto withIp = query(m_case,
                              "SELECT line, remote_ip, remote_port, local_port, protocol "
                              "FROM event_view WHERE remote_ip IS NOT NULL ORDER BY line");
    QCOMPARE(withIp.size(), 7);
    const QList<qint64> lines = {6, 7, 8, 11, 12, 13, 27};
    for (int i = 0; i < lines.size(); ++i) {
        QCOMPARE(withIp[i].value(QStringLiteral("line")).toLongLong(), lines[i]);
    }
    QCOMPARE(withIp[0].value(QStringLiteral("remote_ip")).toString(), QStringLiteral("127.0.0.1"));
    // The ICMP row has neither port.
    QCOMPARE(withIp[4].value(QStringLiteral("protocol")).toString(), QStringLiteral("Icmp"));
    QVERIFY(withIp[4].value(QStringLiteral("remote_port")).isNull());
    QVERIFY(withIp[4].value(QStringLiteral("local_port")).isNull());
    // Inbound on 8080.
    QCOMPARE(withIp[5].value(QStringLiteral("local_port")).toLongLong(), 8080);

    const auto ssl = query(m_case,
                           "SELECT time, remote_ip, remote_port FROM event_view "
                           "WHERE line = 27");
    QCOMPARE(ssl.first().value(QStringLiteral("remote_ip")).toString(),
             QStringLiteral("40.126.32.134"));
    QCOMPARE(ssl.first().value(QStringLiteral("remote_port")).toLongLong(), 443);
    // 2023-10-18T15:45:05.4732317Z
    QCOMPARE(ssl.first().value(QStringLiteral("time")).toLongLong(), qint64(16976439054732317));
}

// Log Analytics export: BOM, CRLF, "Timestamp [UTC]" as "4/4/2025, 9:18:26.637 PM" in every
// row (day and month equal, so the order cannot matter), RemoteIP redacted everywhere.
void tst_RealImport::mishkaTotalDeviceNetworkEvents()
{
    const QString file
        = realFile(QStringLiteral("defender/mishkataptishka_local-network-slowdown-investigation/"
                                  "TotalDeviceNetworkEvents.csv"));
    if (file.isEmpty()) {
        QSKIP("PORTENT_REAL_DATA is not available");
    }
    const ImportReport report = Importer::importNow(m_case, file);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.format, QStringLiteral("sentinel-csv"));
    QCOMPARE(report.rowsAccepted, 1000);
    QCOMPARE(report.rowsRejected, 0);
    QCOMPARE(report.dateOrder, DateOrder::MonthFirst);
    QVERIFY2(report.dateOrderReason.contains(QStringLiteral("does not matter")),
             qPrintable(report.dateOrderReason));
    QCOMPARE(report.timeZoneNote, QStringLiteral("UTC ([UTC] columns)"));

    const auto first = query(m_case, "SELECT * FROM event_view WHERE line = 2");
    QCOMPARE(first.first().value(QStringLiteral("time")).toLongLong(), qint64(17438015066370000));
    QCOMPARE(first.first().value(QStringLiteral("remote_port")).toLongLong(), 80);
    QCOMPARE(first.first().value(QStringLiteral("action_type")).toString(),
             QStringLiteral("ConnectionRequest"));

    const auto redacted = query(m_case,
                                "SELECT count(*) AS n, count(remote_ipv4) AS parsed "
                                "FROM event_view WHERE remote_ip = 'REDACTED IP'");
    QCOMPARE(redacted.first().value(QStringLiteral("n")).toLongLong(), 1000);
    QCOMPARE(redacted.first().value(QStringLiteral("parsed")).toLongLong(), 0);
    const auto noPort = query(m_case,
                              "SELECT count(*) AS n FROM event_view "
                              "WHERE remote_port IS NULL");
    QCOMPARE(noPort.first().value(QStringLiteral("n")).toLongLong(), 3);
    const auto mapped = query(m_case,
                              "SELECT count(*) AS n FROM event_view "
                              "WHERE local_ip = '::ffff:10.0.1.28'");
    QCOMPARE(mapped.first().value(QStringLiteral("n")).toLongLong(), 1);
}

// A summarised query with 9 columns: 294 of 350 dates (4/2/2025 ... 4/3/2025) read either way
// and none proves an order, so month-first is assumed and said.
void tst_RealImport::mishkaFelixReducedColumns()
{
    const QString file = realFile(QStringLiteral(
        "defender/mishkataptishka_local-network-slowdown-investigation/felix-win10.csv"));
    if (file.isEmpty()) {
        QSKIP("PORTENT_REAL_DATA is not available");
    }
    const ImportReport report = Importer::importNow(m_case, file);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.rowsAccepted, 350);
    QCOMPARE(report.dateOrder, DateOrder::MonthFirst);
    QVERIFY2(report.dateOrderReason.contains(QStringLiteral("ambiguous: assumed month-first")),
             qPrintable(report.dateOrderReason));
    QVERIFY(report.dateOrderReason.contains(QStringLiteral("294")));

    const auto first = query(m_case, "SELECT * FROM event_view WHERE line = 2");
    // 2 April 2025 21:40:18.337 UTC, with 4 February kept as the other reading.
    QCOMPARE(first.first().value(QStringLiteral("time")).toLongLong(), qint64(17436300183370000));
    QCOMPARE(first.first().value(QStringLiteral("time_alt")).toLongLong(),
             qint64(17387052183370000));
    QCOMPARE(first.first().value(QStringLiteral("extra")).toString(),
             QStringLiteral("{\"failed_connections\":\"1\"}"));
    const auto alt = query(m_case, "SELECT count(time_alt) AS n FROM events");
    QCOMPARE(alt.first().value(QStringLiteral("n")).toLongLong(), 294);
}

// CommonSecurityLog from a firewall: no RemoteIP value, so DestinationIP:DestinationPort is
// the remote end and SourceIP:SourcePort the local one. "10/15/2020" proves month-first.
void tst_RealImport::sentinelCiscoFirepower()
{
    const QString file
        = QStringLiteral(PORTENT_TEST_DATA "/sentinel-cef/CiscoFirepowerEStreamerCONN.csv");
    const ImportReport report = Importer::importNow(m_case, file);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.format, QStringLiteral("sentinel-csv"));
    QCOMPARE(report.rowsAccepted, 6);
    QCOMPARE(report.rowsRejected, 0);
    QCOMPARE(report.dateOrder, DateOrder::MonthFirst);
    QVERIFY(report.dateOrderReason.contains(QStringLiteral("6 rows have a second number")));

    const auto rows = events(m_case);
    QCOMPARE(rows.size(), 6);
    // 10/15/2020, 6:38:45.828 PM UTC
    QCOMPARE(rows[0].value(QStringLiteral("time")).toLongLong(), qint64(16027871258280000));
    QCOMPARE(rows[0].value(QStringLiteral("remote_ip")).toString(), QStringLiteral("13.107.4.52"));
    QCOMPARE(rows[0].value(QStringLiteral("remote_port")).toLongLong(), 80);
    QCOMPARE(rows[0].value(QStringLiteral("local_ip")).toString(), QStringLiteral("10.1.8.20"));
    QCOMPARE(rows[0].value(QStringLiteral("local_port")).toLongLong(), 53133);
    QCOMPARE(rows[0].value(QStringLiteral("device_name")).toString(), QStringLiteral("ftd"));
    QVERIFY(
        !rows[0].value(QStringLiteral("extra")).toString().contains(QStringLiteral(":\"null\"")));
}

// The same table exported through the API: plain TimeGenerated in ISO, literal "null" cells.
void tst_RealImport::sentinelForcepoint()
{
    const QString file
        = QStringLiteral(PORTENT_TEST_DATA "/sentinel-cef/Forcepoint_ngfw_query_data.csv");
    const ImportReport report = Importer::importNow(m_case, file);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.format, QStringLiteral("sentinel-csv"));
    QCOMPARE(report.rowsAccepted, 3);
    QCOMPARE(report.rowsRejected, 0);
    const auto rows = events(m_case);
    // 2020-02-05T11:53:04.027Z
    QCOMPARE(rows[0].value(QStringLiteral("time")).toLongLong(), qint64(15809035840270000));
    QCOMPARE(rows[0].value(QStringLiteral("remote_ip")).toString(),
             QStringLiteral("192.168.122.20"));
    QCOMPARE(rows[0].value(QStringLiteral("remote_port")).toLongLong(), 8585);
    QCOMPARE(rows[0].value(QStringLiteral("protocol")).toString(), QStringLiteral("TCP"));
}

QTEST_GUILESS_MAIN(tst_RealImport)
#include "tst_realimport.moc"
