// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "views/beacongroups.h"
#include "views/matchorder.h"

#include <QBitArray>
#include <QSortFilterProxyModel>

#include <optional>

namespace Portent {

class MatchTableModel;

// Filters a MatchTableModel: a quick text filter across columns and, optionally, one beacon
// group. It never sorts itself: sort() passes the request to MatchTableModel, which owns the row
// order and sorts large results off the GUI thread.
//
// The filter is evaluated once per match into a bit set indexed by match (not by row), so it
// survives re-sorting and rebuilding the mapping costs a bit look-up per row. For a large result
// the bit set is computed on a worker; until it arrives the previous filter stays applied (or,
// for a result that just replaced the previous one, no rows are shown).
class MatchFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    static constexpr int DefaultSyncFilterLimit = 50'000;

    explicit MatchFilterProxy(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *model) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    void setQuickFilter(const QString &text);
    QString quickFilter() const { return m_filter.text; }
    void setGroupFilter(const std::optional<BeaconGroupKey> &key);
    std::optional<BeaconGroupKey> groupFilter() const { return m_filter.group; }
    bool isFiltering() const { return m_filtering; }
    void setSyncFilterLimit(int rows) { m_syncFilterLimit = rows; }

    // Indexes into MatchTableModel::matches() of the rows shown, in view order (what charts
    // work on).
    QList<int> matchIndexes() const;

signals:
    void filteringChanged(bool filtering);
    // The rows shown now follow a changed filter, whether it was applied at once or later from
    // a worker (not emitted when a new result replaces the rows).
    void filterApplied();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    // Recomputes the accepted set for the current filter and result. invalidateNow is false
    // when the source is being reset, which rebuilds the mapping anyway.
    void refilter(bool invalidateNow);
    void applyAccepted(QBitArray accepted, bool invalidateNow);
    void setFiltering(bool filtering);

    MatchTableModel *m_matches = nullptr;
    QMetaObject::Connection m_resetConnection;
    MatchFilter m_filter;
    QBitArray m_accepted; // by match index; unused when the filter is inactive
    bool m_acceptAll = true;
    bool m_filtering = false;
    int m_syncFilterLimit = DefaultSyncFilterLimit;
    quint64 m_filterGeneration = 0;
};

} // namespace Portent
