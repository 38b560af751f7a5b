// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "reportdialog.h"

#include "core/logging.h"
#include "core/ticks.h"
#include "ingest/importer.h"
#include "store/casefile.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace Portent {

namespace {

QString reportHtml(const SourceInfo &source, const ImportReport &report)
{
    QString html;
    const auto row = [&html](const QString &name, const QString &value) {
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(name.toHtmlEscaped(), value.toHtmlEscaped());
    };
    html += QStringLiteral("<table cellspacing='4'>");
    row(QObject::tr("File"), source.filePath);
    row(QObject::tr("Format"), report.formatName.isEmpty() ? source.format : report.formatName);
    const QLocale locale;
    row(QObject::tr("Size"),
        QObject::tr("%1 bytes (%2)")
            .arg(locale.toString(source.size), locale.formattedDataSize(source.size)));
    row(QObject::tr("Imported"), formatTicksForDisplay(source.importedAt, 0));
    row(QObject::tr("Rows accepted"), locale.toString(source.rowsAccepted));
    row(QObject::tr("Rows rejected"), locale.toString(source.rowsRejected));
    row(QObject::tr("Day/month"),
        report.dateOrderReason.isEmpty() ? dateOrderName(source.dateOrder)
                                         : report.dateOrderReason);
    row(QObject::tr("Time zone"), report.timeZoneNote);
    row(QObject::tr("SHA-256"), source.sha256);
    html += QStringLiteral("</table>");
    for (const QString &warning : report.warnings) {
        html += QStringLiteral("<p>⚠ %1</p>").arg(warning.toHtmlEscaped());
    }
    if (source.dateOrder != DateOrder::Unknown) {
        html += QObject::tr("<p>If the dates read wrong (for example 5 December instead of 12 "
                            "May), choose the other day/month order below and apply; detection "
                            "runs again.</p>");
    }
    return html;
}

Status rewriteDateOrder(const QString &casePath, qint64 sourceId, DateOrder order)
{
    auto caseFile = CaseFile::open(casePath, CaseFile::Mode::OpenExisting);
    if (!caseFile) {
        return caseFile.error();
    }
    return (*caseFile)->setDateOrder(sourceId, order);
}

} // namespace

ReportDialog::ReportDialog(QWidget *parent)
    : QDialog(parent)
    , m_sourceChoice(new QComboBox(this))
    , m_text(new QTextBrowser(this))
    , m_rejections(new QTableWidget(this))
    , m_dateOrder(new QComboBox(this))
    , m_apply(new QPushButton(tr("&Apply and re-run detection"), this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Import reports"));
    resize(720, 560);
    m_sourceChoice->setAccessibleName(tr("Source"));
    m_rejections->setColumnCount(3);
    m_rejections->setHorizontalHeaderLabels({tr("Line"), tr("Field"), tr("Reason")});
    m_rejections->horizontalHeader()->setStretchLastSection(true);
    m_rejections->verticalHeader()->hide();
    m_rejections->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_rejections->setAccessibleName(tr("First rejected rows"));
    m_dateOrder->addItem(tr("Month first (05/12 = 12 May)"), int(DateOrder::MonthFirst));
    m_dateOrder->addItem(tr("Day first (05/12 = 5 December)"), int(DateOrder::DayFirst));
    m_dateOrder->setAccessibleName(tr("Day/month order"));
    m_dateOrder->setObjectName(QStringLiteral("dateOrder"));
    m_apply->setObjectName(QStringLiteral("applyDateOrder"));
    m_status->setWordWrap(true);

    auto *orderRow = new QHBoxLayout;
    orderRow->addWidget(new QLabel(tr("Slash dates:"), this));
    orderRow->addWidget(m_dateOrder, 1);
    orderRow->addWidget(m_apply);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_sourceChoice);
    layout->addWidget(m_text, 2);
    layout->addWidget(new QLabel(tr("First rejected rows:"), this));
    layout->addWidget(m_rejections, 1);
    layout->addLayout(orderRow);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(m_sourceChoice, &QComboBox::currentIndexChanged, this, &ReportDialog::showSource);
    connect(m_apply, &QPushButton::clicked, this, &ReportDialog::applyDateOrder);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(&m_watcher, &QFutureWatcherBase::finished, this, &ReportDialog::handleDateOrderApplied);
}

void ReportDialog::showCase(const QString &casePath, qint64 sourceId)
{
    m_casePath = casePath;
    m_sources.clear();
    m_status->clear();
    auto caseFile = CaseFile::open(casePath, CaseFile::Mode::ReadOnly);
    if (caseFile) {
        m_sources = (*caseFile)->sources();
    } else {
        m_status->setText(caseFile.errorMessage());
    }
    const QSignalBlocker blocker(m_sourceChoice);
    m_sourceChoice->clear();
    int selected = 0;
    for (int i = 0; i < m_sources.size(); ++i) {
        const SourceInfo &source = m_sources.at(i);
        m_sourceChoice->addItem(tr("%1 (%2 rows)").arg(source.fileName).arg(source.rowsAccepted));
        if (source.id == sourceId) {
            selected = i;
        }
    }
    m_sourceChoice->setCurrentIndex(m_sources.isEmpty() ? -1 : selected);
    showSource(m_sourceChoice->currentIndex());
}

QString ReportDialog::reportText() const
{
    return m_text->toPlainText();
}

void ReportDialog::showSource(int index)
{
    m_rejections->setRowCount(0);
    if (index < 0 || index >= m_sources.size()) {
        m_text->setPlainText(tr("No source has been imported into this case yet."));
        m_apply->setEnabled(false);
        m_dateOrder->setEnabled(false);
        return;
    }
    const SourceInfo &source = m_sources.at(index);
    const ImportReport report = ImportReport::fromJson(source.reportJson);
    m_text->setHtml(reportHtml(source, report));
    for (const RejectedRow &rejected : report.firstRejections) {
        const int row = m_rejections->rowCount();
        m_rejections->insertRow(row);
        m_rejections->setItem(row, 0, new QTableWidgetItem(QString::number(rejected.line)));
        m_rejections->setItem(row, 1, new QTableWidgetItem(rejected.field));
        m_rejections->setItem(row, 2, new QTableWidgetItem(rejected.reason));
    }
    const bool hasSlashDates = source.dateOrder != DateOrder::Unknown;
    m_dateOrder->setEnabled(hasSlashDates && !m_watcher.isRunning());
    m_apply->setEnabled(hasSlashDates && !m_watcher.isRunning());
    if (hasSlashDates) {
        m_dateOrder->setCurrentIndex(m_dateOrder->findData(int(source.dateOrder)));
    }
}

void ReportDialog::applyDateOrder()
{
    const int index = m_sourceChoice->currentIndex();
    if (index < 0 || m_watcher.isRunning()) {
        return;
    }
    const auto order = DateOrder(m_dateOrder->currentData().toInt());
    m_pendingSource = m_sources.at(index).id;
    m_apply->setEnabled(false);
    m_status->setText(tr("Re-reading dates of \"%1\"…").arg(m_sources.at(index).fileName));
    m_watcher.setFuture(QtConcurrent::run(rewriteDateOrder, m_casePath, m_pendingSource, order));
}

void ReportDialog::handleDateOrderApplied()
{
    const Status status = m_watcher.result();
    showCase(m_casePath, m_pendingSource);
    if (!status) {
        m_status->setText(status.errorMessage());
        qCWarning(lcUi) << "changing the date order failed:" << status.errorMessage();
    } else {
        m_status->setText(tr("Dates re-read; detection is running again."));
        emit dateOrderChanged(m_pendingSource);
    }
}

} // namespace Portent
