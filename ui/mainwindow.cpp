// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "activitylog.h"
#include "breakdownpanel.h"
#include "chartspanel.h"
#include "detectioncontroller.h"
#include "groupsview.h"
#include "importcontroller.h"
#include "importprogresswidget.h"
#include "matchesview.h"
#include "reportdialog.h"
#include "rulepanel.h"
#include "samplecase.h"

#include "core/logging.h"
#include "store/casefile.h"
#include "store/schema.h"
#include "views/activitymodel.h"
#include "views/beacongroups.h"
#include "views/importprogress.h"
#include "views/matchfilterproxy.h"
#include "views/matchtablemodel.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSaveFile>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>

namespace Portent {

namespace {

constexpr int MaxRecentCases = 8;
constexpr int WelcomePage = 0;
constexpr int WorkbenchPage = 1;

QIcon themeIcon(const QString &name, QStyle::StandardPixmap fallback)
{
    return QIcon::fromTheme(name, QApplication::style()->standardIcon(fallback));
}

QAction *makeAction(QObject *parent,
                    const QString &text,
                    const QKeySequence &shortcut,
                    const QIcon &icon = {})
{
    auto *action = new QAction(icon, text, parent);
    action->setShortcut(shortcut);
    if (!shortcut.isEmpty()) {
        action->setToolTip(QStringLiteral("%1 (%2)").arg(
            QString(text).remove(QLatin1Char('&')), shortcut.toString(QKeySequence::NativeText)));
    }
    return action;
}

QStringList localFiles(const QMimeData *mime)
{
    QStringList files;
    for (const QUrl &url : mime->urls()) {
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isFile()) {
            files.append(url.toLocalFile());
        }
    }
    return files;
}

// The offsets zones use today, whole hours and the half and quarter hours of India (+05:30),
// Nepal (+05:45), Iran, Afghanistan, Myanmar, central Australia, Newfoundland and others.
QList<int> zoneOffsets()
{
    QList<int> minutes = {-9 * 60 - 30,
                          -3 * 60 - 30,
                          3 * 60 + 30,
                          4 * 60 + 30,
                          5 * 60 + 30,
                          5 * 60 + 45,
                          6 * 60 + 30,
                          8 * 60 + 45,
                          9 * 60 + 30,
                          10 * 60 + 30,
                          12 * 60 + 45};
    for (int hours = -12; hours <= 14; ++hours) {
        if (hours != 0) {
            minutes.append(hours * 60);
        }
    }
    std::sort(minutes.begin(), minutes.end());
    return minutes;
}

QString thousands(qint64 value)
{
    QLocale locale = QLocale::c();
    locale.setNumberOptions({});
    return locale.toString(value);
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("MainWindow"));
    setAcceptDrops(true);
    createModelsAndControllers();
    createCentral();
    createDocks();
    createActions();
    createMenus();
    createToolBar();
    createStatusBar();
    connectControllers();
    readSettings();
    updateTitle();
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::createModelsAndControllers()
{
    m_matchModel = new MatchTableModel(this);
    m_matchProxy = new MatchFilterProxy(this);
    m_matchProxy->setSourceModel(m_matchModel);
    m_groupModel = new BeaconGroupModel(this);
    m_imports = new ImportController(this);
    m_detection = new DetectionController(this);
    m_chartDelay = new QTimer(this);
    m_chartDelay->setSingleShot(true);
    m_chartDelay->setInterval(150);
    connect(m_chartDelay, &QTimer::timeout, this, &MainWindow::updateCharts);
}

void MainWindow::createCentral()
{
    m_matchesView = new MatchesView(m_matchModel, m_matchProxy, this);
    m_groupsView = new GroupsView(m_groupModel, this);
    m_charts = new ChartsPanel(this);
    m_lowerTabs = new QTabWidget(this);
    m_lowerTabs->addTab(m_groupsView, tr("&Beacon groups"));
    m_lowerTabs->addTab(m_charts, tr("C&harts"));
    m_lowerTabs->setAccessibleName(tr("Groups and charts"));

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("centralSplitter"));
    splitter->addWidget(m_matchesView);
    splitter->addWidget(m_lowerTabs);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(createWelcomePage());
    m_stack->addWidget(splitter);
    setCentralWidget(m_stack);
}

