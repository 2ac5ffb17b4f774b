#include <doctest/doctest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "core/chart.hpp"
#include "core/error.hpp"

using namespace glimpse;

namespace {

// The plot's cells of a chart_text drawing: the part of each "label |cells" row after the '|'.
std::vector<std::string> plot_rows(const std::string& text) {
    std::vector<std::string> rows;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        const auto bar = line.find(" |");
        if (bar == 10) rows.push_back(line.substr(bar + 2));
    }
    return rows;
}

int count(const std::string& text, const std::string& what) {
    int n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("chart_text: a known series puts its marker in the expected cells") {
    const Chart chart{.title = "ramp", .series = {{"up", {0, 1, 2, 3}}, {"flat", {1, 1, 1, 1}}}};
    const std::string text = chart_text(chart, 4, 4);
    const std::vector<std::string> rows = plot_rows(text);
    REQUIRE(rows.size() == 4);
    CHECK(rows[0] == "   *");  // y = 3 at x = 3: top right
    CHECK(rows[1] == "  * ");
    CHECK(rows[2] == "oooo");  // y = 1 everywhere, drawn after (over) "up" at x = 1
    CHECK(rows[3] == "*   ");  // y = 0 at x = 0: bottom left
    CHECK(text.find("ramp\n") == 0);
    CHECK(text.find("         3 |") != std::string::npos);  // the top row's y label
    CHECK(text.find("         0 |") != std::string::npos);  // the bottom row's
    CHECK(text.find("  0  3") != std::string::npos);        // the x range
    CHECK(text.find("* up   o flat") != std::string::npos);
}

TEST_CASE("chart_text: columns between distant points are filled along the line") {
    const Chart chart{.series = {{"a", {0, 10}}}, .x = {0, 10}};
    const std::vector<std::string> rows = plot_rows(chart_text(chart, 11, 11));
    REQUIRE(rows.size() == 11);
    for (int c = 0; c <= 10; ++c) CHECK(rows[10 - c][c] == '*');  // the diagonal, every cell
}

TEST_CASE("chart_text: a log-scale y spaces decades evenly") {
    const Chart chart{.series = {{"g", {1, 10, 100}}}, .y_label = "norm", .log_y = true};
    const std::string text = chart_text(chart, 3, 3);
    const std::vector<std::string> rows = plot_rows(text);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0] == "  *");
    CHECK(rows[1] == " * ");  // 10 is halfway between 1 and 100 on a log axis
    CHECK(rows[2] == "*  ");
    CHECK(text.find("norm (log scale)") != std::string::npos);
    CHECK(text.find("       100 |") != std::string::npos);
}

TEST_CASE("chart_svg: one polyline per series, a legend, the title and axis labels") {
    const Chart chart{.title = "loss & accuracy",
                      .series = {{"train", {1.0, 0.5, 0.25}}, {"valid", {1.1, 0.7, 0.6}}},
                      .x = {0, 50, 100},
                      .x_label = "step",
                      .y_label = "loss"};
    const std::string doc = chart_svg(chart).str();
    CHECK(count(doc, "<polyline") == 2);
    CHECK(count(doc, "stroke=\"#1f77b4\"") == 2);  // train's line and its legend entry
    CHECK(count(doc, "stroke=\"#d62728\"") == 2);
    CHECK(doc.find(">loss &amp; accuracy</text>") != std::string::npos);
    CHECK(doc.find(">train</text>") != std::string::npos);
    CHECK(doc.find(">valid</text>") != std::string::npos);
    CHECK(doc.find(">step</text>") != std::string::npos);
    CHECK(doc.find(">100</text>") != std::string::npos);  // an x tick at the end of the range
}

TEST_CASE("chart_svg: a log-scale y has its ticks at powers of ten") {
    const Chart chart{.series = {{"g", {1e-4, 1e-2, 1}}}, .log_y = true};
    const std::string doc = chart_svg(chart).str();
    CHECK(doc.find(">0.0001</text>") != std::string::npos);
    CHECK(doc.find(">0.001</text>") != std::string::npos);
    CHECK(doc.find(">1</text>") != std::string::npos);
    CHECK(doc.find("(log scale)</text>") != std::string::npos);
}

TEST_CASE("charts: bad input is an error naming the chart, the series and the value") {
    const double nan = std::nan("");
    CHECK_THROWS_WITH_AS(chart_text(Chart{.title = "t"}),
                         doctest::Contains("chart_text: chart 't' has no series to draw"), Error);
    CHECK_THROWS_WITH_AS(chart_svg(Chart{.series = {{"a", {}}}}),
                         doctest::Contains("chart_svg: chart: series 'a' has no values"), Error);
    CHECK_THROWS_WITH_AS(chart_text(Chart{.series = {{"a", {1, 2}}, {"b", {1, 2, 3}}}}),
                         doctest::Contains("series 'b' has 3 values but series 'a' has 2"), Error);
    CHECK_THROWS_WITH_AS(chart_text(Chart{.series = {{"a", {1, 2}}}, .x = {0, 1, 2}}),
                         doctest::Contains("series 'a' has 2 values but x has 3"), Error);
    CHECK_THROWS_WITH_AS(chart_text(Chart{.series = {{"a", {1, nan}}}}),
                         doctest::Contains("series 'a' value [1] is nan"), Error);
    CHECK_THROWS_WITH_AS(chart_svg(Chart{.series = {{"a", {1, 2}}}, .x = {0, INFINITY}}),
                         doctest::Contains("x[1] is inf"), Error);
    CHECK_THROWS_WITH_AS(chart_text(Chart{.series = {{"a", {1, 0}}}, .log_y = true}),
                         doctest::Contains("value [1] is 0: a log-scale y needs values > 0"),
                         Error);
    const Series one{"s", {1}};
    CHECK_THROWS_WITH_AS(chart_text(Chart{.series = {one, one, one, one, one, one, one, one, one}}),
                         doctest::Contains("has 9 series; at most 8"), Error);
    CHECK_THROWS_WITH_AS(chart_text(Chart{.series = {one}}, 1, 5),
                         doctest::Contains("needs at least 2 x 2 cells, got 1 x 5"), Error);
    CHECK_THROWS_WITH_AS(chart_svg(Chart{.series = {one}}, 100, 100),
                         doctest::Contains("needs at least 200 x 150 pixels"), Error);
}

TEST_CASE("charts: a single point or a flat line still draws") {
    const Chart chart{.series = {{"one", {5}}}};
    const std::vector<std::string> rows = plot_rows(chart_text(chart, 3, 3));
    REQUIRE(rows.size() == 3);
    CHECK(rows[1] == " * ");  // the lone point in the middle of the widened ranges
    CHECK(count(chart_svg(chart).str(), "<polyline") == 1);
}
