// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT

// Measures how long the GUI thread stalls while the workbench imports a large export and runs
// detection, through the same code path as the import dialog (MainWindow::importFiles). A 5 ms
// timer records the gaps between its ticks; the longest gap is the worst freeze a user would
// feel. A second phase does the same for the matches table with a million rows (new result,
// sorts, filter, scroll).
//
// Usage: bench_guistall [rows=1000000] [work-dir] [table-rows=1000000]. Not a unit test:
// timings depend on the machine.

#include "mainwindow.h"
#include "matchesview.h"

#include "generate/generator.h"
#include "store/casefile.h"
#include "views/matchfilterproxy.h"
#include "views/matchtablemodel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <utility>

using namespace Portent;

namespace {

// Records the gaps between 5 ms ticks of a timer on the GUI thread.
class StallMeter : public QObject
{
public:
    StallMeter()
    {
        m_timer.setInterval(5);
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_gaps.append((now - m_last) / 1e6);
            m_ends.append(now / 1e6);
            m_last = now;
        });
    }
    void start()
    {
        m_gaps.clear();
        m_ends.clear();
        m_clock.start();
        m_last = 0;
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    double longest() const
    {
        return m_gaps.isEmpty() ? 0 : *std::max_element(m_gaps.begin(), m_gaps.end());
    }
    // When the longest stall ended, in ms since start(): tells which step caused it.
    double longestEndedAtMs() const
    {
        if (m_gaps.isEmpty()) {
            return 0;
        }
        const auto longest = std::max_element(m_gaps.begin(), m_gaps.end());
        return m_ends.at(longest - m_gaps.begin());
    }
    double percentile(double p) const
    {
        if (m_gaps.isEmpty()) {
            return 0;
        }
        QList<double> sorted = m_gaps;
        std::sort(sorted.begin(), sorted.end());
        return sorted.at(qMin(sorted.size() - 1, qsizetype(p * sorted.size())));
    }
    qsizetype ticks() const { return m_gaps.size(); }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    QList<double> m_gaps;
    QList<double> m_ends;
};

bool waitFor(QSignalSpy &spy, int count, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (spy.count() < count && clock.elapsed() < timeoutMs) {
        spy.wait(timeoutMs - int(clock.elapsed()));
    }
    return spy.count() >= count;
}

