// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "ingest/csvreader.h"

#include <csv.h>

#include <cstring>

namespace Portent {

namespace {

// libcsv trims spaces and tabs around unquoted fields unless it is given a function that says
// which bytes are spaces, and then it calls that function for nearly every byte of every field:
// a third of its parse time. So the reader hides spaces and tabs from libcsv instead, as two
// bytes that never occur in UTF-8, and puts them back in each field. libcsv treats the stand-ins
// as it treats any other byte, exactly as it treats spaces and tabs given noSpaces, so the
// fields are the same either way. A line that holds a stand-in byte itself (so is not UTF-8) is
// read with noSpaces, and so is the rest of any record it is part of.
constexpr unsigned char SpaceStandIn = 0xFE;
constexpr unsigned char TabStandIn = 0xFF;

int noSpaces(unsigned char)
{
    return 0;
}

// The two loops below run over fixed-size blocks so that GCC vectorises them at -O2, whose cost
// model only vectorises a loop that needs no scalar remainder. They are written out each: through
// a shared helper taking a lambda, the copy in hideSpaces was no longer vectorised.
constexpr std::size_t Block = 32;

// On x86-64 the compiler builds each of the two loops twice, for AVX2 and for any x86-64 CPU,
// and the program picks one when it loads. The AVX2 form takes 32 bytes per instruction: the
// parsing thread, the import's slowest, ran 2.3% fewer instructions. Only where the dynamic
// linker does the picking (ELF's indirect functions), so not with MinGW or on macOS.
#if defined(__x86_64__) && defined(__ELF__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define PORTENT_AVX2_CLONES __attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef PORTENT_AVX2_CLONES
#define PORTENT_AVX2_CLONES
#endif

// Written as flipping the bits in which a byte and its stand-in differ, selected by a
// comparison: the vectoriser turns that into a few instructions per block (a chain of ?:
// took three times as many).
constexpr unsigned char SpaceFlip = ' ' ^ SpaceStandIn;
constexpr unsigned char TabFlip = '\t' ^ TabStandIn;

unsigned char mask(bool selected)
{
    return selected ? 0xFF : 0;
}

unsigned char hidden(unsigned char c)
{
    return c ^ (mask(c == ' ') & SpaceFlip) ^ (mask(c == '\t') & TabFlip);
}

unsigned char restored(unsigned char c)
{
    return c ^ (mask(c == SpaceStandIn) & SpaceFlip) ^ (mask(c == TabStandIn) & TabFlip);
}

// Copies `length` bytes from `from` to `to` with spaces and tabs hidden; false if `from` holds a
// stand-in byte itself (then `to` must not be used).
PORTENT_AVX2_CLONES bool
hideSpaces(const unsigned char *__restrict from, std::size_t length, unsigned char *__restrict to)
{
    unsigned char standIns = 0;
    std::size_t i = 0;
    for (; i + Block <= length; i += Block) {
        for (std::size_t j = i; j < i + Block; ++j) {
            standIns |= from[j] >= SpaceStandIn;
            to[j] = hidden(from[j]);
        }
    }
    for (; i < length; ++i) {
        standIns |= from[i] >= SpaceStandIn;
        to[i] = hidden(from[i]);
    }
    return standIns == 0;
}

PORTENT_AVX2_CLONES void restoreSpaces(char *text, std::size_t length)
{
    auto *bytes = reinterpret_cast<unsigned char *>(text);
    std::size_t i = 0;
    for (; i + Block <= length; i += Block) {
        for (std::size_t j = i; j < i + Block; ++j) {
            bytes[j] = restored(bytes[j]);
        }
    }
    for (; i < length; ++i) {
        bytes[i] = restored(bytes[i]);
    }
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
        // Restored once over the whole record, which is long enough for vector instructions.
        std::vector<char> &data = reader->m_row.m_data;
        if (reader->m_hidingSpaces) {
            restoreSpaces(data.data(), data.size());
        }
        // The line breaks inside its fields, counted once over the whole record.
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
        const char *parsed = prepared(data, length);
        if (csv_parse(m_parser.get(), parsed, length, onField, onRecord, this) != length) {
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

// The bytes of one line as libcsv is to see them: a copy with its spaces hidden, or the line
// itself when it holds a stand-in byte, or continues a record that did.
const char *CsvReader::prepared(const char *line, std::size_t length)
{
    // Hiding resumes with a record that holds nothing yet: no field given, none begun.
    if (!m_hidingSpaces && m_row.m_ends.empty() && m_parser->entry_pos == 0) {
        m_hidingSpaces = true;
        csv_set_space_func(m_parser.get(), nullptr);
    }
    if (!m_hidingSpaces) {
        return line;
    }
    m_hidden.resize(length);
    if (hideSpaces(reinterpret_cast<const unsigned char *>(line),
                   length,
                   reinterpret_cast<unsigned char *>(m_hidden.data()))) {
        return m_hidden.data();
    }
    stopHidingSpaces();
    return line;
}

// libcsv sees the bytes as they are until the record in progress ends. That record was fed with
// stand-ins so far (which stood for nothing else, this being the first of its lines to hold a
// stand-in byte), so they are put back now: in the fields it has given and in the one libcsv is
// building, in its buffer, which csv.h declares public.
void CsvReader::stopHidingSpaces()
{
    m_hidingSpaces = false;
    csv_set_space_func(m_parser.get(), noSpaces);
    restoreSpaces(m_row.m_data.data(), m_row.m_data.size());
    restoreSpaces(reinterpret_cast<char *>(m_parser->entry_buf), m_parser->entry_pos);
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
