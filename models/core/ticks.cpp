// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "core/ticks.h"

namespace Portent {

qint64 daysFromCivil(int year, int month, int day)
{
    // Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar.
    const qint64 y = year - (month <= 2 ? 1 : 0);
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const qint64 yearOfEra = y - era * 400;
    const qint64 shiftedMonth = month > 2 ? month - 3 : month + 9;
    const qint64 dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1;
    const qint64 dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
}

qint64 ticksFromDateTime(const QDateTime &dateTime)
{
    return dateTime.toMSecsSinceEpoch() * TicksPerMillisecond;
}

QDateTime dateTimeFromTicks(qint64 ticks)
{
    // Floor division, so instants before 1970 land on the right millisecond.
    qint64 msecs = ticks / TicksPerMillisecond;
    if (ticks % TicksPerMillisecond < 0) {
        --msecs;
    }
    return QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC);
}

QString formatTicksIso(qint64 ticks)
{
    qint64 fraction = ticks % TicksPerSecond;
    if (fraction < 0) {
        fraction += TicksPerSecond;
    }
    const QDateTime seconds = dateTimeFromTicks(ticks - fraction);
    return seconds.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) + QLatin1Char('.')
           + QStringLiteral("%1").arg(fraction, 7, 10, QLatin1Char('0')) + QLatin1Char('Z');
}

QString formatTicksForDisplay(qint64 ticks, int offsetMinutes)
{
    const QDateTime shifted = dateTimeFromTicks(ticks + offsetMinutes * TicksPerMinute);
    const int absolute = qAbs(offsetMinutes);
    const QString zone = offsetMinutes == 0
                             ? QStringLiteral("UTC")
                             : QStringLiteral("%1%2:%3")
                                   .arg(offsetMinutes < 0 ? QLatin1Char('-') : QLatin1Char('+'))
                                   .arg(absolute / 60, 2, 10, QLatin1Char('0'))
                                   .arg(absolute % 60, 2, 10, QLatin1Char('0'));
    return shifted.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")) + QLatin1Char(' ') + zone;
}

} // namespace Portent
