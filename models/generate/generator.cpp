// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "generate/generator.h"

#include "core/logging.h"
#include "generate/catalog.h"
#include "generate/rowwriter.h"
#include "generate/seedclauses.h"

#include <QCoreApplication>
#include <QFile>
#include <QIODevice>
#include <QList>

#include <algorithm>
#include <random>

namespace Portent {

namespace {

using namespace Generate;

constexpr qint64 FlushBytes = 1 << 20;
constexpr qint64 ProgressEveryRows = 4096;
constexpr int MaxRedraws = 64;

// Deterministic on every platform: std::uniform_int_distribution is implementation-defined, so
// ranges are taken from the raw 64-bit engine output instead (the modulo bias is negligible here).
class Rng
{
public:
    explicit Rng(quint64 seed)
        : m_engine(seed)
    {}

    quint64 next() { return m_engine(); }
    qint64 below(qint64 n) { return n <= 1 ? 0 : qint64(m_engine() % quint64(n)); }
    qint64 range(qint64 lo, qint64 hi) { return lo + below(hi - lo + 1); }
    bool percent(int p) { return below(100) < p; }
    template<typename T, std::size_t N> const T &pick(const T (&items)[N])
    {
        return items[below(qint64(N))];
    }

private:
    std::mt19937_64 m_engine;
};

// How many rows of each planted kind a file of `rows` rows gets. Few enough to plan ahead in
// constant memory, enough that every kind appears in the bundled 5,000-row sample.
struct PlantCounts
{
    qint64 beacons = 0;
    qint64 perNearMissKind = 0;
};

PlantCounts plantCounts(qint64 rows)
{
    if (rows < 100) {
        return {};
    }
    return {std::clamp<qint64>(rows / 250, 6, 600), std::clamp<qint64>(rows / 2500, 1, 50)};
}

class Run
{
public:
    Run(QIODevice &events, QIODevice *truth, const GeneratorOptions &options)
        : m_events(events)
        , m_truth(truth)
        , m_options(options)
        , m_rng(options.seed)
        , m_catalog(options.seed ^ 0x5eedca7a10605eedULL,
                    deviceCountFor(options.rows),
                    options.newestTicks,
                    options.spanHours * TicksPerHourLocal)
        , m_writer(options.format, options.timestampStyle)
        , m_windowFrom(options.newestTicks - 24 * TicksPerHourLocal)
    {}

    Expected<GenerationSummary> execute(const GeneratorProgress &progress);

private:
    static constexpr qint64 TicksPerHourLocal = 36'000'000'000;
    static constexpr qint64 TicksPerMinuteLocal = 600'000'000;

