// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "generate/generator.h"
#include "generate/seedclauses.h"

#include <QByteArray>
#include <QList>

#include <vector>

// The synthetic estate the generator draws from: devices, the processes running on them, and the
// kinds of benign traffic they produce. Everything is derived from the seed at construction.
namespace Portent::Generate {

constexpr int AnyHighPort = -2; // in a noise profile: a random port 1024..49151

// Indices into the process table that planted rows refer to by name.
enum ProcessIndex : int {
    ProcessChrome,
    ProcessEdge,
    ProcessFirefox,
    ProcessTeams,
    ProcessOneDrive,
    ProcessSvchost,
    ProcessSense,
    ProcessOutlook,
    ProcessSpotify,
    ProcessZoom,
    ProcessExplorer,
    ProcessSvchostRdp,
    ProcessLsassUpper,
    ProcessRundll32,
    ProcessFakeUpdater,
    ProcessPowerShell,
    ProcessCount
};

struct ProcessSpec
{
    const char *fileName;
    const char *folder;      // full path, lower case as Defender reports it; %u is the user
    const char *commandLine; // %u is the user
    const char *company;
    const char *product;
    const char *version;
    const char *description;
    qint64 size;
    const char *parent;
    bool system; // runs as a service account rather than the device's user
};

struct Device
{
    QByteArray name;
    QByteArray id;
    QByteArray localIp;
    QByteArray domain;
    QByteArray account;
    QByteArray sid;
    QByteArray upn;
    QByteArray objectId;
};

// One running process on one device: a process keeps its id and hashes across its connections.
struct ProcessInstance
{
    QByteArray folder;
    QByteArray commandLine;
    QByteArray sha1;
    QByteArray sha256;
    QByteArray md5;
    QByteArray domain;
    QByteArray account;
    QByteArray sid;
    QByteArray upn;
    QByteArray objectId;
    QByteArray integrity;
    QByteArray elevation;
    qint64 pid = 0;
    qint64 parentPid = 0;
    qint64 creationTicks = 0;
    qint64 parentCreationTicks = 0;
};

enum class RemoteKind {
    Public,
    PublicIpv6,
    Dns,         // the site's DNS servers
    PrivatePeer, // another device
    Inbound,     // a device connects to this one; the profile's port is the local port
    Loopback,
    Listening, // no remote end; the profile's port is the local port
};

enum class AdditionalKind {
    None,
    Packet, // network-protection packet summary on attempts
    Ssl,    // SslConnectionInspected
    Dns,    // DnsConnectionInspected
};

struct NoiseProfile
{
    int process = 0;
    RemoteKind remote = RemoteKind::Public;
    const char *protocol = "Tcp";
    QList<int> ports;
    QList<QByteArray> urls;
    // Cumulative percentages: below success -> ConnectionSuccess, then attempt, then failed,
    // the rest is `otherAction`.
    int success = 100;
    int attempt = 0;
    int failed = 0;
    const char *otherAction = "ConnectionSuccess";
    AdditionalKind additional = AdditionalKind::None;
    int weight = 1;

    const char *actionFor(qint64 percent) const;
};

// The IPv4 first octets drawn for public addresses: ordinary allocated unicast ranges, none of
// which holds private, shared, loopback, link-local, documentation or benchmark space.
inline constexpr int PublicFirstOctets[]
    = {13,  20,  23,  31,  34,  35,  40,  45,  46,  51,  52,  54,  62,  64,  66,  69,  72,  74,
       77,  78,  80,  81,  82,  83,  84,  85,  86,  87,  88,  89,  91,  93,  94,  95,  104, 108,
       128, 130, 131, 137, 138, 140, 142, 143, 144, 146, 147, 151, 152, 157, 162, 163, 170, 173,
       176, 178, 181, 185, 188, 190, 193, 194, 195, 199, 204, 207, 208, 212, 213, 216, 217};

// Command-and-control names; the reserved .example suffix keeps them from naming anyone.
inline constexpr const char *C2Domains[] = {"cdn-telemetry.sync-update.example",
                                            "static.msupdate-cache.example",
                                            "api.cloud-metrics.example"};

class Catalog
{
public:
    Catalog(quint64 seed, int deviceCount, qint64 newestTicks, qint64 spanTicks);

    int deviceCount() const { return int(m_devices.size()); }
    const Device &device(int index) const { return m_devices[index]; }
    static const ProcessSpec &process(int index);
    const ProcessInstance &instance(int device, int process) const
    {
        return m_instances[std::size_t(device) * ProcessCount + std::size_t(process)];
    }
    const NoiseProfile &noiseProfile(quint64 random) const;
    QByteArray publicIpv4(quint64 random) const;
    QByteArray publicIpv6(quint64 random) const;
    QByteArray dnsServer(qint64 index) const;

private:
    std::vector<Device> m_devices;
    std::vector<ProcessInstance> m_instances;
    std::vector<NoiseProfile> m_profiles;
    int m_totalWeight = 0;
};

// One generated event before it is written.
struct Row
{
    qint64 time = 0;
    int device = 0;
    int process = 0;
    const char *actionType = "ConnectionSuccess";
    QByteArray remoteIp;
    int remotePort = NoPort;
    QByteArray remoteUrl;
    int localPort = NoPort;
    const char *protocol = "Tcp";
    const char *remoteIpType = "";
    AdditionalKind additional = AdditionalKind::None;
    qint64 reportId = 0;
    bool planted = false;
    PlantedKind kind = PlantedKind::Beacon;
    FormulaChoice formula = FormulaChoice::None;
};

SeedView seedView(const Row &row);

} // namespace Portent::Generate
