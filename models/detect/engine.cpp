// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "detect/engine.h"

#include "core/logging.h"
#include "core/ticks.h"
#include "detect/formula.h"
#include "store/casefile.h"
#include "store/schema.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QMutex>
#include <QtConcurrent/QtConcurrentRun>
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace Portent {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Portent::DetectionEngine", text);
}

// Rows between cancellation checks and progress reports in the C++ loops.
constexpr int RowsPerBatch = 4096;
// SQLite virtual-machine steps between cancellation checks inside one long statement.
constexpr int SqliteStepsPerCheck = 100000;

struct StatementDeleter
{
    void operator()(sqlite3_stmt *statement) const { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

// Thrown inside a run only; run() turns it into DetectionResult::error.
struct Cancelled
{};

QString columnText(sqlite3_stmt *statement, int column)
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(statement, column));
    return QString::fromUtf8(text, sqlite3_column_bytes(statement, column));
}

std::optional<qint64> columnOptional(sqlite3_stmt *statement, int column)
{
    if (sqlite3_column_type(statement, column) == SQLITE_NULL) {
        return std::nullopt;
    }
    return sqlite3_column_int64(statement, column);
}

// An endpoint whose address and port passed the rule, with what its formulas computed.
// One endpoint with its address's octets (as the rule reads them) and class, packed so the
// evaluation loop streams through memory instead of chasing address ids.
struct SnapshotEndpoint
{
    qint64 id = 0;
    qint32 port = 0;
    std::array<qint32, 4> octets{}; // KQL's toint is 32-bit, and strict octets are 0..255
    std::uint8_t present = 0;       // as Octets::present
    qint8 classIndex = -1;          // into EndpointSnapshot::classNames; -1: no class

    Octets toOctets() const
    {
        return Octets{{octets[0], octets[1], octets[2], octets[3]}, present};
    }
};

// What the formulas need from a case, in memory: every endpoint in the rule's port range, sorted
// by port. Reading these rows costs more than evaluating them, and they never change once
// written, so the last copy is kept for the next run (the UI re-runs on every edit of a rule).
struct EndpointSnapshot
{
    QString key;
    std::vector<SnapshotEndpoint> endpoints;
    QStringList classNames;
};

QMutex s_snapshotMutex;
std::shared_ptr<const EndpointSnapshot> s_snapshot;

struct EvaluatedEndpoint
{
    qint64 id = 0;
    int port = 0;
    QString remoteIp;
    QString ipClass;
    Octets octets;
    QList<std::optional<qint64>> calculated;
    QList<bool> matched;
    QString matchedLabel;
    int score = 0;
};

// Resolves string ids to text once per run and remembers each clause's verdict per id, so the
// event loop compares integers.
class StringResolver
{
public:
    explicit StringResolver(sqlite3 *db);

    QString text(qint64 id);

private:
    sqlite3 *m_db;
    Statement m_lookup;
    QHash<qint64, QString> m_texts;
};

StringResolver::StringResolver(sqlite3 *db)
    : m_db(db)
{
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT text FROM strings WHERE id = ?1", -1, &statement, nullptr)
        != SQLITE_OK) {
        throw SQLite::Exception(db, sqlite3_errcode(db));
    }
    m_lookup.reset(statement);
}

QString StringResolver::text(qint64 id)
{
    if (id <= 0) {
        return QString();
    }
    if (const auto found = m_texts.constFind(id); found != m_texts.cend()) {
        return found.value();
    }
    sqlite3_stmt *statement = m_lookup.get();
    sqlite3_bind_int64(statement, 1, id);
    const QString value
        = sqlite3_step(statement) == SQLITE_ROW ? columnText(statement, 0) : QString();
    sqlite3_reset(statement);
    m_texts.insert(id, value);
    return value;
}

// Logs how long each phase of a run took (QT_LOGGING_RULES="portent.engine.info=true"), so a
// benchmark shows where the time goes.
class PhaseLog
{
public:
    PhaseLog()
    {
        m_total.start();
        m_phase.start();
    }

