// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QEventLoop>
#include <QFuture>
#include <QFutureWatcher>
#include <QString>
#include <QTimer>

#include <functional>

namespace PortentCli {

// Text for people on stderr, data on stdout; both UTF-8, nothing buffered across a crash.
void printOut(const QString &text);
void printErr(const QString &text);
bool stdoutIsTerminal();
bool stderrIsTerminal();

// Ctrl+C and SIGTERM set a flag that running jobs poll; a second Ctrl+C kills the process the
// usual way, in case a job does not stop.
void installInterruptHandler();
bool interruptRequested();

using ProgressCallback = std::function<void(int value, int maximum, const QString &text)>;

// Runs a core job's future to completion on this thread's only event loop (the CLI never calls
// QCoreApplication::exec()), forwarding progress and cancelling the job on interrupt.
// `cancel` replaces future.cancel() for jobs that take their own stop request (imports).
template<typename T>
T waitFor(QFuture<T> future,
          const ProgressCallback &onProgress = {},
          const std::function<void()> &cancel = {})
{
    QEventLoop loop;
    QFutureWatcher<T> watcher;
    QObject::connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
    if (onProgress) {
        QObject::connect(&watcher,
                         &QFutureWatcherBase::progressTextChanged,
                         &loop,
                         [&watcher, &onProgress](const QString &text) {
                             onProgress(watcher.progressValue(), watcher.progressMaximum(), text);
                         });
    }
    QTimer interruptPoll;
    QObject::connect(&interruptPoll, &QTimer::timeout, &loop, [&future, &cancel] {
        if (!interruptRequested()) {
            return;
        }
        if (cancel) {
            cancel();
        } else {
            future.cancel();
        }
    });
    interruptPoll.start(100);
    watcher.setFuture(future);
    if (!future.isFinished()) {
        loop.exec();
    }
    future.waitForFinished();
    return future.isValid() && future.resultCount() > 0 ? future.result() : T{};
}

} // namespace PortentCli