QWidget *MainWindow::createWelcomePage()
{
    auto *page = new QWidget(this);
    auto *title = new QLabel(tr("<h2>Portent</h2><p>Hunt command and control whose port is "
                                "calculated from the resolved address (MITRE ATT&amp;CK "
                                "T1568.003).</p><p>Start with the sample case, or create a case "
                                "and import Defender or Sentinel exports.</p>"),
                             page);
    title->setWordWrap(true);
    title->setAlignment(Qt::AlignCenter);
    auto *sample
        = new QPushButton(themeIcon(QStringLiteral("document-open"), QStyle::SP_DialogOpenButton),
                          tr("Open the &sample case"),
                          page);
    auto *create = new QPushButton(tr("&New case…"), page);
    auto *open = new QPushButton(tr("&Open case…"), page);
    sample->setDefault(true);
    sample->setEnabled(!findBundledSampleCase().isEmpty());
    if (!sample->isEnabled()) {
        sample->setToolTip(tr("The sample case is not installed with this build."));
    }
    connect(sample, &QPushButton::clicked, this, &MainWindow::openSampleCase);
    connect(create, &QPushButton::clicked, this, &MainWindow::chooseNewCase);
    connect(open, &QPushButton::clicked, this, &MainWindow::chooseOpenCase);

    auto *layout = new QVBoxLayout(page);
    layout->addStretch(1);
    layout->addWidget(title);
    for (QPushButton *button : {sample, create, open}) {
        button->setMinimumWidth(260);
        layout->addWidget(button, 0, Qt::AlignHCenter);
    }
    layout->addStretch(2);
    return page;
}

void MainWindow::createDocks()
{
    m_breakdown = new BreakdownPanel(this);
    // Scrolls rather than squeezes: on a 768-pixel screen the clauses and fields need the room.
    auto *breakdownScroll = new QScrollArea(this);
    breakdownScroll->setWidget(m_breakdown);
    breakdownScroll->setWidgetResizable(true);
    breakdownScroll->setFrameShape(QFrame::NoFrame);
    auto *breakdownDock = new QDockWidget(tr("Breakdown"), this);
    breakdownDock->setObjectName(QStringLiteral("breakdownDock"));
    breakdownDock->setWidget(breakdownScroll);
    addDockWidget(Qt::RightDockWidgetArea, breakdownDock);

    m_rulePanel = new RulePanel(this);
    auto *ruleDock = new QDockWidget(tr("Rule"), this);
    ruleDock->setObjectName(QStringLiteral("ruleDock"));
    ruleDock->setWidget(m_rulePanel);
    addDockWidget(Qt::LeftDockWidgetArea, ruleDock);

    auto *activity = new QTableView(this);
    activity->setModel(ActivityLog::instance()->model());
    activity->setAccessibleName(tr("Activity"));
    activity->verticalHeader()->hide();
    activity->horizontalHeader()->setStretchLastSection(true);
    activity->setWordWrap(false);
    activity->setColumnWidth(0, 90);
    activity->setColumnWidth(1, 60);
    connect(activity->model(),
            &QAbstractItemModel::rowsInserted,
            activity,
            &QTableView::scrollToBottom);
    auto *activityDock = new QDockWidget(tr("Activity"), this);
    activityDock->setObjectName(QStringLiteral("activityDock"));
    activityDock->setWidget(activity);
    addDockWidget(Qt::LeftDockWidgetArea, activityDock);
    tabifyDockWidget(ruleDock, activityDock);
    ruleDock->raise();

    m_reportDialog = new ReportDialog(this);
    resizeDocks({breakdownDock, ruleDock}, {380, 250}, Qt::Horizontal);
}

