// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "views/timedisplay.h"

#include "core/ticks.h"

#include <QCoreApplication>
#include <QDateTime>

#include <cstdlib>

namespace Portent {

int TimeDisplay::offsetMinutesAt(qint64 ticks) const
{
    switch (mode) {
    case Mode::Utc:
        return 0;
    case Mode::FixedOffset:
        return fixedOffsetMinutes;
    case Mode::Local:
        break;
    }
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(ticks / TicksPerMillisecond,
                                                           Qt::LocalTime);
    return local.offsetFromUtc() / 60;
}

QString TimeDisplay::format(qint64 ticks) const
{
    return formatTicksForDisplay(ticks, offsetMinutesAt(ticks));
}

QString TimeDisplay::label() const
{
    switch (mode) {
    case Mode::Utc:
        return QStringLiteral("UTC");
    case Mode::FixedOffset:
        return QStringLiteral("UTC") + formatUtcOffset(fixedOffsetMinutes);
    case Mode::Local:
        break;
    }
    const int nowOffset = QDateTime::currentDateTime().offsetFromUtc() / 60;
    return QCoreApplication::translate("Portent", "Local (UTC%1)").arg(formatUtcOffset(nowOffset));
}

QString TimeDisplay::toSettingsString() const
{
    switch (mode) {
    case Mode::Utc:
        return QStringLiteral("utc");
    case Mode::Local:
        return QStringLiteral("local");
    case Mode::FixedOffset:
        break;
    }
    return QString::number(fixedOffsetMinutes);
}

TimeDisplay TimeDisplay::fromSettingsString(const QString &text)
{
    if (text == QLatin1String("local")) {
        return {Mode::Local, 0};
    }
    bool isNumber = false;
    const int minutes = text.toInt(&isNumber);
    // Real zones lie within -12:00..+14:00; anything else in a settings file is damage.
    if (isNumber && minutes >= -12 * 60 && minutes <= 14 * 60) {
        return {Mode::FixedOffset, minutes};
    }
    return {};
}

QString formatUtcOffset(int offsetMinutes)
{
    const QChar sign = offsetMinutes < 0 ? QLatin1Char('-') : QLatin1Char('+');
    const int magnitude = std::abs(offsetMinutes);
    return QStringLiteral("%1%2:%3")
        .arg(sign)
        .arg(magnitude / 60, 2, 10, QLatin1Char('0'))
        .arg(magnitude % 60, 2, 10, QLatin1Char('0'));
}

} // namespace Portent
