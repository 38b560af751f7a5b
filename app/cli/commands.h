// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "exitcode.h"

#include <QStringList>

#include <optional>

class QCommandLineParser;

// One function per subcommand; `arguments` starts with the program name and the command, so
// each command's QCommandLineParser sees a normal argument list and offers its own --help.
namespace PortentCli {

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

// For the commands that change a case (upgrade, remove): checks, before anything is opened,
// that it is a case of this version the user may change. Prints why not and returns the exit
// code; returns nothing when the command may go on. `allowEarlier` lets an earlier schema pass.
std::optional<ExitCode> checkCaseToChange(const QString &casePath, bool allowEarlier);

// The table of exit codes shown by --help.
QString exitCodeHelp();

} // namespace PortentCli
