// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "store/schema.h"

#include "core/logging.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <SQLiteCpp/SQLiteCpp.h>

namespace Portent {

namespace {

// Version 2. Text that repeats (device names, process paths, action types) lives once in
// `strings`; addresses once in `addresses` with their octets parsed; each distinct remote
// (address, port) pair once in `endpoints`. Detection evaluates formulas over endpoints and only
// then visits the events of the few that match, so nothing is re-parsed and re-runs are cheap.
// The string columns of `events` carry no REFERENCES clause: the writer assigns those ids itself,
// and a foreign-key probe per column per row would roughly double import time.
// Addresses are unique by text and endpoints by (address, port), and EventWriter keeps them so:
// it holds every address and endpoint of the case in memory while there are at most about a
// million of each, so a miss there means "new" and no index on them is needed at all (building
// one cost a second at the end of a million-event import, and nothing else reads them that way).
// Past that bound the writer creates unique indexes (addresses_text, endpoints_address_port)
// once and looks misses up in them from then on. Schema 4 changed where remote addresses live
// (see SchemaV4).
constexpr const char *SchemaV2 = R"sql(
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    file_path TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    format TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    rows_accepted INTEGER NOT NULL DEFAULT 0,
    rows_rejected INTEGER NOT NULL DEFAULT 0,
    date_order TEXT NOT NULL DEFAULT 'n/a',
    utc_offset_minutes INTEGER NOT NULL DEFAULT 0,
    report TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX sources_sha256 ON sources(sha256);

CREATE TABLE strings (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL
);

CREATE TABLE addresses (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL,
    ipv4 INTEGER,          -- strict parse, IPv4-mapped IPv6 unwrapped; NULL otherwise
    o1 INTEGER, o2 INTEGER, o3 INTEGER, o4 INTEGER,
    ip_class TEXT,         -- Public, Private, Loopback... derived from ipv4
    kql_o1 INTEGER, kql_o2 INTEGER, kql_o3 INTEGER, kql_o4 INTEGER -- toint(split(text, ".")[i])
);

CREATE TABLE endpoints (
    id INTEGER PRIMARY KEY,
    address_id INTEGER NOT NULL REFERENCES addresses(id),
    port INTEGER,
    event_count INTEGER NOT NULL DEFAULT 0,
    -- Copies of the address's octets and class, so that detection reads the endpoints in a port
    -- range from endpoints_port alone instead of visiting a random address row for each.
    o1 INTEGER, o2 INTEGER, o3 INTEGER, o4 INTEGER,
    ip_class TEXT,
    kql_o1 INTEGER, kql_o2 INTEGER, kql_o3 INTEGER, kql_o4 INTEGER
);
-- Covers everything the formulas read: a rule's port range is one contiguous index range.
-- Partial: from IndexedPortsFrom (schema.h) up.
CREATE INDEX endpoints_port ON endpoints(port, kql_o1, kql_o2, kql_o3, kql_o4, o1, o2, o3, o4,
                                         ip_class, address_id) WHERE port >= 1024;

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    line INTEGER NOT NULL,
    time INTEGER,          -- 100 ns ticks since 1970-01-01 UTC
    time_alt INTEGER,      -- the other day/month reading of an ambiguous slash date
    device INTEGER,
    action_type INTEGER,
    remote_endpoint INTEGER REFERENCES endpoints(id),
    remote_url INTEGER,
    local_address INTEGER REFERENCES addresses(id),
    local_port INTEGER,
    protocol INTEGER,
    local_ip_type INTEGER,
    remote_ip_type INTEGER,
    process_name INTEGER,
    process_folder INTEGER,
    process_command_line INTEGER,
    process_id INTEGER,
    account_name INTEGER,
    account_domain INTEGER,
    -- The ReportId itself, not a string id: it is unique per event on its device, so interning
    -- it would only add a strings row per event. No type, so no affinity: an integer stays an
    -- integer and any other text (even "0123") stays exactly as exported.
    report_id,
    -- The source columns Portent does not model, split in two JSON objects: `extra` (a string
    -- id) holds the columns whose values repeat from row to row, stored once per distinct text;
    -- `extra_row` those whose values vary per row (creation times, parent ids). Interning the
    -- whole object would store a near-unique text per row; event_view joins the two again.
    extra INTEGER,
    extra_row TEXT
);
CREATE INDEX events_remote_endpoint ON events(remote_endpoint);
CREATE INDEX events_time ON events(time);
CREATE INDEX events_source ON events(source_id);
)sql";