void MainWindow::createActions()
{
    m_newCase = makeAction(this,
                           tr("&New Case…"),
                           QKeySequence::New,
                           themeIcon(QStringLiteral("document-new"), QStyle::SP_FileIcon));
    m_openCase
        = makeAction(this,
                     tr("&Open Case…"),
                     QKeySequence::Open,
                     themeIcon(QStringLiteral("document-open"), QStyle::SP_DialogOpenButton));
    m_openSample = makeAction(this, tr("Open &Sample Case"), QKeySequence(tr("Ctrl+Shift+O")));
    m_import = makeAction(this,
                          tr("&Import Files…"),
                          QKeySequence(tr("Ctrl+I")),
                          themeIcon(QStringLiteral("document-import"), QStyle::SP_ArrowDown));
    m_cancelImport = makeAction(this,
                                tr("&Cancel Import"),
                                QKeySequence(tr("Shift+Esc")),
                                themeIcon(QStringLiteral("process-stop"), QStyle::SP_BrowserStop));
    m_reports = makeAction(
        this,
        tr("Import &Reports…"),
        QKeySequence(tr("Ctrl+R")),
        themeIcon(QStringLiteral("document-properties"), QStyle::SP_FileDialogDetailedView));
    m_quit = makeAction(this, tr("&Quit"), QKeySequence::Quit);
    m_copy = makeAction(this,
                        tr("&Copy Selected Matches"),
                        QKeySequence(tr("Ctrl+Shift+C")),
                        themeIcon(QStringLiteral("edit-copy"), QStyle::SP_FileDialogListView));
    m_find = makeAction(this,
                        tr("&Filter Matches"),
                        QKeySequence::Find,
                        themeIcon(QStringLiteral("edit-find"), QStyle::SP_FileDialogContentsView));
    m_clearGroup = makeAction(this, tr("Show &All Matches"), QKeySequence(tr("Ctrl+Shift+A")));
    m_rerun = makeAction(this,
                         tr("&Run Detection"),
                         QKeySequence::Refresh,
                         themeIcon(QStringLiteral("view-refresh"), QStyle::SP_BrowserReload));
    m_seedExact = makeAction(this, tr("&Seed-exact Rule"), QKeySequence(tr("Ctrl+E")));
    m_seedExact->setCheckable(true);
    m_saveRule = makeAction(this, tr("Save &Rule As…"), {});
    m_showGroups = makeAction(this, tr("Beacon &Groups"), QKeySequence(tr("Ctrl+1")));
    m_showCharts = makeAction(this, tr("&Charts"), QKeySequence(tr("Ctrl+2")));
    m_about = makeAction(this, tr("&About Portent"), {});

    connect(m_newCase, &QAction::triggered, this, &MainWindow::chooseNewCase);
    connect(m_openCase, &QAction::triggered, this, &MainWindow::chooseOpenCase);
    connect(m_openSample, &QAction::triggered, this, &MainWindow::openSampleCase);
    connect(m_import, &QAction::triggered, this, &MainWindow::chooseImportFiles);
    connect(m_cancelImport, &QAction::triggered, m_imports, &ImportController::cancel);
    connect(m_reports, &QAction::triggered, this, [this] { showReports(); });
    connect(m_quit, &QAction::triggered, this, &QWidget::close);
    connect(m_copy, &QAction::triggered, m_matchesView, &MatchesView::copySelection);
    connect(m_find, &QAction::triggered, m_matchesView, &MatchesView::focusFilter);
    connect(m_clearGroup, &QAction::triggered, m_groupsView, &GroupsView::clearSelection);
    connect(m_rerun, &QAction::triggered, this, &MainWindow::runDetection);
    connect(m_seedExact, &QAction::toggled, m_rulePanel, &RulePanel::setSeedExact);
    connect(m_saveRule, &QAction::triggered, this, [this] {
        // The dialog adds the suffix itself, so that it asks before replacing the file it
        // will really write.
        QFileDialog dialog(this, tr("Save Rule"), QString(), tr("Portent rules (*.json)"));
        dialog.setAcceptMode(QFileDialog::AcceptSave);
        dialog.setDefaultSuffix(QStringLiteral("json"));
        if (dialog.exec() == QDialog::Accepted && !dialog.selectedFiles().isEmpty()) {
            saveRule(dialog.selectedFiles().first());
        }
    });
    connect(m_showGroups, &QAction::triggered, this, [this] {
        m_lowerTabs->setCurrentWidget(m_groupsView);
        m_groupsView->table()->setFocus();
    });
    connect(m_showCharts, &QAction::triggered, this, &MainWindow::showCharts);
    connect(m_about, &QAction::triggered, this, [this] {
        QMessageBox::about(this,
                           tr("About Portent"),
                           tr("<b>Portent %1</b><p>Workbench for hunting DNS-calculation "
                              "(T1568.003) command and control.</p>")
                               .arg(QStringLiteral(PORTENT_VERSION)));
    });
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&Case"));
    file->addActions({m_newCase, m_openCase, m_openSample});
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    file->addActions({m_import, m_cancelImport, m_reports});
    file->addSeparator();
    file->addAction(m_quit);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addActions({m_copy, m_find, m_clearGroup});

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->addActions({m_showGroups, m_showCharts});
    m_viewMenu->addSeparator();
    for (QDockWidget *dock : findChildren<QDockWidget *>()) {
        m_viewMenu->addAction(dock->toggleViewAction());
    }

    QMenu *detect = menuBar()->addMenu(tr("&Detection"));
    detect->addActions({m_rerun, m_seedExact});
    detect->addSeparator();
    detect->addAction(m_saveRule);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_about);
    rebuildRecentMenu();
}

