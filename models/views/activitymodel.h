// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

namespace Portent {

struct ActivityEntry
{
    QDateTime time;
    QString category; // logging category, e.g. "portent.import"
    QtMsgType severity = QtInfoMsg;
    QString message;
};

// The Activity pane's history of log messages, newest last, capped so a chatty run cannot grow
// memory without bound (the oldest entries are dropped).
class ActivityModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum class Column {
        Time,
        Severity,
        Category,
        Message,
        Count
    };

    explicit ActivityModel(int capacity = 2000, QObject *parent = nullptr);

    void append(const ActivityEntry &entry);
    const ActivityEntry &entryAt(int row) const { return m_entries.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    int m_capacity;
    QList<ActivityEntry> m_entries;
};

QString severityName(QtMsgType type);

} // namespace Portent
