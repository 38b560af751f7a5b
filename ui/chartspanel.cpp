// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "chartspanel.h"

#include "core/ticks.h"
#include "views/chartdata.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QHorizontalBarSeries>
#include <QLineSeries>
#include <QScatterSeries>
#include <QTabWidget>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <functional>

namespace Portent {

namespace {

// Enough points to see the shape; beyond this the scatter only slows the GUI thread.
constexpr int MaxScatterPoints = 20000;

QChart *newChart(const QString &title)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 4, 4));
    return chart;
}

void attach(QChart *chart, QAbstractSeries *series, QAbstractAxis *x, QAbstractAxis *y)
{
    chart->addSeries(series);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
}

// "1 h", "10 min", "2 days": the width of one time bin.
QString binDurationText(qint64 ticks)
{
    if (ticks >= TicksPerDay && ticks % TicksPerDay == 0) {
        const qint64 days = ticks / TicksPerDay;
        return days == 1 ? QObject::tr("day") : QObject::tr("%1 days").arg(days);
    }
    if (ticks >= TicksPerHour && ticks % TicksPerHour == 0) {
        return QObject::tr("%1 h").arg(ticks / TicksPerHour);
    }
    if (ticks >= TicksPerMinute && ticks % TicksPerMinute == 0) {
        return QObject::tr("%1 min").arg(ticks / TicksPerMinute);
    }
    return QObject::tr("%1 s").arg(double(ticks) / double(TicksPerSecond));
}

// Counts are whole numbers: ticks every 1, 2 or 5 times a power of ten, at most five steps,
// so a maximum of 1 gives 0 and 1 rather than 0, 0.25, 0.5... printed as "0 0 0 0 1".
QValueAxis *countAxis(qint64 maxCount)
{
    const qint64 top = qMax<qint64>(1, maxCount);
    qint64 step = 1;
    for (qint64 scale = 1; step * 5 < top; scale *= 10) {
        for (const qint64 factor : {1, 2, 5}) {
            step = factor * scale;
            if (step * 5 >= top) {
                break;
            }
        }
    }
    const qint64 roundedTop = (top + step - 1) / step * step;
    auto *axis = new QValueAxis;
    axis->setRange(0, qreal(roundedTop));
    axis->setTickCount(int(roundedTop / step) + 1);
    axis->setLabelFormat(QStringLiteral("%d"));
    return axis;
}

// A histogram as bars, one per bin, with only every `labelStep`-th bin's start labelled: a label
// on each needs more room than a laptop gives the chart, and Qt then elides them all to "...".
// Bars rather than a line, since each bin is a count of its own. Returns the category axis.
QAbstractAxis *attachHistogram(QChart *chart,
                               const Histogram &histogram,
                               int labelStep,
                               const std::function<QString(qint64 binStart)> &label)
{
    auto *set = new QBarSet(QObject::tr("Matches"));
    qint64 maxCount = 0;
    for (const qint64 count : histogram.counts) {
        *set << qreal(count);
        maxCount = qMax(maxCount, count);
    }
    auto *series = new QBarSeries;
    series->append(set);
    series->setBarWidth(0.9);
    auto *x = new QCategoryAxis;
    x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    const int bins = int(histogram.counts.size());
    for (int bin = 0; bin < bins; bin += labelStep) {
        x->append(label(histogram.start + bin * histogram.binWidth), bin - 0.5);
    }
    x->setRange(-0.5, qMax(1, bins) - 0.5);
    attach(chart, series, x, countAxis(maxCount));
    return x;
}

} // namespace

