// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "groupsview.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace Portent {

GroupsView::GroupsView(BeaconGroupModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_summary(new QLabel(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(BeaconGroupModel::SortRole);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);

    m_table->setModel(m_proxy);
    m_table->setAccessibleName(tr("Beacon groups"));
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(int(BeaconGroupModel::Column::Matches), Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->horizontalHeader()->setDefaultSectionSize(120);
    // Sized so that device, process, address, formula and count fit a laptop's lower pane.
    const auto widthOf = [this](BeaconGroupModel::Column column, int width) {
        m_table->setColumnWidth(int(column), width);
    };
    widthOf(BeaconGroupModel::Column::Device, 130);
    widthOf(BeaconGroupModel::Column::Process, 110);
    widthOf(BeaconGroupModel::Column::RemoteIp, 105);
    widthOf(BeaconGroupModel::Column::Formula, 175);
    widthOf(BeaconGroupModel::Column::Matches, 70);

    auto *showAll = new QPushButton(tr("Show &all matches"), this);
    showAll->setAccessibleName(tr("Clear group filter"));
    connect(showAll, &QPushButton::clicked, this, &GroupsView::clearSelection);
    connect(m_table->selectionModel(),
            &QItemSelectionModel::selectionChanged,
            this,
            &GroupsView::emitSelection);
    const auto updateSummary
        = [this] { m_summary->setText(tr("%n group(s)", nullptr, m_model->rowCount())); };
    connect(m_model, &QAbstractItemModel::modelReset, this, updateSummary);
    updateSummary();

    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(showAll);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
}

void GroupsView::clearSelection()
{
    m_table->clearSelection();
    emit groupSelected(std::nullopt);
}

void GroupsView::emitSelection()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty()) {
        emit groupSelected(std::nullopt);
        return;
    }
    const int sourceRow = m_proxy->mapToSource(rows.first()).row();
    emit groupSelected(m_model->groupAt(sourceRow).key);
}

} // namespace Portent
