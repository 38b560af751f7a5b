// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "generate/generator.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QFlags>

#include <optional>

// The generator's own reading of the seed rule (DetectionRule::seed()), kept apart from the
// detection engine on purpose: the ground truth must not inherit a bug of the code it tests.
namespace Portent::Generate {

constexpr int NoPort = -1;

struct Octets
{
    int o1 = 0;
    int o2 = 0;
    int o3 = 0;
    int o4 = 0;
    QByteArray toText() const;
};

struct Endpoint
{
    Octets octets;
    int port = 0;
};

enum class FormulaChoice {
    None,
    Apt12,   // port = o1*o2+o3
    Variant, // port = o1*(o2+o3)
    Both,
};

FormulaChoice matchedFormulaFor(const Octets &octets, int port);
// The seed's MatchedFormula text, empty for None.
const char *formulaLabel(FormulaChoice formula);

inline constexpr int SeedExcludedPorts[]
    = {8080, 8443, 8000, 8888, 9090, 9200, 9300, 9418, 27017, 27018, 28017};

bool isInSeedRange(int port);
bool isSeedExcludedPort(int port);

// Dotted IPv4 or "::ffff:" + dotted IPv4, as the generator writes them; nothing otherwise.
std::optional<Octets> strictOctets(QByteArrayView ip);

enum class Clause {
    None = 0,
    Time = 0x1,          // Timestamp > ago(24h), here: after the newest event minus 24 h
    ActionType = 0x2,    // ActionType in ("ConnectionSuccess", "ConnectionAttempt")
    RemoteIp = 0x4,      // isnotempty(RemoteIP)
    IpType = 0x8,        // RemoteIPType == "Public"
    PortRange = 0x10,    // RemotePort between (4096 .. 49151)
    ExcludedPort = 0x20, // RemotePort !in (8080, ...)
    Formula = 0x40,      // MatchScore > 0 with toint(split(RemoteIP, ".")[i]) octets
    Process = 0x80,      // InitiatingProcessFileName !in~ ("svchost.exe", ...)
};
Q_DECLARE_FLAGS(Clauses, Clause)
Q_DECLARE_OPERATORS_FOR_FLAGS(Clauses)

// The fields of a row the seed rule reads.
struct SeedView
{
    qint64 time = 0;
    QByteArrayView actionType;
    QByteArrayView remoteIp;
    QByteArrayView remoteIpType;
    QByteArrayView processName;
    int remotePort = NoPort;
};

// Every clause of the seed rule the row fails; None means the rule reports it.
Clauses failedSeedClauses(const SeedView &row, qint64 windowFrom);

// The single clause each near-miss kind is built to fail (None for beacons).
Clauses expectedFailure(PlantedKind kind);
// Short name of a clause for the ground truth, e.g. "RemoteIPType".
const char *clauseName(Clauses clauses);
// Stable identifier of a planted kind, e.g. "near-miss-excluded-port".
const char *plantedKindId(PlantedKind kind);

} // namespace Portent::Generate
