// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "detect/rule.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QPlainTextEdit;
class QSpinBox;

namespace Portent {

// Shows the current rule clause by clause. Editing clauses is not offered yet; the seed-exact
// toggle and the time window are, and each change emits ruleChanged() so detection re-runs.
class RulePanel : public QWidget
{
    Q_OBJECT

public:
    explicit RulePanel(QWidget *parent = nullptr);

    DetectionRule rule() const { return m_rule; }
    void setSeedExact(bool exact);
    bool isSeedExact() const;
    void setWindowKind(TimeWindow::Kind kind);

signals:
    void ruleChanged(const Portent::DetectionRule &rule);

private:
    void rebuild();
    void showSeedWindow(bool exact, const TimeWindow &seedWindow);

    DetectionRule m_rule = DetectionRule::defaults();
    QCheckBox *m_seedExact;
    QComboBox *m_windowKind;
    QSpinBox *m_hours;
    QPlainTextEdit *m_text;
    bool m_showingSeed = false;
    TimeWindow::Kind m_userWindowKind = TimeWindow::Kind::EndingAtNewestEvent;
    int m_userHours = 24;
};

} // namespace Portent
