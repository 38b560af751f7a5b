// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "views/matchorder.h"

#include "views/matchtablemodel.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <vector>

namespace Portent {

namespace {

using Column = MatchTableModel::Column;

qint64 optionalKey(const std::optional<qint64> &value)
{
    return value.value_or(std::numeric_limits<qint64>::min());
}

std::optional<qint64> numericKey(const Match &match, MatchSortKey key)
{
    switch (Column(key.column)) {
    case Column::Time:
        return optionalKey(match.time);
    case Column::ProcessId:
        return optionalKey(match.processId);
    case Column::RemoteIp:
        return ipv4SortKey(match.remoteIp);
    case Column::RemotePort:
        return match.remotePort;
    case Column::Oct1:
    case Column::Oct2:
    case Column::Oct3:
        return match.octets.at(std::size_t(key.column - int(Column::Oct1)));
    case Column::CalcPort:
        return optionalKey(match.calculatedPorts.value(key.formulaIndex));
    case Column::MatchScore:
        return match.matchScore;
    default:
        return std::nullopt;
    }
}

QString textKey(const Match &match, MatchSortKey key)
{
    switch (Column(key.column)) {
    case Column::Device:
        return match.deviceName;
    case Column::Account:
        return match.accountName;
    case Column::Process:
        return match.processName;
    case Column::ProcessFolder:
        return match.processFolder;
    case Column::CommandLine:
        return match.processCommandLine;
    case Column::RemoteUrl:
        return match.remoteUrl;
    case Column::MatchedFormula:
        return match.matchedFormula;
    default:
        return {};
    }
}

bool isNumericKey(MatchSortKey key)
{
    static const Match probe;
    return numericKey(probe, key).has_value();
}

// Sorts row indexes by precomputed keys: one key per match instead of one per comparison, which
// for text means folding the case once rather than twenty times per row.
template<typename Key> QList<int> sortedRows(const std::vector<Key> &keys, Qt::SortOrder order)
{
    QList<int> rows(qsizetype(keys.size()));
    std::iota(rows.begin(), rows.end(), 0);
    if (order == Qt::AscendingOrder) {
        std::stable_sort(rows.begin(), rows.end(), [&keys](int left, int right) {
            return keys[left] < keys[right];
        });
    } else {
        std::stable_sort(rows.begin(), rows.end(), [&keys](int left, int right) {
            return keys[right] < keys[left];
        });
    }
    return rows;
}

bool containsText(const Match &match, const QStringMatcher &matcher)
{
    const QString *texts[] = {&match.deviceName,
                              &match.accountName,
                              &match.processName,
                              &match.processFolder,
                              &match.remoteUrl,
                              &match.remoteIp,
                              &match.matchedFormula,
                              &match.processCommandLine};
    return std::any_of(std::begin(texts), std::end(texts), [&matcher](const QString *text) {
        return matcher.indexIn(*text) >= 0;
    });
}

// The order without sorting when the matches already come in it: the engine reports newest
// first, so the default sort by time costs one pass.
std::optional<MatchOrder>
presortedOrder(const QList<Match> &matches, MatchSortKey key, Qt::SortOrder order)
{
    if (key.column < 0) {
        return MatchOrder{};
    }
    if (Column(key.column) != Column::Time) {
        return std::nullopt;
    }
    const auto newerFirst = [](const Match &left, const Match &right) {
        return optionalKey(left.time) > optionalKey(right.time);
    };
    if (!std::is_sorted(matches.begin(), matches.end(), newerFirst)) {
        return std::nullopt;
    }
    // Reversing puts equal times in reverse engine order, unlike a stable sort; equal times
    // have no meaningful order, so the saved sort is worth it.
    return order == Qt::DescendingOrder ? MatchOrder{} : MatchOrder::reversed(matches.size());
}

} // namespace

MatchOrder MatchOrder::reversed(qsizetype count)
{
    QList<int> rows(count);
    std::iota(rows.rbegin(), rows.rend(), 0);
    return fromRows(std::move(rows));
}

MatchOrder MatchOrder::fromRows(QList<int> rows)
{
    MatchOrder order;
    order.positions.resize(rows.size());
    for (int row = 0; row < rows.size(); ++row) {
        order.positions[rows.at(row)] = row;
    }
    order.rows = std::move(rows);
    return order;
}

MatchOrder sortMatches(const QList<Match> &matches, MatchSortKey key, Qt::SortOrder order)
{
    if (auto presorted = presortedOrder(matches, key, order)) {
        return *presorted;
    }
    if (isNumericKey(key)) {
        std::vector<qint64> keys;
        keys.reserve(matches.size());
        for (const Match &match : matches) {
            keys.push_back(*numericKey(match, key));
        }
        return MatchOrder::fromRows(sortedRows(keys, order));
    }
    std::vector<QString> keys;
    keys.reserve(matches.size());
    for (const Match &match : matches) {
        keys.push_back(textKey(match, key).toCaseFolded());
    }
    return MatchOrder::fromRows(sortedRows(keys, order));
}

QBitArray acceptedMatches(const QList<Match> &matches, const MatchFilter &filter)
{
    QBitArray accepted(matches.size(), true);
    if (!filter.isActive()) {
        return accepted;
    }
    const QStringMatcher matcher(filter.text, Qt::CaseInsensitive);
    bool isNumber = false;
    const int port = filter.text.toInt(&isNumber);
    for (qsizetype i = 0; i < matches.size(); ++i) {
        const Match &match = matches.at(i);
        const bool inGroup = !filter.group || BeaconGroupKey::of(match) == *filter.group;
        const bool hasText = filter.text.isEmpty() || containsText(match, matcher)
                             || (isNumber && match.remotePort == port);
        accepted.setBit(i, inGroup && hasText);
    }
    return accepted;
}

} // namespace Portent
