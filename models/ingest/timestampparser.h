// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "store/sourceinfo.h"

#include <QByteArrayView>

#include <optional>

namespace Portent {

// What a slash date (05/12/2024) says about the day/month order of its column.
enum class SlashEvidence {
    None,       // not a slash date
    DayFirst,   // first number above 12: only day-first reads it
    MonthFirst, // second number above 12: only month-first reads it
    Ambiguous,  // both 12 or below and different: both readings are valid dates
    Same,       // both numbers equal (04/04/2025): either reading gives the same date
};

struct ParsedTime
{
    qint64 ticks = 0;          // UTC; month-first reading for an ambiguous slash date
    std::optional<qint64> alt; // day-first reading when evidence is Ambiguous
    SlashEvidence evidence = SlashEvidence::None;
    bool hasZone = false; // the text carried Z or an explicit offset
};

// Parses the timestamp spellings of Defender and Log Analytics exports without QDateTime:
//   2024-03-13T06:40:13.9880000Z, 2020-02-05T11:53:04.027Z, 2024-03-13T08:40:13+02:00 (or +0200),
//   2020-10-23 06:36:42.306, 13/03/2024, 3:40:13.988 pm, 05/12/2024 6:41:32 PM,
//   Apr 15, 2024 11:09:27 AM, May 7, 2024 18:41:25.123.
// Text without a zone is taken as given (the caller applies a local offset when the column is
// local time). `order` forces the reading of slash dates; Unknown keeps both readings of an
// ambiguous one. Returns nothing for anything that is not a valid date and time.
std::optional<ParsedTime> parseTimestamp(QByteArrayView text, DateOrder order = DateOrder::Unknown);

} // namespace Portent
