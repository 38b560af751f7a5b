// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "commands.h"

#include "console.h"

#include "store/casefile.h"
#include "store/schema.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>

namespace PortentCli {

QString tr(const char *text)
{
    return QCoreApplication::translate("PortentCli", text);
}

std::optional<ExitCode> parseCommand(QCommandLineParser &parser,
                                     const QStringList &arguments,
                                     qsizetype minPositional,
                                     qsizetype maxPositional)
{
    const QCommandLineOption help = parser.addHelpOption();
    const QString command = arguments.value(1);
    if (!parser.parse(arguments.mid(1))) {
        printErr(QStringLiteral("portent-cli %1: %2\nTry 'portent-cli %1 --help'.\n")
                     .arg(command, parser.errorText()));
        return ExitCode::Usage;
    }
    if (parser.isSet(help)) {
        // The parser names the program by its full path; people type "portent-cli <command>".
        QString text = parser.helpText();
        text.replace(QStringLiteral("Usage: ") + arguments.first(),
                     QStringLiteral("Usage: portent-cli ") + command);
        printOut(text + QLatin1Char('\n') + exitCodeHelp());
        return ExitCode::Ok;
    }
    const qsizetype count = parser.positionalArguments().size();
    if (count < minPositional || (maxPositional >= 0 && count > maxPositional)) {
        printErr(QStringLiteral("portent-cli %1: wrong number of arguments.\nTry 'portent-cli %1 "
                                "--help'.\n")
                     .arg(command));
        return ExitCode::Usage;
    }
    return std::nullopt;
}

Portent::Expected<int> schemaOfCaseToChange(const QString &casePath, bool allowEarlier)
{
    const QFileInfo file(casePath);
    if (!file.isFile()) {
        return Portent::Error{tr("The case file \"%1\" does not exist.").arg(casePath)};
    }
    // Checked first: even reading the version of a WAL case leaves files beside it.
    if (!file.isWritable() || !QFileInfo(file.absolutePath()).isWritable()) {
        return Portent::Error{tr("\"%1\" cannot be changed in place: you cannot write to it or "
                                 "to its folder. Work on a copy in a folder of your own.")
                                  .arg(casePath)};
    }
    const Portent::Expected<int> stored = Portent::CaseFile::storedSchemaVersion(casePath);
    if (!stored) {
        return stored;
    }
    if (*stored == 0) {
        return Portent::Error{tr("\"%1\" holds no case yet (it is empty).").arg(casePath)};
    }
    if (const Portent::Status readable = Portent::checkSchemaReadable(*stored, casePath);
        !readable) {
        return readable.error();
    }
    if (*stored < Portent::CurrentSchemaVersion && !allowEarlier) {
        return Portent::Error{tr("\"%1\" was written by an earlier Portent (schema %2). "
                                 "Upgrade it first with portent-cli upgrade.")
                                  .arg(casePath)
                                  .arg(*stored)};
    }
    return stored;
}

QString exitCodeHelp()
{
    return QCoreApplication::translate("PortentCli",
                                       "Exit codes:\n"
                                       "  0  success (detect: whether or not anything matched)\n"
                                       "  1  usage error: unknown command, option or argument\n"
                                       "  2  input or file error: a file could not be read or "
                                       "written,\n     or a case, rule or export is invalid\n"
                                       "  3  partial: an import finished but rejected some rows\n"
                                       "  4  interrupted (Ctrl+C or SIGTERM); an interrupted "
                                       "import leaves the case unchanged\n");
}

} // namespace PortentCli
