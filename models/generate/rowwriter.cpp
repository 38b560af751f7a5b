// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "generate/rowwriter.h"

#include <array>
#include <cstring>

namespace Portent::Generate {

namespace {

enum class ColumnType {
    String,
    DateTime,
    Int32,
    Int64,
    Boolean,
};

struct Column
{
    const char *name;
    ColumnType type;
};

// DeviceNetworkEvents in the order the Advanced Hunting portal exports it.
constexpr Column Columns[] = {
    {"Timestamp", ColumnType::DateTime},
    {"DeviceId", ColumnType::String},
    {"DeviceName", ColumnType::String},
    {"ActionType", ColumnType::String},
    {"RemoteIP", ColumnType::String},
    {"RemotePort", ColumnType::Int32},
    {"RemoteUrl", ColumnType::String},
    {"LocalIP", ColumnType::String},
    {"LocalPort", ColumnType::Int32},
    {"Protocol", ColumnType::String},
    {"LocalIPType", ColumnType::String},
    {"RemoteIPType", ColumnType::String},
    {"InitiatingProcessSHA1", ColumnType::String},
    {"InitiatingProcessSHA256", ColumnType::String},
    {"InitiatingProcessMD5", ColumnType::String},
    {"InitiatingProcessFileName", ColumnType::String},
    {"InitiatingProcessFileSize", ColumnType::Int64},
    {"InitiatingProcessVersionInfoCompanyName", ColumnType::String},
    {"InitiatingProcessVersionInfoProductName", ColumnType::String},
    {"InitiatingProcessVersionInfoProductVersion", ColumnType::String},
    {"InitiatingProcessVersionInfoInternalFileName", ColumnType::String},
    {"InitiatingProcessVersionInfoOriginalFileName", ColumnType::String},
    {"InitiatingProcessVersionInfoFileDescription", ColumnType::String},
    {"InitiatingProcessId", ColumnType::Int64},
    {"InitiatingProcessCommandLine", ColumnType::String},
    {"InitiatingProcessCreationTime", ColumnType::DateTime},
    {"InitiatingProcessFolderPath", ColumnType::String},
    {"InitiatingProcessParentFileName", ColumnType::String},
    {"InitiatingProcessParentId", ColumnType::Int64},
    {"InitiatingProcessParentCreationTime", ColumnType::DateTime},
    {"InitiatingProcessAccountDomain", ColumnType::String},
    {"InitiatingProcessAccountName", ColumnType::String},
    {"InitiatingProcessAccountSid", ColumnType::String},
    {"InitiatingProcessAccountUpn", ColumnType::String},
    {"InitiatingProcessAccountObjectId", ColumnType::String},
    {"InitiatingProcessIntegrityLevel", ColumnType::String},
    {"InitiatingProcessTokenElevation", ColumnType::String},
    {"ReportId", ColumnType::Int64},
    {"AppGuardContainerId", ColumnType::String},
    {"AdditionalFields", ColumnType::String},
    {"InitiatingProcessSessionId", ColumnType::Int64},
    {"IsInitiatingProcessRemoteSession", ColumnType::Boolean},
    {"InitiatingProcessRemoteSessionDeviceName", ColumnType::String},
    {"InitiatingProcessRemoteSessionIP", ColumnType::String},
};
constexpr int ColumnCount = int(std::size(Columns));

const char *jsonTypeName(ColumnType type)
{
    switch (type) {
    case ColumnType::String:
        return "String";
    case ColumnType::DateTime:
        return "DateTime";
    case ColumnType::Int32:
        return "Int32";
    case ColumnType::Int64:
        return "Int64";
    case ColumnType::Boolean:
        return "Boolean";
    }
    return "String";
}

// Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's civil_from_days).
void civilFromDays(qint64 days, int &year, int &month, int &day)
{
    days += 719468;
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const qint64 doe = days - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    day = int(doy - (153 * mp + 2) / 5 + 1);
    month = int(mp < 10 ? mp + 3 : mp - 9);
    year = int(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

void appendPadded(QByteArray &out, qint64 value, int width)
{
    char digits[20];
    for (int i = width - 1; i >= 0; --i) {
        digits[i] = char('0' + value % 10);
        value /= 10;
    }
    out.append(digits, width);
}

// The text of one cell.
struct Cell
{
    QByteArray text;
    bool bare = false; // number or boolean: unquoted in JSON
    bool null = false; // no value: empty in CSV, null in JSON
};

QByteArray numberText(qint64 value)
{
    return QByteArray::number(value);
}

QByteArray timeText(qint64 ticks, TimestampStyle style)
{
    QByteArray text;
    text.reserve(28);
    appendTimestamp(text, ticks, style);
    return text;
}

QByteArray additionalFields(const Row &row, const Catalog &catalog)
{
    const Device &device = catalog.device(row.device);
    switch (row.additional) {
    case AdditionalKind::None:
        return {};
    case AdditionalKind::Packet:
        return R"({"direction":"Out","Source Mac":"7c:1e:52:)" + device.id.left(2) + ':'
               + device.id.mid(2, 2) + ':' + device.id.mid(4, 2)
               + R"(","Destination Mac":"12:34:56:78:9a:bc","Tcp Flags":2,"Packet Size":)"
               + QByteArray::number(60 + row.reportId % 7) + '}';
    case AdditionalKind::Ssl:
        return R"({"direction":"Out","version":"TLSv12","curve":"x25519","server_name":")"
               + row.remoteUrl + R"(","resumed":"false","established":"true"})";
    case AdditionalKind::Dns:
        return R"({"direction":"Out","trans_id":")" + QByteArray::number(row.reportId % 65536)
               + R"(","query":"login.microsoftonline.com","qclass_name":"C_INTERNET",)"
                 R"("qtype_name":"A","rcode_name":"NOERROR"})";
    }
    return {};
}

