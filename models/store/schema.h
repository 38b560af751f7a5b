// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"

namespace SQLite {
class Database;
}

namespace Portent {

// The case file's schema version this build writes. Older files are migrated on open.
constexpr int CurrentSchemaVersion = 4;

// endpoints_port, the index detection reads, holds only the endpoints at or above this port:
// below it are the well-known services (443, 80, 53...), most of any export, which a calculated
// port reaches only for tiny octets. Indexing them would triple the index's build time at the
// end of a large import. A rule whose range starts lower reads the endpoints table instead.
constexpr int IndexedPortsFrom = 1024;

// Refuses versions this build cannot read at all: newer ones, and the retired development
// schema 1. Older readable versions pass (migrateSchema brings them up to date).
Status checkSchemaReadable(int version, const QString &path);

// Brings a case from its recorded version (PRAGMA user_version) to CurrentSchemaVersion, one
// migration step at a time, each in its own transaction. A newer file than this build knows is
// refused rather than touched.
Status migrateSchema(SQLite::Database &db, const QString &path);

} // namespace Portent
