// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "export/kqlexport.h"

#include "core/ticks.h"
#include "detect/formula.h"

#include <QStringList>

#include <algorithm>
#include <bit>

namespace Portent {

namespace {

QString stringList(const QStringList &values)
{
    QStringList literals;
    for (const QString &value : values) {
        literals.append(kqlString(value));
    }
    return literals.join(QStringLiteral(", "));
}

QString intList(const QList<int> &values)
{
    QStringList numbers;
    for (int value : values) {
        numbers.append(QString::number(value));
    }
    return numbers.join(QStringLiteral(", "));
}

QString datetime(qint64 ticks)
{
    return QStringLiteral("datetime(%1)").arg(formatTicksIso(ticks));
}

// The let statement a window needs before the table, if any.
QString windowPreamble(const TimeWindow &window)
{
    if (window.kind != TimeWindow::Kind::EndingAtNewestEvent) {
        return QString();
    }
    return QStringLiteral("// Portent's default window ends at the newest event, not at now, "
                          "because exports are\n// examined after the fact.\n"
                          "let NewestEvent = toscalar(DeviceNetworkEvents | summarize "
                          "max(Timestamp));\n");
}

QString windowClause(const TimeWindow &window)
{
    const QString length = formatTimespan(window.lengthTicks);
    switch (window.kind) {
    case TimeWindow::Kind::RelativeToNow:
        return QStringLiteral("| where Timestamp > ago(%1)\n").arg(length);
    case TimeWindow::Kind::EndingAtNewestEvent:
        return QStringLiteral("| where Timestamp > NewestEvent - %1 and Timestamp <= NewestEvent\n")
            .arg(length);
    case TimeWindow::Kind::Absolute:
        if (window.fromTicks && window.toTicks) {
            return QStringLiteral("| where Timestamp between (%1 .. %2)\n")
                .arg(datetime(*window.fromTicks), datetime(*window.toTicks));
        }
        return window.fromTicks
                   ? QStringLiteral("| where Timestamp >= %1\n").arg(datetime(*window.fromTicks))
                   : QStringLiteral("| where Timestamp <= %1\n").arg(datetime(*window.toTicks));
    case TimeWindow::Kind::AllTime:
        break;
    }
    return QString();
}

QString ipTypeClause(const DetectionRule &rule)
{
    if (rule.remoteIpTypes.isEmpty()) {
        return QString();
    }
    QString clause;
    if (rule.ipTypeSource != IpTypeSource::Column) {
        clause = QStringLiteral("// Portent classified addresses itself here; Defender's "
                                "RemoteIPType is the nearest equivalent.\n");
    }
    if (rule.remoteIpTypes.size() == 1) {
        return clause
               + QStringLiteral("| where RemoteIPType == %1\n").arg(kqlString(rule.remoteIpTypes[0]));
    }
    return clause
           + QStringLiteral("| where RemoteIPType in (%1)\n").arg(stringList(rule.remoteIpTypes));
}

QString filterClauses(const DetectionRule &rule)
{
    QString kql = windowClause(rule.window);
    if (!rule.actionTypes.isEmpty()) {
        kql += QStringLiteral("| where ActionType in (%1)\n").arg(stringList(rule.actionTypes));
    }
    if (rule.requireRemoteIp) {
        kql += QStringLiteral("| where isnotempty(RemoteIP)\n");
    }
    kql += ipTypeClause(rule);
    kql += QStringLiteral("| where RemotePort between (%1 .. %2)\n")
               .arg(rule.portMin)
               .arg(rule.portMax);
    if (!rule.excludedPorts.isEmpty()) {
        kql += QStringLiteral("| where RemotePort !in (%1)\n").arg(intList(rule.excludedPorts));
    }
    return kql;
}

QString octetClauses(const DetectionRule &rule, std::uint8_t used)
{
    QString kql;
    QString source = QStringLiteral("RemoteIP");
    if (rule.octetSource == OctetSource::StrictIpv4) {
        // Strict reading: unwrap IPv4-mapped IPv6 and keep only what parses as IPv4. KQL's
        // parse_ipv4 is laxer than Portent about leading zeros ("010.1.1.1"); nothing else differs.
        kql += QStringLiteral("| extend IPv4 = iff(RemoteIP startswith \"::ffff:\", "
                              "substring(RemoteIP, 7), RemoteIP)\n"
                              "| where isnotnull(parse_ipv4(IPv4))\n");
        source = QStringLiteral("IPv4");
    }
    kql += QStringLiteral("| extend IP_Parts = split(%1, \".\")\n").arg(source);
    for (int i = 0; i < 4; ++i) {
        // Oct1..Oct3 are always projected, as the seed does; Oct4 only when a formula reads it.
        if (i < 3 || (used >> i) & 1U) {
            kql += QStringLiteral("| extend Oct%1 = toint(IP_Parts[%2])\n").arg(i + 1).arg(i);
        }
    }
    return kql;
}

QString formulaClauses(const DetectionRule &rule)
{
    const std::array<QString, 4> names{QStringLiteral("Oct1"), QStringLiteral("Oct2"),
                                       QStringLiteral("Oct3"), QStringLiteral("Oct4")};
    std::uint8_t used = 0;
    QString calculations;
    QStringList scores;
    for (int i = 0; i < rule.formulas.size(); ++i) {
        const Expected<CompiledFormula> compiled = CompiledFormula::compile(
            rule.formulas[i].expression);
        const QString column = rule.calcPortColumn(i);
        const QString expression = compiled ? compiled->toInfix(names)
                                            : QStringLiteral("int(null)");
        used |= compiled ? compiled->octetsUsed() : 0;
        calculations += QStringLiteral("| extend %1 = %2\n").arg(column, expression);
        scores.append(QStringLiteral("toint(RemotePort == %1)").arg(column));
    }
    return octetClauses(rule, used) + calculations
           + QStringLiteral("| extend MatchScore = %1\n| where MatchScore > 0\n")
                 .arg(scores.join(QStringLiteral(" + ")));
}

// case() over the subsets of formulas that can match, largest first, mirroring
// DetectionRule::matchedFormulaLabel. Rules with many formulas get long, but 2^n stays small
// for the handful of formulas a hunt uses.
QString matchedFormulaClause(const DetectionRule &rule)
{
    const int count = int(rule.formulas.size());
    QList<quint32> subsets;
    for (quint32 subset = (1U << count) - 1; subset > 0; --subset) {
        subsets.append(subset);
    }
    // Equal sizes in formula order, so the seed reads Both, APT12, then Variant as the default.
    std::sort(subsets.begin(), subsets.end(), [](quint32 a, quint32 b) {
        const int sizeA = std::popcount(a);
        const int sizeB = std::popcount(b);
        return sizeA != sizeB ? sizeA > sizeB : a < b;
    });
    QStringList branches;
    for (quint32 subset : subsets) {
        QList<bool> matched;
        QStringList conditions;
        for (int i = 0; i < count; ++i) {
            matched.append((subset >> i) & 1U);
            if (matched.last()) {
                conditions.append(QStringLiteral("RemotePort == %1").arg(rule.calcPortColumn(i)));
            }
        }
        const QString label = kqlString(rule.matchedFormulaLabel(matched));
        branches.append(subset == subsets.last()
                            ? label
                            : conditions.join(QStringLiteral(" and ")) + QStringLiteral(", ")
                                  + label);
    }
    return QStringLiteral("| extend MatchedFormula = case(\n    %1\n  )\n")
        .arg(branches.join(QStringLiteral(",\n    ")));
}

QString projectClause(const DetectionRule &rule)
{
    QStringList columns;
    for (const QString &column : rule.effectiveOutputColumns()) {
        // DeviceNetworkEvents has no AccountName although the seed projects one; the account
        // that started the connection is InitiatingProcessAccountName.
        columns.append(column == QLatin1String("AccountName")
                           ? QStringLiteral("AccountName = InitiatingProcessAccountName")
                           : column);
    }
    return QStringLiteral("| project\n    %1\n").arg(columns.join(QStringLiteral(",\n    ")));
}

} // namespace

QString kqlString(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('"'), QStringLiteral("\\\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

QString ruleToKql(const DetectionRule &rule)
{
    QString kql = QStringLiteral("// %1\n// Exported from Portent: remote ports calculated from "
                                 "the remote address octets (T1568.003).\n")
                      .arg(rule.name);
    kql += windowPreamble(rule.window);
    kql += QStringLiteral("DeviceNetworkEvents\n");
    kql += filterClauses(rule);
    kql += formulaClauses(rule);
    kql += matchedFormulaClause(rule);
    if (!rule.excludedProcesses.isEmpty()) {
        kql += QStringLiteral("| where InitiatingProcessFileName !in~ (%1)\n")
                   .arg(stringList(rule.excludedProcesses));
    }
    kql += projectClause(rule);
    kql += QStringLiteral("| sort by Timestamp %1\n")
               .arg(rule.newestFirst ? QStringLiteral("desc") : QStringLiteral("asc"));
    return kql;
}

} // namespace Portent