void fillCells(std::array<Cell, ColumnCount> &cells,
               const Row &row,
               const Catalog &catalog,
               TimestampStyle style)
{
    const Device &device = catalog.device(row.device);
    const ProcessSpec &spec = Catalog::process(row.process);
    const ProcessInstance &instance = catalog.instance(row.device, row.process);
    const bool loopback = row.remoteIp == "127.0.0.1";
    const auto number = [](qint64 value) { return Cell{numberText(value), true, false}; };
    const auto port = [](int value) {
        return value == NoPort ? Cell{{}, true, true} : Cell{numberText(value), true, false};
    };
    cells = {
        Cell{timeText(row.time, style)},
        Cell{device.id},
        Cell{device.name},
        Cell{row.actionType},
        Cell{row.remoteIp},
        port(row.remotePort),
        Cell{row.remoteUrl},
        Cell{loopback ? QByteArray("127.0.0.1") : device.localIp},
        port(row.localPort),
        Cell{row.protocol},
        Cell{loopback ? "Loopback" : "Private"},
        Cell{row.remoteIpType},
        Cell{instance.sha1},
        Cell{instance.sha256},
        Cell{instance.md5},
        Cell{spec.fileName},
        number(spec.size),
        Cell{spec.company},
        Cell{spec.product},
        Cell{spec.version},
        Cell{*spec.company ? spec.fileName : ""},
        Cell{*spec.company ? spec.fileName : ""},
        Cell{spec.description},
        number(instance.pid),
        Cell{instance.commandLine},
        Cell{timeText(instance.creationTicks, style)},
        Cell{instance.folder},
        Cell{spec.parent},
        number(instance.parentPid),
        Cell{timeText(instance.parentCreationTicks, style)},
        Cell{instance.domain},
        Cell{instance.account},
        Cell{instance.sid},
        Cell{instance.upn},
        Cell{instance.objectId},
        Cell{instance.integrity},
        Cell{instance.elevation},
        number(row.reportId),
        Cell{},
        Cell{additionalFields(row, catalog)},
        number(spec.system ? 0 : 1),
        Cell{"false", true, false},
        Cell{},
        Cell{},
    };
}

void appendCsvField(QByteArray &out, const QByteArray &text)
{
    const bool quote
        = text.contains(',') || text.contains('"') || text.contains('\n') || text.contains('\r');
    if (!quote) {
        out.append(text);
        return;
    }
    out.append('"');
    for (const char c : text) {
        if (c == '"') {
            out.append('"');
        }
        out.append(c);
    }
    out.append('"');
}

void appendJsonString(QByteArray &out, const QByteArray &text)
{
    out.append('"');
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out.append('\\').append(c);
        } else if (uchar(c) < 0x20) {
            out.append("\\u00")
                .append("0123456789abcdef"[(c >> 4) & 0xf])
                .append("0123456789abcdef"[c & 0xf]);
        } else {
            out.append(c);
        }
    }
    out.append('"');
}

QByteArray columnName(int index, TimestampStyle style)
{
    QByteArray name = Columns[index].name;
    // Log Analytics names its time columns after the zone it renders them in.
    if (style == TimestampStyle::LogAnalytics && Columns[index].type == ColumnType::DateTime) {
        name += " [UTC]";
    }
    return name;
}

} // namespace

