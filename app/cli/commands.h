// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "exitcode.h"

#include "core/expected.h"

#include <QString>
#include <QStringList>

#include <optional>

class QCommandLineParser;

// One function per subcommand; `arguments` starts with the program name and the command, so
// each command's QCommandLineParser sees a normal argument list and offers its own --help.
namespace PortentCli {

// The CLI's messages, in the translation context "PortentCli".
QString tr(const char *text);

ExitCode runImport(const QStringList &arguments);
ExitCode runSources(const QStringList &arguments);
ExitCode runUpgrade(const QStringList &arguments);
ExitCode runRemove(const QStringList &arguments);
ExitCode runDetect(const QStringList &arguments);
ExitCode runGenerate(const QStringList &arguments);

// Parses a command's arguments. On a usage error prints it with a hint and returns Usage; on
// --help prints the help and returns Ok; returns nothing when the command should run.
std::optional<ExitCode> parseCommand(QCommandLineParser &parser,
                                     const QStringList &arguments,
                                     qsizetype minPositional,
                                     qsizetype maxPositional);

// For the commands that change a case (upgrade, remove): the schema version of `casePath`,
// checked before anything is opened for writing: it exists, the user may write it and its
// folder, it holds a case, and its schema is this build's (or, with `allowEarlier`, an earlier
// one). Otherwise the reason, for the command to print.
Portent::Expected<int> schemaOfCaseToChange(const QString &casePath, bool allowEarlier);

// The table of exit codes shown by --help.
QString exitCodeHelp();

} // namespace PortentCli