ChartsPanel::ChartsPanel(QWidget *parent)
    : QWidget(parent)
    , m_tabs(new QTabWidget(this))
{
    const QStringList titles = {tr("Over time"),
                                tr("Remote ports"),
                                tr("Top processes"),
                                tr("Top devices"),
                                tr("Port vs calculated")};
    for (const QString &title : titles) {
        auto *view = new QChartView(newChart(title), m_tabs);
        view->setRenderHint(QPainter::Antialiasing);
        view->setAccessibleName(title);
        m_views.append(view);
        m_tabs->addTab(view, title);
    }
    m_tabs->setDocumentMode(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
}

QChart *ChartsPanel::chart(Kind kind) const
{
    return m_views.at(int(kind))->chart();
}

void ChartsPanel::showChart(Kind kind)
{
    m_tabs->setCurrentIndex(int(kind));
}

void ChartsPanel::setTimeDisplay(const TimeDisplay &display)
{
    m_timeDisplay = display;
}

void ChartsPanel::setCandidates(const QList<CandidateEndpoint> &candidates,
                                const QStringList &formulas)
{
    m_candidates = candidates;
    m_formulas = formulas;
}

void ChartsPanel::showMatches(const QList<Match> &matches, const QList<int> &rows, int selectedRow)
{
    const QList<QChart *> charts = {timeChart(matches, rows),
                                    portChart(matches, rows),
                                    topChart(matches, rows, true),
                                    topChart(matches, rows, false),
                                    scatterChart(matches, rows, selectedRow)};
    for (int i = 0; i < charts.size(); ++i) {
        // QChartView releases but does not delete the chart it showed before.
        QChart *old = m_views.at(i)->chart();
        m_views.at(i)->setChart(charts.at(i));
        delete old;
    }
}

QChart *ChartsPanel::timeChart(const QList<Match> &matches, const QList<int> &rows) const
{
    const Histogram histogram = timeHistogram(matches, rows);
    QChart *chart = newChart(
        tr("Matches per %1 (%2)").arg(binDurationText(histogram.binWidth), m_timeDisplay.label()));
    // "03-13 16:00": the year is in the table; the full form does not fit four labels.
    const auto label = [&](qint64 start) { return m_timeDisplay.format(start).mid(5, 11); };
    const int step = qMax(1, int(histogram.counts.size()) / 4);
    attachHistogram(chart, histogram, step, label);
    return chart;
}

QChart *ChartsPanel::portChart(const QList<Match> &matches, const QList<int> &rows) const
{
    QChart *chart = newChart(tr("Remote-port histogram"));
    const Histogram histogram = portHistogram(matches, rows, 20);
    QAbstractAxis *x
        = attachHistogram(chart, histogram, 4, [](qint64 start) { return QString::number(start); });
    x->setTitleText(tr("Remote port (bins of %1)").arg(histogram.binWidth));
    return chart;
}

QChart *
ChartsPanel::topChart(const QList<Match> &matches, const QList<int> &rows, bool processes) const
{
    QChart *chart = newChart(processes ? tr("Top processes") : tr("Top devices"));
    const auto top = topValues(matches, rows, processes ? TopField::Process : TopField::Device, 8);
    auto *set = new QBarSet(tr("Matches"));
    QStringList labels;
    // Horizontal bars draw bottom-up; reverse so the largest sits on top.
    for (auto it = top.crbegin(); it != top.crend(); ++it) {
        *set << qreal(it->second);
        labels.append(it->first.isEmpty() ? tr("(none)") : it->first);
    }
    auto *series = new QHorizontalBarSeries;
    series->append(set);
    auto *y = new QBarCategoryAxis;
    y->append(labels);
    auto *x = countAxis(top.isEmpty() ? 1 : top.first().second);
    chart->addSeries(series);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    return chart;
}

QChart *ChartsPanel::scatterChart(const QList<Match> &matches,
                                  const QList<int> &rows,
                                  int selectedRow) const
{
    QChart *chart = newChart(tr("Remote port vs calculated port (candidate endpoints)"));
    chart->legend()->show();
    chart->legend()->setAlignment(Qt::AlignRight);
    // The rule's port range; calculated values above it cannot match and are left off the plot.
    const qreal high = 49151;
    QList<QScatterSeries *> perFormula;
    for (const QString &formula : m_formulas) {
        auto *series = new QScatterSeries;
        series->setName(formula.section(QLatin1Char(':'), 0, 0));
        series->setMarkerSize(5);
        perFormula.append(series);
    }
    const int stride = qMax(1, int(m_candidates.size() / MaxScatterPoints));
    for (int i = 0; i < m_candidates.size(); i += stride) {
        const CandidateEndpoint &candidate = m_candidates.at(i);
        for (int f = 0; f < perFormula.size() && f < candidate.calculatedPorts.size(); ++f) {
            if (const auto value = candidate.calculatedPorts.at(f)) {
                perFormula.at(f)->append(candidate.remotePort, qreal(*value));
            }
        }
    }
    auto *onDiagonal = new QScatterSeries;
    onDiagonal->setName(tr("Shown matches"));
    onDiagonal->setMarkerSize(8);
    onDiagonal->setColor(QColor(0xc6, 0x28, 0x28));
    for (int row : rows.mid(0, MaxScatterPoints)) {
        onDiagonal->append(matches.at(row).remotePort, matches.at(row).remotePort);
    }
    auto *selected = new QScatterSeries;
    selected->setName(tr("Selected"));
    selected->setMarkerSize(16);
    selected->setColor(QColor(0xff, 0xb3, 0x00));
    if (selectedRow >= 0 && selectedRow < matches.size()) {
        const int port = matches.at(selectedRow).remotePort;
        selected->append(port, port);
    }
    auto *diagonal = new QLineSeries;
    diagonal->setName(tr("port = calculated"));
    diagonal->setColor(QColor(0x75, 0x75, 0x75));
    diagonal->append(0, 0);
    diagonal->append(high, high);

    // Round ticks every 10,000 ports: splitting 0..49151 evenly labels 12287, 24575...
    const auto portAxis = [high](const QString &title) {
        auto *axis = new QValueAxis;
        axis->setRange(0, high);
        axis->setTickType(QValueAxis::TicksDynamic);
        axis->setTickAnchor(0);
        axis->setTickInterval(10000);
        axis->setLabelFormat(QStringLiteral("%d"));
        axis->setTitleText(title);
        return axis;
    };
    QValueAxis *x = portAxis(tr("Remote port"));
    QValueAxis *y = portAxis(tr("Calculated port"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    QList<QAbstractSeries *> all;
    for (QScatterSeries *series : perFormula) {
        all.append(series);
    }
    all << diagonal << onDiagonal << selected;
    for (QAbstractSeries *series : all) {
        chart->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
    }
    if (m_candidates.size() > MaxScatterPoints) {
        chart->setTitle(chart->title()
                        + tr(" — every %1th of %2").arg(stride).arg(m_candidates.size()));
    }
    return chart;
}

} // namespace Portent
