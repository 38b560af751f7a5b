// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "commands.h"
#include "console.h"

#include "ingest/importer.h"
#include "store/casefile.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <SQLiteCpp/SQLiteCpp.h>

namespace PortentCli {

namespace {

// "+02:00", "-0530", "Z" or "UTC" to minutes east of UTC.
std::optional<int> parseUtcOffset(const QString &text)
{
    if (text.compare(QLatin1String("Z"), Qt::CaseInsensitive) == 0
        || text.compare(QLatin1String("UTC"), Qt::CaseInsensitive) == 0) {
        return 0;
    }
    static const QRegularExpression pattern(QStringLiteral("^([+-])(\\d{2}):?(\\d{2})$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch()) {
        return std::nullopt;
    }
    const int hours = match.captured(2).toInt();
    const int minutes = match.captured(3).toInt();
    if (hours > 14 || minutes > 59) {
        return std::nullopt;
    }
    const int total = hours * 60 + minutes;
    return match.captured(1) == QLatin1String("-") ? -total : total;
}

// Progress on stderr: rewritten in place on a terminal, a line every few seconds otherwise.
class ProgressPrinter
{
public:
    explicit ProgressPrinter(qint64 fileBytes)
        : m_fileBytes(fileBytes)
        , m_terminal(stderrIsTerminal())
    {
        m_clock.start();
    }

    void update(int value, int maximum, const QString &text)
    {
        const qint64 throttleMs = m_terminal ? 250 : 5000;
        if (m_clock.elapsed() - m_lastPrintMs < throttleMs || m_clock.elapsed() < 1000) {
            return;
        }
        m_lastPrintMs = m_clock.elapsed();
        const qint64 rows = text.startsWith(QLatin1String("rows=")) ? text.mid(5).toLongLong() : 0;
        const double fraction = maximum > 0 ? double(value) / maximum : 0.0;
        const double seconds = m_clock.elapsed() / 1000.0;
        const QString line = tr("importing: %1 of %2 MB (%3%), %4 rows, %5 rows/s")
                                 .arg(fraction * m_fileBytes / 1e6, 0, 'f', 1)
                                 .arg(m_fileBytes / 1e6, 0, 'f', 1)
                                 .arg(int(fraction * 100))
                                 .arg(rows)
                                 .arg(qint64(rows / seconds));
        printErr(m_terminal ? QStringLiteral("\r%1\x1b[K").arg(line) : line + QLatin1Char('\n'));
        m_printed = true;
    }

    void finish()
    {
        if (m_printed && m_terminal) {
            printErr(QStringLiteral("\r\x1b[K"));
        }
    }

private:
    qint64 m_fileBytes;
    bool m_terminal;
    bool m_printed = false;
    QElapsedTimer m_clock;
    qint64 m_lastPrintMs = 0;
};

ExitCode
importOne(const QString &casePath, const QString &filePath, const Portent::ImportOptions &options)
{
    ProgressPrinter progress(QFileInfo(filePath).size());
    Portent::ImportOptions stoppable = options;
    stoppable.cancel = std::make_shared<std::atomic<bool>>(false);
    const Portent::ImportReport report = waitFor(
        Portent::Importer::start(casePath, filePath, stoppable),
        [&progress](int value, int maximum, const QString &text) {
            progress.update(value, maximum, text);
        },
        [&stoppable] { stoppable.cancel->store(true); });
    progress.finish();
    // An interrupt that came once the commit had begun finds the import done: report it so.
    if (report.cancelled) {
        printErr(tr("Import of \"%1\" interrupted; the case is unchanged.\n").arg(filePath));
        return ExitCode::Interrupted;
    }
    const QString text = report.toText() + QLatin1Char('\n');
    if (!report.error.isEmpty()) {
        printErr(text);
        return ExitCode::InputError;
    }
    printOut(text);
    if (report.rowsRejected > 0 && report.sourceId > 0) {
        // Importing the fixed file on top would store the accepted rows a second time.
        printOut(tr("To import a fixed copy instead, remove this one first: portent-cli remove "
                    "\"%1\" %2\n\n")
                     .arg(casePath)
                     .arg(report.sourceId));
    }
    return report.rowsRejected > 0 ? ExitCode::Partial : ExitCode::Ok;
}

// A case this command created and then put nothing into (every file failed) is removed again,
// so that the command leaves the disk as it found it. Only a case that is still empty while this
// holds its write lock: another import that created it at the same moment keeps it.
void removeIfNothingImported(const QString &casePath)
{
    {
        const auto opened
            = Portent::CaseFile::open(casePath, Portent::CaseFile::Mode::OpenExisting);
        if (!opened) {
            return;
        }
        SQLite::Database &db = (*opened)->database();
        try {
            db.setBusyTimeout(0);
            SQLite::Transaction exclusive(db, SQLite::TransactionBehavior::EXCLUSIVE);
            if (!(*opened)->sources().isEmpty()) {
                return;
            }
        } catch (const SQLite::Exception &) {
            return; // in use by another connection: not ours to remove
        }
    }
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        QFile::remove(casePath + suffix);
    }
}

} // namespace

ExitCode runImport(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Imports network-event exports (Microsoft Defender Advanced Hunting and Sentinel / "
           "Log Analytics, as CSV or JSON) into a case file, creating it if needed. Each file is "
           "one transaction: a "
           "failed or interrupted import leaves the case unchanged."));
    parser.addPositionalArgument(QStringLiteral("case"), tr("The case file (.portent)."));
    parser.addPositionalArgument(
        QStringLiteral("files"), tr("Export files to import."), QStringLiteral("file..."));
    const QCommandLineOption dateOrder(
        QStringLiteral("date-order"),
        tr("How to read ambiguous slash dates such as 05/12/2024: auto (decide from the whole "
           "column), day-first or month-first."),
        QStringLiteral("order"),
        QStringLiteral("auto"));
    const QCommandLineOption utcOffset(
        QStringLiteral("utc-offset"),
        tr("UTC offset of local-time columns, e.g. +02:00 or -05:30."),
        QStringLiteral("offset"));
    const QCommandLineOption force(QStringLiteral("force"),
                                   tr("Import a file even if the same content was imported."));
    parser.addOptions({dateOrder, utcOffset, force});
    if (const auto stop = parseCommand(parser, arguments, 2, -1)) {
        return *stop;
    }

