// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

namespace Portent {

// CPU time the calling thread has used so far, in milliseconds. The import's threads log theirs
// (category portent.import, info) so that the one that bounds the import can be seen.
qint64 threadCpuMs();

} // namespace Portent
