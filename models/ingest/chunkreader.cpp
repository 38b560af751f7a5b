// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "ingest/chunkreader.h"

#include "core/logging.h"
#include "core/threads.h"
#include "ingest/sha256.h"

#include <QIODevice>

namespace Portent {

namespace {

// Enough to keep the parser fed across a slow read, little enough to keep memory flat.
constexpr std::size_t MaxQueuedChunks = 4;

} // namespace

ChunkReader::ChunkReader(QIODevice &device, qsizetype chunkBytes, Sha256 &hash)
    : m_device(device)
    , m_chunkBytes(chunkBytes)
    , m_hash(hash)
{
    m_thread = std::thread([this] { run(); });
}

ChunkReader::~ChunkReader()
{
    {
        QMutexLocker locker(&m_mutex);
        m_stopping = true;
        m_changed.wakeAll();
    }
    m_thread.join();
}

Expected<QByteArray> ChunkReader::next()
{
    QMutexLocker locker(&m_mutex);
    while (m_chunks.empty() && !m_atEnd && !m_error) {
        m_changed.wait(&m_mutex);
    }
    if (!m_chunks.empty()) {
        QByteArray chunk = std::move(m_chunks.front());
        m_chunks.pop_front();
        m_changed.wakeAll();
        return chunk;
    }
    if (m_error) {
        return Error{*m_error};
    }
    return QByteArray();
}

// False when the reader is to stop.
bool ChunkReader::waitForRoom()
{
    QMutexLocker locker(&m_mutex);
    while (m_chunks.size() >= MaxQueuedChunks && !m_stopping) {
        m_changed.wait(&m_mutex);
    }
    return !m_stopping;
}

void ChunkReader::run()
{
    nameCurrentThread("portent-read");
    while (waitForRoom()) {
        QByteArray chunk(m_chunkBytes, Qt::Uninitialized);
        const qint64 read = m_device.read(chunk.data(), m_chunkBytes);
        QMutexLocker locker(&m_mutex);
        if (read < 0) {
            m_error = m_device.errorString();
        } else if (read == 0) {
            m_atEnd = true;
        } else {
            chunk.truncate(read);
            locker.unlock();
            m_hash.addData(chunk);
            locker.relock();
            m_chunks.push_back(std::move(chunk));
        }
        m_changed.wakeAll();
        if (read <= 0) {
            break;
        }
    }
    qCInfo(lcImport) << "reading thread:" << threadCpuMs() << "ms CPU";
}

} // namespace Portent
