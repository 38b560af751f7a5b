// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "detect/match.h"
#include "views/timedisplay.h"

#include <QAbstractTableModel>
#include <QList>
#include <QStringList>
#include <QStringMatcher>

#include <optional>

namespace Portent {

// The matches of one detection run, with the seed query's projected columns. The model owns the
// run's QList<Match>, so data() never touches the database; it is reset only when a new run's
// result replaces the list, which keeps a million rows smooth.
class MatchTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    // Fixed columns. The rule's formulas add one "CalcPort" column each between Oct3 and
    // MatchedFormula, so use column()/columnKind() rather than these values as indexes.
    enum class Column {
        Time,
        Device,
        Account,
        Process,
        ProcessFolder,
        CommandLine,
        ProcessId,
        RemoteUrl,
        RemoteIp,
        RemotePort,
        Oct1,
        Oct2,
        Oct3,
        CalcPort, // one per formula
        MatchedFormula,
        MatchScore,
        Count
    };

    enum Role {
        SortRole = Qt::UserRole + 1, // typed values: ticks, integers, numeric IPv4, text
        EventIdRole,
    };

    explicit MatchTableModel(QObject *parent = nullptr);

    void setMatches(QList<Match> matches, QStringList formulaLabels);
    void setTimeDisplay(const TimeDisplay &display);
    TimeDisplay timeDisplay() const { return m_timeDisplay; }

    const QList<Match> &matches() const { return m_matches; }
    const Match &matchAt(int row) const { return m_matches.at(row); }
    QStringList formulaLabels() const { return m_formulaLabels; }

    // The model column of a fixed column (for CalcPort, of formula formulaIndex).
    int column(Column kind, int formulaIndex = 0) const;
    Column columnKind(int column, int *formulaIndex = nullptr) const;
    // Orders two rows by a column the way the sort role would, without building QVariants:
    // the proxy calls this a few million times when sorting a million rows.
    bool lessThan(int column, int leftRow, int rightRow) const;
    // Quick-filter test over the text columns (matcher built case-insensitive) and, when the
    // filter is a number, the remote port.
    bool rowContains(int row, const QStringMatcher &matcher, std::optional<int> port) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant displayValue(const Match &match, Column kind, int formulaIndex) const;
    QVariant sortValue(const Match &match, Column kind, int formulaIndex) const;

    QList<Match> m_matches;
    QStringList m_formulaLabels;
    TimeDisplay m_timeDisplay;
};

// Numeric value of a dotted IPv4 text for sorting; -1 for anything else (IPv6, placeholders).
qint64 ipv4SortKey(const QString &text);

} // namespace Portent
