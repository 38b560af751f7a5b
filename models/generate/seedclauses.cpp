// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "generate/seedclauses.h"

#include <algorithm>
#include <array>

namespace Portent::Generate {

namespace {

// KQL's toint() of one part of split(RemoteIP, "."): a plain decimal number or null.
std::optional<qint64> kqlPart(QByteArrayView ip, int index)
{
    qsizetype begin = 0;
    for (int i = 0; i < index; ++i) {
        const qsizetype dot = ip.indexOf('.', begin);
        if (dot < 0) {
            return std::nullopt;
        }
        begin = dot + 1;
    }
    const qsizetype dot = ip.indexOf('.', begin);
    const QByteArrayView part = ip.sliced(begin, (dot < 0 ? ip.size() : dot) - begin);
    if (part.isEmpty() || part.size() > 9) {
        return std::nullopt;
    }
    qint64 value = 0;
    for (const char c : part) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    return value;
}

bool equalsIgnoringAsciiCase(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

} // namespace

QByteArray Octets::toText() const
{
    QByteArray text;
    text.reserve(15);
    text.append(QByteArray::number(o1)).append('.').append(QByteArray::number(o2)).append('.');
    text.append(QByteArray::number(o3)).append('.').append(QByteArray::number(o4));
    return text;
}

FormulaChoice matchedFormulaFor(const Octets &octets, int port)
{
    const bool apt12 = port == octets.o1 * octets.o2 + octets.o3;
    const bool variant = port == octets.o1 * (octets.o2 + octets.o3);
    if (apt12 && variant) {
        return FormulaChoice::Both;
    }
    if (apt12) {
        return FormulaChoice::Apt12;
    }
    return variant ? FormulaChoice::Variant : FormulaChoice::None;
}

const char *formulaLabel(FormulaChoice formula)
{
    switch (formula) {
    case FormulaChoice::Both:
        return "Both formulas";
    case FormulaChoice::Apt12:
        return "APT12: (oct1*oct2)+oct3";
    case FormulaChoice::Variant:
        return "Variant: oct1*(oct2+oct3)";
    case FormulaChoice::None:
        break;
    }
    return "";
}

bool isInSeedRange(int port)
{
    return port >= 4096 && port <= 49151;
}

bool isSeedExcludedPort(int port)
{
    return std::find(std::begin(SeedExcludedPorts), std::end(SeedExcludedPorts), port)
           != std::end(SeedExcludedPorts);
}

std::optional<Octets> strictOctets(QByteArrayView ip)
{
    if (ip.startsWith("::ffff:")) {
        ip = ip.sliced(7);
    }
    std::array<int, 4> values{};
    for (int i = 0; i < 4; ++i) {
        const std::optional<qint64> part = kqlPart(ip, i);
        if (!part || *part > 255) {
            return std::nullopt;
        }
        values[i] = int(*part);
    }
    if (ip.count('.') != 3) {
        return std::nullopt;
    }
    return Octets{values[0], values[1], values[2], values[3]};
}

Clauses failedSeedClauses(const SeedView &row, qint64 windowFrom)
{
    Clauses failed;
    if (row.time <= windowFrom) {
        failed |= Clause::Time;
    }
    if (row.actionType != "ConnectionSuccess" && row.actionType != "ConnectionAttempt") {
        failed |= Clause::ActionType;
    }
    if (row.remoteIp.isEmpty()) {
        failed |= Clause::RemoteIp;
    }
    if (row.remoteIpType != "Public") {
        failed |= Clause::IpType;
    }
    if (row.remotePort == NoPort || !isInSeedRange(row.remotePort)) {
        failed |= Clause::PortRange;
    }
    if (row.remotePort != NoPort && isSeedExcludedPort(row.remotePort)) {
        failed |= Clause::ExcludedPort;
    }
    const auto o1 = kqlPart(row.remoteIp, 0);
    const auto o2 = kqlPart(row.remoteIp, 1);
    const auto o3 = kqlPart(row.remoteIp, 2);
    const bool formula
        = row.remotePort != NoPort && o1 && o2 && o3
          && (row.remotePort == *o1 * *o2 + *o3 || row.remotePort == *o1 * (*o2 + *o3));
    if (!formula) {
        failed |= Clause::Formula;
    }
    for (const char *excluded : {"svchost.exe", "lsass.exe", "services.exe", "wininit.exe"}) {
        if (equalsIgnoringAsciiCase(row.processName, excluded)) {
            failed |= Clause::Process;
        }
    }
    return failed;
}

Clauses expectedFailure(PlantedKind kind)
{
    switch (kind) {
    case PlantedKind::Beacon:
        return Clause::None;
    case PlantedKind::NearMissPortOffByOne:
    case PlantedKind::NearMissIpv6:
    case PlantedKind::NearMissMappedIpv6:
        return Clause::Formula;
    case PlantedKind::NearMissPrivateIp:
    case PlantedKind::NearMissIpTypeNotPublic:
        return Clause::IpType;
    case PlantedKind::NearMissExcludedPort:
        return Clause::ExcludedPort;
    case PlantedKind::NearMissExcludedProcess:
        return Clause::Process;
    case PlantedKind::NearMissConnectionFailed:
        return Clause::ActionType;
    case PlantedKind::NearMissPortBelowRange:
    case PlantedKind::NearMissPortAboveRange:
        return Clause::PortRange;
    case PlantedKind::NearMissOutsideWindow:
        return Clause::Time;
    case PlantedKind::Count:
        break;
    }
    return Clause::None;
}

const char *clauseName(Clauses clauses)
{
    if (clauses == Clause::None) {
        return "";
    }
    static constexpr std::pair<Clause, const char *> Names[] = {
        {Clause::Time, "Timestamp"},
        {Clause::ActionType, "ActionType"},
        {Clause::RemoteIp, "RemoteIP"},
        {Clause::IpType, "RemoteIPType"},
        {Clause::PortRange, "RemotePort range"},
        {Clause::ExcludedPort, "RemotePort excluded"},
        {Clause::Formula, "MatchScore"},
        {Clause::Process, "InitiatingProcessFileName"},
    };
    for (const auto &[clause, name] : Names) {
        if (clauses.testFlag(clause)) {
            return name;
        }
    }
    return "";
}

const char *plantedKindId(PlantedKind kind)
{
    switch (kind) {
    case PlantedKind::Beacon:
        return "beacon";
    case PlantedKind::NearMissPortOffByOne:
        return "near-miss-port-off-by-one";
    case PlantedKind::NearMissPrivateIp:
        return "near-miss-private-ip";
    case PlantedKind::NearMissExcludedPort:
        return "near-miss-excluded-port";
    case PlantedKind::NearMissExcludedProcess:
        return "near-miss-excluded-process";
    case PlantedKind::NearMissConnectionFailed:
        return "near-miss-connection-failed";
    case PlantedKind::NearMissIpv6:
        return "near-miss-ipv6";
    case PlantedKind::NearMissMappedIpv6:
        return "near-miss-mapped-ipv6";
    case PlantedKind::NearMissIpTypeNotPublic:
        return "near-miss-ip-type-not-public";
    case PlantedKind::NearMissPortBelowRange:
        return "near-miss-port-below-range";
    case PlantedKind::NearMissPortAboveRange:
        return "near-miss-port-above-range";
    case PlantedKind::NearMissOutsideWindow:
        return "near-miss-outside-window";
    case PlantedKind::Count:
        break;
    }
    return "";
}

} // namespace Portent::Generate
