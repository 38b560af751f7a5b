// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"
#include "store/sourceinfo.h"

#include <QDialog>
#include <QFutureWatcher>

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;
class QTextBrowser;

namespace Portent {

// The import report of each source in the case, reopened from what the case stored. It also lets
// the user flip the day/month reading of a source's slash dates; that rewrite runs on a worker
// thread and dateOrderChanged() tells the window to re-run detection.
class ReportDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ReportDialog(QWidget *parent = nullptr);

    // Reloads the source list from the case; selects sourceId when given.
    void showCase(const QString &casePath, qint64 sourceId = 0);
    QString reportText() const;

signals:
    void dateOrderChanged(qint64 sourceId);

private:
    void showSource(int index);
    void applyDateOrder();
    void handleDateOrderApplied();

    QString m_casePath;
    QList<SourceInfo> m_sources;
    QComboBox *m_sourceChoice;
    QTextBrowser *m_text;
    QTableWidget *m_rejections;
    QComboBox *m_dateOrder;
    QPushButton *m_apply;
    QLabel *m_status;
    qint64 m_pendingSource = 0;
    QFutureWatcher<Status> m_watcher;
};

} // namespace Portent