// Version 3. The events_time and events_source indexes cost a second at the end of every
// million-event import and answered two questions only, which the sources table now answers:
// the newest event time, and where a source's events are. An import writes its events in one
// transaction under consecutive ids, so first_event_id..last_event_id holds exactly them.
// Removing a source deletes its events by that id range (the cascade then scans the table).
constexpr const char *SchemaV3 = R"sql(
-- The values are filled in by one pass over the events (a second or so per million).
ALTER TABLE sources ADD COLUMN newest_time INTEGER;
ALTER TABLE sources ADD COLUMN first_event_id INTEGER;
ALTER TABLE sources ADD COLUMN last_event_id INTEGER;
CREATE TEMP TABLE source_ranges AS
    SELECT source_id, max(time) AS newest, min(id) AS first, max(id) AS last
    FROM events GROUP BY source_id;
UPDATE sources SET
    newest_time = (SELECT newest FROM source_ranges WHERE source_id = sources.id),
    first_event_id = (SELECT first FROM source_ranges WHERE source_id = sources.id),
    last_event_id = (SELECT last FROM source_ranges WHERE source_id = sources.id);
DROP TABLE temp.source_ranges;
DROP INDEX IF EXISTS events_time;
DROP INDEX IF EXISTS events_source;

-- The octet columns of addresses (o1..o4, kql_o1..kql_o4) are no longer written: the octets
-- live with the endpoints, where detection reads them, and the copy here was read by event_view
-- alone while taking a tenth of a large case. The columns stay, NULL in new rows, because
-- SQLite cannot drop the last of them from a schema 2 file (the comment after it breaks DROP
-- COLUMN). The view now reads the octets from the endpoint.
DROP VIEW IF EXISTS event_view;
-- Every event with its text resolved, for people using the sqlite3 shell on a case file.
CREATE VIEW event_view AS
SELECT e.id, e.source_id, e.line, e.time, e.time_alt,
       dev.text AS device_name, act.text AS action_type,
       ra.text AS remote_ip, ra.ipv4 AS remote_ipv4, ep.o1, ep.o2, ep.o3, ep.o4,
       ep.port AS remote_port, url.text AS remote_url,
       la.text AS local_ip, e.local_port, proto.text AS protocol,
       lit.text AS local_ip_type, rit.text AS remote_ip_type,
       pn.text AS process_name, pf.text AS process_folder, pc.text AS process_command_line,
       e.process_id, an.text AS account_name, ad.text AS account_domain,
       e.report_id,
       -- One JSON object: the shared members first, then the per-row ones.
       CASE WHEN e.extra_row IS NULL THEN ex.text
            WHEN ex.text IS NULL THEN e.extra_row
            ELSE substr(ex.text, 1, length(ex.text) - 1) || ',' || substr(e.extra_row, 2)
       END AS extra
FROM events e
LEFT JOIN strings dev ON dev.id = e.device
LEFT JOIN strings act ON act.id = e.action_type
LEFT JOIN endpoints ep ON ep.id = e.remote_endpoint
LEFT JOIN addresses ra ON ra.id = ep.address_id
LEFT JOIN strings url ON url.id = e.remote_url
LEFT JOIN addresses la ON la.id = e.local_address
LEFT JOIN strings proto ON proto.id = e.protocol
LEFT JOIN strings lit ON lit.id = e.local_ip_type
LEFT JOIN strings rit ON rit.id = e.remote_ip_type
LEFT JOIN strings pn ON pn.id = e.process_name
LEFT JOIN strings pf ON pf.id = e.process_folder
LEFT JOIN strings pc ON pc.id = e.process_command_line
LEFT JOIN strings an ON an.id = e.account_name
LEFT JOIN strings ad ON ad.id = e.account_domain
LEFT JOIN strings ex ON ex.id = e.extra;
)sql";