    void mark(const char *phase)
    {
        qCInfo(lcEngine).nospace()
            << "phase " << phase << ": " << double(m_phase.nsecsElapsed()) / 1e6 << " ms";
        m_phase.restart();
    }
    qint64 elapsedMs() const { return m_total.elapsed(); }

private:
    QElapsedTimer m_total;
    QElapsedTimer m_phase;
};

// One run of one rule over one case. Everything it touches is its own: the rule is a copy and
// the case is opened read-only on this thread.
class DetectionRun
{
public:
    DetectionRun(QPromise<DetectionResult> &promise, DetectionRule rule, quint64 generation)
        : m_promise(promise)
        , m_rule(std::move(rule))
    {
        m_result.generation = generation;
    }

    // Fills the result; returns false when the run was cancelled (no result is reported then).
    bool execute(const QString &casePath);
    DetectionResult &result() { return m_result; }

private:
    Status prepare(const QString &casePath);
    void resolveWindow();
    Statement prepareStatement(const QString &sql) const;
    void checkStep(int result) const;
    void checkCancelled() const;

    std::shared_ptr<const EndpointSnapshot> snapshot();
    std::shared_ptr<const EndpointSnapshot> loadSnapshot(const QString &key);
    bool stepRow(sqlite3_stmt *statement) const;
    void evaluateEndpoints();
    bool evaluateFormulas(EvaluatedEndpoint &endpoint) const;
    void keepCandidateEndpoint(const EvaluatedEndpoint &endpoint);
    void resolveAddress(EvaluatedEndpoint &endpoint);
    void resolveCandidateAddresses();
    void collectMatches();
    void collectEndpointMatches(sqlite3_stmt *statement, const EvaluatedEndpoint &endpoint);
    Match makeMatch(sqlite3_stmt *statement, const EvaluatedEndpoint &endpoint);
    void sortMatches();
    void countCandidates();

    bool inWindow(std::optional<qint64> time) const;
    bool actionAllowed(qint64 id);
    bool ipTypeAllowed(qint64 columnId, const QString &addressClass);
    bool processKept(qint64 id);

    QPromise<DetectionResult> &m_promise;
    DetectionRule m_rule;
    DetectionResult m_result;
    std::unique_ptr<CaseFile> m_case;
    // Every query of the run reads one snapshot of the case: an import committing meanwhile
    // cannot give new events on old endpoints, or counts that disagree with the matches.
    std::optional<SQLite::Transaction> m_snapshotRead;
    sqlite3 *m_db = nullptr;
    std::unique_ptr<StringResolver> m_strings;
    QList<CompiledFormula> m_formulas;
    bool m_windowed = true;
    PhaseLog m_phases;

    Statement m_addressLookup;
    QList<EvaluatedEndpoint> m_matchingEndpoints;
    QList<qint64> m_candidateEndpointIds; // parallel to m_result.candidateEndpoints
    // Every endpoint that passed the endpoint clauses, whose events the candidate count reads.
    struct WeighedEndpoint
    {
        qint64 id = 0;
        qint32 candidateIndex = -1; // into m_result.candidateEndpoints; -1: not kept there
        qint8 classIndex = -1;      // into m_classNames
    };
    std::vector<WeighedEndpoint> m_weighed;
    QStringList m_classNames;
    QHash<qint64, bool> m_actionVerdicts;
    QHash<qint64, bool> m_processVerdicts;
    QHash<qint64, QString> m_ipTypeTexts;
};

int cancelCheck(void *promise)
{
    return static_cast<QPromise<DetectionResult> *>(promise)->isCanceled() ? 1 : 0;
}

Status DetectionRun::prepare(const QString &casePath)
{
    if (const Status valid = m_rule.validate(); !valid) {
        return valid;
    }
    for (const Formula &formula : m_rule.formulas) {
        m_formulas.append(*CompiledFormula::compile(formula.expression));
    }
    Expected<std::unique_ptr<CaseFile>> opened = CaseFile::open(casePath, CaseFile::Mode::ReadOnly);
    if (!opened) {
        return opened.error();
    }
    m_case = std::move(*opened);
    m_snapshotRead.emplace(m_case->database());
    m_db = m_case->database().getHandle();
    sqlite3_progress_handler(m_db, SqliteStepsPerCheck, cancelCheck, &m_promise);
    m_strings = std::make_unique<StringResolver>(m_db);
    return ok();
}

