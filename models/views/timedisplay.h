// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Portent {

// How the workbench shows event times. Stored times are always UTC ticks; this only changes text.
struct TimeDisplay
{
    enum class Mode {
        Utc,
        Local,       // the machine's zone, with its daylight-saving offset at each instant
        FixedOffset, // a chosen offset, e.g. the suspect site's zone
    };
    Mode mode = Mode::Utc;
    int fixedOffsetMinutes = 0;

    // The offset applied to an instant (Local depends on the instant because of daylight saving).
    int offsetMinutesAt(qint64 ticks) const;
    QString format(qint64 ticks) const;
    // For the status bar and axis titles, e.g. "UTC", "Local (UTC+02:00)", "UTC-05:00".
    QString label() const;
    // Round-trips through QSettings: "utc", "local", "+120".
    QString toSettingsString() const;
    static TimeDisplay fromSettingsString(const QString &text);

    bool operator==(const TimeDisplay &) const = default;
};

// "+02:00", "-05:30", "+00:00".
QString formatUtcOffset(int offsetMinutes);

} // namespace Portent
