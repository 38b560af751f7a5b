// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "detect/formula.h"

#include <QTest>

#include <limits>

using namespace Portent;

Q_DECLARE_METATYPE(std::optional<qint64>)

class tst_Formula : public QObject
{
    Q_OBJECT

private slots:
    void evaluates_data();
    void evaluates();
    void nullOctetGivesNull();
    void reportsErrorPosition_data();
    void reportsErrorPosition();
    void tracksOctetsUsed();
    void printsMinimalInfix_data();
    void printsMinimalInfix();

private:
    static Octets octets(qint64 a, qint64 b, qint64 c, qint64 d)
    {
        return Octets{{a, b, c, d}, 0xF};
    }
};

void tst_Formula::evaluates_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<std::optional<qint64>>("expected");

    // Octets of 100.50.7.9 throughout: o1=100, o2=50, o3=7, o4=9.
    QTest::newRow("apt12") << "o1*o2+o3" << std::optional<qint64>(100 * 50 + 7);         // 5007
    QTest::newRow("apt12-parenthesised") << "(o1*o2)+o3" << std::optional<qint64>(5007);
    QTest::newRow("variant") << "o1*(o2+o3)" << std::optional<qint64>(100 * 57);         // 5700
    QTest::newRow("oct-names") << "oct1*oct2+oct3" << std::optional<qint64>(5007);
    QTest::newRow("upper-case-names") << "O1*OCT2 + o3" << std::optional<qint64>(5007);
    QTest::newRow("spaces") << "  o1 *  o2\t+ o3 " << std::optional<qint64>(5007);
    // * binds tighter than +: 7+100*50 = 5007, not 107*50.
    QTest::newRow("precedence") << "o3+o1*o2" << std::optional<qint64>(5007);
    // Left to right for equal precedence: (100-50)-7 = 43, and (100/50)*7 = 14.
    QTest::newRow("left-assoc-minus") << "o1-o2-o3" << std::optional<qint64>(43);
    QTest::newRow("left-assoc-divide") << "o1/o2*o3" << std::optional<qint64>(14);
    QTest::newRow("right-grouping") << "o1-(o2-o3)" << std::optional<qint64>(57);
    // Integer division and remainder truncate toward zero: 100/7 = 14, 100%7 = 2, -100/7 = -14.
    QTest::newRow("divide") << "o1/o3" << std::optional<qint64>(14);
    QTest::newRow("modulo") << "o1%o3" << std::optional<qint64>(2);
    QTest::newRow("negative-divide") << "-o1/o3" << std::optional<qint64>(-14);
    QTest::newRow("negative-modulo") << "-o1%o3" << std::optional<qint64>(-2);
    QTest::newRow("unary-minus") << "-o1+o2" << std::optional<qint64>(-50);
    QTest::newRow("double-unary") << "--o3" << std::optional<qint64>(7);
    QTest::newRow("unary-plus") << "+o4" << std::optional<qint64>(9);
    QTest::newRow("minus-group") << "-(o1+o2)*2" << std::optional<qint64>(-300);
    QTest::newRow("literal") << "256*o1+o2" << std::optional<qint64>(25650);
    QTest::newRow("nested") << "((o1))*((o2)+(o3))" << std::optional<qint64>(5700);
    QTest::newRow("divide-by-zero") << "o1/(o2-50)" << std::optional<qint64>();
    QTest::newRow("modulo-by-zero") << "o1%0" << std::optional<qint64>();
    // 9223372036854775807 + 1 overflows 64 bits: null rather than a wrapped port.
    QTest::newRow("overflow") << "9223372036854775807+o1" << std::optional<qint64>();
}

void tst_Formula::evaluates()
{
    QFETCH(QString, expression);
    QFETCH(std::optional<qint64>, expected);

    const Expected<CompiledFormula> formula = CompiledFormula::compile(expression);
    QVERIFY2(formula.hasValue(), qPrintable(formula.errorMessage()));
    QCOMPARE(formula->evaluate(octets(100, 50, 7, 9)), expected);
}

void tst_Formula::nullOctetGivesNull()
{
    // "::ffff:100.50.7.9" split on dots: the first part is not a number, so o1 is null.
    const CompiledFormula formula = *CompiledFormula::compile(QStringLiteral("o1*o2+o3"));
    Octets missingFirst{{0, 50, 7, 9}, 0b1110};
    QCOMPARE(formula.evaluate(missingFirst), std::optional<qint64>());

    // A formula that does not read the missing octet still works.
    const CompiledFormula second = *CompiledFormula::compile(QStringLiteral("o2*100+o3"));
    QCOMPARE(second.evaluate(missingFirst), std::optional<qint64>(5007));
}

