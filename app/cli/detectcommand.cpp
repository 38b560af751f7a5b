// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "commands.h"
#include "console.h"

#include "core/ticks.h"
#include "detect/engine.h"
#include "export/kqlexport.h"
#include "export/matchexport.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace PortentCli {

namespace {

using Portent::DetectionRule;
using Portent::TimeWindow;

struct DetectOptions
{
    QCommandLineOption format{QStringLiteral("format"),
                              tr("Output format: table, csv or json. Default: table on a "
                                 "terminal, otherwise csv (json when --output ends in .json)."),
                              QStringLiteral("format")};
    QCommandLineOption output{QStringLiteral("output"),
                              tr("Write the matches to this file instead of standard output."),
                              QStringLiteral("file")};
    QCommandLineOption seedExact{QStringLiteral("seed-exact"),
                                 tr("Use the reference hunt exactly, including its window "
                                    "relative to now (Timestamp > ago(24h)). Without it the "
                                    "window ends at the newest event in the case.")};
    QCommandLineOption window{QStringLiteral("window"),
                              tr("Time window: newest (ending at the newest event), now "
                                 "(ending now), all, or FROM..TO in ISO 8601 UTC."),
                              QStringLiteral("window")};
    QCommandLineOption hours{QStringLiteral("hours"),
                             tr("Length of a newest or now window in hours (default 24)."),
                             QStringLiteral("n")};
    QCommandLineOption rule{QStringLiteral("rule"),
                            tr("Read the rule from a JSON file (as saved by the workbench)."),
                            QStringLiteral("rule.json")};
    QCommandLineOption kql{QStringLiteral("kql"),
                           tr("Print the effective rule as a KQL query and stop; CASE is then "
                              "optional.")};
};

std::optional<QString> loadRule(const QString &path, DetectionRule &rule)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return tr("Could not read the rule file \"%1\": %2").arg(path, file.errorString());
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return tr("The rule file \"%1\" is not valid JSON: %2 at offset %3")
            .arg(path, parseError.errorString())
            .arg(parseError.offset);
    }
    if (!document.isObject()) {
        return tr("The rule file \"%1\" holds JSON, but not an object: a rule is an object "
                  "such as {\"portMin\": 4096}.")
            .arg(path);
    }
    Portent::Expected<DetectionRule> loaded = DetectionRule::fromJson(document.object());
    if (!loaded) {
        return tr("The rule file \"%1\" is invalid: %2").arg(path, loaded.errorMessage());
    }
    rule = *loaded;
    return std::nullopt;
}

// Applies --window and --hours; returns a usage message on error.
std::optional<QString>
applyWindow(const QString &spec, const QString &hoursText, TimeWindow &window)
{
    if (spec == QLatin1String("newest")) {
        window.kind = TimeWindow::Kind::EndingAtNewestEvent;
    } else if (spec == QLatin1String("now")) {
        window.kind = TimeWindow::Kind::RelativeToNow;
    } else if (spec == QLatin1String("all")) {
        window.kind = TimeWindow::Kind::AllTime;
    } else if (spec.contains(QLatin1String(".."))) {
        const QStringList parts = spec.split(QStringLiteral(".."));
        const auto from = Portent::parseIsoTicks(parts.value(0));
        const auto to = Portent::parseIsoTicks(parts.value(1));
        if (parts.size() != 2 || !from || !to) {
            return tr("--window FROM..TO needs two ISO 8601 times in UTC, written with Z, e.g. "
                      "2024-03-13T00:00:00Z..2024-03-14T00:00:00Z (both included); got \"%1\".")
                .arg(spec);
        }
        if (*from > *to) {
            return tr("--window FROM..TO starts after it ends: \"%1\".").arg(spec);
        }
        window.kind = TimeWindow::Kind::Absolute;
        window.fromTicks = from;
        window.toTicks = to;
    } else if (!spec.isEmpty()) {
        return tr("--window must be newest, now, all or FROM..TO, not \"%1\".").arg(spec);
    }
    const bool hasLength = window.kind == TimeWindow::Kind::EndingAtNewestEvent
                           || window.kind == TimeWindow::Kind::RelativeToNow;
    if (!hoursText.isEmpty() && !hasLength) {
        return tr("--hours sets the length of a newest or now window; %1 has no length.")
            .arg(spec.isEmpty() ? tr("the rule file's window")
                                : QStringLiteral("--window ") + spec);
    }
    if (!hoursText.isEmpty()) {
        bool ok = false;
        const double hours = hoursText.toDouble(&ok);
        if (!ok || hours <= 0 || hours > 24.0 * 366 * 100) {
            return tr("--hours must be a positive number, not \"%1\".").arg(hoursText);
        }
        window.lengthTicks = qint64(hours * double(Portent::TicksPerHour));
    }
    return std::nullopt;
}

enum class OutputFormat { Table, Csv, Json };

std::optional<OutputFormat> outputFormat(const QString &name, const QString &outputPath)
{
    if (name.isEmpty()) {
        if (!outputPath.isEmpty()) {
            return outputPath.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)
                       ? OutputFormat::Json
                       : OutputFormat::Csv;
        }
        return stdoutIsTerminal() ? OutputFormat::Table : OutputFormat::Csv;
    }
    if (name == QLatin1String("table")) {
        return OutputFormat::Table;
    }
    if (name == QLatin1String("csv")) {
        return OutputFormat::Csv;
    }
    if (name == QLatin1String("json")) {
        return OutputFormat::Json;
    }
    return std::nullopt;
}

