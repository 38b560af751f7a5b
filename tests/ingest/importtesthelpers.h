// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "ingest/importer.h"
#include "store/casefile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QVariantMap>

#include <SQLiteCpp/SQLiteCpp.h>

namespace ImportTest {

inline QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size()) {
        return {};
    }
    return path;
}

// Rows of a query on the case, each column by name; values as SQLite returns them.
inline QList<QVariantMap> query(const QString &casePath, const char *sql)
{
    QList<QVariantMap> rows;
    auto opened = Portent::CaseFile::open(casePath, Portent::CaseFile::Mode::ReadOnly);
    if (!opened) {
        return rows;
    }
    SQLite::Statement statement((*opened)->database(), sql);
    while (statement.executeStep()) {
        QVariantMap row;
        for (int i = 0; i < statement.getColumnCount(); ++i) {
            const SQLite::Column column = statement.getColumn(i);
            const QString name = QString::fromUtf8(statement.getColumnName(i));
            if (column.isNull()) {
                row.insert(name, QVariant());
            } else if (column.isInteger()) {
                row.insert(name, qint64(column.getInt64()));
            } else {
                row.insert(name, QString::fromUtf8(column.getString()));
            }
        }
        rows.append(row);
    }
    return rows;
}

inline qint64 count(const QString &casePath, const char *table)
{
    const QByteArray sql = "SELECT count(*) AS n FROM " + QByteArray(table);
    const auto rows = query(casePath, sql.constData());
    return rows.isEmpty() ? -1 : rows.first().value(QStringLiteral("n")).toLongLong();
}

// The imported events in file order with their text resolved.
inline QList<QVariantMap> events(const QString &casePath)
{
    return query(casePath, "SELECT * FROM event_view ORDER BY source_id, line");
}

} // namespace ImportTest