// Version 4. A remote address is stored with its endpoint instead of in `addresses`: in a large
// export nearly every remote address is new and seen with one port, so the separate address row
// cost a second insert per event for a dedup that rarely paid, and a join for every reader.
// `addresses` keeps the local addresses, which repeat (a device has a few). The endpoints table
// is rebuilt for it (SQLite cannot drop a NOT NULL column; see TableRebuildSettings); its ids
// stay, so every event keeps its endpoint.
// Past the writer's memory bound, endpoints_address_port is on (address, port). A unique index
// treats NULLs as distinct, so it does not keep port-less endpoints unique; the writer does,
// by looking them up (port IS ?) before it inserts one.
constexpr const char *SchemaV4 = R"sql(
DROP VIEW IF EXISTS event_view;
CREATE TABLE endpoints_v4 (
    id INTEGER PRIMARY KEY,
    address TEXT NOT NULL,  -- the remote address as exported
    ipv4 INTEGER,           -- strict parse, IPv4-mapped IPv6 unwrapped; NULL otherwise
    port INTEGER,
    event_count INTEGER NOT NULL DEFAULT 0,
    -- The address's strict octets and class, and KQL's toint(split(address, ".")[i]), so that
    -- detection reads the endpoints in a port range from endpoints_port alone.
    o1 INTEGER, o2 INTEGER, o3 INTEGER, o4 INTEGER,
    ip_class TEXT,
    kql_o1 INTEGER, kql_o2 INTEGER, kql_o3 INTEGER, kql_o4 INTEGER
);
INSERT INTO endpoints_v4 (id, address, ipv4, port, event_count, o1, o2, o3, o4, ip_class,
                          kql_o1, kql_o2, kql_o3, kql_o4)
    SELECT ep.id, a.text, a.ipv4, ep.port, ep.event_count, ep.o1, ep.o2, ep.o3, ep.o4,
           ep.ip_class, ep.kql_o1, ep.kql_o2, ep.kql_o3, ep.kql_o4
    FROM endpoints ep JOIN addresses a ON a.id = ep.address_id;
DROP TABLE endpoints;
ALTER TABLE endpoints_v4 RENAME TO endpoints;
-- Covers everything the formulas read: a rule's port range is one contiguous index range.
-- Partial: from IndexedPortsFrom (schema.h) up.
CREATE INDEX endpoints_port ON endpoints(port, kql_o1, kql_o2, kql_o3, kql_o4, o1, o2, o3, o4,
                                         ip_class) WHERE port >= 1024;
DELETE FROM addresses
WHERE id NOT IN (SELECT local_address FROM events WHERE local_address IS NOT NULL);

-- Every event with its text resolved, for people using the sqlite3 shell on a case file.
CREATE VIEW event_view AS
SELECT e.id, e.source_id, e.line, e.time, e.time_alt,
       dev.text AS device_name, act.text AS action_type,
       ep.address AS remote_ip, ep.ipv4 AS remote_ipv4, ep.o1, ep.o2, ep.o3, ep.o4,
       ep.port AS remote_port, url.text AS remote_url,
       la.text AS local_ip, e.local_port, proto.text AS protocol,
       lit.text AS local_ip_type, rit.text AS remote_ip_type,
       pn.text AS process_name, pf.text AS process_folder, pc.text AS process_command_line,
       e.process_id, an.text AS account_name, ad.text AS account_domain,
       e.report_id,
       -- One JSON object: the shared members first, then the per-row ones.
       CASE WHEN e.extra_row IS NULL THEN ex.text
            WHEN ex.text IS NULL THEN e.extra_row
            ELSE substr(ex.text, 1, length(ex.text) - 1) || ',' || substr(e.extra_row, 2)
       END AS extra
FROM events e
LEFT JOIN strings dev ON dev.id = e.device
LEFT JOIN strings act ON act.id = e.action_type
LEFT JOIN endpoints ep ON ep.id = e.remote_endpoint
LEFT JOIN strings url ON url.id = e.remote_url
LEFT JOIN addresses la ON la.id = e.local_address
LEFT JOIN strings proto ON proto.id = e.protocol
LEFT JOIN strings lit ON lit.id = e.local_ip_type
LEFT JOIN strings rit ON rit.id = e.remote_ip_type
LEFT JOIN strings pn ON pn.id = e.process_name
LEFT JOIN strings pf ON pf.id = e.process_folder
LEFT JOIN strings pc ON pc.id = e.process_command_line
LEFT JOIN strings an ON an.id = e.account_name
LEFT JOIN strings ad ON ad.id = e.account_domain
LEFT JOIN strings ex ON ex.id = e.extra;
)sql";

struct Migration
{
    int toVersion;
    const char *sql;
    // The step drops and re-creates a table that others reference (see TableRebuildSettings).
    bool rebuildsTables = false;
};

// Schema 1 was the development format before the first release: its files are refused (see
// migrateSchema) rather than migrated, since no release ever wrote them.
constexpr int RetiredVersion = 1;

constexpr Migration Migrations[] = {
    {2, SchemaV2},
    {3, SchemaV3},
    {4, SchemaV4, true},
};

