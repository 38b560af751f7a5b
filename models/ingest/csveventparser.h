// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "ingest/csvreader.h"
#include "ingest/recordmapper.h"
#include "ingest/sourceparser.h"

#include <QList>
#include <QString>

namespace Portent {

// Defender Advanced Hunting and Sentinel / Log Analytics CSV exports. The header decides the
// column mapping once; each row is then mapped by column index.
class CsvEventParser : public SourceParser
{
public:
    CsvEventParser(QString filePath, TimeContext &time, RecordSink &sink);

    Status feed(QByteArrayView bytes) override;
    Status finish() override;
    QString formatId() const override;
    QString formatName() const override;
    QStringList warnings() const override { return m_warnings; }

private:
    Status readerStatus() const;
    bool onRow(qint64 line, const CsvRow &row);
    Status readHeader(const CsvRow &row);
    void mapRow(qint64 line, const CsvRow &row);

    QString m_filePath;
    TimeContext &m_time;
    RecordSink &m_sink;
    RecordMapper m_mapper;
    CsvReader m_reader;
    QList<ColumnInfo> m_columns;
    bool m_sentinel = false;
    bool m_haveHeader = false;
    bool m_sinkStopped = false;
    std::optional<Error> m_error;
    QStringList m_warnings;
    EventRecord m_record;
};

} // namespace Portent
