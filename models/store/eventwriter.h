// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "core/bytekey.h"
#include "core/eventrecord.h"
#include "core/expected.h"
#include "store/sourceinfo.h"

#include <QByteArray>
#include <QHash>

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

struct sqlite3_stmt;

namespace SQLite {
class Transaction;
} // namespace SQLite

namespace Portent {

class CaseFile;

// Writes one source and its events into a case inside a single transaction: either commit()
// makes all of it visible, or destroying the writer without commit() leaves the case as it was.
// Repeating text (device, process, action type, local addresses...) is stored once and referenced
// by id, and each remote address and port once as an endpoint.
class EventWriter
{
public:
    // How many addresses and how many endpoints the writer remembers (see m_mapsComplete).
    static constexpr qsizetype DefaultRememberedKeys = 1 << 20; // some 30 MB of endpoints
    static constexpr int EventColumns = 22; // values per row of the events INSERT
    // Rows per multi-row INSERT: 32 cut the time of a million plain inserts by a quarter, and
    // more gained nothing measurable.
    static constexpr std::size_t EventsPerInsert = 32;
    static constexpr std::size_t EndpointsPerInsert = 32; // new endpoints per INSERT, likewise

    // Starts the transaction and inserts the source row (its counts are filled in by commit()).
    static Expected<std::unique_ptr<EventWriter>> begin(CaseFile &caseFile,
                                                        const SourceInfo &source,
                                                        qsizetype rememberedKeys
                                                        = DefaultRememberedKeys);
    ~EventWriter();

    qint64 sourceId() const { return m_sourceId; }

    // Stores the records in order. After an error the import can only be rolled back (commit()
    // refuses): what of the records was stored is not said.
    Status add(std::span<const EventRecord> records);
    Status add(const EventRecord &record);
    qint64 added() const { return m_added; }
    // Of the events added, those whose remote address yields octets for the formulas (strictly
    // or by KQL's split), and those whose address is IPv6 (which has none); the first address
    // that yielded none and was not IPv6 ("REDACTED IP"), and the first IPv6 one.
    qint64 eventsWithOctets() const { return m_eventsWithOctets; }
    qint64 ipv6Events() const { return m_ipv6Events; }
    QByteArray addressWithoutOctets() const { return m_addressWithoutOctets; }
    QByteArray ipv6Example() const { return m_ipv6Example; }

    // Makes the other reading of every ambiguous slash date the event's time (see
    // EventRecord::timeAlt): the importer decided day-first only after the rows were written.
    Status swapAmbiguousReadings();

    // Finalises the source row (counts, date order, report) and commits everything, unless
    // `cancelled` says so just before the commit: then nothing is written.
    Status commit(const SourceInfo &finalInfo, const std::function<bool()> &cancelled = {});

private:
    EventWriter(CaseFile &caseFile, qsizetype rememberedKeys);

    Status prepare(const SourceInfo &source);
    void adjustConnection();
    void restoreConnection();
    void loadAddressesAndEndpoints();
    void switchToLookups();
    void flushEndpointCounts();
    Status checkPorts(const EventRecord &record) const;
    void bindEvent(sqlite3_stmt *statement, int at, const EventRecord &record);
    void noteAdded(qint64 lastId, std::span<const EventRecord> records);
    void noteNewest(const EventRecord &record);
    void noteOctets(const QByteArray &remoteIp, bool canonical);
    qint64 internString(const QByteArray &text);
    qint64 internSharedExtra(const EventRecord &record);
    // `canonical`: the text's value when it is a canonical dotted IPv4 (parsed once per event).
    std::optional<qint64> internAddress(const QByteArray &text, std::optional<quint32> canonical);
    template<typename Key>
    qint64 rememberedAddress(QHash<Key, qint64> &ids,
                             const Key &key,
                             const QByteArray &text,
                             std::optional<quint32> canonical);
    template<typename Key> void remember(QHash<Key, qint64> &ids, const Key &key, qint64 id);
    static quint32 storedKey(quint32 ipv4) { return ipv4; }
    static QByteArray storedKey(const QByteArray &text);
    std::optional<qint64> findAddress(const QByteArray &text);
    qint64 storeAddress(const QByteArray &text, std::optional<quint32> canonical);
    struct EndpointEntry
    {
        qint64 id = 0;
        quint32 newEvents = 0;    // events added to it by this import, not yet counted in the row
        bool insertedNow = false; // its row was inserted with event_count 1 for its first event
    };
    std::optional<qint64> findEndpoint(const QByteArray &text, std::optional<qint64> port);
    // A new endpoint waiting for its row (see storeEndpoint); its address text is at
    // m_pendingEndpointText[textAt, textAt + textSize).
    struct PendingEndpoint
    {
        qint64 id = 0;
        qsizetype textAt = 0;
        qsizetype textSize = 0;
        std::optional<quint32> canonical;
        std::optional<qint64> port;
    };
    qint64 storeEndpoint(const QByteArray &text,
                         std::optional<quint32> canonical,
                         std::optional<qint64> port);
    void storePendingEndpoints();
    void bindEndpoint(sqlite3_stmt *statement, int at, const PendingEndpoint &endpoint);
    std::optional<qint64> internEndpoint(const QByteArray &text,
                                         std::optional<quint32> canonical,
                                         std::optional<qint64> port);
    template<typename Key>
    qint64 countEvent(QHash<Key, EndpointEntry> &entries,
                      const Key &key,
                      const QByteArray &text,
                      std::optional<quint32> canonical,
                      std::optional<qint64> port);

