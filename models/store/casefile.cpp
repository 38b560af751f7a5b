// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "store/casefile.h"

#include "core/logging.h"
#include "store/schema.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <mutex>

namespace Portent {

namespace {

// "PRTN": marks a SQLite file as a Portent case, so opening some other database is refused.
constexpr int ApplicationId = 0x5052544e;

// The events of source ?1: the id range its row records (an import writes its events under
// consecutive ids, see SchemaV3), read through the primary key instead of a scan.
constexpr const char *SourceEvents
    = "id BETWEEN (SELECT first_event_id FROM sources WHERE id = ?1) "
      "AND (SELECT last_event_id FROM sources WHERE id = ?1) AND source_id = ?1";

QString tr(const char *text)
{
    return QCoreApplication::translate("Portent", text);
}

QString columnText(const SQLite::Column &column)
{
    return QString::fromUtf8(column.getText());
}

SourceInfo readSource(SQLite::Statement &query)
{
    SourceInfo info;
    info.id = query.getColumn(0).getInt64();
    info.fileName = columnText(query.getColumn(1));
    info.filePath = columnText(query.getColumn(2));
    info.size = query.getColumn(3).getInt64();
    info.sha256 = columnText(query.getColumn(4));
    info.format = columnText(query.getColumn(5));
    info.importedAt = query.getColumn(6).getInt64();
    info.rowsAccepted = query.getColumn(7).getInt64();
    info.rowsRejected = query.getColumn(8).getInt64();
    info.dateOrder = dateOrderFromName(columnText(query.getColumn(9)));
    info.utcOffsetMinutes = query.getColumn(10).getInt();
    info.reportJson = columnText(query.getColumn(11));
    return info;
}

constexpr const char *SourceColumns = "SELECT id, file_name, file_path, size, sha256, format, "
                                      "imported_at, rows_accepted, rows_rejected, date_order, "
                                      "utc_offset_minutes, report FROM sources";

// No mutex per connection: a CaseFile is never used by two threads at once (see casefile.h),
// and an import makes some thirty SQLite calls per event, each of which would lock and unlock it.
int openFlags(CaseFile::Mode mode, const QString &path)
{
    switch (mode) {
    case CaseFile::Mode::OpenExisting:
        return SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX;
    case CaseFile::Mode::CreateOrOpen:
        return SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX;
    case CaseFile::Mode::ReadOnly:
        // Read-write at the file level, query_only above it (see open), when that changes
        // nothing: a read-only connection that is the case's last leaves its empty -wal and -shm
        // files behind at close, and a responder copying the case finds three files. Not when a
        // write-ahead log holds data (a writer that crashed): closing as the last connection
        // would merge it into the case, changing the bytes of a file that may have been hashed.
        // A file the user cannot write is opened read-only by SQLite anyway, and then its -wal
        // and -shm stay.
        if (QFileInfo(path + QStringLiteral("-wal")).size() > 0) {
            return SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX;
        }
        return SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX;
    }
    return SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX;
}

// Refuses SQLite files that belong to something else, and stamps new ones as Portent cases.
Status checkApplicationId(SQLite::Database &db, const QString &path, bool writable)
{
    const int id = db.execAndGet("PRAGMA application_id").getInt();
    if (id == ApplicationId) {
        return ok();
    }
    const int tables = db.execAndGet("SELECT count(*) FROM sqlite_schema").getInt();
    if (id != 0 || tables != 0) {
        return Error{tr("\"%1\" is a SQLite database but not a Portent case file. Create a new "
                        "case and import the exports into it.")
                         .arg(path)};
    }
    if (writable) {
        db.exec("PRAGMA application_id = " + std::to_string(ApplicationId));
    }
    return ok();
}

// A case on a write-protected medium or in a folder the user cannot write cannot be opened even
// for reading: SQLite needs its -shm file beside it. Said with what to do.
Error openError(const QString &path, const SQLite::Exception &e)
{
    const int code = e.getErrorCode() & 0xff; // the primary code of an extended one
    if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN) {
        return Error{tr("Could not open the case file \"%1\" (%2): Portent needs to write beside "
                        "it, even to read it. Copy it to a folder you can write and open the "
                        "copy.")
                         .arg(path, QString::fromUtf8(e.what()))};
    }
    return Error{
        tr("Could not open the case file \"%1\": %2").arg(path, QString::fromUtf8(e.what()))};
}

// A connection to a Portent case (or to a new, empty file) at `path`, set up as `mode` needs
// before anything is read: the page size of a new case, or query_only.
Expected<std::unique_ptr<SQLite::Database>> connectToCase(const QString &path, CaseFile::Mode mode)
{
    const bool writable = mode != CaseFile::Mode::ReadOnly;
    auto db = std::make_unique<SQLite::Database>(path.toStdString(), openFlags(mode, path));
    if (writable) {
        // Takes effect only on a new file, before its first write. 16 KiB pages cut a
        // million-event import's commit (then index builds and the WAL) by about a third
        // against SQLite's 4 KiB, and detection reads few pages either way.
        db->exec("PRAGMA page_size = 16384");
    } else {
        db->exec("PRAGMA query_only = ON");
    }
    if (const Status checked = checkApplicationId(*db, path, writable); !checked) {
        return checked.error();
    }
    return db;
}

// Read-only opens cannot migrate: say what cannot be read at all, or what would upgrade it.
Error readOnlyVersionError(const QString &path, int version)
{
    if (const Status readable = checkSchemaReadable(version, path); !readable) {
        return readable.error();
    }
    if (version == 0) {
        return Error{tr("\"%1\" holds no case yet (it is empty). Import an export into it to "
                        "make it one.")
                         .arg(path)};
    }
    return Error{tr("\"%1\" was written by an earlier Portent (schema %2). Upgrade it with "
                    "portent-cli upgrade \"%1\", or by opening it once in the workbench.")
                     .arg(path)
                     .arg(version)};
}

// SQLite keeps count of every allocation it makes, for sqlite3_memory_used(), under a mutex
// shared by all threads; Portent never asks, and an import allocates several times per row.
// The setting must come before SQLite's first use: later it is refused, which is harmless.
void configureSqliteOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

void applyConnectionSettings(SQLite::Database &db, bool writable)
{
    db.setBusyTimeout(10000);
    db.exec("PRAGMA foreign_keys = ON");
    db.exec("PRAGMA temp_store = MEMORY");
    // A bigger page cache keeps index maintenance of large imports in memory (64 MiB).
    db.exec("PRAGMA cache_size = -65536");
    if (writable) {
        db.exec("PRAGMA journal_mode = WAL");
        // In WAL mode NORMAL is durable against application crashes; only a power loss can undo
        // the last commits, never corrupt the file.
        db.exec("PRAGMA synchronous = NORMAL");
    }
}

} // namespace