void printSummary(const Portent::DetectionResult &result, qint64 commandMs)
{
    printErr(tr("Window: %1\n").arg(result.window.description));
    printErr(tr("Events in case: %1; endpoints evaluated: %2; events passing all clauses but "
                "the formulas: %3; matches: %4\n")
                 .arg(result.eventsInCase)
                 .arg(result.endpointsEvaluated)
                 .arg(result.candidateEvents)
                 .arg(result.matches.size()));
    printErr(tr("Time: matches %1 ms, candidate count %2 ms, detection %3 ms, whole command "
                "%4 ms\n")
                 .arg(result.matchPhaseMs)
                 .arg(result.candidatePhaseMs)
                 .arg(result.elapsedMs)
                 .arg(commandMs));
}

ExitCode writeMatches(const Portent::DetectionResult &result,
                      const DetectionRule &rule,
                      OutputFormat format,
                      const QString &outputPath)
{
    if (!outputPath.isEmpty()) {
        const auto fileFormat = format == OutputFormat::Json  ? Portent::MatchFileFormat::Json
                                : format == OutputFormat::Csv ? Portent::MatchFileFormat::Csv
                                                              : Portent::MatchFileFormat::Text;
        const Portent::Status written
            = Portent::writeMatchesFile(outputPath, fileFormat, rule, result.matches);
        if (!written) {
            printErr(written.errorMessage() + QLatin1Char('\n'));
            return ExitCode::InputError;
        }
        return ExitCode::Ok;
    }
    switch (format) {
    case OutputFormat::Table:
        printOut(Portent::matchesToTextTable(rule, result.matches) + QLatin1Char('\n'));
        break;
    case OutputFormat::Csv:
        printOut(QString::fromUtf8(Portent::matchesToCsv(rule, result.matches)));
        break;
    case OutputFormat::Json:
        printOut(QString::fromUtf8(Portent::matchesToJson(rule, result.matches))
                 + QLatin1Char('\n'));
        break;
    }
    return ExitCode::Ok;
}

} // namespace

ExitCode runDetect(const QStringList &arguments)
{
    QElapsedTimer clock;
    clock.start();
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Runs the T1568.003 DNS-calculation hunt over a case and prints the matching "
           "events. The effective time window and counts always go to standard error."));
    parser.addPositionalArgument(QStringLiteral("case"), tr("The case file (.portent)."));
    const DetectOptions o;
    parser.addOptions({o.format, o.output, o.seedExact, o.window, o.hours, o.rule, o.kql});
    if (const auto stop = parseCommand(parser, arguments, 0, 1)) {
        return *stop;
    }
    const bool kqlOnly = parser.isSet(o.kql);
    if (!kqlOnly && parser.positionalArguments().isEmpty()) {
        printErr(tr("portent-cli detect: a case file is needed.\nTry 'portent-cli detect "
                    "--help'.\n"));
        return ExitCode::Usage;
    }

    // The seed's window is part of it: another one would no longer be the reference hunt.
    if (parser.isSet(o.seedExact) && (parser.isSet(o.window) || parser.isSet(o.hours))) {
        printErr(tr("portent-cli detect: --seed-exact uses the reference hunt's own window "
                    "(Timestamp > ago(24h)); leave out --window and --hours, or --seed-exact.\n"));
        return ExitCode::Usage;
    }
    DetectionRule rule
        = parser.isSet(o.seedExact) ? DetectionRule::seed() : DetectionRule::defaults();
    if (parser.isSet(o.rule)) {
        if (const auto error = loadRule(parser.value(o.rule), rule)) {
            printErr(*error + QLatin1Char('\n'));
            return ExitCode::InputError;
        }
    }
    if (const auto error
        = applyWindow(parser.value(o.window), parser.value(o.hours), rule.window)) {
        printErr(QStringLiteral("portent-cli detect: %1\n").arg(*error));
        return ExitCode::Usage;
    }
    if (const Portent::Status valid = rule.validate(); !valid) {
        printErr(valid.errorMessage() + QLatin1Char('\n'));
        return ExitCode::InputError;
    }
    if (kqlOnly) {
        printOut(Portent::ruleToKql(rule) + QLatin1Char('\n'));
        return ExitCode::Ok;
    }
    const auto format = outputFormat(parser.value(o.format), parser.value(o.output));
    if (!format) {
        printErr(tr("portent-cli detect: --format must be table, csv or json, not \"%1\".\n")
                     .arg(parser.value(o.format)));
        return ExitCode::Usage;
    }

    // Checked before the run, which can take a while on a large case.
    if (const QString output = parser.value(o.output); !output.isEmpty()) {
        const QFileInfo folder(QFileInfo(output).absolutePath());
        if (!folder.isDir()) {
            printErr(tr("Cannot write \"%1\": the folder \"%2\" does not exist.\n")
                         .arg(output, folder.filePath()));
            return ExitCode::InputError;
        }
    }
    const QString casePath = parser.positionalArguments().first();
    if (!QFileInfo(casePath).isFile()) {
        printErr(tr("The case file \"%1\" does not exist. Create it with 'portent-cli import'.\n")
                     .arg(casePath));
        return ExitCode::InputError;
    }
    const Portent::DetectionResult result
        = waitFor(Portent::DetectionEngine::start(casePath, rule));
    if (interruptRequested()) {
        printErr(tr("Detection interrupted.\n"));
        return ExitCode::Interrupted;
    }
    if (!result.error.isEmpty()) {
        printErr(result.error + QLatin1Char('\n'));
        return ExitCode::InputError;
    }
    const ExitCode written = writeMatches(result, rule, *format, parser.value(o.output));
    printSummary(result, clock.elapsed());
    return written;
}

} // namespace PortentCli