QString windowBounds(const EffectiveWindow &window)
{
    const QString from = window.fromTicks ? formatTicksIso(*window.fromTicks) : QString();
    const QString to = window.toTicks ? formatTicksIso(*window.toTicks) : QString();
    if (window.fromTicks && window.toTicks) {
        return tr("after %1 up to and including %2 (UTC)").arg(from, to);
    }
    return window.fromTicks ? tr("after %1 (UTC)").arg(from)
                            : tr("up to and including %1 (UTC)").arg(to);
}

void DetectionRun::resolveWindow()
{
    const TimeWindow &window = m_rule.window;
    EffectiveWindow &effective = m_result.window;
    const QString length = formatTimespan(window.lengthTicks);
    switch (window.kind) {
    case TimeWindow::Kind::RelativeToNow: {
        // Timestamp > ago(24h) has no upper bound: events stamped in the future still count.
        const qint64 now = ticksFromDateTime(QDateTime::currentDateTimeUtc());
        effective.fromTicks = now - window.lengthTicks;
        effective.description = tr("%1 before now: %2").arg(length, windowBounds(effective));
        break;
    }
    case TimeWindow::Kind::EndingAtNewestEvent: {
        const std::optional<qint64> newest = m_case->newestEventTime();
        if (!newest) {
            // Events without a time fail a windowed clause, so nothing can match.
            effective.empty = true;
            effective.description = tr("%1 ending at the newest event: no event in the case has "
                                       "a time, so none is in the window")
                                        .arg(length);
            break;
        }
        effective.fromTicks = *newest - window.lengthTicks;
        effective.toTicks = *newest;
        effective.description
            = tr("%1 ending at the newest event: %2").arg(length, windowBounds(effective));
        break;
    }
    case TimeWindow::Kind::Absolute:
        // The rule's start is inclusive; stored as the exclusive bound one tick earlier.
        if (window.fromTicks) {
            effective.fromTicks = *window.fromTicks - 1;
        }
        effective.toTicks = window.toTicks;
        effective.description = tr("Fixed window: %1").arg(windowBounds(effective));
        break;
    case TimeWindow::Kind::AllTime:
        m_windowed = false;
        effective.description = tr("All time: every event, including those without a time");
        break;
    }
}

bool DetectionRun::inWindow(std::optional<qint64> time) const
{
    if (!m_windowed) {
        return true;
    }
    const EffectiveWindow &window = m_result.window;
    return time && (!window.fromTicks || *time > *window.fromTicks)
           && (!window.toTicks || *time <= *window.toTicks);
}

void DetectionRun::checkStep(int result) const
{
    if (result == SQLITE_INTERRUPT || m_promise.isCanceled()) {
        throw Cancelled{};
    }
    if (result != SQLITE_ROW && result != SQLITE_DONE) {
        throw SQLite::Exception(m_db, result);
    }
}

void DetectionRun::checkCancelled() const
{
    if (m_promise.isCanceled()) {
        throw Cancelled{};
    }
}

Statement DetectionRun::prepareStatement(const QString &sql) const
{
    sqlite3_stmt *statement = nullptr;
    const QByteArray utf8 = sql.toUtf8();
    const int result
        = sqlite3_prepare_v2(m_db, utf8.constData(), int(utf8.size()), &statement, nullptr);
    if (result != SQLITE_OK) {
        throw SQLite::Exception(m_db, result);
    }
    return Statement(statement);
}

