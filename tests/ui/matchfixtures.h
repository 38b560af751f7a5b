// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "core/ticks.h"
#include "detect/match.h"

#include <QDateTime>

// Matches as the engine would report them for tests/data/ui/beacons.csv, built by hand so the
// view tests need no database.
namespace MatchFixtures {

inline qint64 at(const char *iso)
{
    return Portent::ticksFromDateTime(QDateTime::fromString(QString::fromLatin1(iso),
                                                            Qt::ISODate));
}

inline Portent::Match make(qint64 eventId, const char *time, const char *device,
                           const char *process, qint64 pid, const char *ip,
                           std::array<qint64, 4> octets, int port, const char *formula)
{
    Portent::Match match;
    match.eventId = eventId;
    match.time = at(time);
    match.deviceName = QString::fromLatin1(device);
    match.processName = QString::fromLatin1(process);
    match.processId = pid;
    match.remoteIp = QString::fromLatin1(ip);
    match.remotePort = port;
    match.octets = {octets[0], octets[1], octets[2], 0};
    const qint64 apt12 = octets[0] * octets[1] + octets[2];
    const qint64 variant = octets[0] * (octets[1] + octets[2]);
    match.calculatedPorts = {apt12, variant};
    match.formulaMatched = {apt12 == port, variant == port};
    match.matchScore = int(apt12 == port) + int(variant == port);
    match.matchedFormula = QString::fromLatin1(formula);
    return match;
}

inline QList<Portent::Match> beacons()
{
    const char *apt12 = "APT12: (oct1*oct2)+oct3";
    const char *variant = "Variant: oct1*(oct2+oct3)";
    return {
        make(1, "2024-03-13T12:00:00Z", "ws-01", "implant.exe", 912, "103.45.67.89",
             {103, 45, 67, 89}, 4702, apt12),
        make(2, "2024-03-13T11:30:00Z", "ws-03", "rundll32.exe", 777, "200.100.50.7",
             {200, 100, 50, 7}, 20050, apt12),
        make(3, "2024-03-13T11:00:00Z", "ws-01", "implant.exe", 912, "103.45.67.89",
             {103, 45, 67, 89}, 4702, apt12),
        make(4, "2024-03-13T10:00:00Z", "ws-01", "implant.exe", 912, "103.45.67.89",
             {103, 45, 67, 89}, 4702, apt12),
        make(5, "2024-03-13T09:30:00Z", "ws-02", "update.exe", 10234, "60.70.10.1",
             {60, 70, 10, 1}, 4800, variant),
        make(6, "2024-03-13T08:15:00Z", "ws-02", "update.exe", 10234, "60.70.10.1",
             {60, 70, 10, 1}, 4800, variant),
        make(7, "2024-03-13T07:00:00Z", "ws-01", "beacon.exe", 4321, "70.80.0.9",
             {70, 80, 0, 9}, 5600, "Both formulas"),
    };
}

inline QStringList formulaLabels()
{
    return {QStringLiteral("APT12: (oct1*oct2)+oct3"), QStringLiteral("Variant: oct1*(oct2+oct3)")};
}

} // namespace MatchFixtures
