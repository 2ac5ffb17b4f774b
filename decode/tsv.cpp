#include "decode/tsv.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "decode/text_lines.hpp"

namespace glimpse::decode {

namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr std::size_t kMalformedShown = 10;  // lines listed in the error; the rest are counted

// Without the spaces and byte order marks around it: a mark is invisible, and files joined with
// cat carry theirs into the middle of the text.
std::string_view trim_spaces(std::string_view text) {
    while (true) {
        if (text.starts_with(' ')) {
            text.remove_prefix(1);
        } else if (text.starts_with(kByteOrderMark)) {
            text.remove_prefix(kByteOrderMark.size());
        } else if (text.ends_with(' ')) {
            text.remove_suffix(1);
        } else if (text.ends_with(kByteOrderMark)) {
            text.remove_suffix(kByteOrderMark.size());
        } else {
            return text;
        }
    }
}

// Bytes in a valid UTF-8 sequence at the start of `text` (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), or 0 when it does not start with one.
std::size_t utf8_sequence_length(std::string_view text) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(0);
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;   // overlong
        if (lead == 0xED) high = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;   // overlong
        if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
        return 0;
    }
    if (text.size() < length || byte(1) < low || byte(1) > high) return 0;
    for (std::size_t i = 2; i < length; ++i) {
        if ((byte(i) & 0xC0) != 0x80) return 0;
    }
    return length;
}

// A line that is not text: invalid UTF-8 (a file in another encoding) or a control character
// other than the tab (binary data). Columns count bytes from 1.
std::string not_text(std::string_view line) {
    for (std::size_t i = 0; i < line.size();) {
        const auto byte = static_cast<unsigned char>(line[i]);
        if ((byte < 0x20 && byte != '\t') || byte == 0x7F) {
            return fmt::format("control character 0x{:02X} at byte {} (binary data?)", byte, i + 1);
        }
        const std::size_t length = utf8_sequence_length(line.substr(i));
        if (length == 0) {
            return fmt::format("invalid UTF-8 at byte {} (0x{:02X}; save the file as UTF-8)", i + 1,
                               byte);
        }
        i += length;
    }
    return "";
}

// What is wrong with a line's first two columns, or nothing.
std::string problem(std::string_view line, std::string_view source, std::string_view target,
                    bool has_tab) {
    if (std::string text = not_text(line); !text.empty()) return text;
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
        const std::string what = problem(line, source, target, has_tab);
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
