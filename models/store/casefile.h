// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"
#include "store/sourceinfo.h"

#include <QList>
#include <QString>

#include <memory>

namespace SQLite {
class Database;
}

namespace Portent {

// One investigation: a single SQLite file (suggested extension .portent) holding the imported
// sources and their events. Opening migrates the schema to the current version. WAL journaling
// and foreign keys are on. Each thread opens its own CaseFile; a CaseFile is not shared. (An
// import hands its CaseFile to its writing thread and back, never using it from both at once.)
class CaseFile
{
public:
    enum class Mode {
        OpenExisting, // fail if the file does not exist
        CreateOrOpen, // create an empty case if missing
        ReadOnly,     // never writes, never migrates
    };

    static Expected<std::unique_ptr<CaseFile>> open(const QString &path, Mode mode);
    // The schema version recorded in an existing case, read without changing anything; 0 for a
    // file that holds no case yet. An error for a file that is not a case.
    static Expected<int> storedSchemaVersion(const QString &path);

    ~CaseFile();
    CaseFile(const CaseFile &) = delete;
    CaseFile &operator=(const CaseFile &) = delete;

    QString path() const { return m_path; }
    SQLite::Database &database() { return *m_db; }
    int schemaVersion() const;
    // The schema version the file had when it was opened, before any upgrade (0: a new file).
    int versionAtOpen() const { return m_versionAtOpen; }

    QList<SourceInfo> sources() const;
    Expected<SourceInfo> source(qint64 id) const;
    // The source already imported with this content hash, if any.
    std::optional<SourceInfo> sourceWithSha256(const QString &sha256) const;
    qint64 eventCount() const;
    // Newest event time in the case (ticks), if any event has a time.
    std::optional<qint64> newestEventTime() const;
    // Removes a source and its events in one transaction.
    Status removeSource(qint64 id);
    // Re-reads ambiguous slash dates of a source the other way round (swaps time and time_alt).
    Status setDateOrder(qint64 sourceId, DateOrder order);
    // A counter that changes whenever events are added or removed; caches key on it.
    qint64 dataVersion() const;

private:
    CaseFile(QString path, std::unique_ptr<SQLite::Database> db, int versionAtOpen);

    QString m_path;
    std::unique_ptr<SQLite::Database> m_db;
    int m_versionAtOpen = 0;
};

} // namespace Portent
