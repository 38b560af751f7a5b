// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "detect/engine.h"
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
    // What the last run used, offered as the absolute range each time the user switches to
    // one, until they set a range themselves: its window when bounded, else the length before
    // the case's newest event.
    void suggestRange(const EffectiveWindow &lastWindow, std::optional<qint64> newestEventTime);
    // A new case, whose newest event is given: a range set for the old one's timeline is
    // dropped. While an absolute range is the window, it becomes the length before that newest
    // event, without emitting ruleChanged(): the caller runs the new case with rule().
    void forgetRange(std::optional<qint64> newestEventTime);

signals:
    void ruleChanged(const Portent::DetectionRule &rule);

private:
    void rebuild();
    void applyControls(bool announce);
    void showSeedWindow(bool exact, const TimeWindow &seedWindow);
    void showWindowControls(TimeWindow::Kind kind, bool exact);
    void fillSuggestedRange();
    void keepRangeOrdered();

    DetectionRule m_rule = DetectionRule::defaults();
    QCheckBox *m_seedExact;
    QComboBox *m_windowKind;
    QSpinBox *m_hours;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QFormLayout *m_form;
    QPlainTextEdit *m_text;
    EffectiveWindow m_lastWindow;
    std::optional<qint64> m_newestEventTime;
    bool m_userRange = false; // the range fields hold the user's own choice
    bool m_showingSeed = false;
    TimeWindow::Kind m_userWindowKind = TimeWindow::Kind::EndingAtNewestEvent;
    int m_userHours = 24;
};

} // namespace Portent
