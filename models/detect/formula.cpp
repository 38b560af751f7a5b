// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "detect/formula.h"

#include <QCoreApplication>

#include <limits>

namespace Portent {

namespace {

// Evaluation keeps its operands in a fixed array on the C++ stack, so formulas needing more are
// refused at compile time rather than allocating per evaluation.
constexpr int MaxStack = 32;
constexpr int MaxNesting = 64;

QString tr(const char *text)
{
    return QCoreApplication::translate("Portent::Formula", text);
}

} // namespace

// Recursive descent straight to postfix code:
//   sum     := product (('+' | '-') product)*
//   product := unary (('*' | '/' | '%') unary)*
//   unary   := ('-' | '+') unary | primary
//   primary := integer | o1..o4 | oct1..oct4 | '(' sum ')'
class FormulaParser
{
public:
    explicit FormulaParser(const QString &text)
        : m_text(text)
    {}

    bool parse(CompiledFormula &out)
    {
        skipSpace();
        if (atEnd()) {
            return fail(tr("the formula is empty; write e.g. o1*o2+o3"));
        }
        if (!parseSum(0)) {
            return false;
        }
        skipSpace();
        if (!atEnd()) {
            return fail(tr("unexpected '%1' at column %2").arg(m_text[m_pos]).arg(m_pos + 1));
        }
        out.m_code = m_code;
        out.m_maxStack = m_maxDepth;
        out.m_octetsUsed = m_octetsUsed;
        return true;
    }

    FormulaError error() const { return m_error; }

private:
    using Op = CompiledFormula::Op;

    bool atEnd() const { return m_pos >= m_text.size(); }
    QChar peek() const { return atEnd() ? QChar() : m_text[m_pos]; }

    void skipSpace()
    {
        while (!atEnd() && m_text[m_pos].isSpace()) {
            ++m_pos;
        }
    }

    bool fail(const QString &message)
    {
        if (m_error.message.isEmpty()) {
            m_error = FormulaError{int(m_pos), message};
        }
        return false;
    }

    bool push(Op op, qint64 operand = 0)
    {
        const bool pushes = op == Op::Constant || op == Op::Octet;
        const bool binary = !pushes && op != Op::Negate;
        m_depth += pushes ? 1 : (binary ? -1 : 0);
        m_maxDepth = std::max(m_maxDepth, m_depth);
        m_code.append({op, operand});
        if (m_maxDepth > MaxStack) {
            return fail(tr("the formula is too deeply nested at column %1").arg(m_pos + 1));
        }
        return true;
    }

    bool parseSum(int nesting)
    {
        if (!parseProduct(nesting)) {
            return false;
        }
        for (;;) {
            skipSpace();
            const QChar c = peek();
            if (c != u'+' && c != u'-') {
                return true;
            }
            ++m_pos;
            if (!parseProduct(nesting) || !push(c == u'+' ? Op::Add : Op::Subtract)) {
                return false;
            }
        }
    }

    bool parseProduct(int nesting)
    {
        if (!parseUnary(nesting)) {
            return false;
        }
        for (;;) {
            skipSpace();
            const QChar c = peek();
            Op op = Op::Multiply;
            if (c == u'/') {
                op = Op::Divide;
            } else if (c == u'%') {
                op = Op::Modulo;
            } else if (c != u'*') {
                return true;
            }
            ++m_pos;
            if (!parseUnary(nesting) || !push(op)) {
                return false;
            }
        }
    }

    bool parseUnary(int nesting)
    {
        if (nesting > MaxNesting) {
            return fail(tr("the formula is too deeply nested at column %1").arg(m_pos + 1));
        }
        skipSpace();
        const QChar c = peek();
        if (c == u'-' || c == u'+') {
            ++m_pos;
            if (!parseUnary(nesting + 1)) {
                return false;
            }
            return c == u'+' || push(Op::Negate);
        }
        return parsePrimary(nesting);
    }

    bool parsePrimary(int nesting)
    {
        skipSpace();
        if (atEnd()) {
            return fail(tr("the formula ends where a number, o1..o4 or '(' was expected "
                           "(column %1)")
                            .arg(m_pos + 1));
        }
        const QChar c = peek();
        if (c == u'(') {
            return parseParenthesised(nesting);
        }
        if (c.isDigit()) {
            return parseNumber();
        }
        if (c.isLetter()) {
            return parseOctet();
        }
        return fail(tr("unexpected '%1' at column %2; expected a number, o1..o4 or '('")
                        .arg(c)
                        .arg(m_pos + 1));
    }

    bool parseParenthesised(int nesting)
    {
        const qsizetype open = m_pos;
        ++m_pos;
        if (!parseSum(nesting + 1)) {
            return false;
        }
        skipSpace();
        if (peek() != u')') {
            return fail(tr("the '(' at column %1 is not closed (column %2)")
                            .arg(open + 1)
                            .arg(m_pos + 1));
        }
        ++m_pos;
        return true;
    }

    bool parseNumber()
    {
        const qsizetype start = m_pos;
        qint64 value = 0;
        while (!atEnd() && m_text[m_pos].isDigit()) {
            const int digit = m_text[m_pos].digitValue();
            if (digit < 0 || __builtin_mul_overflow(value, 10, &value)
                || __builtin_add_overflow(value, digit, &value)) {
                m_pos = start;
                return fail(tr("the number at column %1 is too large").arg(start + 1));
            }
            ++m_pos;
        }
        return push(Op::Constant, value);
    }

