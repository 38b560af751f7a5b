// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "ingest/csvreader.h"

#include <csv.h>

#include <cstring>

namespace Portent {

namespace {

// libcsv trims spaces and tabs around unquoted fields by default; exports mean them literally.
int noSpaces(unsigned char)
{
    return 0;
}

qint64 countLineBreaks(const char *text, size_t length)
{
    if (length == 0) {
        return 0; // text may be null then, which memchr must not see
    }
    qint64 count = 0;
    const char *end = text + length;
    while ((text = static_cast<const char *>(std::memchr(text, '\n', size_t(end - text))))) {
        ++count;
        ++text;
    }
    return count;
}

} // namespace

CsvReader::CsvReader(Handler handler)
    : m_parser(std::make_unique<csv_parser>())
    , m_handler(std::move(handler))
{
    csv_init(m_parser.get(), 0);
    csv_set_space_func(m_parser.get(), noSpaces);
    csv_set_blk_size(m_parser.get(), 4096);
}

CsvReader::~CsvReader()
{
    csv_free(m_parser.get());
}

void CsvReader::onField(void *text, size_t length, void *self)
{
    auto *reader = static_cast<CsvReader *>(self);
    std::vector<char> &data = reader->m_row.m_data;
    if (length > 0) {
        const auto *chars = static_cast<const char *>(text);
        data.insert(data.end(), chars, chars + length);
    }
    reader->m_row.m_ends.push_back(data.size());
}

void CsvReader::onRecord(int, void *self)
{
    auto *reader = static_cast<CsvReader *>(self);
    if (!reader->m_stopped) {
        // The line breaks inside its fields, counted once over the whole record.
        const std::vector<char> &data = reader->m_row.m_data;
        const qint64 startLine = reader->m_line - countLineBreaks(data.data(), data.size());
        // A record that csv_fini closes after a final newline (cut off inside a quote) ends on
        // the line before the count, which already stands past the file's last line.
        const bool pastLastLine = reader->m_finishing && reader->m_endsWithNewline;
        reader->m_row.m_lastLine = reader->m_line - (pastLastLine ? 1 : 0);
        reader->m_stopped = !reader->m_handler(startLine, reader->m_row);
    }
    reader->m_row.m_data.clear();
    reader->m_row.m_ends.clear();
}

// Fed one line at a time so that the record callbacks know which line they are on: libcsv itself
// keeps no position, and it skips blank lines, so counting records would drift.
bool CsvReader::feed(QByteArrayView bytes)
{
    const char *data = bytes.data();
    const char *end = data + bytes.size();
    while (data < end && !m_stopped) {
        const auto *newline
            = static_cast<const char *>(std::memchr(data, '\n', size_t(end - data)));
        const char *segmentEnd = newline ? newline + 1 : end;
        const size_t length = size_t(segmentEnd - data);
        if (csv_parse(m_parser.get(), data, length, onField, onRecord, this) != length) {
            m_failed = true;
            return false;
        }
        if (newline) {
            ++m_line;
        }
        m_endsWithNewline = newline != nullptr;
        data = segmentEnd;
    }
    return !m_stopped;
}

bool CsvReader::finish()
{
    if (m_stopped) {
        return false;
    }
    // csv_fini reports the record of a line without a final newline as being on the last line.
    m_finishing = true;
    if (csv_fini(m_parser.get(), onField, onRecord, this) != 0) {
        m_failed = true;
    }
    return !m_failed && !m_stopped;
}

} // namespace Portent
