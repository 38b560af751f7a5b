// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "generate/catalog.h"

#include <random>

namespace Portent::Generate {

namespace {

constexpr qint64 TicksPerHour = 36'000'000'000;

// clang-format off
constexpr ProcessSpec Processes[ProcessCount] = {
    {"chrome.exe", "c:\\program files\\google\\chrome\\application\\chrome.exe",
     "\"chrome.exe\" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US",
     "Google LLC", "Google Chrome", "122.0.6261.112", "Google Chrome", 3109656, "chrome.exe",
     false},
    {"msedge.exe", "c:\\program files (x86)\\microsoft\\edge\\application\\msedge.exe",
     "\"msedge.exe\" --type=utility --utility-sub-type=network.mojom.NetworkService",
     "Microsoft Corporation", "Microsoft Edge", "122.0.2365.80", "Microsoft Edge", 4031400,
     "msedge.exe", false},
    {"firefox.exe", "c:\\program files\\mozilla firefox\\firefox.exe",
     "\"C:\\Program Files\\Mozilla Firefox\\firefox.exe\"", "Mozilla Corporation", "Firefox",
     "123.0.1", "Firefox", 675288, "explorer.exe", false},
    {"ms-teams.exe",
     "c:\\program files\\windowsapps\\msteams_24033.813.2773.520_x64__8wekyb3d8bbwe\\ms-teams.exe",
     "\"ms-teams.exe\" msteams:system-initiated", "Microsoft Corporation", "Microsoft Teams",
     "24033.813.2773.520", "Microsoft Teams", 1893264, "explorer.exe", false},
    {"OneDrive.exe", "c:\\users\\%u\\appdata\\local\\microsoft\\onedrive\\onedrive.exe",
     "\"C:\\Users\\%u\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe\" /background",
     "Microsoft Corporation", "Microsoft OneDrive", "24.020.0128.0003", "Microsoft OneDrive",
     3578216, "explorer.exe", false},
    {"svchost.exe", "c:\\windows\\system32\\svchost.exe",
     "svchost.exe -k NetworkService -p -s Dnscache", "Microsoft Corporation",
     "Microsoft\u00ae Windows\u00ae Operating System", "10.0.22621.1",
     "Host Process for Windows Services", 57360, "services.exe", true},
    {"MsSense.exe", "c:\\program files\\windows defender advanced threat protection\\mssense.exe",
     "\"MsSense.exe\"", "Microsoft Corporation", "Microsoft\u00ae Windows\u00ae Operating System",
     "10.8570.25393.1015", "Windows Defender Advanced Threat Protection Service Executable",
     402352, "services.exe", true},
    {"OUTLOOK.EXE", "c:\\program files\\microsoft office\\root\\office16\\outlook.exe",
     "\"C:\\Program Files\\Microsoft Office\\Root\\Office16\\OUTLOOK.EXE\"",
     "Microsoft Corporation", "Microsoft Outlook", "16.0.17328.20162", "Microsoft Outlook",
     43236232, "explorer.exe", false},
    {"Spotify.exe", "c:\\users\\%u\\appdata\\roaming\\spotify\\spotify.exe",
     "\"C:\\Users\\%u\\AppData\\Roaming\\Spotify\\Spotify.exe\" --autostart --minimized",
     "Spotify Ltd", "Spotify", "1.2.31.1205", "Spotify", 23017472, "explorer.exe", false},
    {"Zoom.exe", "c:\\users\\%u\\appdata\\roaming\\zoom\\bin\\zoom.exe",
     "\"C:\\Users\\%u\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe\"",
     "Zoom Video Communications, Inc.", "Zoom", "5.17.10.34827", "Zoom Meetings", 439720,
     "explorer.exe", false},
    {"explorer.exe", "c:\\windows\\explorer.exe", "C:\\WINDOWS\\Explorer.EXE",
     "Microsoft Corporation", "Microsoft\u00ae Windows\u00ae Operating System", "10.0.22621.3235",
     "Windows Explorer", 5461424, "userinit.exe", false},
    {"svchost.exe", "c:\\windows\\system32\\svchost.exe",
     "svchost.exe -k termsvcs -s TermService", "Microsoft Corporation",
     "Microsoft\u00ae Windows\u00ae Operating System", "10.0.22621.1",
     "Host Process for Windows Services", 57360, "services.exe", true},
    // Upper case on purpose: the seed compares process names case-insensitively (!in~).
    {"LSASS.EXE", "c:\\windows\\system32\\lsass.exe", "C:\\WINDOWS\\system32\\lsass.exe",
     "Microsoft Corporation", "Microsoft\u00ae Windows\u00ae Operating System", "10.0.22621.3235",
     "Local Security Authority Process", 71216, "wininit.exe", true},
    {"rundll32.exe", "c:\\windows\\system32\\rundll32.exe",
     "rundll32.exe C:\\Users\\%u\\AppData\\Local\\Temp\\msvcsync.dll,DllRegisterServer",
     "Microsoft Corporation", "Microsoft\u00ae Windows\u00ae Operating System", "10.0.22621.1",
     "Windows host process (Rundll32)", 71680, "WINWORD.EXE", false},
    {"AdobeUpdSvc.exe", "c:\\users\\%u\\appdata\\roaming\\adobe\\arm\\adobeupdsvc.exe",
     "\"C:\\Users\\%u\\AppData\\Roaming\\Adobe\\ARM\\AdobeUpdSvc.exe\" -check", "", "", "", "",
     188416, "explorer.exe", false},
    {"powershell.exe", "c:\\windows\\system32\\windowspowershell\\v1.0\\powershell.exe",
     "powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcA",
     "Microsoft Corporation", "Microsoft\u00ae Windows\u00ae Operating System", "10.0.22621.2506",
     "Windows PowerShell", 455680, "cmd.exe", false},
};
// clang-format on

const char *const Users[] = {"amartin",
                             "bnguyen",
                             "cjohnson",
                             "dgarcia",
                             "ekowalski",
                             "fmuller",
                             "gsilva",
                             "hkim",
                             "iossei",
                             "jdupont"};
const char *const DevicePrefixes[] = {"ws-fin", "ws-hr", "ws-eng", "ws-ops", "lt-sales", "lt-exec"};

QByteArray hexString(std::mt19937_64 &rng, int digits)
{
    static constexpr char Hex[] = "0123456789abcdef";
    QByteArray text(digits, '0');
    for (int i = 0; i < digits; ++i) {
        text[i] = Hex[rng() % 16];
    }
    return text;
}

QByteArray guid(std::mt19937_64 &rng)
{
    return hexString(rng, 8) + '-' + hexString(rng, 4) + '-' + hexString(rng, 4) + '-'
           + hexString(rng, 4) + '-' + hexString(rng, 12);
}

QByteArray withUser(const char *pattern, const QByteArray &user)
{
    return QByteArray(pattern).replace("%u", user);
}

QList<QByteArray> urls(std::initializer_list<const char *> names)
{
    QList<QByteArray> list;
    for (const char *name : names) {
        list.append(QByteArray(name));
    }
    return list;
}

std::vector<NoiseProfile> noiseProfiles()
{
    const QList<QByteArray> web = urls({"www.google.com",
                                        "www.bing.com",
                                        "login.microsoftonline.com",
                                        "github.com",
                                        "www.wikipedia.org",
                                        "cdn.jsdelivr.net",
                                        "fonts.gstatic.com",
                                        "outlook.office365.com",
                                        "www.linkedin.com",
                                        "stackoverflow.com"});
    const QList<QByteArray> windows = urls({"settings-win.data.microsoft.com",
                                            "ctldl.windowsupdate.com",
                                            "fe3cr.delivery.mp.microsoft.com"});
    using R = RemoteKind;
    using A = AdditionalKind;
    return {
        {ProcessChrome, R::Public, "Tcp", {443}, web, 85, 8, 5, "ConnectionSuccess", A::None, 16},
        {ProcessEdge, R::Public, "Tcp", {443}, web, 88, 6, 4, "ConnectionSuccess", A::None, 12},
        {ProcessFirefox, R::Public, "Tcp", {443, 80}, web, 90, 5, 5, "", A::None, 5},
        {ProcessChrome, R::Public, "Tcp", {80}, web, 90, 5, 5, "", A::None, 3},
        {ProcessTeams,
         R::Public,
         "Tcp",
         {443},
         urls({"teams.microsoft.com", "teams.events.data.microsoft.com"}),
         95,
         3,
         2,
         "",
         A::None,
         8},
        {ProcessTeams, R::Public, "Udp", {3478, 3479, 3480, 3481}, {}, 100, 0, 0, "", A::None, 5},
        {ProcessOneDrive,
         R::Public,
         "Tcp",
         {443},
         urls({"skyapi.live.net", "g.live.com", "api.onedrive.com"}),
         92,
         4,
         4,
         "",
         A::None,
         6},
        {ProcessSvchost, R::Dns, "Udp", {53}, {}, 100, 0, 0, "", A::None, 10},
        {ProcessSvchost, R::Dns, "Udp", {53}, {}, 0, 0, 0, "DnsConnectionInspected", A::Dns, 3},
        {ProcessSvchost, R::Public, "Tcp", {443, 80}, windows, 90, 5, 5, "", A::None, 8},
        {ProcessSense,
         R::Public,
         "Tcp",
         {443},
         urls({"winatp-gw-weu.microsoft.com", "eu-v20.events.data.microsoft.com"}),
         97,
         2,
         1,
         "",
         A::None,
         5},
        {ProcessOutlook,
         R::Public,
         "Tcp",
         {443},
         urls({"outlook.office365.com"}),
         95,
         3,
         2,
         "",
         A::None,
         5},
        {ProcessEdge, R::Public, "Tcp", {443}, web, 0, 0, 0, "SslConnectionInspected", A::Ssl, 3},
        {ProcessEdge, R::Public, "Tcp", {443, 80}, web, 0, 100, 0, "", A::Packet, 2},
        {ProcessSpotify,
         R::Public,
         "Tcp",
         {4070, 443},
         urls({"ap-gew4.spotify.com"}),
         90,
         5,
         5,
         "",
         A::None,
         2},
        // Zoom media on 8801..8810 and arbitrary high ports: in the rule's range, so the
        // generator's formula check is what keeps them benign.
        {ProcessZoom,
         R::Public,
         "Udp",
         {8801, 8802, 8803, 8810},
         urls({"zoom.us"}),
         100,
         0,
         0,
         "",
         A::None,
         2},
        {ProcessChrome, R::Public, "Tcp", {AnyHighPort}, {}, 60, 30, 10, "", A::None, 3},
        {ProcessSpotify, R::Public, "Udp", {AnyHighPort}, {}, 70, 30, 0, "", A::None, 1},
        {ProcessChrome, R::PublicIpv6, "Tcp", {443}, web, 90, 5, 5, "", A::None, 4},
        {ProcessSvchostRdp,
         R::Inbound,
         "Tcp",
         {3389, 445, 135},
         {},
         0,
         0,
         0,
         "InboundConnectionAccepted",
         A::None,
         3},
        {ProcessExplorer, R::PrivatePeer, "Tcp", {445}, {}, 95, 0, 5, "", A::None, 3},
        {ProcessSvchost,
         R::Listening,
         "Tcp",
         {135, 445, 5040, 7680, 49664},
         {},
         0,
         0,
         0,
         "ListeningConnectionCreated",
         A::None,
         2},
        {ProcessSense, R::Loopback, "Tcp", {AnyHighPort}, {}, 100, 0, 0, "", A::None, 1},
    };
}

} // namespace

const char *NoiseProfile::actionFor(qint64 percent) const
{
    if (percent < success) {
        return "ConnectionSuccess";
    }
    if (percent < success + attempt) {
        return "ConnectionAttempt";
    }
    if (percent < success + attempt + failed) {
        return "ConnectionFailed";
    }
    return *otherAction ? otherAction : "ConnectionSuccess";
}

Catalog::Catalog(quint64 seed, int deviceCount, qint64 newestTicks, qint64 spanTicks)
    : m_profiles(noiseProfiles())
{
    std::mt19937_64 rng(seed);
    const QByteArray domainSid = "S-1-5-21-"
                                 + QByteArray::number(1'000'000'000 + rng() % 999'999'999) + '-'
                                 + QByteArray::number(1'000'000'000 + rng() % 999'999'999) + '-'
                                 + QByteArray::number(1'000'000'000 + rng() % 999'999'999);
    for (int i = 0; i < deviceCount; ++i) {
        Device device;
        const QByteArray user = Users[rng() % std::size(Users)];
        device.name = QByteArray(DevicePrefixes[rng() % std::size(DevicePrefixes)]) + '-'
                      + QByteArray::number(100 + i * 7 + int(rng() % 7)) + ".contoso.local";
        device.id = hexString(rng, 40);
        device.localIp
            = "10.20." + QByteArray::number(10 + i / 200) + '.' + QByteArray::number(10 + i % 200);
        device.domain = "contoso";
        device.account = user;
        device.sid = domainSid + '-' + QByteArray::number(1100 + i);
        device.upn = user + "@contoso.com";
        device.objectId = guid(rng);
        m_devices.push_back(device);
    }

    std::vector<std::array<QByteArray, 3>> hashes;
    for (int p = 0; p < ProcessCount; ++p) {
        hashes.push_back({hexString(rng, 40), hexString(rng, 64), hexString(rng, 32)});
    }
    const qint64 oldest = newestTicks - spanTicks;
    for (const Device &device : m_devices) {
        for (int p = 0; p < ProcessCount; ++p) {
            const ProcessSpec &spec = Processes[p];
            ProcessInstance instance;
            instance.folder = withUser(spec.folder, device.account);
            instance.commandLine = withUser(spec.commandLine, device.account);
            instance.sha1 = hashes[p][0];
            instance.sha256 = hashes[p][1];
            instance.md5 = hashes[p][2];
            instance.pid = 1000 + qint64(rng() % 30'000) * 4;
            instance.parentPid = 600 + qint64(rng() % 2000) * 4;
            instance.parentCreationTicks
                = oldest - qint64(rng() % 96 + 2) * TicksPerHour - qint64(rng() % TicksPerHour);
            instance.creationTicks = instance.parentCreationTicks + qint64(rng() % TicksPerHour);
            if (spec.system) {
                const bool network = p == ProcessSvchost;
                instance.domain = "nt authority";
                instance.account = network ? "network service" : "system";
                instance.sid = network ? "S-1-5-20" : "S-1-5-18";
                instance.integrity = "System";
                instance.elevation = "TokenElevationTypeDefault";
            } else {
                instance.domain = device.domain;
                instance.account = device.account;
                instance.sid = device.sid;
                instance.upn = device.upn;
                instance.objectId = device.objectId;
                instance.integrity = "Medium";
                instance.elevation = "TokenElevationTypeLimited";
            }
            m_instances.push_back(instance);
        }
    }
    for (const NoiseProfile &profile : m_profiles) {
        m_totalWeight += profile.weight;
    }
}

const ProcessSpec &Catalog::process(int index)
{
    return Processes[index];
}

const NoiseProfile &Catalog::noiseProfile(quint64 random) const
{
    int pick = int(random % quint64(m_totalWeight));
    for (const NoiseProfile &profile : m_profiles) {
        if (pick < profile.weight) {
            return profile;
        }
        pick -= profile.weight;
    }
    return m_profiles.front();
}

QByteArray Catalog::publicIpv4(quint64 random) const
{
    const int o1 = PublicFirstOctets[random % std::size(PublicFirstOctets)];
    random /= std::size(PublicFirstOctets);
    const Octets octets{
        o1, int(random % 256), int((random >> 8) % 256), 1 + int((random >> 16) % 254)};
    return octets.toText();
}

QByteArray Catalog::publicIpv6(quint64 random) const
{
    static constexpr const char *Prefixes[]
        = {"2603:1030", "2603:1036", "2a00:1450", "2606:4700", "2620:1ec"};
    QByteArray text = Prefixes[random % std::size(Prefixes)];
    random /= std::size(Prefixes);
    text += ':' + QByteArray::number(quint64(random & 0xfff), 16);
    text += ':' + QByteArray::number(quint64((random >> 12) & 0xffff), 16);
    text += "::" + QByteArray::number(quint64((random >> 28) & 0xfff) + 1, 16);
    return text;
}

QByteArray Catalog::dnsServer(qint64 index) const
{
    return index == 0 ? QByteArray("10.20.0.10") : QByteArray("10.20.0.11");
}

SeedView seedView(const Row &row)
{
    SeedView view;
    view.time = row.time;
    view.actionType = row.actionType;
    view.remoteIp = row.remoteIp;
    view.remoteIpType = row.remoteIpType;
    view.processName = Catalog::process(row.process).fileName;
    view.remotePort = row.remotePort;
    return view;
}

} // namespace Portent::Generate
