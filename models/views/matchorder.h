// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "detect/match.h"
#include "views/beacongroups.h"

#include <QBitArray>
#include <QList>
#include <QString>
#include <QStringMatcher>

#include <optional>

// Sorting and filtering of a detection result, written as pure functions over the result's
// QList<Match> so they can run on a worker thread: a million rows take seconds to sort and a
// quarter of a second to filter, which the GUI thread must not spend.
namespace Portent {

// What a column sorts by: the fixed column (MatchTableModel::Column as int) and, for CalcPort
// columns, which formula.
struct MatchSortKey
{
    int column = -1;
    int formulaIndex = 0;
};

// A row order over a result: rows[viewRow] is an index into the matches, positions is its
// inverse. Both empty means the matches' own order.
struct MatchOrder
{
    QList<int> rows;
    QList<int> positions;

    bool isIdentity() const { return rows.isEmpty(); }
    int matchIndex(int row) const { return rows.isEmpty() ? row : rows.at(row); }
    int row(int matchIndex) const
    {
        return positions.isEmpty() ? matchIndex : positions.at(matchIndex);
    }

    static MatchOrder reversed(qsizetype count);
    static MatchOrder fromRows(QList<int> rows);
};

// A stable sort by the column's typed value (numbers as numbers, IPv4 by address value, text
// case-insensitively); descending keeps equal rows in their original order too. Column -1 is
// the matches' own order; matches already newest first cost one pass to sort by time.
MatchOrder sortMatches(const QList<Match> &matches, MatchSortKey key, Qt::SortOrder order);

// The quick filter and beacon-group filter of the matches table.
struct MatchFilter
{
    QString text; // trimmed; empty matches everything
    std::optional<BeaconGroupKey> group;

    bool isActive() const { return !text.isEmpty() || group.has_value(); }
    bool operator==(const MatchFilter &) const = default;
};

// One bit per match, set when the filter accepts it. The text is searched case-insensitively in
// the text columns; a number also matches the remote port exactly.
QBitArray acceptedMatches(const QList<Match> &matches, const MatchFilter &filter);

} // namespace Portent
