// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <array>
#include <optional>

namespace Portent {

// One event that the rule kept, with the seed query's projected columns.
struct Match
{
    qint64 eventId = 0;
    qint64 sourceId = 0;
    std::optional<qint64> time; // ticks UTC
    QString deviceName;
    QString accountName;
    QString processName;
    QString processFolder;
    QString processCommandLine;
    std::optional<qint64> processId;
    QString remoteUrl;
    QString remoteIp;
    int remotePort = 0;
    std::array<qint64, 4> octets{}; // as the rule's octet source read them
    std::array<bool, 4> octetKnown{}; // false where the octet was null (then octets[i] is 0)
    QList<std::optional<qint64>> calculatedPorts; // one per rule formula, in rule order
    QList<bool> formulaMatched;                    // one per rule formula
    QString matchedFormula; // "Both formulas", a formula label, or labels joined by " + "
    int matchScore = 0;     // number of formulas that matched
};

// A distinct remote (address, port) pair that passed the address and port clauses, with each
// formula's value: what the calculated-port scatter plots.
struct CandidateEndpoint
{
    QString remoteIp;
    int remotePort = 0;
    qint64 eventCount = 0; // the endpoint's events that pass every clause except the formulas
    QList<std::optional<qint64>> calculatedPorts;
    QList<bool> formulaMatched;
};

} // namespace Portent

Q_DECLARE_METATYPE(Portent::Match)
