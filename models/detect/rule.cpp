// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "detect/rule.h"

#include "core/ticks.h"
#include "detect/formula.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>
#include <utility>

namespace Portent {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Portent::DetectionRule", text);
}

// Columns the seed projects around the formula columns, in its order.
const QStringList &leadingColumns()
{
    static const QStringList columns{
        QStringLiteral("Timestamp"),
        QStringLiteral("DeviceName"),
        QStringLiteral("AccountName"),
        QStringLiteral("InitiatingProcessFileName"),
        QStringLiteral("InitiatingProcessFolderPath"),
        QStringLiteral("InitiatingProcessCommandLine"),
        QStringLiteral("InitiatingProcessId"),
        QStringLiteral("RemoteUrl"),
        QStringLiteral("RemoteIP"),
        QStringLiteral("RemotePort"),
        QStringLiteral("Oct1"),
        QStringLiteral("Oct2"),
        QStringLiteral("Oct3"),
    };
    return columns;
}

const QStringList &trailingColumns()
{
    static const QStringList columns{QStringLiteral("MatchedFormula"),
                                     QStringLiteral("MatchScore")};
    return columns;
}

constexpr int RuleFormatVersion = 1;

struct NamedKind
{
    TimeWindow::Kind kind;
    const char *name;
};

constexpr NamedKind WindowKinds[] = {
    {TimeWindow::Kind::EndingAtNewestEvent, "endingAtNewestEvent"},
    {TimeWindow::Kind::RelativeToNow, "relativeToNow"},
    {TimeWindow::Kind::Absolute, "absolute"},
    {TimeWindow::Kind::AllTime, "allTime"},
};

QString octetSourceName(OctetSource source)
{
    return source == OctetSource::KqlSplit ? QStringLiteral("kqlSplit")
                                           : QStringLiteral("strictIpv4");
}

QString ipTypeSourceName(IpTypeSource source)
{
    switch (source) {
    case IpTypeSource::Column:
        return QStringLiteral("column");
    case IpTypeSource::Address:
        return QStringLiteral("address");
    case IpTypeSource::ColumnOrAddress:
        return QStringLiteral("columnOrAddress");
    }
    return QString();
}

QJsonArray toJsonArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QJsonArray toJsonArray(const QList<int> &list)
{
    QJsonArray array;
    for (int value : list) {
        array.append(value);
    }
    return array;
}

QJsonObject windowToJson(const TimeWindow &window)
{
    QJsonObject json;
    for (const NamedKind &named : WindowKinds) {
        if (named.kind == window.kind) {
            json.insert(QStringLiteral("kind"), QLatin1String(named.name));
        }
    }
    json.insert(QStringLiteral("length"), formatTimespan(window.lengthTicks));
    if (window.fromTicks) {
        json.insert(QStringLiteral("from"), formatTicksIso(*window.fromTicks));
    }
    if (window.toTicks) {
        json.insert(QStringLiteral("to"), formatTicksIso(*window.toTicks));
    }
    return json;
}

// The fields a rule file may have, at its top level and in its window: anything else is a typo
// (a rule that silently ignored "portmin" would hunt with the default range). A field added
// here must come with a new RuleFormatVersion, so that older builds say "written by a newer
// Portent" rather than "not a field Portent knows".
constexpr const char *RuleFields[] = {
    "portentRule",
    "name",
    "window",
    "actionTypes",
    "requireRemoteIp",
    "remoteIpTypes",
    "ipTypeSource",
    "octetSource",
    "portMin",
    "portMax",
    "excludedPorts",
    "formulas",
    "excludedProcesses",
    "outputColumns",
    "newestFirst",
};
constexpr const char *WindowFields[] = {"kind", "length", "from", "to"};

// The first key of `json` not among `known`, with a suggestion when it differs only in case.
template<std::size_t N>
std::optional<QString>
unknownField(const QJsonObject &json, const char *const (&known)[N], const QString &prefix)
{
    for (const QString &key : json.keys()) {
        const auto same = [&key](const char *name) { return key == QLatin1String(name); };
        if (std::any_of(std::begin(known), std::end(known), same)) {
            continue;
        }
        QStringList names;
        QString suggestion;
        for (const char *name : known) {
            names.append(QString::fromLatin1(name));
            if (key.compare(QLatin1String(name), Qt::CaseInsensitive) == 0) {
                suggestion = tr(" Did you mean \"%1\"?").arg(prefix + names.last());
            }
        }
        return tr("Rule field \"%1\" is not one Portent knows.%2 The fields are: %3.")
            .arg(prefix + key, suggestion, names.join(QStringLiteral(", ")));
    }
    return std::nullopt;
}

