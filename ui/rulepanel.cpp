// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "rulepanel.h"

#include "core/ticks.h"
#include "export/kqlexport.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QPlainTextEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace Portent {

RulePanel::RulePanel(QWidget *parent)
    : QWidget(parent)
    , m_seedExact(new QCheckBox(tr("&Seed-exact (reference KQL hunt)"), this))
    , m_windowKind(new QComboBox(this))
    , m_hours(new QSpinBox(this))
    , m_text(new QPlainTextEdit(this))
{
    m_seedExact->setToolTip(tr("Run the reference query clause for clause, including "
                               "\"Timestamp > ago(24h)\" relative to now."));
    m_windowKind->addItem(tr("Ending at newest event"), int(TimeWindow::Kind::EndingAtNewestEvent));
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
    // The query the rule stands for, ready to paste into Defender or Sentinel.
    m_text->setPlainText(ruleToKql(m_rule));
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
    if (exact != m_showingSeed) {
        showSeedWindow(exact, rule.window);
    }
    if (!exact) {
        rule.window.kind = TimeWindow::Kind(m_windowKind->currentData().toInt());
        rule.window.lengthTicks = m_hours->value() * TicksPerHour;
    }
    m_windowKind->setEnabled(!exact);
    m_hours->setEnabled(!exact && rule.window.kind != TimeWindow::Kind::AllTime);
    if (rule == m_rule) {
        return;
    }
    m_rule = rule;
    m_text->setPlainText(ruleToKql(m_rule));
    emit ruleChanged(m_rule);
}

// The seed fixes its own window, so the controls show it while Seed-exact is on; the user's own
// choice comes back when it is turned off.
void RulePanel::showSeedWindow(bool exact, const TimeWindow &seedWindow)
{
    const QSignalBlocker kindBlocker(m_windowKind);
    const QSignalBlocker hoursBlocker(m_hours);
    if (exact) {
        m_userWindowKind = TimeWindow::Kind(m_windowKind->currentData().toInt());
        m_userHours = m_hours->value();
        setWindowKind(seedWindow.kind);
        m_hours->setValue(int(seedWindow.lengthTicks / TicksPerHour));
    } else {
        setWindowKind(m_userWindowKind);
        m_hours->setValue(m_userHours);
    }
    m_showingSeed = exact;
}

} // namespace Portent
