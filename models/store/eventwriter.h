// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "core/eventrecord.h"
#include "core/expected.h"
#include "store/sourceinfo.h"

#include <QByteArray>
#include <QHash>

#include <memory>
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
// Repeating text (device, process, action type, addresses...) is stored once and referenced by id.
class EventWriter
{
public:
    // Starts the transaction and inserts the source row (its counts are filled in by commit()).
    static Expected<std::unique_ptr<EventWriter>> begin(CaseFile &caseFile,
                                                        const SourceInfo &source);
    ~EventWriter();

    qint64 sourceId() const { return m_sourceId; }

    Status add(const EventRecord &record);
    qint64 added() const { return m_added; }

    // Finalises the source row (counts, date order, report) and commits everything.
    Status commit(const SourceInfo &finalInfo);

private:
    explicit EventWriter(CaseFile &caseFile);

    Status prepare(const SourceInfo &source);
    void deferIndexes(const char *table);
    void loadAddressesAndEndpoints();
    qint64 internString(const QByteArray &text);
    qint64 storeString(const QByteArray &text); // without looking for or remembering a copy
    std::optional<qint64> internAddress(const QByteArray &text);
    qint64 storeAddress(const QByteArray &text);
    std::optional<qint64> internEndpoint(qint64 addressId,
                                         const QByteArray &addressText,
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

    RawStatement m_insertEvent;
    RawStatement m_insertString;
    RawStatement m_insertAddress;
    RawStatement m_insertEndpoint;
    std::vector<std::string> m_deferredIndexes; // CREATE INDEX statements to run at commit
    qint64 m_sourceId = 0;
    qint64 m_added = 0;

    // Text already stored in this case, to its id. Bounded so that a file of unique values
    // (command lines, JSON extras) cannot grow memory without limit; past the bound a repeat is
    // simply stored again, which costs space but never correctness.
    QHash<QByteArray, qint64> m_stringIds;
    qint64 m_stringCacheBytes = 0;

    // Every address and endpoint of the case, loaded at begin() and kept whole: the writer alone
    // keeps them unique (the schema has no UNIQUE index for them), so a miss here means "new"
    // without asking the database. A canonical dotted IPv4 text is keyed by its 32-bit value,
    // any other text by itself; an endpoint by its address id and port packed in 64 bits.
    QHash<quint32, qint64> m_ipv4AddressIds;
    QHash<QByteArray, qint64> m_otherAddressIds;
    struct EndpointEntry
    {
        qint64 id = 0;
        qint64 newEvents = 0;          // events added to it by this import
        bool insertedNow = false;      // its row was inserted by this import with event_count 1
    };
    QHash<quint64, EndpointEntry> m_endpoints;
};

} // namespace Portent
