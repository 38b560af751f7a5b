// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "core/ipv4.h"

#include <QList>

#include <algorithm>
#include <limits>

namespace Portent {

namespace {

// Parses one strict decimal octet; advances pos past it.
std::optional<quint32> parseOctet(QByteArrayView text, qsizetype &pos)
{
    const qsizetype start = pos;
    quint32 value = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 4) {
        value = value * 10 + quint32(text[pos] - '0');
        ++pos;
    }
    const qsizetype digits = pos - start;
    if (digits == 0 || digits > 3 || value > 255) {
        return std::nullopt;
    }
    if (digits > 1 && text[start] == '0') {
        return std::nullopt;
    }
    return value;
}

bool inNetwork(quint32 address, quint32 network, int prefixLength)
{
    const quint32 mask = prefixLength == 0 ? 0 : ~quint32(0) << (32 - prefixLength);
    return (address & mask) == (network & mask);
}

constexpr quint32 net(int a, int b, int c, int d)
{
    return (quint32(a) << 24) | (quint32(b) << 16) | (quint32(c) << 8) | quint32(d);
}

} // namespace

std::optional<Ipv4> parseDottedIpv4(QByteArrayView text)
{
    qsizetype pos = 0;
    quint32 value = 0;
    for (int i = 0; i < 4; ++i) {
        if (i > 0) {
            if (pos >= text.size() || text[pos] != '.') {
                return std::nullopt;
            }
            ++pos;
        }
        const std::optional<quint32> octet = parseOctet(text, pos);
        if (!octet) {
            return std::nullopt;
        }
        value = (value << 8) | *octet;
    }
    if (pos != text.size()) {
        return std::nullopt;
    }
    return Ipv4{value};
}

QString Ipv4::toString() const
{
    const auto o = octets();
    return QStringLiteral("%1.%2.%3.%4").arg(o[0]).arg(o[1]).arg(o[2]).arg(o[3]);
}

std::optional<Ipv4> parseIpv4(QByteArrayView text)
{
    // IPv4-mapped IPv6 is how dual-stack sockets report IPv4 peers; Defender passes it through.
    static constexpr QByteArrayView mappedPrefix("::ffff:");
    if (text.size() > mappedPrefix.size()
        && QByteArrayView(text.first(mappedPrefix.size()))
                   .compare(mappedPrefix, Qt::CaseInsensitive)
               == 0) {
        return parseDottedIpv4(text.sliced(mappedPrefix.size()));
    }
    return parseDottedIpv4(text);
}

std::optional<qint64> kqlSplitToInt(QByteArrayView text, int index)
{
    // split() yields index i only if at least i dots exist; a missing part is null.
    qsizetype start = 0;
    for (int i = 0; i < index; ++i) {
        const qsizetype dot = text.indexOf('.', start);
        if (dot < 0) {
            return std::nullopt;
        }
        start = dot + 1;
    }
    qsizetype end = text.indexOf('.', start);
    if (end < 0) {
        end = text.size();
    }
    const QByteArrayView part = text.sliced(start, end - start);

    // toint() of a string takes an optional sign and decimal digits, and is null otherwise.
    bool converted = false;
    const qint64 value = part.toLongLong(&converted, 10);
    const bool plainDigits = !part.isEmpty() && std::all_of(part.begin(), part.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == '-' || c == '+';
    });
    if (!converted || !plainDigits || value > std::numeric_limits<qint32>::max()
        || value < std::numeric_limits<qint32>::min()) {
        return std::nullopt;
    }
    return value;
}

IpClass classifyIpv4(Ipv4 address)
{
    const quint32 a = address.value;
    if (inNetwork(a, net(127, 0, 0, 0), 8)) {
        return IpClass::Loopback;
    }
    if (inNetwork(a, net(169, 254, 0, 0), 16)) {
        return IpClass::LinkLocal;
    }
    if (inNetwork(a, net(224, 0, 0, 0), 4)) {
        return IpClass::Multicast;
    }
    if (inNetwork(a, net(10, 0, 0, 0), 8) || inNetwork(a, net(172, 16, 0, 0), 12)
        || inNetwork(a, net(192, 168, 0, 0), 16) || inNetwork(a, net(100, 64, 0, 0), 10)) {
        return IpClass::Private;
    }
    // "This network", IETF protocol assignments, documentation, benchmarking and class E.
    if (inNetwork(a, net(0, 0, 0, 0), 8) || inNetwork(a, net(192, 0, 0, 0), 24)
        || inNetwork(a, net(192, 0, 2, 0), 24) || inNetwork(a, net(198, 51, 100, 0), 24)
        || inNetwork(a, net(203, 0, 113, 0), 24) || inNetwork(a, net(198, 18, 0, 0), 15)
        || inNetwork(a, net(240, 0, 0, 0), 4)) {
        return IpClass::Reserved;
    }
    return IpClass::Public;
}

QString ipClassName(IpClass ipClass)
{
    switch (ipClass) {
    case IpClass::Public:
        return QStringLiteral("Public");
    case IpClass::Private:
        return QStringLiteral("Private");
    case IpClass::Loopback:
        return QStringLiteral("Loopback");
    case IpClass::LinkLocal:
        return QStringLiteral("LinkLocal");
    case IpClass::Multicast:
        return QStringLiteral("Multicast");
    case IpClass::Reserved:
        return QStringLiteral("Reserved");
    }
    return QString();
}

} // namespace Portent
