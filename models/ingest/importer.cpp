// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "ingest/importer.h"

#include "core/logging.h"
#include "core/threads.h"
#include "core/ticks.h"
#include "ingest/batchwriter.h"
#include "ingest/chunkreader.h"
#include "ingest/csveventparser.h"
#include "ingest/jsoneventparser.h"
#include "ingest/sha256.h"
#include "store/casefile.h"
#include "store/eventwriter.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QtConcurrent>

#include <SQLiteCpp/SQLiteCpp.h>

#include <climits>

namespace Portent {

namespace {

constexpr int MaxReportedRejections = 100;
constexpr qint64 ProgressIntervalMs = 100;

QString tr(const char *text)
{
    return QCoreApplication::translate("Portent", text);
}

enum class Content { Csv, Json, ZeekTsv, Binary, Utf16, Empty };

// Decided from the first bytes, never from the file name: exports are often renamed .txt.
Content sniff(QByteArrayView head)
{
    if (head.startsWith("\xFF\xFE") || head.startsWith("\xFE\xFF")) {
        return Content::Utf16;
    }
    if (head.contains('\0')) {
        return Content::Binary;
    }
    // Zeek's tab-separated logs (conn.log and the others) open with this directive line.
    if (head.startsWith("#separator")) {
        return Content::ZeekTsv;
    }
    for (const char c : head) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            continue;
        }
        return (c == '{' || c == '[') ? Content::Json : Content::Csv;
    }
    return Content::Empty;
}

QString formatOffset(int minutes)
{
    const QChar sign = minutes < 0 ? QLatin1Char('-') : QLatin1Char('+');
    const int absolute = std::abs(minutes);
    return QStringLiteral("%1%2:%3")
        .arg(sign)
        .arg(absolute / 60, 2, 10, QLatin1Char('0'))
        .arg(absolute % 60, 2, 10, QLatin1Char('0'));
}

// One import: reads the file in chunks, feeds the parser, writes accepted records.
class ImportJob : public RecordSink
{
public:
    ImportJob(QPromise<ImportReport> &promise,
              const QString &casePath,
              const QString &filePath,
              const ImportOptions &options)
        : m_promise(promise)
        , m_casePath(casePath)
        , m_options(options)
        , m_file(filePath)
    {
        m_report.filePath = QFileInfo(filePath).absoluteFilePath();
        m_time.forcedOrder = options.dateOrder;
        m_time.utcOffsetMinutes = options.utcOffsetMinutes;
    }

    ImportReport run();

    bool accept(EventRecord &record) override;
    void reject(qint64 line, const QString &field, const QString &reason) override;

private:
    Status execute();
    Status openInputs();
    Expected<QString> hashWholeFile();
    std::unique_ptr<SourceParser> makeParser(QByteArrayView head);
    Status beginWriter(const SourceParser &parser);
    Status stream(SourceParser &parser, const QByteArray &head);
    Status streamRest(SourceParser &parser);
    qsizetype chunkSize() const { return qsizetype(std::max<qint64>(m_options.chunkBytes, 1)); }
    Status finalise(SourceParser &parser);
    Status recordHashAndDates(const QString &sha256);
    Status commit();
    void decideDateOrder();
    void describeTimeZone();
    Status checkUsable();
    QString noOctetsWarning() const;
    void reportProgress(bool force);
    Status interruption();
    bool cancelRequested() const;

    QPromise<ImportReport> &m_promise;
    QString m_casePath;
    ImportOptions m_options;
    QFile m_file;
    ImportReport m_report;
    TimeContext m_time;
    std::unique_ptr<CaseFile> m_case;
    std::unique_ptr<EventWriter> m_writer;
    std::unique_ptr<BatchWriter> m_batches; // feeds m_writer while streaming; reset before it
    Sha256 m_hash;
    QString m_sha256; // known before streaming only when a same-size source made us check
    std::optional<Error> m_writeError;
    qint64 m_rowsWithTime = 0;
    qint64 m_rowsWithRemoteIp = 0;
    qint64 m_bytesRead = 0;
    int m_progressShift = 0;
    QElapsedTimer m_progressClock;
    QElapsedTimer m_clock; // the whole import, for the report
    qint64 m_cpuAtStart = 0;
};

