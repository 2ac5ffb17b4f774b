#include "attention/heatmap.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string_view>

#include "core/check.hpp"
#include "core/error.hpp"
#include "core/svg.hpp"

namespace glimpse::attention {

namespace {

constexpr int64_t kMaxLabelWidth = 8;  // columns wider than this truncate their labels

// weights as rows of doubles in [0, 1], after checking that the labels fit its shape.
std::vector<std::vector<double>> checked_rows(const char* op, const Tensor& weights,
                                              const std::vector<std::string>& row_labels,
                                              const std::vector<std::string>& column_labels) {
    check_floating(op, weights);
    if (weights.dim() != 2 || weights.size(0) != static_cast<int64_t>(row_labels.size()) ||
        weights.size(1) != static_cast<int64_t>(column_labels.size())) {
        throw Error(
            fmt::format("{}: weights {} must be [T, S] for {} row labels and {} column labels", op,
                        describe(weights), row_labels.size(), column_labels.size()));
    }
    const std::vector<double> values = weights.to_vector();
    std::vector<std::vector<double>> rows(row_labels.size());
    for (std::size_t t = 0; t < rows.size(); ++t) {
        for (std::size_t s = 0; s < column_labels.size(); ++s) {
            const double w = values[t * column_labels.size() + s];
            rows[t].push_back(std::isnan(w) ? 0.0 : std::clamp(w, 0.0, 1.0));
        }
    }
    return rows;
}

// Characters, not bytes, of UTF-8 text: a label's width in a monospace terminal.
int64_t width_of(std::string_view text) {
    return std::count_if(text.begin(), text.end(),
                         [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

// `text` cut or padded with spaces to `width` characters.
std::string fit(std::string_view text, int64_t width, bool right_align = false) {
    std::string out;
    int64_t used = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool starts_character = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
        if (starts_character && used == width) break;
        used += starts_character ? 1 : 0;
        out += text[i];
    }
    const std::string padding(static_cast<std::size_t>(width - used), ' ');
    return right_align ? padding + out : out + padding;
}

int64_t widest(const std::vector<std::string>& labels, int64_t at_least, int64_t at_most) {
    int64_t width = at_least;
    for (const std::string& label : labels) width = std::max(width, width_of(label));
    return std::min(width, at_most);
}

// ' ', '░', '▒', '▓' or '█' for weights 0, 1/4, 1/2, 3/4, 1 (rounded to the nearest).
std::string_view shade(double w) {
    static constexpr std::string_view kShades[] = {" ", "░", "▒", "▓", "█"};
    return kShades[static_cast<int>(std::lround(w * 4))];
}

// A grey of xterm's 24-level ramp (232 black ... 255 near white): brighter for more weight.
int grey_level(double w) {
    return 232 + static_cast<int>(std::lround(w * 23));
}

// White (0) to dark blue (1), as an SVG colour.
std::string blue(double w) {
    const auto mix = [w](int from, int to) {
        return static_cast<int>(std::lround(from + (to - from) * w));
    };
    return fmt::format("#{:02x}{:02x}{:02x}", mix(255, 8), mix(255, 48), mix(255, 107));
}

}  // namespace

bool terminal_has_256_colours() {
    if (isatty(STDOUT_FILENO) == 0 || std::getenv("NO_COLOR") != nullptr) return false;
    const char* term = std::getenv("TERM");
    const char* colorterm = std::getenv("COLORTERM");
    return (term != nullptr && std::string_view(term).find("256color") != std::string_view::npos) ||
           (colorterm != nullptr && *colorterm != '\0');
}

std::string heatmap_text(const Tensor& weights, const std::vector<std::string>& row_labels,
                         const std::vector<std::string>& column_labels, TerminalColour colour) {
    const auto rows = checked_rows("heatmap_text", weights, row_labels, column_labels);
    const bool painted = colour == TerminalColour::Colour256 ||
                         (colour == TerminalColour::Auto && terminal_has_256_colours());
    const int64_t label_width = widest(row_labels, 1, 2 * kMaxLabelWidth);
    const int64_t cell = widest(column_labels, 2, kMaxLabelWidth);
    std::string out = std::string(label_width + 1, ' ');
    for (const std::string& label : column_labels) out += fit(label, cell) + " ";
    out += "\n";
    for (std::size_t t = 0; t < rows.size(); ++t) {
        out += fit(row_labels[t], label_width, true) + " ";
        for (const double w : rows[t]) {
            std::string glyphs;
            for (int64_t i = 0; i < cell; ++i) glyphs += shade(w);
            out += painted ? fmt::format("\x1b[48;5;{}m{}\x1b[0m ", grey_level(w), glyphs)
                           : glyphs + " ";
        }
        out += "\n";
    }
    out += fmt::format("{}scale: ' ' 0  ░ 0.25  ▒ 0.5  ▓ 0.75  █ 1\n",
                       std::string(label_width + 1, ' '));
    return out;
}

namespace {

// The picture of heatmap_svg; `op` names the caller in errors.
Svg heatmap_picture(const char* op, const Tensor& weights,
                    const std::vector<std::string>& row_labels,
                    const std::vector<std::string>& column_labels, const std::string& title) {
    const auto rows = checked_rows(op, weights, row_labels, column_labels);
    constexpr double kCell = 28, kLabelChar = 7.5, kScaleWidth = 16, kScaleSteps = 20;
    const double left = 12 + kLabelChar * static_cast<double>(widest(row_labels, 1, 24));
    const double top =
        (title.empty() ? 12 : 36) + kLabelChar * static_cast<double>(widest(column_labels, 1, 24));
    const double grid_width = kCell * static_cast<double>(column_labels.size());
    const double grid_height = kCell * static_cast<double>(row_labels.size());
    const double scale_x = left + grid_width + 24;
    const double scale_height = std::max(grid_height, 120.0);
    const double title_width = 24 + 8.5 * static_cast<double>(title.size());
    Svg svg(std::max(scale_x + kScaleWidth + 48, title_width), top + scale_height + 16);
    if (!title.empty()) svg.text(12, 22, title, {.size = 15});

    for (std::size_t s = 0; s < column_labels.size(); ++s) {  // source tokens, read upwards
        const double x = left + kCell * (static_cast<double>(s) + 0.5) + 4;
        svg.text(x, top - 6, column_labels[s], {.rotate = -90});
    }
    for (std::size_t t = 0; t < rows.size(); ++t) {
        const double y = top + kCell * static_cast<double>(t);
        svg.text(left - 6, y + kCell / 2 + 4, row_labels[t], {.anchor = "end"});
        for (std::size_t s = 0; s < rows[t].size(); ++s) {
            const double w = rows[t][s];
            const double x = left + kCell * static_cast<double>(s);
            svg.rect(x, y, kCell, kCell, blue(w), "#dddddd");
            // The value, in a colour that stays readable on the cell.
            svg.text(x + kCell / 2, y + kCell / 2 + 3, fmt::format("{:.2f}", w),
                     {.size = 8, .anchor = "middle", .fill = w > 0.5 ? "#ffffff" : "#555555"});
        }
    }
    // The colour scale: 1 at the top, 0 at the bottom.
    const double step = scale_height / kScaleSteps;
    for (int i = 0; i < kScaleSteps; ++i) {
        const double w = 1.0 - (i + 0.5) / kScaleSteps;
        svg.rect(scale_x, top + step * i, kScaleWidth, step + 0.5, blue(w));
    }
    for (const double w : {0.0, 0.5, 1.0}) {
        svg.text(scale_x + kScaleWidth + 6, top + scale_height * (1 - w) + 4,
                 fmt::format("{:.1f}", w));
    }
    return svg;
}

}  // namespace

std::string heatmap_svg(const Tensor& weights, const std::vector<std::string>& row_labels,
                        const std::vector<std::string>& column_labels, const std::string& title) {
    return heatmap_picture("heatmap_svg", weights, row_labels, column_labels, title).str();
}

void save_heatmap_svg(const std::string& path, const Tensor& weights,
                      const std::vector<std::string>& row_labels,
                      const std::vector<std::string>& column_labels, const std::string& title) {
    heatmap_picture("save_heatmap_svg", weights, row_labels, column_labels, title).save(path);
}

}  // namespace glimpse::attention
