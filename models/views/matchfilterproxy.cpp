// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "views/matchfilterproxy.h"

#include "views/matchtablemodel.h"

namespace Portent {

MatchFilterProxy::MatchFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(MatchTableModel::SortRole);
}

void MatchFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    m_matches = qobject_cast<const MatchTableModel *>(model);
    Q_ASSERT(m_matches || !model);
    QSortFilterProxyModel::setSourceModel(model);
}

void MatchFilterProxy::setQuickFilter(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_quickFilter) {
        return;
    }
    m_quickFilter = trimmed;
    m_matcher = QStringMatcher(trimmed, Qt::CaseInsensitive);
    bool isNumber = false;
    const int port = trimmed.toInt(&isNumber);
    m_portFilter = isNumber ? std::optional<int>(port) : std::nullopt;
    // A full invalidate rebuilds the mapping in one pass; invalidateFilter() removes rejected
    // rows range by range, which took 19 s for a million sorted rows against 10,000 kept.
    invalidate();
}

void MatchFilterProxy::setGroupFilter(const std::optional<BeaconGroupKey> &key)
{
    if (key == m_group) {
        return;
    }
    m_group = key;
    invalidate();
}

QList<int> MatchFilterProxy::sourceRows() const
{
    QList<int> rows;
    rows.reserve(rowCount());
    for (int row = 0; row < rowCount(); ++row) {
        rows.append(mapToSource(index(row, 0)).row());
    }
    return rows;
}

bool MatchFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_matches || sourceParent.isValid()) {
        return true;
    }
    if (m_group && BeaconGroupKey::of(m_matches->matchAt(sourceRow)) != *m_group) {
        return false;
    }
    return m_quickFilter.isEmpty() || m_matches->rowContains(sourceRow, m_matcher, m_portFilter);
}

bool MatchFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (!m_matches) {
        return QSortFilterProxyModel::lessThan(left, right);
    }
    return m_matches->lessThan(left.column(), left.row(), right.row());
}

} // namespace Portent
