// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "views/matchtablemodel.h"

#include "core/ipv4.h"
#include "views/backgroundtask.h"

#include <QThreadPool>

#include <limits>
#include <optional>

namespace Portent {

namespace {

constexpr int FixedBeforeFormulas = int(MatchTableModel::Column::CalcPort);
constexpr int FixedAfterFormulas
    = int(MatchTableModel::Column::Count) - int(MatchTableModel::Column::CalcPort) - 1;

qint64 optionalKey(const std::optional<qint64> &value)
{
    return value.value_or(std::numeric_limits<qint64>::min());
}

QVariant optionalText(const std::optional<qint64> &value)
{
    return value ? QVariant(QString::number(*value)) : QVariant();
}

std::optional<qint64> calculatedPort(const Match &match, int formulaIndex)
{
    if (formulaIndex < 0 || formulaIndex >= match.calculatedPorts.size()) {
        return std::nullopt;
    }
    return match.calculatedPorts.at(formulaIndex);
}

bool isNumeric(MatchTableModel::Column kind)
{
    using C = MatchTableModel::Column;
    switch (kind) {
    case C::ProcessId:
    case C::RemotePort:
    case C::Oct1:
    case C::Oct2:
    case C::Oct3:
    case C::CalcPort:
    case C::MatchScore:
        return true;
    default:
        return false;
    }
}

// The seed names its columns CalcPort_APT12 and CalcPort_Variant after the labels' first word.
QString calcPortHeader(const QString &label, int formulaIndex)
{
    const QString name = label.section(QLatin1Char(':'), 0, 0).trimmed();
    if (name.isEmpty() || name.contains(QLatin1Char(' ')) || name == label) {
        return QStringLiteral("CalcPort_%1").arg(formulaIndex + 1);
    }
    return QStringLiteral("CalcPort_") + name;
}

} // namespace

qint64 ipv4SortKey(const QString &text)
{
    const auto address = parseIpv4(text.toLatin1());
    return address ? qint64(address->value) : -1;
}

MatchTableModel::MatchTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void MatchTableModel::setMatches(QList<Match> matches, QStringList formulaLabels)
{
    beginResetModel();
    // Freeing a million matches (eight strings each) takes the GUI thread 50 ms or more; the
    // worker drops the last reference instead.
    if (m_matches.size() > m_syncSortLimit) {
        QThreadPool::globalInstance()->start([old = std::exchange(m_matches, {})] {});
    }
    m_matches = std::move(matches);
    m_formulaLabels = std::move(formulaLabels);
    // A worker still sorting the previous result would bring back its order: make it stale.
    ++m_sortGeneration;
    const std::optional<MatchOrder> order = orderNowOrLater();
    m_order = order.value_or(MatchOrder{});
    endResetModel();
    setSorting(!order);
}

void MatchTableModel::sort(int column, Qt::SortOrder order)
{
    // QTableView::sortByColumn() asks twice (through the header's signal, then directly); the
    // order of a result only changes with the sort, so a repeated request has nothing to do.
    if (column == m_sortColumn && order == m_sortOrder) {
        return;
    }
    m_sortColumn = column;
    m_sortOrder = order;
    ++m_sortGeneration;
    const std::optional<MatchOrder> now = orderNowOrLater();
    if (now) {
        applyOrder(*now);
    }
    setSorting(!now);
}

MatchSortKey MatchTableModel::sortKey() const
{
    if (m_sortColumn < 0 || m_sortColumn >= columnCount()) {
        return {};
    }
    int formulaIndex = 0;
    const Column kind = columnKind(m_sortColumn, &formulaIndex);
    return {int(kind), formulaIndex};
}

std::optional<MatchOrder> MatchTableModel::orderNowOrLater()
{
    const MatchSortKey key = sortKey();
    if (key.column < 0) {
        return MatchOrder{};
    }
    if (m_matches.size() <= m_syncSortLimit) {
        return sortMatches(m_matches, key, m_sortOrder);
    }
    const quint64 generation = m_sortGeneration;
    // The worker gets its own reference to the list; setMatches() replaces rather than mutates
    // m_matches, so the worker's copy stays valid and is never detached.
    runInBackground(
        this,
        [matches = m_matches, key, order = m_sortOrder] {
            return sortMatches(matches, key, order);
        },
        [this, generation](const MatchOrder &order) {
            if (generation != m_sortGeneration) {
                return;
            }
            // A new result sorted newest first is already in order: no layout change for it.
            if (!order.isIdentity() || !m_order.isIdentity()) {
                applyOrder(order);
            }
            setSorting(false);
        });
    return std::nullopt;
}

void MatchTableModel::applyOrder(MatchOrder order)
{
    if (m_matches.isEmpty()) {
        m_order = std::move(order);
        return;
    }
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    QModelIndexList after;
    after.reserve(before.size());
    for (const QModelIndex &index : before) {
        after.append(this->index(order.row(matchIndex(index.row())), index.column()));
    }
    m_order = std::move(order);
    changePersistentIndexList(before, after);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void MatchTableModel::setSorting(bool sorting)
{
    if (sorting != m_sorting) {
        m_sorting = sorting;
        emit sortingChanged(sorting);
    }
}

void MatchTableModel::setTimeDisplay(const TimeDisplay &display)
{
    if (display == m_timeDisplay) {
        return;
    }
    m_timeDisplay = display;
    if (!m_matches.isEmpty()) {
        const int timeColumn = column(Column::Time);
        emit dataChanged(index(0, timeColumn), index(rowCount() - 1, timeColumn));
    }
    emit headerDataChanged(Qt::Horizontal, column(Column::Time), column(Column::Time));
}

int MatchTableModel::column(Column kind, int formulaIndex) const
{
    if (kind == Column::CalcPort) {
        return FixedBeforeFormulas + formulaIndex;
    }
    if (int(kind) < FixedBeforeFormulas) {
        return int(kind);
    }
    return int(kind) - 1 + int(m_formulaLabels.size());
}

MatchTableModel::Column MatchTableModel::columnKind(int columnIndex, int *formulaIndex) const
{
    const int formulas = int(m_formulaLabels.size());
    if (formulaIndex) {
        *formulaIndex = columnIndex - FixedBeforeFormulas;
    }
    if (columnIndex < FixedBeforeFormulas) {
        return Column(columnIndex);
    }
    if (columnIndex < FixedBeforeFormulas + formulas) {
        return Column::CalcPort;
    }
    return Column(columnIndex - formulas + 1);
}

int MatchTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_matches.size());
}

int MatchTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid()
               ? 0
               : FixedBeforeFormulas + int(m_formulaLabels.size()) + FixedAfterFormulas;
}

QVariant MatchTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Match &match = matchAt(index.row());
    int formulaIndex = 0;
    const Column kind = columnKind(index.column(), &formulaIndex);
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(match, kind, formulaIndex);
    case Qt::ToolTipRole:
        if (kind == Column::CommandLine || kind == Column::ProcessFolder) {
            return displayValue(match, kind, formulaIndex);
        }
        return {};
    case Qt::TextAlignmentRole:
        if (isNumeric(kind)) {
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        }
        return {};
    case SortRole:
        return sortValue(match, kind, formulaIndex);
    case EventIdRole:
        return match.eventId;
    default:
        return {};
    }
}

QVariant MatchTableModel::displayValue(const Match &match, Column kind, int formulaIndex) const
{
    switch (kind) {
    case Column::Time:
        return match.time ? QVariant(m_timeDisplay.format(*match.time)) : QVariant();
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
    case Column::ProcessId:
        return optionalText(match.processId);
    case Column::RemoteUrl:
        return match.remoteUrl;
    case Column::RemoteIp:
        return match.remoteIp;
    case Column::RemotePort:
        return match.remotePort;
    case Column::Oct1:
    case Column::Oct2:
    case Column::Oct3:
        return match.octets.at(int(kind) - int(Column::Oct1));
    case Column::CalcPort:
        return optionalText(calculatedPort(match, formulaIndex));
    case Column::MatchedFormula:
        return match.matchedFormula;
    case Column::MatchScore:
        return match.matchScore;
    case Column::Count:
        break;
    }
    return {};
}

QVariant MatchTableModel::sortValue(const Match &match, Column kind, int formulaIndex) const
{
    switch (kind) {
    case Column::Time:
        return optionalKey(match.time);
    case Column::ProcessId:
        return optionalKey(match.processId);
    case Column::RemoteIp:
        return ipv4SortKey(match.remoteIp);
    case Column::RemotePort:
        return qint64(match.remotePort);
    case Column::Oct1:
    case Column::Oct2:
    case Column::Oct3:
        return match.octets.at(int(kind) - int(Column::Oct1));
    case Column::CalcPort:
        return optionalKey(calculatedPort(match, formulaIndex));
    case Column::MatchScore:
        return qint64(match.matchScore);
    default:
        return displayValue(match, kind, formulaIndex).toString();
    }
}

QVariant MatchTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount()) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) {
        return {};
    }
    int formulaIndex = 0;
    const Column kind = columnKind(section, &formulaIndex);
    switch (kind) {
    case Column::Time:
        return tr("Timestamp (%1)").arg(m_timeDisplay.label());
    case Column::Device:
        return tr("DeviceName");
    case Column::Account:
        return tr("AccountName");
    case Column::Process:
        return tr("Process");
    case Column::ProcessFolder:
        return tr("Process folder");
    case Column::CommandLine:
        return tr("Command line");
    case Column::ProcessId:
        return tr("PID");
    case Column::RemoteUrl:
        return tr("RemoteUrl");
    case Column::RemoteIp:
        return tr("RemoteIP");
    case Column::RemotePort:
        return tr("RemotePort");
    case Column::Oct1:
        return tr("Oct1");
    case Column::Oct2:
        return tr("Oct2");
    case Column::Oct3:
        return tr("Oct3");
    case Column::CalcPort:
        return role == Qt::ToolTipRole
                   ? m_formulaLabels.value(formulaIndex)
                   : calcPortHeader(m_formulaLabels.value(formulaIndex), formulaIndex);
    case Column::MatchedFormula:
        return tr("MatchedFormula");
    case Column::MatchScore:
        return tr("Score");
    case Column::Count:
        break;
    }
    return {};
}

} // namespace Portent