// Reads a rule file field by field; the first problem names the field and what was expected.
class RuleReader
{
public:
    explicit RuleReader(const QJsonObject &json)
        : m_json(json)
    {}

    Expected<DetectionRule> read()
    {
        if (const auto unknown = unknownField(m_json, RuleFields, QString())) {
            return Error{*unknown};
        }
        if (const auto unknown = unknownField(m_json.value(QStringLiteral("window")).toObject(),
                                              WindowFields,
                                              QStringLiteral("window."))) {
            return Error{*unknown};
        }
        DetectionRule rule = DetectionRule::defaults();
        readString(QStringLiteral("name"), rule.name);
        readWindow(rule.window);
        readStrings(QStringLiteral("actionTypes"), rule.actionTypes);
        readBool(QStringLiteral("requireRemoteIp"), rule.requireRemoteIp);
        readStrings(QStringLiteral("remoteIpTypes"), rule.remoteIpTypes);
        readIpTypeSource(rule.ipTypeSource);
        readOctetSource(rule.octetSource);
        readInt(QStringLiteral("portMin"), rule.portMin);
        readInt(QStringLiteral("portMax"), rule.portMax);
        readInts(QStringLiteral("excludedPorts"), rule.excludedPorts);
        readFormulas(rule.formulas);
        readStrings(QStringLiteral("excludedProcesses"), rule.excludedProcesses);
        readStrings(QStringLiteral("outputColumns"), rule.outputColumns);
        readBool(QStringLiteral("newestFirst"), rule.newestFirst);
        if (!m_error.isEmpty()) {
            return Error{m_error};
        }
        return rule;
    }

private:
    void fail(const QString &field, const QString &expected)
    {
        if (m_error.isEmpty()) {
            m_error = tr("Rule field \"%1\": expected %2.").arg(field, expected);
        }
    }

    void readString(const QString &field, QString &out)
    {
        const QJsonValue value = m_json.value(field);
        if (value.isUndefined()) {
            return;
        }
        value.isString() ? void(out = value.toString()) : fail(field, tr("a string"));
    }

    void readBool(const QString &field, bool &out)
    {
        const QJsonValue value = m_json.value(field);
        if (value.isUndefined()) {
            return;
        }
        value.isBool() ? void(out = value.toBool()) : fail(field, tr("true or false"));
    }

    static bool isInteger(const QJsonValue &value)
    {
        const double number = value.toDouble();
        return value.isDouble() && number == double(qint64(number)) && qAbs(number) < 1e9;
    }

    void readInt(const QString &field, int &out)
    {
        const QJsonValue value = m_json.value(field);
        if (value.isUndefined()) {
            return;
        }
        isInteger(value) ? void(out = value.toInt()) : fail(field, tr("an integer"));
    }

    void readStrings(const QString &field, QStringList &out)
    {
        const QJsonValue value = m_json.value(field);
        if (value.isUndefined()) {
            return;
        }
        QStringList list;
        for (const QJsonValue &item : value.toArray()) {
            if (!item.isString()) {
                return fail(field, tr("an array of strings"));
            }
            list.append(item.toString());
        }
        value.isArray() ? void(out = list) : fail(field, tr("an array of strings"));
    }

    void readInts(const QString &field, QList<int> &out)
    {
        const QJsonValue value = m_json.value(field);
        if (value.isUndefined()) {
            return;
        }
        QList<int> list;
        for (const QJsonValue &item : value.toArray()) {
            if (!isInteger(item)) {
                return fail(field, tr("an array of integers"));
            }
            list.append(item.toInt());
        }
        value.isArray() ? void(out = list) : fail(field, tr("an array of integers"));
    }

    void readFormulas(QList<Formula> &out)
    {
        const QString field = QStringLiteral("formulas");
        const QJsonValue value = m_json.value(field);
        if (value.isUndefined()) {
            return;
        }
        QList<Formula> list;
        for (const QJsonValue &item : value.toArray()) {
            const QJsonObject object = item.toObject();
            const QJsonValue label = object.value(QStringLiteral("label"));
            const QJsonValue expression = object.value(QStringLiteral("expression"));
            if (!label.isString() || !expression.isString()) {
                return fail(field, tr("objects with string \"label\" and \"expression\""));
            }
            list.append({label.toString(), expression.toString()});
        }
        value.isArray() ? void(out = list) : fail(field, tr("an array of formulas"));
    }

