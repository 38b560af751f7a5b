// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QString>

namespace Portent {

// Event times are stored as 100-nanosecond ticks since 1970-01-01T00:00:00Z: the resolution of
// Defender's seven fractional digits, so an imported timestamp loses nothing.
constexpr qint64 TicksPerMicrosecond = 10;
constexpr qint64 TicksPerMillisecond = 10'000;
constexpr qint64 TicksPerSecond = 10'000'000;
constexpr qint64 TicksPerMinute = 60 * TicksPerSecond;
constexpr qint64 TicksPerHour = 60 * TicksPerMinute;
constexpr qint64 TicksPerDay = 24 * TicksPerHour;

// Days since 1970-01-01 of a proleptic Gregorian date (no range checks; callers validate).
qint64 daysFromCivil(int year, int month, int day);

qint64 ticksFromDateTime(const QDateTime &dateTime);
QDateTime dateTimeFromTicks(qint64 ticks);

// ISO 8601 in UTC with seven fractional digits, as Defender writes it: 2024-03-13T06:40:13.9880000Z
QString formatTicksIso(qint64 ticks);

// Shown to a person with the UTC offset in minutes applied, e.g. "2024-03-13 08:40:13.988 +02:00".
QString formatTicksForDisplay(qint64 ticks, int offsetMinutes);

} // namespace Portent
