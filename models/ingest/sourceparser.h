// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "core/eventrecord.h"
#include "core/expected.h"

#include <QByteArrayView>
#include <QString>
#include <QStringList>

namespace Portent {

// Where a parser delivers what it reads.
class RecordSink
{
public:
    virtual ~RecordSink() = default;
    // Takes one record; the sink may swap it with another (BatchWriter does), but must not copy
    // single fields out of it: they may refer to the record's textStorage (see EventRecord).
    // Returns false to stop reading: the import was cancelled or the case could not be written.
    virtual bool accept(EventRecord &record) = 0;
    virtual void reject(qint64 line, const QString &field, const QString &reason) = 0;
};

// An incremental reader of one file format: bytes go in chunk by chunk, in file order, with any
// UTF-8 BOM already removed; records come out through the sink. A returned Error fails the
// whole file (for example a header that names no known column).
class SourceParser
{
public:
    virtual ~SourceParser() = default;
    virtual Status feed(QByteArrayView bytes) = 0;
    virtual Status finish() = 0;
    virtual QString formatId() const = 0;
    virtual QString formatName() const = 0;
    // Notes for the report (e.g. "column TimeGenerated [Local Time] converted with +02:00").
    virtual QStringList warnings() const { return {}; }
};

} // namespace Portent