    Portent::ImportOptions options;
    options.force = parser.isSet(force);
    const QString order = parser.value(dateOrder);
    if (order == QLatin1String("day-first")) {
        options.dateOrder = Portent::DateOrder::DayFirst;
    } else if (order == QLatin1String("month-first")) {
        options.dateOrder = Portent::DateOrder::MonthFirst;
    } else if (order != QLatin1String("auto")) {
        printErr(tr("portent-cli import: --date-order must be auto, day-first or month-first, "
                    "not \"%1\".\n")
                     .arg(order));
        return ExitCode::Usage;
    }
    if (parser.isSet(utcOffset)) {
        options.utcOffsetMinutes = parseUtcOffset(parser.value(utcOffset));
        if (!options.utcOffsetMinutes) {
            printErr(tr("portent-cli import: --utc-offset must look like +02:00 or -05:30, not "
                        "\"%1\".\n")
                         .arg(parser.value(utcOffset)));
            return ExitCode::Usage;
        }
    }

    const QStringList positional = parser.positionalArguments();
    const QString casePath = positional.first();
    const bool caseExisted = QFileInfo::exists(casePath);
    ExitCode result = ExitCode::Ok;
    bool anyImported = false; // some file's import finished (rows rejected or not)
    for (const QString &file : positional.mid(1)) {
        const ExitCode one = importOne(casePath, file, options);
        anyImported = anyImported || one == ExitCode::Ok || one == ExitCode::Partial;
        result = worse(result, one);
        if (result == ExitCode::Interrupted || interruptRequested()) {
            break;
        }
    }
    if (!caseExisted && !anyImported) {
        removeIfNothingImported(casePath);
    }
    return result;
}

} // namespace PortentCli