    void readWindow(TimeWindow &out)
    {
        const QString field = QStringLiteral("window");
        const QJsonValue value = m_json.value(field);
        if (value.isUndefined()) {
            return;
        }
        const QJsonObject json = value.toObject();
        const QString kind = json.value(QStringLiteral("kind")).toString();
        bool known = false;
        for (const NamedKind &named : WindowKinds) {
            if (kind == QLatin1String(named.name)) {
                out.kind = named.kind;
                known = true;
            }
        }
        if (!value.isObject() || !known) {
            return fail(field + QStringLiteral(".kind"),
                        tr("endingAtNewestEvent, relativeToNow, absolute or allTime"));
        }
        readWindowBounds(json, out);
    }

    void readWindowBounds(const QJsonObject &json, TimeWindow &out)
    {
        const QJsonValue length = json.value(QStringLiteral("length"));
        if (!length.isUndefined()) {
            const std::optional<qint64> ticks = parseTimespan(length.toString());
            ticks ? void(out.lengthTicks = *ticks)
                  : fail(QStringLiteral("window.length"), tr("a timespan such as 24h or 7d"));
        }
        readTime(json, QStringLiteral("from"), out.fromTicks);
        readTime(json, QStringLiteral("to"), out.toTicks);
    }

    void readTime(const QJsonObject &json, const QString &key, std::optional<qint64> &out)
    {
        const QJsonValue value = json.value(key);
        if (value.isUndefined() || value.isNull()) {
            out.reset();
            return;
        }
        out = parseIsoTicks(value.toString());
        if (!out) {
            fail(QStringLiteral("window.") + key,
                 tr("an ISO 8601 UTC time such as 2024-03-13T06:40:13.9880000Z"));
        }
    }

    void readOctetSource(OctetSource &out)
    {
        const QJsonValue value = m_json.value(QStringLiteral("octetSource"));
        if (value.isUndefined()) {
            return;
        }
        for (OctetSource source : {OctetSource::KqlSplit, OctetSource::StrictIpv4}) {
            if (value.toString() == octetSourceName(source)) {
                out = source;
                return;
            }
        }
        fail(QStringLiteral("octetSource"), tr("kqlSplit or strictIpv4"));
    }

    void readIpTypeSource(IpTypeSource &out)
    {
        const QJsonValue value = m_json.value(QStringLiteral("ipTypeSource"));
        if (value.isUndefined()) {
            return;
        }
        for (IpTypeSource source :
             {IpTypeSource::Column, IpTypeSource::Address, IpTypeSource::ColumnOrAddress}) {
            if (value.toString() == ipTypeSourceName(source)) {
                out = source;
                return;
            }
        }
        fail(QStringLiteral("ipTypeSource"), tr("column, address or columnOrAddress"));
    }

    const QJsonObject &m_json;
    QString m_error;
};

} // namespace

DetectionRule DetectionRule::seed()
{
    DetectionRule rule;
    rule.name = QStringLiteral("T1568.003 DNS Calculation");
    rule.window.kind = TimeWindow::Kind::RelativeToNow;
    rule.window.lengthTicks = 24 * TicksPerHour;
    rule.actionTypes = {QStringLiteral("ConnectionSuccess"), QStringLiteral("ConnectionAttempt")};
    rule.requireRemoteIp = true;
    rule.remoteIpTypes = {QStringLiteral("Public")};
    rule.ipTypeSource = IpTypeSource::Column;
    rule.octetSource = OctetSource::KqlSplit;
    rule.portMin = 4096;
    rule.portMax = 49151;
    rule.excludedPorts = {8080, 8443, 8000, 8888, 9090, 9200, 9300, 9418, 27017, 27018, 28017};
    rule.formulas = {
        {QStringLiteral("APT12: (oct1*oct2)+oct3"), QStringLiteral("(o1*o2)+o3")},
        {QStringLiteral("Variant: oct1*(oct2+oct3)"), QStringLiteral("o1*(o2+o3)")},
    };
    rule.excludedProcesses = {QStringLiteral("svchost.exe"),
                              QStringLiteral("lsass.exe"),
                              QStringLiteral("services.exe"),
                              QStringLiteral("wininit.exe")};
    rule.outputColumns = rule.standardOutputColumns();
    rule.newestFirst = true;
    return rule;
}

DetectionRule DetectionRule::defaults()
{
    DetectionRule rule = seed();
    rule.window.kind = TimeWindow::Kind::EndingAtNewestEvent;
    return rule;
}

