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
// batches through a bounded queue, which keeps memory flat whatever the file's size. Written
// batches come back to be filled again, and add() swaps the caller's record with a used one, so
// the text buffers circulate between the two threads instead of being allocated for each row
// on one thread and freed on the other (which also made the two fight over malloc's locks). The
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

    // Takes the record; `record` is left holding an earlier record (with its buffers) for the
    // caller to clear and fill again. False once a write has failed: stop reading, see finish().
    bool add(EventRecord &record);
    // Writes everything still queued, waits for the thread and returns the first write error.
    Status finish();

private:
    using Batch = std::vector<EventRecord>;

    void run();
    void hand(Batch batch);
    std::optional<Batch> take();
    void giveBack(Batch batch);
    void stop(bool discard);

    EventWriter &m_writer;
    Batch m_filling;          // the parsing thread's batch, not yet handed over
    std::size_t m_filled = 0; // records of m_filling in use; the rest are spares
    QMutex m_mutex;
    QWaitCondition m_changed;
    std::deque<Batch> m_queue;    // guarded by m_mutex
    std::vector<Batch> m_written; // written batches to fill again; guarded by m_mutex
    bool m_closed = false;        // guarded by m_mutex
    std::optional<Error> m_error; // guarded by m_mutex
    std::atomic<bool> m_failed = false;
    std::thread m_thread;
};

} // namespace Portent