    static int deviceCountFor(qint64 rows)
    {
        return int(std::clamp<qint64>(12 + rows / 20'000, 12, 60));
    }

    qint64 quantize(qint64 ticks) const;
    void planBeacons(qint64 count);
    void planNearMisses(qint64 perKind);
    bool planNearMiss(PlantedKind kind, Row &row);
    void addBeaconCampaign(int processIndex, FormulaChoice formula, qint64 count, qint64 offset);
    Row drawNoise(qint64 time);
    void fillNoise(Row &row);
    Status emitRow(Row &row);
    Status flush(bool force);
    Error ioError(QIODevice &device) const;

    QIODevice &m_events;
    QIODevice *m_truth;
    GeneratorOptions m_options;
    Rng m_rng;
    Catalog m_catalog;
    RowWriter m_writer;
    qint64 m_windowFrom;
    QList<Row> m_planted; // sorted newest first before writing
    QByteArray m_buffer;
    QByteArray m_truthBuffer;
    GenerationSummary m_summary;
    qint64 m_nextReportId = 0;
};

qint64 Run::quantize(qint64 ticks) const
{
    if (m_options.timestampStyle == TimestampStyle::Iso7) {
        return ticks;
    }
    // Millisecond styles cannot carry finer times; keep the truth equal to what a reader sees.
    return ticks - ticks % 10'000;
}

// Public addresses whose formula lands in the rule's port range. The first octet comes from
// ranges allocated to ordinary networks, so the address is "Public" by any classifier.
Endpoint drawC2Endpoint(Rng &rng, FormulaChoice formula)
{
    for (;;) {
        const int o1 = rng.pick(PublicFirstOctets);
        const int o2 = int(rng.range(1, 255));
        const int o3 = formula == FormulaChoice::Both ? 0 : int(rng.range(1, 255));
        const int o4 = int(rng.range(1, 254));
        const int port = formula == FormulaChoice::Variant ? o1 * (o2 + o3) : o1 * o2 + o3;
        const Octets octets{o1, o2, o3, o4};
        if (isInSeedRange(port) && !isSeedExcludedPort(port)
            && matchedFormulaFor(octets, port) == formula) {
            return {octets, port};
        }
    }
}

void Run::addBeaconCampaign(int processIndex, FormulaChoice formula, qint64 count, qint64 offset)
{
    if (count <= 0) {
        return;
    }
    // A campaign beacons periodically from one device; its C2 name resolves to a few addresses
    // over time, and each address gives another port: the point of T1568.003.
    const int device = int(m_rng.below(m_catalog.deviceCount()));
    Endpoint c2[3];
    for (Endpoint &endpoint : c2) {
        endpoint = drawC2Endpoint(m_rng, formula);
    }
    const qint64 span = 22 * TicksPerHourLocal - offset;
    const qint64 period = span / count;
    const char *url = m_rng.pick(C2Domains);
    for (qint64 i = 0; i < count; ++i) {
        Row row;
        row.kind = PlantedKind::Beacon;
        row.planted = true;
        const qint64 jitter = m_rng.range(-period / 8, period / 8);
        row.time = quantize(m_options.newestTicks - offset - TicksPerMinuteLocal - i * period
                            + std::min<qint64>(jitter, 0));
        row.device = device;
        row.process = processIndex;
        row.actionType = m_rng.percent(70) ? "ConnectionSuccess" : "ConnectionAttempt";
        const Endpoint &endpoint = c2[(i * 3) / count];
        row.remoteIp = endpoint.octets.toText();
        row.remotePort = endpoint.port;
        row.remoteUrl = url;
        row.remoteIpType = "Public";
        row.protocol = "Tcp";
        row.localPort = int(m_rng.range(49152, 65535));
        row.formula = formula;
        // Construction guarantees a match; the check keeps the ground truth honest if it ever
        // does not (a beacon that the rule would miss is left out rather than listed wrongly).
        const Clauses failed = failedSeedClauses(seedView(row), m_windowFrom);
        Q_ASSERT(failed.toInt() == 0);
        if (failed.toInt() != 0) {
            qCWarning(lcGenerate) << "beacon at" << row.remoteIp << row.remotePort
                                  << "would not match; not planted";
            continue;
        }
        m_planted.append(row);
    }
}

void Run::planBeacons(qint64 count)
{
    if (count <= 0) {
        return;
    }
    const qint64 apt12 = count * 45 / 100;
    const qint64 both = std::max<qint64>(1, count * 15 / 100);
    const qint64 variant = count - apt12 - both;
    addBeaconCampaign(ProcessRundll32, FormulaChoice::Apt12, apt12, 0);
    addBeaconCampaign(ProcessFakeUpdater, FormulaChoice::Variant, variant, 7 * TicksPerMinuteLocal);
    addBeaconCampaign(ProcessPowerShell, FormulaChoice::Both, both, 40 * TicksPerMinuteLocal);
}

// A public endpoint whose port equals `port` by one of the formulas, if the port allows one.
std::optional<Endpoint> endpointForPort(Rng &rng, int port, int firstOctetMin)
{
    for (int attempt = 0; attempt < 200; ++attempt) {
        const int o1 = rng.pick(PublicFirstOctets);
        if (o1 < firstOctetMin) {
            continue;
        }
        const int o2 = port / o1 - int(rng.below(2));
        const int o3 = port - o1 * o2;
        if (o2 < 1 || o2 > 255 || o3 < 0 || o3 > 255) {
            continue;
        }
        const Octets octets{o1, o2, o3, int(rng.range(1, 254))};
        if (matchedFormulaFor(octets, port) != FormulaChoice::None) {
            return Endpoint{octets, port};
        }
    }
    return std::nullopt;
}

bool Run::planNearMiss(PlantedKind kind, Row &row)
{
    Endpoint endpoint = drawC2Endpoint(m_rng, FormulaChoice::Apt12);
    row.remoteIp = endpoint.octets.toText();
    row.remotePort = endpoint.port;
    switch (kind) {
    case PlantedKind::NearMissPortOffByOne:
        row.remotePort = endpoint.port + (m_rng.percent(50) ? 1 : -1);
        break;
    case PlantedKind::NearMissPrivateIp: {
        // 192.168.o3.x is the only common private range whose products reach the rule's range.
        const Octets octets{192, 168, int(m_rng.range(0, 255)), int(m_rng.range(2, 254))};
        row.remoteIp = octets.toText();
        row.remotePort = 192 * 168 + octets.o3;
        row.remoteIpType = "Private";
        break;
    }
    case PlantedKind::NearMissExcludedPort: {
        const int port = SeedExcludedPorts[m_rng.below(std::size(SeedExcludedPorts))];
        const auto found
            = port == 8080
                  ? std::optional<Endpoint>(Endpoint{{80, 101, 0, int(m_rng.range(1, 254))}, 8080})
                  : endpointForPort(m_rng, port, 1);
        if (!found) {
            return false;
        }
        row.remoteIp = found->octets.toText();
        row.remotePort = port;
        break;
    }
    case PlantedKind::NearMissExcludedProcess:
        row.process = m_rng.percent(50) ? ProcessSvchost : ProcessLsassUpper;
        break;
    case PlantedKind::NearMissConnectionFailed:
        row.actionType = "ConnectionFailed";
        break;
    case PlantedKind::NearMissIpv6:
        row.remoteIp = m_catalog.publicIpv6(m_rng.next());
        break;
    case PlantedKind::NearMissMappedIpv6:
        // KQL's split(RemoteIP, ".")[0] is "::ffff:a", which toint() turns into null.
        row.remoteIp = QByteArray("::ffff:") + row.remoteIp;
        break;
    case PlantedKind::NearMissIpTypeNotPublic:
        row.remoteIpType = m_rng.percent(50) ? "" : "Reserved";
        break;
    case PlantedKind::NearMissPortBelowRange:
    case PlantedKind::NearMissPortAboveRange: {
        const bool below = kind == PlantedKind::NearMissPortBelowRange;
        const int port = below ? 4095 : 49152;
        const auto found = endpointForPort(m_rng, port, below ? 1 : 193);
        if (!found) {
            return false;
        }
        row.remoteIp = found->octets.toText();
        row.remotePort = port;
        break;
    }
    case PlantedKind::NearMissOutsideWindow:
        row.time
            = quantize(m_windowFrom - m_rng.range(TicksPerMinuteLocal, 12 * TicksPerHourLocal));
        break;
    default:
        return false;
    }
    const std::optional<Octets> strict = strictOctets(row.remoteIp);
    row.formula = strict ? matchedFormulaFor(*strict, row.remotePort) : FormulaChoice::None;
    const Clauses failed = failedSeedClauses(seedView(row), m_windowFrom);
    return failed == expectedFailure(kind);
}

void Run::planNearMisses(qint64 perKind)
{
    for (int k = int(PlantedKind::NearMissPortOffByOne); k < int(PlantedKind::Count); ++k) {
        const auto kind = PlantedKind(k);
        for (qint64 i = 0; i < perKind; ++i) {
            for (int attempt = 0; attempt < MaxRedraws; ++attempt) {
                Row row;
                row.kind = kind;
                row.planted = true;
                row.time = quantize(m_options.newestTicks
                                    - m_rng.range(2 * TicksPerMinuteLocal, 23 * TicksPerHourLocal));
                row.device = int(m_rng.below(m_catalog.deviceCount()));
                row.process = m_rng.percent(50) ? ProcessRundll32 : ProcessFakeUpdater;
                row.actionType = "ConnectionSuccess";
                row.remoteIpType = "Public";
                row.protocol = "Tcp";
                row.localPort = int(m_rng.range(49152, 65535));
                if (planNearMiss(kind, row)) {
                    m_planted.append(row);
                    break;
                }
            }
        }
    }
}

void Run::fillNoise(Row &row)
{
    const NoiseProfile &profile = m_catalog.noiseProfile(m_rng.next());
    row.process = profile.process;
    row.actionType = profile.actionFor(m_rng.below(100));
    row.protocol = profile.protocol;
    // A quarter of connections carry no URL, as when Defender saw no DNS lookup before them;
    // TLS inspection always names the server.
    const bool withUrl = profile.additional == AdditionalKind::Ssl || !m_rng.percent(25);
    row.remoteUrl = profile.urls.isEmpty() || !withUrl
                        ? QByteArray()
                        : profile.urls.at(m_rng.below(profile.urls.size()));
    row.localPort = int(m_rng.range(49152, 65535));
    row.remotePort = profile.ports.at(m_rng.below(profile.ports.size()));
    if (row.remotePort == AnyHighPort) {
        row.remotePort = int(m_rng.range(1024, 49151));
    }
    row.remoteIpType = "Public";
    switch (profile.remote) {
    case RemoteKind::Public:
        row.remoteIp = m_catalog.publicIpv4(m_rng.next());
        break;
    case RemoteKind::PublicIpv6:
        row.remoteIp = m_catalog.publicIpv6(m_rng.next());
        break;
    case RemoteKind::Dns:
        row.remoteIp = m_catalog.dnsServer(m_rng.below(2));
        row.remoteIpType = "Private";
        break;
    case RemoteKind::PrivatePeer:
        row.remoteIp = m_catalog.device(int(m_rng.below(m_catalog.deviceCount()))).localIp;
        row.remoteIpType = "Private";
        break;
    case RemoteKind::Inbound:
        row.remoteIp = m_catalog.device(int(m_rng.below(m_catalog.deviceCount()))).localIp;
        row.remoteIpType = "Private";
        row.localPort = row.remotePort;
        row.remotePort = int(m_rng.range(49152, 65535));
        break;
    case RemoteKind::Loopback:
        row.remoteIp = "127.0.0.1";
        row.remoteIpType = "Loopback";
        break;
    case RemoteKind::Listening:
        row.remoteIp.clear();
        row.remoteIpType = "";
        row.localPort = row.remotePort;
        row.remotePort = NoPort;
        break;
    }
    row.additional = profile.additional;
}

Row Run::drawNoise(qint64 time)
{
    Row row;
    row.time = quantize(time);
    row.device = int(m_rng.below(m_catalog.deviceCount()));
    for (int attempt = 0; attempt < MaxRedraws; ++attempt) {
        fillNoise(row);
        // Benign traffic never satisfies a formula, so no relaxation of the other clauses (time,
        // type, ports, processes) can turn it into a match and the ground truth stays exact.
        // Draws that would match one are simply drawn again.
        const Clauses failed = failedSeedClauses(seedView(row), m_windowFrom);
        if (failed.testFlag(Clause::Formula)) {
            return row;
        }
    }
    row.remotePort = 443;
    return row;
}

Status Run::flush(bool force)
{
    if (!force && m_buffer.size() < FlushBytes) {
        return ok();
    }
    if (m_events.write(m_buffer) != m_buffer.size()) {
        return ioError(m_events);
    }
    m_buffer.clear();
    if (m_truth && !m_truthBuffer.isEmpty()) {
        if (m_truth->write(m_truthBuffer) != m_truthBuffer.size()) {
            return ioError(*m_truth);
        }
        m_truthBuffer.clear();
    }
    return ok();
}

Error Run::ioError(QIODevice &device) const
{
    const auto *file = qobject_cast<QFile *>(&device);
    const QString name = file ? file->fileName() : QStringLiteral("output");
    return Error{QCoreApplication::translate("Portent",
                                             "Could not write \"%1\": %2. Check the "
                                             "free disk space and permissions.")
                     .arg(name, device.errorString())};
}

Status Run::emitRow(Row &row)
{
    row.reportId = m_nextReportId++;
    m_writer.appendRow(m_buffer, row, m_catalog, m_summary.rows == 0);
    if (row.planted) {
        if (row.kind == PlantedKind::Beacon) {
            ++m_summary.beacons;
        } else {
            ++m_summary.nearMisses;
        }
        if (m_truth) {
            appendTruthLine(m_truthBuffer, row, m_catalog);
        }
    }
    if (m_summary.rows == 0) {
        m_summary.newestTicks = row.time;
    }
    m_summary.oldestTicks = row.time;
    ++m_summary.rows;
    return flush(false);
}

Expected<GenerationSummary> Run::execute(const GeneratorProgress &progress)
{
    const PlantCounts counts = plantCounts(m_options.rows);
    planBeacons(counts.beacons);
    planNearMisses(counts.perNearMissKind);
    std::stable_sort(m_planted.begin(), m_planted.end(), [](const Row &a, const Row &b) {
        return a.time > b.time;
    });
    qCInfo(lcGenerate) << "planted" << m_planted.size() << "rows among" << m_options.rows;

    m_nextReportId = 1000 + m_rng.below(90'000);
    m_buffer.reserve(FlushBytes + 64 * 1024);
    m_writer.appendPrologue(m_buffer);
    if (m_truth) {
        appendTruthHeader(m_truthBuffer);
    }

    // Noise times fall evenly from the newest time back over the span; planted rows are merged
    // in so the file is newest first, as the portal exports it. The first row is noise at exactly
    // newestTicks, so the planted rows' window position does not depend on the noise.
    const qint64 noiseRows = m_options.rows - m_planted.size();
    const qint64 spanTicks = m_options.spanHours * TicksPerHourLocal;
    const qint64 step = noiseRows > 0 ? std::max<qint64>(1, spanTicks / noiseRows) : 1;
    qsizetype plantedIndex = 0;
    for (qint64 k = 0; k < noiseRows || plantedIndex < m_planted.size();) {
        const qint64 noiseTime
            = m_options.newestTicks - k * step - (k == 0 ? 0 : m_rng.below(step));
        const bool takePlanted = plantedIndex < m_planted.size()
                                 && (k >= noiseRows || m_planted[plantedIndex].time >= noiseTime);
        Row row = takePlanted ? m_planted[plantedIndex++] : drawNoise(noiseTime);
        if (!takePlanted) {
            ++k;
        }
        if (const Status status = emitRow(row); !status) {
            return status.error();
        }
        if (progress && m_summary.rows % ProgressEveryRows == 0
            && !progress(m_summary.rows, m_events.pos() + m_buffer.size())) {
            return Error{QCoreApplication::translate("Portent", "Generation cancelled.")};
        }
    }
    m_writer.appendEpilogue(m_buffer);
    if (const Status status = flush(true); !status) {
        return status.error();
    }
    m_summary.bytes = m_events.pos();
    return m_summary;
}

} // namespace

QString plantedKindName(PlantedKind kind)
{
    return QString::fromLatin1(Generate::plantedKindId(kind));
}

Expected<GenerationSummary> Generator::write(QIODevice &events,
                                             QIODevice *truth,
                                             const GeneratorOptions &options,
                                             const GeneratorProgress &progress)
{
    if (options.rows < 0 || options.spanHours < 1) {
        return Error{QCoreApplication::translate("Portent",
                                                 "The row count must not be negative "
                                                 "and the span must be at least one "
                                                 "hour.")};
    }
    Run run(events, truth, options);
    return run.execute(progress);
}

Expected<GenerationSummary> Generator::writeFiles(const QString &eventsPath,
                                                  const QString &truthPath,
                                                  const GeneratorOptions &options,
                                                  const GeneratorProgress &progress)
{
    QFile events(eventsPath);
    if (!events.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        return Error{QCoreApplication::translate("Portent", "Could not create \"%1\": %2")
                         .arg(eventsPath, events.errorString())};
    }
    std::optional<QFile> truth;
    if (!truthPath.isEmpty()) {
        truth.emplace(truthPath);
        if (!truth->open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            return Error{QCoreApplication::translate("Portent", "Could not create \"%1\": %2")
                             .arg(truthPath, truth->errorString())};
        }
    }
    return write(events, truth ? &*truth : nullptr, options, progress);
}

} // namespace Portent
