// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "views/activitymodel.h"

#include <QColor>
#include <QCoreApplication>

namespace Portent {

QString severityName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return QCoreApplication::translate("Portent", "Debug");
    case QtInfoMsg:
        return QCoreApplication::translate("Portent", "Info");
    case QtWarningMsg:
        return QCoreApplication::translate("Portent", "Warning");
    case QtCriticalMsg:
        return QCoreApplication::translate("Portent", "Critical");
    case QtFatalMsg:
        return QCoreApplication::translate("Portent", "Fatal");
    }
    return {};
}

ActivityModel::ActivityModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(qMax(1, capacity))
{}

void ActivityModel::append(const ActivityEntry &entry)
{
    if (m_entries.size() >= m_capacity) {
        beginRemoveRows({}, 0, 0);
        m_entries.removeFirst();
        endRemoveRows();
    }
    beginInsertRows({}, rowCount(), rowCount());
    m_entries.append(entry);
    endInsertRows();
}

int ActivityModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int ActivityModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant ActivityModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const ActivityEntry &entry = m_entries.at(index.row());
    if (role == Qt::ForegroundRole) {
        const bool severe = entry.severity == QtCriticalMsg || entry.severity == QtFatalMsg;
        return severe ? QVariant(QColor(0xb0, 0x1c, 0x1c)) : QVariant();
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) {
        return {};
    }
    switch (Column(index.column())) {
    case Column::Time:
        return entry.time.toString(QStringLiteral("HH:mm:ss.zzz"));
    case Column::Severity:
        return severityName(entry.severity);
    case Column::Category:
        return entry.category;
    case Column::Message:
        return entry.message;
    case Column::Count:
        break;
    }
    return {};
}

QVariant ActivityModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (Column(section)) {
    case Column::Time:
        return tr("Time");
    case Column::Severity:
        return tr("Severity");
    case Column::Category:
        return tr("Category");
    case Column::Message:
        return tr("Message");
    case Column::Count:
        break;
    }
    return {};
}

} // namespace Portent
