// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "detect/rule.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QFormLayout;
class QPlainTextEdit;
class QSpinBox;

namespace Portent {

// Shows the current rule clause by clause. Editing clauses is not offered yet; the seed-exact
// toggle and the time window are (a length, or an absolute range entered in UTC), and each
// change emits ruleChanged() so detection re-runs.
class RulePanel : public QWidget
{
    Q_OBJECT

public:
    explicit RulePanel(QWidget *parent = nullptr);

    DetectionRule rule() const { return m_rule; }
    void setSeedExact(bool exact);
    bool isSeedExact() const;
    void setWindowKind(TimeWindow::Kind kind);
    // The window the last run used (inclusive start, end), offered as the absolute range until
    // the user sets one: switching to it then keeps the same events in view.
    void suggestRange(std::optional<qint64> fromTicks, std::optional<qint64> toTicks);

signals:
    void ruleChanged(const Portent::DetectionRule &rule);

private:
    void rebuild();
    void showSeedWindow(bool exact, const TimeWindow &seedWindow);
    void showWindowControls(TimeWindow::Kind kind, bool exact);
    void fillRangeOnce();
    void keepRangeOrdered();

    DetectionRule m_rule = DetectionRule::defaults();
    QCheckBox *m_seedExact;
    QComboBox *m_windowKind;
    QSpinBox *m_hours;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QFormLayout *m_form;
    QPlainTextEdit *m_text;
    std::optional<qint64> m_suggestedFrom;
    std::optional<qint64> m_suggestedTo;
    bool m_rangeFilled = false; // the range holds the suggestion or the user's own choice
    bool m_showingSeed = false;
    TimeWindow::Kind m_userWindowKind = TimeWindow::Kind::EndingAtNewestEvent;
    int m_userHours = 24;
};

} // namespace Portent
