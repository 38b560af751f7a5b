// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "views/beacongroups.h"

#include "views/matchtablemodel.h"

#include <QHashFunctions>

#include <algorithm>
#include <limits>
#include <tuple>

namespace Portent {

BeaconGroupKey BeaconGroupKey::of(const Match &match)
{
    return {match.deviceName, match.processName, match.remoteIp, match.matchedFormula};
}

size_t qHash(const BeaconGroupKey &key, size_t seed)
{
    return qHashMulti(seed, key.device, key.process, key.remoteIp, key.formula);
}

namespace {

void extendSpan(BeaconGroup &group, const std::optional<qint64> &time)
{
    if (!time) {
        return;
    }
    if (!group.firstSeen || *time < *group.firstSeen) {
        group.firstSeen = time;
    }
    if (!group.lastSeen || *time > *group.lastSeen) {
        group.lastSeen = time;
    }
}

bool busierFirst(const BeaconGroup &left, const BeaconGroup &right)
{
    if (left.count != right.count) {
        return left.count > right.count;
    }
    const qint64 leftLast = left.lastSeen.value_or(std::numeric_limits<qint64>::min());
    const qint64 rightLast = right.lastSeen.value_or(std::numeric_limits<qint64>::min());
    if (leftLast != rightLast) {
        return leftLast > rightLast;
    }
    const auto tuple = [](const BeaconGroupKey &key) {
        return std::tie(key.device, key.process, key.remoteIp, key.formula);
    };
    return tuple(left.key) < tuple(right.key);
}

} // namespace

QList<BeaconGroup> groupMatches(const QList<Match> &matches)
{
    QHash<BeaconGroupKey, qsizetype> indexOf;
    QList<BeaconGroup> groups;
    for (const Match &match : matches) {
        const BeaconGroupKey key = BeaconGroupKey::of(match);
        auto found = indexOf.constFind(key);
        if (found == indexOf.constEnd()) {
            found = indexOf.insert(key, groups.size());
            groups.append(BeaconGroup{key, 0, std::nullopt, std::nullopt, {}});
        }
        BeaconGroup &group = groups[*found];
        ++group.count;
        extendSpan(group, match.time);
        const auto port = std::lower_bound(group.ports.begin(), group.ports.end(),
                                           match.remotePort);
        if (port == group.ports.end() || *port != match.remotePort) {
            group.ports.insert(port, match.remotePort);
        }
    }
    std::sort(groups.begin(), groups.end(), busierFirst);
    return groups;
}

QString formatPorts(const QList<int> &ports, int maxShown)
{
    QStringList shown;
    for (int i = 0; i < ports.size() && i < maxShown; ++i) {
        shown.append(QString::number(ports.at(i)));
    }
    QString text = shown.join(QStringLiteral(", "));
    if (ports.size() > maxShown) {
        text += QStringLiteral(" … (+%1)").arg(ports.size() - maxShown);
    }
    return text;
}

BeaconGroupModel::BeaconGroupModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void BeaconGroupModel::setGroups(QList<BeaconGroup> groups)
{
    beginResetModel();
    m_groups = std::move(groups);
    endResetModel();
}

void BeaconGroupModel::setTimeDisplay(const TimeDisplay &display)
{
    m_timeDisplay = display;
    if (!m_groups.isEmpty()) {
        emit dataChanged(index(0, int(Column::FirstSeen)),
                         index(rowCount() - 1, int(Column::LastSeen)));
    }
}

int BeaconGroupModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_groups.size());
}

int BeaconGroupModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant BeaconGroupModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const BeaconGroup &group = m_groups.at(index.row());
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(group, column);
    case Qt::ToolTipRole:
        return column == Column::Ports ? formatPorts(group.ports, int(group.ports.size()))
                                       : QVariant();
    case Qt::TextAlignmentRole:
        return column == Column::Matches ? QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter)
                                         : QVariant();
    case SortRole:
        return sortValue(group, column);
    default:
        return {};
    }
}

QVariant BeaconGroupModel::displayValue(const BeaconGroup &group, Column column) const
{
    switch (column) {
    case Column::Device:
        return group.key.device;
    case Column::Process:
        return group.key.process;
    case Column::RemoteIp:
        return group.key.remoteIp;
    case Column::Formula:
        return group.key.formula;
    case Column::Matches:
        return group.count;
    case Column::FirstSeen:
        return group.firstSeen ? QVariant(m_timeDisplay.format(*group.firstSeen)) : QVariant();
    case Column::LastSeen:
        return group.lastSeen ? QVariant(m_timeDisplay.format(*group.lastSeen)) : QVariant();
    case Column::Ports:
        return formatPorts(group.ports);
    case Column::Count:
        break;
    }
    return {};
}

QVariant BeaconGroupModel::sortValue(const BeaconGroup &group, Column column) const
{
    constexpr qint64 none = std::numeric_limits<qint64>::min();
    switch (column) {
    case Column::Matches:
        return group.count;
    case Column::FirstSeen:
        return group.firstSeen.value_or(none);
    case Column::LastSeen:
        return group.lastSeen.value_or(none);
    case Column::RemoteIp:
        return ipv4SortKey(group.key.remoteIp);
    case Column::Ports:
        return group.ports.isEmpty() ? qint64(-1) : qint64(group.ports.first());
    default:
        return displayValue(group, column);
    }
}

QVariant BeaconGroupModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (Column(section)) {
    case Column::Device:
        return tr("Device");
    case Column::Process:
        return tr("Process");
    case Column::RemoteIp:
        return tr("Remote IP");
    case Column::Formula:
        return tr("Formula");
    case Column::Matches:
        return tr("Matches");
    case Column::FirstSeen:
        return tr("First seen");
    case Column::LastSeen:
        return tr("Last seen");
    case Column::Ports:
        return tr("Ports");
    case Column::Count:
        break;
    }
    return {};
}

} // namespace Portent