QString dateOrderName(DateOrder order)
{
    switch (order) {
    case DateOrder::MonthFirst:
        return QStringLiteral("month-first");
    case DateOrder::DayFirst:
        return QStringLiteral("day-first");
    case DateOrder::Unknown:
        break;
    }
    return QStringLiteral("n/a");
}

DateOrder dateOrderFromName(const QString &name)
{
    if (name == QLatin1String("month-first")) {
        return DateOrder::MonthFirst;
    }
    if (name == QLatin1String("day-first")) {
        return DateOrder::DayFirst;
    }
    return DateOrder::Unknown;
}

CaseFile::CaseFile(QString path, std::unique_ptr<SQLite::Database> db, int versionAtOpen)
    : m_path(std::move(path))
    , m_db(std::move(db))
    , m_versionAtOpen(versionAtOpen)
{}

CaseFile::~CaseFile() = default;

Expected<std::unique_ptr<CaseFile>> CaseFile::open(const QString &path, Mode mode)
{
    if (mode != Mode::CreateOrOpen && !QFileInfo::exists(path)) {
        return Error{tr("The case file \"%1\" does not exist.").arg(path)};
    }
    const bool writable = mode != Mode::ReadOnly;

    configureSqliteOnce();
    try {
        Expected<std::unique_ptr<SQLite::Database>> connected = connectToCase(path, mode);
        if (!connected) {
            return connected.error();
        }
        std::unique_ptr<SQLite::Database> db = std::move(*connected);
        const int versionAtOpen = db->execAndGet("PRAGMA user_version").getInt();
        // Before any setting that writes (journal_mode): a newer or retired case stays as it is.
        if (const Status readable = checkSchemaReadable(versionAtOpen, path); !readable) {
            return readable.error();
        }
        applyConnectionSettings(*db, writable);
        if (writable) {
            if (const Status migrated = migrateSchema(*db, path); !migrated) {
                return migrated.error();
            }
        } else if (versionAtOpen != CurrentSchemaVersion) {
            return readOnlyVersionError(path, versionAtOpen);
        }
        qCInfo(lcStore) << "opened case" << path;
        return std::unique_ptr<CaseFile>(new CaseFile(path, std::move(db), versionAtOpen));
    } catch (const SQLite::Exception &e) {
        return openError(path, e);
    }
}

