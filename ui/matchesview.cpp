// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "matchesview.h"

#include "views/importprogress.h"
#include "views/matchfilterproxy.h"
#include "views/matchtablemodel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace Portent {

namespace {

constexpr const char *HeaderKey = "matches/headerState";

QLabel *makeBanner(QWidget *parent)
{
    auto *banner = new QLabel(parent);
    banner->setWordWrap(true);
    banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    banner->hide();
    return banner;
}

void styleBanner(QLabel *banner, MatchesView::Banner kind)
{
    const bool error = kind == MatchesView::Banner::Error;
    banner->setStyleSheet(error ? QStringLiteral("QLabel { background: #fdecea; color: #611a15; "
                                                 "border: 1px solid #f5c2c0; padding: 6px; }")
                                : QStringLiteral("QLabel { background: #e8f0fe; color: #174ea6; "
                                                 "border: 1px solid #c6dafc; padding: 6px; }"));
    banner->setAccessibleName(error ? QObject::tr("Error banner") : QObject::tr("Note banner"));
}

} // namespace

MatchesView::MatchesView(MatchTableModel *model, MatchFilterProxy *proxy, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(proxy)
    , m_filter(new QLineEdit(this))
    , m_banner(makeBanner(this))
    , m_countLabel(new QLabel(this))
    , m_table(new QTableView(this))
    , m_filterDelay(new QTimer(this))
{
    m_filter->setPlaceholderText(tr("Filter matches (device, process, IP, URL, formula…)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Quick filter"));
    m_countLabel->setAccessibleName(tr("Shown matches"));

    m_table->setModel(m_proxy);
    m_table->setAccessibleName(tr("Matches"));
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(0, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // Fixed row height: with a million rows, per-row size hints would cost a model pass.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionsMovable(true);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    header->setDefaultSectionSize(110);
    header->setHighlightSections(false);

    m_filterDelay->setSingleShot(true);
    // Typing "proc42" re-filters once, not six times.
    m_filterDelay->setInterval(250);
    connect(m_filter, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_filterDelay, &QTimer::timeout, this, [this] {
        m_proxy->setQuickFilter(m_filter->text());
    });
    connect(header, &QHeaderView::customContextMenuRequested, this, &MatchesView::showHeaderMenu);
    connect(m_table->selectionModel(),
            &QItemSelectionModel::currentRowChanged,
            this,
            &MatchesView::emitCurrent);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &MatchesView::emitCurrent);
    // Queued: restoring the header restores its sort indicator, which sorts the model, and a
    // model must not change its layout from inside its own reset notification.
    connect(m_proxy,
            &QAbstractItemModel::modelReset,
            this,
            &MatchesView::restoreHeader,
            Qt::QueuedConnection);
    const auto updateCount = [this] {
        QString text = tr("%1 of %2 matches").arg(m_proxy->rowCount()).arg(m_model->rowCount());
        if (m_model->isSorting()) {
            text += tr(" (sorting…)");
        } else if (m_proxy->isFiltering()) {
            text += tr(" (filtering…)");
        }
        m_countLabel->setText(text);
    };
    connect(m_model, &MatchTableModel::sortingChanged, this, updateCount);
    connect(m_proxy, &MatchFilterProxy::filteringChanged, this, updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, updateCount);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, updateCount);
    updateCount();

    auto *copy = new QAction(tr("Copy as TSV"), m_table);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &MatchesView::copySelection);
    m_table->addAction(copy);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(m_filter, 1);
    filterRow->addWidget(m_countLabel);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filterRow);
    layout->addWidget(m_banner);
    layout->addWidget(m_table, 1);
    setTabOrder(m_filter, m_table);
}

MatchesView::~MatchesView()
{
    saveHeader();
}

void MatchesView::showBanner(const QString &text, Banner kind)
{
    styleBanner(m_banner, kind);
    m_banner->setText(text);
    m_banner->show();
}

void MatchesView::clearBanner()
{
    m_banner->clear();
    m_banner->hide();
}

QString MatchesView::bannerText() const
{
    return m_banner->isHidden() ? QString() : m_banner->text();
}

void MatchesView::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