QString DetectionRule::calcPortColumn(int index) const
{
    // Compiled once: exports call this for every cell of a CalcPort column.
    static const QRegularExpression notIdentifier(QStringLiteral("[^A-Za-z0-9_]+"));
    static const QRegularExpression edgeUnderscores(QStringLiteral("^_+|_+$"));
    auto baseName = [this](int i) {
        const QString label = formulas.value(i).label;
        QString identifier = label.section(QLatin1Char(':'), 0, 0).trimmed();
        identifier.replace(notIdentifier, QStringLiteral("_"));
        identifier.remove(edgeUnderscores);
        return identifier.isEmpty() ? QStringLiteral("F%1").arg(i + 1) : identifier;
    };
    // Two formulas whose labels reduce to the same identifier get their position appended.
    const QString own = baseName(index);
    for (int i = 0; i < formulas.size(); ++i) {
        if (i != index && baseName(i) == own) {
            return QStringLiteral("CalcPort_%1_%2").arg(own).arg(index + 1);
        }
    }
    return QStringLiteral("CalcPort_") + own;
}

QStringList DetectionRule::standardOutputColumns() const
{
    QStringList columns = leadingColumns();
    for (int i = 0; i < formulas.size(); ++i) {
        columns.append(calcPortColumn(i));
    }
    columns.append(trailingColumns());
    return columns;
}

QStringList DetectionRule::effectiveOutputColumns() const
{
    return outputColumns.isEmpty() ? standardOutputColumns() : outputColumns;
}

QString DetectionRule::matchedFormulaLabel(const QList<bool> &matched) const
{
    QStringList labels;
    for (int i = 0; i < matched.size() && i < formulas.size(); ++i) {
        if (matched[i]) {
            labels.append(formulas[i].label);
        }
    }
    if (formulas.size() == 2 && labels.size() == 2) {
        return QLatin1String(BothFormulasLabel);
    }
    return labels.join(QStringLiteral(" + "));
}

QJsonObject DetectionRule::toJson() const
{
    QJsonArray formulaArray;
    for (const Formula &formula : formulas) {
        formulaArray.append(QJsonObject{{QStringLiteral("label"), formula.label},
                                        {QStringLiteral("expression"), formula.expression}});
    }
    return QJsonObject{
        {QStringLiteral("portentRule"), RuleFormatVersion},
        {QStringLiteral("name"), name},
        {QStringLiteral("window"), windowToJson(window)},
        {QStringLiteral("actionTypes"), toJsonArray(actionTypes)},
        {QStringLiteral("requireRemoteIp"), requireRemoteIp},
        {QStringLiteral("remoteIpTypes"), toJsonArray(remoteIpTypes)},
        {QStringLiteral("ipTypeSource"), ipTypeSourceName(ipTypeSource)},
        {QStringLiteral("octetSource"), octetSourceName(octetSource)},
        {QStringLiteral("portMin"), portMin},
        {QStringLiteral("portMax"), portMax},
        {QStringLiteral("excludedPorts"), toJsonArray(excludedPorts)},
        {QStringLiteral("formulas"), formulaArray},
        {QStringLiteral("excludedProcesses"), toJsonArray(excludedProcesses)},
        {QStringLiteral("outputColumns"), toJsonArray(outputColumns)},
        {QStringLiteral("newestFirst"), newestFirst},
    };
}

Expected<DetectionRule> DetectionRule::fromJson(const QJsonObject &json)
{
    const QJsonValue version = json.value(QStringLiteral("portentRule"));
    if (!version.isUndefined() && version.toInt() > RuleFormatVersion) {
        return Error{tr("The rule was written by a newer Portent (rule format %1; this build "
                        "reads up to %2). Update Portent to use it.")
                         .arg(version.toInt())
                         .arg(RuleFormatVersion)};
    }
    return RuleReader(json).read();
}