ImportReport ImportJob::run()
{
    m_clock.start();
    m_cpuAtStart = threadCpuMs(); // a pool thread: earlier jobs' time is not this import's
    const Status status = execute();
    m_batches.reset();
    m_writer.reset(); // without commit this rolls back: the case is as it was
    m_report.elapsedMs = m_clock.elapsed();
    if (!status) {
        m_report.error = status.error().message;
        m_report.needsUtcOffset = m_time.sawLocalColumn && !m_options.utcOffsetMinutes;
        m_report.sourceId = m_report.skippedAsDuplicate ? m_report.sourceId : 0;
        if (m_report.cancelled) {
            qCInfo(lcImport).noquote() << "import cancelled:" << m_report.filePath;
        } else {
            qCCritical(lcImport).noquote() << "import failed:" << m_report.error;
        }
    } else {
        qCInfo(lcImport).noquote()
            << "imported" << m_report.filePath << m_report.rowsAccepted << "rows,"
            << m_report.rowsRejected << "rejected, in" << m_report.elapsedMs << "ms";
    }
    return m_report;
}

Status ImportJob::openInputs()
{
    if (!m_file.open(QIODevice::ReadOnly)) {
        return Error{tr("Cannot read \"%1\": %2").arg(m_report.filePath, m_file.errorString())};
    }
    m_report.bytes = m_file.size();
    while ((m_report.bytes >> m_progressShift) > INT_MAX) {
        ++m_progressShift;
    }
    m_promise.setProgressRange(0, int(m_report.bytes >> m_progressShift));
    auto opened = CaseFile::open(m_casePath, CaseFile::Mode::CreateOrOpen);
    if (!opened) {
        return opened.error();
    }
    m_case = std::move(opened.value());
    return ok();
}

// Hashing first costs a second read of the file, so it is done only when a source of the same
// size exists and the import may be a repeat; otherwise the hash is computed while streaming.
// An empty result means "not hashed yet".
Expected<QString> ImportJob::hashWholeFile()
{
    SQLite::Statement sameSize(m_case->database(), "SELECT 1 FROM sources WHERE size = ?");
    sameSize.bind(1, static_cast<int64_t>(m_report.bytes));
    if (!sameSize.executeStep()) {
        return QString();
    }
    Sha256 hash;
    const bool read = hash.addData(m_file);
    const QByteArray digest = hash.hexResult();
    if (!read || digest.isEmpty() || !m_file.seek(0)) {
        return Error{tr("Cannot compute the SHA-256 of \"%1\": %2")
                         .arg(m_report.filePath, m_file.errorString())};
    }
    return QString::fromLatin1(digest);
}

Status ImportJob::execute()
{
    if (const Status opened = openInputs(); !opened) {
        return opened;
    }
    try {
        const Expected<QString> sha = hashWholeFile();
        if (!sha) {
            return sha.error();
        }
        if (!sha->isEmpty()) {
            m_sha256 = *sha;
            const auto existing = m_case->sourceWithSha256(m_sha256);
            if (existing && !m_options.force) {
                m_report.skippedAsDuplicate = true;
                m_report.sourceId = existing->id;
                return ok();
            }
        }
    } catch (const SQLite::Exception &e) {
        return Error{
            tr("Cannot read the case \"%1\": %2").arg(m_casePath, QString::fromUtf8(e.what()))};
    }

    QByteArray head = m_file.read(std::max<qint64>(m_options.chunkBytes, 4096));
    m_hash.addData(head);
    m_bytesRead = head.size();
    if (head.startsWith("\xEF\xBB\xBF")) {
        head.remove(0, 3);
    }
    std::unique_ptr<SourceParser> parser = makeParser(head);
    if (!parser) {
        return Error{m_report.error};
    }
    if (const Status begun = beginWriter(*parser); !begun) {
        return begun;
    }
    if (const Status streamed = stream(*parser, head); !streamed) {
        return streamed;
    }
    return finalise(*parser);
}