std::shared_ptr<const EndpointSnapshot> DetectionRun::loadSnapshot(const QString &key)
{
    auto snapshot = std::make_shared<EndpointSnapshot>();
    snapshot->key = key;
    // Only the rule's port range, from endpoints_port alone: the index holds the octets and
    // class, in port order, so this is one contiguous read of the few endpoints that can match.
    Statement endpoints = prepareStatement(DetectionEngine::endpointRangeSql(m_rule));
    sqlite3_stmt *s = endpoints.get();
    sqlite3_bind_int(s, 1, m_rule.portMin);
    sqlite3_bind_int(s, 2, m_rule.portMax);
    QList<QByteArray> classNames;
    for (qint64 row = 1; stepRow(s); ++row) {
        SnapshotEndpoint endpoint;
        endpoint.id = sqlite3_column_int64(s, 0);
        endpoint.port = qint32(sqlite3_column_int64(s, 1));
        for (int i = 0; i < 4; ++i) {
            const qint64 value = sqlite3_column_int64(s, 2 + i);
            if (sqlite3_column_type(s, 2 + i) != SQLITE_NULL && value == qint32(value)) {
                endpoint.octets[std::size_t(i)] = qint32(value);
                endpoint.present |= std::uint8_t(1U << i);
            }
        }
        if (sqlite3_column_type(s, 6) != SQLITE_NULL) {
            const QByteArray ipClass(reinterpret_cast<const char *>(sqlite3_column_text(s, 6)),
                                     sqlite3_column_bytes(s, 6));
            qsizetype index = classNames.indexOf(ipClass);
            if (index < 0 && classNames.size() < 127) {
                index = classNames.size();
                classNames.append(ipClass);
                snapshot->classNames.append(QString::fromUtf8(ipClass));
            }
            endpoint.classIndex = qint8(index);
        }
        snapshot->endpoints.push_back(endpoint);
        if (row % RowsPerBatch == 0) {
            checkCancelled();
        }
    }
    return snapshot;
}

bool DetectionRun::stepRow(sqlite3_stmt *statement) const
{
    const int step = sqlite3_step(statement);
    checkStep(step);
    return step == SQLITE_ROW;
}

std::shared_ptr<const EndpointSnapshot> DetectionRun::snapshot()
{
    // Endpoint rows never change once written (but for their event counts, which the
    // snapshot does not hold), so the key only has to notice appends (ids grow) and imports or
    // removals (the case's data version).
    SQLite::Database &db = m_case->database();
    const QString key = QStringLiteral("%1|%2|%3..%4|%5|%6")
                            .arg(m_case->path())
                            .arg(int(m_rule.octetSource))
                            .arg(m_rule.portMin)
                            .arg(m_rule.portMax)
                            .arg(m_case->dataVersion())
                            .arg(db.execAndGet("SELECT max(id) FROM endpoints").getInt64());
    {
        QMutexLocker locker(&s_snapshotMutex);
        if (s_snapshot && s_snapshot->key == key) {
            m_result.endpointSnapshotReused = true;
            return s_snapshot;
        }
    }
    // Loaded without the lock, so a concurrent run on another case is not held up.
    std::shared_ptr<const EndpointSnapshot> loaded = loadSnapshot(key);
    QMutexLocker locker(&s_snapshotMutex);
    s_snapshot = loaded;
    return loaded;
}

bool DetectionRun::evaluateFormulas(EvaluatedEndpoint &endpoint) const
{
    endpoint.score = 0;
    for (qsizetype i = 0; i < m_formulas.size(); ++i) {
        const std::optional<qint64> value = m_formulas[i].evaluate(endpoint.octets);
        endpoint.calculated[i] = value;
        endpoint.matched[i] = value && *value == endpoint.port;
        endpoint.score += endpoint.matched[i] ? 1 : 0;
    }
    return endpoint.score > 0;
}

void DetectionRun::keepCandidateEndpoint(const EvaluatedEndpoint &endpoint)
{
    if (m_result.candidateEndpoints.size() >= DetectionEngine::MaxCandidateEndpoints) {
        m_result.candidateEndpointsTruncated = true;
        return;
    }
    // The address text is filled in by the candidate phase, for the endpoints it keeps.
    m_weighed.back().candidateIndex = qint32(m_result.candidateEndpoints.size());
    m_candidateEndpointIds.append(endpoint.id);
    m_result.candidateEndpoints.append(
        {QString(), endpoint.port, 0, endpoint.calculated, endpoint.matched});
}

