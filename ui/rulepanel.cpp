// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "rulepanel.h"

#include "core/ticks.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QFontDatabase>
#include <QPlainTextEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace Portent {

namespace {

QString quoted(const QStringList &items)
{
    QStringList out;
    for (const QString &item : items) {
        out.append(QLatin1Char('"') + item + QLatin1Char('"'));
    }
    return out.join(QStringLiteral(", "));
}

QString windowText(const TimeWindow &window)
{
    const qint64 hours = window.lengthTicks / TicksPerHour;
    switch (window.kind) {
    case TimeWindow::Kind::EndingAtNewestEvent:
        return QStringLiteral("Timestamp > newest_event - %1h").arg(hours);
    case TimeWindow::Kind::RelativeToNow:
        return QStringLiteral("Timestamp > ago(%1h)").arg(hours);
    case TimeWindow::Kind::Absolute:
        return QStringLiteral("Timestamp between (%1 .. %2)")
            .arg(window.fromTicks ? formatTicksIso(*window.fromTicks) : QStringLiteral("*"),
                 window.toTicks ? formatTicksIso(*window.toTicks) : QStringLiteral("*"));
    case TimeWindow::Kind::AllTime:
        break;
    }
    return QStringLiteral("(all time)");
}

} // namespace

RulePanel::RulePanel(QWidget *parent)
    : QWidget(parent)
    , m_seedExact(new QCheckBox(tr("&Seed-exact (reference KQL hunt)"), this))
    , m_windowKind(new QComboBox(this))
    , m_hours(new QSpinBox(this))
    , m_text(new QPlainTextEdit(this))
{
    m_seedExact->setToolTip(tr("Run the reference query clause for clause, including "
                               "\"Timestamp > ago(24h)\" relative to now."));
    m_windowKind->addItem(tr("Ending at newest event"),
                          int(TimeWindow::Kind::EndingAtNewestEvent));
    m_windowKind->addItem(tr("Relative to now"), int(TimeWindow::Kind::RelativeToNow));
    m_windowKind->addItem(tr("All time"), int(TimeWindow::Kind::AllTime));
    m_windowKind->setAccessibleName(tr("Time window"));
    m_hours->setRange(1, 24 * 365);
    m_hours->setSuffix(tr(" h"));
    m_hours->setValue(24);
    m_hours->setAccessibleName(tr("Window length in hours"));
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_text->setAccessibleName(tr("Current rule"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Window:"), m_windowKind);
    form->addRow(tr("&Length:"), m_hours);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_seedExact);
    layout->addLayout(form);
    layout->addWidget(m_text, 1);

    connect(m_seedExact, &QCheckBox::toggled, this, &RulePanel::rebuild);
    connect(m_windowKind, &QComboBox::currentIndexChanged, this, &RulePanel::rebuild);
    connect(m_hours, &QSpinBox::valueChanged, this, &RulePanel::rebuild);
    m_text->setPlainText(describe(m_rule));
}

void RulePanel::setSeedExact(bool exact)
{
    m_seedExact->setChecked(exact);
}

bool RulePanel::isSeedExact() const
{
    return m_seedExact->isChecked();
}

void RulePanel::setWindowKind(TimeWindow::Kind kind)
{
    m_windowKind->setCurrentIndex(m_windowKind->findData(int(kind)));
}

void RulePanel::rebuild()
{
    const bool exact = m_seedExact->isChecked();
    DetectionRule rule = exact ? DetectionRule::seed() : DetectionRule::defaults();
    if (exact) {
        // The seed fixes its own window; show it rather than let the controls disagree.
        const QSignalBlocker kindBlocker(m_windowKind);
        const QSignalBlocker hoursBlocker(m_hours);
        setWindowKind(rule.window.kind);
        m_hours->setValue(int(rule.window.lengthTicks / TicksPerHour));
    } else {
        rule.window.kind = TimeWindow::Kind(m_windowKind->currentData().toInt());
        rule.window.lengthTicks = m_hours->value() * TicksPerHour;
    }
    m_windowKind->setEnabled(!exact);
    m_hours->setEnabled(!exact && rule.window.kind != TimeWindow::Kind::AllTime);
    if (rule == m_rule) {
        return;
    }
    m_rule = rule;
    m_text->setPlainText(describe(m_rule));
    emit ruleChanged(m_rule);
}

QString RulePanel::describe(const DetectionRule &rule)
{
    QStringList lines;
    lines << QStringLiteral("// %1").arg(rule.name) << QStringLiteral("DeviceNetworkEvents")
          << QStringLiteral("| where %1").arg(windowText(rule.window))
          << QStringLiteral("| where ActionType in (%1)").arg(quoted(rule.actionTypes));
    if (rule.requireRemoteIp) {
        lines << QStringLiteral("| where isnotempty(RemoteIP)");
    }
    if (!rule.remoteIpTypes.isEmpty()) {
        lines << QStringLiteral("| where RemoteIPType in (%1)").arg(quoted(rule.remoteIpTypes));
    }
    lines << QStringLiteral("| where RemotePort between (%1 .. %2)").arg(rule.portMin)
                 .arg(rule.portMax);
    QStringList ports;
    for (int port : rule.excludedPorts) {
        ports << QString::number(port);
    }
    if (!ports.isEmpty()) {
        lines << QStringLiteral("| where RemotePort !in (%1)").arg(ports.join(QStringLiteral(", ")));
    }
    for (const Formula &formula : rule.formulas) {
        const QString name = formula.label.section(QLatin1Char(':'), 0, 0).trimmed();
        lines << QStringLiteral("| extend %1 = %2").arg(name, formula.expression);
    }
    lines << QStringLiteral("| where MatchScore > 0");
    if (!rule.excludedProcesses.isEmpty()) {
        lines << QStringLiteral("| where InitiatingProcessFileName !in~ (%1)")
                     .arg(quoted(rule.excludedProcesses));
    }
    lines << QStringLiteral("| sort by Timestamp %1")
                 .arg(rule.newestFirst ? QStringLiteral("desc") : QStringLiteral("asc"));
    return lines.join(QLatin1Char('\n'));
}

} // namespace Portent
