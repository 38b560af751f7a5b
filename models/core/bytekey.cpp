// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "core/bytekey.h"

#include <xxhash.h>

namespace Portent {

size_t qHash(const ByteKey &key, size_t seed) noexcept
{
    return size_t(XXH3_64bits_withSeed(key.view().data(), size_t(key.view().size()), seed));
}

} // namespace Portent