    bool parseOctet()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && m_text[m_pos].isLetterOrNumber()) {
            ++m_pos;
        }
        const QString word = m_text.mid(start, m_pos - start).toLower();
        for (int i = 0; i < 4; ++i) {
            const QString digit = QString::number(i + 1);
            if (word == QLatin1String("o") + digit || word == QLatin1String("oct") + digit) {
                m_octetsUsed |= std::uint8_t(1U << i);
                return push(Op::Octet, i);
            }
        }
        m_pos = start;
        return fail(tr("unknown name '%1' at column %2; use o1, o2, o3 or o4")
                        .arg(m_text.mid(start, word.size()))
                        .arg(start + 1));
    }

    const QString &m_text;
    qsizetype m_pos = 0;
    QList<CompiledFormula::Instruction> m_code;
    int m_depth = 0;
    int m_maxDepth = 0;
    std::uint8_t m_octetsUsed = 0;
    FormulaError m_error;
};

Expected<CompiledFormula> CompiledFormula::compile(const QString &expression, FormulaError *detail)
{
    FormulaParser parser(expression);
    CompiledFormula formula;
    if (parser.parse(formula)) {
        return formula;
    }
    const FormulaError error = parser.error();
    if (detail) {
        *detail = error;
    }
    return Error{tr("Formula \"%1\": %2").arg(expression, error.message)};
}

namespace {

// One binary step; false means the result is null (division by zero or overflow).
bool apply(CompiledFormula::Op op, qint64 a, qint64 b, qint64 &out)
{
    using Op = CompiledFormula::Op;
    switch (op) {
    case Op::Add:
        return !__builtin_add_overflow(a, b, &out);
    case Op::Subtract:
        return !__builtin_sub_overflow(a, b, &out);
    case Op::Multiply:
        return !__builtin_mul_overflow(a, b, &out);
    case Op::Divide:
    case Op::Modulo:
        // INT64_MIN / -1 overflows too; C++ truncates toward zero like KQL's integer division.
        if (b == 0 || (a == std::numeric_limits<qint64>::min() && b == -1)) {
            return false;
        }
        out = op == Op::Divide ? a / b : a % b;
        return true;
    default:
        return false;
    }
}

} // namespace

std::optional<qint64> CompiledFormula::evaluate(const Octets &octets) const
{
    if ((octets.present & m_octetsUsed) != m_octetsUsed || m_code.isEmpty()) {
        return std::nullopt;
    }
    qint64 stack[MaxStack];
    int top = -1;
    for (const Instruction &instruction : m_code) {
        switch (instruction.op) {
        case Op::Constant:
            stack[++top] = instruction.operand;
            break;
        case Op::Octet:
            stack[++top] = octets.value[std::size_t(instruction.operand)];
            break;
        case Op::Negate:
            if (stack[top] == std::numeric_limits<qint64>::min()) {
                return std::nullopt;
            }
            stack[top] = -stack[top];
            break;
        default:
            if (!apply(instruction.op, stack[top - 1], stack[top], stack[top - 1])) {
                return std::nullopt;
            }
            --top;
            break;
        }
    }
    return stack[0];
}

namespace {

int precedence(CompiledFormula::Op op)
{
    using Op = CompiledFormula::Op;
    switch (op) {
    case Op::Add:
    case Op::Subtract:
        return 1;
    case Op::Multiply:
    case Op::Divide:
    case Op::Modulo:
        return 2;
    case Op::Negate:
        return 3;
    default:
        return 4;
    }
}

QString symbol(CompiledFormula::Op op)
{
    using Op = CompiledFormula::Op;
    switch (op) {
    case Op::Add:
        return QStringLiteral(" + ");
    case Op::Subtract:
        return QStringLiteral(" - ");
    case Op::Multiply:
        return QStringLiteral(" * ");
    case Op::Divide:
        return QStringLiteral(" / ");
    default:
        return QStringLiteral(" % ");
    }
}

struct Infix
{
    QString text;
    int precedence = 4;
};

// "a - -b" reads as a typo in most query languages, so a negated right operand gets parentheses.
bool isNegation(const Infix &part)
{
    return part.text.startsWith(QLatin1Char('-'));
}

QString wrapped(const Infix &part, bool parenthesise)
{
    return parenthesise ? QLatin1Char('(') + part.text + QLatin1Char(')') : part.text;
}

} // namespace

QString CompiledFormula::toInfix(const std::array<QString, 4> &octetNames) const
{
    // Left operands keep their parentheses only when they bind looser; right operands also when
    // they bind equally, since neither '-' nor integer '/' is associative.
    QList<Infix> stack;
    for (const Instruction &instruction : m_code) {
        const int own = precedence(instruction.op);
        if (instruction.op == Op::Constant) {
            stack.append({QString::number(instruction.operand), own});
        } else if (instruction.op == Op::Octet) {
            stack.append({octetNames[std::size_t(instruction.operand)], own});
        } else if (instruction.op == Op::Negate) {
            const Infix operand = stack.takeLast();
            stack.append({QLatin1Char('-') + wrapped(operand, operand.precedence <= own), own});
        } else {
            const Infix right = stack.takeLast();
            const Infix left = stack.takeLast();
            stack.append({wrapped(left, left.precedence < own) + symbol(instruction.op)
                              + wrapped(right, right.precedence <= own || isNegation(right)),
                          own});
        }
    }
    return stack.isEmpty() ? QString() : stack.constLast().text;
}

} // namespace Portent
