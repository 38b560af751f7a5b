// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "breakdownpanel.h"

#include "views/breakdown.h"
#include "views/eventdetails.h"

#include <QFrame>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Portent {

namespace {

QLabel *sectionLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(QStringLiteral("<b>%1</b>").arg(text.toHtmlEscaped()), parent);
    label->setContentsMargins(0, 6, 0, 0);
    return label;
}

QLabel *richLabel(QWidget *parent, const QString &accessibleName)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::RichText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setAccessibleName(accessibleName);
    return label;
}

} // namespace

BreakdownPanel::BreakdownPanel(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_tiles(new QWidget(this))
    , m_formulas(richLabel(this, tr("Formula arithmetic")))
    , m_clauses(richLabel(this, tr("Rule clauses")))
    , m_fields(new QTreeWidget(this))
{
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *tileLayout = new QGridLayout(m_tiles);
    tileLayout->setContentsMargins(0, 0, 0, 0);
    tileLayout->setSpacing(4);

    m_fields->setColumnCount(2);
    m_fields->setHeaderLabels({tr("Field"), tr("Value")});
    m_fields->setRootIsDecorated(false);
    m_fields->setWordWrap(true);
    m_fields->setAlternatingRowColors(true);
    m_fields->setAccessibleName(tr("Event fields"));
    // A fixed name column: sized to the longest field name it would leave the values (times
    // with an offset, paths) too little of a 380-pixel dock. Long names elide in the middle,
    // keeping both ends (Initiating…FileName, Initiating…CommandLine), and have a tooltip.
    m_fields->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_fields->setTextElideMode(Qt::ElideMiddle);
    const int nameWidth = fontMetrics().horizontalAdvance(QStringLiteral("InitiatingProcessId"));
    m_fields->setColumnWidth(0, nameWidth + 24);
    m_fields->setMinimumHeight(160);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_title);
    layout->addWidget(m_tiles);
    layout->addWidget(sectionLabel(tr("Formulas"), this));
    layout->addWidget(m_formulas);
    layout->addWidget(sectionLabel(tr("Rule clauses"), this));
    layout->addWidget(m_clauses);
    layout->addWidget(sectionLabel(tr("Event fields"), this));
    layout->addWidget(m_fields, 1);
    clear();
}

void BreakdownPanel::setContext(const DetectionRule &rule, const EffectiveWindow &window)
{
    m_rule = rule;
    m_window = window;
}

void BreakdownPanel::setTimeDisplay(const TimeDisplay &display)
{
    m_timeDisplay = display;
}

void BreakdownPanel::clear()
{
    m_title->setText(tr("Select a match to see how its port was calculated."));
    m_tiles->hide();
    m_formulas->clear();
    m_clauses->clear();
    m_fields->clear();
    m_formulaTexts.clear();
}

QWidget *BreakdownPanel::makeTile(int index, qint64 value)
{
    const OctetTile tile = octetTile(value);
    auto *frame = new QFrame(m_tiles);
    frame->setFrameShape(QFrame::StyledPanel);
    frame->setStyleSheet(QStringLiteral("QFrame { background: palette(base); }"));
    auto *label = new QLabel(frame);
    label->setAlignment(Qt::AlignCenter);
    label->setTextFormat(Qt::RichText);
    label->setText(QStringLiteral("<small>o%1</small><br><span style='font-size:16pt'><b>%2"
                                  "</b></span><br><tt>%3</tt><br><tt>%4</tt>")
                       .arg(index + 1)
                       .arg(tile.decimal, tile.hex, tile.binary));
    label->setAccessibleName(
        tr("Octet %1: %2, %3, binary %4").arg(index + 1).arg(tile.decimal, tile.hex, tile.binary));
    auto *layout = new QVBoxLayout(frame);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(label);
    return frame;
}

void BreakdownPanel::showMatch(const QString &casePath, const Match &match)
{
    m_title->setText(tr("<b>%1</b> → <b>%2:%3</b><br>%4 on %5")
                         .arg(match.processName.toHtmlEscaped(), match.remoteIp.toHtmlEscaped())
                         .arg(match.remotePort)
                         .arg(match.time ? m_timeDisplay.format(*match.time) : tr("no time"),
                              match.deviceName.toHtmlEscaped()));

    auto *grid = static_cast<QGridLayout *>(m_tiles->layout());
    while (QLayoutItem *item = grid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const auto tiles = octetTiles(match);
    for (int i = 0; i < 4; ++i) {
        grid->addWidget(makeTile(i, tiles.at(i).value), 0, i);
    }
    m_tiles->show();

    m_formulaTexts.clear();
    QString formulaHtml;
    for (const FormulaLine &line : formulaLines(match, m_rule.formulas)) {
        m_formulaTexts.append(line.arithmetic + QLatin1Char(' ') + line.verdict);
        const QString colour
            = line.equalsPort ? QStringLiteral("#1b5e20") : QStringLiteral("#7a7a7a");
        formulaHtml += QStringLiteral("%1<br><tt style='color:%2'><b>%3</b> %4</tt><br>")
                           .arg(line.label.toHtmlEscaped(),
                                colour,
                                line.arithmetic.toHtmlEscaped(),
                                line.verdict.toHtmlEscaped());
    }
    m_formulas->setText(formulaHtml);
    showFields(casePath, match);
}

void BreakdownPanel::showFields(const QString &casePath, const Match &match)
{
    m_fields->clear();
    const auto fields = loadEventFields(casePath, match.eventId);
    if (!fields) {
        m_clauses->setText(QStringLiteral("<span style='color:#b00020'>%1</span>")
                               .arg(fields.errorMessage().toHtmlEscaped()));
        return;
    }
    QString clauseHtml;
    const QVariantMap event = toVariantMap(*fields);
    for (const ClauseCheck &check : clauseChecks(m_rule, match, event, m_window, m_timeDisplay)) {
        clauseHtml += QStringLiteral("%1 %2 <span style='color:#555'>(%3)</span><br>")
                          .arg(check.passed ? QStringLiteral("✔") : QStringLiteral("✘"),
                               check.clause.toHtmlEscaped(),
                               check.actual.toHtmlEscaped());
    }
    m_clauses->setText(clauseHtml);
    for (const EventField &field : presentedEventFields(event)) {
        auto *item = new QTreeWidgetItem(m_fields, {field.name, fieldText(field)});
        item->setToolTip(0, field.name);
        item->setToolTip(1, item->text(1));
    }
}

QString BreakdownPanel::fieldText(const EventField &field) const
{
    if (field.value.isNull()) {
        return {};
    }
    switch (field.kind) {
    case EventField::Kind::Time:
        return m_timeDisplay.format(field.value.toLongLong());
    case EventField::Kind::Json:
        return prettyJson(field.value.toString());
    case EventField::Kind::Plain:
        break;
    }
    return field.value.toString();
}

QStringList BreakdownPanel::formulaTexts() const
{
    return m_formulaTexts;
}

QString BreakdownPanel::fieldValue(const QString &name) const
{
    const auto items = m_fields->findItems(name, Qt::MatchExactly, 0);
    return items.isEmpty() ? QString() : items.first()->text(1);
}

} // namespace Portent
