// Aligned plain-text tables for the CLI: left-aligned text columns, right-aligned numbers.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace gt::cli {

class TextTable {
public:
    /// A header starting with '>' is right-aligned (numbers); the '>' is not printed.
    explicit TextTable(std::vector<std::string> headers);
    void addRow(std::vector<std::string> cells);
    void print(std::ostream& out) const;

    static std::string number(double v, int decimals);
    /// Six significant digits as a stream prints them: 0.0005, 0.5, 0.00199268.
    static std::string compact(double v);
    /// Seconds as "h:mm:ss" (progress lines, ETAs).
    static std::string clock(double seconds);

private:
    std::vector<std::string> m_headers;
    std::vector<bool> m_right;
    std::vector<std::vector<std::string>> m_rows;
};

} // namespace gt::cli
