// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "commands.h"
#include "console.h"

#include "store/casefile.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace PortentCli {

// Takes one source and its events out of a case, for example a file imported with rejected rows
// before it is fixed and imported again (which would otherwise store the accepted rows twice).
ExitCode runRemove(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Removes a source and all its events from a case, in one transaction. 'portent-cli "
           "sources CASE' lists the sources with their ids."));
    parser.addPositionalArgument(QStringLiteral("case"), tr("The case file (.portent)."));
    parser.addPositionalArgument(QStringLiteral("source"), tr("The id of the source to remove."));
    if (const auto stop = parseCommand(parser, arguments, 2, 2)) {
        return *stop;
    }
    const QString casePath = parser.positionalArguments().at(0);
    bool isNumber = false;
    const qint64 id = parser.positionalArguments().at(1).toLongLong(&isNumber);
    if (!isNumber || id <= 0) {
        printErr(tr("portent-cli remove: the source must be an id such as 1, not \"%1\".\n")
                     .arg(parser.positionalArguments().at(1)));
        return ExitCode::Usage;
    }
    if (const Portent::Expected<int> stored = schemaOfCaseToChange(casePath, false); !stored) {
        printErr(stored.errorMessage() + QLatin1Char('\n'));
        return ExitCode::InputError;
    }

    auto opened = Portent::CaseFile::open(casePath, Portent::CaseFile::Mode::OpenExisting);
    if (!opened) {
        printErr(opened.errorMessage() + QLatin1Char('\n'));
        return ExitCode::InputError;
    }
    const Portent::Expected<Portent::SourceInfo> source = (*opened)->source(id);
    if (!source) {
        printErr(tr("\"%1\" has no source %2; 'portent-cli sources \"%1\"' lists them.\n")
                     .arg(casePath)
                     .arg(id));
        return ExitCode::InputError;
    }
    if (const Portent::Status removed = (*opened)->removeSource(id); !removed) {
        printErr(removed.errorMessage() + QLatin1Char('\n'));
        return ExitCode::InputError;
    }
    printOut(tr("Removed source %1 (%2, %3 events) from %4.\n")
                 .arg(id)
                 .arg(source->fileName)
                 .arg(source->rowsAccepted)
                 .arg(casePath));
    return ExitCode::Ok;
}

} // namespace PortentCli
