// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "detect/engine.h"

#include <QFutureWatcher>
#include <QList>
#include <QObject>
#include <QPointer>

namespace Portent {

// Runs detection on a worker thread. Every run gets a generation number; a newer run cancels the
// older one and a result is only delivered if it belongs to the newest generation, so results
// of two runs never mix.
class DetectionController : public QObject
{
    Q_OBJECT

public:
    explicit DetectionController(QObject *parent = nullptr);
    ~DetectionController() override;

    void setCasePath(const QString &path);
    void setRule(const DetectionRule &rule);
    const DetectionRule &rule() const { return m_rule; }
    quint64 generation() const { return m_generation; }
    bool isRunning() const;

    // Starts a run with the current case and rule, cancelling any older run.
    void run();
    void cancel();

signals:
    void runStarted(quint64 generation);
    void progressChanged(int percent);
    void resultReady(const Portent::DetectionResult &result);
    void runFailed(const QString &error);

private:
    void handleFinished(QFutureWatcher<DetectionResult> *watcher);
    void retire(QFutureWatcher<DetectionResult> *watcher);

    QString m_casePath;
    DetectionRule m_rule = DetectionRule::defaults();
    quint64 m_generation = 0;
    QPointer<QFutureWatcher<DetectionResult>> m_current;
    QList<QFutureWatcher<DetectionResult> *> m_retired; // cancelled, still winding down
};

} // namespace Portent
