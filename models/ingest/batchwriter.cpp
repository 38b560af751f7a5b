// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "ingest/batchwriter.h"

#include "store/eventwriter.h"

namespace Portent {

namespace {

// 512 records are about 1 MB; eight queued batches bound the hand-over to a few MB while keeping
// the lock out of the per-record path.
constexpr std::size_t BatchSize = 512;
constexpr std::size_t MaxQueuedBatches = 8;

} // namespace

BatchWriter::BatchWriter(EventWriter &writer)
    : m_writer(writer)
{
    m_filling.reserve(BatchSize);
    m_thread = std::thread([this] { run(); });
}

BatchWriter::~BatchWriter()
{
    stop(true);
}

bool BatchWriter::add(EventRecord &record)
{
    if (m_failed.load(std::memory_order_relaxed)) {
        return false;
    }
    m_filling.push_back(std::move(record));
    if (m_filling.size() >= BatchSize) {
        hand(std::exchange(m_filling, {}));
        m_filling.reserve(BatchSize);
    }
    return true;
}

Status BatchWriter::finish()
{
    if (!m_filling.empty()) {
        hand(std::exchange(m_filling, {}));
    }
    stop(false);
    QMutexLocker locker(&m_mutex);
    if (m_error) {
        return *m_error;
    }
    return ok();
}

void BatchWriter::hand(std::vector<EventRecord> batch)
{
    QMutexLocker locker(&m_mutex);
    while (m_queue.size() >= MaxQueuedBatches && !m_error) {
        m_changed.wait(&m_mutex);
    }
    if (!m_error) {
        m_queue.push_back(std::move(batch));
        m_changed.wakeAll();
    }
}

std::optional<std::vector<EventRecord>> BatchWriter::take()
{
    QMutexLocker locker(&m_mutex);
    while (m_queue.empty() && !m_closed) {
        m_changed.wait(&m_mutex);
    }
    if (m_queue.empty()) {
        return std::nullopt;
    }
    std::vector<EventRecord> batch = std::move(m_queue.front());
    m_queue.pop_front();
    m_changed.wakeAll();
    return batch;
}

void BatchWriter::run()
{
    while (std::optional<std::vector<EventRecord>> batch = take()) {
        for (const EventRecord &record : *batch) {
            if (const Status added = m_writer.add(record); !added) {
                QMutexLocker locker(&m_mutex);
                m_error = added.error();
                m_queue.clear();
                m_failed = true;
                m_changed.wakeAll();
                return;
            }
        }
    }
}

void BatchWriter::stop(bool discard)
{
    {
        QMutexLocker locker(&m_mutex);
        if (discard) {
            m_queue.clear();
        }
        m_closed = true;
        m_changed.wakeAll();
    }
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

} // namespace Portent
