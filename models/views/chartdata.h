// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "detect/match.h"

#include <QList>
#include <QPair>
#include <QString>

namespace Portent {

// Aggregates the charts draw, computed from the matches the view currently shows. Kept free of
// Qt Charts so the numbers are testable and the chart library can be swapped.

struct Histogram
{
    qint64 start = 0;     // first bin's lower edge
    qint64 binWidth = 1;  // ticks for time, ports for port histograms
    QList<qint64> counts; // one per bin
};

// Time histogram with at most maxBins bins of a "round" width (1 min, 5 min, 1 h, 1 day...).
Histogram timeHistogram(const QList<Match> &matches, const QList<int> &rows, int maxBins = 48);
// Remote-port histogram with at most maxBins bins of a round width (1, 10, 100, 1000 ports...).
Histogram portHistogram(const QList<Match> &matches, const QList<int> &rows, int maxBins = 40);

enum class TopField {
    Process,
    Device,
};
// The n most frequent values, most frequent first (ties by name).
QList<QPair<QString, qint64>> topValues(const QList<Match> &matches,
                                        const QList<int> &rows,
                                        TopField field,
                                        int n = 10);

} // namespace Portent
