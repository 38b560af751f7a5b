// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "views/importprogress.h"

#include <QCoreApplication>
#include <QLocale>
#include <QRegularExpression>

namespace Portent {

std::optional<qint64> rowsFromProgressText(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("rows=(\\d+)"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch()) {
        return std::nullopt;
    }
    bool ok = false;
    const qint64 rows = match.captured(1).toLongLong(&ok);
    return ok ? std::optional<qint64>(rows) : std::nullopt;
}

QString formatImportProgress(qint64 bytesDone, qint64 bytesTotal, qint64 rows, qint64 elapsedMs)
{
    // The C locale with grouping: readable, and the same on every machine (tests compare it).
    QLocale locale = QLocale::c();
    locale.setNumberOptions({});
    const auto megabytes = [](qint64 bytes) { return QString::number(bytes / 1e6, 'f', 1); };
    const qint64 perSecond = elapsedMs > 0 ? rows * 1000 / elapsedMs : 0;
    return QCoreApplication::translate("Portent", "%1 of %2 MB · %3 rows · %4 rows/s")
        .arg(megabytes(bytesDone), megabytes(bytesTotal), locale.toString(rows),
             locale.toString(perSecond));
}

QString tsvCell(const QString &text)
{
    QString cell = text;
    cell.replace(QLatin1Char('\t'), QLatin1Char(' '));
    cell.replace(QLatin1Char('\r'), QLatin1Char(' '));
    cell.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return cell;
}

} // namespace Portent