    CaseFile &m_case;
    std::unique_ptr<SQLite::Transaction> m_transaction;
    // The hot insert statements use SQLite's C API directly: SQLiteCpp binds text only from
    // NUL-terminated or std::string values, which would copy every field once more.
    struct StatementDeleter
    {
        void operator()(sqlite3_stmt *statement) const;
    };
    using RawStatement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;
    RawStatement prepareRaw(const char *sql);

    RawStatement m_insertEvent;  // one row
    RawStatement m_insertEvents; // EventsPerInsert rows
    RawStatement m_insertString;
    RawStatement m_insertAddress;
    RawStatement m_insertEndpoint;  // one row
    RawStatement m_insertEndpoints; // EndpointsPerInsert rows
    RawStatement m_selectAddress;   // prepared only once the writer looks addresses up
    RawStatement m_selectEndpoint;  // and endpoints
    qint64 m_sourceId = 0;
    qint64 m_added = 0;
    qint64 m_firstEventId = 0; // the source's events, for the sources row (see SchemaV3)
    qint64 m_lastEventId = 0;
    std::optional<qint64> m_newestTime;        // the newest event time as written
    std::optional<qint64> m_newestSwappedTime; // the same if the ambiguous readings swap
    bool m_connectionAdjusted = false;         // see adjustConnection()
    bool m_failed = false;                     // an add() failed: commit() refuses
    qint64 m_eventsWithOctets = 0;
    qint64 m_ipv6Events = 0;
    QByteArray m_addressWithoutOctets;
    QByteArray m_ipv6Example;

    // Text already stored in this case, to its id. Bounded so that a file of unique values
    // (command lines, JSON extras) cannot grow memory without limit; past the bound a repeat is
    // simply stored again, which costs space but never correctness.
    QHash<ByteKey, qint64> m_stringIds;
    qint64 m_stringCacheBytes = 0;
    QHash<quint64, qint64> m_sharedExtraIds; // EventRecord::extraSharedKey -> string id

    // Local addresses and remote endpoints already stored, to their ids. While `m_mapsComplete`
    // holds, these maps know every address and endpoint of the case (loaded at begin(), then
    // kept), so a miss means "new" without asking the database: a large import never pays for a
    // random look-up in a unique index, and needs none. A case or an import with more than
    // m_rememberedKeys of either ends that: the writer then builds the unique indexes at once,
    // looks misses up in them, and uses the maps as a bounded cache, so memory stays bounded
    // whatever the file's size. A canonical dotted IPv4 text is keyed by its 32-bit value (with
    // the port, for an endpoint), any other text by itself.
    const qsizetype m_rememberedKeys;
    bool m_mapsComplete = true;
    QHash<quint32, qint64> m_ipv4AddressIds;
    QHash<QByteArray, qint64> m_otherAddressIds;
    std::vector<PendingEndpoint> m_pendingEndpoints; // at most EndpointsPerInsert
    QByteArray m_pendingEndpointText;
    qint64 m_nextEndpointId = 1;
    QHash<quint64, EndpointEntry> m_ipv4Endpoints;     // see ipv4EndpointKey()
    QHash<QByteArray, EndpointEntry> m_otherEndpoints; // see otherEndpointKey()
};

} // namespace Portent
