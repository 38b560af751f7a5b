// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "core/eventrecord.h"
#include "core/expected.h"

#include <QMutex>
#include <QWaitCondition>

#include <atomic>
#include <deque>
#include <optional>
#include <thread>
#include <vector>

namespace Portent {

class EventWriter;

// Stores records through an EventWriter on a thread of its own, so that parsing the next rows and
// storing the previous ones overlap: each takes about half of an import's time. Records cross in
// batches through a bounded queue, which keeps memory flat whatever the file's size. The
// EventWriter (and its case's connection) must not be used by anyone else until finish() or the
// destructor has returned.
class BatchWriter
{
public:
    explicit BatchWriter(EventWriter &writer);
    // Stops the thread without writing what is still queued; the caller rolls back.
    ~BatchWriter();
    BatchWriter(const BatchWriter &) = delete;
    BatchWriter &operator=(const BatchWriter &) = delete;

    // Takes the record (moved from). False once a write has failed: stop reading, see finish().
    bool add(EventRecord &record);
    // Writes everything still queued, waits for the thread and returns the first write error.
    Status finish();

private:
    void run();
    void hand(std::vector<EventRecord> batch);
    std::optional<std::vector<EventRecord>> take();
    void stop(bool discard);

    EventWriter &m_writer;
    std::vector<EventRecord> m_filling; // the parsing thread's batch, not yet handed over
    QMutex m_mutex;
    QWaitCondition m_changed;
    std::deque<std::vector<EventRecord>> m_queue; // guarded by m_mutex
    bool m_closed = false;                        // guarded by m_mutex
    std::optional<Error> m_error;                 // guarded by m_mutex
    std::atomic<bool> m_failed = false;
    std::thread m_thread;
};

} // namespace Portent
