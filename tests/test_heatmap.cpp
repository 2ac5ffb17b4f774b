// Tests of attention/heatmap.cpp: the terminal picture (labels, one shade per weight, the
// 256-colour background only when asked), the SVG (labels, one cell per weight coloured by it, a
// colour scale), and their errors.

#include "attention/heatmap.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "core/file_io.hpp"

using namespace glimpse;
using namespace glimpse::attention;

namespace {

int count(const std::string& text, const std::string& part) {
    int n = 0;
    for (std::size_t at = text.find(part); at != std::string::npos;
         at = text.find(part, at + part.size())) {
        ++n;
    }
    return n;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t end = text.find('\n'); end != std::string::npos;
         start = end + 1, end = text.find('\n', start)) {
        lines.push_back(text.substr(start, end - start));
    }
    return lines;
}

// Rows: "le" attends to "the", "chat" to "cat" mostly, "<eos>" evenly-ish.
const Tensor kWeights = tensor({1.0, 0.0, 0.0, 0.1, 0.76, 0.14, 0.25, 0.25, 0.5}, {3, 3});
const std::vector<std::string> kRows = {"le", "chat", "<eos>"};
const std::vector<std::string> kColumns = {"the", "cat", "."};

}  // namespace

TEST_CASE("heatmap_text: labelled rows and columns, one shade per weight, no colour when plain") {
    const std::string text = heatmap_text(kWeights, kRows, kColumns, TerminalColour::Plain);
    const std::vector<std::string> lines = lines_of(text);
    REQUIRE(lines.size() == 5);  // column labels, 3 rows, the scale
    CHECK(lines[0] == "      the cat .   ");
    // Cells are 3 characters wide (the widest column label); 1 -> █, 0 -> ' ', 0.76 -> ▓,
    // 0.14 -> ░ (rounded to 0.25), 0.1 -> ' ', 0.25 -> ░, 0.5 -> ▒.
    CHECK(lines[1] == "   le ███         ");
    CHECK(lines[2] == " chat     ▓▓▓ ░░░ ");
    CHECK(lines[3] == "<eos> ░░░ ░░░ ▒▒▒ ");
    CHECK(lines[4].find("scale: ' ' 0  ░ 0.25  ▒ 0.5  ▓ 0.75  █ 1") != std::string::npos);
    CHECK(text.find('\x1b') == std::string::npos);
}

TEST_CASE("heatmap_text: 256 colours paint each cell's background, grey brighter for more") {
    const std::string text = heatmap_text(kWeights, kRows, kColumns, TerminalColour::Colour256);
    CHECK(count(text, "\x1b[48;5;") == 9);
    CHECK(count(text, "\x1b[0m") == 9);
    CHECK(text.find("\x1b[48;5;255m███\x1b[0m") != std::string::npos);  // weight 1
    CHECK(text.find("\x1b[48;5;232m   \x1b[0m") != std::string::npos);  // weight 0
    CHECK(text.find("\x1b[48;5;244m▒▒▒\x1b[0m") != std::string::npos);  // 0.5: 232 + 12
}

TEST_CASE("heatmap_text: Auto is plain when stdout is not a 256-colour terminal") {
    if (terminal_has_256_colours()) return;  // run interactively: nothing to compare
    CHECK(heatmap_text(kWeights, kRows, kColumns) ==
          heatmap_text(kWeights, kRows, kColumns, TerminalColour::Plain));
}

TEST_CASE("heatmap_text: long and UTF-8 labels are cut by characters, not bytes") {
    const std::string text = heatmap_text(tensor({0.5, 0.5}, {1, 2}), {"résumé"},
                                          {"internationalisation", "été"}, TerminalColour::Plain);
    const std::vector<std::string> lines = lines_of(text);
    CHECK(lines[0] == "       internat été      ");
    CHECK(lines[1].find("résumé ▒▒▒▒▒▒▒▒ ▒▒▒▒▒▒▒▒ ") == 0);
}

TEST_CASE("heatmap_svg: labels, one cell per weight coloured by it, a colour scale") {
    const std::string svg = heatmap_svg(kWeights, kRows, kColumns, "alignment <test>");
    CHECK(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\"") == 0);
    CHECK(svg.find(">alignment &lt;test&gt;</text>") != std::string::npos);
    for (const std::string label : {"le", "chat", "&lt;eos&gt;", "the", "cat", "."}) {
        CHECK(svg.find(">" + label + "</text>") != std::string::npos);
    }
    CHECK(count(svg, "fill=\"#08306b\" stroke=\"#dddddd\"") == 1);  // the one weight of 1
    CHECK(count(svg, "fill=\"#ffffff\" stroke=\"#dddddd\"") == 2);  // the two weights of 0
    CHECK(count(svg, "stroke=\"#dddddd\"") == 9);
    CHECK(count(svg, ">0.76</text>") == 1);
    CHECK(count(svg, "stroke=\"none\"") == 20);  // the colour scale's steps
    for (const std::string tick : {">0.0</text>", ">0.5</text>", ">1.0</text>"}) {
        CHECK(svg.find(tick) != std::string::npos);
    }
}

TEST_CASE("save_heatmap_svg writes the document") {
    const std::string path =
        (std::filesystem::temp_directory_path() / "glimpse_test_heatmap.svg").string();
    save_heatmap_svg(path, kWeights, kRows, kColumns);
    CHECK(read_file(path, "test") == heatmap_svg(kWeights, kRows, kColumns));
    std::filesystem::remove(path);
}

TEST_CASE("heatmap: errors name the function and the shapes") {
    CHECK_THROWS_WITH_AS(heatmap_text(kWeights, {"a", "b"}, kColumns),
                         doctest::Contains("heatmap_text: weights [3, 3] float32 must be [T, S] "
                                           "for 2 row labels and 3 column labels"),
                         Error);
    CHECK_THROWS_WITH_AS(heatmap_svg(zeros({3}), kRows, kColumns),
                         doctest::Contains("heatmap_svg: weights [3] float32 must be [T, S]"),
                         Error);
    CHECK_THROWS_WITH_AS(save_heatmap_svg("/nonexistent-dir/x.svg", kWeights, kRows, kColumns),
                         doctest::Contains("/nonexistent-dir/x.svg"), Error);
}
