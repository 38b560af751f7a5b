// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "commands.h"
#include "console.h"

#include "core/ticks.h"
#include "ingest/importer.h"
#include "store/casefile.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>

namespace PortentCli {

namespace {

QString indented(const QString &text)
{
    QString result;
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        result += QStringLiteral("    ") + line + QLatin1Char('\n');
    }
    return result;
}

} // namespace

ExitCode runSources(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Lists the sources imported into a case, each with its import report."));
    parser.addPositionalArgument(QStringLiteral("case"), tr("The case file (.portent)."));
    if (const auto stop = parseCommand(parser, arguments, 1, 1)) {
        return *stop;
    }
    const QString casePath = parser.positionalArguments().first();
    if (!QFileInfo(casePath).isFile()) {
        printErr(tr("The case file \"%1\" does not exist.\n").arg(casePath));
        return ExitCode::InputError;
    }
    auto opened = Portent::CaseFile::open(casePath, Portent::CaseFile::Mode::ReadOnly);
    if (!opened) {
        printErr(opened.errorMessage() + QLatin1Char('\n'));
        return ExitCode::InputError;
    }
    const QList<Portent::SourceInfo> sources = (*opened)->sources();
    printOut(tr("%1: %2 sources, %3 events\n")
                 .arg(casePath)
                 .arg(sources.size())
                 .arg((*opened)->eventCount()));
    for (const Portent::SourceInfo &source : sources) {
        printOut(tr("[%1] %2 (%3, %4 bytes, sha256 %5), imported %6\n")
                     .arg(source.id)
                     .arg(source.fileName, source.format)
                     .arg(source.size)
                     .arg(source.sha256, Portent::formatTicksIso(source.importedAt)));
        const Portent::ImportReport report = Portent::ImportReport::fromJson(source.reportJson);
        printOut(indented(report.toText()));
    }
    return ExitCode::Ok;
}

} // namespace PortentCli
