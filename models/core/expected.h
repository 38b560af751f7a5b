// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace Portent {

// A user-ready failure: the message names the object (file, line, field, rule) and the next step.
struct Error
{
    QString message;
};

// Either a value or an Error. std::expected is C++23 and GCC 12 lacks it, so this is the small
// subset Portent needs. Expected failures travel as values; the core never throws across modules.
template<typename T> class Expected
{
public:
    Expected(T value)
        : m_state(std::move(value))
    {}
    Expected(Error error)
        : m_state(std::move(error))
    {}

    bool hasValue() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return hasValue(); }

    T &value() { return std::get<T>(m_state); }
    const T &value() const { return std::get<T>(m_state); }
    T &operator*() { return value(); }
    const T &operator*() const { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }

    const Error &error() const { return std::get<Error>(m_state); }
    QString errorMessage() const { return hasValue() ? QString() : error().message; }

private:
    std::variant<T, Error> m_state;
};

// For operations that return nothing but may fail.
struct Done
{};
using Status = Expected<Done>;

inline Status ok()
{
    return Done{};
}

} // namespace Portent