// Prepares the connection for a step that rebuilds tables, around its transaction (both pragmas
// are no-ops inside one), and puts back what it found afterwards:
// - foreign keys off, since dropping a parent with them on deletes its rows first and fails on
//   every reference (SQLite checks the references before the step commits instead);
// - legacy_alter_table on, so that renaming the new table does not check the case's other views
//   and triggers: one a user made in the sqlite3 shell over the old table would stop the upgrade
//   ("no such table"), though it still works after it if it reads columns that remain.
class TableRebuildSettings
{
public:
    TableRebuildSettings(SQLite::Database &db, bool needed)
        : m_db(needed ? &db : nullptr)
    {
        if (!m_db) {
            return;
        }
        m_foreignKeys = m_db->execAndGet("PRAGMA foreign_keys").getInt();
        m_legacyAlterTable = m_db->execAndGet("PRAGMA legacy_alter_table").getInt();
        m_db->exec("PRAGMA foreign_keys = OFF");
        m_db->exec("PRAGMA legacy_alter_table = ON");
    }
    ~TableRebuildSettings()
    {
        if (!m_db) {
            return;
        }
        try {
            m_db->exec("PRAGMA foreign_keys = " + std::to_string(m_foreignKeys));
            m_db->exec("PRAGMA legacy_alter_table = " + std::to_string(m_legacyAlterTable));
        } catch (const SQLite::Exception &e) {
            qCWarning(lcStore) << "could not restore the connection after an upgrade:" << e.what();
        }
    }
    TableRebuildSettings(const TableRebuildSettings &) = delete;
    TableRebuildSettings &operator=(const TableRebuildSettings &) = delete;

private:
    SQLite::Database *m_db;
    int m_foreignKeys = 1;
    int m_legacyAlterTable = 0;
};

enum class MigrationStep {
    Applied,
    AlreadyApplied, // by another connection opening the same case at the same moment
};

// Runs one step in its own transaction. The version is read again under the write lock, since
// another connection may have run the step first. A step that rebuilt tables must leave every
// event's references whole (the rebuild copies rows by a join), or nothing of it is kept.
Expected<MigrationStep>
runMigration(SQLite::Database &db, const Migration &migration, const QString &path)
{
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    if (db.execAndGet("PRAGMA user_version").getInt() >= migration.toVersion) {
        return MigrationStep::AlreadyApplied;
    }
    db.exec(migration.sql);
    if (migration.rebuildsTables) {
        SQLite::Statement broken(db, "PRAGMA foreign_key_check(events)");
        if (broken.executeStep()) {
            return Error{QCoreApplication::translate("Portent",
                                                     "\"%1\" could not be upgraded to schema %2: "
                                                     "event %3 refers to a missing row of %4. "
                                                     "The case is unchanged; to work on its "
                                                     "exports with this version, import them "
                                                     "into a new case.")
                             .arg(path)
                             .arg(migration.toVersion)
                             .arg(broken.getColumn(1).getInt64())
                             .arg(QString::fromStdString(broken.getColumn(2).getString()))};
        }
    }
    db.exec("PRAGMA user_version = " + std::to_string(migration.toVersion));
    transaction.commit();
    return MigrationStep::Applied;
}

} // namespace

Status checkSchemaReadable(int version, const QString &path)
{
    if (version > CurrentSchemaVersion) {
        return Error{QCoreApplication::translate("Portent",
                                                 "\"%1\" was written by a newer Portent "
                                                 "(schema %2; this build reads up to %3). "
                                                 "Update Portent to open it.")
                         .arg(path)
                         .arg(version)
                         .arg(CurrentSchemaVersion)};
    }
    if (version == RetiredVersion) {
        return Error{QCoreApplication::translate("Portent",
                                                 "\"%1\" was written by a development build "
                                                 "of Portent (schema 1) that this version no "
                                                 "longer reads. Create a new case and import "
                                                 "the exports into it again.")
                         .arg(path)};
    }
    return ok();
}

Status migrateSchema(SQLite::Database &db, const QString &path)
{
    try {
        const int version = db.execAndGet("PRAGMA user_version").getInt();
        if (const Status readable = checkSchemaReadable(version, path); !readable) {
            return readable;
        }

        for (const Migration &migration : Migrations) {
            if (migration.toVersion <= version) {
                continue;
            }
            QElapsedTimer clock;
            clock.start();
            const TableRebuildSettings settings(db, migration.rebuildsTables);
            const Expected<MigrationStep> step = runMigration(db, migration, path);
            if (!step) {
                return step.error();
            }
            if (*step == MigrationStep::AlreadyApplied) {
                continue;
            }
            qCInfo(lcStore) << "migrated" << path << "to schema" << migration.toVersion << "in"
                            << clock.elapsed() << "ms";
        }
        return ok();
    } catch (const SQLite::Exception &e) {
        return Error{QCoreApplication::translate("Portent",
                                                 "Could not prepare the case file "
                                                 "\"%1\": %2")
                         .arg(path, QString::fromUtf8(e.what()))};
    }
}

} // namespace Portent
