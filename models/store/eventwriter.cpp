// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "store/eventwriter.h"

#include "core/ipv4.h"
#include "core/logging.h"
#include "store/casefile.h"

#include <QCoreApplication>
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

namespace Portent {

namespace {

// Strings longer than this are rarely repeated (command lines with GUIDs, JSON extras), so they
// are not remembered; the budget bounds the cache whatever the file's size.
constexpr qsizetype MaxCachedStringLength = 4096;
constexpr qint64 StringCacheBudgetBytes = 48 * 1024 * 1024;
// Addresses and endpoints are about as many as events in a large export (a million each cost
// some 150 MB in the caches); 2^18 of each keep the caches near 40 MB.
constexpr qsizetype MaxCachedIds = 1 << 18;

QString tr(const char *text)
{
    return QCoreApplication::translate("Portent", text);
}

void bindText(sqlite3_stmt *statement, int index, const QByteArray &text)
{
    // SQLITE_TRANSIENT copies; the record's bytes do not outlive this call on the importer side.
    sqlite3_bind_text(statement, index, text.constData(), int(text.size()), SQLITE_TRANSIENT);
}

void bindTextOrNull(sqlite3_stmt *statement, int index, const QByteArray &text)
{
    if (text.isEmpty()) {
        sqlite3_bind_null(statement, index);
    } else {
        bindText(statement, index, text);
    }
}

void bindOptional(sqlite3_stmt *statement, int index, std::optional<qint64> value)
{
    if (value) {
        sqlite3_bind_int64(statement, index, *value);
    } else {
        sqlite3_bind_null(statement, index);
    }
}

void bindId(sqlite3_stmt *statement, int index, qint64 id)
{
    bindOptional(statement, index, id > 0 ? std::optional<qint64>(id) : std::nullopt);
}

void stepOrThrow(sqlite3 *db, sqlite3_stmt *statement)
{
    const int result = sqlite3_step(statement);
    sqlite3_reset(statement);
    if (result != SQLITE_DONE && result != SQLITE_ROW) {
        throw SQLite::Exception(db, result);
    }
}

// The id in the first column of the statement's first row, if there is a row.
std::optional<qint64> stepForId(sqlite3 *db, sqlite3_stmt *statement)
{
    const int result = sqlite3_step(statement);
    std::optional<qint64> id;
    if (result == SQLITE_ROW) {
        id = sqlite3_column_int64(statement, 0);
    }
    sqlite3_reset(statement);
    if (result != SQLITE_DONE && result != SQLITE_ROW) {
        throw SQLite::Exception(db, result);
    }
    return id;
}

constexpr const char *InsertEventSql
    = "INSERT INTO events (source_id, line, time, time_alt, device, action_type, "
      "remote_endpoint, remote_url, local_address, local_port, protocol, local_ip_type, "
      "remote_ip_type, process_name, process_folder, process_command_line, process_id, "
      "account_name, account_domain, report_id, extra, extra_row) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
      "?19, ?20, ?21, ?22)";

} // namespace

void EventWriter::StatementDeleter::operator()(sqlite3_stmt *statement) const
{
    sqlite3_finalize(statement);
}

EventWriter::RawStatement EventWriter::prepareRaw(const char *sql)
{
    sqlite3 *db = m_case.database().getHandle();
    sqlite3_stmt *statement = nullptr;
    const int result
        = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (result != SQLITE_OK) {
        throw SQLite::Exception(db, result);
    }
    return RawStatement(statement);
}

EventWriter::EventWriter(CaseFile &caseFile)
    : m_case(caseFile)
{}

EventWriter::~EventWriter()
{
    // A Transaction still open here rolls back in its destructor: nothing half-written remains.
    if (m_transaction) {
        qCInfo(lcStore) << "rolled back the import of source" << m_sourceId;
    }
}

Expected<std::unique_ptr<EventWriter>> EventWriter::begin(CaseFile &caseFile,
                                                          const SourceInfo &source)
{
    std::unique_ptr<EventWriter> writer(new EventWriter(caseFile));
    if (const Status prepared = writer->prepare(source); !prepared) {
        return prepared.error();
    }
    return writer;
}

// Into an empty events table, building its indexes once from the sorted rows at commit is
// cheaper than updating them row by row. They are dropped inside the import's transaction, so
// a rollback restores them and other connections never see the table without them.
void EventWriter::deferEventIndexes()
{
    SQLite::Database &db = m_case.database();
    if (db.execAndGet("SELECT EXISTS (SELECT 1 FROM events)").getInt() != 0) {
        return;
    }
    SQLite::Statement indexes(db,
                              "SELECT name, sql FROM sqlite_schema WHERE type = 'index' "
                              "AND tbl_name = 'events' AND sql IS NOT NULL");
    std::vector<std::string> names;
    while (indexes.executeStep()) {
        names.push_back(indexes.getColumn(0).getString());
        m_deferredIndexes.push_back(indexes.getColumn(1).getString());
    }
    for (const std::string &name : names) {
        db.exec("DROP INDEX \"" + name + "\"");
    }
}

Status EventWriter::prepare(const SourceInfo &source)
{
    SQLite::Database &db = m_case.database();
    try {
        m_transaction
            = std::make_unique<SQLite::Transaction>(db, SQLite::TransactionBehavior::IMMEDIATE);

        SQLite::Statement insertSource(db,
                                       "INSERT INTO sources (file_name, file_path, size, "
                                       "sha256, format, imported_at, utc_offset_minutes) "
                                       "VALUES (?, ?, ?, ?, ?, ?, ?)");
        insertSource.bind(1, source.fileName.toStdString());
        insertSource.bind(2, source.filePath.toStdString());
        insertSource.bind(3, static_cast<int64_t>(source.size));
        insertSource.bind(4, source.sha256.toStdString());
        insertSource.bind(5, source.format.toStdString());
        insertSource.bind(6, static_cast<int64_t>(source.importedAt));
        insertSource.bind(7, source.utcOffsetMinutes);
        insertSource.exec();
        m_sourceId = db.getLastInsertRowid();

        m_insertEvent = prepareRaw(InsertEventSql);
        m_insertString = prepareRaw("INSERT INTO strings (text) VALUES (?)");
        m_insertAddress = prepareRaw("INSERT INTO addresses (text, ipv4, o1, o2, o3, o4, "
                                     "ip_class, kql_o1, kql_o2, kql_o3, kql_o4) "
                                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        // The octets and class are copied from the address row just written or read, which is
        // in the page cache, so detection need not join the two tables.
        m_insertEndpoint = prepareRaw(
            "INSERT INTO endpoints (address_id, port, o1, o2, o3, o4, ip_class, kql_o1, kql_o2, "
            "kql_o3, kql_o4) SELECT ?1, ?2, o1, o2, o3, o4, ip_class, kql_o1, kql_o2, kql_o3, "
            "kql_o4 FROM addresses WHERE id = ?1");
        m_selectAddress = prepareRaw("SELECT id FROM addresses WHERE text = ?");
        m_selectEndpoint
            = prepareRaw("SELECT id FROM endpoints WHERE address_id = ? AND port IS ?");
        // Endpoints reference addresses, so a case without addresses has no endpoints either.
        m_cachesComplete = db.execAndGet("SELECT EXISTS (SELECT 1 FROM addresses)").getInt() == 0;
        deferEventIndexes();
        return ok();
    } catch (const SQLite::Exception &e) {
        m_transaction.reset();
        return Error{tr("Could not start writing \"%1\" into the case \"%2\": %3")
                         .arg(source.fileName, m_case.path(), QString::fromUtf8(e.what()))};
    }
}

qint64 EventWriter::internString(const QByteArray &text)
{
    if (text.isEmpty()) {
        return 0;
    }
    if (const auto found = m_stringIds.constFind(text); found != m_stringIds.cend()) {
        return found.value();
    }

    const qint64 id = storeString(text);
    if (text.size() <= MaxCachedStringLength && m_stringCacheBytes < StringCacheBudgetBytes) {
        m_stringIds.insert(text, id);
        m_stringCacheBytes += text.size() + 64;
    }
    return id;
}

qint64 EventWriter::storeString(const QByteArray &text)
{
    if (text.isEmpty()) {
        return 0;
    }
    sqlite3_stmt *statement = m_insertString.get();
    bindText(statement, 1, text);
    stepOrThrow(m_case.database().getHandle(), statement);
    return m_case.database().getLastInsertRowid();
}

// Past the bound the cache starts again empty, and misses are looked up in the case from then on.
void EventWriter::cacheAddress(const QByteArray &text, qint64 id)
{
    if (m_addressIds.size() >= MaxCachedIds) {
        m_addressIds.clear();
        m_cachesComplete = false;
    }
    m_addressIds.insert(text, id);
}

std::optional<qint64> EventWriter::internAddress(const QByteArray &text)
{
    if (text.isEmpty()) {
        return std::nullopt;
    }
    if (const auto found = m_addressIds.constFind(text); found != m_addressIds.cend()) {
        return found.value();
    }

    // Addresses are unique across the whole case, so an earlier import may have stored it; in a
    // case that had none when the import began, the cache already knows every stored address.
    SQLite::Database &db = m_case.database();
    if (!m_cachesComplete) {
        sqlite3_stmt *select = m_selectAddress.get();
        bindText(select, 1, text);
        if (const std::optional<qint64> id = stepForId(db.getHandle(), select)) {
            cacheAddress(text, *id);
            return *id;
        }
    }

    sqlite3_stmt *statement = m_insertAddress.get();
    sqlite3_clear_bindings(statement);
    bindText(statement, 1, text);
    if (const std::optional<Ipv4> ipv4 = parseIpv4(text)) {
        const auto octets = ipv4->octets();
        sqlite3_bind_int64(statement, 2, ipv4->value);
        for (int i = 0; i < 4; ++i) {
            sqlite3_bind_int(statement, 3 + i, octets[size_t(i)]);
        }
        bindText(statement, 7, ipClassName(classifyIpv4(*ipv4)).toUtf8());
    }
    for (int i = 0; i < 4; ++i) {
        bindOptional(statement, 8 + i, kqlSplitToInt(text, i));
    }
    stepOrThrow(db.getHandle(), statement);

    const qint64 id = db.getLastInsertRowid();
    cacheAddress(text, id);
    return id;
}

std::optional<qint64> EventWriter::internEndpoint(qint64 addressId, std::optional<qint64> port)
{
    const QPair<qint64, qint64> key(addressId, port.value_or(-1));
    if (const auto found = m_endpointIds.constFind(key); found != m_endpointIds.cend()) {
        return found.value();
    }

    sqlite3 *db = m_case.database().getHandle();
    std::optional<qint64> id;
    if (!m_cachesComplete) {
        sqlite3_stmt *select = m_selectEndpoint.get();
        sqlite3_bind_int64(select, 1, addressId);
        bindOptional(select, 2, port);
        id = stepForId(db, select);
    }
    if (!id) {
        sqlite3_stmt *statement = m_insertEndpoint.get();
        sqlite3_bind_int64(statement, 1, addressId);
        bindOptional(statement, 2, port);
        stepOrThrow(db, statement);
        id = sqlite3_last_insert_rowid(db);
    }
    if (m_endpointIds.size() >= MaxCachedIds) {
        m_endpointIds.clear();
        m_cachesComplete = false;
    }
    m_endpointIds.insert(key, *id);
    return id;
}

Status EventWriter::add(const EventRecord &record)
{
    if (!m_transaction) {
        return Error{tr("The import into \"%1\" was already finished.").arg(m_case.path())};
    }
    try {
        std::optional<qint64> endpoint;
        if (const std::optional<qint64> address = internAddress(record.remoteIp)) {
            endpoint = internEndpoint(*address, record.remotePort);
            m_endpointNewEvents[*endpoint] += 1;
        }
        const std::optional<qint64> localAddress = internAddress(record.localIp);

        sqlite3_stmt *statement = m_insertEvent.get();
        sqlite3_bind_int64(statement, 1, m_sourceId);
        sqlite3_bind_int64(statement, 2, record.sourceLine);
        bindOptional(statement, 3, record.time);
        bindOptional(statement, 4, record.timeAlt);
        bindId(statement, 5, internString(record.deviceName));
        bindId(statement, 6, internString(record.actionType));
        bindOptional(statement, 7, endpoint);
        bindId(statement, 8, internString(record.remoteUrl));
        bindOptional(statement, 9, localAddress);
        bindOptional(statement, 10, record.localPort);
        bindId(statement, 11, internString(record.protocol));
        bindId(statement, 12, internString(record.localIpType));
        bindId(statement, 13, internString(record.remoteIpType));
        bindId(statement, 14, internString(record.processName));
        bindId(statement, 15, internString(record.processFolder));
        bindId(statement, 16, internString(record.processCommandLine));
        bindOptional(statement, 17, record.processId);
        bindId(statement, 18, internString(record.accountName));
        bindId(statement, 19, internString(record.accountDomain));
        // A report id is unique per event on its device: remembering it would only fill the cache.
        bindId(statement, 20, storeString(record.reportId));
        bindId(statement, 21, internString(record.extraShared));
        bindTextOrNull(statement, 22, record.extraRow);
        stepOrThrow(m_case.database().getHandle(), statement);
        ++m_added;
        return ok();
    } catch (const SQLite::Exception &e) {
        return Error{tr("Could not store line %1 in the case \"%2\": %3")
                         .arg(record.sourceLine)
                         .arg(m_case.path(), QString::fromUtf8(e.what()))};
    }
}

Status EventWriter::commit(const SourceInfo &finalInfo)
{
    if (!m_transaction) {
        return Error{tr("The import into \"%1\" was already finished.").arg(m_case.path())};
    }
    SQLite::Database &db = m_case.database();
    try {
        SQLite::Statement addCount(db,
                                   "UPDATE endpoints SET event_count = event_count + ? "
                                   "WHERE id = ?");
        for (auto it = m_endpointNewEvents.cbegin(); it != m_endpointNewEvents.cend(); ++it) {
            addCount.bind(1, static_cast<int64_t>(it.value()));
            addCount.bind(2, static_cast<int64_t>(it.key()));
            addCount.exec();
            addCount.reset();
        }

        SQLite::Statement finish(db,
                                 "UPDATE sources SET rows_accepted = ?, rows_rejected = ?, "
                                 "date_order = ?, utc_offset_minutes = ?, report = ?, "
                                 "format = ? WHERE id = ?");
        finish.bind(1, static_cast<int64_t>(finalInfo.rowsAccepted));
        finish.bind(2, static_cast<int64_t>(finalInfo.rowsRejected));
        finish.bind(3, dateOrderName(finalInfo.dateOrder).toStdString());
        finish.bind(4, finalInfo.utcOffsetMinutes);
        finish.bind(5, finalInfo.reportJson.toStdString());
        finish.bind(6, finalInfo.format.toStdString());
        finish.bind(7, static_cast<int64_t>(m_sourceId));
        finish.exec();

        m_insertEvent.reset();
        m_insertString.reset();
        m_insertAddress.reset();
        m_insertEndpoint.reset();
        m_selectAddress.reset();
        m_selectEndpoint.reset();
        for (const std::string &sql : m_deferredIndexes) {
            db.exec(sql);
        }
        m_transaction->commit();
        m_transaction.reset();
        qCInfo(lcStore) << "committed source" << m_sourceId << "with" << m_added << "events";
        return ok();
    } catch (const SQLite::Exception &e) {
        return Error{tr("Could not finish the import of \"%1\" into \"%2\": %3")
                         .arg(finalInfo.fileName, m_case.path(), QString::fromUtf8(e.what()))};
    }
}

} // namespace Portent
