// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Portent {

// Text buffers reused row after row by the importer, so that filling a record allocates nothing
// once the buffers have grown to the file's field sizes.

// Empties `bytes`, keeping its buffer when it is not shared.
void clearKeepingCapacity(QByteArray &bytes);
// Sets `bytes` to `text`, reusing its buffer when it is large enough and not shared.
void assignKeepingCapacity(QByteArray &bytes, QByteArrayView text);

} // namespace Portent
