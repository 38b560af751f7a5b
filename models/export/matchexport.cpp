// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "export/matchexport.h"

#include "core/ticks.h"

#include <QCoreApplication>
#include <QSaveFile>

#include <optional>

namespace Portent {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Portent::MatchExport", text);
}

// A cell before formatting: JSON needs to know numbers from text and null from empty.
struct Cell
{
    enum class Kind { Null, Number, Text };
    Kind kind = Kind::Null;
    qint64 number = 0;
    QString text;

    static Cell of(const QString &value) { return {Kind::Text, 0, value}; }
    static Cell of(std::optional<qint64> value)
    {
        return value ? Cell{Kind::Number, *value, QString()} : Cell{};
    }
    QString display() const
    {
        return kind == Kind::Number ? QString::number(number) : text;
    }
};

Cell octetCell(const Match &match, int index)
{
    const auto i = std::size_t(index);
    return Cell::of(match.octetKnown[i] ? std::optional<qint64>(match.octets[i]) : std::nullopt);
}

std::optional<Cell> fixedCell(const Match &match, const QString &column)
{
    static const QStringList names{
        QStringLiteral("Timestamp"),         QStringLiteral("DeviceName"),
        QStringLiteral("AccountName"),       QStringLiteral("InitiatingProcessFileName"),
        QStringLiteral("InitiatingProcessFolderPath"), QStringLiteral("InitiatingProcessCommandLine"),
        QStringLiteral("InitiatingProcessId"), QStringLiteral("RemoteUrl"),
        QStringLiteral("RemoteIP"),          QStringLiteral("RemotePort"),
        QStringLiteral("MatchedFormula"),    QStringLiteral("MatchScore"),
    };
    switch (names.indexOf(column)) {
    case 0:
        return match.time ? Cell::of(formatTicksIso(*match.time)) : Cell{};
    case 1:
        return Cell::of(match.deviceName);
    case 2:
        return Cell::of(match.accountName);
    case 3:
        return Cell::of(match.processName);
    case 4:
        return Cell::of(match.processFolder);
    case 5:
        return Cell::of(match.processCommandLine);
    case 6:
        return Cell::of(match.processId);
    case 7:
        return Cell::of(match.remoteUrl);
    case 8:
        return Cell::of(match.remoteIp);
    case 9:
        return Cell::of(std::optional<qint64>(match.remotePort));
    case 10:
        return Cell::of(match.matchedFormula);
    case 11:
        return Cell::of(std::optional<qint64>(match.matchScore));
    default:
        return std::nullopt;
    }
}

Cell cell(const DetectionRule &rule, const Match &match, const QString &column)
{
    if (const std::optional<Cell> fixed = fixedCell(match, column)) {
        return *fixed;
    }
    for (int i = 0; i < 4; ++i) {
        if (column == QStringLiteral("Oct%1").arg(i + 1)) {
            return octetCell(match, i);
        }
    }
    for (int i = 0; i < rule.formulas.size(); ++i) {
        if (column == rule.calcPortColumn(i)) {
            return Cell::of(match.calculatedPorts.value(i));
        }
    }
    return Cell{};
}

QString csvField(const QString &text)
{
    const bool quote = text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"'))
                       || text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r'));
    if (!quote) {
        return text;
    }
    QString escaped = text;
    escaped.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

QString csvRow(const QStringList &fields)
{
    QStringList quoted;
    for (const QString &field : fields) {
        quoted.append(csvField(field));
    }
    return quoted.join(QLatin1Char(',')) + QStringLiteral("\r\n");
}

QString jsonString(const QString &text)
{
    QString out = QStringLiteral("\"");
    for (const QChar c : text) {
        if (c == u'"' || c == u'\\') {
            out += QLatin1Char('\\') + c;
        } else if (c == u'\n') {
            out += QStringLiteral("\\n");
        } else if (c == u'\r') {
            out += QStringLiteral("\\r");
        } else if (c == u'\t') {
            out += QStringLiteral("\\t");
        } else if (c.unicode() < 0x20) {
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        } else {
            out += c;
        }
    }
    return out + QLatin1Char('"');
}

QString jsonValue(const Cell &value)
{
    switch (value.kind) {
    case Cell::Kind::Null:
        return QStringLiteral("null");
    case Cell::Kind::Number:
        return QString::number(value.number);
    case Cell::Kind::Text:
        break;
    }
    return jsonString(value.text);
}

QString cut(const QString &text, int width)
{
    QString flat = text;
    flat.replace(QLatin1Char('\n'), QLatin1Char(' ')).replace(QLatin1Char('\r'), QLatin1Char(' '));
    return flat.size() <= width ? flat : flat.left(std::max(width - 3, 0)) + QStringLiteral("...");
}

} // namespace

