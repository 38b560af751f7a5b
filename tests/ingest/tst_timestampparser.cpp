// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "ingest/timestampparser.h"

#include <QTest>

using namespace Portent;

// Expected ticks are days since 1970-01-01 * 864e9 + time of day in 100 ns units. For example
// 2024-03-13: 2024-01-01 is day 19723 (54 years, 13 leap days), + 31 + 29 + 12 = 19795, so
// midnight is 17'102'880'000'000'000 and 06:40:13.988 adds 240'139'880'000.
class tst_TimestampParser : public QObject
{
    Q_OBJECT

private slots:
    void validFormats_data();
    void validFormats();
    void invalid_data();
    void invalid();
    void slashEvidence_data();
    void slashEvidence();
    void forcedOrder();
};

void tst_TimestampParser::validFormats_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("ticks");
    QTest::addColumn<bool>("hasZone");

    // Defender portal export, 7 fractional digits.
    QTest::newRow("defender-portal")
        << QByteArray("2024-03-13T06:40:13.9880000Z") << qint64(17103120139880000) << true;
    QTest::newRow("defender-7digits")
        << QByteArray("2021-08-02T13:11:39.7724491Z") << qint64(16279098997724491) << true;
    // API / PowerShell exports with milliseconds.
    QTest::newRow("api-millis") << QByteArray("2020-02-05T11:53:04.027Z")
                                << qint64(15809035840270000) << true;
    QTest::newRow("vminsights-millis")
        << QByteArray("2022-05-11T18:09:38.868Z") << qint64(16522925788680000) << true;
    // Explicit offsets: 08:40:13 at +02:00 is 06:40:13 UTC.
    QTest::newRow("offset-colon") << QByteArray("2024-03-13T08:40:13+02:00")
                                  << qint64(17103120130000000) << true;
    QTest::newRow("offset-compact")
        << QByteArray("2024-03-13T08:40:13+0200") << qint64(17103120130000000) << true;
    // 01:10:13 at -05:30 is 06:40:13 UTC.
    QTest::newRow("offset-negative")
        << QByteArray("2024-03-13T01:10:13-05:30") << qint64(17103120130000000) << true;
    // Log Analytics in a European locale: day-first (13 > 12), 12-hour clock, lower-case pm.
    QTest::newRow("la-dayfirst-pm")
        << QByteArray("13/03/2024, 3:40:13.988 pm") << qint64(17103444139880000) << false;
    QTest::newRow("month-name-am")
        << QByteArray("Apr 15, 2024 11:09:27 AM") << qint64(17131793670000000) << false;
    QTest::newRow("month-name-24h")
        << QByteArray("May 7, 2024 18:41:25.123") << qint64(17151072851230000) << false;
    QTest::newRow("month-full-name")
        << QByteArray("April 15, 2024 11:09:27 AM") << qint64(17131793670000000) << false;
    // US Log Analytics export: 4/4/2025 reads the same both ways; 9 PM is 21:00.
    QTest::newRow("la-us") << QByteArray("4/4/2025, 9:18:26.637 PM") << qint64(17438015066370000)
                           << false;
    QTest::newRow("space-separator")
        << QByteArray("2020-10-23 06:36:42.306") << qint64(16034350023060000) << false;
    // 2024 is a leap year; 12 AM is midnight, 12 PM is noon.
    QTest::newRow("leap-day") << QByteArray("2024-02-29T00:00:00Z") << qint64(17091648000000000)
                              << true;
    QTest::newRow("midnight-12am")
        << QByteArray("1/1/2024 12:00:00 AM") << qint64(17040672000000000) << false;
    QTest::newRow("noon-12pm") << QByteArray("1/1/2024 12:00:00 PM") << qint64(17041104000000000)
                               << false;
    QTest::newRow("surrounding-spaces")
        << QByteArray("  2024-03-13T06:40:13.9880000Z ") << qint64(17103120139880000) << true;
}

void tst_TimestampParser::validFormats()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, ticks);
    QFETCH(bool, hasZone);

    const auto parsed = parseTimestamp(text);
    QVERIFY2(parsed.has_value(), text.constData());
    QCOMPARE(parsed->ticks, ticks);
    QCOMPARE(parsed->hasZone, hasZone);
}