Status ImportJob::beginWriter(const SourceParser &parser)
{
    SourceInfo source;
    source.fileName = QFileInfo(m_file.fileName()).fileName();
    source.filePath = m_report.filePath;
    source.size = m_report.bytes;
    source.sha256 = m_sha256;
    source.format = parser.formatId();
    source.importedAt = ticksFromDateTime(QDateTime::currentDateTimeUtc());
    source.utcOffsetMinutes = m_options.utcOffsetMinutes.value_or(0);
    auto writer = EventWriter::begin(*m_case, source);
    if (!writer) {
        return writer.error();
    }
    m_writer = std::move(writer.value());
    m_report.sourceId = m_writer->sourceId();
    m_batches = std::make_unique<BatchWriter>(*m_writer);
    return ok();
}

std::unique_ptr<SourceParser> ImportJob::makeParser(QByteArrayView head)
{
    switch (sniff(head.first(std::min<qsizetype>(head.size(), 4096)))) {
    case Content::Csv:
        return std::make_unique<CsvEventParser>(m_report.filePath, m_time, *this);
    case Content::Json:
        return std::make_unique<JsonEventParser>(m_report.filePath, m_time, *this);
    case Content::Utf16:
        m_report.error = tr("\"%1\" is UTF-16 text. Export it again as UTF-8 CSV or JSON.")
                             .arg(m_report.filePath);
        return nullptr;
    case Content::ZeekTsv:
        m_report.error = tr("\"%1\" is a Zeek log. Portent reads Defender and Sentinel CSV and "
                            "JSON exports today; Zeek logs are not supported yet.")
                             .arg(m_report.filePath);
        return nullptr;
    case Content::Binary:
        m_report.error = tr("\"%1\" is not a text export (it contains binary data). Portent "
                            "reads Defender and Sentinel CSV and JSON exports.")
                             .arg(m_report.filePath);
        return nullptr;
    case Content::Empty:
        break;
    }
    m_report.error = tr("\"%1\" is empty.").arg(m_report.filePath);
    return nullptr;
}

// Feeds the head (already read for detection) and then the rest of the file, chunk by chunk.
// The head is fed in chunk-sized pieces too, so a small test chunk size splits it as well.
Status ImportJob::stream(SourceParser &parser, const QByteArray &head)
{
    m_progressClock.start();
    const qsizetype step = chunkSize();
    for (qsizetype offset = 0; offset < head.size(); offset += step) {
        const QByteArrayView piece
            = QByteArrayView(head).sliced(offset).first(std::min(step, head.size() - offset));
        if (const Status fed = parser.feed(piece); !fed) {
            return fed;
        }
        if (const Status stop = interruption(); !stop) {
            return stop;
        }
    }
    if (const Status streamed = streamRest(parser); !streamed) {
        return streamed;
    }
    if (const Status finished = parser.finish(); !finished) {
        return finished;
    }
    qCInfo(lcImport) << "parsing thread:" << threadCpuMs() - m_cpuAtStart << "ms CPU,"
                     << m_clock.elapsed() << "ms since the import began";
    if (const Status written = m_batches->finish(); !written) {
        return written;
    }
    return interruption();
}

// The rest of the file after the head, read and hashed ahead on the reader's thread.
Status ImportJob::streamRest(SourceParser &parser)
{
    ChunkReader reader(m_file, chunkSize(), m_hash);
    while (true) {
        const Expected<QByteArray> chunk = reader.next();
        if (!chunk) {
            return Error{
                tr("Reading \"%1\" failed: %2").arg(m_report.filePath, chunk.error().message)};
        }
        if (chunk->isEmpty()) {
            return ok();
        }
        m_bytesRead += chunk->size();
        if (const Status fed = parser.feed(*chunk); !fed) {
            return fed;
        }
        if (const Status stop = interruption(); !stop) {
            return stop;
        }
        reportProgress(false);
    }
}

bool ImportJob::cancelRequested() const
{
    return m_promise.isCanceled() || (m_options.cancel && m_options.cancel->load());
}

// Why reading stopped early, if it did: cancel by the user or a failed write.
Status ImportJob::interruption()
{
    if (m_writeError) {
        return *m_writeError;
    }
    // Once seen, a cancel stays: the report says so even if the flag were cleared meanwhile.
    if (m_report.cancelled || cancelRequested()) {
        m_report.cancelled = true;
        return Error{tr("The import of \"%1\" was cancelled; the case is unchanged.")
                         .arg(m_report.filePath)};
    }
    return ok();
}

