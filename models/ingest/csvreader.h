// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <functional>
#include <memory>
#include <vector>

struct csv_parser;

namespace Portent {

// The fields of one CSV record, valid until the handler returns.
class CsvRow
{
public:
    qsizetype size() const { return qsizetype(m_ends.size()); }
    QByteArrayView field(qsizetype index) const
    {
        const std::size_t start = index == 0 ? 0 : m_ends[std::size_t(index) - 1];
        return QByteArrayView(m_data.data() + start, qsizetype(m_ends[std::size_t(index)] - start));
    }
    // The line the record ends on: past its first line when a quoted field holds line breaks,
    // or when an unclosed quote swallowed the lines after it.
    qint64 lastLine() const { return m_lastLine; }

private:
    friend class CsvReader;
    qint64 m_lastLine = 0;
    // Plain std containers: they keep their capacity across clear(), so a row costs no allocation.
    std::vector<char> m_data;
    std::vector<std::size_t> m_ends;
};

// RFC 4180 tokenising with libcsv, fed in chunks of any size: quoted delimiters, doubled quotes
// and line breaks (CR kept) inside quoted fields, LF or CRLF records, a last record without a
// final newline. Reports each record with the 1-based line on which it starts. Blank lines are
// skipped. Fields are not trimmed. A quote inside an unquoted field is kept as a character, as
// spreadsheet tools do, rather than failing the file.
class CsvReader
{
public:
    // Returns false to stop reading.
    using Handler = std::function<bool(qint64 line, const CsvRow &row)>;

    explicit CsvReader(Handler handler);
    ~CsvReader();
    CsvReader(const CsvReader &) = delete;
    CsvReader &operator=(const CsvReader &) = delete;

    // Returns false when the handler asked to stop or libcsv ran out of memory.
    bool feed(QByteArrayView bytes);
    bool finish();
    bool stopped() const { return m_stopped; }
    // libcsv itself failed (it only does when memory runs out); `line` is where it was.
    bool failed() const { return m_failed; }
    qint64 line() const { return m_line; }

private:
    static void onField(void *text, size_t length, void *self);
    static void onRecord(int terminator, void *self);
    const char *prepared(const char *line, std::size_t length);
    void stopHidingSpaces();

    std::unique_ptr<csv_parser> m_parser;
    Handler m_handler;
    CsvRow m_row;
    qint64 m_line = 1;              // line of the bytes being fed
    bool m_endsWithNewline = false; // the bytes fed so far end with LF
    bool m_finishing = false;       // inside finish(): records come from csv_fini
    bool m_stopped = false;
    bool m_failed = false;
    bool m_hidingSpaces = true; // see SpaceStandIn in csvreader.cpp
    std::vector<char> m_hidden; // the line being fed, with its spaces hidden
};

} // namespace Portent
