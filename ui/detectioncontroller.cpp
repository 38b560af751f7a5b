// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "detectioncontroller.h"

#include "core/logging.h"

namespace Portent {

DetectionController::DetectionController(QObject *parent)
    : QObject(parent)
{}

DetectionController::~DetectionController()
{
    cancel();
    for (QFutureWatcher<DetectionResult> *watcher : std::as_const(m_retired)) {
        watcher->disconnect(this);
        watcher->waitForFinished();
    }
}

void DetectionController::setCasePath(const QString &path)
{
    cancel();
    m_casePath = path;
}

void DetectionController::setRule(const DetectionRule &rule)
{
    m_rule = rule;
}

bool DetectionController::isRunning() const
{
    return m_current && m_current->isRunning();
}

void DetectionController::run()
{
    if (m_casePath.isEmpty()) {
        return;
    }
    cancel();
    ++m_generation;
    auto *watcher = new QFutureWatcher<DetectionResult>(this);
    connect(watcher,
            &QFutureWatcherBase::progressValueChanged,
            this,
            &DetectionController::progressChanged);
    connect(
        watcher, &QFutureWatcherBase::finished, this, [this, watcher] { handleFinished(watcher); });
    m_current = watcher;
    watcher->setFuture(DetectionEngine::start(m_casePath, m_rule, m_generation));
    qCInfo(lcUi) << "detection run" << m_generation << "started on" << m_casePath;
    emit runStarted(m_generation);
}

void DetectionController::cancel()
{
    if (m_current) {
        QFutureWatcher<DetectionResult> *watcher = m_current;
        m_current = nullptr;
        retire(watcher);
    }
}

void DetectionController::retire(QFutureWatcher<DetectionResult> *watcher)
{
    watcher->disconnect(this);
    if (watcher->isFinished()) {
        watcher->deleteLater();
        return;
    }
    watcher->cancel();
    m_retired.append(watcher);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        m_retired.removeOne(watcher);
        watcher->deleteLater();
    });
}

void DetectionController::handleFinished(QFutureWatcher<DetectionResult> *watcher)
{
    if (watcher != m_current) {
        return;
    }
    m_current = nullptr;
    watcher->deleteLater();
    const QFuture<DetectionResult> future = watcher->future();
    if (future.isCanceled() || future.resultCount() == 0) {
        return;
    }
    const DetectionResult result = future.result();
    if (result.generation != m_generation) {
        qCDebug(lcUi) << "dropping stale detection result" << result.generation;
        return;
    }
    if (!result.error.isEmpty()) {
        emit runFailed(result.error);
        return;
    }
    qCInfo(lcUi) << "detection run" << result.generation << "found" << result.matches.size()
                 << "matches in" << result.elapsedMs << "ms";
    emit resultReady(result);
}

} // namespace Portent