void ImportJob::reportProgress(bool force)
{
    if (!force && m_progressClock.elapsed() < ProgressIntervalMs) {
        return;
    }
    m_progressClock.restart();
    m_promise.setProgressValueAndText(int(m_bytesRead >> m_progressShift),
                                      QStringLiteral("rows=%1").arg(m_report.rowsAccepted));
}

bool ImportJob::accept(EventRecord &record)
{
    if (cancelRequested()) {
        m_report.cancelled = true;
        return false;
    }
    // Counted before the batch takes the record over.
    const bool hasTime = record.time.has_value();
    const bool hasRemoteIp = !record.remoteIp.isEmpty();
    if (!m_batches->add(record)) {
        // add() refuses only after a failed write, so finish() has that error to give.
        const Status written = m_batches->finish();
        Q_ASSERT(!written);
        if (!written) {
            m_writeError = written.error();
        }
        return false;
    }
    ++m_report.rowsAccepted;
    m_rowsWithTime += hasTime ? 1 : 0;
    m_rowsWithRemoteIp += hasRemoteIp ? 1 : 0;
    return true;
}

// A file can be read without being an export Portent understands: JSON from another tool maps
// no field at all. Importing it would make "no matches" look like an answer, so it is refused;
// a real export that simply cannot match (no remote addresses, no times) is kept, with a warning.
Status ImportJob::checkUsable()
{
    const qint64 rows = m_report.rowsAccepted;
    if (rows == 0) {
        // Kept (the source is recorded, so importing it again is noticed), but said.
        if (m_report.rowsRejected == 0) {
            m_report.warnings.append(tr("The file holds no rows: there was nothing to import."));
        }
        return ok();
    }
    if (m_rowsWithTime == 0 && m_rowsWithRemoteIp == 0) {
        return Error{tr("\"%1\" is not a Defender or Sentinel network export: none of its %2 "
                        "records has a time or a remote address in a field Portent knows "
                        "(Timestamp, TimeGenerated, RemoteIP, DestinationIP...). Sysmon, Zeek "
                        "and Suricata logs are not supported yet.")
                         .arg(m_report.filePath)
                         .arg(rows)};
    }
    if (m_rowsWithRemoteIp == 0) {
        m_report.warnings.append(tr("No row has a remote address (RemoteIP), so nothing in this "
                                    "file can match a DNS-calculation rule."));
    } else if (m_writer->eventsWithOctets() == 0) {
        // Read after the writing thread has finished with the writer (BatchWriter::finish).
        m_report.warnings.append(noOctetsWarning());
    }
    if (m_rowsWithTime == 0) {
        m_report.warnings.append(tr("No row has a time Portent can read, so only the All time "
                                    "window can match them."));
    } else if (m_rowsWithTime < rows) {
        m_report.warnings.append(tr("%1 of %2 rows have no time; only the All time window can "
                                    "match them.")
                                     .arg(rows - m_rowsWithTime)
                                     .arg(rows));
    }
    return ok();
}

// Every row's remote address is one the formulas cannot read: IPv6 (no octets), or text that is
// no address at all, as anonymised exports write them.
QString ImportJob::noOctetsWarning() const
{
    if (m_writer->ipv6Events() == m_rowsWithRemoteIp) {
        return tr("Every remote address in the %1 rows that have one is IPv6 (for example "
                  "\"%2\"), which has no octets for a formula, so nothing in this file can match "
                  "a DNS-calculation rule.")
            .arg(m_rowsWithRemoteIp)
            .arg(QString::fromUtf8(m_writer->ipv6Example()));
    }
    return tr("No remote address in the %1 rows that have one is an IPv4 address or four numbers "
              "a formula could read (for example \"%2\"), so nothing in this file can match a "
              "DNS-calculation rule. Was the export anonymised?")
        .arg(m_rowsWithRemoteIp)
        .arg(QString::fromUtf8(m_writer->addressWithoutOctets()));
}