Expected<int> CaseFile::storedSchemaVersion(const QString &path)
{
    if (!QFileInfo::exists(path)) {
        return Error{tr("The case file \"%1\" does not exist.").arg(path)};
    }
    configureSqliteOnce();
    try {
        const Expected<std::unique_ptr<SQLite::Database>> db = connectToCase(path, Mode::ReadOnly);
        if (!db) {
            return db.error();
        }
        return (*db)->execAndGet("PRAGMA user_version").getInt();
    } catch (const SQLite::Exception &e) {
        return openError(path, e);
    }
}

int CaseFile::schemaVersion() const
{
    return m_db->execAndGet("PRAGMA user_version").getInt();
}

QList<SourceInfo> CaseFile::sources() const
{
    QList<SourceInfo> result;
    SQLite::Statement query(*m_db, std::string(SourceColumns) + " ORDER BY id");
    while (query.executeStep()) {
        result.append(readSource(query));
    }
    return result;
}

Expected<SourceInfo> CaseFile::source(qint64 id) const
{
    SQLite::Statement query(*m_db, std::string(SourceColumns) + " WHERE id = ?");
    query.bind(1, static_cast<int64_t>(id));
    if (!query.executeStep()) {
        return Error{tr("The case \"%1\" has no source %2.").arg(m_path).arg(id)};
    }
    return readSource(query);
}

std::optional<SourceInfo> CaseFile::sourceWithSha256(const QString &sha256) const
{
    SQLite::Statement query(*m_db, std::string(SourceColumns) + " WHERE sha256 = ? LIMIT 1");
    query.bind(1, sha256.toStdString());
    if (!query.executeStep()) {
        return std::nullopt;
    }
    return readSource(query);
}

qint64 CaseFile::eventCount() const
{
    // Summing the per-source counts avoids scanning a million-row table for a status bar.
    return m_db->execAndGet("SELECT coalesce(sum(rows_accepted), 0) FROM sources").getInt64();
}

std::optional<qint64> CaseFile::newestEventTime() const
{
    const SQLite::Column newest = m_db->execAndGet("SELECT max(newest_time) FROM sources");
    if (newest.isNull()) {
        return std::nullopt;
    }
    return newest.getInt64();
}

