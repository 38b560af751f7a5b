// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "views/beacongroups.h"

#include <QWidget>

#include <optional>

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace Portent {

// Beacon groups (device, process, remote IP, formula). Selecting a group filters the matches
// table to it; "Show all matches" clears that filter.
class GroupsView : public QWidget
{
    Q_OBJECT

public:
    explicit GroupsView(BeaconGroupModel *model, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    void clearSelection();

signals:
    void groupSelected(const std::optional<Portent::BeaconGroupKey> &key);

private:
    void emitSelection();

    BeaconGroupModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QLabel *m_summary;
};

} // namespace Portent
