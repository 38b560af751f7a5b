// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"
#include "detect/match.h"
#include "detect/rule.h"

#include <QFuture>
#include <QList>
#include <QPromise>
#include <QString>

#include <optional>

namespace Portent {

// The window a run actually used, always shown to the user.
struct EffectiveWindow
{
    std::optional<qint64> fromTicks; // exclusive, like Timestamp > ago(24h); none: unbounded
    std::optional<qint64> toTicks;   // inclusive; none: unbounded
    QString description; // e.g. "24 h ending at the newest event, 2024-03-13 06:40:13 UTC"
    // True when the window admits nothing: it ends at the newest event and no event has a time.
    bool empty = false;

    // The first instant inside the window (the tick after the exclusive start), if bounded.
    std::optional<qint64> firstInstant() const
    {
        return fromTicks ? std::optional<qint64>(*fromTicks + 1) : std::nullopt;
    }
};

struct DetectionResult
{
    quint64 generation = 0; // the caller's run number, echoed so stale results can be dropped
    EffectiveWindow window;
    QList<Match> matches; // sorted as the rule asks (newest first by default)
    QList<CandidateEndpoint> candidateEndpoints;
    qint64 eventsInCase = 0;
    std::optional<qint64> newestEventTime; // of the whole case, whatever the window
    qint64 endpointsEvaluated = 0;
    qint64 candidateEvents = 0;               // events passing every clause except the formulas
    bool candidateEndpointsTruncated = false; // more endpoints passed than the list keeps
    qint64 elapsedMs = 0;                     // the whole run
    qint64 matchPhaseMs = 0;             // endpoints evaluated, matching events fetched and sorted
    qint64 candidatePhaseMs = 0;         // the candidate count, which scans the in-range events
    bool endpointSnapshotReused = false; // the endpoints were still in memory from a last run
    QString error;                       // non-empty when the run failed; matches are then empty
};

// Runs a rule over a case on a worker thread. The same API serves the GUI and the CLI.
class DetectionEngine
{
public:
    // candidateEndpoints keeps at most this many; the chart needs no more to show the shape.
    static constexpr int MaxCandidateEndpoints = 20000;

    // Starts a run on Qt's global thread pool. Progress is reported through the future (0..100);
    // cancelling the future stops the run between endpoints and between event batches.
    static QFuture<DetectionResult>
    start(const QString &casePath, const DetectionRule &rule, quint64 generation = 0);

    // The same run, on the calling thread (used by start() and by tests).
    static void run(QPromise<DetectionResult> &promise,
                    const QString &casePath,
                    const DetectionRule &rule,
                    quint64 generation);

    // Runs keep the endpoints in the port range of the case last examined in memory (a few MB
    // for millions of events) so re-runs skip reading them; call this when the case is closed.
    static void releaseCache();

    // The query that reads the endpoints in the rule's port range (bound parameters ?1, ?2: the
    // range), through the covering index endpoints_port when the range allows it.
    static QString endpointRangeSql(const DetectionRule &rule);

    // Convenience for the CLI and tests: runs synchronously, returns the result.
    static DetectionResult runNow(const QString &casePath, const DetectionRule &rule);
};

} // namespace Portent