Status CaseFile::removeSource(qint64 id)
{
    try {
        SQLite::Transaction transaction(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
        // By the source's id range first, which is fast; the cascade then finds nothing left
        // (it scans the events table, which has no index by source).
        SQLite::Statement deleteEvents(*m_db,
                                       std::string("DELETE FROM events WHERE ") + SourceEvents);
        deleteEvents.bind(1, static_cast<int64_t>(id));
        deleteEvents.exec();
        SQLite::Statement deleteSource(*m_db, "DELETE FROM sources WHERE id = ?");
        deleteSource.bind(1, static_cast<int64_t>(id));
        if (deleteSource.exec() != 1) {
            return Error{tr("\"%1\" has no source %2.").arg(m_path).arg(id)}; // rolls back
        }

        // Endpoint counts feed candidate statistics, so they must follow the events; an
        // endpoint left with none would still be evaluated by every detection run.
        m_db->exec("UPDATE endpoints SET event_count = (SELECT count(*) FROM events "
                   "WHERE remote_endpoint = endpoints.id)");
        m_db->exec("DELETE FROM endpoints WHERE event_count = 0");
        transaction.commit();
        return ok();
    } catch (const SQLite::Exception &e) {
        return Error{tr("Could not remove source %1 from \"%2\": %3")
                         .arg(id)
                         .arg(m_path, QString::fromUtf8(e.what()))};
    }
}

Status CaseFile::setDateOrder(qint64 sourceId, DateOrder order)
{
    try {
        const Expected<SourceInfo> current = source(sourceId);
        if (!current) {
            return current.error();
        }
        if (current->dateOrder == order || order == DateOrder::Unknown
            || current->dateOrder == DateOrder::Unknown) {
            return ok();
        }

        // Only for committed sources: during an import the id range is not recorded yet (the
        // importer swaps through its EventWriter instead), and a nested BEGIN fails loudly.
        SQLite::Transaction transaction(*m_db, SQLite::TransactionBehavior::IMMEDIATE);

        // SQLite evaluates every right-hand side against the old row, so this swaps.
        SQLite::Statement swap(*m_db,
                               std::string("UPDATE events SET time = time_alt, time_alt = time "
                                           "WHERE time_alt IS NOT NULL AND ")
                                   + SourceEvents);
        swap.bind(1, static_cast<int64_t>(sourceId));
        const int reread = swap.exec();
        SQLite::Statement newest(*m_db,
                                 std::string("UPDATE sources SET newest_time = (SELECT max(time) "
                                             "FROM events WHERE ")
                                     + SourceEvents + ") WHERE id = ?1");
        newest.bind(1, static_cast<int64_t>(sourceId));
        newest.exec();

        // The stored report says what the order is now and why, not what the import decided.
        const QString reason = tr("%1, changed by the user after import (%2 ambiguous dates "
                                  "re-read)")
                                   .arg(dateOrderName(order))
                                   .arg(reread);
        SQLite::Statement record(*m_db,
                                 "UPDATE sources SET date_order = ?1, report = json_set("
                                 "CASE WHEN json_valid(report) THEN report ELSE '{}' END, "
                                 "'$.dateOrder', ?1, '$.dateOrderReason', ?2) WHERE id = ?3");
        record.bind(1, dateOrderName(order).toStdString());
        record.bind(2, reason.toStdString());
        record.bind(3, static_cast<int64_t>(sourceId));
        record.exec();
        transaction.commit();
        return ok();
    } catch (const SQLite::Exception &e) {
        return Error{tr("Could not change the date order of source %1 in \"%2\": %3")
                         .arg(sourceId)
                         .arg(m_path, QString::fromUtf8(e.what()))};
    }
}

qint64 CaseFile::dataVersion() const
{
    SQLite::Statement query(*m_db,
                            "SELECT count(*), coalesce(max(id), 0), "
                            "coalesce(group_concat(date_order), '') FROM sources");
    query.executeStep();
    const QByteArray key = QByteArray::number(query.getColumn(0).getInt64()) + ':'
                           + QByteArray::number(query.getColumn(1).getInt64()) + ':'
                           + QByteArray(query.getColumn(2).getText());
    return qint64(qHash(key));
}

} // namespace Portent
