// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"

namespace SQLite {
class Database;
}

namespace Portent {

// The case file's schema version this build writes. Older files are migrated on open.
constexpr int CurrentSchemaVersion = 1;

// Brings a case from its recorded version (PRAGMA user_version) to CurrentSchemaVersion, one
// migration step at a time, each in its own transaction. A newer file than this build knows is
// refused rather than touched.
Status migrateSchema(SQLite::Database &db, const QString &path);

} // namespace Portent
