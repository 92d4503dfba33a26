#include "app/cli/text_table.h"

#include <algorithm>
#include <cstdio>
#include <ostream>

namespace gt::cli {

TextTable::TextTable(std::vector<std::string> headers) {
    for (std::string& h : headers) {
        const bool right = !h.empty() && h[0] == '>';
        m_right.push_back(right);
        m_headers.push_back(right ? h.substr(1) : h);
    }
}

void TextTable::addRow(std::vector<std::string> cells) {
    cells.resize(m_headers.size());
    m_rows.push_back(std::move(cells));
}

void TextTable::print(std::ostream& out) const {
    std::vector<size_t> width(m_headers.size());
    for (size_t c = 0; c < width.size(); ++c) {
        width[c] = m_headers[c].size();
        for (const auto& r : m_rows)
            width[c] = std::max(width[c], r[c].size());
    }
    auto line = [&](const std::vector<std::string>& cells) {
        std::string s;
        for (size_t c = 0; c < cells.size(); ++c) {
            const std::string pad(width[c] - cells[c].size(), ' ');
            s += (c ? "  " : "") + (m_right[c] ? pad + cells[c] : cells[c] + pad);
        }
        s.erase(s.find_last_not_of(' ') + 1);
        out << s << "\n";
    };
    line(m_headers);
    for (const auto& r : m_rows)
        line(r);
}

std::string TextTable::compact(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

std::string TextTable::number(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string TextTable::clock(double seconds) {
    const auto s = static_cast<long>(seconds + 0.5);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    return buf;
}

} // namespace gt::cli