QString matchCellText(const DetectionRule &rule, const Match &match, const QString &column)
{
    return cell(rule, match, column).display();
}

QByteArray matchesToCsv(const DetectionRule &rule, const QList<Match> &matches)
{
    const QStringList columns = rule.effectiveOutputColumns();
    QString out = csvRow(columns);
    for (const Match &match : matches) {
        QStringList fields;
        for (const QString &column : columns) {
            fields.append(matchCellText(rule, match, column));
        }
        out += csvRow(fields);
    }
    return out.toUtf8();
}

QByteArray matchesToJson(const DetectionRule &rule, const QList<Match> &matches)
{
    // Written by hand because QJsonObject sorts keys, and the columns' order is the rule's.
    const QStringList columns = rule.effectiveOutputColumns();
    QStringList objects;
    for (const Match &match : matches) {
        QStringList members;
        for (const QString &column : columns) {
            members.append(QStringLiteral("    ") + jsonString(column) + QStringLiteral(": ")
                           + jsonValue(cell(rule, match, column)));
        }
        objects.append(QStringLiteral("  {\n") + members.join(QStringLiteral(",\n"))
                       + QStringLiteral("\n  }"));
    }
    if (objects.isEmpty()) {
        return QByteArrayLiteral("[]\n");
    }
    return (QStringLiteral("[\n") + objects.join(QStringLiteral(",\n")) + QStringLiteral("\n]\n"))
        .toUtf8();
}

QString matchesToTextTable(const DetectionRule &rule, const QList<Match> &matches, int maxCellWidth)
{
    const QStringList columns = rule.effectiveOutputColumns();
    QList<QStringList> rows{columns};
    for (const Match &match : matches) {
        QStringList row;
        for (const QString &column : columns) {
            row.append(cut(matchCellText(rule, match, column), maxCellWidth));
        }
        rows.append(row);
    }
    QList<qsizetype> widths(columns.size(), 0);
    for (const QStringList &row : rows) {
        for (qsizetype i = 0; i < row.size(); ++i) {
            widths[i] = std::max(widths[i], row[i].size());
        }
    }
    QStringList separator;
    for (qsizetype width : widths) {
        separator.append(QString(width, QLatin1Char('-')));
    }
    rows.insert(1, separator);
    QString out;
    for (const QStringList &row : rows) {
        QStringList padded;
        for (qsizetype i = 0; i < row.size(); ++i) {
            padded.append(row[i].leftJustified(widths[i]));
        }
        QString line = padded.join(QStringLiteral("  "));
        while (line.endsWith(QLatin1Char(' '))) {
            line.chop(1);
        }
        out += line + QLatin1Char('\n');
    }
    return out;
}

Status writeMatchesFile(const QString &path,
                        MatchFileFormat format,
                        const DetectionRule &rule,
                        const QList<Match> &matches)
{
    QByteArray data;
    switch (format) {
    case MatchFileFormat::Csv:
        data = matchesToCsv(rule, matches);
        break;
    case MatchFileFormat::Json:
        data = matchesToJson(rule, matches);
        break;
    case MatchFileFormat::Text:
        data = matchesToTextTable(rule, matches).toUtf8();
        break;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        return Error{tr("Could not write the matches to \"%1\": %2. Choose another folder or "
                        "free some space.")
                         .arg(path, file.errorString())};
    }
    return ok();
}

} // namespace Portent
