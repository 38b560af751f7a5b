// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "ingest/csveventparser.h"

#include <QCoreApplication>

namespace Portent {

CsvEventParser::CsvEventParser(QString filePath, TimeContext &time, RecordSink &sink)
    : m_filePath(std::move(filePath))
    , m_time(time)
    , m_sink(sink)
    , m_mapper(time)
    , m_reader([this](qint64 line, const CsvRow &row) { return onRow(line, row); })
{}

QString CsvEventParser::formatId() const
{
    return m_sentinel ? QStringLiteral("sentinel-csv") : QStringLiteral("defender-csv");
}

QString CsvEventParser::formatName() const
{
    return m_sentinel ? QCoreApplication::translate("Portent", "Sentinel / Log Analytics CSV")
                      : QCoreApplication::translate("Portent", "Defender Advanced Hunting CSV");
}

Status CsvEventParser::feed(QByteArrayView bytes)
{
    m_reader.feed(bytes);
    if (m_error) {
        return *m_error;
    }
    return readerStatus();
}

Status CsvEventParser::finish()
{
    if (!m_sinkStopped && !m_error) {
        m_reader.finish();
    }
    if (m_error) {
        return *m_error;
    }
    if (const Status read = readerStatus(); !read) {
        return read;
    }
    if (!m_haveHeader) {
        return Error{QCoreApplication::translate("Portent",
                                                 "\"%1\" is empty: it has no header "
                                                 "line.")
                         .arg(m_filePath)};
    }
    return ok();
}

Status CsvEventParser::readerStatus() const
{
    if (!m_reader.failed()) {
        return ok();
    }
    return Error{QCoreApplication::translate("Portent",
                                             "Reading \"%1\" stopped at line %2: the CSV parser "
                                             "ran out of memory (is a field gigabytes long?).")
                     .arg(m_filePath)
                     .arg(m_reader.line())};
}

bool CsvEventParser::onRow(qint64 line, const CsvRow &row)
{
    if (!m_haveHeader) {
        const Status header = readHeader(row);
        if (!header) {
            m_error = header.error();
            return false;
        }
        m_haveHeader = true;
        return true;
    }
    mapRow(line, row);
    return !m_sinkStopped;
}

Status CsvEventParser::readHeader(const CsvRow &row)
{
    bool recognised = false;
    bool hasTimestamp = false;
    bool hasTimeGenerated = false;
    QStringList localColumns;
    for (qsizetype i = 0; i < row.size(); ++i) {
        ColumnInfo column = describeColumn(row.field(i));
        column.index = int(i);
        recognised = recognised || column.field != Field::Extra;
        hasTimestamp = hasTimestamp || column.field == Field::Timestamp;
        hasTimeGenerated = hasTimeGenerated || column.field == Field::TimeGenerated;
        m_sentinel = m_sentinel || column.timeLabel != TimeLabel::None;
        if (column.timeLabel == TimeLabel::Local) {
            localColumns.append(QString::fromUtf8(column.name));
        }
        m_time.sawUtcLabel = m_time.sawUtcLabel || column.timeLabel == TimeLabel::Utc;
        m_columns.append(std::move(column));
    }
    m_sentinel = m_sentinel || (hasTimeGenerated && !hasTimestamp);

    if (!recognised) {
        QStringList shown;
        for (qsizetype i = 0; i < std::min<qsizetype>(row.size(), 5); ++i) {
            shown.append(QString::fromUtf8(row.field(i)));
        }
        return Error{QCoreApplication::translate(
                         "Portent",
                         "\"%1\" is not a Defender or Sentinel export: none of its %2 columns "
                         "(%3) is a known column such as Timestamp, DeviceName, RemoteIP or "
                         "RemotePort.")
                         .arg(m_filePath)
                         .arg(row.size())
                         .arg(shown.join(QStringLiteral(", ")))};
    }
    m_time.sawLocalColumn = !localColumns.isEmpty();
    if (m_time.sawLocalColumn && !m_time.utcOffsetMinutes) {
        return Error{QCoreApplication::translate(
                         "Portent",
                         "\"%1\" was exported in local time (column %2), and the file does not "
                         "say which time zone that was. Pass the UTC offset of the exporting "
                         "machine, e.g. --utc-offset +02:00 (or set it in the import dialog).")
                         .arg(m_filePath, localColumns.join(QStringLiteral(", ")))};
    }
    return ok();
}

void CsvEventParser::mapRow(qint64 line, const CsvRow &row)
{
    if (row.size() != m_columns.size()) {
        QString reason
            = QCoreApplication::translate("Portent", "the row has %1 fields; the header has %2")
                  .arg(row.size())
                  .arg(m_columns.size());
        if (row.lastLine() > line) {
            // Usually a quote opened and never closed: it takes the lines after it along.
            reason += QCoreApplication::translate("Portent",
                                                  " (it runs from line %1 to line %2: is a "
                                                  "quote on line %1 left open?)")
                          .arg(line)
                          .arg(row.lastLine());
        }
        m_sink.reject(line, QString(), reason);
        return;
    }
    m_mapper.begin(line);
    for (qsizetype i = 0; i < row.size(); ++i) {
        m_mapper.set(m_columns[i], row.field(i));
    }
    if (const auto rejection = m_mapper.finish(m_record)) {
        m_sink.reject(line, rejection->field, rejection->reason);
        return;
    }
    m_sinkStopped = !m_sink.accept(m_record);
}

} // namespace Portent
