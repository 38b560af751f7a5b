// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "ingest/importer.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Portent {

namespace {

QJsonArray rejectionsToJson(const QList<RejectedRow> &rows)
{
    QJsonArray array;
    for (const RejectedRow &row : rows) {
        array.append(QJsonObject{{QStringLiteral("line"), row.line},
                                 {QStringLiteral("field"), row.field},
                                 {QStringLiteral("reason"), row.reason}});
    }
    return array;
}

QList<RejectedRow> rejectionsFromJson(const QJsonArray &array)
{
    QList<RejectedRow> rows;
    for (const QJsonValue &value : array) {
        const QJsonObject object = value.toObject();
        rows.append(RejectedRow{object.value(QStringLiteral("line")).toInteger(),
                                object.value(QStringLiteral("field")).toString(),
                                object.value(QStringLiteral("reason")).toString()});
    }
    return rows;
}

} // namespace

QString ImportReport::toJson() const
{
    const QJsonObject object{
        {QStringLiteral("filePath"), filePath},
        {QStringLiteral("format"), format},
        {QStringLiteral("formatName"), formatName},
        {QStringLiteral("bytes"), bytes},
        {QStringLiteral("rowsAccepted"), rowsAccepted},
        {QStringLiteral("rowsRejected"), rowsRejected},
        {QStringLiteral("firstRejections"), rejectionsToJson(firstRejections)},
        {QStringLiteral("dateOrder"), dateOrderName(dateOrder)},
        {QStringLiteral("dateOrderReason"), dateOrderReason},
        {QStringLiteral("timeZoneNote"), timeZoneNote},
        {QStringLiteral("warnings"), QJsonArray::fromStringList(warnings)},
        {QStringLiteral("sourceId"), sourceId},
        {QStringLiteral("skippedAsDuplicate"), skippedAsDuplicate},
        {QStringLiteral("elapsedMs"), elapsedMs},
        {QStringLiteral("error"), error},
    };
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

ImportReport ImportReport::fromJson(const QString &json)
{
    const QJsonObject object = QJsonDocument::fromJson(json.toUtf8()).object();
    ImportReport report;
    report.filePath = object.value(QStringLiteral("filePath")).toString();
    report.format = object.value(QStringLiteral("format")).toString();
    report.formatName = object.value(QStringLiteral("formatName")).toString();
    report.bytes = object.value(QStringLiteral("bytes")).toInteger();
    report.rowsAccepted = object.value(QStringLiteral("rowsAccepted")).toInteger();
    report.rowsRejected = object.value(QStringLiteral("rowsRejected")).toInteger();
    report.firstRejections
        = rejectionsFromJson(object.value(QStringLiteral("firstRejections")).toArray());
    report.dateOrder = dateOrderFromName(object.value(QStringLiteral("dateOrder")).toString());
    report.dateOrderReason = object.value(QStringLiteral("dateOrderReason")).toString();
    report.timeZoneNote = object.value(QStringLiteral("timeZoneNote")).toString();
    for (const QJsonValue &warning : object.value(QStringLiteral("warnings")).toArray()) {
        report.warnings.append(warning.toString());
    }
    report.sourceId = object.value(QStringLiteral("sourceId")).toInteger();
    report.skippedAsDuplicate = object.value(QStringLiteral("skippedAsDuplicate")).toBool();
    report.elapsedMs = object.value(QStringLiteral("elapsedMs")).toInteger();
    report.error = object.value(QStringLiteral("error")).toString();
    return report;
}

QString ImportReport::toText() const
{
    auto tr = [](const char *text) { return QCoreApplication::translate("Portent", text); };
    QStringList lines;
    lines.append(tr("File: %1").arg(filePath));
    if (!error.isEmpty()) {
        lines.append(tr("Import failed: %1").arg(error));
        return lines.join(QLatin1Char('\n'));
    }
    if (skippedAsDuplicate) {
        lines.append(tr("Skipped: the same content was already imported as source %1 (use "
                        "--force to import it again).")
                         .arg(sourceId));
        return lines.join(QLatin1Char('\n'));
    }
    lines.append(tr("Format: %1 (%2)").arg(formatName, format));
    lines.append(tr("Rows: %1 accepted, %2 rejected").arg(rowsAccepted).arg(rowsRejected));
    // Every reason starts with the order it led to.
    lines.append(tr("Dates: %1")
                     .arg(dateOrderReason.isEmpty() ? dateOrderName(dateOrder) : dateOrderReason));
    lines.append(tr("Time zone: %1").arg(timeZoneNote));
    for (const RejectedRow &row : firstRejections) {
        const QString where = row.field.isEmpty() ? tr("line %1").arg(row.line)
                                                  : tr("line %1, %2").arg(row.line).arg(row.field);
        lines.append(tr("  rejected %1: %2").arg(where, row.reason));
    }
    if (rowsRejected > firstRejections.size()) {
        lines.append(
            tr("  ... and %1 more rejected rows").arg(rowsRejected - firstRejections.size()));
    }
    for (const QString &warning : warnings) {
        lines.append(tr("Warning: %1").arg(warning));
    }
    lines.append(tr("Source id: %1, %2 bytes in %3 ms").arg(sourceId).arg(bytes).arg(elapsedMs));
    return lines.join(QLatin1Char('\n'));
}

} // namespace Portent
