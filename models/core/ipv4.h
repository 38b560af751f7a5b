// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayView>
#include <QString>

#include <array>
#include <cstdint>
#include <optional>

namespace Portent {

// A parsed IPv4 address. Octets are kept separately because detection works on them.
struct Ipv4
{
    quint32 value = 0;

    std::array<int, 4> octets() const
    {
        return {int(value >> 24),
                int((value >> 16) & 0xff),
                int((value >> 8) & 0xff),
                int(value & 0xff)};
    }
    QString toString() const;
};

// Strict IPv4: exactly four decimal octets 0..255, no spaces, no leading zeros beyond "0" itself
// (so "010.1.1.1" is refused, as it is ambiguous between octal and decimal readers).
// An IPv4-mapped IPv6 address ("::ffff:1.2.3.4", any case) yields its IPv4 part.
// Anything else, including other IPv6 and placeholders such as "REDACTED IP", yields nothing.
std::optional<Ipv4> parseIpv4(QByteArrayView text);
// The same without the IPv4-mapped IPv6 form: four dotted decimal octets and nothing else.
std::optional<Ipv4> parseDottedIpv4(QByteArrayView text);

// What KQL computes for toint(split(text, ".")[index]): the integer when that part is a plain
// decimal number, nothing (null) otherwise. The seed rule's octets are exactly this, which differs
// from strict parsing: "::ffff:1.2.3.4" gives null for index 0, "300.1.2.3" gives 300.
std::optional<qint64> kqlSplitToInt(QByteArrayView text, int index);

// Address classes in the sense of Defender's RemoteIPType column.
enum class IpClass {
    Public,
    Private,
    Loopback,
    LinkLocal,
    Multicast,
    Reserved,
};

IpClass classifyIpv4(Ipv4 address);
// The RemoteIPType spelling Defender uses for a class ("Public", "Private", "Loopback", ...).
QString ipClassName(IpClass ipClass);

} // namespace Portent