void appendTimestamp(QByteArray &out, qint64 ticks, TimestampStyle style)
{
    constexpr qint64 TicksPerSecond = 10'000'000;
    constexpr qint64 SecondsPerDay = 86'400;
    qint64 seconds = ticks / TicksPerSecond;
    qint64 fraction = ticks % TicksPerSecond;
    if (fraction < 0) {
        fraction += TicksPerSecond;
        --seconds;
    }
    qint64 days = seconds / SecondsPerDay;
    qint64 secondOfDay = seconds % SecondsPerDay;
    if (secondOfDay < 0) {
        secondOfDay += SecondsPerDay;
        --days;
    }
    int year = 0;
    int month = 0;
    int day = 0;
    civilFromDays(days, year, month, day);
    const int hour = int(secondOfDay / 3600);
    const int minute = int(secondOfDay / 60 % 60);
    const int second = int(secondOfDay % 60);

    if (style == TimestampStyle::LogAnalytics) {
        out.append(QByteArray::number(month)).append('/').append(QByteArray::number(day));
        out.append('/').append(QByteArray::number(year)).append(", ");
        out.append(QByteArray::number(hour % 12 == 0 ? 12 : hour % 12)).append(':');
        appendPadded(out, minute, 2);
        out.append(':');
        appendPadded(out, second, 2);
        out.append('.');
        appendPadded(out, fraction / 10'000, 3);
        out.append(hour < 12 ? " AM" : " PM");
        return;
    }
    appendPadded(out, year, 4);
    out.append('-');
    appendPadded(out, month, 2);
    out.append('-');
    appendPadded(out, day, 2);
    out.append('T');
    appendPadded(out, hour, 2);
    out.append(':');
    appendPadded(out, minute, 2);
    out.append(':');
    appendPadded(out, second, 2);
    out.append('.');
    if (style == TimestampStyle::IsoMillis) {
        appendPadded(out, fraction / 10'000, 3);
    } else {
        appendPadded(out, fraction, 7);
    }
    out.append('Z');
}

RowWriter::RowWriter(GeneratedFormat format, TimestampStyle style)
    : m_format(format)
    , m_style(style)
{}

void RowWriter::appendPrologue(QByteArray &out) const
{
    switch (m_format) {
    case GeneratedFormat::Csv:
        for (int i = 0; i < ColumnCount; ++i) {
            out.append(i == 0 ? "" : ",").append(columnName(i, m_style));
        }
        out.append('\n');
        break;
    case GeneratedFormat::JsonLines:
        break;
    case GeneratedFormat::HuntingJson:
        out.append("{\"Schema\":[");
        for (int i = 0; i < ColumnCount; ++i) {
            out.append(i == 0 ? "{\"Name\":\"" : ",{\"Name\":\"").append(columnName(i, m_style));
            out.append("\",\"Type\":\"").append(jsonTypeName(Columns[i].type)).append("\"}");
        }
        out.append("],\"Results\":[");
        break;
    }
}

void RowWriter::appendRow(QByteArray &out, const Row &row, const Catalog &catalog, bool first) const
{
    std::array<Cell, ColumnCount> cells;
    fillCells(cells, row, catalog, m_style);
    if (m_format == GeneratedFormat::Csv) {
        for (int i = 0; i < ColumnCount; ++i) {
            if (i > 0) {
                out.append(',');
            }
            appendCsvField(out, cells[i].text);
        }
        out.append('\n');
        return;
    }
    if (m_format == GeneratedFormat::HuntingJson) {
        out.append(first ? "\n" : ",\n");
    }
    out.append('{');
    for (int i = 0; i < ColumnCount; ++i) {
        out.append(i == 0 ? "\"" : ",\"").append(columnName(i, m_style)).append("\":");
        if (cells[i].null) {
            out.append("null");
        } else if (cells[i].bare) {
            out.append(cells[i].text);
        } else {
            appendJsonString(out, cells[i].text);
        }
    }
    out.append('}');
    if (m_format == GeneratedFormat::JsonLines) {
        out.append('\n');
    }
}

void RowWriter::appendEpilogue(QByteArray &out) const
{
    if (m_format == GeneratedFormat::HuntingJson) {
        out.append("\n]}\n");
    }
}

void appendTruthHeader(QByteArray &out)
{
    out.append("ReportId,Kind,DeviceName,Timestamp,RemoteIP,RemotePort,ActionType,"
               "InitiatingProcessFileName,MatchedFormula,FailedClause\n");
}

void appendTruthLine(QByteArray &out, const Row &row, const Catalog &catalog)
{
    out.append(QByteArray::number(row.reportId)).append(',');
    out.append(plantedKindId(row.kind)).append(',');
    out.append(catalog.device(row.device).name).append(',');
    appendTimestamp(out, row.time, TimestampStyle::Iso7);
    out.append(',').append(row.remoteIp).append(',');
    out.append(QByteArray::number(row.remotePort)).append(',');
    out.append(row.actionType).append(',');
    out.append(Catalog::process(row.process).fileName).append(',');
    appendCsvField(out, formulaLabel(row.formula));
    out.append(',').append(clauseName(expectedFailure(row.kind))).append('\n');
}

} // namespace Portent::Generate
