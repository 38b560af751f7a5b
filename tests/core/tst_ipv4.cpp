// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "core/ipv4.h"
#include "core/ticks.h"

#include <QTest>

using namespace Portent;

class tst_Ipv4 : public QObject
{
    Q_OBJECT

private slots:
    void strictParse_data();
    void strictParse();
    void kqlSplit_data();
    void kqlSplit();
    void classify_data();
    void classify();
    void ticks();
};

void tst_Ipv4::strictParse_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<quint32>("value");

    // 61.19.32.5 = 61*2^24 + 19*2^16 + 32*2^8 + 5 = 1023410176 + 1245184 + 8192 + 5
    QTest::newRow("plain") << QByteArray("61.19.32.5") << true << quint32(1024663557);
    QTest::newRow("zeros") << QByteArray("0.0.0.0") << true << quint32(0);
    QTest::newRow("max") << QByteArray("255.255.255.255") << true << quint32(0xffffffff);
    // Dual-stack sockets report IPv4 peers this way; Defender passes the text through.
    QTest::newRow("mapped") << QByteArray("::ffff:10.0.1.28") << true << quint32(0x0a00011c);
    QTest::newRow("mappedUpper") << QByteArray("::FFFF:1.2.3.4") << true << quint32(0x01020304);
    QTest::newRow("octetTooBig") << QByteArray("256.1.1.1") << false << quint32(0);
    QTest::newRow("threeParts") << QByteArray("1.2.3") << false << quint32(0);
    QTest::newRow("fiveParts") << QByteArray("1.2.3.4.5") << false << quint32(0);
    QTest::newRow("leadingZero") << QByteArray("01.2.3.4") << false << quint32(0);
    QTest::newRow("space") << QByteArray(" 1.2.3.4") << false << quint32(0);
    QTest::newRow("trailingDot") << QByteArray("1.2.3.4.") << false << quint32(0);
    QTest::newRow("ipv6") << QByteArray("2001:db8::1") << false << quint32(0);
    QTest::newRow("ipv6Loopback") << QByteArray("0:0:0:0:0:0:0:1") << false << quint32(0);
    // The uploader of a real Sentinel export replaced every address with this text.
    QTest::newRow("redacted") << QByteArray("REDACTED IP") << false << quint32(0);
    QTest::newRow("empty") << QByteArray() << false << quint32(0);
    QTest::newRow("withPort") << QByteArray("13.107.4.52:80") << false << quint32(0);
}

void tst_Ipv4::strictParse()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    QFETCH(quint32, value);

    const std::optional<Ipv4> parsed = parseIpv4(text);
    QCOMPARE(parsed.has_value(), valid);
    if (valid) {
        QCOMPARE(parsed->value, value);
    }

    // The dotted form alone: the same answers, except that mapped IPv6 is not taken apart.
    const bool mapped = text.startsWith("::");
    const std::optional<Ipv4> dotted = parseDottedIpv4(text);
    QCOMPARE(dotted.has_value(), valid && !mapped);
    if (dotted) {
        QCOMPARE(dotted->value, value);
    }
}

void tst_Ipv4::kqlSplit_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("index");
    QTest::addColumn<bool>("isNull");
    QTest::addColumn<qint64>("value");

    QTest::newRow("first") << QByteArray("61.19.32.5") << 0 << false << qint64(61);
    QTest::newRow("third") << QByteArray("61.19.32.5") << 2 << false << qint64(32);
    // KQL does not validate: toint("300") is 300.
    QTest::newRow("outOfRange") << QByteArray("300.1.2.3") << 0 << false << qint64(300);
    // split("::ffff:1.2.3.4", ".")[0] is "::ffff:1", which toint() cannot read.
    QTest::newRow("mappedFirst") << QByteArray("::ffff:1.2.3.4") << 0 << true << qint64(0);
    QTest::newRow("mappedSecond") << QByteArray("::ffff:1.2.3.4") << 1 << false << qint64(2);
    QTest::newRow("ipv6") << QByteArray("2001:db8::1") << 0 << true << qint64(0);
    QTest::newRow("missingPart") << QByteArray("1.2") << 2 << true << qint64(0);
    QTest::newRow("emptyPart") << QByteArray("1..3.4") << 1 << true << qint64(0);
    QTest::newRow("redacted") << QByteArray("REDACTED IP") << 0 << true << qint64(0);
    QTest::newRow("leadingZero") << QByteArray("010.1.1.1") << 0 << false << qint64(10);
}

void tst_Ipv4::kqlSplit()
{
    QFETCH(QByteArray, text);
    QFETCH(int, index);
    QFETCH(bool, isNull);
    QFETCH(qint64, value);

    const std::optional<qint64> part = kqlSplitToInt(text, index);
    QCOMPARE(!part.has_value(), isNull);
    if (!isNull) {
        QCOMPARE(*part, value);
    }
}

void tst_Ipv4::classify_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("className");

    QTest::newRow("public") << QByteArray("20.50.201.200") << QStringLiteral("Public");
    QTest::newRow("rfc1918a") << QByteArray("10.0.1.28") << QStringLiteral("Private");
    QTest::newRow("rfc1918b") << QByteArray("172.31.255.1") << QStringLiteral("Private");
    QTest::newRow("rfc1918Edge") << QByteArray("172.32.0.1") << QStringLiteral("Public");
    QTest::newRow("rfc1918c") << QByteArray("192.168.1.1") << QStringLiteral("Private");
    QTest::newRow("loopback") << QByteArray("127.0.0.1") << QStringLiteral("Loopback");
    QTest::newRow("linkLocal") << QByteArray("169.254.3.4") << QStringLiteral("LinkLocal");
    QTest::newRow("multicast") << QByteArray("239.255.255.250") << QStringLiteral("Multicast");
    QTest::newRow("documentation") << QByteArray("203.0.113.9") << QStringLiteral("Reserved");
}

void tst_Ipv4::classify()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, className);

    QCOMPARE(ipClassName(classifyIpv4(*parseIpv4(text))), className);
}

void tst_Ipv4::ticks()
{
    // 2024-03-13 is day 19795 after 1970-01-01 (54 years incl. 13 leap days = 19723, + 72 days).
    QCOMPARE(daysFromCivil(2024, 3, 13), qint64(19795));
    QCOMPARE(daysFromCivil(1970, 1, 1), qint64(0));
    QCOMPARE(daysFromCivil(1969, 12, 31), qint64(-1));

    const qint64 instant = daysFromCivil(2024, 3, 13) * TicksPerDay + 6 * TicksPerHour
                           + 40 * TicksPerMinute + 13 * TicksPerSecond + 9880000;
    QCOMPARE(formatTicksIso(instant), QStringLiteral("2024-03-13T06:40:13.9880000Z"));
    QCOMPARE(formatTicksForDisplay(instant, 120), QStringLiteral("2024-03-13 08:40:13.988 +02:00"));
    QCOMPARE(formatTicksForDisplay(instant, -330),
             QStringLiteral("2024-03-13 01:10:13.988 -05:30"));
    QCOMPARE(ticksFromDateTime(dateTimeFromTicks(instant)),
             instant - instant % TicksPerMillisecond);
}

QTEST_GUILESS_MAIN(tst_Ipv4)
#include "tst_ipv4.moc"
