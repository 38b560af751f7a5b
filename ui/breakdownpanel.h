// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "detect/engine.h"
#include "views/eventdetails.h"
#include "views/timedisplay.h"

#include <QWidget>

class QLabel;
class QTreeWidget;
class QVBoxLayout;

namespace Portent {

// The selected match taken apart: the remote address as four octet tiles (decimal, hex, binary),
// each formula's arithmetic with the real numbers, the rule clauses the event passed, and every
// field of the event with JSON pretty-printed.
class BreakdownPanel : public QWidget
{
    Q_OBJECT

public:
    explicit BreakdownPanel(QWidget *parent = nullptr);

    void setContext(const DetectionRule &rule, const EffectiveWindow &window);
    void setTimeDisplay(const TimeDisplay &display);
    // Reads the event's fields with one primary-key query on the case.
    void showMatch(const QString &casePath, const Match &match);
    void clear();

    // The arithmetic lines as shown, for tests and copy.
    QStringList formulaTexts() const;
    QString fieldValue(const QString &name) const;

private:
    QWidget *makeTile(int index, qint64 value);
    void showFields(const QString &casePath, const Match &match);
    QString fieldText(const EventField &field) const;

    DetectionRule m_rule = DetectionRule::defaults();
    EffectiveWindow m_window;
    TimeDisplay m_timeDisplay;
    QLabel *m_title;
    QWidget *m_tiles;
    QLabel *m_formulas;
    QLabel *m_clauses;
    QTreeWidget *m_fields;
    QStringList m_formulaTexts;
};

} // namespace Portent
