// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "ingest/importer.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QObject>
#include <QQueue>

namespace Portent {

// Runs imports one file at a time on a worker thread (one writer per case file) and reports
// progress. The GUI thread only queues paths and receives reports. Cancel and failure leave the
// case unchanged; the importer guarantees that with one transaction per file.
class ImportController : public QObject
{
    Q_OBJECT

public:
    explicit ImportController(QObject *parent = nullptr);
    ~ImportController() override;

    void setCasePath(const QString &path);
    QString casePath() const { return m_casePath; }

    // Queues files for import into the current case. The import dialog, drops and tests all
    // come through here.
    void importFiles(const QStringList &paths);
    // Queues one file again with a UTC offset, after offsetRequired().
    void importWithOffset(const QString &path, int offsetMinutes);
    // Stops the running import and drops the queue.
    void cancel();
    bool isBusy() const;

signals:
    void importStarted(const QString &path, qint64 bytesTotal, int queued);
    void progressChanged(qint64 bytesDone, qint64 bytesTotal, qint64 rows, qint64 elapsedMs);
    void importFinished(const Portent::ImportReport &report);
    // A local-time export: the user must say which UTC offset its times are in.
    void offsetRequired(const QString &path, const QString &error);
    // The queue ran empty; anyAccepted tells whether the case changed.
    void queueFinished(bool anyAccepted);

private:
    struct Job
    {
        QString path;
        ImportOptions options;
    };

    void enqueue(const Job &job);
    void startNext();
    void requestCancel();
    void handleFinished();
    void handleProgress();

    QString m_casePath;
    QQueue<Job> m_queue;
    Job m_current;
    qint64 m_bytesTotal = 0;
    bool m_anyAccepted = false;
    bool m_jobInFlight = false;
    QElapsedTimer m_clock;
    QFutureWatcher<ImportReport> m_watcher;
};

} // namespace Portent
