// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "detect/match.h"
#include "views/matchorder.h"
#include "views/timedisplay.h"

#include <QAbstractTableModel>
#include <QList>
#include <QStringList>

#include <optional>

namespace Portent {

// The matches of one detection run, with the seed query's projected columns. The model owns the
// run's QList<Match>, so data() never touches the database; it is reset only when a new run's
// result replaces the list, which keeps a million rows smooth.
//
// The model also owns the row order, so sorting never runs on the GUI thread for a large result:
// sort() computes the permutation on a worker over the (implicitly shared, never mutated) list
// and applies it with a layout change. A result that arrives while a sort runs, or a newer sort,
// makes the older one stale and it is dropped. Rows are view rows; matchIndex() maps them back
// to matches().
class MatchTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    // Fixed columns. The rule's formulas add one "CalcPort" column each between Oct3 and
    // MatchedFormula, so use column()/columnKind() rather than these values as indexes.
    enum class Column {
        Time,
        Device,
        Account,
        Process,
        ProcessFolder,
        CommandLine,
        ProcessId,
        RemoteUrl,
        RemoteIp,
        RemotePort,
        Oct1,
        Oct2,
        Oct3,
        CalcPort, // one per formula
        MatchedFormula,
        MatchScore,
        Count
    };

    enum Role {
        SortRole = Qt::UserRole + 1, // typed values: ticks, integers, numeric IPv4, text
        EventIdRole,
    };

    // Results up to this many rows are sorted on the calling thread: the sort takes a few
    // milliseconds, and tests and views see the new order at once.
    static constexpr int DefaultSyncSortLimit = 50'000;

    explicit MatchTableModel(QObject *parent = nullptr);

    // Replaces the result, keeping the current sort (applied at once when it is free or small).
    void setMatches(QList<Match> matches, QStringList formulaLabels);
    void setTimeDisplay(const TimeDisplay &display);
    TimeDisplay timeDisplay() const { return m_timeDisplay; }
    void setSyncSortLimit(int rows) { m_syncSortLimit = rows; }

    // In the engine's order (newest first), not the view's; rows map to it with matchIndex().
    const QList<Match> &matches() const { return m_matches; }
    int matchIndex(int row) const { return m_order.matchIndex(row); }
    const Match &matchAt(int row) const { return m_matches.at(matchIndex(row)); }
    QStringList formulaLabels() const { return m_formulaLabels; }

    // Column -1 restores the engine's order. Large results sort on a worker thread; the order
    // changes (layoutChanged) when it is done.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }
    bool isSorting() const { return m_sorting; }

    // The model column of a fixed column (for CalcPort, of formula formulaIndex).
    int column(Column kind, int formulaIndex = 0) const;
    Column columnKind(int column, int *formulaIndex = nullptr) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant
    headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void sortingChanged(bool sorting);

private:
    MatchSortKey sortKey() const;
    // The order for the current sort when it is free or small; otherwise starts a worker that
    // applies it later and returns nullopt.
    std::optional<MatchOrder> orderNowOrLater();
    void applyOrder(MatchOrder order);
    void setSorting(bool sorting);

    QVariant displayValue(const Match &match, Column kind, int formulaIndex) const;
    QVariant sortValue(const Match &match, Column kind, int formulaIndex) const;

    QList<Match> m_matches;
    QStringList m_formulaLabels;
    TimeDisplay m_timeDisplay;
    MatchOrder m_order;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    int m_syncSortLimit = DefaultSyncSortLimit;
    quint64 m_sortGeneration = 0;
    bool m_sorting = false;
};

// Numeric value of a dotted IPv4 text for sorting; -1 for anything else (IPv6, placeholders).
qint64 ipv4SortKey(const QString &text);

} // namespace Portent
