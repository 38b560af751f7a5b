// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "ingest/recordmapper.h"

#include "core/bytes.h"
#include "core/ticks.h"

#include <QCoreApplication>
#include <QHash>

#include <cstring>
#include <limits>

namespace Portent {

namespace {

const QHash<QByteArray, Field> &fieldsByName()
{
    static const QHash<QByteArray, Field> fields = {
        {"timestamp", Field::Timestamp},
        {"timegenerated", Field::TimeGenerated},
        {"devicename", Field::DeviceName},
        {"actiontype", Field::ActionType},
        {"remoteip", Field::RemoteIp},
        {"remoteport", Field::RemotePort},
        {"remoteurl", Field::RemoteUrl},
        {"localip", Field::LocalIp},
        {"localport", Field::LocalPort},
        {"protocol", Field::Protocol},
        {"localiptype", Field::LocalIpType},
        {"remoteiptype", Field::RemoteIpType},
        {"initiatingprocessfilename", Field::ProcessName},
        {"initiatingprocessfolderpath", Field::ProcessFolder},
        {"initiatingprocesscommandline", Field::ProcessCommandLine},
        {"initiatingprocessid", Field::ProcessId},
        {"initiatingprocessaccountname", Field::AccountName},
        {"initiatingprocessaccountdomain", Field::AccountDomain},
        {"reportid", Field::ReportId},
        {"accountname", Field::FallbackAccountName},
        {"accountdomain", Field::FallbackAccountDomain},
        {"destinationip", Field::FallbackRemoteIp},
        {"destinationipaddress", Field::FallbackRemoteIp},
        {"destinationport", Field::FallbackRemotePort},
        {"sourceip", Field::FallbackLocalIp},
        {"sourceport", Field::FallbackLocalPort},
    };
    return fields;
}

bool endsWithNoCase(QByteArrayView text, QByteArrayView suffix)
{
    return text.size() >= suffix.size()
           && text.last(suffix.size()).compare(suffix, Qt::CaseInsensitive) == 0;
}

// Kusto scalar types that `union` appends to a column whose type differs between tables.
QByteArrayView stripUnionSuffix(QByteArrayView name)
{
    static constexpr const char *Suffixes[] = {"_string",
                                               "_long",
                                               "_int",
                                               "_real",
                                               "_bool",
                                               "_dynamic",
                                               "_datetime",
                                               "_guid",
                                               "_timespan",
                                               "_decimal"};
    for (const char *suffix : Suffixes) {
        const QByteArrayView view(suffix);
        if (name.size() > view.size() && endsWithNoCase(name, view)) {
            return name.first(name.size() - view.size());
        }
    }
    return name;
}

QString quoteForMessage(QByteArrayView value)
{
    constexpr qsizetype MaxShown = 60;
    QString text = QString::fromUtf8(value.first(std::min(value.size(), MaxShown)));
    if (value.size() > MaxShown) {
        text += QStringLiteral("...");
    }
    return QLatin1Char('"') + text + QLatin1Char('"');
}

char *copyBytes(char *out, const void *bytes, std::size_t size)
{
    if (size > 0) {
        std::memcpy(out, bytes, size);
    }
    return out + size;
}

bool isNoValue(QByteArrayView value)
{
    return value.isEmpty() || value == "null";
}

} // namespace

ColumnInfo describeColumn(QByteArrayView name)
{
    ColumnInfo info;
    info.name = name.toByteArray();
    QByteArrayView base = name.trimmed();
    if (endsWithNoCase(base, " [UTC]")) {
        info.timeLabel = TimeLabel::Utc;
        base.chop(6);
    } else if (endsWithNoCase(base, " [Local Time]")) {
        info.timeLabel = TimeLabel::Local;
        base.chop(13);
    }
    base = stripUnionSuffix(base);
    info.quotedKey = quotedJsonKey(base);
    info.field = fieldsByName().value(base.toByteArray().toLower(), Field::Extra);
    return info;
}

std::optional<qint64> parseInteger(QByteArrayView text)
{
    text = text.trimmed();
    bool negative = false;
    if (!text.isEmpty() && (text.front() == '-' || text.front() == '+')) {
        negative = text.front() == '-';
        text = text.sliced(1);
    }
    if (text.isEmpty() || text.size() > 18) {
        return std::nullopt; // 18 digits cannot overflow qint64; longer is no port or pid anyway
    }
    qint64 value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    return negative ? -value : value;
}

ExtraColumnClassifier::Part ExtraColumnClassifier::classify(int column, QByteArrayView value)
{
    // Enough values to tell a per-process column (a few hundred distinct values in a million
    // rows) from a per-row one, few enough that the sample costs nothing.
    constexpr int SampleSize = 1000;
    if (column < 0) {
        return Part::Row;
    }
    if (std::size_t(column) >= m_columns.size()) {
        m_columns.resize(std::size_t(column) + 1);
    }
    Stats &stats = m_columns[std::size_t(column)];
    if (stats.part) {
        return *stats.part;
    }
    stats.distinct.insert(qHash(value));
    if (++stats.sampled < SampleSize) {
        return Part::Row;
    }
    stats.part = stats.distinct.size() <= SampleSize / 2 ? Part::Shared : Part::Row;
    stats.distinct = {};
    return *stats.part;
}

void RecordMapper::begin(qint64 line)
{
    m_line = line;
    m_filled = 0;
    m_sharedSlots.clear();
    clearKeepingCapacity(m_sharedKey);
    m_extraRow.clear();
}

void RecordMapper::set(const ColumnInfo &column, QByteArrayView value, bool rawJson)
{
    set(column.field,
        column.name,
        column.quotedKey,
        value,
        rawJson,
        column.timeLabel,
        column.index);
}

void RecordMapper::set(Field field,
                       QByteArrayView name,
                       QByteArrayView quotedKey,
                       QByteArrayView value,
                       bool rawJson,
                       TimeLabel label,
                       int column)
{
    if (isNoValue(value)) {
        return;
    }
    if (field != Field::Extra && filled(field) == nullptr) {
        m_slots[std::size_t(field)] = Slot{value, name, quotedKey, rawJson, label, column};
        m_filled |= 1u << unsigned(field);
        return;
    }
    addExtra(Slot{value, name, quotedKey, rawJson, label, column});
}

void RecordMapper::addExtra(const Slot &slot)
{
    if (m_classifier.classify(slot.column, slot.value) == ExtraColumnClassifier::Part::Row) {
        addToObject(m_extraRow, slot);
        return;
    }
    // The shared part is written as JSON only the first time its values come together (see
    // sharedExtra); until then the slot and its exact bytes make up the key.
    m_sharedSlots.push_back(slot);
    const qint32 column = slot.column;
    const auto length = quint32(slot.value.size());
    const char how = slot.rawJson ? 'r' : 's';
    // One resize and plain copies: this runs for some twenty columns of every row.
    const qsizetype at = m_sharedKey.size();
    m_sharedKey.resize(at + qsizetype(sizeof column + sizeof how + sizeof length)
                       + slot.value.size());
    char *out = m_sharedKey.data() + at;
    out = copyBytes(out, &column, sizeof column);
    out = copyBytes(out, &how, sizeof how);
    out = copyBytes(out, &length, sizeof length);
    copyBytes(out, slot.value.data(), std::size_t(slot.value.size()));
}

void RecordMapper::addToObject(JsonObjectBuilder &object, const Slot &slot)
{
    if (slot.rawJson) {
        object.addRaw(slot.quotedKey, slot.value);
    } else {
        object.addString(slot.quotedKey, slot.value);
    }
}

// In an export, the shared columns of a row (hashes, version info, SIDs of its process) repeat
// a few thousand ways in a million rows, so their JSON object is built once per combination and
// handed out again (implicitly shared, so without a copy) for every row that repeats it.
RecordMapper::SharedText RecordMapper::sharedExtra()
{
    if (m_sharedSlots.empty()) {
        return {};
    }
    if (const auto found = m_sharedTexts.constFind(ByteKey::lookup(m_sharedKey));
        found != m_sharedTexts.cend()) {
        return found.value();
    }
    JsonObjectBuilder object;
    for (const Slot &slot : m_sharedSlots) {
        addToObject(object, slot);
    }
    const SharedText text{object.take(), ++m_lastSharedTextKey};
    // Bounded like the writer's string cache: a source of unique values only stops reuse.
    constexpr qint64 SharedTextsBudgetBytes = 16 * 1024 * 1024;
    if (m_sharedTextsBytes > SharedTextsBudgetBytes) {
        m_sharedTexts.clear();
        m_sharedTextsBytes = 0;
    }
    m_sharedTexts.insert(ByteKey::stored(m_sharedKey), text);
    m_sharedTextsBytes += m_sharedKey.size() + text.json.size();
    return text;
}

const RecordMapper::Slot *RecordMapper::pick(Field primary, Field fallback) const
{
    if (const Slot *first = filled(primary)) {
        return first;
    }
    return filled(fallback);
}

const RecordMapper::Slot *RecordMapper::filled(Field field) const
{
    Q_ASSERT(field < Field::Count);
    return (m_filled & (1u << unsigned(field))) != 0 ? &m_slots[std::size_t(field)] : nullptr;
}

void RecordMapper::keepUnusedFallback(Field primary, Field fallback)
{
    const Slot *used = filled(primary);
    const Slot *spare = filled(fallback);
    // An envelope time is compared with itself: the caller already knows the row time won.
    if ((used == nullptr && primary != fallback) || spare == nullptr) {
        return;
    }
    addExtra(*spare);
}

// A slash date that can only be read the other way round contradicts the user's order.
std::optional<QString> RecordMapper::applyForcedOrder(ParsedTime &parsed)
{
    const DateOrder forced = m_time.forcedOrder;
    if (forced == DateOrder::MonthFirst && parsed.evidence == SlashEvidence::DayFirst) {
        ++m_time.contradictingRows;
        return QCoreApplication::translate("Portent", "not a month-first date: %1");
    }
    if (forced == DateOrder::DayFirst && parsed.evidence == SlashEvidence::MonthFirst) {
        ++m_time.contradictingRows;
        return QCoreApplication::translate("Portent", "not a day-first date: %1");
    }
    // An ambiguous date comes back month-first with the day-first reading beside it.
    if (forced == DateOrder::DayFirst && parsed.evidence == SlashEvidence::Ambiguous
        && parsed.alt) {
        std::swap(parsed.ticks, *parsed.alt);
    }
    return std::nullopt;
}

std::optional<RecordMapper::Rejection> RecordMapper::mapTime(EventRecord &record)
{
    const Slot *slot = pick(Field::Timestamp, Field::TimeGenerated);
    if (slot == nullptr) {
        slot = pick(Field::EnvelopeTime, Field::EnvelopeTime);
    }
    if (slot == nullptr) {
        return std::nullopt;
    }
    // Both readings are kept even when the user set the order, so that it can be changed later
    // and the report can count the evidence; the forced order only picks which one is `time`.
    auto parsed = parseTimestamp(slot->value, DateOrder::Unknown);
    if (!parsed) {
        return Rejection{QString::fromUtf8(slot->name),
                         QCoreApplication::translate("Portent", "not a date and time: %1")
                             .arg(quoteForMessage(slot->value))};
    }
    if (const auto contradiction = applyForcedOrder(*parsed)) {
        return Rejection{QString::fromUtf8(slot->name),
                         contradiction->arg(quoteForMessage(slot->value))};
    }
    qint64 shift = 0;
    if (slot->label == TimeLabel::Local && !parsed->hasZone) {
        shift = qint64(m_time.utcOffsetMinutes.value_or(0)) * TicksPerMinute;
    } else if (!parsed->hasZone) {
        ++m_time.zonelessRows;
    }
    record.time = parsed->ticks - shift;
    if (parsed->alt) {
        record.timeAlt = *parsed->alt - shift;
    }
    switch (parsed->evidence) {
    case SlashEvidence::DayFirst:
        ++m_time.dayFirstRows;
        break;
    case SlashEvidence::MonthFirst:
        ++m_time.monthFirstRows;
        break;
    case SlashEvidence::Ambiguous:
        ++m_time.ambiguousRows;
        break;
    case SlashEvidence::Same:
        ++m_time.sameReadingRows;
        break;
    case SlashEvidence::None:
        break;
    }
    return std::nullopt;
}

std::optional<RecordMapper::Rejection> RecordMapper::mapIntegers(EventRecord &record)
{
    struct Target
    {
        Field primary;
        Field fallback;
        std::optional<qint64> EventRecord::*member;
        qint64 max;
    };
    static constexpr Target Targets[] = {
        {Field::RemotePort, Field::FallbackRemotePort, &EventRecord::remotePort, 65535},
        {Field::LocalPort, Field::FallbackLocalPort, &EventRecord::localPort, 65535},
        {Field::ProcessId,
         Field::ProcessId,
         &EventRecord::processId,
         std::numeric_limits<qint64>::max()},
    };
    for (const Target &target : Targets) {
        const Slot *slot = pick(target.primary, target.fallback);
        if (slot == nullptr) {
            continue;
        }
        const auto value = parseInteger(slot->value);
        if (!value) {
            return Rejection{QString::fromUtf8(slot->name),
                             QCoreApplication::translate("Portent", "not an integer: %1")
                                 .arg(quoteForMessage(slot->value))};
        }
        if (*value < 0 || *value > target.max) {
            return Rejection{QString::fromUtf8(slot->name),
                             QCoreApplication::translate("Portent", "out of range: %1")
                                 .arg(quoteForMessage(slot->value))};
        }
        record.*target.member = value;
    }
    return std::nullopt;
}

std::optional<RecordMapper::Rejection> RecordMapper::finish(EventRecord &record)
{
    record.clear();
    record.sourceLine = m_line;
    if (auto rejection = mapTime(record)) {
        return rejection;
    }
    if (auto rejection = mapIntegers(record)) {
        return rejection;
    }

    keepUnusedFallback(Field::Timestamp, Field::TimeGenerated);
    keepUnusedFallback(Field::AccountName, Field::FallbackAccountName);
    keepUnusedFallback(Field::AccountDomain, Field::FallbackAccountDomain);
    keepUnusedFallback(Field::RemoteIp, Field::FallbackRemoteIp);
    keepUnusedFallback(Field::RemotePort, Field::FallbackRemotePort);
    keepUnusedFallback(Field::LocalIp, Field::FallbackLocalIp);
    keepUnusedFallback(Field::LocalPort, Field::FallbackLocalPort);
    if (pick(Field::Timestamp, Field::TimeGenerated) != nullptr) {
        keepUnusedFallback(Field::EnvelopeTime, Field::EnvelopeTime);
    }
    SharedText shared = sharedExtra();
    record.extraShared = std::move(shared.json);
    record.extraSharedKey = shared.key;
    fillText(record);
    return std::nullopt;
}

// Every text field of the row, and its per-row extras, go one after the other into the record's
// own buffer, which the fields then refer to without owning it (see EventRecord::textStorage).
void RecordMapper::fillText(EventRecord &record)
{
    struct Text
    {
        QByteArray EventRecord::*field;
        Field primary;
        Field fallback;
    };
    static constexpr Text Texts[] = {
        {&EventRecord::deviceName, Field::DeviceName, Field::DeviceName},
        {&EventRecord::actionType, Field::ActionType, Field::ActionType},
        {&EventRecord::remoteIp, Field::RemoteIp, Field::FallbackRemoteIp},
        {&EventRecord::remoteUrl, Field::RemoteUrl, Field::RemoteUrl},
        {&EventRecord::localIp, Field::LocalIp, Field::FallbackLocalIp},
        {&EventRecord::protocol, Field::Protocol, Field::Protocol},
        {&EventRecord::localIpType, Field::LocalIpType, Field::LocalIpType},
        {&EventRecord::remoteIpType, Field::RemoteIpType, Field::RemoteIpType},
        {&EventRecord::processName, Field::ProcessName, Field::ProcessName},
        {&EventRecord::processFolder, Field::ProcessFolder, Field::ProcessFolder},
        {&EventRecord::processCommandLine, Field::ProcessCommandLine, Field::ProcessCommandLine},
        {&EventRecord::accountName, Field::AccountName, Field::FallbackAccountName},
        {&EventRecord::accountDomain, Field::AccountDomain, Field::FallbackAccountDomain},
        {&EventRecord::reportId, Field::ReportId, Field::ReportId},
    };
    struct Span
    {
        qsizetype offset = 0;
        qsizetype size = 0; // 0: no value
    };
    std::array<Span, std::size(Texts)> spans{};
    std::array<const Slot *, std::size(Texts)> chosen{};
    qsizetype textBytes = 0;
    for (std::size_t i = 0; i < std::size(Texts); ++i) {
        chosen[i] = pick(Texts[i].primary, Texts[i].fallback);
        if (chosen[i] != nullptr) {
            spans[i] = Span{textBytes, chosen[i]->value.size()};
            textBytes += chosen[i]->value.size();
        }
    }
    // Sized once and filled by plain copies: this runs for every row of the file.
    QByteArray &storage = record.textStorage; // emptied by record.clear() in finish()
    storage.resize(textBytes);
    char *out = storage.data();
    for (const Slot *slot : chosen) {
        if (slot != nullptr) {
            out = copyBytes(out, slot->value.data(), std::size_t(slot->value.size()));
        }
    }
    const qsizetype extraRowOffset = storage.size();
    m_extraRow.appendTo(storage);
    const qsizetype extraRowSize = storage.size() - extraRowOffset;

    // Only now, since the appends may have moved the buffer.
    const auto refer = [&storage](qsizetype offset, qsizetype size) {
        return size == 0 ? QByteArray()
                         : QByteArray::fromRawData(storage.constData() + offset, size);
    };
    for (std::size_t i = 0; i < std::size(Texts); ++i) {
        record.*Texts[i].field = refer(spans[i].offset, spans[i].size);
    }
    record.extraRow = refer(extraRowOffset, extraRowSize);
}

} // namespace Portent
