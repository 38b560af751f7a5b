// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "importcontroller.h"

#include "core/logging.h"
#include "views/importprogress.h"

#include <QFileInfo>

namespace Portent {

ImportController::ImportController(QObject *parent)
    : QObject(parent)
{
    connect(&m_watcher, &QFutureWatcherBase::finished, this, &ImportController::handleFinished);
    connect(&m_watcher,
            &QFutureWatcherBase::progressValueChanged,
            this,
            &ImportController::handleProgress);
    connect(&m_watcher,
            &QFutureWatcherBase::progressTextChanged,
            this,
            &ImportController::handleProgress);
}

ImportController::~ImportController()
{
    // Shutdown: cancel, then wait, so no worker writes to a case after the window is gone.
    m_queue.clear();
    m_watcher.disconnect(this);
    requestCancel();
    m_watcher.waitForFinished();
}

void ImportController::setCasePath(const QString &path)
{
    cancel();
    m_casePath = path;
}

void ImportController::importFiles(const QStringList &paths)
{
    for (const QString &path : paths) {
        enqueue({path, {}});
    }
}

void ImportController::importWithOffset(const QString &path, int offsetMinutes)
{
    ImportOptions options;
    options.utcOffsetMinutes = offsetMinutes;
    enqueue({path, options});
}

void ImportController::enqueue(const Job &job)
{
    if (m_casePath.isEmpty()) {
        qCWarning(lcUi) << "import of" << job.path << "ignored: no case is open";
        return;
    }
    m_queue.enqueue(job);
    if (!isBusy()) {
        m_anyAccepted = false;
        startNext();
    }
}

void ImportController::cancel()
{
    m_queue.clear();
    if (isBusy()) {
        qCInfo(lcUi) << "cancelling import of" << m_current.path;
        requestCancel();
    }
}

// The job's own flag rather than QFuture::cancel(), so that its report always arrives: one that
// had begun committing when Cancel was pressed reports a finished import.
void ImportController::requestCancel()
{
    if (m_current.options.cancel) {
        m_current.options.cancel->store(true);
    }
}

// Busy from the start of a job until its finished signal has been handled: the future stops
// running before that, and a file queued in between must wait for the report, not replace it.
bool ImportController::isBusy() const
{
    return m_jobInFlight;
}

void ImportController::startNext()
{
    if (m_queue.isEmpty()) {
        emit queueFinished(m_anyAccepted);
        return;
    }
    m_current = m_queue.dequeue();
    m_jobInFlight = true;
    m_current.options.cancel = std::make_shared<std::atomic<bool>>(false);
    m_bytesTotal = QFileInfo(m_current.path).size();
    m_clock.start();
    emit importStarted(m_current.path, m_bytesTotal, int(m_queue.size()));
    m_watcher.setFuture(Importer::start(m_casePath, m_current.path, m_current.options));
}

void ImportController::handleProgress()
{
    const qint64 rows = rowsFromProgressText(m_watcher.progressText()).value_or(0);
    emit progressChanged(m_watcher.progressValue(), m_bytesTotal, rows, m_clock.elapsed());
}

void ImportController::handleFinished()
{
    const QFuture<ImportReport> future = m_watcher.future();
    ImportReport report;
    if (future.resultCount() > 0) {
        report = future.result();
    } else {
        report.filePath = m_current.path;
        report.error
            = tr("Import of \"%1\" was cancelled; the case is unchanged.").arg(m_current.path);
    }
    if (report.filePath.isEmpty()) {
        report.filePath = m_current.path;
    }
    m_anyAccepted |= report.error.isEmpty() && report.rowsAccepted > 0;
    const bool needsOffset = report.needsUtcOffset && !m_current.options.utcOffsetMinutes;
    const QString path = m_current.path;
    // Still busy while listeners hear of it: a file they queue waits for startNext() below.
    emit importFinished(report);
    m_jobInFlight = false;
    // The next file starts before anyone is asked about this one's offset, so an answer
    // (queued with importWithOffset) joins the queue instead of starting a second import.
    startNext();
    if (needsOffset) {
        emit offsetRequired(path, report.error);
    }
}

} // namespace Portent