QString MatchesView::selectionAsTsv() const
{
    const QModelIndexList selected = m_table->selectionModel()->selectedRows();
    QList<int> rows;
    for (const QModelIndex &index : selected) {
        rows.append(index.row());
    }
    std::sort(rows.begin(), rows.end());

    const QHeaderView *header = m_table->horizontalHeader();
    QList<int> columns;
    for (int visual = 0; visual < header->count(); ++visual) {
        const int logical = header->logicalIndex(visual);
        if (!header->isSectionHidden(logical)) {
            columns.append(logical);
        }
    }
    QStringList lines;
    QStringList cells;
    for (int column : columns) {
        cells.append(tsvCell(m_proxy->headerData(column, Qt::Horizontal).toString()));
    }
    lines.append(cells.join(QLatin1Char('\t')));
    for (int row : rows) {
        cells.clear();
        for (int column : columns) {
            cells.append(tsvCell(m_proxy->index(row, column).data().toString()));
        }
        lines.append(cells.join(QLatin1Char('\t')));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

void MatchesView::copySelection() const
{
    if (!m_table->selectionModel()->hasSelection()) {
        return;
    }
    QApplication::clipboard()->setText(selectionAsTsv());
}

void MatchesView::showHeaderMenu(const QPoint &position)
{
    QHeaderView *header = m_table->horizontalHeader();
    QMenu menu(this);
    for (int column = 0; column < m_proxy->columnCount(); ++column) {
        QAction *action = menu.addAction(m_proxy->headerData(column, Qt::Horizontal).toString());
        action->setCheckable(true);
        action->setChecked(!header->isSectionHidden(column));
        connect(action, &QAction::toggled, header, [header, column](bool shown) {
            header->setSectionHidden(column, !shown);
        });
    }
    menu.addSeparator();
    menu.addAction(
        tr("Fit columns to contents"), m_table, [this] { m_table->resizeColumnsToContents(); });
    menu.exec(header->mapToGlobal(position));
    saveHeader();
}

void MatchesView::restoreHeader()
{
    // The column count depends on the rule's formulas, so restore once they are known: the
    // table cleared for a new case has none, and widths and moves set then would land on the
    // wrong columns once the formula columns arrive.
    if (m_headerRestored || m_model->formulaLabels().isEmpty()) {
        return;
    }
    m_headerRestored = true;
    const QByteArray state = QSettings().value(QLatin1String(HeaderKey)).toByteArray();
    if (state.isEmpty() || !m_table->horizontalHeader()->restoreState(state)) {
        const auto widthOf = [this](MatchTableModel::Column kind, int width) {
            m_table->setColumnWidth(m_model->column(kind), width);
        };
        // Wide enough for a time with a half-hour offset, the longest form the zones give.
        const QString widest = QStringLiteral("2024-12-31 23:59:59.999 +05:30");
        widthOf(MatchTableModel::Column::Time, fontMetrics().horizontalAdvance(widest) + 24);
        widthOf(MatchTableModel::Column::Device, 140);
        widthOf(MatchTableModel::Column::Process, 120);
        widthOf(MatchTableModel::Column::RemoteIp, 110);
        widthOf(MatchTableModel::Column::RemotePort, 95); // with room for the sort arrow
        widthOf(MatchTableModel::Column::Oct1, 45);
        widthOf(MatchTableModel::Column::Oct2, 45);
        widthOf(MatchTableModel::Column::Oct3, 45);
        widthOf(MatchTableModel::Column::MatchedFormula, 170);
        widthOf(MatchTableModel::Column::MatchScore, 50);
        widthOf(MatchTableModel::Column::ProcessId, 60);
        // A calculated port per formula: its header (CalcPort_APT12, CalcPort_Variant...) is
        // wider than the numbers under it, and is what tells the columns apart.
        for (int formula = 0; formula < m_model->formulaLabels().size(); ++formula) {
            const int column = m_model->column(MatchTableModel::Column::CalcPort, formula);
            const QString title = m_model->headerData(column, Qt::Horizontal).toString();
            m_table->setColumnWidth(column, fontMetrics().horizontalAdvance(title) + 28);
        }
        m_table->hideColumn(m_model->column(MatchTableModel::Column::ProcessFolder));
        m_table->hideColumn(m_model->column(MatchTableModel::Column::CommandLine));
        putTriageColumnsFirst();
    }
}

// The model keeps the seed's projection order (exports and copies use it); on screen the
// columns a responder triages by come first, so a laptop shows them without scrolling.
void MatchesView::putTriageColumnsFirst()
{
    using Column = MatchTableModel::Column;
    QHeaderView *header = m_table->horizontalHeader();
    const Column order[] = {Column::Time,
                            Column::Device,
                            Column::Process,
                            Column::RemoteIp,
                            Column::RemotePort,
                            Column::MatchedFormula,
                            Column::MatchScore,
                            Column::Oct1,
                            Column::Oct2,
                            Column::Oct3};
    int visual = 0;
    for (const Column column : order) {
        header->moveSection(header->visualIndex(m_model->column(column)), visual++);
    }
}

void MatchesView::saveHeader() const
{
    if (m_headerRestored) {
        QSettings().setValue(QLatin1String(HeaderKey), m_table->horizontalHeader()->saveState());
    }
}

void MatchesView::emitCurrent()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    emit currentMatchChanged(
        current.isValid() ? m_model->matchIndex(m_proxy->mapToSource(current).row()) : -1);
}

} // namespace Portent
