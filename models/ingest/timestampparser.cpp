// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "ingest/timestampparser.h"

#include "core/ticks.h"

#include <array>

namespace Portent {

namespace {

// A forward-only reader over the text; every helper returns false without side effects on the
// result when the expected token is not there.
class Cursor
{
public:
    explicit Cursor(QByteArrayView text)
        : m_text(text)
    {}

    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text[m_pos]; }
    void skip() { ++m_pos; }

    bool accept(char c)
    {
        if (peek() != c) {
            return false;
        }
        ++m_pos;
        return true;
    }

    void skipSpaces()
    {
        while (peek() == ' ') {
            ++m_pos;
        }
    }

    // Reads between minDigits and maxDigits decimal digits.
    bool number(int minDigits, int maxDigits, int &value)
    {
        int digits = 0;
        int result = 0;
        while (digits < maxDigits && isDigit(peek())) {
            result = result * 10 + (peek() - '0');
            ++m_pos;
            ++digits;
        }
        value = result;
        return digits >= minDigits && !(digits == maxDigits && isDigit(peek()));
    }

    // Reads exactly `digits` digits, whatever follows (the "0200" of a compact offset).
    bool exact(int digits, int &value)
    {
        value = 0;
        for (int i = 0; i < digits; ++i) {
            if (!isDigit(peek())) {
                return false;
            }
            value = value * 10 + (peek() - '0');
            ++m_pos;
        }
        return true;
    }

    // Reads a fraction of a second after the dot as ticks (7 digits; further digits dropped).
    bool fraction(qint64 &ticks)
    {
        int digits = 0;
        qint64 result = 0;
        while (isDigit(peek())) {
            if (digits < 7) {
                result = result * 10 + (peek() - '0');
            }
            ++digits;
            ++m_pos;
        }
        for (int i = digits; i < 7; ++i) {
            result *= 10;
        }
        ticks = result;
        return digits > 0;
    }

    // Reads letters only.
    QByteArrayView word()
    {
        const qsizetype start = m_pos;
        while (isAlpha(peek())) {
            ++m_pos;
        }
        return m_text.sliced(start, m_pos - start);
    }

    static bool isDigit(char c) { return c >= '0' && c <= '9'; }
    static bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

private:
    QByteArrayView m_text;
    qsizetype m_pos = 0;
};

struct Clock
{
    int hour = 0;
    int minute = 0;
    int second = 0;
    qint64 fraction = 0; // ticks
    int offsetMinutes = 0;
    bool hasZone = false;
};

bool isLeap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

bool validDate(int year, int month, int day)
{
    static constexpr std::array<int, 12> DaysInMonth
        = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1 || month < 1 || month > 12 || day < 1) {
        return false;
    }
    const int last = DaysInMonth[month - 1] + ((month == 2 && isLeap(year)) ? 1 : 0);
    return day <= last;
}

qint64 toTicks(int year, int month, int day, const Clock &clock)
{
    const qint64 days = daysFromCivil(year, month, day);
    return days * TicksPerDay + clock.hour * TicksPerHour + clock.minute * TicksPerMinute
           + clock.second * TicksPerSecond + clock.fraction
           - qint64(clock.offsetMinutes) * TicksPerMinute;
}

// "+02:00", "+0200", "-05:30" or "Z".
bool parseZone(Cursor &in, Clock &clock)
{
    if (in.accept('Z') || in.accept('z')) {
        clock.hasZone = true;
        return true;
    }
    const char sign = in.peek();
    if (sign != '+' && sign != '-') {
        return true;
    }
    in.skip();
    int hours = 0;
    int minutes = 0;
    if (!in.exact(2, hours)) {
        return false;
    }
    in.accept(':');
    if (!in.exact(2, minutes) || hours > 23 || minutes > 59) {
        return false;
    }
    clock.offsetMinutes = (sign == '-' ? -1 : 1) * (hours * 60 + minutes);
    clock.hasZone = true;
    return true;
}

// "AM"/"PM" turns a 1..12 hour into 0..23.
bool applyMeridiem(QByteArrayView meridiem, Clock &clock)
{
    const bool am = meridiem.compare("AM", Qt::CaseInsensitive) == 0;
    const bool pm = meridiem.compare("PM", Qt::CaseInsensitive) == 0;
    if ((!am && !pm) || clock.hour < 1 || clock.hour > 12) {
        return false;
    }
    clock.hour = (clock.hour % 12) + (pm ? 12 : 0);
    return true;
}

// "h:mm:ss[.fff]" with an optional AM/PM; the hour may have one digit.
bool parseClock(Cursor &in, Clock &clock, bool allowZone)
{
    if (!in.number(1, 2, clock.hour) || !in.accept(':') || !in.number(2, 2, clock.minute)
        || !in.accept(':') || !in.number(2, 2, clock.second)) {
        return false;
    }
    if (in.accept('.') && !in.fraction(clock.fraction)) {
        return false;
    }
    if (allowZone) {
        if (!parseZone(in, clock)) {
            return false;
        }
    } else {
        in.skipSpaces();
        const QByteArrayView meridiem = in.word();
        if (!meridiem.isEmpty() && !applyMeridiem(meridiem, clock)) {
            return false;
        }
    }
    in.skipSpaces();
    return in.atEnd() && clock.hour <= 23 && clock.minute <= 59 && clock.second <= 59;
}

