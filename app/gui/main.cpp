// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "activitylog.h"
#include "chartspanel.h"
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
    // For scripts/screenshot.sh: which view to bring up once the first result is shown.
    QCommandLineOption show(
        QStringLiteral("show"), QStringLiteral("charts[-N] or reports"), QStringLiteral("view"));
    show.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(show);
    parser.addPositionalArgument(QStringLiteral("case"),
                                 QApplication::translate("main", "Case file to open."),
                                 QStringLiteral("[case.portent]"));
    parser.process(app);

    Portent::MainWindow window;
    window.show();
    if (parser.isSet(show)) {
        const QString view = parser.value(show);
        QObject::connect(
            &window,
            &Portent::MainWindow::resultShown,
            &window,
            [&window, view] {
                if (view == QLatin1String("reports")) {
                    window.showReports();
                } else if (view.startsWith(QLatin1String("charts"))) {
                    window.showCharts();
                    const int chart = view.section(QLatin1Char('-'), 1).toInt();
                    window.chartsPanel()->showChart(Portent::ChartsPanel::Kind(chart));
                }
            },
            Qt::SingleShotConnection);
    }
    if (parser.isSet(sample)) {
        window.openSampleCase();
    } else if (!parser.positionalArguments().isEmpty()) {
        window.openCase(parser.positionalArguments().constFirst());
    } else {
        window.restoreLastCase();
    }
    return app.exec();
}
