// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "detect/engine.h"
#include "ingest/importer.h"
#include "views/timedisplay.h"

#include <QMainWindow>

class QAction;
class QComboBox;
class QLabel;
class QMenu;
class QStackedWidget;
class QTabWidget;
class QTimer;

namespace Portent {

class BeaconGroupModel;
class BreakdownPanel;
class ChartsPanel;
class DetectionController;
class GroupsView;
class ImportController;
class ImportProgressWidget;
class MatchFilterProxy;
class MatchTableModel;
class MatchesView;
class ReportDialog;
class RulePanel;

// The workbench window. It coordinates: controllers run imports and detection on worker threads,
// panels show results, and the window wires them together and keeps the case, title and status.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a case (creating it when asked), then runs detection. On failure the reason is shown
    // in the status bar and the Activity pane, and false is returned.
    bool openCase(const QString &path, bool create = false);
    bool openSampleCase();
    // Reopens the most recent case, if it still exists (start-up only).
    void restoreLastCase();
    // Queues files for import into the open case: the import dialog and drops call this.
    void importFiles(const QStringList &paths);
    void setTimeDisplay(const TimeDisplay &display);
    // Opens the import reports of the case, at sourceId when given.
    void showReports(qint64 sourceId = 0);
    void showCharts();
    // Writes the rule detection runs with as a rule file, the format `portent-cli detect --rule`
    // reads. The outcome is told in the status bar; false on failure.
    bool saveRule(const QString &path);

    QString casePath() const { return m_casePath; }
    MatchTableModel *matchModel() const { return m_matchModel; }
    MatchFilterProxy *matchProxy() const { return m_matchProxy; }
    BeaconGroupModel *groupModel() const { return m_groupModel; }
    MatchesView *matchesView() const { return m_matchesView; }
    GroupsView *groupsView() const { return m_groupsView; }
    BreakdownPanel *breakdownPanel() const { return m_breakdown; }
    ChartsPanel *chartsPanel() const { return m_charts; }
    ReportDialog *reportDialog() const { return m_reportDialog; }
    RulePanel *rulePanel() const { return m_rulePanel; }
    DetectionController *detection() const { return m_detection; }
    ImportController *imports() const { return m_imports; }
    QString statusText() const;

signals:
    // A detection result was put on screen (tests and the stall benchmark wait for this).
    void resultShown(quint64 generation, qint64 matches);
    void importReportShown(const Portent::ImportReport &report);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createModelsAndControllers();
    void createCentral();
    QWidget *createWelcomePage();
    void createDocks();
    void createActions();
    void createMenus();
    void createToolBar();
    void createStatusBar();
    void connectControllers();

    void chooseNewCase();
    void chooseOpenCase();
    void chooseImportFiles();
    void runDetection();
    void showResult(const DetectionResult &result);
    void showRunFailure(const QString &error);
    void handleImportFinished(const ImportReport &report);
    void askUtcOffset(const QString &path, const QString &error);
    void showMatchDetails(int matchIndex);
    void scheduleChartUpdate();
    void showWindowLabel();
    void noteEmptyWindow(const DetectionResult &result);
    void keepSelectionVisible();
    void updateCharts();
    void updateTitle();
    void updateActions();
    void addRecentCase(const QString &path);
    void rebuildRecentMenu();
    void readSettings();
    void writeSettings() const;

    QString m_casePath;
    TimeDisplay m_timeDisplay;
    DetectionResult m_lastResult; // matches moved into the model; the rest kept for the panels

    MatchTableModel *m_matchModel = nullptr;
    MatchFilterProxy *m_matchProxy = nullptr;
    BeaconGroupModel *m_groupModel = nullptr;
    ImportController *m_imports = nullptr;
    DetectionController *m_detection = nullptr;

    QStackedWidget *m_stack = nullptr;
    MatchesView *m_matchesView = nullptr;
    GroupsView *m_groupsView = nullptr;
    ChartsPanel *m_charts = nullptr;
    QTabWidget *m_lowerTabs = nullptr;
    BreakdownPanel *m_breakdown = nullptr;
    RulePanel *m_rulePanel = nullptr;
    ReportDialog *m_reportDialog = nullptr;
    ImportProgressWidget *m_importProgress = nullptr;
    QComboBox *m_zoneChoice = nullptr;
    QTimer *m_chartDelay = nullptr;
    int m_selectedMatch = -1; // index into MatchTableModel::matches()

    QLabel *m_eventsLabel = nullptr;
    QLabel *m_candidatesLabel = nullptr;
    QLabel *m_matchesLabel = nullptr;
    QLabel *m_engineLabel = nullptr;
    QLabel *m_windowLabel = nullptr;
    QLabel *m_zoneLabel = nullptr;

    QMenu *m_recentMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QAction *m_newCase = nullptr;
    QAction *m_openCase = nullptr;
    QAction *m_openSample = nullptr;
    QAction *m_import = nullptr;
    QAction *m_cancelImport = nullptr;
    QAction *m_reports = nullptr;
    QAction *m_quit = nullptr;
    QAction *m_copy = nullptr;
    QAction *m_find = nullptr;
    QAction *m_clearGroup = nullptr;
    QAction *m_rerun = nullptr;
    QAction *m_seedExact = nullptr;
    QAction *m_saveRule = nullptr;
    QAction *m_showGroups = nullptr;
    QAction *m_showCharts = nullptr;
    QAction *m_about = nullptr;
};

} // namespace Portent
