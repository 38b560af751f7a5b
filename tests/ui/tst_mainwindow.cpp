// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "breakdownpanel.h"
#include "detectioncontroller.h"
#include "groupsview.h"
#include "mainwindow.h"
#include "matchesview.h"
#include "rulepanel.h"
#include "samplecase.h"

#include "core/ticks.h"
#include "ingest/importer.h"
#include "store/casefile.h"
#include "views/beacongroups.h"
#include "views/matchfilterproxy.h"
#include "views/matchtablemodel.h"

#include <QAbstractItemModelTester>
#include <QDateTimeEdit>
#include <QFile>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace Portent;
using Column = MatchTableModel::Column;

class tst_MainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void opensCaseAndShowsMatches();
    void sortsNumericallyAndByTime();
    void groupSelectionFiltersMatches();
    void breakdownWritesOutArithmetic();
    void importThroughTheDialogPath();
    void windowChoiceReRunsDetection();
    void absoluteRangeFromTheRulePanel();
    void savedRuleReadsBackAsTheRunningRule();
    void firstRunLaysOutTheTriageColumns();
    void seedExactToggleReRunsDetection();
    void timeZoneSwitchChangesText();
    void missingCaseIsReportedNotFatal();
    void upgradedCaseIsSaidInTheStatusBar();
    void sampleCopyKeepsWorkUntilANewBuild();
    void emptyCaseSaysHowToStart();

private:
    // A case holding tests/data/ui/beacons.csv, built with the importer as the CLI would.
    QString freshCase();
    QString fixture(const QString &name) const;
    bool openAndWait(MainWindow &window, const QString &path);

    QTemporaryDir m_dir;
    int m_cases = 0;
};

