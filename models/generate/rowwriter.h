// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "generate/catalog.h"
#include "generate/generator.h"

#include <QByteArray>

namespace Portent::Generate {

// Serialises generated rows in one of the export layouts, appending to a caller's buffer so the
// generator decides when to write to disk.
class RowWriter
{
public:
    RowWriter(GeneratedFormat format, TimestampStyle style);

    void appendPrologue(QByteArray &out) const;
    void appendRow(QByteArray &out, const Row &row, const Catalog &catalog, bool first) const;
    void appendEpilogue(QByteArray &out) const;

private:
    GeneratedFormat m_format;
    TimestampStyle m_style;
};

// Appends a time in the given style, e.g. 2024-03-13T06:40:13.9880000Z.
void appendTimestamp(QByteArray &out, qint64 ticks, TimestampStyle style);

// The ground truth: one CSV line per planted row (beacons and near misses).
void appendTruthHeader(QByteArray &out);
void appendTruthLine(QByteArray &out, const Row &row, const Catalog &catalog);

} // namespace Portent::Generate
