// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "importprogresswidget.h"

#include "views/importprogress.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QStyle>
#include <QToolButton>

namespace Portent {

namespace {

// QProgressBar holds an int; scale bytes so files over 2 GB still fit.
constexpr qint64 BytesPerStep = 1024;

} // namespace

ImportProgressWidget::ImportProgressWidget(QWidget *parent)
    : QWidget(parent)
    , m_label(new QLabel(this))
    , m_bar(new QProgressBar(this))
    , m_cancel(new QToolButton(this))
{
    m_bar->setMaximumWidth(160);
    m_bar->setTextVisible(true);
    m_bar->setAccessibleName(tr("Import progress"));
    m_cancel->setIcon(style()->standardIcon(QStyle::SP_DialogCancelButton));
    m_cancel->setText(tr("Cancel import"));
    m_cancel->setToolTip(tr("Cancel the import; the case stays as it was"));
    m_cancel->setAccessibleName(tr("Cancel import"));
    m_cancel->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    connect(m_cancel, &QToolButton::clicked, this, &ImportProgressWidget::cancelRequested);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
}

void ImportProgressWidget::start(const QString &fileName, qint64 bytesTotal, int queued)
{
    m_fileName = queued > 0 ? tr("%1 (+%2 queued)").arg(fileName).arg(queued) : fileName;
    m_bar->setRange(0, int(qMax<qint64>(1, bytesTotal / BytesPerStep)));
    m_bar->setValue(0);
    m_label->setText(tr("Importing %1…").arg(m_fileName));
}

void ImportProgressWidget::update(qint64 bytesDone,
                                  qint64 bytesTotal,
                                  qint64 rows,
                                  qint64 elapsedMs)
{
    m_bar->setValue(int(bytesDone / BytesPerStep));
    m_label->setText(
        tr("Importing %1: %2")
            .arg(m_fileName, formatImportProgress(bytesDone, bytesTotal, rows, elapsedMs)));
}

QString ImportProgressWidget::text() const
{
    return m_label->text();
}

} // namespace Portent