void MainWindow::createToolBar()
{
    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setIconSize(QSize(16, 16));
    bar->addActions({m_openCase, m_import, m_reports, m_rerun});
    bar->addSeparator();
    auto *zoneLabel = new QLabel(tr(" Time zone: "), bar);
    m_zoneChoice = new QComboBox(bar);
    m_zoneChoice->setAccessibleName(tr("Time zone"));
    m_zoneChoice->addItem(tr("UTC"), QStringLiteral("utc"));
    m_zoneChoice->addItem(tr("Local"), QStringLiteral("local"));
    for (int minutes : zoneOffsets()) {
        m_zoneChoice->addItem(QStringLiteral("UTC") + formatUtcOffset(minutes),
                              QString::number(minutes));
    }
    zoneLabel->setBuddy(m_zoneChoice);
    bar->addWidget(zoneLabel);
    bar->addWidget(m_zoneChoice);
    connect(m_zoneChoice, &QComboBox::activated, this, [this] {
        setTimeDisplay(TimeDisplay::fromSettingsString(m_zoneChoice->currentData().toString()));
    });
}

void MainWindow::createStatusBar()
{
    m_eventsLabel = new QLabel(this);
    m_candidatesLabel = new QLabel(this);
    m_matchesLabel = new QLabel(this);
    m_engineLabel = new QLabel(this);
    m_windowLabel = new QLabel(this);
    m_zoneLabel = new QLabel(this);
    m_windowLabel->setMaximumWidth(360);
    m_importProgress = new ImportProgressWidget(this);
    m_importProgress->hide();
    statusBar()->addWidget(m_importProgress);
    for (QLabel *label : {m_eventsLabel,
                          m_candidatesLabel,
                          m_matchesLabel,
                          m_engineLabel,
                          m_windowLabel,
                          m_zoneLabel}) {
        statusBar()->addPermanentWidget(label);
    }
    m_zoneLabel->setText(m_timeDisplay.label());
    m_zoneLabel->setToolTip(tr("Times are shown in this zone"));
    connect(m_importProgress,
            &ImportProgressWidget::cancelRequested,
            m_imports,
            &ImportController::cancel);
}

