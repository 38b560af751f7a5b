// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

namespace Portent {

// CPU time the calling thread has used so far, in milliseconds (POSIX; 0 where the clock is
// missing). The import's threads log theirs (category portent.import, info) so that the one that
// bounds the import can be seen.
qint64 threadCpuMs();

// Names the calling thread for debuggers and top (Linux keeps the first 15 characters).
void nameCurrentThread(const char *name);

} // namespace Portent
