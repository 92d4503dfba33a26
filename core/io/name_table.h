// One table per enum: each value with its name (and accepted spellings), read both ways, so
// that printing and parsing cannot drift apart as a switch and an if-chain can.
#pragma once

#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>

namespace gt::io {

template <typename E> struct EnumName {
    E value;
    const char* name; ///< the first entry of a value is how it is printed; later ones are aliases
};

template <typename E, std::size_t N> class NameTable {
public:
    /// `what` names the kind of value in errors: "unknown <what> 'x' (expected a, b or c)".
    constexpr NameTable(const char* what, std::array<EnumName<E>, N> entries)
        : m_what(what)
        , m_entries(entries) {}

    std::string name(E value) const {
        for (const auto& e : m_entries)
            if (e.value == value) return e.name;
        throw std::logic_error(std::string("no name for a ") + m_what + " value");
    }

    E parse(const std::string& text) const {
        for (const auto& e : m_entries)
            if (text == e.name) return e.value;
        throw std::invalid_argument("unknown " + std::string(m_what) + " '" + text +
                                    "' (expected " + choices() + ")");
    }

    /// Every accepted spelling, "a, b or c".
    std::string choices() const {
        std::string out;
        for (std::size_t i = 0; i < N; ++i)
            out += std::string(i == 0 ? "" : i + 1 == N ? " or " : ", ") + m_entries[i].name;
        return out;
    }

private:
    const char* m_what;
    std::array<EnumName<E>, N> m_entries;
};

} // namespace gt::io