void tst_MainWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(
        QSettings::IniFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
    QCoreApplication::setOrganizationName(QStringLiteral("PortentTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
}

// The sample is copied for the user to work in; imports into the copy stay until a new build
// brings a new sample, and then the old copy is set aside, not deleted.
void tst_MainWindow::sampleCopyKeepsWorkUntilANewBuild()
{
    if (findBundledSampleCase().isEmpty()) {
        QSKIP("the sample_case target was not built");
    }
    const auto eventsIn = [](const QString &path) {
        auto caseFile = CaseFile::open(path, CaseFile::Mode::ReadOnly);
        return caseFile ? (*caseFile)->eventCount() : -1;
    };
    const Expected<QString> copy = prepareSampleCase();
    QVERIFY2(copy, qPrintable(copy.errorMessage()));
    QCOMPARE(eventsIn(*copy), qint64(5000)); // resources/sample/README.md: 5,000 events
    QVERIFY(Importer::importNow(*copy, fixture(QStringLiteral("more.csv"))).error.isEmpty());

    const Expected<QString> again = prepareSampleCase();
    QCOMPARE(*again, *copy);
    QCOMPARE(eventsIn(*again), qint64(5001));

    // A release with another sample: the copy is set aside and a fresh one made; a second such
    // renewal keeps the first set-aside copy too.
    const QDir dir = QFileInfo(*copy).dir();
    for (const QString &old : dir.entryList({QStringLiteral("sample.portent.old*")})) {
        QFile::remove(dir.filePath(old));
    }
    QSettings().setValue(QStringLiteral("sample/bundleStamp"), QStringLiteral("another sample"));
    const Expected<QString> renewed = prepareSampleCase();
    QCOMPARE(eventsIn(*renewed), qint64(5000));
    QCOMPARE(eventsIn(*renewed + QStringLiteral(".old")), qint64(5001));
    QSettings().setValue(QStringLiteral("sample/bundleStamp"), QStringLiteral("a third sample"));
    QVERIFY(prepareSampleCase());
    QCOMPARE(eventsIn(*renewed + QStringLiteral(".old")), qint64(5001));
    QCOMPARE(eventsIn(*renewed + QStringLiteral(".old.2")), qint64(5000));
}

// A new case has nothing to hunt in: the empty table says how to fill it.
void tst_MainWindow::emptyCaseSaysHowToStart()
{
    const QString path = m_dir.filePath(QStringLiteral("empty.portent"));
    QVERIFY(CaseFile::open(path, CaseFile::Mode::CreateOrOpen));
    MainWindow window;
    QVERIFY(openAndWait(window, path));
    QVERIFY2(window.matchesView()->bannerText().contains(QStringLiteral("no events yet")),
             qPrintable(window.matchesView()->bannerText()));

    window.importFiles({fixture(QStringLiteral("beacons.csv"))});
    QTRY_COMPARE_WITH_TIMEOUT(window.matchModel()->rowCount(), 7, 30000);
    QVERIFY(window.matchesView()->bannerText().isEmpty());
}

QString tst_MainWindow::fixture(const QString &name) const
{
    return QStringLiteral(PORTENT_TEST_DATA "/ui/") + name;
}

QString tst_MainWindow::freshCase()
{
    const QString path = m_dir.filePath(QStringLiteral("case%1.portent").arg(++m_cases));
    {
        auto caseFile = CaseFile::open(path, CaseFile::Mode::CreateOrOpen);
        if (!caseFile) {
            qWarning() << caseFile.errorMessage();
            return {};
        }
    }
    const ImportReport report = Importer::importNow(path, fixture(QStringLiteral("beacons.csv")));
    if (!report.error.isEmpty()) {
        qWarning() << report.error;
    }
    return path;
}

bool tst_MainWindow::openAndWait(MainWindow &window, const QString &path)
{
    QSignalSpy shown(&window, &MainWindow::resultShown);
    if (!window.openCase(path)) {
        return false;
    }
    return shown.wait(30000) || shown.count() > 0;
}

void tst_MainWindow::opensCaseAndShowsMatches()
{
    MainWindow window;
    QAbstractItemModelTester matchTester(window.matchModel(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(window.matchProxy(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester groupTester(window.groupModel(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString path = freshCase();
    QVERIFY(openAndWait(window, path));
    // Seven rows of beacons.csv match the default rule (see tests/data/ui/README.md).
    QCOMPARE(window.matchModel()->rowCount(), 7);
    QCOMPARE(window.matchProxy()->rowCount(), 7);
    QCOMPARE(window.groupModel()->rowCount(), 4);
    QVERIFY(window.windowTitle().contains(QStringLiteral("case%1.portent").arg(m_cases)));
    QVERIFY2(window.statusText().contains(QStringLiteral("7 matches")),
             qPrintable(window.statusText()));
    QVERIFY(window.statusText().contains(QStringLiteral("UTC")));
    // The newest match is selected and shown: 12:00Z, implant.exe.
    QCOMPARE(window.matchesView()->table()->currentIndex().row(), 0);
}

void tst_MainWindow::sortsNumericallyAndByTime()
{
    MainWindow window;
    QVERIFY(openAndWait(window, freshCase()));
    MatchFilterProxy *proxy = window.matchProxy();
    const int port = window.matchModel()->column(Column::RemotePort);
    window.matchesView()->table()->sortByColumn(port, Qt::AscendingOrder);
    QCOMPARE(proxy->index(0, port).data().toInt(), 4702);
    // 20050 sorts last as a number (first as text).
    QCOMPARE(proxy->index(6, port).data().toInt(), 20050);

    const int time = window.matchModel()->column(Column::Time);
    window.matchesView()->table()->sortByColumn(time, Qt::AscendingOrder);
    QVERIFY(proxy->index(0, time).data().toString().startsWith(QStringLiteral("2024-03-13 07:00")));
    QVERIFY(proxy->index(6, time).data().toString().startsWith(QStringLiteral("2024-03-13 12:00")));
}

void tst_MainWindow::groupSelectionFiltersMatches()
{
    MainWindow window;
    QVERIFY(openAndWait(window, freshCase()));
    QTableView *groups = window.groupsView()->table();
    // Groups are sorted busiest first: implant.exe to 103.45.67.89, three matches.
    groups->selectRow(0);
    QCOMPARE(window.matchProxy()->rowCount(), 3);
    const int process = window.matchModel()->column(Column::Process);
    for (int row = 0; row < 3; ++row) {
        QCOMPARE(window.matchProxy()->index(row, process).data().toString(),
                 QStringLiteral("implant.exe"));
    }
    window.groupsView()->clearSelection();
    QCOMPARE(window.matchProxy()->rowCount(), 7);
}

void tst_MainWindow::breakdownWritesOutArithmetic()
{
    MainWindow window;
    QVERIFY(openAndWait(window, freshCase()));
    // Newest first, row 0 is 103.45.67.89:4702 at 12:00Z, the row with AdditionalFields. Sort
    // explicitly: the header layout (sort included) is remembered from the previous test.
    QTableView *table = window.matchesView()->table();
    table->sortByColumn(window.matchModel()->column(Column::Time), Qt::DescendingOrder);
    table->selectRow(1);
    table->selectRow(0);
    const QStringList texts = window.breakdownPanel()->formulaTexts();
    QCOMPARE(texts.size(), 2);
    QCOMPARE(texts.at(0), QStringLiteral("(103 × 45) + 67 = 4702 = RemotePort 4702"));
    QCOMPARE(texts.at(1), QStringLiteral("103 × (45 + 67) = 11536 ≠ RemotePort 4702"));
    // The fields go by the export's own names; internal ids are not shown.
    const BreakdownPanel *breakdown = window.breakdownPanel();
    QCOMPARE(breakdown->fieldValue(QStringLiteral("RemoteIP")), QStringLiteral("103.45.67.89"));
    QCOMPARE(breakdown->fieldValue(QStringLiteral("DeviceName")),
             QStringLiteral("ws-01.corp.example"));
    QCOMPARE(breakdown->fieldValue(QStringLiteral("Imported from")), QStringLiteral("beacons.csv"));
    QVERIFY(breakdown->fieldValue(QStringLiteral("remote_ipv4")).isEmpty());
    QVERIFY(breakdown->fieldValue(QStringLiteral("source_id")).isEmpty());
    // AdditionalFields, a column Portent keeps without modelling, is JSON shown indented.
    const QString extra = breakdown->fieldValue(QStringLiteral("AdditionalFields"));
    QVERIFY2(extra.contains(QStringLiteral("\n    \"")), qPrintable(extra));
}

void tst_MainWindow::importThroughTheDialogPath()
{
    MainWindow window;
    QVERIFY(openAndWait(window, freshCase()));
    QSignalSpy shown(&window, &MainWindow::resultShown);
    QSignalSpy reports(&window, &MainWindow::importReportShown);
    window.importFiles({fixture(QStringLiteral("more.csv"))});
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 30000);
    QCOMPARE(reports.count(), 1);
    // more.csv adds one beacon from a new device: eight matches, five groups.
    QCOMPARE(window.matchModel()->rowCount(), 8);
    QCOMPARE(window.groupModel()->rowCount(), 5);
}

void tst_MainWindow::windowChoiceReRunsDetection()
{
    MainWindow window;
    QVERIFY(openAndWait(window, freshCase()));
    QSignalSpy shown(&window, &MainWindow::resultShown);
    window.rulePanel()->setWindowKind(TimeWindow::Kind::AllTime);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 30000);
    // All time adds the beacon of 2024-03-11 to the seven.
    QCOMPARE(window.matchModel()->rowCount(), 8);
    QCOMPARE(window.groupModel()->groupAt(0).count, 4);

    // After an all-time run there is no window to offer as an absolute range: it is the 24
    // hours before the case's newest event (12:00 on the 13th), the default's seven matches.
    window.rulePanel()->setWindowKind(TimeWindow::Kind::Absolute);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 2, 30000);
    const TimeWindow range = window.rulePanel()->rule().window;
    QCOMPARE(dateTimeFromTicks(*range.fromTicks),
             QDateTime::fromString(QStringLiteral("2024-03-12T12:00:00Z"), Qt::ISODate));
    QCOMPARE(*range.toTicks - *range.fromTicks, 24 * TicksPerHour + TicksPerSecond - 1);
    QCOMPARE(window.matchModel()->rowCount(), 7);
}

// The absolute range starts as the window of the last run, whole seconds: the same seven
// matches. Widening it to 2024-03-11 adds that day's beacon; ending it at 10:00 on the 13th
// keeps the five matches at or before 10:00 (implant.exe at 10:00, update.exe at 09:30 and
// 08:15, beacon.exe at 07:00, and the one of the 11th). An end moved before the start takes the
// start along, so the range stays a window (with nothing in it here).
void tst_MainWindow::absoluteRangeFromTheRulePanel()
{
    MainWindow window;
    QVERIFY(openAndWait(window, freshCase()));
    RulePanel *panel = window.rulePanel();
    const auto edit = [panel](const QString &name) -> QDateTimeEdit * {
        for (QDateTimeEdit *candidate : panel->findChildren<QDateTimeEdit *>()) {
            if (candidate->accessibleName() == name) {
                return candidate;
            }
        }
        return nullptr;
    };
    QDateTimeEdit *from = edit(QStringLiteral("Window start (UTC)"));
    QDateTimeEdit *to = edit(QStringLiteral("Window end (UTC)"));
    QVERIFY(from && to);
    QVERIFY(!from->isVisibleTo(panel));

    // Every change is one new rule, so one run.
    const auto rerun = [&window, panel](const std::function<void()> &change) {
        QSignalSpy shown(&window, &MainWindow::resultShown);
        QSignalSpy changed(panel, &RulePanel::ruleChanged);
        change();
        return changed.count() == 1 && (shown.wait(30000) || shown.count() > 0);
    };
    const auto utc = [](const char *text) {
        return QDateTime::fromString(QString::fromLatin1(text), Qt::ISODate);
    };
    QVERIFY(rerun([panel] { panel->setWindowKind(TimeWindow::Kind::Absolute); }));
    QVERIFY(from->isVisibleTo(panel) && to->isVisibleTo(panel));
    QCOMPARE(from->dateTime(), utc("2024-03-12T12:00:00Z"));
    QCOMPARE(to->dateTime(), utc("2024-03-13T12:00:00Z"));
    QCOMPARE(window.matchModel()->rowCount(), 7);

    QVERIFY(rerun([&] { from->setDateTime(utc("2024-03-11T00:00:00Z")); }));
    QCOMPARE(window.matchModel()->rowCount(), 8);
    QVERIFY(rerun([&] { to->setDateTime(utc("2024-03-13T10:00:00Z")); }));
    QCOMPARE(window.matchModel()->rowCount(), 5);
    const QString shownWindow = QStringLiteral("Window: 2024-03-11 00:00 – 2024-03-13 10:00");
    QVERIFY2(window.statusText().contains(shownWindow), qPrintable(window.statusText()));
    const QString kql = panel->findChild<QPlainTextEdit *>()->toPlainText();
    // The end covers its whole second.
    QVERIFY2(kql.contains(QStringLiteral("between (datetime(2024-03-11T00:00:00.0000000Z) .. "
                                         "datetime(2024-03-13T10:00:00.9999999Z))")),
             qPrintable(kql));

    QVERIFY(rerun([&] { to->setDateTime(utc("2024-03-10T00:00:00Z")); }));
    QCOMPARE(from->dateTime(), utc("2024-03-10T00:00:00Z"));
    QCOMPARE(*panel->rule().window.toTicks - *panel->rule().window.fromTicks, TicksPerSecond - 1);
    QCOMPARE(window.matchModel()->rowCount(), 0);

    // The seed's own window takes over while Seed-exact is on; the range comes back after.
    QVERIFY(rerun([panel] { panel->setSeedExact(true); }));
    QVERIFY(!from->isVisibleTo(panel));
    QVERIFY(rerun([panel] { panel->setSeedExact(false); }));
    QCOMPARE(panel->rule().window.kind, TimeWindow::Kind::Absolute);
    QVERIFY(from->isEnabled() && from->isVisibleTo(panel));
    QCOMPARE(to->dateTime(), utc("2024-03-10T00:00:00Z"));

    // Another case: the range set for this one gives way to the day before its newest event.
    QVERIFY(openAndWait(window, freshCase()));
    QCOMPARE(from->dateTime(), utc("2024-03-12T12:00:00Z"));
    QCOMPARE(to->dateTime(), utc("2024-03-13T12:00:00Z"));
    QCOMPARE(window.matchModel()->rowCount(), 7);
}

// What Save Rule writes is the rule detection runs with, in the format the CLI's --rule reads:
// here the default rule with a 48-hour window ending at the newest event.
void tst_MainWindow::savedRuleReadsBackAsTheRunningRule()
{
    MainWindow window;
    QVERIFY(openAndWait(window, freshCase()));
    QSignalSpy shown(&window, &MainWindow::resultShown);
    window.rulePanel()->findChild<QSpinBox *>()->setValue(48);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 30000);

    const QString path = m_dir.filePath(QStringLiteral("saved-rule.json"));
    QVERIFY(window.saveRule(path));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const Expected<DetectionRule> read
        = DetectionRule::fromJson(QJsonDocument::fromJson(file.readAll()).object());
    QVERIFY2(read, qPrintable(read.errorMessage()));
    DetectionRule expected = DetectionRule::defaults();
    expected.window.lengthTicks = 48 * TicksPerHour;
    QCOMPARE(*read, expected);
    QCOMPARE(*read, window.detection()->rule());

    QVERIFY(!window.saveRule(m_dir.filePath(QStringLiteral("no/such/folder/rule.json"))));
    QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("Could not save")),
             qPrintable(window.statusBar()->currentMessage()));
}

// With no saved layout, the columns a responder triages by come first, and each calculated
// port's column is wide enough for its header. The layout waits for the formula columns: the
// table cleared for a new case has none, and a layout set then landed on the wrong columns.
void tst_MainWindow::firstRunLaysOutTheTriageColumns()
{
    QSettings().remove(QStringLiteral("matches/headerState"));
    MainWindow window;
    QVERIFY(openAndWait(window, freshCase()));
    const QHeaderView *header = window.matchesView()->table()->horizontalHeader();
    const MatchTableModel *model = window.matchModel();
    // The layout is applied by a queued call after the result.
    QTRY_COMPARE(header->visualIndex(model->column(Column::MatchedFormula)), 5);
    QCOMPARE(header->visualIndex(model->column(Column::Time)), 0);
    QCOMPARE(header->visualIndex(model->column(Column::RemotePort)), 4);
    QCOMPARE(header->visualIndex(model->column(Column::MatchScore)), 6);
    for (int formula = 0; formula < 2; ++formula) {
        const int column = model->column(Column::CalcPort, formula);
        const QString title = model->headerData(column, Qt::Horizontal).toString();
        QVERIFY2(header->sectionSize(column) > header->fontMetrics().horizontalAdvance(title),
                 qPrintable(title));
    }
}

void tst_MainWindow::seedExactToggleReRunsDetection()
{
    MainWindow window;
    QVERIFY(openAndWait(window, freshCase()));
    QSignalSpy shown(&window, &MainWindow::resultShown);
    window.rulePanel()->setSeedExact(true);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 30000);
    // The seed's "ago(24h)" is relative to now; the fixture is from March 2024.
    QCOMPARE(window.matchModel()->rowCount(), 0);
    QVERIFY(window.rulePanel()->isSeedExact());
    // The empty table says why, and what to do.
    QVERIFY2(window.matchesView()->bannerText().contains(QStringLiteral("No match in this window")),
             qPrintable(window.matchesView()->bannerText()));

    // Turned off again, the window is the user's own again and the seven matches are back.
    window.rulePanel()->setSeedExact(false);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 2, 30000);
    QCOMPARE(window.rulePanel()->rule().window.kind, TimeWindow::Kind::EndingAtNewestEvent);
    QCOMPARE(window.matchModel()->rowCount(), 7);
    QVERIFY(window.matchesView()->bannerText().isEmpty());
}

