// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "core/bytekey.h"
#include "core/eventrecord.h"
#include "ingest/jsontext.h"
#include "ingest/timestampparser.h"
#include "store/sourceinfo.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QSet>
#include <QString>

#include <array>
#include <optional>
#include <vector>

namespace Portent {

// The EventRecord fields a source column can feed. The Fallback* fields are used only when the
// primary field is empty in that row; otherwise their value is kept in the extra JSON.
enum class Field {
    Timestamp,
    TimeGenerated,
    EnvelopeTime, // Event Hub envelope "time", used when the row has neither of the above
    DeviceName,
    ActionType,
    RemoteIp,
    RemotePort,
    RemoteUrl,
    LocalIp,
    LocalPort,
    Protocol,
    LocalIpType,
    RemoteIpType,
    ProcessName,
    ProcessFolder,
    ProcessCommandLine,
    ProcessId,
    AccountName,
    AccountDomain,
    ReportId,
    FallbackAccountName,   // AccountName
    FallbackAccountDomain, // AccountDomain
    FallbackRemoteIp,      // DestinationIP (CommonSecurityLog), DestinationIPAddress (Identity*)
    FallbackRemotePort,    // DestinationPort
    FallbackLocalIp,       // SourceIP
    FallbackLocalPort,     // SourcePort
    Count,
    Extra = Count, // not modelled: goes into the extra JSON
};

// How a column's time zone is labelled in its header.
enum class TimeLabel {
    None,  // "Timestamp": UTC by Defender's convention
    Utc,   // "Timestamp [UTC]"
    Local, // "TimeGenerated [Local Time]": needs the user's offset
};

struct ColumnInfo
{
    QByteArray name;      // as in the file, for messages
    QByteArray quotedKey; // JSON key for the extra object: suffixes stripped, `"Name":`
    Field field = Field::Extra;
    TimeLabel timeLabel = TimeLabel::None;
    // Position among the source's columns, set by the parser. -1 for a column outside them (the
    // Event Hub envelope's time): its values are always kept per row.
    int index = -1;
};

// Maps a column name as it appears in an export: strips the Log Analytics " [UTC]" /
// " [Local Time]" suffix and the union type suffixes ("ReportId_long", "AdditionalFields_string").
ColumnInfo describeColumn(QByteArrayView name);

// Day/month evidence and the time zone treatment shared by all rows of one source.
struct TimeContext
{
    DateOrder forcedOrder = DateOrder::Unknown;
    std::optional<int> utcOffsetMinutes; // applied to Local columns
    qint64 dayFirstRows = 0;
    qint64 monthFirstRows = 0;
    qint64 ambiguousRows = 0;
    qint64 sameReadingRows = 0;
    qint64 contradictingRows = 0; // rejected: readable only against the user's forced order
    qint64 zonelessRows = 0;      // times without Z or offset in columns not labelled local
    bool sawLocalColumn = false;  // a header had a [Local Time] column
    bool sawUtcLabel = false;     // a header had a [UTC] column
};

// Decides, per unmodelled column, which part of the extra JSON its values go to: a column whose
// first values repeat is shared, one whose values are mostly distinct is per row. Until a column
// has shown enough values its values go to the row part, which is always correct, only larger.
class ExtraColumnClassifier
{
public:
    enum class Part { Shared, Row };

    // `column` identifies the column for the whole source (ColumnInfo::index); -1 means one
    // outside the source's columns, always per row.
    Part classify(int column, QByteArrayView value);

private:
    struct Stats
    {
        QSet<std::size_t> distinct; // hashes of the sampled values; released once decided
        int sampled = 0;
        std::optional<Part> part;
    };

    std::vector<Stats> m_columns; // by column index: a look-up per extra field of every row
};

// Turns one source row, given field by field, into an EventRecord or a rejection.
class RecordMapper
{
public:
    struct Rejection
    {
        QString field;
        QString reason;
    };

    explicit RecordMapper(TimeContext &time)
        : m_time(time)
    {}

    void begin(qint64 line);
    // Gives a column value. An empty value or literal null means "no value" and is dropped. The
    // first non-empty value for a field wins (union columns give a field twice); any later one
    // goes to extra. `rawJson` marks a value that is already JSON text (numbers, nested objects).
    void set(const ColumnInfo &column, QByteArrayView value, bool rawJson = false);
    // The same for a column known only for this record (JSON keys).
    void set(Field field,
             QByteArrayView name,
             QByteArrayView quotedKey,
             QByteArrayView value,
             bool rawJson,
             TimeLabel label = TimeLabel::None,
             int column = -1);

    // Completes the record; on success `record` holds it.
    std::optional<Rejection> finish(EventRecord &record);

private:
    struct Slot
    {
        QByteArrayView value;
        QByteArrayView name;
        QByteArrayView quotedKey;
        bool rawJson = false;
        TimeLabel label = TimeLabel::None;
        int column = -1;
    };

    void addExtra(const Slot &slot);
    static void addToObject(JsonObjectBuilder &object, const Slot &slot);
    struct SharedText
    {
        QByteArray json;
        quint64 key = 0; // EventRecord::extraSharedKey
    };
    SharedText sharedExtra();
    void fillText(EventRecord &record);

    const Slot *pick(Field primary, Field fallback) const;
    const Slot *filled(Field field) const;
    std::optional<Rejection> mapTime(EventRecord &record);
    std::optional<QString> applyForcedOrder(ParsedTime &parsed);
    std::optional<Rejection> mapIntegers(EventRecord &record);
    void keepUnusedFallback(Field primary, Field fallback);

    TimeContext &m_time;
    // The slots given a value in this row, one bit per Field: begin() clears the bits instead
    // of some two kilobytes of slots for every row.
    static_assert(int(Field::Count) <= 32, "one bit per field in m_filled");
    std::array<Slot, std::size_t(Field::Count)> m_slots;
    quint32 m_filled = 0;
    ExtraColumnClassifier m_classifier;
    std::vector<Slot> m_sharedSlots;          // this row's shared extra columns, in order
    QByteArray m_sharedKey;                   // the same, as bytes: which column, how, its value
    QHash<ByteKey, SharedText> m_sharedTexts; // shared key -> its JSON object
    qint64 m_sharedTextsBytes = 0;
    quint64 m_lastSharedTextKey = 0; // keys are never reused, even after the cache is cleared
    JsonObjectBuilder m_extraRow;
    qint64 m_line = 0;
};

// Strict decimal integer (optional sign); nothing for anything else.
std::optional<qint64> parseInteger(QByteArrayView text);

} // namespace Portent
