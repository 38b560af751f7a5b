// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "store/eventwriter.h"

#include "core/ipv4.h"
#include "core/logging.h"
#include "store/casefile.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace Portent {

namespace {

// Strings longer than this are rarely repeated (command lines with GUIDs, JSON extras), so they
// are not remembered; the budget bounds the cache whatever the file's size.
constexpr qsizetype MaxCachedStringLength = 4096;
constexpr qint64 StringCacheBudgetBytes = 48 * 1024 * 1024;
constexpr int EndpointPortBits = 17;

// The port stored plus one, so that "no port" (0) differs from port 0.
quint64 portPart(std::optional<qint64> port)
{
    return quint64(port ? *port + 1 : 0);
}

// The key of an endpoint whose address is a canonical dotted IPv4 text: its value above the port.
quint64 ipv4EndpointKey(quint32 ipv4, std::optional<qint64> port)
{
    return (quint64(ipv4) << EndpointPortBits) | portPart(port);
}

// The key of any other endpoint: the address text, a line feed and the digits of portPart(). What
// follows the last line feed is all digits, so two endpoints never share a key.
QByteArray otherEndpointKey(QByteArrayView text, std::optional<qint64> port)
{
    QByteArray key;
    key.reserve(text.size() + 7);
    key.append(text).append('\n').append(QByteArray::number(portPart(port)));
    return key;
}

// The 32-bit value of `text` when it is an IPv4 address written in the one canonical dotted form
// (no leading zeros, no IPv6 wrapping), so that the value alone identifies the text.
std::optional<quint32> canonicalIpv4(QByteArrayView text)
{
    if (text.size() > 15) {
        return std::nullopt;
    }
    // The parse is strict (no leading zeros, no spaces, decimal only, no IPv6 prefix): the
    // texts it accepts are exactly the canonical ones.
    const std::optional<Ipv4> ipv4 = parseDottedIpv4(text);
    return ipv4 ? std::optional<quint32>(ipv4->value) : std::nullopt;
}

// IPv6 as exports write it: hex digits, colons and at least one colon (an embedded IPv4 may
// bring dots; a zone after '%' is not looked at). Enough to word a warning, not to parse.
bool looksLikeIpv6(QByteArrayView text)
{
    const qsizetype zone = text.indexOf('%');
    const QByteArrayView address = zone < 0 ? text : text.first(zone);
    const auto allowed = [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
    };
    return address.contains(':') && std::all_of(address.begin(), address.end(), allowed);
}

const QByteArray &ipClassText(IpClass ipClass)
{
    static const QByteArray names[] = {
        ipClassName(IpClass::Public).toUtf8(),
        ipClassName(IpClass::Private).toUtf8(),
        ipClassName(IpClass::Loopback).toUtf8(),
        ipClassName(IpClass::LinkLocal).toUtf8(),
        ipClassName(IpClass::Multicast).toUtf8(),
        ipClassName(IpClass::Reserved).toUtf8(),
    };
    return names[int(ipClass)];
}

// The address's IPv4 value: `canonical` when the caller has already parsed the text as the
// canonical dotted form (see canonicalIpv4), else the text's own strict parse.
std::optional<Ipv4> addressValue(QByteArrayView text, std::optional<quint32> canonical)
{
    return canonical ? std::optional<Ipv4>(Ipv4{*canonical}) : parseIpv4(text);
}

// Binds the address columns an endpoint row carries (octets, class, KQL octets), from `first`
// on: o1..o4, ip_class, kql_o1..kql_o4. `ipv4` is addressValue(text, canonical). KQL's split
// reads a canonical dotted text as the same four octets, so only other texts are split again.
void bindEndpointAddressColumns(sqlite3_stmt *statement,
                                int first,
                                QByteArrayView text,
                                const std::optional<Ipv4> &ipv4,
                                bool canonical)
{
    Q_ASSERT(!canonical || ipv4);
    if (ipv4) {
        const auto octets = ipv4->octets();
        for (int i = 0; i < 4; ++i) {
            sqlite3_bind_int(statement, first + i, octets[size_t(i)]);
        }
        const QByteArray &ipClass = ipClassText(classifyIpv4(*ipv4));
        sqlite3_bind_text(
            statement, first + 4, ipClass.constData(), int(ipClass.size()), SQLITE_STATIC);
    } else {
        for (int i = 0; i < 5; ++i) {
            sqlite3_bind_null(statement, first + i);
        }
    }
    for (int i = 0; i < 4; ++i) {
        const std::optional<qint64> part
            = canonical ? std::optional<qint64>(ipv4->octets()[size_t(i)]) : kqlSplitToInt(text, i);
        if (part) {
            sqlite3_bind_int64(statement, first + 5 + i, *part);
        } else {
            sqlite3_bind_null(statement, first + 5 + i);
        }
    }
}

QString tr(const char *text)
{
    return QCoreApplication::translate("Portent", text);
}

void bindText(sqlite3_stmt *statement, int index, const QByteArray &text)
{
    // Not copied (SQLITE_STATIC): every statement is stepped within the add() that bound it,
    // while the record's bytes are alive, and every parameter is bound again before each step.
    sqlite3_bind_text(statement, index, text.constData(), int(text.size()), SQLITE_STATIC);
}

// The value of `text` when it is a 64-bit integer written the one way it prints: no sign but a
// minus, no leading zeros, no "-0", no spaces.
std::optional<qint64> canonicalInteger(QByteArrayView text)
{
    const char *end = text.data() + text.size();
    qint64 value = 0;
    const auto [parsedEnd, error] = std::from_chars(text.data(), end, value);
    if (error != std::errc() || parsedEnd != end) {
        return std::nullopt;
    }
    const QByteArrayView digits = text.startsWith('-') ? text.sliced(1) : text;
    const bool leadingZero = digits.size() > 1 && digits.front() == '0';
    if (leadingZero || text == "-0") {
        return std::nullopt;
    }
    return value;
}

// Defender's ReportId is a long: stored as an integer when the text is one written canonically
// (so that it reads back the same), as text otherwise.
void bindReportId(sqlite3_stmt *statement, int index, const QByteArray &text)
{
    if (text.isEmpty()) {
        sqlite3_bind_null(statement, index);
        return;
    }
    if (const std::optional<qint64> value = canonicalInteger(text)) {
        sqlite3_bind_int64(statement, index, *value);
    } else {
        bindText(statement, index, text);
    }
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

// The events columns an import writes, in the order EventWriter::bindEvent binds them.
constexpr const char *EventColumnNames[] = {
    "source_id",
    "line",
    "time",
    "time_alt",
    "device",
    "action_type",
    "remote_endpoint",
    "remote_url",
    "local_address",
    "local_port",
    "protocol",
    "local_ip_type",
    "remote_ip_type",
    "process_name",
    "process_folder",
    "process_command_line",
    "process_id",
    "account_name",
    "account_domain",
    "report_id",
    "extra",
    "extra_row",
};
static_assert(std::size(EventColumnNames) == EventWriter::EventColumns);

// The endpoints columns an import writes, in the order EventWriter::bindEndpoint binds them.
constexpr const char *EndpointColumnNames[] = {
    "id",
    "address",
    "ipv4",
    "port",
    "o1",
    "o2",
    "o3",
    "o4",
    "ip_class",
    "kql_o1",
    "kql_o2",
    "kql_o3",
    "kql_o4",
    "event_count",
};
constexpr int EndpointColumns = int(std::size(EndpointColumnNames));

// An INSERT of `rows` rows into `table`, one parameter per column, row after row.
// OR FAIL, not the default ABORT: a statement of several rows that may abort part-way makes
// SQLite keep a statement journal, a copy of every page the statement changes, so that it can
// undo the rows it already wrote: 650 MB of writes to a temporary file per million events
// (2.6 GB once the events' index is kept up row by row, see prepare). With FAIL the rows before a
// failure stay; it cannot happen here anyway (the writer binds every NOT NULL column itself and
// gives endpoints ids no row has), and any error rolls the whole import back.
std::string insertRowsSql(const char *table, std::span<const char *const> columns, std::size_t rows)
{
    std::string sql = std::string("INSERT OR FAIL INTO ") + table + " (";
    std::string row = "(";
    for (std::size_t column = 0; column < columns.size(); ++column) {
        sql += std::string(column == 0 ? "" : ", ") + columns[column];
        row += column == 0 ? "?" : ", ?";
    }
    sql += ") VALUES ";
    row += ")";
    for (std::size_t i = 0; i < rows; ++i) {
        sql += (i == 0 ? "" : ", ") + row;
    }
    return sql;
}

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

EventWriter::EventWriter(CaseFile &caseFile, qsizetype rememberedKeys)
    : m_case(caseFile)
    , m_rememberedKeys(rememberedKeys)
{}

EventWriter::~EventWriter()
{
    // A transaction still open here rolls back: nothing half-written remains.
    if (m_transaction) {
        qCInfo(lcStore) << "rolled back the import of source" << m_sourceId;
        m_transaction.reset();
    }
    restoreConnection();
}

// Two settings of the connection are changed around the import's transaction (pragmas that
// are no-ops inside one) and put back afterwards:
// - Foreign keys off. The writer sets every reference of an event itself, to rows it has just
//   inserted or read in the same transaction, so SQLite's check of the three parents of each
//   event could never fail, and it cost about a second per million events.
// - temp_store = FILE. An import past the writer's memory bound builds two unique indexes over
//   the rows so far (switchToLookups). With MEMORY (the case's connections' setting) SQLite's
//   sorter allocates every key of such a build on its own, without bound; with FILE it fills
//   one block the size of the page cache and spills sorted runs to temporary files past it (in
//   SQLITE_TMPDIR, TMPDIR or /var/tmp), which bounds the import's memory.
void EventWriter::adjustConnection()
{
    SQLite::Database &db = m_case.database();
    db.exec("PRAGMA foreign_keys = OFF");
    db.exec("PRAGMA temp_store = FILE");
    m_connectionAdjusted = true;
}

void EventWriter::restoreConnection()
{
    if (!m_connectionAdjusted) {
        return;
    }
    try {
        // A no-op while a transaction is still open (a rollback that failed), so it is checked.
        SQLite::Database &db = m_case.database();
        db.exec("PRAGMA foreign_keys = ON");
        db.exec("PRAGMA temp_store = MEMORY");
        m_connectionAdjusted = db.execAndGet("PRAGMA foreign_keys").getInt() != 1;
    } catch (const SQLite::Exception &e) {
        qCWarning(lcStore) << "could not restore the connection's settings:" << e.what();
    }
    if (m_connectionAdjusted) {
        qCWarning(lcStore) << "foreign keys stay off on the import's connection to"
                           << m_case.path();
    }
}

Expected<std::unique_ptr<EventWriter>>
EventWriter::begin(CaseFile &caseFile, const SourceInfo &source, qsizetype rememberedKeys)
{
    std::unique_ptr<EventWriter> writer(new EventWriter(caseFile, rememberedKeys));
    if (const Status prepared = writer->prepare(source); !prepared) {
        return prepared.error();
    }
    return writer;
}

// From here on a miss in the maps is looked up in the case's unique indexes, so the maps may
// forget entries: they become a cache, cleared whenever it is full.
void EventWriter::switchToLookups()
{
    if (!m_mapsComplete) {
        return;
    }
    qCInfo(lcStore) << "over" << m_rememberedKeys
                    << "addresses or endpoints: looking them up in the case from now on";
    // Built here over the rows so far and kept up from then on.
    SQLite::Database &db = m_case.database();
    db.exec("CREATE UNIQUE INDEX IF NOT EXISTS addresses_text ON addresses(text)");
    db.exec("CREATE UNIQUE INDEX IF NOT EXISTS endpoints_address_port "
            "ON endpoints(address, port)");
    flushEndpointCounts();
    m_ipv4AddressIds.clear();
    m_otherAddressIds.clear();
    m_ipv4Endpoints.clear();
    m_otherEndpoints.clear();
    m_selectAddress = prepareRaw("SELECT id FROM addresses WHERE text = ?");
    m_selectEndpoint = prepareRaw("SELECT id FROM endpoints WHERE address = ? AND port IS ?");
    m_mapsComplete = false;
}

// Adds the events counted in the maps to the endpoint rows, so the maps' entries may be dropped.
void EventWriter::flushEndpointCounts()
{
    storePendingEndpoints();
    SQLite::Statement addCount(m_case.database(),
                               "UPDATE endpoints SET event_count = event_count + ? WHERE id = ?");
    const auto flush = [&addCount](EndpointEntry &entry) {
        const qint64 notCounted = qint64(entry.newEvents) - (entry.insertedNow ? 1 : 0);
        entry.newEvents = 0;
        entry.insertedNow = false;
        if (notCounted == 0) {
            return;
        }
        addCount.bind(1, static_cast<int64_t>(notCounted));
        addCount.bind(2, static_cast<int64_t>(entry.id));
        addCount.exec();
        addCount.reset();
    };
    std::for_each(m_ipv4Endpoints.begin(), m_ipv4Endpoints.end(), flush);
    std::for_each(m_otherEndpoints.begin(), m_otherEndpoints.end(), flush);
}

// One scan of each table: afterwards every look-up is in memory. A case past the bound starts
// with look-ups in its indexes instead.
void EventWriter::loadAddressesAndEndpoints()
{
    SQLite::Database &db = m_case.database();
    const qint64 addressCount = db.execAndGet("SELECT count(*) FROM addresses").getInt64();
    const qint64 endpointCount = db.execAndGet("SELECT count(*) FROM endpoints").getInt64();
    if (addressCount >= m_rememberedKeys || endpointCount >= m_rememberedKeys) {
        switchToLookups();
        return;
    }

    SQLite::Statement addresses(db, "SELECT id, text FROM addresses");
    while (addresses.executeStep()) {
        const qint64 id = addresses.getColumn(0).getInt64();
        const SQLite::Column text = addresses.getColumn(1);
        const QByteArrayView view(static_cast<const char *>(text.getBlob()), text.getBytes());
        if (const std::optional<quint32> ipv4 = canonicalIpv4(view)) {
            m_ipv4AddressIds.insert(*ipv4, id);
        } else {
            m_otherAddressIds.insert(view.toByteArray(), id);
        }
    }
    SQLite::Statement endpoints(db, "SELECT id, address, port FROM endpoints");
    while (endpoints.executeStep()) {
        const EndpointEntry entry{endpoints.getColumn(0).getInt64(), 0, false};
        const SQLite::Column text = endpoints.getColumn(1);
        const QByteArrayView view(static_cast<const char *>(text.getBlob()), text.getBytes());
        const SQLite::Column port = endpoints.getColumn(2);
        const std::optional<qint64> portValue
            = port.isNull() ? std::nullopt : std::optional<qint64>(port.getInt64());
        // The writer stores checked ports only (checkPorts), so no two keys can mix.
        Q_ASSERT(!portValue || (*portValue >= 0 && *portValue <= 65535));
        if (const std::optional<quint32> ipv4 = canonicalIpv4(view)) {
            m_ipv4Endpoints.insert(ipv4EndpointKey(*ipv4, portValue), entry);
        } else {
            m_otherEndpoints.insert(otherEndpointKey(view, portValue), entry);
        }
    }
}

Status EventWriter::prepare(const SourceInfo &source)
{
    SQLite::Database &db = m_case.database();
    try {
        adjustConnection();
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

        m_insertEvent = prepareRaw(insertRowsSql("events", EventColumnNames, 1).c_str());
        m_insertEvents
            = prepareRaw(insertRowsSql("events", EventColumnNames, EventsPerInsert).c_str());
        m_insertString = prepareRaw("INSERT INTO strings (text) VALUES (?)");
        m_insertAddress
            = prepareRaw("INSERT INTO addresses (text, ipv4, ip_class) VALUES (?, ?, ?)");
        m_insertEndpoint = prepareRaw(insertRowsSql("endpoints", EndpointColumnNames, 1).c_str());
        m_insertEndpoints = prepareRaw(
            insertRowsSql("endpoints", EndpointColumnNames, EndpointsPerInsert).c_str());
        // The indexes (events_remote_endpoint, endpoints_port) are kept up row by row, even
        // into an empty table, rather than dropped and built once from sorted rows at commit.
        // Most of that upkeep is appends (a new endpoint's id is the largest so far), and it
        // runs on the writing thread beside the parser, where a build at commit runs after both.
        // For a million events: 0.35 s less at commit for about 0.2 s more on the writing
        // thread, and 0.3 to 0.5 s less overall for an export of 12,000 endpoints repeated.
        loadAddressesAndEndpoints();
        m_nextEndpointId
            = db.execAndGet("SELECT coalesce(max(id), 0) + 1 FROM endpoints").getInt64();
        return ok();
    } catch (const SQLite::Exception &e) {
        m_transaction.reset();
        restoreConnection();
        return Error{tr("Could not start writing \"%1\" into the case \"%2\": %3")
                         .arg(source.fileName, m_case.path(), QString::fromUtf8(e.what()))};
    }
}

qint64 EventWriter::internString(const QByteArray &text)
{
    if (text.isEmpty()) {
        return 0;
    }
    if (const auto found = m_stringIds.constFind(ByteKey::lookup(text));
        found != m_stringIds.cend()) {
        return found.value();
    }

    sqlite3_stmt *statement = m_insertString.get();
    bindText(statement, 1, text);
    sqlite3 *db = m_case.database().getHandle();
    stepOrThrow(db, statement);
    const qint64 id = sqlite3_last_insert_rowid(db);
    if (text.size() <= MaxCachedStringLength && m_stringCacheBytes < StringCacheBudgetBytes) {
        m_stringIds.insert(ByteKey::stored(text), id);
        m_stringCacheBytes += text.size() + 64;
    }
    return id;
}

qint64 EventWriter::internSharedExtra(const EventRecord &record)
{
    if (record.extraSharedKey == 0) {
        return internString(record.extraShared);
    }
    if (const auto found = m_sharedExtraIds.constFind(record.extraSharedKey);
        found != m_sharedExtraIds.cend()) {
        return found.value();
    }
    const qint64 id = internString(record.extraShared);
    // A cache: a key it forgot is interned by its text again. That finds the same id while the
    // string cache holds the text; past its bounds the text is stored once more, which costs
    // space but never correctness.
    constexpr qsizetype MaxRememberedSharedExtras = 1 << 18;
    if (m_sharedExtraIds.size() >= MaxRememberedSharedExtras) {
        m_sharedExtraIds.clear();
    }
    m_sharedExtraIds.insert(record.extraSharedKey, id);
    return id;
}

std::optional<qint64> EventWriter::internAddress(const QByteArray &text,
                                                 std::optional<quint32> canonical)
{
    if (text.isEmpty()) {
        return std::nullopt;
    }
    if (canonical) {
        return rememberedAddress(m_ipv4AddressIds, *canonical, text, canonical);
    }
    return rememberedAddress(m_otherAddressIds, text, text, std::nullopt);
}

template<typename Key>
qint64 EventWriter::rememberedAddress(QHash<Key, qint64> &ids,
                                      const Key &key,
                                      const QByteArray &text,
                                      std::optional<quint32> canonical)
{
    if (const auto found = ids.constFind(key); found != ids.cend()) {
        return found.value();
    }
    std::optional<qint64> id = m_mapsComplete ? std::nullopt : findAddress(text);
    if (!id) {
        id = storeAddress(text, canonical);
    }
    remember(ids, storedKey(key), *id);
    return *id;
}

// A map keeps its own compact copy of a text key: the record's buffer is reused for later rows.
QByteArray EventWriter::storedKey(const QByteArray &text)
{
    return QByteArray(text.constData(), text.size());
}

template<typename Key>
void EventWriter::remember(QHash<Key, qint64> &ids, const Key &key, qint64 id)
{
    // The bound counts both address maps together, as loadAddressesAndEndpoints() does.
    if (m_ipv4AddressIds.size() + m_otherAddressIds.size() >= m_rememberedKeys) {
        if (m_mapsComplete) {
            switchToLookups();
        } else {
            m_ipv4AddressIds.clear();
            m_otherAddressIds.clear();
        }
    }
    ids.insert(key, id);
}

std::optional<qint64> EventWriter::findAddress(const QByteArray &text)
{
    sqlite3_stmt *select = m_selectAddress.get();
    bindText(select, 1, text);
    return stepForId(m_case.database().getHandle(), select);
}

qint64 EventWriter::storeAddress(const QByteArray &text, std::optional<quint32> canonical)
{
    sqlite3_stmt *statement = m_insertAddress.get();
    bindText(statement, 1, text);
    if (const std::optional<Ipv4> ipv4 = addressValue(text, canonical)) {
        sqlite3_bind_int64(statement, 2, ipv4->value);
        const QByteArray &ipClass = ipClassText(classifyIpv4(*ipv4));
        sqlite3_bind_text(statement, 3, ipClass.constData(), int(ipClass.size()), SQLITE_STATIC);
    } else {
        sqlite3_bind_null(statement, 2);
        sqlite3_bind_null(statement, 3);
    }
    sqlite3 *db = m_case.database().getHandle();
    stepOrThrow(db, statement);
    return sqlite3_last_insert_rowid(db);
}

std::optional<qint64> EventWriter::findEndpoint(const QByteArray &text, std::optional<qint64> port)
{
    // Never one still pending (see storeEndpoint): those are all in the maps, which are only
    // cleared after flushEndpointCounts() has stored them, and this runs on a miss in the maps.
    sqlite3_stmt *select = m_selectEndpoint.get();
    bindText(select, 1, text);
    bindOptional(select, 2, port);
    return stepForId(m_case.database().getHandle(), select);
}

// A new endpoint gets its id at once and its row with the next EndpointsPerInsert - 1 new ones,
// in one multi-row INSERT: some 6,700 instructions per endpoint instead of 7,600 for a
// statement per row (the writing thread's instructions: -3%). The events that refer to it may be
// stored first; the import's foreign keys are off, and everything commits together. The import
// holds the case's write lock, so no one else takes the ids in between. A new endpoint is written
// with the one event that created it, so at commit only the endpoints that gained more events need
// an update: in a large export most have one.
qint64 EventWriter::storeEndpoint(const QByteArray &text,
                                  std::optional<quint32> canonical,
                                  std::optional<qint64> port)
{
    const PendingEndpoint pending{
        m_nextEndpointId++, m_pendingEndpointText.size(), text.size(), canonical, port};
    m_pendingEndpointText.append(text);
    m_pendingEndpoints.push_back(pending);
    if (m_pendingEndpoints.size() == EndpointsPerInsert) {
        storePendingEndpoints();
    }
    return pending.id;
}

void EventWriter::storePendingEndpoints()
{
    sqlite3 *db = m_case.database().getHandle();
    if (m_pendingEndpoints.size() == EndpointsPerInsert) {
        sqlite3_stmt *statement = m_insertEndpoints.get();
        for (std::size_t row = 0; row < m_pendingEndpoints.size(); ++row) {
            bindEndpoint(statement, int(row) * EndpointColumns, m_pendingEndpoints[row]);
        }
        stepOrThrow(db, statement);
    } else {
        for (const PendingEndpoint &endpoint : m_pendingEndpoints) {
            bindEndpoint(m_insertEndpoint.get(), 0, endpoint);
            stepOrThrow(db, m_insertEndpoint.get());
        }
    }
    m_pendingEndpoints.clear();
    m_pendingEndpointText.resize(0); // keeps its capacity
}

// Binds the EndpointColumns values of one endpoint row, at + 1 .. at + EndpointColumns.
void EventWriter::bindEndpoint(sqlite3_stmt *statement, int at, const PendingEndpoint &endpoint)
{
    const QByteArrayView text(m_pendingEndpointText.constData() + endpoint.textAt,
                              endpoint.textSize);
    const std::optional<Ipv4> ipv4 = addressValue(text, endpoint.canonical);
    sqlite3_bind_int64(statement, at + 1, endpoint.id);
    sqlite3_bind_text(statement, at + 2, text.data(), int(text.size()), SQLITE_STATIC);
    bindOptional(statement, at + 3, ipv4 ? std::optional<qint64>(ipv4->value) : std::nullopt);
    bindOptional(statement, at + 4, endpoint.port);
    bindEndpointAddressColumns(statement, at + 5, text, ipv4, endpoint.canonical.has_value());
    sqlite3_bind_int(statement, at + EndpointColumns, 1); // event_count: its first event
}

std::optional<qint64> EventWriter::internEndpoint(const QByteArray &text,
                                                  std::optional<quint32> canonical,
                                                  std::optional<qint64> port)
{
    if (text.isEmpty()) {
        return std::nullopt;
    }
    if (canonical) {
        return countEvent(
            m_ipv4Endpoints, ipv4EndpointKey(*canonical, port), text, canonical, port);
    }
    return countEvent(m_otherEndpoints, otherEndpointKey(text, port), text, std::nullopt, port);
}

// The id of the endpoint under `key` in `entries`, with one more event counted on it; found in
// the case or stored first if the map does not know it.
template<typename Key>
qint64 EventWriter::countEvent(QHash<Key, EndpointEntry> &entries,
                               const Key &key,
                               const QByteArray &text,
                               std::optional<quint32> canonical,
                               std::optional<qint64> port)
{
    // A full map is emptied first (even when this event would have been a hit), so it never
    // grows past the bound: growing once more would copy a million entries only to drop them.
    // The bound counts both endpoint maps together, as loadAddressesAndEndpoints() does.
    if (m_ipv4Endpoints.size() + m_otherEndpoints.size() >= m_rememberedKeys) {
        if (m_mapsComplete) {
            switchToLookups();
        } else {
            flushEndpointCounts();
            m_ipv4Endpoints.clear();
            m_otherEndpoints.clear();
        }
    }

    // One probe of the map whether the endpoint is known or not (operator[] inserts an empty
    // entry), not a find and then an insert: in the benchmark's export most endpoints are new,
    // and the probe into a map of a million is a cache miss (4.5% of the import's CPU time).
    EndpointEntry &entry = entries[key];
    if (entry.id == 0 && !m_mapsComplete) {
        entry.id = findEndpoint(text, port).value_or(0);
    }
    if (entry.id == 0) {
        entry.id = storeEndpoint(text, canonical, port);
        entry.insertedNow = true;
    }
    ++entry.newEvents;
    return entry.id;
}

Status EventWriter::add(const EventRecord &record)
{
    return add(std::span<const EventRecord>(&record, 1));
}

// Whole groups of EventsPerInsert rows go in one multi-row INSERT, the rest one by one: a
// statement's own work (starting, opening its cursor, halting) then comes once per group rather
// than once per row. Binding stays within this call, while the records are alive.
Status EventWriter::add(std::span<const EventRecord> records)
{
    if (!m_transaction) {
        return Error{tr("The import into \"%1\" was already finished.").arg(m_case.path())};
    }
    sqlite3 *db = m_case.database().getHandle();
    std::size_t next = 0;
    std::size_t inProgress = 0; // the record being bound, or the last of a group being stored
    try {
        while (next < records.size()) {
            const bool group = records.size() - next >= EventsPerInsert;
            const std::size_t count = group ? EventsPerInsert : 1;
            sqlite3_stmt *statement = group ? m_insertEvents.get() : m_insertEvent.get();
            // Checked before anything of the group is interned, so a bad port changes nothing.
            for (std::size_t row = 0; row < count; ++row) {
                if (const Status checked = checkPorts(records[next + row]); !checked) {
                    m_failed = true;
                    return checked;
                }
            }
            for (std::size_t row = 0; row < count; ++row) {
                inProgress = next + row;
                bindEvent(statement, int(row) * EventColumns, records[inProgress]);
            }
            stepOrThrow(db, statement);
            noteAdded(sqlite3_last_insert_rowid(db), records.subspan(next, count));
            next += count;
        }
        return ok();
    } catch (const SQLite::Exception &e) {
        m_failed = true;
        return Error{tr("Could not store line %1 in the case \"%2\": %3")
                         .arg(records[inProgress].sourceLine)
                         .arg(m_case.path(), QString::fromUtf8(e.what()))};
    }
}

// The importers check ports; other callers must too, or ipv4EndpointKey() would mix endpoints.
Status EventWriter::checkPorts(const EventRecord &record) const
{
    const auto validPort
        = [](const std::optional<qint64> &port) { return !port || (*port >= 0 && *port <= 65535); };
    if (!validPort(record.remotePort)) {
        return Error{tr("Line %1 has remote port %2, outside 0..65535; it was not stored.")
                         .arg(record.sourceLine)
                         .arg(*record.remotePort)};
    }
    return ok();
}

// Interns the record's text and binds its EventColumns values, at + 1 .. at + EventColumns
// (parameters count from 1).
void EventWriter::bindEvent(sqlite3_stmt *statement, int at, const EventRecord &record)
{
    const std::optional<quint32> remoteIpv4 = canonicalIpv4(record.remoteIp);
    const std::optional<qint64> endpoint
        = internEndpoint(record.remoteIp, remoteIpv4, record.remotePort);
    noteOctets(record.remoteIp, remoteIpv4.has_value());
    const std::optional<qint64> localAddress
        = internAddress(record.localIp, canonicalIpv4(record.localIp));

    sqlite3_bind_int64(statement, at + 1, m_sourceId);
    sqlite3_bind_int64(statement, at + 2, record.sourceLine);
    bindOptional(statement, at + 3, record.time);
    bindOptional(statement, at + 4, record.timeAlt);
    bindId(statement, at + 5, internString(record.deviceName));
    bindId(statement, at + 6, internString(record.actionType));
    bindOptional(statement, at + 7, endpoint);
    bindId(statement, at + 8, internString(record.remoteUrl));
    bindOptional(statement, at + 9, localAddress);
    bindOptional(statement, at + 10, record.localPort);
    bindId(statement, at + 11, internString(record.protocol));
    bindId(statement, at + 12, internString(record.localIpType));
    bindId(statement, at + 13, internString(record.remoteIpType));
    bindId(statement, at + 14, internString(record.processName));
    bindId(statement, at + 15, internString(record.processFolder));
    bindId(statement, at + 16, internString(record.processCommandLine));
    bindOptional(statement, at + 17, record.processId);
    bindId(statement, at + 18, internString(record.accountName));
    bindId(statement, at + 19, internString(record.accountDomain));
    bindReportId(statement, at + 20, record.reportId);
    bindId(statement, at + 21, internSharedExtra(record));
    bindTextOrNull(statement, at + 22, record.extraRow);
}

// Counts the events whose remote address yields the four octets a formula reads, by the strict
// parse or by KQL's split; a canonical dotted IPv4 text (`canonical`) yields them both ways.
void EventWriter::noteOctets(const QByteArray &remoteIp, bool canonical)
{
    if (remoteIp.isEmpty()) {
        return;
    }
    const auto splits = [&remoteIp] {
        for (int i = 0; i < 4; ++i) {
            if (!kqlSplitToInt(remoteIp, i)) {
                return false;
            }
        }
        return true;
    };
    if (canonical || parseIpv4(remoteIp) || splits()) {
        ++m_eventsWithOctets;
        return;
    }
    const bool ipv6 = looksLikeIpv6(remoteIp);
    m_ipv6Events += ipv6 ? 1 : 0;
    QByteArray &example = ipv6 ? m_ipv6Example : m_addressWithoutOctets;
    if (example.isEmpty()) {
        example = QByteArray(remoteIp.constData(), remoteIp.size());
    }
}

// The rows of one INSERT have consecutive ids ending at `lastId`: the import holds the case's
// write lock, and SQLite gives each new row the largest id plus one.
void EventWriter::noteAdded(qint64 lastId, std::span<const EventRecord> records)
{
    if (m_added == 0) {
        m_firstEventId = lastId - qint64(records.size()) + 1;
    }
    m_lastEventId = lastId;
    m_added += qint64(records.size());
    for (const EventRecord &record : records) {
        noteNewest(record);
    }
}

void EventWriter::noteNewest(const EventRecord &record)
{
    const auto later = [](std::optional<qint64> &newest, std::optional<qint64> time) {
        if (time && (!newest || *time > *newest)) {
            newest = time;
        }
    };
    later(m_newestTime, record.time);
    later(m_newestSwappedTime, record.timeAlt ? record.timeAlt : record.time);
}

Status EventWriter::swapAmbiguousReadings()
{
    if (!m_transaction) {
        return Error{tr("The import into \"%1\" was already finished.").arg(m_case.path())};
    }
    try {
        // SQLite evaluates every right-hand side against the old row, so this swaps.
        SQLite::Statement swap(m_case.database(),
                               "UPDATE events SET time = time_alt, time_alt = time "
                               "WHERE id BETWEEN ? AND ? AND time_alt IS NOT NULL");
        swap.bind(1, static_cast<int64_t>(m_firstEventId));
        swap.bind(2, static_cast<int64_t>(m_lastEventId));
        swap.exec();
        std::swap(m_newestTime, m_newestSwappedTime);
        return ok();
    } catch (const SQLite::Exception &e) {
        return Error{tr("Could not re-read the ambiguous dates of \"%1\": %2")
                         .arg(m_case.path(), QString::fromUtf8(e.what()))};
    }
}

Status EventWriter::commit(const SourceInfo &finalInfo, const std::function<bool()> &cancelled)
{
    if (!m_transaction) {
        return Error{tr("The import into \"%1\" was already finished.").arg(m_case.path())};
    }
    // What an add() that failed had stored is unknown (events may refer to endpoints it never
    // wrote), so none of it may become visible.
    if (m_failed) {
        m_transaction.reset(); // rolls back
        restoreConnection();
        return Error{tr("The import of \"%1\" into \"%2\" failed while storing its rows; "
                        "nothing of it was kept.")
                         .arg(finalInfo.fileName, m_case.path())};
    }
    SQLite::Database &db = m_case.database();
    try {
        QElapsedTimer clock;
        clock.start();
        flushEndpointCounts();

        SQLite::Statement finish(db,
                                 "UPDATE sources SET rows_accepted = ?, rows_rejected = ?, "
                                 "date_order = ?, utc_offset_minutes = ?, report = ?, "
                                 "format = ?, newest_time = ?, first_event_id = ?, "
                                 "last_event_id = ? WHERE id = ?");
        finish.bind(1, static_cast<int64_t>(finalInfo.rowsAccepted));
        finish.bind(2, static_cast<int64_t>(finalInfo.rowsRejected));
        finish.bind(3, dateOrderName(finalInfo.dateOrder).toStdString());
        finish.bind(4, finalInfo.utcOffsetMinutes);
        finish.bind(5, finalInfo.reportJson.toStdString());
        finish.bind(6, finalInfo.format.toStdString());
        if (m_newestTime) {
            finish.bind(7, static_cast<int64_t>(*m_newestTime));
        }
        if (m_added > 0) {
            finish.bind(8, static_cast<int64_t>(m_firstEventId));
            finish.bind(9, static_cast<int64_t>(m_lastEventId));
        }
        finish.bind(10, static_cast<int64_t>(m_sourceId));
        finish.exec();

        m_insertEvent.reset();
        m_insertEvents.reset();
        m_insertString.reset();
        m_insertAddress.reset();
        m_insertEndpoint.reset();
        m_insertEndpoints.reset();
        m_selectAddress.reset();
        m_selectEndpoint.reset();
        const qint64 countsMs = clock.restart();
        if (cancelled && cancelled()) {
            m_transaction.reset(); // rolls back
            restoreConnection();
            return Error{tr("The import of \"%1\" into \"%2\" was cancelled before its commit.")
                             .arg(finalInfo.fileName, m_case.path())};
        }
        m_transaction->commit();
        qCInfo(lcStore) << "commit: event counts" << countsMs << "ms, transaction"
                        << clock.elapsed() << "ms";
        m_transaction.reset();
        restoreConnection();
        qCInfo(lcStore) << "committed source" << m_sourceId << "with" << m_added << "events";
        return ok();
    } catch (const SQLite::Exception &e) {
        return Error{tr("Could not finish the import of \"%1\" into \"%2\": %3")
                         .arg(finalInfo.fileName, m_case.path(), QString::fromUtf8(e.what()))};
    }
}

} // namespace Portent
