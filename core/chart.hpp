#pragma once
// Line charts of one or more named series over a shared x: loss curves, gradient norms through
// time. Drawn two ways from the same description:
//   chart_text  in the terminal, readable without colour: one marker character per series
//               (*, o, +, x, ...), y-axis labels, the x range and a legend;
//   chart_svg   as an SVG picture (core/svg.hpp): axes, ticks, labels, legend and title.
//
//   Chart chart{.title = "training loss", .series = {{"train", losses}}, .x_label = "step"};
//   fmt::print("{}", chart_text(chart));
//   chart_svg(chart).save(tutorial::output_path("loss.svg"));
//
// Every value must be finite (and > 0 on a log-scale y); every series as long as x (or, without
// x, as long as each other): anything else is an Error naming the chart, the series and the value.

#include <string>
#include <vector>

#include "core/svg.hpp"

namespace glimpse {

struct Series {
    std::string name{};
    std::vector<double> y{};
};

struct Chart {
    std::string title{};
    std::vector<Series> series{};  // at most 8, drawn in order (a later one over an earlier)
    std::vector<double> x{};       // shared by every series; empty means 0, 1, 2, ...
    std::string x_label{};
    std::string y_label{};
    bool log_y = false;  // a logarithmic y axis, for values spanning decades
};

// The chart as text: a plot of width x height cells (each at least 2) under the title, the
// y-axis labels on the left, the x range below and a legend of markers.
std::string chart_text(const Chart& chart, int width = 60, int height = 15);
// The chart as an SVG picture of width x height pixels (at least 200 x 150), one polyline per
// series.
Svg chart_svg(const Chart& chart, double width = 640, double height = 400);

}  // namespace glimpse