void DetectionRun::resolveAddress(EvaluatedEndpoint &endpoint)
{
    if (!m_addressLookup) {
        m_addressLookup = prepareStatement(
            QStringLiteral("SELECT address, ip_class FROM endpoints WHERE id = ?1"));
    }
    sqlite3_stmt *s = m_addressLookup.get();
    sqlite3_reset(s);
    sqlite3_bind_int64(s, 1, endpoint.id);
    const int step = sqlite3_step(s);
    checkStep(step);
    endpoint.remoteIp = step == SQLITE_ROW ? columnText(s, 0) : QString();
    endpoint.ipClass = step == SQLITE_ROW ? columnText(s, 1) : QString();
}

void DetectionRun::evaluateEndpoints()
{
    // The endpoints are held sorted by port, so the port range is two binary searches and each
    // endpoint in it costs a few integer operations per formula. Only the few that match have
    // their address text looked up.
    const std::shared_ptr<const EndpointSnapshot> data = snapshot();
    m_classNames = data->classNames;
    m_phases.mark(m_result.endpointSnapshotReused ? "endpoints in range (kept from last run)"
                                                  : "endpoints in range read");
    // The class clause, when it reads the address: a class name's verdict by index. An address
    // without a class (not IPv4) fails it.
    const bool classClause
        = m_rule.ipTypeSource == IpTypeSource::Address && !m_rule.remoteIpTypes.isEmpty();
    QList<bool> classAllowed;
    for (const QString &name : data->classNames) {
        classAllowed.append(!classClause || m_rule.remoteIpTypes.contains(name, Qt::CaseSensitive));
    }
    auto byPort
        = [](const SnapshotEndpoint &endpoint, qint64 port) { return endpoint.port < port; };
    const auto first = std::lower_bound(
        data->endpoints.begin(), data->endpoints.end(), qint64(m_rule.portMin), byPort);
    const auto last
        = std::lower_bound(first, data->endpoints.end(), qint64(m_rule.portMax) + 1, byPort);
    const qint64 total = std::max<qint64>(last - first, 1);

    EvaluatedEndpoint endpoint;
    endpoint.calculated.resize(m_formulas.size());
    endpoint.matched.resize(m_formulas.size());
    for (auto it = first; it != last; ++it) {
        if ((it - first) % RowsPerBatch == 0) {
            checkCancelled();
            m_promise.setProgressValue(int(40 * (it - first) / total));
        }
        if (m_rule.excludedPorts.contains(it->port)
            || !classAllowed.value(it->classIndex, !classClause)) {
            continue;
        }
        endpoint.id = it->id;
        endpoint.port = it->port;
        endpoint.octets = it->toOctets();
        const bool matches = evaluateFormulas(endpoint);
        ++m_result.endpointsEvaluated;
        m_weighed.push_back({it->id, -1, it->classIndex});
        keepCandidateEndpoint(endpoint);
        if (matches) {
            resolveAddress(endpoint);
            endpoint.matchedLabel = m_rule.matchedFormulaLabel(endpoint.matched);
            m_matchingEndpoints.append(endpoint);
        }
    }
}

bool DetectionRun::actionAllowed(qint64 id)
{
    if (m_rule.actionTypes.isEmpty()) {
        return true;
    }
    if (const auto found = m_actionVerdicts.constFind(id); found != m_actionVerdicts.cend()) {
        return found.value();
    }
    // KQL's in is case-sensitive: "connectionsuccess" is not "ConnectionSuccess".
    const bool allowed = m_rule.actionTypes.contains(m_strings->text(id), Qt::CaseSensitive);
    m_actionVerdicts.insert(id, allowed);
    return allowed;
}

bool DetectionRun::ipTypeAllowed(qint64 columnId, const QString &addressClass)
{
    if (m_rule.remoteIpTypes.isEmpty() || m_rule.ipTypeSource == IpTypeSource::Address) {
        return true; // no clause, or already applied per endpoint
    }
    auto found = m_ipTypeTexts.constFind(columnId);
    if (found == m_ipTypeTexts.cend()) {
        found = m_ipTypeTexts.insert(columnId, m_strings->text(columnId));
    }
    const bool useAddress
        = m_rule.ipTypeSource == IpTypeSource::ColumnOrAddress && found.value().isEmpty();
    // Like KQL's ==: "public" is not "Public".
    return m_rule.remoteIpTypes.contains(useAddress ? addressClass : found.value(),
                                         Qt::CaseSensitive);
}