void ImportJob::reject(qint64 line, const QString &field, const QString &reason)
{
    ++m_report.rowsRejected;
    if (m_report.firstRejections.size() < MaxReportedRejections) {
        m_report.firstRejections.append(RejectedRow{line, field, reason});
        // The reason quotes the field's content, so it is logged at Debug only.
        qCWarning(lcImport).noquote().nospace()
            << m_report.filePath << ": rejected line " << line
            << (field.isEmpty() ? QString() : QStringLiteral(", field ") + field);
        qCDebug(lcImport).noquote() << "line" << line << "rejected:" << reason;
    }
}

void ImportJob::decideDateOrder()
{
    const qint64 dayFirst = m_time.dayFirstRows;
    const qint64 monthFirst = m_time.monthFirstRows;
    const qint64 ambiguous = m_time.ambiguousRows;
    const qint64 slashRows = dayFirst + monthFirst + ambiguous + m_time.sameReadingRows;
    if (m_options.dateOrder != DateOrder::Unknown) {
        m_report.dateOrder = m_options.dateOrder;
        m_report.dateOrderReason = tr("%1, set by the user (%2 slash dates, %3 of them could be "
                                      "read either way)")
                                       .arg(dateOrderName(m_options.dateOrder))
                                       .arg(slashRows)
                                       .arg(ambiguous);
        if (const qint64 contradicting = m_time.contradictingRows; contradicting > 0) {
            // Changing the order later re-reads stored rows only; these were never stored.
            // Re-importing into this case would store every other row twice.
            m_report.dateOrderReason += tr("; %1 rows could only be read the other way and were "
                                           "rejected: to keep them, import the file into a new "
                                           "case with the other order")
                                            .arg(contradicting);
        }
        return;
    }
    if (slashRows == 0) {
        m_report.dateOrder = DateOrder::Unknown;
        m_report.dateOrderReason = tr("no slash dates");
        return;
    }
    if (dayFirst > 0 && monthFirst > 0) {
        m_report.warnings.append(tr("Conflicting dates: %1 rows read only day-first and %2 only "
                                    "month-first; ambiguous rows follow the majority.")
                                     .arg(dayFirst)
                                     .arg(monthFirst));
    }
    if (dayFirst > monthFirst) {
        m_report.dateOrder = DateOrder::DayFirst;
        m_report.dateOrderReason = tr("day-first: %1 rows have a first number above 12; %2 "
                                      "ambiguous rows read day-first")
                                       .arg(dayFirst)
                                       .arg(ambiguous);
    } else if (monthFirst > 0) {
        m_report.dateOrder = DateOrder::MonthFirst;
        m_report.dateOrderReason = tr("month-first: %1 rows have a second number above 12; %2 "
                                      "ambiguous rows read month-first")
                                       .arg(monthFirst)
                                       .arg(ambiguous);
    } else if (ambiguous > 0) {
        m_report.dateOrder = DateOrder::MonthFirst;
        m_report.dateOrderReason = tr("ambiguous: assumed month-first (%1 rows could be read "
                                      "either way); change the order if the export used "
                                      "day-first dates")
                                       .arg(ambiguous);
    } else {
        m_report.dateOrder = DateOrder::MonthFirst;
        m_report.dateOrderReason = tr("month-first: all %1 slash dates have the same day and "
                                      "month, so the order does not matter")
                                       .arg(slashRows);
    }
}

void ImportJob::describeTimeZone()
{
    if (m_rowsWithTime == 0) {
        m_report.timeZoneNote = tr("n/a (no row has a time)");
    } else if (m_time.sawLocalColumn) {
        m_report.timeZoneNote = tr("local time, offset %1 applied")
                                    .arg(formatOffset(m_options.utcOffsetMinutes.value_or(0)));
    } else if (m_time.sawUtcLabel) {
        m_report.timeZoneNote = tr("UTC ([UTC] columns)");
    } else if (m_time.zonelessRows > 0) {
        m_report.timeZoneNote = tr("UTC assumed: %1 times carry no zone (Defender exports are "
                                   "UTC)")
                                    .arg(m_time.zonelessRows);
    } else {
        m_report.timeZoneNote = tr("UTC (times carry Z or an offset)");
    }
}