void MainWindow::connectControllers()
{
    connect(m_imports,
            &ImportController::importStarted,
            this,
            [this](const QString &path, qint64 bytes, int queued) {
                m_importProgress->start(QFileInfo(path).fileName(), bytes, queued);
                m_importProgress->show();
                updateActions();
            });
    connect(m_imports,
            &ImportController::progressChanged,
            m_importProgress,
            &ImportProgressWidget::update);
    connect(m_imports, &ImportController::importFinished, this, &MainWindow::handleImportFinished);
    // Queued: the question is a modal dialog, never asked from inside the controller's handler.
    connect(m_imports,
            &ImportController::offsetRequired,
            this,
            &MainWindow::askUtcOffset,
            Qt::QueuedConnection);
    connect(m_imports, &ImportController::queueFinished, this, [this](bool anyAccepted) {
        m_importProgress->hide();
        updateActions();
        if (anyAccepted) {
            runDetection();
        }
    });

    connect(m_detection, &DetectionController::runStarted, this, [this] {
        m_engineLabel->setText(tr("Detecting…"));
    });
    connect(m_detection, &DetectionController::resultReady, this, &MainWindow::showResult);
    connect(m_detection, &DetectionController::runFailed, this, &MainWindow::showRunFailure);

    connect(m_rulePanel, &RulePanel::ruleChanged, this, [this](const DetectionRule &rule) {
        const QSignalBlocker blocker(m_seedExact);
        m_seedExact->setChecked(m_rulePanel->isSeedExact());
        m_detection->setRule(rule);
        runDetection();
    });
    connect(m_reportDialog, &ReportDialog::dateOrderChanged, this, &MainWindow::runDetection);
    connect(m_matchesView, &MatchesView::currentMatchChanged, this, &MainWindow::showMatchDetails);
    connect(m_groupsView,
            &GroupsView::groupSelected,
            this,
            [this](const std::optional<BeaconGroupKey> &key) {
                m_matchProxy->setGroupFilter(key);
                scheduleChartUpdate();
            });
    // Group and quick filters alike; above the proxy's synchronous limit they land later.
    connect(
        m_matchProxy, &MatchFilterProxy::filterApplied, this, &MainWindow::keepSelectionVisible);
    connect(
        m_matchProxy, &QAbstractItemModel::layoutChanged, this, &MainWindow::scheduleChartUpdate);
    connect(m_matchProxy, &QAbstractItemModel::rowsRemoved, this, &MainWindow::scheduleChartUpdate);
    connect(
        m_matchProxy, &QAbstractItemModel::rowsInserted, this, &MainWindow::scheduleChartUpdate);
    connect(m_lowerTabs, &QTabWidget::currentChanged, this, &MainWindow::scheduleChartUpdate);
}

bool MainWindow::openCase(const QString &path, bool create)
{
    const auto mode = create ? CaseFile::Mode::CreateOrOpen : CaseFile::Mode::OpenExisting;
    auto caseFile = CaseFile::open(path, mode);
    if (!caseFile) {
        statusBar()->showMessage(caseFile.errorMessage(), 10000);
        qCCritical(lcUi).noquote() << caseFile.errorMessage();
        return false;
    }
    m_casePath = QFileInfo(path).absoluteFilePath();
    m_rulePanel->forgetRange((*caseFile)->newestEventTime());
    m_detection->setRule(m_rulePanel->rule());
    const qint64 events = (*caseFile)->eventCount();
    const int versionAtOpen = (*caseFile)->versionAtOpen();
    caseFile->reset();
    qCInfo(lcUi) << "opened case" << m_casePath << "with" << events << "events";
    if (versionAtOpen != 0 && versionAtOpen < CurrentSchemaVersion) {
        // Said once, in the status bar: an earlier Portent can no longer open the file.
        statusBar()->showMessage(tr("Upgraded the case from schema %1 to %2; earlier versions of "
                                    "Portent cannot open it any more.")
                                     .arg(versionAtOpen)
                                     .arg(CurrentSchemaVersion),
                                 15000);
    }

    m_imports->setCasePath(m_casePath);
    m_detection->setCasePath(m_casePath);
    m_matchModel->setMatches({}, {});
    m_groupModel->setGroups({});
    m_breakdown->clear();
    m_matchesView->clearBanner();
    m_eventsLabel->setText(tr("%1 events").arg(thousands(events)));
    m_stack->setCurrentIndex(WorkbenchPage);
    addRecentCase(m_casePath);
    updateTitle();
    updateActions();
    runDetection();
    return true;
}

bool MainWindow::openSampleCase()
{
    const auto sample = prepareSampleCase();
    if (!sample) {
        statusBar()->showMessage(sample.errorMessage(), 10000);
        qCWarning(lcUi).noquote() << sample.errorMessage();
        return false;
    }
    return openCase(*sample);
}

void MainWindow::restoreLastCase()
{
    const QStringList recent = QSettings().value(QStringLiteral("recentCases")).toStringList();
    if (!recent.isEmpty() && QFileInfo(recent.first()).isFile()) {
        openCase(recent.first());
    }
}

void MainWindow::importFiles(const QStringList &paths)
{
    if (m_casePath.isEmpty()) {
        statusBar()->showMessage(tr("Open or create a case before importing files."), 8000);
        return;
    }
    m_matchesView->clearBanner();
    m_imports->importFiles(paths);
}

