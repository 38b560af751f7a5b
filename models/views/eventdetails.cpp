// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "views/eventdetails.h"

#include "store/casefile.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <SQLiteCpp/SQLiteCpp.h>

namespace Portent {

namespace {

QVariant columnValue(const SQLite::Column &column)
{
    if (column.isNull()) {
        return {};
    }
    if (column.isInteger()) {
        return QVariant(qint64(column.getInt64()));
    }
    if (column.isFloat()) {
        return column.getDouble();
    }
    return QString::fromUtf8(column.getText());
}

struct PresentedName
{
    const char *column;
    const char *name;
    EventField::Kind kind = EventField::Kind::Plain;
};

// In the order of a Defender DeviceNetworkEvents row: when, where, what, to whom, by which process.
constexpr PresentedName ModelledFields[] = {
    {"time", "Timestamp", EventField::Kind::Time},
    {"time_alt", "Timestamp, other day/month reading", EventField::Kind::Time},
    {"device_name", "DeviceName"},
    {"action_type", "ActionType"},
    {"remote_ip", "RemoteIP"},
    {"remote_port", "RemotePort"},
    {"remote_url", "RemoteUrl"},
    {"remote_ip_type", "RemoteIPType"},
    {"local_ip", "LocalIP"},
    {"local_port", "LocalPort"},
    {"local_ip_type", "LocalIPType"},
    {"protocol", "Protocol"},
    {"process_name", "InitiatingProcessFileName"},
    {"process_folder", "InitiatingProcessFolderPath"},
    {"process_command_line", "InitiatingProcessCommandLine"},
    {"process_id", "InitiatingProcessId"},
    {"account_name", "InitiatingProcessAccountName"},
    {"account_domain", "InitiatingProcessAccountDomain"},
    {"report_id", "ReportId"},
};

constexpr PresentedName OriginFields[] = {
    {"source_file", "Imported from"},
    {"line", "Line in that file"},
};

EventField unmodelledField(const QString &name, const QJsonValue &value)
{
    if (value.isObject() || value.isArray()) {
        const QJsonDocument document
            = value.isObject() ? QJsonDocument(value.toObject()) : QJsonDocument(value.toArray());
        return {name,
                QString::fromUtf8(document.toJson(QJsonDocument::Compact)),
                EventField::Kind::Json};
    }
    if (value.isString()) {
        // Exports carry nested JSON as text, AdditionalFields first among them.
        const QString text = value.toString();
        const bool json = text.startsWith(QLatin1Char('{')) || text.startsWith(QLatin1Char('['));
        return {name, text, json ? EventField::Kind::Json : EventField::Kind::Plain};
    }
    return {name, value.isNull() ? QVariant() : value.toVariant(), EventField::Kind::Plain};
}

} // namespace

Expected<QList<EventField>> loadEventFields(const QString &casePath, qint64 eventId)
{
    auto caseFile = CaseFile::open(casePath, CaseFile::Mode::ReadOnly);
    if (!caseFile) {
        return caseFile.error();
    }
    try {
        SQLite::Statement query((*caseFile)->database(),
                                "SELECT v.*, s.file_name AS source_file FROM event_view v "
                                "JOIN sources s ON s.id = v.source_id WHERE v.id = ?");
        query.bind(1, static_cast<int64_t>(eventId));
        if (!query.executeStep()) {
            return Error{QCoreApplication::translate("Portent",
                                                     "Event %1 is not in the case "
                                                     "\"%2\" any more.")
                             .arg(eventId)
                             .arg(casePath)};
        }
        QList<EventField> fields;
        for (int i = 0; i < query.getColumnCount(); ++i) {
            const QString name = QString::fromUtf8(query.getColumnName(i));
            fields.append({name, columnValue(query.getColumn(i))});
        }
        return fields;
    } catch (const SQLite::Exception &e) {
        return Error{QCoreApplication::translate("Portent",
                                                 "Could not read event %1 from \"%2\": "
                                                 "%3")
                         .arg(eventId)
                         .arg(casePath, QString::fromUtf8(e.what()))};
    }
}

QVariantMap toVariantMap(const QList<EventField> &fields)
{
    QVariantMap map;
    for (const EventField &field : fields) {
        map.insert(field.name, field.value);
    }
    return map;
}

QList<EventField> presentedEventFields(const QVariantMap &columns)
{
    QList<EventField> presented;
    for (const PresentedName &field : ModelledFields) {
        const QString column = QString::fromLatin1(field.column);
        // The other reading of a date exists only for ambiguous slash dates.
        if (column == QLatin1String("time_alt") && columns.value(column).isNull()) {
            continue;
        }
        presented.append({QString::fromLatin1(field.name), columns.value(column), field.kind});
    }

    const QJsonObject extra
        = QJsonDocument::fromJson(columns.value(QStringLiteral("extra")).toString().toUtf8())
              .object();
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        presented.append(unmodelledField(it.key(), it.value()));
    }

    for (const PresentedName &field : OriginFields) {
        presented.append({QString::fromLatin1(field.name),
                          columns.value(QString::fromLatin1(field.column)),
                          field.kind});
    }
    return presented;
}

} // namespace Portent
