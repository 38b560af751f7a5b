// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "ingest/batchwriter.h"

#include "core/logging.h"
#include "core/threads.h"
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
    , m_filling(BatchSize)
{
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
    std::swap(m_filling[m_filled], record);
    if (++m_filled < BatchSize) {
        return true;
    }
    hand(std::exchange(m_filling, {}));
    m_filled = 0;
    {
        QMutexLocker locker(&m_mutex);
        if (!m_written.empty()) {
            m_filling = std::move(m_written.back());
            m_written.pop_back();
        }
    }
    m_filling.resize(BatchSize);
    return true;
}

Status BatchWriter::finish()
{
    if (m_filled > 0) {
        m_filling.resize(m_filled);
        hand(std::exchange(m_filling, {}));
        m_filled = 0;
    }
    stop(false);
    QMutexLocker locker(&m_mutex);
    if (m_error) {
        return *m_error;
    }
    return ok();
}

void BatchWriter::hand(Batch batch)
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

std::optional<BatchWriter::Batch> BatchWriter::take()
{
    QMutexLocker locker(&m_mutex);
    while (m_queue.empty() && !m_closed) {
        m_changed.wait(&m_mutex);
    }
    if (m_queue.empty()) {
        return std::nullopt;
    }
    Batch batch = std::move(m_queue.front());
    m_queue.pop_front();
    m_changed.wakeAll();
    return batch;
}

void BatchWriter::giveBack(Batch batch)
{
    QMutexLocker locker(&m_mutex);
    // More than can be in flight at once would only hold memory.
    if (m_written.size() < MaxQueuedBatches) {
        m_written.push_back(std::move(batch));
    }
}

void BatchWriter::run()
{
    nameCurrentThread("portent-write");
    while (std::optional<Batch> batch = take()) {
        if (const Status added = m_writer.add(*batch); !added) {
            QMutexLocker locker(&m_mutex);
            m_error = added.error();
            m_queue.clear();
            m_failed = true;
            m_changed.wakeAll();
            return;
        }
        giveBack(std::move(*batch));
    }
    qCInfo(lcImport) << "writing thread:" << threadCpuMs() << "ms CPU";
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