QList<Match> syntheticMatches(int count)
{
    QList<Match> matches;
    matches.reserve(count);
    for (int i = 0; i < count; ++i) {
        Match match;
        match.eventId = i + 1;
        match.time = qint64(17'104'176'000'000'000) - qint64(i) * 10'000'000;
        match.deviceName = QStringLiteral("ws-%1").arg(i % 500);
        match.processName = QStringLiteral("proc%1.exe").arg(i % 97);
        match.remoteIp = QStringLiteral("103.45.%1.%2").arg(i % 200).arg(i % 250);
        match.remotePort = 4096 + (i * 7919) % 45000;
        match.octets = {103, 45, i % 200, i % 250};
        match.calculatedPorts = {qint64(match.remotePort), qint64(0)};
        match.matchedFormula = QStringLiteral("APT12: (oct1*oct2)+oct3");
        match.matchScore = 1;
        matches.append(match);
    }
    return matches;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IONBF, 0); // results survive if a later phase is killed
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("PortentBench"));
    const qint64 rows = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1'000'000;
    QTemporaryDir temp;
    const QString dir = argc > 2 ? QString::fromLocal8Bit(argv[2]) : temp.path();

    const QString exportPath = dir + QStringLiteral("/bench-%1.csv").arg(rows);
    if (!QFileInfo::exists(exportPath)) {
        GeneratorOptions options;
        options.rows = rows;
        const auto written = Generator::writeFiles(exportPath, QString(), options);
        if (!written) {
            std::fprintf(stderr, "%s\n", qPrintable(written.errorMessage()));
            return 1;
        }
    }
    const QString casePath = dir + QStringLiteral("/bench.portent");
    QFile::remove(casePath);
    QFile::remove(casePath + QStringLiteral("-wal"));
    QFile::remove(casePath + QStringLiteral("-shm"));
    {
        auto created = CaseFile::open(casePath, CaseFile::Mode::CreateOrOpen);
        if (!created) {
            std::fprintf(stderr, "%s\n", qPrintable(created.errorMessage()));
            return 1;
        }
    }

    MainWindow window;
    window.resize(1366, 740);
    window.show();
    QSignalSpy shown(&window, &MainWindow::resultShown);
    window.openCase(casePath);
    waitFor(shown, 1, 60000);

    StallMeter meter;
    QElapsedTimer clock;
    meter.start();
    clock.start();
    QSignalSpy imported(&window, &MainWindow::importReportShown);
    window.importFiles({exportPath});
    waitFor(imported, 1, 30 * 60 * 1000);
    const double importedAtMs = clock.elapsed();
    const bool done = waitFor(shown, 2, 30 * 60 * 1000);
    const double totalMs = clock.elapsed();
    meter.stop();
    if (!done) {
        std::fprintf(stderr, "import or detection did not finish\n");
        return 1;
    }
    std::printf("import+detection of %lld events (%.1f MB): %.0f ms, %lld matches\n",
                static_cast<long long>(rows),
                QFileInfo(exportPath).size() / 1e6,
                totalMs,
                static_cast<long long>(window.matchModel()->rowCount()));
    std::printf("import reported after %.0f ms; longest stall ended at %.0f ms\n",
                importedAtMs,
                meter.longestEndedAtMs());
    std::printf("GUI thread during import+detection: longest stall %.1f ms, p99 %.1f ms, "
                "median %.1f ms over %lld ticks (target < 50 ms)\n",
                meter.longest(),
                meter.percentile(0.99),
                meter.percentile(0.5),
                static_cast<long long>(meter.ticks()));

    // Phase 2: the table itself with a million matches. Sorting and filtering finish on worker
    // threads, so each step runs the event loop until it is done and reports both the longest
    // GUI-thread stall (what the user feels) and the time until the table shows the result.
    const int tableRows = argc > 3 ? QByteArray(argv[3]).toInt() : 1'000'000;
    std::printf("building %d synthetic matches\n", tableRows);
    // Each result is handed over as the only reference, as the detection controller does, so
    // the step that replaces it also pays for freeing the previous one.
    QList<Match> first = syntheticMatches(tableRows);
    QList<Match> second = syntheticMatches(tableRows);
    MatchTableModel *model = window.matchModel();
    MatchFilterProxy *proxy = window.matchProxy();
    QTableView *table = window.matchesView()->table();
    const auto idle = [&] { return !model->isSorting() && !proxy->isFiltering(); };
    const auto step = [&](const char *name, const auto &work) {
        meter.start();
        QElapsedTimer stepClock;
        stepClock.start();
        work();
        while (!idle()) {
            app.processEvents(QEventLoop::WaitForMoreEvents, 50);
        }
        app.processEvents();
        const double doneMs = stepClock.nsecsElapsed() / 1e6;
        meter.stop();
        std::printf("  %-36s longest stall %6.1f ms, done after %6.0f ms (%d rows shown)\n",
                    name,
                    meter.longest(),
                    doneMs,
                    proxy->rowCount());
    };
    const int port = model->column(MatchTableModel::Column::RemotePort);
    const int time = model->column(MatchTableModel::Column::Time);
    const int device = model->column(MatchTableModel::Column::Device);
    const QStringList labels = model->formulaLabels();
    std::printf("%d-row table (GUI-thread stall target < 50 ms):\n", tableRows);
    table->sortByColumn(time, Qt::DescendingOrder);
    step("result arrives, sorted by time",
         [&] { model->setMatches(std::exchange(first, {}), labels); });
    step("sort by port", [&] { table->sortByColumn(port, Qt::AscendingOrder); });
    step("next result arrives, sorted by port",
         [&] { model->setMatches(std::exchange(second, {}), labels); });
    step("sort by time (descending)", [&] { table->sortByColumn(time, Qt::DescendingOrder); });
    step("sort by time (ascending)", [&] { table->sortByColumn(time, Qt::AscendingOrder); });
    step("sort by device (text)", [&] { table->sortByColumn(device, Qt::AscendingOrder); });
    step("filter \"proc42\"", [&] { proxy->setQuickFilter(QStringLiteral("proc42")); });
    step("sort filtered by port", [&] { table->sortByColumn(port, Qt::DescendingOrder); });
    step("clear filter", [&] { proxy->setQuickFilter(QString()); });
    step("scroll to end", [&] { table->scrollToBottom(); });
    return 0;
}
