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
        return ByteKey(text.toByteArray(), QByteArrayView());
    }

    // From the owned bytes when there are any, so that no assignment can leave the view
    // pointing into a buffer the key no longer holds.
    QByteArrayView view() const { return m_owner.isNull() ? m_view : QByteArrayView(m_owner); }

    friend bool operator==(const ByteKey &a, const ByteKey &b) { return a.view() == b.view(); }

private:
    ByteKey(QByteArray owner, QByteArrayView view)
        : m_owner(std::move(owner))
        , m_view(view)
    {}

    QByteArray m_owner;    // null for a look-up key
    QByteArrayView m_view; // a look-up key's text
};

size_t qHash(const ByteKey &key, size_t seed = 0) noexcept;

} // namespace Portent
