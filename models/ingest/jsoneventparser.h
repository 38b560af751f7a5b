// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "ingest/recordmapper.h"
#include "ingest/sourceparser.h"

#include <QByteArray>
#include <QHash>

#include <deque>
#include <memory>
#include <string>

namespace simdjson::dom {
class element;
class parser;
} // namespace simdjson::dom

namespace Portent {

// Defender JSON in its four shapes: the hunting API response ({"Schema":..,"Results":[..]}, any
// case), a plain array of records, JSON Lines (or any sequence of top-level objects), and
// streaming-API / Event Hub output ({"records":[{"time":..,"properties":{..row..}}]}).
//
// The file is never held whole: a small structural scanner (strings, escapes, depth) finds where
// each record starts and ends in the bytes fed so far, and only that record is parsed, with
// simdjson. A record may span any number of chunks.
class JsonEventParser : public SourceParser
{
public:
    JsonEventParser(QString filePath, TimeContext &time, RecordSink &sink);
    ~JsonEventParser() override;

    Status feed(QByteArrayView bytes) override;
    Status finish() override;
    QString formatId() const override;
    QString formatName() const override;

private:
    enum class Context {
        Top,          // between top-level values (JSON Lines, or before the first value)
        TopArray,     // inside a top-level array of records
        Wrapper,      // inside {"Schema":..,"Results":..} or {"records":..}, between members
        WrapperArray, // inside the wrapper's record array
    };
    enum class Shape { Unknown, Lines, Array, HuntingApi, EventHub };
    enum class Step { Progress, NeedMore, Failed };

    Step scan(bool atEnd);
    Step scanTop(bool atEnd);
    Step scanArray();
    Step scanWrapper(bool atEnd);
    void startValue(bool isRecord);
    bool continueValue(bool atEnd);
    void completeValue(qsizetype end);
    void skipWhitespace();
    std::optional<QByteArrayView> readString(qsizetype &pos) const;
    void compact();

    void handleRecord(QByteArrayView text, qint64 line);
    bool refuseOtherLog(const simdjson::dom::element &firstRecord);
    void mapObject(const simdjson::dom::element &object, bool envelope);
    void setValue(QByteArrayView key, const simdjson::dom::element &value, bool envelope);
    const ColumnInfo &column(QByteArrayView key);

    QString m_filePath;
    TimeContext &m_time;
    RecordSink &m_sink;
    RecordMapper m_mapper;
    std::unique_ptr<simdjson::dom::parser> m_parser;
    std::deque<ColumnInfo> m_columns; // a deque: references stay valid as keys are added
    QHash<QByteArray, qsizetype> m_columnIndex;
    std::deque<std::string> m_scratch; // text of non-string values of the current record
    EventRecord m_record;

    QByteArray m_buffer;
    qsizetype m_pos = 0; // next unconsumed byte
    qint64 m_line = 1;   // line of m_buffer[m_pos]
    Context m_context = Context::Top;
    Shape m_shape = Shape::Unknown;
    bool m_stopped = false;
    bool m_sawEnvelope = false;
    bool m_sawRecord = false;
    std::optional<Error> m_error;

    // The value being scanned, which may continue in the next chunk.
    bool m_inValue = false;
    bool m_valueIsRecord = false;
    bool m_scalar = false;
    qsizetype m_valueStart = 0;
    qsizetype m_scanPos = 0;
    int m_depth = 0;
    bool m_inString = false;
    bool m_escape = false;
};

} // namespace Portent
