// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "detectioncontroller.h"
#include "importcontroller.h"

#include "generate/generator.h"
#include "store/casefile.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Portent;

class tst_ImportController : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void importsQueuedFiles();
    void localTimeAsksForOffsetThenImports();
    void offsetAnsweredAtOnceJoinsTheQueue();
    void cancelLeavesCaseUnchanged();
    void newerDetectionRunWins();

private:
    QString newCase(const QString &name);
    QString fixture(const QString &name) const;

    QTemporaryDir m_dir;
};

void tst_ImportController::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

QString tst_ImportController::newCase(const QString &name)
{
    const QString path = m_dir.filePath(name);
    auto caseFile = CaseFile::open(path, CaseFile::Mode::CreateOrOpen);
    if (!caseFile) {
        qWarning() << caseFile.errorMessage();
    }
    return path;
}

QString tst_ImportController::fixture(const QString &name) const
{
    return QStringLiteral(PORTENT_TEST_DATA "/ui/") + name;
}

qint64 eventCount(const QString &casePath)
{
    auto caseFile = CaseFile::open(casePath, CaseFile::Mode::ReadOnly);
    return caseFile ? (*caseFile)->eventCount() : -1;
}

void tst_ImportController::importsQueuedFiles()
{
    ImportController controller;
    controller.setCasePath(newCase(QStringLiteral("queued.portent")));
    QSignalSpy finished(&controller, &ImportController::importFinished);
    QSignalSpy queueDone(&controller, &ImportController::queueFinished);
    controller.importFiles(
        {fixture(QStringLiteral("beacons.csv")), fixture(QStringLiteral("more.csv"))});
    QTRY_COMPARE_WITH_TIMEOUT(queueDone.count(), 1, 30000);
    QCOMPARE(finished.count(), 2);
    QCOMPARE(queueDone.first().first().toBool(), true);
    const auto first = finished.at(0).first().value<ImportReport>();
    QVERIFY2(first.error.isEmpty(), qPrintable(first.error));
    // 15 data rows, one with the timestamp "not-a-time".
    QCOMPARE(first.rowsAccepted + first.rowsRejected, 15);
    const auto second = finished.at(1).first().value<ImportReport>();
    QCOMPARE(second.rowsAccepted, 1);
    QCOMPARE(eventCount(controller.casePath()), first.rowsAccepted + 1);
}

void tst_ImportController::localTimeAsksForOffsetThenImports()
{
    ImportController controller;
    controller.setCasePath(newCase(QStringLiteral("local.portent")));
    QSignalSpy offset(&controller, &ImportController::offsetRequired);
    QSignalSpy finished(&controller, &ImportController::importFinished);
    QSignalSpy queueDone(&controller, &ImportController::queueFinished);
    const QString path = fixture(QStringLiteral("localtime.csv"));
    controller.importFiles({path});
    QTRY_COMPARE_WITH_TIMEOUT(queueDone.count(), 1, 30000);
    QCOMPARE(offset.count(), 1);
    QCOMPARE(offset.first().first().toString(), path);
    QCOMPARE(queueDone.first().first().toBool(), false);
    QCOMPARE(eventCount(controller.casePath()), 0);

    // What the window does after the user picks UTC+02:00 in the offset dialog.
    controller.importWithOffset(path, 120);
    QTRY_COMPARE_WITH_TIMEOUT(queueDone.count(), 2, 30000);
    QCOMPARE(offset.count(), 1);
    const auto report = finished.last().first().value<ImportReport>();
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.rowsAccepted, 1);
    QVERIFY2(report.timeZoneNote.contains(QStringLiteral("+02:00")),
             qPrintable(report.timeZoneNote));
    QCOMPARE(eventCount(controller.casePath()), 1);
}

