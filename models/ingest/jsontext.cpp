// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "ingest/jsontext.h"

#include <array>
#include <utility>

namespace Portent {

namespace {

// A table rather than three comparisons: this runs over every byte of every extra column.
constexpr std::array<bool, 256> EscapeTable = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 0x20; ++c) {
        table[std::size_t(c)] = true;
    }
    table['"'] = true;
    table['\\'] = true;
    return table;
}();

bool needsEscape(unsigned char c)
{
    return EscapeTable[c];
}

void appendEscaped(QByteArray &out, unsigned char c)
{
    static constexpr char Hex[] = "0123456789abcdef";
    switch (c) {
    case '"':
        out.append("\\\"");
        return;
    case '\\':
        out.append("\\\\");
        return;
    case '\n':
        out.append("\\n");
        return;
    case '\r':
        out.append("\\r");
        return;
    case '\t':
        out.append("\\t");
        return;
    case '\b':
        out.append("\\b");
        return;
    case '\f':
        out.append("\\f");
        return;
    default:
        out.append("\\u00");
        out.append(Hex[c >> 4]);
        out.append(Hex[c & 0xf]);
    }
}

} // namespace

void appendJsonString(QByteArray &out, QByteArrayView text)
{
    out.append('"');
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (!needsEscape(c)) {
            continue;
        }
        out.append(text.sliced(runStart, i - runStart));
        appendEscaped(out, c);
        runStart = i + 1;
    }
    out.append(text.sliced(runStart));
    out.append('"');
}

QByteArray quotedJsonKey(QByteArrayView name)
{
    QByteArray key;
    appendJsonString(key, name);
    key.append(':');
    return key;
}

void JsonObjectBuilder::addKey(QByteArrayView quotedKey)
{
    m_text.append(m_text.isEmpty() ? '{' : ',');
    m_text.append(quotedKey);
}

void JsonObjectBuilder::addString(QByteArrayView quotedKey, QByteArrayView value)
{
    addKey(quotedKey);
    appendJsonString(m_text, value);
}

void JsonObjectBuilder::addRaw(QByteArrayView quotedKey, QByteArrayView rawJson)
{
    addKey(quotedKey);
    m_text.append(rawJson);
}

QByteArray JsonObjectBuilder::take()
{
    if (m_text.isEmpty()) {
        return {};
    }
    m_text.append('}');
    return std::exchange(m_text, {});
}

void JsonObjectBuilder::appendTo(QByteArray &out)
{
    if (m_text.isEmpty()) {
        return;
    }
    out.append(QByteArrayView(m_text)); // a view: an empty `out` would otherwise share m_text
    out.append('}');
    m_text.resize(0);
}

} // namespace Portent
