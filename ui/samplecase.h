// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"

#include <QString>

namespace Portent {

// The bundled sample case: next to the build's executables (../sample/sample.portent) or in the
// installed share directory (share/portent/sample.portent). Empty when neither exists.
QString findBundledSampleCase();

// A writable copy of the sample in the user's application data directory, made on first use so
// the bundled file is never modified. An existing copy is reused, since it may hold the user's
// work, until a new build brings a new sample: then it is renamed to sample.portent.old.
Expected<QString> prepareSampleCase();

} // namespace Portent
