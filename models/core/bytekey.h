// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <cstddef>

namespace Portent {

// UTF-8 text as a QHash key, hashed with xxHash's XXH3. The importer hashes every string of
// every row (and a kilobyte of extra columns per row) to store repeats once; Qt's own qHash for
// QByteArray ran at about 1 GB/s there, a second per million events, where XXH3 takes a few
// hundredths of that. A look-up key only refers to the text: copying the row's QByteArray
// instead would take an atomic reference on a buffer the other thread has just written, which
// measured as most of the cost of a look-up.
class ByteKey
{
public:
    // Refers to `text`, which must outlive the key: for find(), never for insert().
    static ByteKey lookup(QByteArrayView text) { return ByteKey(QByteArray(), text); }
    // Holds a compact copy of `text`: for insert().
    static ByteKey stored(QByteArrayView text)
    {
        QByteArray copy = text.toByteArray();
        const QByteArrayView view(copy);
        return ByteKey(std::move(copy), view);
    }

    QByteArrayView view() const { return m_view; }

    friend bool operator==(const ByteKey &a, const ByteKey &b) { return a.m_view == b.m_view; }

private:
    ByteKey(QByteArray owner, QByteArrayView view)
        : m_owner(std::move(owner))
        , m_view(view)
    {}

    QByteArray m_owner; // empty for a look-up key; copies share its bytes, so m_view holds
    QByteArrayView m_view;
};

size_t qHash(const ByteKey &key, size_t seed = 0) noexcept;

} // namespace Portent
