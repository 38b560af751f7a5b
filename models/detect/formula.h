// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"

#include <QList>
#include <QString>

#include <array>
#include <cstdint>
#include <optional>

namespace Portent {

// Where and why a formula failed to parse, for underlining it while the user types.
struct FormulaError
{
    int position = 0; // 0-based offset into the expression text
    QString message;  // already names the position, e.g. "unexpected ')' at column 7"
};

// The octets of one address as a rule reads them. A missing octet (KQL's null) is not set in
// the mask, and any formula that uses it yields null.
struct Octets
{
    std::array<qint64, 4> value{};
    std::uint8_t present = 0; // bit i set: value[i] is known

    bool has(int index) const { return (present >> index) & 1U; }
};

// A port formula over o1..o4 (oct1..oct4 are accepted too), integer literals, + - * / %, unary
// minus and parentheses, compiled once into postfix code so evaluating it per endpoint costs a
// few dozen instructions. Arithmetic is 64-bit; a null operand, division or remainder by zero,
// and overflow all give null, which matches no port.
class CompiledFormula
{
public:
    CompiledFormula() = default;

    static Expected<CompiledFormula> compile(const QString &expression,
                                             FormulaError *detail = nullptr);

    std::optional<qint64> evaluate(const Octets &octets) const;

    // Bit i set: the formula reads o(i+1). Lets callers skip endpoints missing those octets.
    std::uint8_t octetsUsed() const { return m_octetsUsed; }

    // The formula in infix with minimal parentheses, octets named by the caller (KQL export).
    QString toInfix(const std::array<QString, 4> &octetNames) const;

    enum class Op : std::uint8_t { Constant, Octet, Add, Subtract, Multiply, Divide, Modulo, Negate };
    struct Instruction
    {
        Op op = Op::Constant;
        qint64 operand = 0; // the constant, or the octet index
    };

private:
    QList<Instruction> m_code;
    int m_maxStack = 0;
    std::uint8_t m_octetsUsed = 0;

    friend class FormulaParser;
};

} // namespace Portent