void tst_MainWindow::timeZoneSwitchChangesText()
{
    MainWindow window;
    QVERIFY(openAndWait(window, freshCase()));
    window.setTimeDisplay({TimeDisplay::Mode::FixedOffset, -300});
    const int time = window.matchModel()->column(Column::Time);
    window.matchesView()->table()->sortByColumn(time, Qt::DescendingOrder);
    QCOMPARE(window.matchProxy()->index(0, time).data().toString(),
             QStringLiteral("2024-03-13 07:00:00.000 -05:00"));
    QVERIFY(window.statusText().contains(QStringLiteral("UTC-05:00")));
}

void tst_MainWindow::missingCaseIsReportedNotFatal()
{
    MainWindow window;
    QVERIFY(!window.openCase(m_dir.filePath(QStringLiteral("does-not-exist.portent"))));
    QVERIFY(window.casePath().isEmpty());
    // A file that is not SQLite at all.
    QVERIFY(!window.openCase(fixture(QStringLiteral("beacons.csv"))));
    QVERIFY(window.casePath().isEmpty());
}

// Opening a case from the schema 3 release upgrades it, and the status bar says so once: an
// earlier Portent can no longer open it. Opening it again says nothing of the kind.
void tst_MainWindow::upgradedCaseIsSaidInTheStatusBar()
{
    const QString path = m_dir.filePath(QStringLiteral("schema3.portent"));
    QVERIFY(QFile::copy(QStringLiteral(PORTENT_TEST_DATA "/cases/schema3.portent"), path));
    QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner));
    MainWindow window;
    QVERIFY(window.openCase(path));
    const QString message = window.statusBar()->currentMessage();
    QVERIFY2(message.startsWith(QLatin1String("Upgraded the case from schema 3 to 4")),
             qPrintable(message));

    window.statusBar()->clearMessage();
    QVERIFY(window.openCase(path));
    QVERIFY(!window.statusBar()->currentMessage().contains(QLatin1String("Upgraded")));
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
