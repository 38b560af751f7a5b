// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "commands.h"
#include "console.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <functional>

using namespace PortentCli;

namespace {

QString topLevelHelp()
{
    return QCoreApplication::translate(
               "PortentCli",
               "Usage: portent-cli <command> [options] [arguments]\n"
               "Hunts DNS-calculation command and control (MITRE ATT&CK T1568.003) in exported "
               "network events, with the same core as the Portent workbench.\n\n"
               "Commands:\n"
               "  import CASE FILE...   import exports into a case file (created if missing)\n"
               "  sources CASE          list the sources in a case with their import reports\n"
               "  upgrade CASE          upgrade a case written by an earlier Portent\n"
               "  remove CASE SOURCE    remove a source and its events from a case\n"
               "  detect CASE           run the hunt and print the matching events\n"
               "  generate OUT          write a synthetic Defender export with planted beacons\n\n"
               "Options:\n"
               "  -h, --help            this help; 'portent-cli <command> --help' for a command\n"
               "  -v, --version         the version\n\n")
           + exitCodeHelp();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("portent-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PORTENT_VERSION));
    installInterruptHandler();
    // The import report printed for each file already names every failure and rejected row;
    // their log lines would say it twice. QT_LOGGING_RULES still turns them back on.
    QLoggingCategory::setFilterRules(
        QStringLiteral("portent.import.warning=false\nportent.import.critical=false"));

    const QStringList arguments = QCoreApplication::arguments();
    const QString command = arguments.value(1);
    const std::pair<const char *, std::function<ExitCode(const QStringList &)>> commands[] = {
        {"import", runImport},
        {"sources", runSources},
        {"upgrade", runUpgrade},
        {"remove", runRemove},
        {"detect", runDetect},
        {"generate", runGenerate},
    };
    for (const auto &[name, run] : commands) {
        if (command == QLatin1String(name)) {
            return toInt(run(arguments));
        }
    }
    if (command == QLatin1String("--version") || command == QLatin1String("-v")) {
        printOut(QStringLiteral("portent-cli %1\n").arg(QCoreApplication::applicationVersion()));
        return toInt(ExitCode::Ok);
    }
    if (command == QLatin1String("--help") || command == QLatin1String("-h")) {
        printOut(topLevelHelp());
        return toInt(ExitCode::Ok);
    }
    printErr(command.isEmpty() ? topLevelHelp()
                               : QStringLiteral("portent-cli: unknown command \"%1\".\n\n%2")
                                     .arg(command, topLevelHelp()));
    return toInt(ExitCode::Usage);
}