void MainWindow::chooseNewCase()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("New Case"), QString(), tr("Portent cases (*.portent)"));
    if (path.isEmpty()) {
        return;
    }
    const QString withSuffix
        = path.endsWith(QLatin1String(".portent")) ? path : path + QStringLiteral(".portent");
    openCase(withSuffix, true);
}

void MainWindow::chooseOpenCase()
{
    const QString path = QFileDialog::getOpenFileName(this,
                                                      tr("Open Case"),
                                                      QString(),
                                                      tr("Portent cases (*.portent);;"
                                                         "All files (*)"));
    if (!path.isEmpty()) {
        openCase(path);
    }
}

void MainWindow::chooseImportFiles()
{
    const QStringList paths = QFileDialog::getOpenFileNames(
        this,
        tr("Import Files"),
        QString(),
        tr("Event exports (*.csv *.tsv *.json *.jsonl *.ndjson *.log *.txt);;All files (*)"));
    importFiles(paths);
}

void MainWindow::showReports(qint64 sourceId)
{
    if (m_casePath.isEmpty()) {
        return;
    }
    m_reportDialog->showCase(m_casePath, sourceId);
    m_reportDialog->show();
    m_reportDialog->raise();
    m_reportDialog->activateWindow();
}

bool MainWindow::saveRule(const QString &path)
{
    QSaveFile file(path);
    const QByteArray text = QJsonDocument(m_detection->rule().toJson()).toJson();
    const bool saved
        = file.open(QIODevice::WriteOnly) && file.write(text) == text.size() && file.commit();
    if (!saved) {
        const QString message
            = tr("Could not save the rule to \"%1\": %2").arg(path, file.errorString());
        statusBar()->showMessage(message, 10000);
        qCWarning(lcUi).noquote() << message;
        return false;
    }
    statusBar()->showMessage(
        tr("Saved the rule to \"%1\"; portent-cli detect --rule runs it.").arg(path), 8000);
    return true;
}

void MainWindow::showCharts()
{
    m_lowerTabs->setCurrentWidget(m_charts);
}

void MainWindow::runDetection()
{
    m_detection->run();
}

void MainWindow::showResult(const DetectionResult &result)
{
    m_lastResult = result;
    m_lastResult.matches.clear();
    QStringList labels;
    for (const Formula &formula : m_detection->rule().formulas) {
        labels.append(formula.label);
    }
    m_groupsView->clearSelection();
    m_groupModel->setGroups(groupMatches(result.matches));
    m_matchModel->setMatches(result.matches, labels);
    m_breakdown->setContext(m_detection->rule(), result.window);
    m_rulePanel->suggestRange(result.window, result.newestEventTime);
    m_charts->setCandidates(result.candidateEndpoints, labels);
    m_matchesView->clearBanner();

    m_eventsLabel->setText(tr("%1 events").arg(thousands(result.eventsInCase)));
    m_candidatesLabel->setText(tr("%1 candidates").arg(thousands(result.candidateEvents)));
    m_matchesLabel->setText(tr("<b>%1 matches</b>").arg(thousands(result.matches.size())));
    m_engineLabel->setText(tr("engine %1 ms").arg(result.elapsedMs));
    showWindowLabel();
    noteEmptyWindow(result);
    if (m_matchProxy->rowCount() > 0) {
        m_matchesView->table()->selectRow(0);
    }
    scheduleChartUpdate();
    emit resultShown(result.generation, result.matches.size());
}

void MainWindow::showRunFailure(const QString &error)
{
    m_engineLabel->setText(tr("detection failed"));
    m_matchesView->showBanner(tr("Detection failed: %1").arg(error));
    qCCritical(lcUi).noquote() << "detection failed:" << error;
}

