// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

#include <cstddef>

namespace Portent {

// UTF-8 text as a QHash key, hashed with xxHash's XXH3. The importer hashes every string of
// every row (and a kilobyte of extra columns per row) to store repeats once; Qt's own qHash for
// QByteArray ran at about 1 GB/s there, a second per million events, where XXH3 takes a few
// hundredths of that.
struct ByteKey
{
    QByteArray bytes;

    friend bool operator==(const ByteKey &a, const ByteKey &b) { return a.bytes == b.bytes; }
};

size_t qHash(const ByteKey &key, size_t seed = 0) noexcept;

} // namespace Portent