bool DetectionRun::processKept(qint64 id)
{
    if (m_rule.excludedProcesses.isEmpty()) {
        return true;
    }
    if (const auto found = m_processVerdicts.constFind(id); found != m_processVerdicts.cend()) {
        return found.value();
    }
    // KQL's !in~ compares case-insensitively; an empty name is in no list, so it is kept.
    const QString name = m_strings->text(id);
    const bool kept
        = name.isEmpty() || !m_rule.excludedProcesses.contains(name, Qt::CaseInsensitive);
    m_processVerdicts.insert(id, kept);
    return kept;
}

namespace EventColumn {
enum : int {
    Id,
    Source,
    Time,
    Action,
    IpType,
    Process,
    Device,
    Account,
    Folder,
    CommandLine,
    ProcessId,
    Url,
};
}

Match DetectionRun::makeMatch(sqlite3_stmt *statement, const EvaluatedEndpoint &endpoint)
{
    auto text
        = [&](int column) { return m_strings->text(sqlite3_column_int64(statement, column)); };
    Match match;
    match.eventId = sqlite3_column_int64(statement, EventColumn::Id);
    match.sourceId = sqlite3_column_int64(statement, EventColumn::Source);
    match.time = columnOptional(statement, EventColumn::Time);
    match.deviceName = text(EventColumn::Device);
    // DeviceNetworkEvents has no AccountName (its column is InitiatingProcessAccountName) although
    // the seed projects one; Portent fills it with the account the importer mapped.
    match.accountName = text(EventColumn::Account);
    match.processName = text(EventColumn::Process);
    match.processFolder = text(EventColumn::Folder);
    match.processCommandLine = text(EventColumn::CommandLine);
    match.processId = columnOptional(statement, EventColumn::ProcessId);
    match.remoteUrl = text(EventColumn::Url);
    match.remoteIp = endpoint.remoteIp;
    match.remotePort = endpoint.port;
    for (int i = 0; i < 4; ++i) {
        match.octetKnown[std::size_t(i)] = endpoint.octets.has(i);
        match.octets[std::size_t(i)]
            = endpoint.octets.has(i) ? endpoint.octets.value[std::size_t(i)] : 0;
    }
    match.calculatedPorts = endpoint.calculated;
    match.formulaMatched = endpoint.matched;
    match.matchedFormula = endpoint.matchedLabel;
    match.matchScore = endpoint.score;
    return match;
}

void DetectionRun::collectEndpointMatches(sqlite3_stmt *statement,
                                          const EvaluatedEndpoint &endpoint)
{
    sqlite3_reset(statement);
    sqlite3_bind_int64(statement, 1, endpoint.id);
    for (qint64 row = 1;; ++row) {
        const int step = sqlite3_step(statement);
        checkStep(step);
        if (step == SQLITE_DONE) {
            return;
        }
        const bool kept = inWindow(columnOptional(statement, EventColumn::Time))
                          && actionAllowed(sqlite3_column_int64(statement, EventColumn::Action))
                          && ipTypeAllowed(sqlite3_column_int64(statement, EventColumn::IpType),
                                           endpoint.ipClass)
                          && processKept(sqlite3_column_int64(statement, EventColumn::Process));
        if (kept) {
            m_result.matches.append(makeMatch(statement, endpoint));
        }
        if (row % RowsPerBatch == 0) {
            checkCancelled();
        }
    }
}

void DetectionRun::collectMatches()
{
    // Only the events of matching endpoints are read, through events_remote_endpoint.
    Statement statement = prepareStatement(
        QStringLiteral("SELECT id, source_id, time, action_type, remote_ip_type, process_name, "
                       "device, account_name, process_folder, process_command_line, process_id, "
                       "remote_url FROM events WHERE remote_endpoint = ?1"));
    for (qsizetype i = 0; i < m_matchingEndpoints.size(); ++i) {
        checkCancelled();
        collectEndpointMatches(statement.get(), m_matchingEndpoints[i]);
        m_promise.setProgressValue(40 + int(30 * (i + 1) / m_matchingEndpoints.size()));
    }
}