namespace {

Status validateWindow(const TimeWindow &window)
{
    const bool relative = window.kind == TimeWindow::Kind::EndingAtNewestEvent
                          || window.kind == TimeWindow::Kind::RelativeToNow;
    if (relative && window.lengthTicks <= 0) {
        return Error{tr("Time window: the length must be positive (e.g. 24h).")};
    }
    if (window.kind != TimeWindow::Kind::Absolute) {
        return ok();
    }
    if (!window.fromTicks && !window.toTicks) {
        return Error{tr("Time window: an absolute window needs a start, an end or both.")};
    }
    if (window.fromTicks && window.toTicks && *window.fromTicks > *window.toTicks) {
        return Error{tr("Time window: the start is after the end.")};
    }
    return ok();
}

Status validatePorts(const DetectionRule &rule)
{
    auto isPort = [](int port) { return port >= 0 && port <= 65535; };
    if (!isPort(rule.portMin) || !isPort(rule.portMax) || rule.portMin > rule.portMax) {
        return Error{tr("Port range: %1 .. %2 is not a range of ports (0 .. 65535, low first).")
                         .arg(rule.portMin)
                         .arg(rule.portMax)};
    }
    for (int port : rule.excludedPorts) {
        if (!isPort(port)) {
            return Error{tr("Excluded ports: %1 is not a port (0 .. 65535).").arg(port)};
        }
    }
    return ok();
}

Status validateFormulas(const DetectionRule &rule)
{
    if (rule.formulas.isEmpty()) {
        return Error{tr("Formulas: the rule needs at least one formula, e.g. o1*o2+o3.")};
    }
    QStringList labels;
    for (const Formula &formula : rule.formulas) {
        if (formula.label.trimmed().isEmpty()) {
            return Error{tr("Formula \"%1\": give it a label.").arg(formula.expression)};
        }
        if (labels.contains(formula.label)) {
            return Error{tr("Formula label \"%1\" is used twice.").arg(formula.label)};
        }
        labels.append(formula.label);
        const Expected<CompiledFormula> compiled = CompiledFormula::compile(formula.expression);
        if (!compiled) {
            return compiled.error();
        }
    }
    return ok();
}

Status validateColumns(const DetectionRule &rule)
{
    const QStringList known = rule.standardOutputColumns() + QStringList{QStringLiteral("Oct4")};
    for (const QString &column : rule.outputColumns) {
        if (!known.contains(column)) {
            return Error{tr("Output columns: \"%1\" is not a column Portent projects (known: %2).")
                             .arg(column, known.join(QStringLiteral(", ")))};
        }
    }
    return ok();
}

} // namespace

Status DetectionRule::validate() const
{
    for (const Status &status : {validateWindow(window),
                                 validatePorts(*this),
                                 validateFormulas(*this),
                                 validateColumns(*this)}) {
        if (!status) {
            return status;
        }
    }
    return ok();
}

namespace {

struct TimespanUnit
{
    const char *suffix;
    qint64 ticks;
};

// Largest first, so formatting picks the coarsest exact unit; parsing accepts each suffix.
constexpr TimespanUnit TimespanUnits[] = {
    {"d", TicksPerDay},
    {"h", TicksPerHour},
    {"m", TicksPerMinute},
    {"s", TicksPerSecond},
    {"ms", TicksPerMillisecond},
    {"microsecond", TicksPerMicrosecond},
    {"tick", 1},
};

} // namespace

QString formatTimespan(qint64 ticks)
{
    // A single day reads as 24h, as hunts usually write it; whole multiples of days use d.
    if (ticks > TicksPerDay && ticks % TicksPerDay == 0) {
        return QString::number(ticks / TicksPerDay) + QLatin1Char('d');
    }
    for (const TimespanUnit &unit : TimespanUnits) {
        if (unit.ticks == TicksPerDay) {
            continue;
        }
        if (ticks != 0 && ticks % unit.ticks == 0) {
            return QString::number(ticks / unit.ticks) + QLatin1String(unit.suffix);
        }
    }
    return QStringLiteral("0s");
}

std::optional<qint64> parseTimespan(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*(\\d+)\\s*([a-z]+)\\s*$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch()) {
        return std::nullopt;
    }
    bool converted = false;
    const qint64 count = match.captured(1).toLongLong(&converted);
    for (const TimespanUnit &unit : TimespanUnits) {
        qint64 ticks = 0;
        if (converted && match.captured(2) == QLatin1String(unit.suffix)
            && !__builtin_mul_overflow(count, unit.ticks, &ticks)) {
            return ticks;
        }
    }
    return std::nullopt;
}

std::optional<qint64> parseIsoTicks(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral(
        "^(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,7}))?Z$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch()) {
        return std::nullopt;
    }
    auto field = [&match](int i) { return match.captured(i).toInt(); };
    const int month = field(2);
    const int day = field(3);
    if (month < 1 || month > 12 || day < 1 || day > 31 || field(4) > 23 || field(5) > 59
        || field(6) > 60) {
        return std::nullopt;
    }
    const qint64 fraction = match.captured(7).leftJustified(7, QLatin1Char('0')).toLongLong();
    const qint64 seconds
        = daysFromCivil(field(1), month, day) * 86400 + field(4) * 3600 + field(5) * 60 + field(6);
    return seconds * TicksPerSecond + fraction;
}

} // namespace Portent
