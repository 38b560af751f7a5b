// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "views/breakdown.h"

#include "core/ipv4.h"
#include "core/ticks.h"

#include <QCoreApplication>
#include <QJsonDocument>

namespace Portent {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Portent::Breakdown", text);
}

QString quotedList(const QStringList &items)
{
    QStringList quoted;
    for (const QString &item : items) {
        quoted.append(QLatin1Char('"') + item + QLatin1Char('"'));
    }
    return quoted.join(QStringLiteral(", "));
}

QString intList(const QList<int> &items)
{
    QStringList texts;
    for (int item : items) {
        texts.append(QString::number(item));
    }
    return texts.join(QStringLiteral(", "));
}

bool ipTypePasses(const DetectionRule &rule,
                  const QString &columnType,
                  const QString &address,
                  QString *actual)
{
    QString type = columnType;
    const bool useAddress
        = rule.ipTypeSource == IpTypeSource::Address
          || (rule.ipTypeSource == IpTypeSource::ColumnOrAddress && columnType.isEmpty());
    if (useAddress) {
        const auto parsed = parseIpv4(address.toLatin1());
        type = parsed ? ipClassName(classifyIpv4(*parsed)) : QString();
    }
    *actual = type.isEmpty() ? tr("(empty)") : type;
    return rule.remoteIpTypes.isEmpty() || rule.remoteIpTypes.contains(type);
}

bool inWindow(const EffectiveWindow &window, const std::optional<qint64> &time)
{
    if (!window.fromTicks && !window.toTicks) {
        return true;
    }
    if (!time) {
        return false;
    }
    const bool afterFrom = !window.fromTicks || *time > *window.fromTicks;
    const bool beforeTo = !window.toTicks || *time <= *window.toTicks;
    return afterFrom && beforeTo;
}

} // namespace

OctetTile octetTile(qint64 value)
{
    OctetTile tile;
    tile.value = value;
    tile.decimal = QString::number(value);
    if (value < 0 || value > 255) {
        tile.hex = tile.binary = QStringLiteral("—");
        return tile;
    }
    tile.hex = QStringLiteral("0x")
               + QString::number(value, 16).toUpper().rightJustified(2, QLatin1Char('0'));
    const QString bits = QStringLiteral("%1").arg(value, 8, 2, QLatin1Char('0'));
    tile.binary = bits.left(4) + QLatin1Char(' ') + bits.mid(4);
    return tile;
}

std::array<OctetTile, 4> octetTiles(const Match &match)
{
    qint64 fourth = match.octets.at(3);
    if (const auto address = parseIpv4(match.remoteIp.toLatin1())) {
        fourth = address->octets().at(3);
    }
    return {octetTile(match.octets.at(0)),
            octetTile(match.octets.at(1)),
            octetTile(match.octets.at(2)),
            octetTile(fourth)};
}

QString substituteOctets(const QString &expression, const std::array<qint64, 4> &octets)
{
    QStringList tokens;
    for (int i = 0; i < expression.size();) {
        const QChar c = expression.at(i);
        if (c.isSpace()) {
            ++i;
            continue;
        }
        if (c.isLetterOrNumber()) {
            int end = i;
            while (end < expression.size() && expression.at(end).isLetterOrNumber()) {
                ++end;
            }
            const QString word = expression.mid(i, end - i);
            const bool isOctet = word.size() == 2 && word.at(0) == QLatin1Char('o')
                                 && word.at(1) >= QLatin1Char('1')
                                 && word.at(1) <= QLatin1Char('4');
            tokens.append(isOctet ? QString::number(octets.at(word.at(1).unicode() - '1')) : word);
            i = end;
            continue;
        }
        tokens.append(c == QLatin1Char('*') ? QStringLiteral("×") : QString(c));
        ++i;
    }
    // Spaces around binary operators only: "61 × (19 + 32)", not "( 19".
    QString text;
    for (const QString &token : tokens) {
        const bool isOperator = token.size() == 1 && QStringLiteral("+-×/%").contains(token);
        if (isOperator && !text.isEmpty() && !text.endsWith(QLatin1Char('('))) {
            text += QLatin1Char(' ') + token + QLatin1Char(' ');
        } else {
            text += token;
        }
    }
    return text;
}

QList<FormulaLine> formulaLines(const Match &match, const QList<Formula> &formulas)
{
    QList<FormulaLine> lines;
    for (int i = 0; i < formulas.size(); ++i) {
        FormulaLine line;
        line.label = formulas.at(i).label;
        line.value = match.calculatedPorts.value(i);
        const QString result = line.value ? QString::number(*line.value) : tr("null");
        line.arithmetic = substituteOctets(formulas.at(i).expression, match.octets)
                          + QStringLiteral(" = ") + result;
        line.equalsPort = line.value && *line.value == match.remotePort;
        line.verdict = (line.equalsPort ? QStringLiteral("= ") : QStringLiteral("≠ "))
                       + tr("RemotePort %1").arg(match.remotePort);
        lines.append(line);
    }
    return lines;
}

QList<ClauseCheck> clauseChecks(const DetectionRule &rule,
                                const Match &match,
                                const QVariantMap &event,
                                const EffectiveWindow &window,
                                const TimeDisplay &display)
{
    QList<ClauseCheck> checks;
    // The exact UTC instant decides a window boundary, so it stays; another zone is added to it.
    QString timeText = tr("(no time)");
    if (match.time) {
        timeText = formatTicksIso(*match.time);
        if (display.mode != TimeDisplay::Mode::Utc) {
            timeText = tr("%1, %2").arg(display.format(*match.time), timeText);
        }
    }
    // The window itself is in the status bar; repeating its long description here crowds out
    // the clauses on small screens.
    checks.append({tr("Timestamp in the rule's window"), timeText, inWindow(window, match.time)});

    const QString action = event.value(QStringLiteral("action_type")).toString();
    checks.append({tr("ActionType in (%1)").arg(quotedList(rule.actionTypes)),
                   action,
                   rule.actionTypes.isEmpty() || rule.actionTypes.contains(action)});

    if (rule.requireRemoteIp) {
        checks.append({tr("isnotempty(RemoteIP)"), match.remoteIp, !match.remoteIp.isEmpty()});
    }

    QString ipType;
    const bool ipTypeOk = ipTypePasses(
        rule, event.value(QStringLiteral("remote_ip_type")).toString(), match.remoteIp, &ipType);
    checks.append(
        {tr("RemoteIPType in (%1)").arg(quotedList(rule.remoteIpTypes)), ipType, ipTypeOk});

    const QString port = QString::number(match.remotePort);
    checks.append({tr("RemotePort between (%1 .. %2)").arg(rule.portMin).arg(rule.portMax),
                   port,
                   match.remotePort >= rule.portMin && match.remotePort <= rule.portMax});
    checks.append({tr("RemotePort !in (%1)").arg(intList(rule.excludedPorts)),
                   port,
                   !rule.excludedPorts.contains(match.remotePort)});

    checks.append({tr("MatchScore > 0"), QString::number(match.matchScore), match.matchScore > 0});

    bool processExcluded = false;
    for (const QString &excluded : rule.excludedProcesses) {
        processExcluded |= excluded.compare(match.processName, Qt::CaseInsensitive) == 0;
    }
    checks.append(
        {tr("InitiatingProcessFileName !in~ (%1)").arg(quotedList(rule.excludedProcesses)),
         match.processName,
         !processExcluded});
    return checks;
}

QString prettyJson(const QString &text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || document.isNull()) {
        return text;
    }
    return QString::fromUtf8(document.toJson(QJsonDocument::Indented)).trimmed();
}

} // namespace Portent
