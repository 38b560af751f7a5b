// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "detect/match.h"
#include "views/timedisplay.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

#include <optional>

namespace Portent {

// What makes matches one beacon: the same device and process talking to the same address under
// the same formula. Repeated connections of one implant collapse into one row.
struct BeaconGroupKey
{
    QString device;
    QString process;
    QString remoteIp;
    QString formula;

    static BeaconGroupKey of(const Match &match);
    bool operator==(const BeaconGroupKey &) const = default;
};

size_t qHash(const BeaconGroupKey &key, size_t seed = 0);

struct BeaconGroup
{
    BeaconGroupKey key;
    qint64 count = 0;
    std::optional<qint64> firstSeen; // ticks UTC
    std::optional<qint64> lastSeen;
    QList<int> ports; // distinct, ascending
};

// Groups matches; the busiest groups first, then the most recent, then by key text, so the
// order is deterministic.
QList<BeaconGroup> groupMatches(const QList<Match> &matches);

// "4444" or "4444, 5555, 6666" with at most maxShown ports and "… (+n)" after them.
QString formatPorts(const QList<int> &ports, int maxShown = 6);

class BeaconGroupModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum class Column {
        Device,
        Process,
        RemoteIp,
        Formula,
        Matches,
        FirstSeen,
        LastSeen,
        Ports,
        Count
    };
    enum Role {
        SortRole = Qt::UserRole + 1,
    };

    explicit BeaconGroupModel(QObject *parent = nullptr);

    void setGroups(QList<BeaconGroup> groups);
    void setTimeDisplay(const TimeDisplay &display);
    const QList<BeaconGroup> &groups() const { return m_groups; }
    const BeaconGroup &groupAt(int row) const { return m_groups.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant displayValue(const BeaconGroup &group, Column column) const;
    QVariant sortValue(const BeaconGroup &group, Column column) const;

    QList<BeaconGroup> m_groups;
    TimeDisplay m_timeDisplay;
};

} // namespace Portent
