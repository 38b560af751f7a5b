// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Portent {

// A port formula over the octets o1..o4 of the remote address, e.g. "o1*o2+o3".
struct Formula
{
    QString label;      // shown in MatchedFormula, e.g. "APT12: (oct1*oct2)+oct3"
    QString expression; // o1..o4, integers, + - * / % and parentheses
    bool operator==(const Formula &) const = default;
};

// Which events a rule looks at, in time.
struct TimeWindow
{
    enum class Kind {
        EndingAtNewestEvent, // [newest - length, newest]: the default, as exports are older than now
        RelativeToNow,       // Timestamp > ago(length): the seed's exact semantics
        Absolute,            // [from, to]
        AllTime,
    };
    Kind kind = Kind::EndingAtNewestEvent;
    qint64 lengthTicks = 0;         // for EndingAtNewestEvent and RelativeToNow
    std::optional<qint64> fromTicks; // for Absolute
    std::optional<qint64> toTicks;   // for Absolute
    bool operator==(const TimeWindow &) const = default;
};

// Where a rule takes the octets from.
enum class OctetSource {
    KqlSplit,   // toint(split(RemoteIP, ".")[i]), as the seed query: "::ffff:1.2.3.4" gives null
    StrictIpv4, // strictly parsed IPv4, IPv4-mapped IPv6 unwrapped
};

// Where a rule takes the remote address class from.
enum class IpTypeSource {
    Column,         // the export's RemoteIPType, compared exactly, as the seed query
    Address,        // classified from the address itself
    ColumnOrAddress // the column when the export has it, else the address
};

// A detection rule is data. DetectionRule::seed() reproduces the reference KQL hunt exactly.
struct DetectionRule
{
    QString name;
    TimeWindow window;
    QStringList actionTypes;         // case-sensitive, like KQL's in
    bool requireRemoteIp = true;     // isnotempty(RemoteIP)
    QStringList remoteIpTypes;       // case-sensitive, like KQL's ==; empty list: any
    IpTypeSource ipTypeSource = IpTypeSource::Column;
    OctetSource octetSource = OctetSource::KqlSplit;
    int portMin = 4096;              // inclusive, like KQL's between
    int portMax = 49151;             // inclusive
    QList<int> excludedPorts;
    QList<Formula> formulas;
    QStringList excludedProcesses;   // case-insensitive, like KQL's !in~
    QStringList outputColumns;       // names as the seed projects them
    bool newestFirst = true;         // sort by Timestamp desc

    // The reference hunt, clause for clause (window relative to now, 24 hours).
    static DetectionRule seed();
    // The seed with the window ending at the newest event in the case: the default, because an
    // export is usually older than 24 hours by the time it is examined.
    static DetectionRule defaults();

    QJsonObject toJson() const;
    static Expected<DetectionRule> fromJson(const QJsonObject &json);
    // Checks formulas parse and ranges make sense; the message names the offending clause.
    Status validate() const;

    // The projected column that holds formula `index`'s value: "CalcPort_" plus the label's part
    // before ':' made into an identifier ("APT12: (oct1*oct2)+oct3" gives "CalcPort_APT12").
    QString calcPortColumn(int index) const;
    // The columns a fresh rule projects: the seed's order, one CalcPort_* column per formula.
    QStringList standardOutputColumns() const;
    // outputColumns, or standardOutputColumns() when the rule leaves it empty.
    QStringList effectiveOutputColumns() const;
    // MatchedFormula for the formulas that matched (one flag per formula): a single label; "Both
    // formulas" when a two-formula rule matched both, as the seed; otherwise labels joined by
    // " + ". Empty when none matched.
    QString matchedFormulaLabel(const QList<bool> &matched) const;

    bool operator==(const DetectionRule &) const = default;
};

// KQL timespan literals ("24h", "30m", "1d", "100ms", "1tick"): the window length in rule files
// and exported KQL. Formatting picks the largest unit that is exact.
QString formatTimespan(qint64 ticks);
std::optional<qint64> parseTimespan(const QString &text);
// ISO 8601 UTC with up to seven fractional digits and a trailing Z, as formatTicksIso writes it.
std::optional<qint64> parseIsoTicks(const QString &text);

// The seed query's labels.
inline constexpr const char *BothFormulasLabel = "Both formulas";

} // namespace Portent
