// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

namespace Portent {

// Empties `bytes`, keeping its buffer when it is not shared: a buffer the importer reuses row
// after row (EventRecord::textStorage) then allocates nothing once it has grown to a row's size.
void clearKeepingCapacity(QByteArray &bytes);

} // namespace Portent
