// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "detect/match.h"
#include "views/timedisplay.h"

#include <QWidget>

class QChart;
class QChartView;
class QTabWidget;

namespace Portent {

// The only class that knows Qt Charts (deprecated since Qt 6.10): matches over time, the
// remote-port histogram, top processes and devices, and remote port against calculated port for
// the candidate endpoints, where matches sit on the diagonal. Swapping the chart library means
// rewriting this class alone; the numbers come from views/chartdata.h.
class ChartsPanel : public QWidget
{
    Q_OBJECT

public:
    // The charts in tab order.
    enum class Kind { OverTime, Ports, TopProcesses, TopDevices, PortVsCalculated, Count };

    explicit ChartsPanel(QWidget *parent = nullptr);

    QChart *chart(Kind kind) const;
    void showChart(Kind kind);

    void setTimeDisplay(const TimeDisplay &display);
    void setCandidates(const QList<CandidateEndpoint> &candidates, const QStringList &formulas);
    // Redraws from the matches the table shows (rows index `matches`); selectedRow is -1 or one
    // of them and is highlighted in the scatter.
    void showMatches(const QList<Match> &matches, const QList<int> &rows, int selectedRow);

private:
    QChart *timeChart(const QList<Match> &matches, const QList<int> &rows) const;
    QChart *portChart(const QList<Match> &matches, const QList<int> &rows) const;
    QChart *topChart(const QList<Match> &matches, const QList<int> &rows, bool processes) const;
    QChart *
    scatterChart(const QList<Match> &matches, const QList<int> &rows, int selectedRow) const;

    TimeDisplay m_timeDisplay;
    QList<CandidateEndpoint> m_candidates;
    QStringList m_formulas;
    QTabWidget *m_tabs;
    QList<QChartView *> m_views;
};

} // namespace Portent
