// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "views/eventdetails.h"

#include "store/casefile.h"

#include <QCoreApplication>
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

} // namespace

Expected<QList<EventField>> loadEventFields(const QString &casePath, qint64 eventId)
{
    auto caseFile = CaseFile::open(casePath, CaseFile::Mode::ReadOnly);
    if (!caseFile) {
        return caseFile.error();
    }
    try {
        SQLite::Statement query((*caseFile)->database(), "SELECT * FROM event_view WHERE id = ?");
        query.bind(1, static_cast<int64_t>(eventId));
        if (!query.executeStep()) {
            return Error{QCoreApplication::translate("Portent", "Event %1 is not in the case "
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
        return Error{QCoreApplication::translate("Portent", "Could not read event %1 from \"%2\": "
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

} // namespace Portent
