// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace Portent {

// The status-bar strip shown while an import runs: file, bytes, rows, rows per second, Cancel.
class ImportProgressWidget : public QWidget
{
    Q_OBJECT

public:
    explicit ImportProgressWidget(QWidget *parent = nullptr);

    void start(const QString &fileName, qint64 bytesTotal, int queued);
    void update(qint64 bytesDone, qint64 bytesTotal, qint64 rows, qint64 elapsedMs);
    QString text() const;

signals:
    void cancelRequested();

private:
    QLabel *m_label;
    QProgressBar *m_bar;
    QToolButton *m_cancel;
    QString m_fileName;
};

} // namespace Portent
