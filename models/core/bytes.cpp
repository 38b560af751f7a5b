// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "core/bytes.h"

namespace Portent {

void clearKeepingCapacity(QByteArray &bytes)
{
    if (bytes.isDetached()) {
        bytes.resize(0);
    } else {
        bytes = QByteArray(); // shared with someone else: let go of it rather than copy it
    }
}

} // namespace Portent
