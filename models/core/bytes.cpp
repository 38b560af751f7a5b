// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "core/bytes.h"

#include <cstring>

namespace Portent {

void clearKeepingCapacity(QByteArray &bytes)
{
    if (bytes.isDetached()) {
        bytes.resize(0);
    } else {
        bytes = QByteArray(); // shared with someone else: let go of it rather than copy it
    }
}

void assignKeepingCapacity(QByteArray &bytes, QByteArrayView text)
{
    if (text.isEmpty()) {
        clearKeepingCapacity(bytes);
        return;
    }
    if (!bytes.isDetached() || bytes.capacity() < text.size()) {
        bytes = text.toByteArray();
        return;
    }
    bytes.resize(text.size());
    std::memcpy(bytes.data(), text.data(), std::size_t(text.size()));
}

} // namespace Portent
