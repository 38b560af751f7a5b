// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"

#include <QString>

#include <functional>

class QIODevice;

namespace Portent {

// The file layouts the generator writes.
enum class GeneratedFormat {
    Csv,         // Advanced Hunting portal "Export" CSV, RFC 4180
    JsonLines,   // one JSON object per line
    HuntingJson, // the hunting API's {"Schema":[...],"Results":[...]} document
};

// How Timestamp and the other time columns are written.
enum class TimestampStyle {
    Iso7,        // 2024-03-13T06:40:13.9880000Z, as the portal exports
    IsoMillis,   // 2024-03-13T06:40:13.988Z, as API and PowerShell exports
    LogAnalytics // "3/13/2024, 6:40:13.988 AM" under "Timestamp [UTC]" headers (Sentinel UI)
};

// What each generated row is, as recorded in the ground-truth file.
enum class PlantedKind {
    Beacon, // matches the seed rule (and DetectionRule::defaults())
    NearMissPortOffByOne,
    NearMissPrivateIp,
    NearMissExcludedPort,
    NearMissExcludedProcess,
    NearMissConnectionFailed,
    NearMissIpv6,
    NearMissMappedIpv6,
    NearMissIpTypeNotPublic,
    NearMissPortBelowRange,
    NearMissPortAboveRange,
    NearMissOutsideWindow,
    Count
};

QString plantedKindName(PlantedKind kind);

struct GeneratorOptions
{
    qint64 rows = 10'000;
    quint64 seed = 1;
    GeneratedFormat format = GeneratedFormat::Csv;
    TimestampStyle timestampStyle = TimestampStyle::Iso7;
    // The newest event's time (ticks UTC). Fixed by default so that a seed alone decides every
    // byte; the data is then old, so the seed's "ago(24h)" window finds nothing in it.
    qint64 newestTicks = DefaultNewestTicks;
    qint64 spanHours = 72; // events spread over this many hours before the newest one

    // 2024-03-14T12:00:00Z
    static constexpr qint64 DefaultNewestTicks = 17'104'176'000'000'000;
};

struct GenerationSummary
{
    qint64 rows = 0;
    qint64 bytes = 0;
    qint64 beacons = 0;
    qint64 nearMisses = 0;
    qint64 newestTicks = 0;
    qint64 oldestTicks = 0;
};

// Called every few thousand rows with the rows and bytes written so far; return false to stop.
using GeneratorProgress = std::function<bool(qint64 rows, qint64 bytes)>;

// Writes synthetic but realistic Defender DeviceNetworkEvents exports for tests, benchmarks and
// the bundled sample. Output is a pure function of the options: the same seed gives the same
// bytes on every platform. Memory stays constant whatever the row count, because rows are
// streamed and only the few hundred planted rows are planned ahead.
//
// Content: benign traffic (browsers, Teams, OneDrive, svchost, Defender itself...) that never
// satisfies the seed rule, periodic beacons from a few implants whose port is o1*o2+o3, o1*(o2+o3)
// or both, all within the 24 hours ending at the newest event, and near misses that each fail
// exactly one clause of the seed rule. The ground truth (CSV) lists every beacon and near miss.
class Generator
{
public:
    // The ground-truth CSV header: ReportId,Kind,DeviceName,Timestamp,RemoteIP,RemotePort,
    // ActionType,InitiatingProcessFileName,MatchedFormula,FailedClause.
    static Expected<GenerationSummary> write(QIODevice &events,
                                             QIODevice *truth,
                                             const GeneratorOptions &options,
                                             const GeneratorProgress &progress = {});

    // Convenience over write(): creates the files; truthPath may be empty.
    static Expected<GenerationSummary> writeFiles(const QString &eventsPath,
                                                  const QString &truthPath,
                                                  const GeneratorOptions &options,
                                                  const GeneratorProgress &progress = {});
};

} // namespace Portent