void tst_Formula::reportsErrorPosition_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<int>("position");
    QTest::addColumn<QString>("fragment");

    QTest::newRow("empty") << "" << 0 << "empty";
    QTest::newRow("blank") << "   " << 3 << "empty";
    QTest::newRow("dangling-operator") << "o1*" << 3 << "column 4";
    QTest::newRow("unknown-name") << "o1*o5" << 3 << "'o5' at column 4";
    QTest::newRow("unknown-word") << "port+1" << 0 << "'port'";
    QTest::newRow("unclosed") << "(o1+o2" << 6 << "'(' at column 1 is not closed";
    QTest::newRow("extra-close") << "o1+o2)" << 5 << "unexpected ')' at column 6";
    QTest::newRow("bad-char") << "o1 ^ o2" << 3 << "unexpected '^' at column 4";
    QTest::newRow("missing-operator") << "o1 o2" << 3 << "unexpected 'o' at column 4";
    QTest::newRow("huge-literal") << "o1+99999999999999999999" << 3 << "too large";
    QTest::newRow("too-deep") << QString(100, QLatin1Char('(')) + QStringLiteral("o1")
                              << 65 << "too deeply nested";
}

void tst_Formula::reportsErrorPosition()
{
    QFETCH(QString, expression);
    QFETCH(int, position);
    QFETCH(QString, fragment);

    FormulaError detail;
    const Expected<CompiledFormula> formula = CompiledFormula::compile(expression, &detail);
    QVERIFY(!formula.hasValue());
    QCOMPARE(detail.position, position);
    QVERIFY2(detail.message.contains(fragment), qPrintable(detail.message));
    QVERIFY(formula.errorMessage().contains(detail.message));
}

void tst_Formula::tracksOctetsUsed()
{
    QCOMPARE(CompiledFormula::compile(QStringLiteral("o1*o2+o3"))->octetsUsed(), 0b0111);
    QCOMPARE(CompiledFormula::compile(QStringLiteral("o4-1"))->octetsUsed(), 0b1000);
    QCOMPARE(CompiledFormula::compile(QStringLiteral("4096"))->octetsUsed(), 0);
}

void tst_Formula::printsMinimalInfix_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("infix");

    QTest::newRow("apt12") << "(o1*o2)+o3" << "Oct1 * Oct2 + Oct3";
    QTest::newRow("variant") << "o1*(o2+o3)" << "Oct1 * (Oct2 + Oct3)";
    QTest::newRow("right-minus") << "o1-(o2-o3)" << "Oct1 - (Oct2 - Oct3)";
    QTest::newRow("left-minus") << "(o1-o2)-o3" << "Oct1 - Oct2 - Oct3";
    QTest::newRow("right-divide") << "o1*(o2/o3)" << "Oct1 * (Oct2 / Oct3)";
    QTest::newRow("negated-group") << "-(o1+o2)" << "-(Oct1 + Oct2)";
    QTest::newRow("negated-right") << "o1--o2" << "Oct1 - (-Oct2)";
    QTest::newRow("double-negation") << "--o4" << "-(-Oct4)";
}

void tst_Formula::printsMinimalInfix()
{
    QFETCH(QString, expression);
    QFETCH(QString, infix);

    const std::array<QString, 4> names{QStringLiteral("Oct1"), QStringLiteral("Oct2"),
                                       QStringLiteral("Oct3"), QStringLiteral("Oct4")};
    const Expected<CompiledFormula> formula = CompiledFormula::compile(expression);
    QVERIFY(formula.hasValue());
    QCOMPARE(formula->toInfix(names), infix);
    // Printing must not change the value: recompile the printout with o-names and compare.
    QString reparsed = infix;
    reparsed.replace(QStringLiteral("Oct"), QStringLiteral("o"));
    const Octets sample{{200, 45, 13, 7}, 0xF};
    QCOMPARE(CompiledFormula::compile(reparsed)->evaluate(sample), formula->evaluate(sample));
}

QTEST_GUILESS_MAIN(tst_Formula)
#include "tst_formula.moc"
