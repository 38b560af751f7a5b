// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent>

#include <type_traits>

namespace Portent {

// Runs work on the global thread pool and hands its result to done on context's thread. done
// always arrives through the event loop, never inside this call: QFuture::then(context, ...)
// may call its continuation at once when the work already finished, which would re-enter the
// caller half-way (for a model, in the middle of a reset). Destroying context drops done.
template<typename Work, typename Done> void runInBackground(QObject *context, Work work, Done done)
{
    using Result = std::invoke_result_t<Work>;
    auto *watcher = new QFutureWatcher<Result>(context);
    QObject::connect(
        watcher, &QFutureWatcherBase::finished, context, [watcher, done = std::move(done)] {
            done(watcher->result());
            watcher->deleteLater();
        });
    watcher->setFuture(QtConcurrent::run(std::move(work)));
}

} // namespace Portent
