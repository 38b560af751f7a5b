// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "commands.h"
#include "console.h"

#include "core/ticks.h"
#include "detect/rule.h"
#include "generate/generator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>

namespace PortentCli {

namespace {

using Portent::GeneratedFormat;
using Portent::TimestampStyle;

std::optional<GeneratedFormat> formatFromName(const QString &name)
{
    if (name == QLatin1String("csv")) {
        return GeneratedFormat::Csv;
    }
    if (name == QLatin1String("jsonl")) {
        return GeneratedFormat::JsonLines;
    }
    if (name == QLatin1String("json")) {
        return GeneratedFormat::HuntingJson;
    }
    return std::nullopt;
}

std::optional<TimestampStyle> styleFromName(const QString &name)
{
    if (name == QLatin1String("iso7")) {
        return TimestampStyle::Iso7;
    }
    if (name == QLatin1String("iso-ms")) {
        return TimestampStyle::IsoMillis;
    }
    if (name == QLatin1String("log-analytics")) {
        return TimestampStyle::LogAnalytics;
    }
    return std::nullopt;
}

std::optional<qint64> newestFromText(const QString &text)
{
    if (text.isEmpty()) {
        return Portent::GeneratorOptions::DefaultNewestTicks;
    }
    if (text == QLatin1String("now")) {
        const qint64 now = Portent::ticksFromDateTime(QDateTime::currentDateTimeUtc());
        return now - now % Portent::TicksPerSecond;
    }
    return Portent::parseIsoTicks(text);
}

bool positiveInteger(const QString &text, qint64 &value)
{
    bool ok = false;
    value = text.toLongLong(&ok);
    return ok && value >= 0;
}

} // namespace

ExitCode runGenerate(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Writes a synthetic Defender DeviceNetworkEvents export with planted DNS-calculation "
           "beacons and near misses, for tests, demos and benchmarks. The same options give "
           "byte-identical output. By default the newest event is 2024-03-14T12:00:00Z, so the "
           "reference hunt's ago(24h) finds nothing; detect's default window finds exactly the "
           "planted beacons."));
    parser.addPositionalArgument(QStringLiteral("out"), tr("The export file to write."));
    const QCommandLineOption rows(QStringLiteral("rows"),
                                  tr("Number of events (default 10000)."),
                                  QStringLiteral("n"),
                                  QStringLiteral("10000"));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  tr("Random seed (default 1)."),
                                  QStringLiteral("s"),
                                  QStringLiteral("1"));
    const QCommandLineOption format(QStringLiteral("format"),
                                    tr("csv (portal export), jsonl (JSON Lines) or json (hunting "
                                       "API Schema/Results). Default csv."),
                                    QStringLiteral("format"),
                                    QStringLiteral("csv"));
    const QCommandLineOption truth(QStringLiteral("truth"),
                                   tr("Also write the ground truth (CSV: every planted beacon and "
                                      "near miss) to this file."),
                                   QStringLiteral("file"));
    const QCommandLineOption timestamps(QStringLiteral("timestamps"),
                                        tr("iso7 (default), iso-ms or log-analytics."),
                                        QStringLiteral("style"),
                                        QStringLiteral("iso7"));
    const QCommandLineOption newest(QStringLiteral("newest"),
                                    tr("Time of the newest event: ISO 8601 UTC or now."),
                                    QStringLiteral("time"));
    const QCommandLineOption span(QStringLiteral("span-hours"),
                                  tr("Hours covered by the events (default 72)."),
                                  QStringLiteral("h"),
                                  QStringLiteral("72"));
    parser.addOptions({rows, seed, format, truth, timestamps, newest, span});
    if (const auto stop = parseCommand(parser, arguments, 1, 1)) {
        return *stop;
    }

    Portent::GeneratorOptions options;
    qint64 seedValue = 0;
    const auto generatedFormat = formatFromName(parser.value(format));
    const auto style = styleFromName(parser.value(timestamps));
    const auto newestTicks = newestFromText(parser.value(newest));
    // The first option that cannot be read is named, with what was given.
    const std::pair<const QCommandLineOption *, bool> checks[] = {
        {&rows, positiveInteger(parser.value(rows), options.rows)},
        {&seed, positiveInteger(parser.value(seed), seedValue)},
        {&span, positiveInteger(parser.value(span), options.spanHours) && options.spanHours >= 1},
        {&format, generatedFormat.has_value()},
        {&timestamps, style.has_value()},
        {&newest, newestTicks.has_value()},
    };
    for (const auto &[option, valid] : checks) {
        if (!valid) {
            printErr(tr("portent-cli generate: --%1 cannot be \"%2\".\nTry 'portent-cli "
                        "generate --help'.\n")
                         .arg(option->names().constFirst(), parser.value(*option)));
            return ExitCode::Usage;
        }
    }
    options.seed = quint64(seedValue);
    options.format = *generatedFormat;
    options.timestampStyle = *style;
    options.newestTicks = *newestTicks;

    QElapsedTimer clock;
    clock.start();
    qint64 lastReport = 0;
    const bool terminal = stderrIsTerminal();
    const auto progress = [&](qint64 written, qint64 bytes) {
        if (clock.elapsed() - lastReport >= (terminal ? 250 : 5000) && clock.elapsed() > 1000) {
            lastReport = clock.elapsed();
            const QString line = tr("generating: %1 of %2 rows, %3 MB")
                                     .arg(written)
                                     .arg(options.rows)
                                     .arg(bytes / 1e6, 0, 'f', 1);
            printErr(terminal ? QStringLiteral("\r%1\x1b[K").arg(line) : line + QLatin1Char('\n'));
        }
        return !interruptRequested();
    };
    const QString outPath = parser.positionalArguments().first();
    const auto summary
        = Portent::Generator::writeFiles(outPath, parser.value(truth), options, progress);
    if (terminal && lastReport > 0) {
        printErr(QStringLiteral("\r\x1b[K"));
    }
    if (interruptRequested()) {
        QFile::remove(outPath);
        printErr(tr("Generation interrupted; \"%1\" removed.\n").arg(outPath));
        return ExitCode::Interrupted;
    }
    if (!summary) {
        printErr(summary.errorMessage() + QLatin1Char('\n'));
        return ExitCode::InputError;
    }
    printErr(tr("Wrote %1 rows (%2 bytes, %3 planted beacons, %4 near misses) to \"%5\", newest "
                "event %6, in %7 ms\n")
                 .arg(summary->rows)
                 .arg(summary->bytes)
                 .arg(summary->beacons)
                 .arg(summary->nearMisses)
                 .arg(outPath, Portent::formatTicksIso(summary->newestTicks))
                 .arg(clock.elapsed()));
    return ExitCode::Ok;
}

} // namespace PortentCli
