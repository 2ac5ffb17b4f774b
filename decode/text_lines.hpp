#pragma once
// Walking a text file's lines, as the loaders of decode/ read them: '\n' ends a line, a '\r'
// before it is dropped (Windows line ends), and a last line without '\n' still counts.

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace glimpse::decode {

// Calls visit(line_number, line) for every line, numbered from 1 (blank ones included).
template <typename Visit>
void for_each_line(std::string_view text, Visit&& visit) {
    std::size_t line_number = 0;
    while (!text.empty()) {
        ++line_number;
        const std::size_t end = std::min(text.find('\n'), text.size());
        std::string_view line = text.substr(0, end);
        text.remove_prefix(std::min(end + 1, text.size()));
        if (line.ends_with('\r')) line.remove_suffix(1);
        visit(line_number, line);
    }
}

}  // namespace glimpse::decode
