// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Portent {

// How the day and month of slash dates (05/12/2024) were read for a source.
enum class DateOrder {
    Unknown,    // no slash dates in the source
    MonthFirst, // 05/12/2024 is 12 May 2024 (US style)
    DayFirst,   // 05/12/2024 is 5 December 2024
};

QString dateOrderName(DateOrder order); // "month-first", "day-first", "n/a"
DateOrder dateOrderFromName(const QString &name);

// One imported file, as recorded in the case.
struct SourceInfo
{
    qint64 id = 0;
    QString fileName;      // base name as the user saw it
    QString filePath;      // absolute path at import time
    qint64 size = 0;       // bytes
    QString sha256;        // lower-case hex
    QString format;        // e.g. "defender-csv", "sentinel-csv", "defender-json-lines"
    qint64 importedAt = 0; // ticks UTC
    qint64 rowsAccepted = 0;
    qint64 rowsRejected = 0;
    DateOrder dateOrder = DateOrder::Unknown;
    int utcOffsetMinutes = 0; // applied to local-time columns; 0 for UTC sources
    QString reportJson;       // the full import report (see ingest/importreport.h)
};

} // namespace Portent
