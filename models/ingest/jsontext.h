// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Portent {

// Appends `text` (UTF-8) to `out` as a JSON string literal, quotes included. Quotes, backslashes
// and control characters are escaped; other bytes pass through unchanged, so UTF-8 stays UTF-8.
void appendJsonString(QByteArray &out, QByteArrayView text);

// Builds one JSON object from key/value pairs in insertion order.
class JsonObjectBuilder
{
public:
    void clear() { m_text.resize(0); }
    bool isEmpty() const { return m_text.isEmpty(); }

    // `quotedKey` is the key already written as a JSON string literal followed by ':'.
    void addString(QByteArrayView quotedKey, QByteArrayView value);
    void addRaw(QByteArrayView quotedKey, QByteArrayView rawJson);

    // The object text, or an empty array when nothing was added; the builder is empty again.
    QByteArray take();
    // Appends the object text to `out` (nothing when nothing was added) and empties the builder.
    void appendTo(QByteArray &out);

private:
    void addKey(QByteArrayView quotedKey);

    QByteArray m_text;
};

// `"name":` for a key, ready for JsonObjectBuilder.
QByteArray quotedJsonKey(QByteArrayView name);

} // namespace Portent
