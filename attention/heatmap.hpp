#pragma once
// Attention weights as a picture: rows are output tokens, columns source tokens, each cell as
// dark or bright as the weight, both axes labelled. An alignment reads off at a glance: a
// diagonal for a copy, an anti-diagonal for a reversal.
//
// In the terminal, each cell is shaded with one of ' ░▒▓█' (weights 0, 1/4, 1/2, 3/4, 1,
// rounded), readable without colour and in a log file; on a terminal that has 256 colours the
// cell is also painted with a grey background of 24 levels. As SVG, a standalone file that
// opens in any browser, with a colour scale from 0 to 1 beside it.

#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace glimpse::attention {

enum class TerminalColour {
    Auto,      // 256 colours when terminal_has_256_colours(), else Plain
    Plain,     // shaded blocks only
    Colour256  // shaded blocks on a 256-colour background
};

// True when stdout is a terminal, NO_COLOR is unset, and TERM contains "256color" or COLORTERM
// is set (how terminals announce their colours).
bool terminal_has_256_colours();

// weights [T, S] with values in [0, 1] (as attention gives them; others are clamped),
// row_labels T output tokens, column_labels S source tokens. Returns the lines to print.
std::string heatmap_text(const Tensor& weights, const std::vector<std::string>& row_labels,
                         const std::vector<std::string>& column_labels,
                         TerminalColour colour = TerminalColour::Auto);

// The same as a standalone SVG document, with `title` above it (none when empty).
std::string heatmap_svg(const Tensor& weights, const std::vector<std::string>& row_labels,
                        const std::vector<std::string>& column_labels,
                        const std::string& title = "");
// Writes heatmap_svg to `path` atomically.
void save_heatmap_svg(const std::string& path, const Tensor& weights,
                      const std::vector<std::string>& row_labels,
                      const std::vector<std::string>& column_labels, const std::string& title = "");

}  // namespace glimpse::attention
