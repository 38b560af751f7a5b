// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "commands.h"
#include "console.h"

#include "store/casefile.h"
#include "store/schema.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>

namespace PortentCli {

// Read-only commands refuse a case of an earlier schema rather than change it behind the user's
// back; this is the one that changes it, without needing a file to import.
ExitCode runUpgrade(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Upgrades a case written by an earlier Portent to this version's schema, in place. "
           "The events are kept as they are; the workbench does the same when it opens such a "
           "case."));
    parser.addPositionalArgument(QStringLiteral("case"), tr("The case file (.portent)."));
    if (const auto stop = parseCommand(parser, arguments, 1, 1)) {
        return *stop;
    }
    const QString casePath = parser.positionalArguments().first();
    const Portent::Expected<int> stored = schemaOfCaseToChange(casePath, true);
    if (!stored) {
        printErr(stored.errorMessage() + QLatin1Char('\n'));
        return ExitCode::InputError;
    }
    if (*stored == Portent::CurrentSchemaVersion) {
        printOut(tr("%1: already at schema %2; nothing to do.\n")
                     .arg(casePath)
                     .arg(Portent::CurrentSchemaVersion));
        return ExitCode::Ok;
    }

    QElapsedTimer clock;
    clock.start();
    auto opened = Portent::CaseFile::open(casePath, Portent::CaseFile::Mode::OpenExisting);
    if (!opened) {
        printErr(opened.errorMessage() + QLatin1Char('\n'));
        return ExitCode::InputError;
    }
    printOut(tr("%1: upgraded from schema %2 to schema %3 in %4 ms.\n")
                 .arg(casePath)
                 .arg(*stored)
                 .arg(Portent::CurrentSchemaVersion)
                 .arg(clock.elapsed()));
    return ExitCode::Ok;
}

} // namespace PortentCli