// The window answers offsetRequired from a dialog while other dropped files wait: the answer
// must join the queue, never start a second import beside the running one.
void tst_ImportController::offsetAnsweredAtOnceJoinsTheQueue()
{
    ImportController controller;
    controller.setCasePath(newCase(QStringLiteral("local-queue.portent")));
    connect(&controller,
            &ImportController::offsetRequired,
            &controller,
            [&controller](const QString &path) { controller.importWithOffset(path, 120); });
    QSignalSpy finished(&controller, &ImportController::importFinished);
    QSignalSpy queueDone(&controller, &ImportController::queueFinished);
    controller.importFiles(
        {fixture(QStringLiteral("localtime.csv")), fixture(QStringLiteral("more.csv"))});
    QTRY_COMPARE_WITH_TIMEOUT(queueDone.count(), 1, 30000);
    QCOMPARE(finished.count(), 3);
    QCOMPARE(queueDone.first().first().toBool(), true);
    QVERIFY(!finished.at(0).first().value<ImportReport>().error.isEmpty());
    QVERIFY(finished.at(1).first().value<ImportReport>().error.isEmpty());
    QVERIFY(finished.at(2).first().value<ImportReport>().error.isEmpty());
    // more.csv and the local-time file each add one event.
    QCOMPARE(eventCount(controller.casePath()), 2);
}

void tst_ImportController::cancelLeavesCaseUnchanged()
{
    // A 200,000-row export: far more than can be read before cancel() runs.
    GeneratorOptions options;
    options.rows = 200'000;
    const QString big = m_dir.filePath(QStringLiteral("big.csv"));
    const auto written = Generator::writeFiles(big, QString(), options);
    QVERIFY2(written, qPrintable(written.errorMessage()));

    ImportController controller;
    controller.setCasePath(newCase(QStringLiteral("cancel.portent")));
    controller.importFiles({fixture(QStringLiteral("more.csv"))});
    QSignalSpy queueDone(&controller, &ImportController::queueFinished);
    QTRY_COMPARE_WITH_TIMEOUT(queueDone.count(), 1, 30000);
    QCOMPARE(eventCount(controller.casePath()), 1);

    QSignalSpy finished(&controller, &ImportController::importFinished);
    controller.importFiles({big});
    QVERIFY(controller.isBusy());
    controller.cancel();
    QTRY_COMPARE_WITH_TIMEOUT(queueDone.count(), 2, 60000);
    QCOMPARE(finished.count(), 1);
    const auto report = finished.first().first().value<ImportReport>();
    QVERIFY(report.cancelled);
    QVERIFY(report.error.contains(QStringLiteral("cancelled")));
    QCOMPARE(queueDone.last().first().toBool(), false);
    QCOMPARE(eventCount(controller.casePath()), 1);
}

void tst_ImportController::newerDetectionRunWins()
{
    const QString casePath = newCase(QStringLiteral("detect.portent"));
    ImportReport report = Importer::importNow(casePath, fixture(QStringLiteral("beacons.csv")));
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));

    DetectionController controller;
    controller.setCasePath(casePath);
    QSignalSpy ready(&controller, &DetectionController::resultReady);
    controller.run();
    DetectionRule allTime = DetectionRule::defaults();
    allTime.window.kind = TimeWindow::Kind::AllTime;
    controller.setRule(allTime);
    controller.run(); // cancels the first run
    QCOMPARE(controller.generation(), quint64(2));
    // The result arrives queued, after the run has finished: wait for the signal itself.
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(!controller.isRunning(), 30000);
    // Both runs have finished, so anything they posted is queued by now: deliver it and count.
    QCoreApplication::sendPostedEvents();
    QCOMPARE(ready.count(), 1); // the cancelled first run reported nothing
    const auto result = ready.first().first().value<DetectionResult>();
    QCOMPARE(result.generation, quint64(2));
    // All time: the seven beacons in the last day plus the one on 2024-03-11.
    QCOMPARE(result.matches.size(), 8);
}

QTEST_MAIN(tst_ImportController)
#include "tst_importcontroller.moc"