std::optional<ParsedTime> finish(int year, int month, int day, const Clock &clock)
{
    if (!validDate(year, month, day)) {
        return std::nullopt;
    }
    ParsedTime result;
    result.ticks = toTicks(year, month, day, clock);
    result.hasZone = clock.hasZone;
    return result;
}

// 2024-03-13T06:40:13.9880000Z, 2020-10-23 06:36:42.306, ...+02:00
std::optional<ParsedTime> parseIso(Cursor &in)
{
    int year = 0;
    int month = 0;
    int day = 0;
    if (!in.number(4, 4, year) || !in.accept('-') || !in.number(2, 2, month) || !in.accept('-')
        || !in.number(2, 2, day)) {
        return std::nullopt;
    }
    if (!in.accept('T') && !in.accept('t') && !in.accept(' ')) {
        return std::nullopt;
    }
    Clock clock;
    if (!parseClock(in, clock, true)) {
        return std::nullopt;
    }
    return finish(year, month, day, clock);
}

// 13/03/2024, 3:40:13.988 pm and 05/12/2024 6:41:32 PM: the reading of the first two numbers
// depends on `order`; with Unknown both valid readings are kept.
std::optional<ParsedTime> parseSlash(Cursor &in, DateOrder order)
{
    int first = 0;
    int second = 0;
    int year = 0;
    if (!in.number(1, 2, first) || !in.accept('/') || !in.number(1, 2, second) || !in.accept('/')
        || !in.number(4, 4, year)) {
        return std::nullopt;
    }
    in.accept(',');
    in.skipSpaces();
    Clock clock;
    if (!parseClock(in, clock, false)) {
        return std::nullopt;
    }
    if (order == DateOrder::MonthFirst) {
        return finish(year, first, second, clock);
    }
    if (order == DateOrder::DayFirst) {
        return finish(year, second, first, clock);
    }

    auto monthFirst = finish(year, first, second, clock);
    auto dayFirst = finish(year, second, first, clock);
    if (first == second) {
        if (monthFirst) {
            monthFirst->evidence = SlashEvidence::Same;
        }
        return monthFirst;
    }
    if (monthFirst && dayFirst) {
        monthFirst->alt = dayFirst->ticks;
        monthFirst->evidence = SlashEvidence::Ambiguous;
        return monthFirst;
    }
    if (monthFirst) {
        monthFirst->evidence = SlashEvidence::MonthFirst;
        return monthFirst;
    }
    if (dayFirst) {
        dayFirst->evidence = SlashEvidence::DayFirst;
    }
    return dayFirst;
}

int monthFromName(QByteArrayView name)
{
    static constexpr std::array<const char *, 12> Full = {"january",
                                                          "february",
                                                          "march",
                                                          "april",
                                                          "may",
                                                          "june",
                                                          "july",
                                                          "august",
                                                          "september",
                                                          "october",
                                                          "november",
                                                          "december"};
    if (name.size() < 3) {
        return 0;
    }
    for (int i = 0; i < 12; ++i) {
        const QByteArrayView full(Full[i]);
        const bool abbreviated = name.size() == 3 || (i == 8 && name.size() == 4);
        const QByteArrayView expected = abbreviated ? full.first(name.size()) : full;
        if (name.compare(expected, Qt::CaseInsensitive) == 0) {
            return i + 1;
        }
    }
    return 0;
}

// Apr 15, 2024 11:09:27 AM and May 7, 2024 18:41:25.123
std::optional<ParsedTime> parseMonthName(Cursor &in)
{
    const int month = monthFromName(in.word());
    int day = 0;
    int year = 0;
    in.skipSpaces();
    if (month == 0 || !in.number(1, 2, day) || !in.accept(',')) {
        return std::nullopt;
    }
    in.skipSpaces();
    if (!in.number(4, 4, year)) {
        return std::nullopt;
    }
    in.accept(',');
    in.skipSpaces();
    Clock clock;
    if (!parseClock(in, clock, false)) {
        return std::nullopt;
    }
    return finish(year, month, day, clock);
}

QByteArrayView trimmed(QByteArrayView text)
{
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t')) {
        text = text.sliced(1);
    }
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t')) {
        text.chop(1);
    }
    return text;
}

} // namespace

std::optional<ParsedTime> parseTimestamp(QByteArrayView text, DateOrder order)
{
    text = trimmed(text);
    if (text.isEmpty()) {
        return std::nullopt;
    }
    Cursor in(text);
    if (Cursor::isAlpha(text.front())) {
        return parseMonthName(in);
    }
    if (text.size() > 4 && text[4] == '-') {
        return parseIso(in);
    }
    return parseSlash(in, order);
}

} // namespace Portent