void tst_TimestampParser::invalid_data()
{
    QTest::addColumn<QByteArray>("text");

    QTest::newRow("month-13") << QByteArray("2024-13-01T00:00:00Z");
    QTest::newRow("feb-30") << QByteArray("2024-02-30T00:00:00Z");
    QTest::newRow("feb-29-non-leap") << QByteArray("2023-02-29T00:00:00Z");
    QTest::newRow("hour-25") << QByteArray("2024-03-13T25:00:00Z");
    QTest::newRow("minute-60") << QByteArray("2024-03-13T10:60:00Z");
    QTest::newRow("second-60") << QByteArray("2024-03-13T10:00:60Z");
    QTest::newRow("garbage") << QByteArray("yesterday");
    QTest::newRow("empty") << QByteArray("");
    QTest::newRow("trailing-text") << QByteArray("2024-03-13T06:40:13Z extra");
    QTest::newRow("slash-both-over-12") << QByteArray("13/13/2024 1:00:00 PM");
    QTest::newRow("pm-hour-13") << QByteArray("1/2/2024 13:00:00 PM");
    QTest::newRow("am-hour-0") << QByteArray("1/2/2024 0:00:00 AM");
    QTest::newRow("no-seconds") << QByteArray("2024-03-13T06:40Z");
    QTest::newRow("bad-month-name") << QByteArray("Foo 15, 2024 11:09:27 AM");
    QTest::newRow("two-digit-year") << QByteArray("1/2/24 1:00:00 PM");
    QTest::newRow("epoch-millis") << QByteArray("1590028071000");
}

void tst_TimestampParser::invalid()
{
    QFETCH(QByteArray, text);
    QVERIFY2(!parseTimestamp(text).has_value(), text.constData());
}

void tst_TimestampParser::slashEvidence_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("evidence");
    QTest::addColumn<qint64>("ticks");
    QTest::addColumn<qint64>("alt"); // -1: none

    // 05/12/2024 6:41:32 PM: 12 May (month-first) or 5 December (day-first); both kept.
    QTest::newRow("ambiguous") << QByteArray("05/12/2024 6:41:32 PM")
                               << int(SlashEvidence::Ambiguous) << qint64(17155392920000000)
                               << qint64(17334240920000000);
    // 12/5/2024 18:41:32 read month-first is 5 December; day-first is 12 May.
    QTest::newRow("ambiguous-reversed")
        << QByteArray("12/5/2024 18:41:32") << int(SlashEvidence::Ambiguous)
        << qint64(17334240920000000) << qint64(17155392920000000);
    QTest::newRow("day-first-proof")
        << QByteArray("13/03/2024, 3:40:13.988 pm") << int(SlashEvidence::DayFirst)
        << qint64(17103444139880000) << qint64(-1);
    // 3/13/2024 3:40:13.988 PM can only be 13 March.
    QTest::newRow("month-first-proof")
        << QByteArray("3/13/2024 3:40:13.988 PM") << int(SlashEvidence::MonthFirst)
        << qint64(17103444139880000) << qint64(-1);
    QTest::newRow("same-both-ways")
        << QByteArray("4/4/2025, 9:18:26.637 PM") << int(SlashEvidence::Same)
        << qint64(17438015066370000) << qint64(-1);
    QTest::newRow("iso-no-evidence")
        << QByteArray("2020-10-23 06:36:42.306") << int(SlashEvidence::None)
        << qint64(16034350023060000) << qint64(-1);
}

void tst_TimestampParser::slashEvidence()
{
    QFETCH(QByteArray, text);
    QFETCH(int, evidence);
    QFETCH(qint64, ticks);
    QFETCH(qint64, alt);

    const auto parsed = parseTimestamp(text);
    QVERIFY(parsed.has_value());
    QCOMPARE(int(parsed->evidence), evidence);
    QCOMPARE(parsed->ticks, ticks);
    QCOMPARE(parsed->alt.value_or(-1), alt);
}

// A user who knows the export locale forces the order; a date impossible in it is refused.
void tst_TimestampParser::forcedOrder()
{
    const auto dayFirst = parseTimestamp("05/12/2024 6:41:32 PM", DateOrder::DayFirst);
    QVERIFY(dayFirst.has_value());
    QCOMPARE(dayFirst->ticks, qint64(17334240920000000));
    QVERIFY(!dayFirst->alt.has_value());

    const auto monthFirst = parseTimestamp("05/12/2024 6:41:32 PM", DateOrder::MonthFirst);
    QVERIFY(monthFirst.has_value());
    QCOMPARE(monthFirst->ticks, qint64(17155392920000000));

    QVERIFY(!parseTimestamp("13/03/2024 1:00:00 PM", DateOrder::MonthFirst).has_value());
    QVERIFY(!parseTimestamp("3/13/2024 1:00:00 PM", DateOrder::DayFirst).has_value());
}

QTEST_GUILESS_MAIN(tst_TimestampParser)
#include "tst_timestampparser.moc"