void MainWindow::handleImportFinished(const ImportReport &report)
{
    const QString name = QFileInfo(report.filePath).fileName();
    emit importReportShown(report);
    if (report.cancelled) {
        // Asked for, so not an error: a note in the status bar is enough.
        statusBar()->showMessage(report.error, 8000);
        return;
    }
    if (!report.error.isEmpty()) {
        // A missing offset is asked for in a dialog instead.
        if (!report.needsUtcOffset) {
            m_matchesView->showBanner(report.error);
        }
        qCWarning(lcUi).noquote() << report.error;
        return;
    }
    if (report.skippedAsDuplicate) {
        statusBar()->showMessage(
            tr("\"%1\" was already imported into this case; skipped.").arg(name), 8000);
        return;
    }
    QString message = tr("Imported \"%1\": %2 rows accepted, %3 rejected in %4 ms.")
                          .arg(name, thousands(report.rowsAccepted), thousands(report.rowsRejected))
                          .arg(report.elapsedMs);
    if (report.rowsRejected > 0) {
        message += tr(" See Case ▸ Import Reports for the reasons.");
    }
    statusBar()->showMessage(message, 10000);
    qCInfo(lcUi).noquote() << message;
}

void MainWindow::askUtcOffset(const QString &path, const QString &error)
{
    QStringList offsets;
    for (int quarter = -12 * 4; quarter <= 14 * 4; ++quarter) {
        offsets.append(QStringLiteral("UTC") + formatUtcOffset(quarter * 15));
    }
    bool ok = false;
    const QString choice = QInputDialog::getItem(
        this,
        tr("Time zone of \"%1\"").arg(QFileInfo(path).fileName()),
        tr("%1\n\nWhich UTC offset were these local times written in?").arg(error),
        offsets,
        int(offsets.indexOf(QStringLiteral("UTC+00:00"))),
        false,
        &ok);
    if (!ok) {
        m_matchesView->showBanner(error);
        return;
    }
    const int index = int(offsets.indexOf(choice));
    m_imports->importWithOffset(path, (index - 12 * 4) * 15);
}

void MainWindow::showMatchDetails(int matchIndex)
{
    m_selectedMatch = matchIndex;
    if (matchIndex < 0 || matchIndex >= m_matchModel->matches().size()) {
        m_breakdown->clear();
    } else {
        m_breakdown->showMatch(m_casePath, m_matchModel->matches().at(matchIndex));
    }
    scheduleChartUpdate();
}

// The breakdown never describes a match the table no longer shows: when a filter hides the
// selected match, the first shown one is selected instead. The proxy drops the current index
// of a row it filters out, so a current row still showing the selected match means it stayed.
void MainWindow::keepSelectionVisible()
{
    const QModelIndex current = m_matchesView->table()->currentIndex();
    if (current.isValid()
        && m_matchModel->matchIndex(m_matchProxy->mapToSource(current).row()) == m_selectedMatch) {
        return;
    }
    if (m_matchProxy->rowCount() > 0) {
        m_matchesView->table()->selectRow(0);
    } else {
        showMatchDetails(-1);
    }
}

void MainWindow::scheduleChartUpdate()
{
    // Charts cost a pass over the shown matches; only draw them when someone can see them.
    if (m_lowerTabs->currentWidget() == m_charts) {
        m_chartDelay->start();
    }
}

void MainWindow::updateCharts()
{
    m_charts->setTimeDisplay(m_timeDisplay);
    m_charts->showMatches(m_matchModel->matches(), m_matchProxy->matchIndexes(), m_selectedMatch);
}

void MainWindow::setTimeDisplay(const TimeDisplay &display)
{
    m_timeDisplay = display;
    m_matchModel->setTimeDisplay(display);
    m_groupModel->setTimeDisplay(display);
    m_breakdown->setTimeDisplay(display);
    m_zoneLabel->setText(display.label());
    // Saved at once, not only on a clean close: the choice survives a killed session too.
    QSettings().setValue(QStringLiteral("timeZone"), display.toSettingsString());
    showWindowLabel();
    const int index = m_zoneChoice->findData(display.toSettingsString());
    if (index >= 0) {
        m_zoneChoice->setCurrentIndex(index);
    }
    showMatchDetails(m_selectedMatch);
}

