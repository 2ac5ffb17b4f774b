#include "decode/tsv.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "decode/text_lines.hpp"

namespace glimpse::decode {

namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr std::size_t kMalformedShown = 10;  // lines listed in the error; the rest are counted

std::string_view trim_spaces(std::string_view text) {
    const std::size_t first = text.find_first_not_of(' ');
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

// What is wrong with a line's first two columns, or nothing.
std::string problem(std::string_view source, std::string_view target, bool has_tab) {
    if (!has_tab) return "no tab between source and target";
    if (source.empty() && target.empty()) return "empty source and target";
    if (source.empty()) return "empty source";
    if (target.empty()) return "empty target";
    return "";
}

}  // namespace

std::vector<Example> parse_tsv(std::string_view text, std::string_view who) {
    if (text.starts_with(kByteOrderMark)) text.remove_prefix(kByteOrderMark.size());
    std::vector<Example> examples;
    std::vector<std::string> malformed;  // "line 3: no tab ..."
    for_each_line(text, [&](std::size_t line_number, std::string_view line) {
        if (trim_spaces(line).empty()) return;
        const std::size_t tab = line.find('\t');
        const bool has_tab = tab != std::string_view::npos;
        const std::string_view source = trim_spaces(line.substr(0, tab));
        const std::string_view rest = has_tab ? line.substr(tab + 1) : std::string_view{};
        const std::string_view target = trim_spaces(rest.substr(0, rest.find('\t')));
        const std::string what = problem(source, target, has_tab);
        if (!what.empty()) {
            malformed.push_back(fmt::format("line {}: {}", line_number, what));
            return;
        }
        examples.push_back({std::string(source), std::string(target)});
    });
    if (!malformed.empty()) {
        std::string message =
            fmt::format("{}: {} malformed line{} (expected source<TAB>target):", who,
                        malformed.size(), malformed.size() == 1 ? "" : "s");
        for (std::size_t i = 0; i < malformed.size() && i < kMalformedShown; ++i) {
            message += "\n  " + malformed[i];
        }
        if (malformed.size() > kMalformedShown) {
            message += fmt::format("\n  ... and {} more", malformed.size() - kMalformedShown);
        }
        throw Error(message);
    }
    if (examples.empty()) throw Error(fmt::format("{}: no sentence pairs", who));
    return examples;
}

std::vector<Example> load_tsv(const std::string& path) {
    const std::string who = "tsv " + path;
    return parse_tsv(read_file(path, who), who);
}

}  // namespace glimpse::decode