void DetectionRun::sortMatches()
{
    // Ties (and events without a time under AllTime, which KQL sorts last) keep import order.
    const bool newestFirst = m_rule.newestFirst;
    std::stable_sort(m_result.matches.begin(),
                     m_result.matches.end(),
                     [newestFirst](const Match &a, const Match &b) {
                         if (a.time.has_value() != b.time.has_value()) {
                             return a.time.has_value() == newestFirst;
                         }
                         if (!a.time || *a.time == *b.time) {
                             return a.eventId < b.eventId;
                         }
                         return newestFirst ? *a.time > *b.time : *a.time < *b.time;
                     });
}

void DetectionRun::countCandidates()
{
    // The events of the weighed endpoints are found through events_remote_endpoint alone (their
    // ids are in the index), probed in endpoint-id order so the index is read front to back, and
    // then read in id order, so each page of the events table is read at most once and in
    // order. Reading them in port order instead visits pages at random and costs twice as much.
    std::sort(m_weighed.begin(),
              m_weighed.end(),
              [](const WeighedEndpoint &a, const WeighedEndpoint &b) { return a.id < b.id; });
    struct CandidateEvent
    {
        qint64 id;
        qint32 weighedIndex;
    };
    std::vector<CandidateEvent> events;
    Statement byEndpoint
        = prepareStatement(QStringLiteral("SELECT id FROM events WHERE remote_endpoint = ?1"));
    sqlite3_stmt *s = byEndpoint.get();
    for (std::size_t i = 0; i < m_weighed.size(); ++i) {
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, m_weighed[i].id);
        while (stepRow(s)) {
            events.push_back({sqlite3_column_int64(s, 0), qint32(i)});
        }
        if (i % RowsPerBatch == 0) {
            checkCancelled();
        }
    }
    std::sort(events.begin(), events.end(), [](const CandidateEvent &a, const CandidateEvent &b) {
        return a.id < b.id;
    });
    m_phases.mark("candidate events found");

    Statement byId = prepareStatement(QStringLiteral(
        "SELECT time, action_type, remote_ip_type, process_name FROM events WHERE id = ?1"));
    s = byId.get();
    const qint64 total = std::max<qint64>(qint64(events.size()), 1);
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (i % RowsPerBatch == 0) {
            checkCancelled();
            m_promise.setProgressValue(70 + int(30 * qint64(i) / total));
        }
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, events[i].id);
        if (!stepRow(s)) {
            continue;
        }
        const WeighedEndpoint &endpoint = m_weighed[std::size_t(events[i].weighedIndex)];
        const QString addressClass = m_classNames.value(endpoint.classIndex);
        if (!inWindow(columnOptional(s, 0)) || !actionAllowed(sqlite3_column_int64(s, 1))
            || !ipTypeAllowed(sqlite3_column_int64(s, 2), addressClass)
            || !processKept(sqlite3_column_int64(s, 3))) {
            continue;
        }
        ++m_result.candidateEvents;
        if (endpoint.candidateIndex >= 0) {
            ++m_result.candidateEndpoints[endpoint.candidateIndex].eventCount;
        }
    }
    m_phases.mark("candidate events counted");
    resolveCandidateAddresses();
    m_phases.mark("candidate addresses read");
}

void DetectionRun::resolveCandidateAddresses()
{
    // The chart shows what the rule weighed; endpoints with no event in the window are noise.
    // Their addresses are read in endpoint id order, so each page of the table is read once.
    std::vector<std::pair<qint64, qsizetype>> byEndpoint;
    for (qsizetype i = 0; i < m_result.candidateEndpoints.size(); ++i) {
        if (m_result.candidateEndpoints[i].eventCount > 0) {
            byEndpoint.emplace_back(m_candidateEndpointIds[i], i);
        }
    }
    std::sort(byEndpoint.begin(), byEndpoint.end());
    EvaluatedEndpoint lookup;
    for (std::size_t i = 0; i < byEndpoint.size(); ++i) {
        lookup.id = byEndpoint[i].first;
        resolveAddress(lookup);
        m_result.candidateEndpoints[byEndpoint[i].second].remoteIp = lookup.remoteIp;
        if (i % RowsPerBatch == 0) {
            checkCancelled();
        }
    }
    m_result.candidateEndpoints.removeIf(
        [](const CandidateEndpoint &endpoint) { return endpoint.eventCount == 0; });
}

