// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "views/chartdata.h"

#include "core/ticks.h"

#include <QHash>

#include <algorithm>

namespace Portent {

namespace {

qint64 roundWidth(qint64 span, int maxBins, const QList<qint64> &steps)
{
    for (qint64 step : steps) {
        if (span / step < maxBins) {
            return step;
        }
    }
    // Beyond the largest step: a multiple of it.
    const qint64 largest = steps.last();
    return largest * (span / (largest * maxBins) + 1);
}

Histogram histogram(const QList<qint64> &values, int maxBins, const QList<qint64> &steps)
{
    Histogram result;
    if (values.isEmpty()) {
        return result;
    }
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    result.binWidth = roundWidth(*high - *low, maxBins, steps);
    // Floor division so that negative values (times before 1970) land in the right bin.
    const auto floorDiv = [](qint64 a, qint64 b) { return a / b - (a % b < 0 ? 1 : 0); };
    result.start = floorDiv(*low, result.binWidth) * result.binWidth;
    const qint64 bins = (*high - result.start) / result.binWidth + 1;
    result.counts.fill(0, bins);
    for (qint64 value : values) {
        ++result.counts[(value - result.start) / result.binWidth];
    }
    return result;
}

} // namespace

Histogram timeHistogram(const QList<Match> &matches, const QList<int> &rows, int maxBins)
{
    QList<qint64> times;
    times.reserve(rows.size());
    for (int row : rows) {
        if (const auto &time = matches.at(row).time) {
            times.append(*time);
        }
    }
    static const QList<qint64> steps = {TicksPerSecond,     10 * TicksPerSecond,
                                        TicksPerMinute,     5 * TicksPerMinute,
                                        15 * TicksPerMinute, TicksPerHour,
                                        6 * TicksPerHour,   TicksPerDay,
                                        7 * TicksPerDay,    30 * TicksPerDay};
    return histogram(times, maxBins, steps);
}

Histogram portHistogram(const QList<Match> &matches, const QList<int> &rows, int maxBins)
{
    QList<qint64> ports;
    ports.reserve(rows.size());
    for (int row : rows) {
        ports.append(matches.at(row).remotePort);
    }
    static const QList<qint64> steps = {1, 10, 100, 500, 1000, 2500, 5000};
    return histogram(ports, maxBins, steps);
}

QList<QPair<QString, qint64>> topValues(const QList<Match> &matches,
                                        const QList<int> &rows,
                                        TopField field,
                                        int n)
{
    QHash<QString, qint64> counts;
    for (int row : rows) {
        const Match &match = matches.at(row);
        ++counts[field == TopField::Process ? match.processName : match.deviceName];
    }
    QList<QPair<QString, qint64>> sorted;
    sorted.reserve(counts.size());
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        sorted.append({it.key(), it.value()});
    }
    std::sort(sorted.begin(), sorted.end(), [](const auto &left, const auto &right) {
        return left.second != right.second ? left.second > right.second
                                           : left.first < right.first;
    });
    if (sorted.size() > n) {
        sorted.resize(n);
    }
    return sorted;
}

} // namespace Portent