// No match in a bounded window is often the window's doing (an export older than "now - 24 h",
// or a newer file that moved "the newest event"): say so where the empty table is.
void MainWindow::noteEmptyWindow(const DetectionResult &result)
{
    if (result.eventsInCase == 0) {
        m_matchesView->showBanner(tr("This case has no events yet: import exports with Case ▸ "
                                     "Import Files… or drop them on the window."),
                                  MatchesView::Banner::Note);
        return;
    }
    const bool bounded = result.window.empty || result.window.fromTicks || result.window.toTicks;
    if (!result.matches.isEmpty() || !bounded) {
        return;
    }
    m_matchesView->showBanner(tr("No match in this window (%1). Only events inside it are "
                                 "examined: choose All time in the Rule panel to hunt the whole "
                                 "case.")
                                  .arg(result.window.description),
                              MatchesView::Banner::Note);
}

// The window's bounds to the minute in the chosen zone; its full description is the tooltip.
void MainWindow::showWindowLabel()
{
    const EffectiveWindow &window = m_lastResult.window;
    const auto bound = [this](const std::optional<qint64> &ticks) {
        return ticks ? m_timeDisplay.format(*ticks).left(16) : QStringLiteral("…");
    };
    QString text; // empty before the first run
    if (window.empty) {
        text = tr("Window: empty (no event has a time)");
    } else if (window.fromTicks || window.toTicks) {
        // From the first instant inside, which reads as the start the user set (the exclusive
        // bound of an absolute range from 00:00 would show 23:59 of the day before).
        text = tr("Window: %1 – %2").arg(bound(window.firstInstant()), bound(window.toTicks));
    } else if (!window.description.isEmpty()) {
        text = tr("Window: all time");
    }
    m_windowLabel->setText(m_windowLabel->fontMetrics().elidedText(
        text, Qt::ElideRight, m_windowLabel->maximumWidth()));
    m_windowLabel->setToolTip(window.description);
}

QString MainWindow::statusText() const
{
    QStringList parts;
    for (const QLabel *label : {m_eventsLabel,
                                m_candidatesLabel,
                                m_matchesLabel,
                                m_engineLabel,
                                m_windowLabel,
                                m_zoneLabel}) {
        parts.append(label->text());
    }
    return parts.join(QStringLiteral(" | "));
}

void MainWindow::updateTitle()
{
    setWindowTitle(m_casePath.isEmpty() ? tr("Portent")
                                        : tr("%1 — Portent").arg(QFileInfo(m_casePath).fileName()));
    setWindowFilePath(m_casePath);
}

void MainWindow::updateActions()
{
    const bool hasCase = !m_casePath.isEmpty();
    const bool importing = m_imports->isBusy();
    for (QAction *action : {m_import, m_reports, m_rerun, m_copy, m_find, m_clearGroup}) {
        action->setEnabled(hasCase);
    }
    m_cancelImport->setEnabled(importing);
    m_openSample->setEnabled(!findBundledSampleCase().isEmpty());
}

void MainWindow::addRecentCase(const QString &path)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentCases")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    settings.setValue(QStringLiteral("recentCases"), recent.mid(0, MaxRecentCases));
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentCases")).toStringList();
    for (int i = 0; i < recent.size(); ++i) {
        const QString path = recent.at(i);
        QAction *action = m_recentMenu->addAction(
            QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()),
            this,
            [this, path] { openCase(path); });
        action->setToolTip(path);
        action->setEnabled(QFileInfo(path).isFile());
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::readSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        // Designed for 1366x768 laptops: take the whole available screen up to a sensible size.
        const QSize available = screen()->availableGeometry().size();
        resize(available.boundedTo(QSize(1600, 1000)));
    }
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    setTimeDisplay(TimeDisplay::fromSettingsString(
        settings.value(QStringLiteral("timeZone"), QStringLiteral("utc")).toString()));
}

void MainWindow::writeSettings() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("timeZone"), m_timeDisplay.toSettingsString());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_imports->isBusy()) {
        const auto answer = QMessageBox::question(
            this,
            tr("Import running"),
            tr("An import is still running. Cancel it and quit? The case keeps what it had "
               "before the import."),
            QMessageBox::Yes | QMessageBox::No,
            QMessageBox::No);
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
    }
    writeSettings();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!m_casePath.isEmpty() && !localFiles(event->mimeData()).isEmpty()) {
        event->acceptProposedAction();
    }
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QStringList files = localFiles(event->mimeData());
    if (files.isEmpty()) {
        return;
    }
    event->acceptProposedAction();
    importFiles(files);
}

} // namespace Portent