bool DetectionRun::execute(const QString &casePath)
{
    try {
        if (const Status prepared = prepare(casePath); !prepared) {
            m_result.error = prepared.error().message;
            return true;
        }
        m_result.eventsInCase = m_case->eventCount();
        m_result.newestEventTime = m_case->newestEventTime();
        resolveWindow();
        m_phases.mark("case opened, window resolved");
        evaluateEndpoints();
        m_phases.mark("formulas evaluated");
        collectMatches();
        m_phases.mark("matching events read");
        sortMatches();
        m_phases.mark("matches sorted");
        m_result.matchPhaseMs = m_phases.elapsedMs();

        countCandidates();
        m_result.candidatePhaseMs = m_phases.elapsedMs() - m_result.matchPhaseMs;
    } catch (const Cancelled &) {
        qCInfo(lcEngine) << "detection run" << m_result.generation << "cancelled";
        return false;
    } catch (const SQLite::Exception &e) {
        DetectionResult failed;
        failed.generation = m_result.generation;
        failed.window = m_result.window;
        m_result = failed;
        m_result.error = tr("Detection over \"%1\" failed: %2. The case file may be damaged; "
                            "try opening it again.")
                             .arg(casePath, QString::fromUtf8(e.what()));
        return true;
    }
    m_result.elapsedMs = m_phases.elapsedMs();
    qCInfo(lcEngine).nospace() << "rule \"" << m_rule.name << "\": " << m_result.matches.size()
                               << " matches from " << m_result.endpointsEvaluated
                               << " endpoints in " << m_result.matchPhaseMs << " ms, "
                               << m_result.candidateEvents << " candidates in "
                               << m_result.candidatePhaseMs << " ms";
    return true;
}

} // namespace

QFuture<DetectionResult>
DetectionEngine::start(const QString &casePath, const DetectionRule &rule, quint64 generation)
{
    return QtConcurrent::run([casePath, rule, generation](QPromise<DetectionResult> &promise) {
        run(promise, casePath, rule, generation);
    });
}

void DetectionEngine::run(QPromise<DetectionResult> &promise,
                          const QString &casePath,
                          const DetectionRule &rule,
                          quint64 generation)
{
    promise.setProgressRange(0, 100);
    DetectionRun detection(promise, rule, generation);
    if (detection.execute(casePath)) {
        promise.setProgressValue(100);
        promise.addResult(std::move(detection.result()));
    }
}

QString DetectionEngine::endpointRangeSql(const DetectionRule &rule)
{
    const QString octetColumns = rule.octetSource == OctetSource::KqlSplit
                                     ? QStringLiteral("kql_o1, kql_o2, kql_o3, kql_o4")
                                     : QStringLiteral("o1, o2, o3, o4");
    // SQLite uses the partial index only when the query repeats its condition word for word.
    const QString indexedOnly = rule.portMin >= IndexedPortsFrom
                                    ? QStringLiteral("port >= %1 AND ").arg(IndexedPortsFrom)
                                    : QString();
    return QStringLiteral("SELECT id, port, %1, ip_class FROM endpoints "
                          "WHERE %2port BETWEEN ?1 AND ?2 ORDER BY port")
        .arg(octetColumns, indexedOnly);
}

void DetectionEngine::releaseCache()
{
    QMutexLocker locker(&s_snapshotMutex);
    s_snapshot.reset();
}

DetectionResult DetectionEngine::runNow(const QString &casePath, const DetectionRule &rule)
{
    QPromise<DetectionResult> promise;
    QFuture<DetectionResult> future = promise.future();
    promise.start();
    run(promise, casePath, rule, 0);
    promise.finish();
    return future.resultCount() > 0 ? future.result() : DetectionResult{};
}

} // namespace Portent
