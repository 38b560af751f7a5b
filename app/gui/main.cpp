// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "activitylog.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Portent"));
    QApplication::setApplicationName(QStringLiteral("Portent"));
    QApplication::setApplicationVersion(QStringLiteral(PORTENT_VERSION));
    Portent::ActivityLog::installMessageHandler();

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Workbench for hunting DNS-calculation (T1568.003) command and control"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption sample(QStringLiteral("sample"),
                                    QApplication::translate("main", "Open the sample case."));
    parser.addOption(sample);
    parser.addPositionalArgument(QStringLiteral("case"),
                                 QApplication::translate("main", "Case file to open."),
                                 QStringLiteral("[case.portent]"));
    parser.process(app);

    Portent::MainWindow window;
    window.show();
    if (parser.isSet(sample)) {
        window.openSampleCase();
    } else if (!parser.positionalArguments().isEmpty()) {
        window.openCase(parser.positionalArguments().constFirst());
    } else {
        window.restoreLastCase();
    }
    return app.exec();
}
