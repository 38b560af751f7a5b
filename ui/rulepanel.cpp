// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "rulepanel.h"

#include "core/ticks.h"
#include "export/kqlexport.h"

#include <algorithm>

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QFontDatabase>
#include <QFormLayout>
#include <QPlainTextEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace Portent {

namespace {

qint64 floorToSecond(qint64 ticks)
{
    const qint64 rest = ((ticks % TicksPerSecond) + TicksPerSecond) % TicksPerSecond;
    return ticks - rest;
}

// The fields' range: Qt's date editor starts at the year 100; the importer reads up to 9999.
QDateTime earliestBound()
{
    return QDateTime(QDate(100, 1, 1), QTime(0, 0), Qt::UTC);
}

QDateTime latestBound()
{
    return QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59), Qt::UTC);
}

} // namespace

RulePanel::RulePanel(QWidget *parent)
    : QWidget(parent)
    , m_seedExact(new QCheckBox(tr("&Seed-exact (reference KQL hunt)"), this))
    , m_windowKind(new QComboBox(this))
    , m_hours(new QSpinBox(this))
    , m_from(new QDateTimeEdit(this))
    , m_to(new QDateTimeEdit(this))
    , m_form(new QFormLayout)
    , m_text(new QPlainTextEdit(this))
{
    m_seedExact->setToolTip(tr("Run the reference query clause for clause, including "
                               "\"Timestamp > ago(24h)\" relative to now."));
    m_windowKind->addItem(tr("Ending at newest event"), int(TimeWindow::Kind::EndingAtNewestEvent));
    m_windowKind->addItem(tr("Relative to now"), int(TimeWindow::Kind::RelativeToNow));
    m_windowKind->addItem(tr("Absolute range"), int(TimeWindow::Kind::Absolute));
    m_windowKind->addItem(tr("All time"), int(TimeWindow::Kind::AllTime));
    m_windowKind->setAccessibleName(tr("Time window"));
    m_hours->setRange(1, 24 * 365);
    m_hours->setSuffix(tr(" h"));
    m_hours->setValue(24);
    m_hours->setAccessibleName(tr("Window length in hours"));
    // Both bounds are inclusive, to the second shown (To runs to that second's end), and in UTC
    // whatever zone the tables show: the same instants as the exported Timestamp column and the
    // KQL below. Typing applies when the field is left, not at every keystroke, so that a date
    // typed over does not run detection, or drag the other bound, on its way.
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        edit->setTimeSpec(Qt::UTC);
        edit->setDateTimeRange(earliestBound(), latestBound());
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
        edit->setCalendarPopup(true);
        edit->setKeyboardTracking(false);
    }
    m_from->setAccessibleName(tr("Window start (UTC)"));
    m_to->setAccessibleName(tr("Window end (UTC)"));
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_text->setAccessibleName(tr("Current rule"));

    m_form->addRow(tr("&Window:"), m_windowKind);
    m_form->addRow(tr("&Length:"), m_hours);
    m_form->addRow(tr("&From:"), m_from);
    m_form->addRow(tr("&To:"), m_to);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_seedExact);
    layout->addLayout(m_form);
    layout->addWidget(m_text, 1);

    connect(m_seedExact, &QCheckBox::toggled, this, &RulePanel::rebuild);
    connect(m_windowKind, &QComboBox::currentIndexChanged, this, &RulePanel::rebuild);
    connect(m_hours, &QSpinBox::valueChanged, this, &RulePanel::rebuild);
    connect(m_from, &QDateTimeEdit::dateTimeChanged, this, &RulePanel::keepRangeOrdered);
    connect(m_to, &QDateTimeEdit::dateTimeChanged, this, &RulePanel::keepRangeOrdered);
    showWindowControls(m_rule.window.kind, false);
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

void RulePanel::suggestRange(const EffectiveWindow &lastWindow,
                             std::optional<qint64> newestEventTime)
{
    m_lastWindow = lastWindow;
    m_newestEventTime = newestEventTime;
}

void RulePanel::forgetRange(std::optional<qint64> newestEventTime)
{
    m_userRange = false;
    m_lastWindow = {};
    m_newestEventTime = newestEventTime;
    if (m_rule.window.kind == TimeWindow::Kind::Absolute) {
        fillSuggestedRange();
        applyControls(false);
    }
}

void RulePanel::rebuild()
{
    applyControls(true);
}

// Makes the rule what the controls say; ruleChanged() only when `announce`.
void RulePanel::applyControls(bool announce)
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
    if (rule.window.kind == TimeWindow::Kind::Absolute) {
        if (m_rule.window.kind != TimeWindow::Kind::Absolute && !m_userRange) {
            fillSuggestedRange();
        }
        rule.window.fromTicks = ticksFromDateTime(m_from->dateTime());
        rule.window.toTicks = ticksFromDateTime(m_to->dateTime()) + TicksPerSecond - 1;
    }
    showWindowControls(rule.window.kind, exact);
    if (rule == m_rule) {
        return;
    }
    m_rule = rule;
    m_text->setPlainText(ruleToKql(m_rule));
    if (announce) {
        emit ruleChanged(m_rule);
    }
}

// A length for the windows that have one, the two bounds for an absolute range; nothing can be
// changed while the seed's own window applies.
void RulePanel::showWindowControls(TimeWindow::Kind kind, bool exact)
{
    const bool absolute = kind == TimeWindow::Kind::Absolute;
    m_form->setRowVisible(m_hours, !absolute);
    m_form->setRowVisible(m_from, absolute);
    m_form->setRowVisible(m_to, absolute);
    m_windowKind->setEnabled(!exact);
    m_hours->setEnabled(!exact && kind != TimeWindow::Kind::AllTime);
    m_from->setEnabled(!exact);
    m_to->setEnabled(!exact);
}

// The last run's window, or the length before the newest event when it was not bounded at both
// ends (all time, empty, or relative to now, which has no end), or before now when the case has
// no times. The fields show whole seconds: the start is rounded down, and the end's second is
// covered to its last tick.
void RulePanel::fillSuggestedRange()
{
    const qint64 length = m_hours->value() * TicksPerHour;
    const bool bounded = m_lastWindow.fromTicks && m_lastWindow.toTicks && !m_lastWindow.empty;
    const qint64 to
        = bounded ? *m_lastWindow.toTicks
                  : m_newestEventTime.value_or(ticksFromDateTime(QDateTime::currentDateTimeUtc()));
    const qint64 from = bounded ? *m_lastWindow.firstInstant() : to - length;
    const auto shown = [](qint64 ticks) {
        const QDateTime second = dateTimeFromTicks(floorToSecond(ticks));
        return std::clamp(second, earliestBound(), latestBound());
    };
    const QSignalBlocker fromBlocker(m_from);
    const QSignalBlocker toBlocker(m_to);
    m_from->setDateTime(shown(from));
    m_to->setDateTime(shown(to));
}

// An end before the start would be no window at all: the other bound follows the one moved.
void RulePanel::keepRangeOrdered()
{
    m_userRange = true;
    if (m_from->dateTime() > m_to->dateTime()) {
        const QSignalBlocker fromBlocker(m_from);
        const QSignalBlocker toBlocker(m_to);
        if (sender() == m_from) {
            m_to->setDateTime(m_from->dateTime());
        } else {
            m_from->setDateTime(m_to->dateTime());
        }
    }
    rebuild();
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
