// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "views/beacongroups.h"

#include <QSortFilterProxyModel>
#include <QStringMatcher>

#include <optional>

namespace Portent {

class MatchTableModel;

// Sorts and filters a MatchTableModel: a quick text filter across columns and, optionally, one
// beacon group. Sorting compares the matches directly (same order as the sort role) because
// building QVariants for a million rows makes a sort take seconds.
class MatchFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit MatchFilterProxy(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *model) override;

    void setQuickFilter(const QString &text);
    QString quickFilter() const { return m_quickFilter; }
    void setGroupFilter(const std::optional<BeaconGroupKey> &key);
    std::optional<BeaconGroupKey> groupFilter() const { return m_group; }

    // Source rows currently accepted, in view order (what charts and copy work on).
    QList<int> sourceRows() const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    const MatchTableModel *m_matches = nullptr;
    QString m_quickFilter;
    // Built once per filter text: a million rows times eight columns is too many to re-scan the
    // pattern for, and a number filter also matches the remote port exactly.
    QStringMatcher m_matcher;
    std::optional<int> m_portFilter;
    std::optional<BeaconGroupKey> m_group;
};

} // namespace Portent
