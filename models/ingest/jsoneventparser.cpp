// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "ingest/jsoneventparser.h"

#include <QCoreApplication>

#include <simdjson.h>

#include <cstring>
#include <utility>

namespace Portent {

namespace {

// A record larger than this is refused rather than buffered: no event row comes near it, so it
// means a file whose structure the scanner misread.
constexpr qsizetype MaxRecordBytes = 256 * 1024 * 1024;

bool isWhitespace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

bool endsScalar(char c)
{
    return isWhitespace(c) || c == ',' || c == '}' || c == ']';
}

qint64 countLineBreaks(QByteArrayView text)
{
    qint64 count = 0;
    const char *data = text.data();
    const char *end = data + text.size();
    while ((data = static_cast<const char *>(std::memchr(data, '\n', size_t(end - data))))) {
        ++count;
        ++data;
    }
    return count;
}

bool isWrapperKey(QByteArrayView key)
{
    return key == "Schema" || key == "schema" || key == "Results" || key == "results"
           || key == "records" || key == "Stats" || key == "stats";
}

bool isRecordArrayKey(QByteArrayView key)
{
    return key == "Results" || key == "results" || key == "records";
}

QByteArrayView viewOf(std::string_view text)
{
    return QByteArrayView(text.data(), qsizetype(text.size()));
}

} // namespace

JsonEventParser::JsonEventParser(QString filePath, TimeContext &time, RecordSink &sink)
    : m_filePath(std::move(filePath))
    , m_time(time)
    , m_sink(sink)
    , m_mapper(time)
    , m_parser(std::make_unique<simdjson::dom::parser>())
{}

JsonEventParser::~JsonEventParser() = default;

QString JsonEventParser::formatId() const
{
    if (m_sawEnvelope || m_shape == Shape::EventHub) {
        return QStringLiteral("defender-event-hub");
    }
    switch (m_shape) {
    case Shape::HuntingApi:
        return QStringLiteral("defender-json-api");
    case Shape::Array:
        return QStringLiteral("defender-json-array");
    default:
        return QStringLiteral("defender-json-lines");
    }
}

QString JsonEventParser::formatName() const
{
    if (m_sawEnvelope || m_shape == Shape::EventHub) {
        return QCoreApplication::translate("Portent", "Defender streaming API / Event Hub JSON");
    }
    switch (m_shape) {
    case Shape::HuntingApi:
        return QCoreApplication::translate("Portent", "Defender hunting API JSON");
    case Shape::Array:
        return QCoreApplication::translate("Portent", "Defender JSON array");
    default:
        return QCoreApplication::translate("Portent", "Defender JSON Lines");
    }
}

Status JsonEventParser::feed(QByteArrayView bytes)
{
    m_buffer.append(bytes);
    scan(false);
    compact();
    if (m_error) {
        return *m_error;
    }
    if (m_buffer.size() > MaxRecordBytes) {
        return Error{QCoreApplication::translate("Portent",
                                                 "\"%1\", line %2: a JSON record is "
                                                 "larger than 256 MiB; the file is "
                                                 "not an event export.")
                         .arg(m_filePath)
                         .arg(m_line)};
    }
    return ok();
}

Status JsonEventParser::finish()
{
    if (!m_stopped) {
        scan(true);
    }
    if (m_error) {
        return *m_error;
    }
    if (m_shape == Shape::Unknown) {
        return Error{QCoreApplication::translate("Portent", "\"%1\" holds no JSON records.")
                         .arg(m_filePath)};
    }
    return ok();
}

JsonEventParser::Step JsonEventParser::scan(bool atEnd)
{
    while (!m_stopped && !m_error) {
        if (m_inValue) {
            if (!continueValue(atEnd)) {
                return Step::NeedMore;
            }
            continue;
        }
        skipWhitespace();
        if (m_pos >= m_buffer.size()) {
            return Step::NeedMore;
        }
        Step step = Step::Progress;
        switch (m_context) {
        case Context::Top:
            step = scanTop(atEnd);
            break;
        case Context::TopArray:
        case Context::WrapperArray:
            step = scanArray();
            break;
        case Context::Wrapper:
            step = scanWrapper(atEnd);
            break;
        }
        if (step != Step::Progress) {
            return step;
        }
    }
    return Step::Failed;
}

void JsonEventParser::skipWhitespace()
{
    const char *data = m_buffer.constData();
    while (m_pos < m_buffer.size() && isWhitespace(data[m_pos])) {
        m_line += data[m_pos] == '\n' ? 1 : 0;
        ++m_pos;
    }
}

// A JSON string starting at `pos` (on its opening quote), without unescaping: keys that matter
// here never contain escapes. Moves `pos` past the closing quote; nothing when not complete yet.
std::optional<QByteArrayView> JsonEventParser::readString(qsizetype &pos) const
{
    const char *data = m_buffer.constData();
    qsizetype i = pos + 1;
    while (i < m_buffer.size() && data[i] != '"') {
        i += data[i] == '\\' ? 2 : 1;
    }
    if (i >= m_buffer.size()) {
        return std::nullopt;
    }
    const QByteArrayView text(data + pos + 1, i - pos - 1);
    pos = i + 1;
    return text;
}

JsonEventParser::Step JsonEventParser::scanTop(bool atEnd)
{
    const char c = m_buffer.at(m_pos);
    if (c == '[') {
        m_shape = m_shape == Shape::Unknown ? Shape::Array : m_shape;
        m_context = Context::TopArray;
        ++m_pos;
        return Step::Progress;
    }
    if (c == '{') {
        // An object whose first key is Schema/Results/records wraps the records; any other
        // object is itself a record. Only the first key is needed to tell.
        qsizetype pos = m_pos + 1;
        while (pos < m_buffer.size() && isWhitespace(m_buffer.at(pos))) {
            ++pos;
        }
        std::optional<QByteArrayView> key;
        bool incomplete = pos >= m_buffer.size();
        if (!incomplete && m_buffer.at(pos) == '"') {
            key = readString(pos);
            incomplete = !key;
        }
        if (incomplete && !atEnd) {
            return Step::NeedMore;
        }
        if (key && isWrapperKey(*key)) {
            m_context = Context::Wrapper;
            ++m_pos;
            return Step::Progress;
        }
        m_shape = m_shape == Shape::Unknown ? Shape::Lines : m_shape;
        startValue(true);
        return Step::Progress;
    }

    // Text between records: reject the rest of its line and go on with the next.
    const qsizetype newline = m_buffer.indexOf('\n', m_pos);
    if (newline < 0 && !atEnd) {
        return Step::NeedMore;
    }
    m_sink.reject(m_line,
                  QString(),
                  QCoreApplication::translate("Portent", "not a JSON record (starts with '%1')")
                      .arg(QLatin1Char(c)));
    m_pos = newline < 0 ? m_buffer.size() : newline;
    return Step::Progress;
}

JsonEventParser::Step JsonEventParser::scanArray()
{
    const char c = m_buffer.at(m_pos);
    if (c == ',') {
        ++m_pos;
    } else if (c == ']') {
        m_context = m_context == Context::TopArray ? Context::Top : Context::Wrapper;
        ++m_pos;
    } else {
        startValue(true);
    }
    return Step::Progress;
}

JsonEventParser::Step JsonEventParser::scanWrapper(bool atEnd)
{
    const char c = m_buffer.at(m_pos);
    if (c == ',') {
        ++m_pos;
        return Step::Progress;
    }
    if (c == '}') {
        m_context = Context::Top;
        ++m_pos;
        return Step::Progress;
    }
    if (c != '"') {
        m_error = Error{QCoreApplication::translate("Portent",
                                                    "\"%1\", line %2: broken JSON: "
                                                    "expected a member name, found "
                                                    "'%3'.")
                            .arg(m_filePath)
                            .arg(m_line)
                            .arg(QLatin1Char(c))};
        return Step::Failed;
    }
    qsizetype pos = m_pos;
    const auto key = readString(pos);
    while (pos < m_buffer.size() && (isWhitespace(m_buffer.at(pos)) || m_buffer.at(pos) == ':')) {
        ++pos;
    }
    if (!key || pos >= m_buffer.size()) {
        if (atEnd) {
            m_error = Error{QCoreApplication::translate("Portent",
                                                        "\"%1\" ends inside a JSON "
                                                        "object.")
                                .arg(m_filePath)};
            return Step::Failed;
        }
        return Step::NeedMore;
    }
    const bool recordArray = isRecordArrayKey(*key) && m_buffer.at(pos) == '[';
    if (recordArray) {
        m_shape = *key == "records" ? Shape::EventHub : Shape::HuntingApi;
        m_context = Context::WrapperArray;
        ++pos;
    }
    m_line += countLineBreaks(QByteArrayView(m_buffer).sliced(m_pos, pos - m_pos));
    m_pos = pos;
    if (!recordArray) {
        m_shape = m_shape == Shape::Unknown ? Shape::HuntingApi : m_shape;
        startValue(false);
    }
    return Step::Progress;
}

void JsonEventParser::startValue(bool isRecord)
{
    const char c = m_buffer.at(m_pos);
    m_inValue = true;
    m_valueIsRecord = isRecord;
    m_scalar = c != '{' && c != '[' && c != '"';
    m_valueStart = m_pos;
    m_scanPos = m_pos;
    m_depth = 0;
    m_inString = false;
    m_escape = false;
}

// Scans on from where the last chunk ended; true once the value is complete (or abandoned at
// the end of the file).
bool JsonEventParser::continueValue(bool atEnd)
{
    const char *data = m_buffer.constData();
    const qsizetype size = m_buffer.size();
    qsizetype i = m_scanPos;
    if (m_scalar) {
        i = std::max(i, m_valueStart + 1); // a scalar has at least one character
        while (i < size && !endsScalar(data[i])) {
            ++i;
        }
        if (i >= size && !atEnd) {
            m_scanPos = i;
            return false;
        }
        completeValue(std::min(i, size));
        return true;
    }
    for (; i < size; ++i) {
        const char c = data[i];
        if (m_inString) {
            if (m_escape) {
                m_escape = false;
            } else if (c == '\\') {
                m_escape = true;
            } else if (c == '"') {
                m_inString = false;
                if (m_depth == 0) {
                    completeValue(i + 1);
                    return true;
                }
            }
        } else if (c == '"') {
            m_inString = true;
        } else if (c == '{' || c == '[') {
            ++m_depth;
        } else if ((c == '}' || c == ']') && --m_depth == 0) {
            completeValue(i + 1);
            return true;
        }
    }
    m_scanPos = i;
    if (!atEnd) {
        return false;
    }
    if (m_valueIsRecord) {
        m_sink.reject(m_line,
                      QString(),
                      QCoreApplication::translate("Portent",
                                                  "the record is not closed before "
                                                  "the end of the file"));
    }
    m_inValue = false;
    m_pos = size;
    return true;
}

void JsonEventParser::completeValue(qsizetype end)
{
    const QByteArrayView text = QByteArrayView(m_buffer).sliced(m_valueStart, end - m_valueStart);
    m_inValue = false;
    if (m_valueIsRecord) {
        handleRecord(text, m_line);
    }
    m_line += countLineBreaks(text);
    m_pos = end;
}

void JsonEventParser::compact()
{
    const qsizetype keep = m_pos; // an unfinished value starts at m_pos too
    if (keep == 0) {
        return;
    }
    m_buffer.remove(0, keep);
    m_pos -= keep;
    m_valueStart -= keep;
    m_scanPos -= keep;
}

void JsonEventParser::handleRecord(QByteArrayView text, qint64 line)
{
    simdjson::dom::element document;
    const auto error = m_parser->parse(text.data(), size_t(text.size())).get(document);
    if (error) {
        m_sink.reject(line,
                      QString(),
                      QCoreApplication::translate("Portent", "not valid JSON: %1")
                          .arg(QString::fromUtf8(simdjson::error_message(error))));
        return;
    }
    if (!document.is_object()) {
        m_sink.reject(line, QString(), QCoreApplication::translate("Portent", "not a JSON object"));
        return;
    }
    if (!std::exchange(m_sawRecord, true) && refuseOtherLog(document)) {
        return;
    }
    m_mapper.begin(line);
    m_scratch.clear();
    simdjson::dom::element properties;
    const bool envelope = document["properties"].get(properties) == simdjson::SUCCESS
                          && properties.is_object()
                          && (document["time"].error() == simdjson::SUCCESS
                              || document["category"].error() == simdjson::SUCCESS);
    if (envelope) {
        m_sawEnvelope = true;
        mapObject(properties, false);
    }
    mapObject(document, envelope);
    if (const auto rejection = m_mapper.finish(m_record)) {
        m_sink.reject(line, rejection->field, rejection->reason);
        return;
    }
    m_stopped = !m_sink.accept(m_record);
}

// Suricata's EVE records carry a `timestamp`, which reads as Defender's Timestamp, so they would
// import with nothing to match: they are named and refused instead, from the first record.
bool JsonEventParser::refuseOtherLog(const simdjson::dom::element &firstRecord)
{
    const auto has
        = [&firstRecord](const char *key) { return firstRecord[key].error() == simdjson::SUCCESS; };
    // Every EVE record has an event_type; flows and alerts carry addresses, stats records not.
    const bool suricata
        = has("event_type") && (has("src_ip") || has("dest_ip") || has("flow_id") || has("stats"));
    if (!suricata) {
        return false;
    }
    m_error = Error{QCoreApplication::translate("Portent",
                                                "\"%1\" is Suricata EVE JSON. Portent reads "
                                                "Defender and Sentinel CSV and JSON exports "
                                                "today; Suricata logs are not supported yet.")
                        .arg(m_filePath)};
    m_stopped = true;
    return true;
}

void JsonEventParser::mapObject(const simdjson::dom::element &object, bool envelope)
{
    for (const auto field : simdjson::dom::object(object)) {
        const QByteArrayView key = viewOf(field.key);
        if (envelope && key == "properties") {
            continue;
        }
        setValue(key, field.value, envelope);
    }
}

void JsonEventParser::setValue(QByteArrayView key,
                               const simdjson::dom::element &value,
                               bool envelope)
{
    static const ColumnInfo EnvelopeTime = [] {
        ColumnInfo info = describeColumn("time");
        info.field = Field::EnvelopeTime;
        return info;
    }();
    const ColumnInfo &info = (envelope && key == "time") ? EnvelopeTime : column(key);
    switch (value.type()) {
    case simdjson::dom::element_type::NULL_VALUE:
        return;
    case simdjson::dom::element_type::STRING:
        m_mapper.set(info, viewOf(std::string_view(value)));
        return;
    default:
        m_scratch.push_back(simdjson::minify(value));
        m_mapper.set(info, viewOf(m_scratch.back()), true);
    }
}

const ColumnInfo &JsonEventParser::column(QByteArrayView key)
{
    const auto found = m_columnIndex.constFind(QByteArray::fromRawData(key.data(), key.size()));
    if (found != m_columnIndex.constEnd()) {
        return m_columns[std::size_t(*found)];
    }
    m_columns.push_back(describeColumn(key));
    m_columns.back().index = int(m_columns.size() - 1);
    m_columnIndex.insert(key.toByteArray(), qsizetype(m_columns.size() - 1));
    return m_columns.back();
}

} // namespace Portent
