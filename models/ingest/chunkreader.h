// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"

#include <QByteArray>
#include <QMutex>
#include <QWaitCondition>

#include <deque>
#include <optional>
#include <thread>

class QIODevice;

namespace Portent {

class Sha256;

// Reads a device to its end on a thread of its own, a chunk ahead of the parser, and adds every
// chunk to the source's hash on the way. The read system calls and SHA-256 were a tenth of a
// large import's parsing thread, its bottleneck; here they run beside it. At most a few chunks
// wait in the queue, so memory stays flat. Nobody else may use the device or the hash until the
// reader is destroyed. A read that blocks (a pipe, a stalled network mount) also holds up the
// destructor, and so a cancel, until it returns.
class ChunkReader
{
public:
    // `chunkBytes` must be positive.
    ChunkReader(QIODevice &device, qsizetype chunkBytes, Sha256 &hash);
    // Stops reading (whatever is left unread) and waits for the thread.
    ~ChunkReader();
    ChunkReader(const ChunkReader &) = delete;
    ChunkReader &operator=(const ChunkReader &) = delete;

    // The next chunk in file order; an empty one at the end of the device. The error is the
    // device's, when a read failed.
    Expected<QByteArray> next();

private:
    void run();
    bool waitForRoom();

    QIODevice &m_device;
    const qsizetype m_chunkBytes;
    Sha256 &m_hash;
    QMutex m_mutex;
    QWaitCondition m_changed;
    std::deque<QByteArray> m_chunks; // guarded by m_mutex, as are the three below
    bool m_atEnd = false;
    bool m_stopping = false;
    std::optional<QString> m_error;
    std::thread m_thread;
};

} // namespace Portent
