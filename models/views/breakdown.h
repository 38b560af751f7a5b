// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "views/timedisplay.h"

#include "detect/engine.h"
#include "detect/match.h"
#include "detect/rule.h"

#include <QList>
#include <QString>
#include <QVariantMap>

#include <array>
#include <optional>

namespace Portent {

// The texts of the per-octet breakdown panel. They live here, away from the widgets, so tests
// can check every character an analyst will read.

struct OctetTile
{
    qint64 value = 0;
    QString decimal; // "61"
    QString hex;     // "0x3D"
    QString binary;  // "0011 1101"
};

OctetTile octetTile(qint64 value);
// The four octets of the remote address as the rule read them; octet 4 comes from the address
// text because the seed projects only three.
std::array<OctetTile, 4> octetTiles(const Match &match);

// A formula written out with the octets substituted, e.g. "o1*o2+o3" with 61.19.32.7 gives
// "61 × 19 + 32". Unknown identifiers are kept as written.
QString substituteOctets(const QString &expression, const std::array<qint64, 4> &octets);

struct FormulaLine
{
    QString label;      // "APT12: (oct1*oct2)+oct3"
    QString arithmetic; // "61 × 19 + 32 = 1191"
    std::optional<qint64> value;
    bool equalsPort = false;
    QString verdict; // "= RemotePort 1191" or "≠ RemotePort 4444"
};

QList<FormulaLine> formulaLines(const Match &match, const QList<Formula> &formulas);

struct ClauseCheck
{
    QString clause; // the rule's clause, in KQL words
    QString actual; // the event's value
    bool passed = false;
};

// Which rule clauses the event passes. `event` is the event_view row (column name -> value);
// the event's time is written in `display`'s zone.
QList<ClauseCheck> clauseChecks(const DetectionRule &rule,
                                const Match &match,
                                const QVariantMap &event,
                                const EffectiveWindow &window,
                                const TimeDisplay &display = {});

// JSON text indented for reading; the text itself when it is not JSON.
QString prettyJson(const QString &text);

} // namespace Portent
