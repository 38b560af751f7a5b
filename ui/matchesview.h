// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace Portent {

class MatchFilterProxy;
class MatchTableModel;

// The matches table with its quick filter, inline error banner, column chooser (header context
// menu) and TSV copy. Column layout is remembered in QSettings.
class MatchesView : public QWidget
{
    Q_OBJECT

public:
    MatchesView(MatchTableModel *model, MatchFilterProxy *proxy, QWidget *parent = nullptr);
    ~MatchesView() override;

    QTableView *table() const { return m_table; }
    QLineEdit *filterEdit() const { return m_filter; }

    enum class Banner {
        Error, // a failed run or import
        Note,  // nothing failed, but the user should know (an empty window, say)
    };
    // A message about this view, shown above the table until cleared.
    void showBanner(const QString &text, Banner kind = Banner::Error);
    void clearBanner();
    QString bannerText() const;

    // Copies the selected rows (visible columns, in visual order) as tab-separated text.
    void copySelection() const;
    QString selectionAsTsv() const;
    void focusFilter();

signals:
    // Index into MatchTableModel::matches() of the current match, -1 when none. A re-sort
    // moves the row but keeps the match, so it does not emit this.
    void currentMatchChanged(int matchIndex);

private:
    void showHeaderMenu(const QPoint &position);
    void restoreHeader();
    void putTriageColumnsFirst();
    void saveHeader() const;
    void emitCurrent();

    MatchTableModel *m_model;
    MatchFilterProxy *m_proxy;
    QLineEdit *m_filter;
    QLabel *m_banner;
    QLabel *m_countLabel;
    QTableView *m_table;
    QTimer *m_filterDelay;
    bool m_headerRestored = false;
};

} // namespace Portent