Status ImportJob::finalise(SourceParser &parser)
{
    if (const Status stop = interruption(); !stop) {
        return stop;
    }
    m_report.format = parser.formatId();
    m_report.formatName = parser.formatName();
    m_report.warnings.append(parser.warnings());
    if (const Status usable = checkUsable(); !usable) {
        return usable;
    }
    decideDateOrder();
    describeTimeZone();
    reportProgress(true);

    const QString sha256 = m_sha256.isEmpty() ? QString::fromLatin1(m_hash.hexResult()) : m_sha256;
    if (sha256.isEmpty()) {
        // Only a failed allocation in libcrypto gets here; an empty digest would match others.
        return Error{tr("Cannot compute the SHA-256 of \"%1\".").arg(m_report.filePath)};
    }
    if (const Status recorded = recordHashAndDates(sha256); !recorded) {
        return recorded;
    }
    if (m_report.skippedAsDuplicate) {
        return ok(); // the writer is dropped uncommitted
    }
    return commit();
}

// Notices a repeat of an earlier source by its hash, and applies the day/month decision.
Status ImportJob::recordHashAndDates(const QString &sha256)
{
    try {
        const auto existing = m_case->sourceWithSha256(sha256);
        if (existing && existing->id != m_report.sourceId && !m_options.force) {
            m_report.skippedAsDuplicate = true;
            m_report.sourceId = existing->id;
            return ok();
        }
        SQLite::Database &db = m_case->database();
        SQLite::Statement setHash(db, "UPDATE sources SET sha256 = ? WHERE id = ?");
        setHash.bind(1, sha256.toStdString());
        setHash.bind(2, static_cast<int64_t>(m_report.sourceId));
        setHash.exec();
        if (m_report.dateOrder == DateOrder::DayFirst
            && m_options.dateOrder == DateOrder::Unknown) {
            // Ambiguous rows were written month-first with the day-first reading beside them.
            if (const Status swapped = m_writer->swapAmbiguousReadings(); !swapped) {
                return swapped;
            }
        }
        return ok();
    } catch (const SQLite::Exception &e) {
        return Error{tr("Could not finish the import into \"%1\": %2")
                         .arg(m_casePath, QString::fromUtf8(e.what()))};
    }
}

Status ImportJob::commit()
{
    SourceInfo finalInfo;
    finalInfo.fileName = QFileInfo(m_file.fileName()).fileName();
    finalInfo.format = m_report.format;
    finalInfo.rowsAccepted = m_report.rowsAccepted;
    finalInfo.rowsRejected = m_report.rowsRejected;
    finalInfo.dateOrder = m_report.dateOrder;
    finalInfo.utcOffsetMinutes = m_time.sawLocalColumn ? m_options.utcOffsetMinutes.value_or(0) : 0;
    m_report.elapsedMs = m_clock.elapsed(); // as stored; the commit adds a little
    finalInfo.reportJson = m_report.toJson();

    // The commit of a large import takes a moment (event counts, the write-ahead log); a cancel
    // until it begins still stops it.
    const Status committed = m_writer->commit(finalInfo, [this] { return cancelRequested(); });
    if (!committed && cancelRequested()) {
        // Reported as the cancel it was; whatever else went wrong is still worth a line.
        qCInfo(lcImport).noquote() << "commit stopped by cancel:" << committed.error().message;
        return interruption();
    }
    return committed;
}

} // namespace

QFuture<ImportReport>
Importer::start(const QString &casePath, const QString &filePath, const ImportOptions &options)
{
    return QtConcurrent::run([casePath, filePath, options](QPromise<ImportReport> &promise) {
        run(promise, casePath, filePath, options);
    });
}

void Importer::run(QPromise<ImportReport> &promise,
                   const QString &casePath,
                   const QString &filePath,
                   const ImportOptions &options)
{
    ImportJob job(promise, casePath, filePath, options);
    promise.addResult(job.run());
}

ImportReport
Importer::importNow(const QString &casePath, const QString &filePath, const ImportOptions &options)
{
    QPromise<ImportReport> promise;
    promise.start();
    run(promise, casePath, filePath, options);
    promise.finish();
    return promise.future().result();
}

} // namespace Portent
