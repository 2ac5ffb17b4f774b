#include "core/chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "core/error.hpp"

namespace glimpse {

namespace {

constexpr std::string_view kMarkers = "*o+x#@%&";  // one per series in the terminal
constexpr std::array<std::string_view, 8> kColours = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                                      "#9467bd", "#8c564b", "#e377c2", "#17becf"};

std::string chart_name(const Chart& chart) {
    return chart.title.empty() ? "chart" : fmt::format("chart '{}'", chart.title);
}

// A range [lo, hi] that is never empty: a single value v becomes [v - 1, v + 1].
struct Range {
    double lo;
    double hi;
    double span() const { return hi - lo; }
};

Range range_of(const std::vector<double>& values, Range seed) {
    for (const double v : values) seed = {std::min(seed.lo, v), std::max(seed.hi, v)};
    return seed;
}

Range widened(Range range) {
    return range.span() > 0 ? range : Range{range.lo - 1, range.hi + 1};
}

// The chart's numbers, checked and ready to draw: the x of every point, each series' y on the
// drawn scale (log10 y on a log axis), and the ranges they span.
struct Plotted {
    std::vector<double> x;
    std::vector<std::vector<double>> y;
    Range x_range;
    Range y_range;
};

Plotted prepare(const char* who, const Chart& chart) {
    const std::string name = chart_name(chart);
    if (chart.series.empty()) throw Error(fmt::format("{}: {} has no series to draw", who, name));
    if (chart.series.size() > kMarkers.size()) {
        throw Error(fmt::format("{}: {} has {} series; at most {} (one marker each)", who, name,
                                chart.series.size(), kMarkers.size()));
    }
    const std::size_t points = chart.x.empty() ? chart.series[0].y.size() : chart.x.size();
    const std::string length_source =
        chart.x.empty() ? fmt::format("series '{}'", chart.series[0].name) : "x";
    for (std::size_t i = 0; i < chart.x.size(); ++i) {
        if (!std::isfinite(chart.x[i])) {
            throw Error(fmt::format("{}: {}: x[{}] is {}", who, name, i, chart.x[i]));
        }
    }
    Plotted plotted;
    for (const Series& series : chart.series) {
        if (series.y.empty()) {
            throw Error(fmt::format("{}: {}: series '{}' has no values", who, name, series.name));
        }
        if (series.y.size() != points) {
            throw Error(fmt::format("{}: {}: series '{}' has {} values but {} has {}", who, name,
                                    series.name, series.y.size(), length_source, points));
        }
        std::vector<double> drawn;
        for (std::size_t i = 0; i < series.y.size(); ++i) {
            const double y = series.y[i];
            if (!std::isfinite(y)) {
                throw Error(fmt::format("{}: {}: series '{}' value [{}] is {}", who, name,
                                        series.name, i, y));
            }
            if (chart.log_y && y <= 0) {
                throw Error(fmt::format(
                    "{}: {}: series '{}' value [{}] is {}: a log-scale y needs values > 0", who,
                    name, series.name, i, y));
            }
            drawn.push_back(chart.log_y ? std::log10(y) : y);
        }
        plotted.y.push_back(std::move(drawn));
    }
    plotted.x = chart.x;
    if (plotted.x.empty()) {
        for (std::size_t i = 0; i < points; ++i) plotted.x.push_back(static_cast<double>(i));
    }
    plotted.x_range = widened(range_of(plotted.x, {plotted.x[0], plotted.x[0]}));
    Range y_range{plotted.y[0][0], plotted.y[0][0]};
    for (const auto& y : plotted.y) y_range = range_of(y, y_range);
    plotted.y_range = widened(y_range);
    return plotted;
}

// The cell (0 .. cells-1) that value v falls in across the range.
int cell_of(double v, Range range, int cells) {
    return static_cast<int>(std::lround((v - range.lo) / range.span() * (cells - 1)));
}

// A value of the drawn scale as the reader knows it: 10^v on a log axis.
double shown(double v, bool log_y) {
    return log_y ? std::pow(10.0, v) : v;
}

struct Tick {
    double at;  // on the drawn scale
    std::string label;
};

// Round-numbered ticks (1, 2 or 5 times a power of ten apart), about `count` across the range.
std::vector<Tick> linear_ticks(Range range, int count) {
    const double raw = range.span() / count;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double f = raw / magnitude;
    const double step = magnitude * (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10);
    std::vector<Tick> ticks;
    for (double v = std::ceil(range.lo / step) * step; v <= range.hi + step * 1e-9; v += step) {
        const double value = std::abs(v) < step * 1e-9 ? 0.0 : v;  // no "-1.4e-17" for zero
        ticks.push_back({value, fmt::format("{:g}", value)});
    }
    return ticks;
}

// Ticks at powers of ten on a log axis (in log10 units); round values when it spans less than
// a decade.
std::vector<Tick> log_ticks(Range range) {
    const auto first = static_cast<int>(std::ceil(range.lo));
    const auto last = static_cast<int>(std::floor(range.hi));
    if (last - first < 1) {
        std::vector<Tick> ticks;
        for (const Tick& t : linear_ticks({shown(range.lo, true), shown(range.hi, true)}, 4)) {
            if (t.at > 0) ticks.push_back({std::log10(t.at), t.label});
        }
        return ticks;
    }
    const int stride = std::max(1, (last - first + 7) / 8);
    std::vector<Tick> ticks;
    for (int k = first; k <= last; k += stride) {
        ticks.push_back({static_cast<double>(k), fmt::format("{:g}", shown(k, true))});
    }
    return ticks;
}

}  // namespace

std::string chart_text(const Chart& chart, int width, int height) {
    if (width < 2 || height < 2) {
        throw Error(fmt::format("chart_text: {} needs at least 2 x 2 cells, got {} x {}",
                                chart_name(chart), width, height));
    }
    const Plotted p = prepare("chart_text", chart);
    std::vector<std::string> grid(height, std::string(width, ' '));
    auto mark = [&](int column, double y, char marker) {
        grid[height - 1 - cell_of(y, p.y_range, height)][column] = marker;
    };
    for (std::size_t s = 0; s < p.y.size(); ++s) {
        const std::vector<double>& y = p.y[s];
        int previous = cell_of(p.x[0], p.x_range, width);
        mark(previous, y[0], kMarkers[s]);
        for (std::size_t i = 1; i < y.size(); ++i) {
            // Every column between two neighbouring points gets the marker at the interpolated
            // y, so a line with few points still reads as a line.
            const int column = cell_of(p.x[i], p.x_range, width);
            for (int c = std::min(previous, column) + 1; c < std::max(previous, column); ++c) {
                const double t = static_cast<double>(c - previous) / (column - previous);
                mark(c, y[i - 1] + t * (y[i] - y[i - 1]), kMarkers[s]);
            }
            mark(column, y[i], kMarkers[s]);
            previous = column;
        }
    }

    std::string out;
    if (!chart.title.empty()) out += chart.title + "\n";
    if (!chart.y_label.empty() || chart.log_y) {
        out += fmt::format("{}{}\n", chart.y_label, chart.log_y ? " (log scale)" : "");
    }
    for (int row = 0; row < height; ++row) {
        std::string label;
        if (row % 4 == 0 || row == height - 1) {
            const double v = p.y_range.hi - p.y_range.span() * row / (height - 1);
            label = fmt::format("{:.3g}", shown(v, chart.log_y));
        }
        out += fmt::format("{:>10} |{}\n", label, grid[row]);
    }
    out += fmt::format("{:>10} +{}\n", "", std::string(width, '-'));
    const std::string lo = fmt::format("{:g}", p.x_range.lo);
    const std::string hi = fmt::format("{:g}", p.x_range.hi);
    const std::size_t gap =
        std::max<std::size_t>(1, width - std::min<std::size_t>(width, lo.size() + hi.size()));
    out += fmt::format("{:>10}  {}{}{}  {}\n", "", lo, std::string(gap, ' '), hi, chart.x_label);
    std::string legend;
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
        legend += fmt::format("   {} {}", kMarkers[s], chart.series[s].name);
    }
    out += fmt::format("{:>10} {}\n", "", legend);
    return out;
}

Svg chart_svg(const Chart& chart, double width, double height) {
    if (width < 200 || height < 150) {
        throw Error(fmt::format("chart_svg: {} needs at least 200 x 150 pixels, got {} x {}",
                                chart_name(chart), width, height));
    }
    const Plotted p = prepare("chart_svg", chart);
    // A little room above and below the lines, so none runs along the frame.
    const double pad = p.y_range.span() * 0.05;
    const Range y_range{p.y_range.lo - pad, p.y_range.hi + pad};
    const double left = 70, right = 20, top = 40, bottom = 50;
    const double plot_w = width - left - right;
    const double plot_h = height - top - bottom;
    auto px = [&](double x) { return left + (x - p.x_range.lo) / p.x_range.span() * plot_w; };
    auto py = [&](double y) { return top + (y_range.hi - y) / y_range.span() * plot_h; };

    Svg svg(width, height);
    if (!chart.title.empty()) {
        svg.text(width / 2, 24, chart.title, {.size = 16, .anchor = "middle"});
    }
    for (const Tick& tick : chart.log_y ? log_ticks(y_range) : linear_ticks(y_range, 5)) {
        const double y = py(tick.at);
        svg.line(left, y, left + plot_w, y, "#e6e6e6");
        svg.line(left - 4, y, left, y, "#222");
        svg.text(left - 7, y + 4, tick.label, {.size = 11, .anchor = "end"});
    }
    for (const Tick& tick : linear_ticks(p.x_range, 6)) {
        const double x = px(tick.at);
        svg.line(x, top, x, top + plot_h, "#e6e6e6");
        svg.line(x, top + plot_h, x, top + plot_h + 4, "#222");
        svg.text(x, top + plot_h + 17, tick.label, {.size = 11, .anchor = "middle"});
    }
    svg.line(left, top, left, top + plot_h, "#222");
    svg.line(left, top + plot_h, left + plot_w, top + plot_h, "#222");
    svg.text(left + plot_w / 2, height - 10, chart.x_label, {.size = 12, .anchor = "middle"});
    const std::string y_label = chart.y_label + (chart.log_y ? " (log scale)" : "");
    svg.text(16, top + plot_h / 2, y_label, {.size = 12, .anchor = "middle", .rotate = -90});

    for (std::size_t s = 0; s < p.y.size(); ++s) {
        std::vector<std::pair<double, double>> points;
        for (std::size_t i = 0; i < p.y[s].size(); ++i)
            points.emplace_back(px(p.x[i]), py(p.y[s][i]));
        svg.polyline(points, kColours[s]);
    }

    // The legend, top right inside the plot, on white so the lines behind it do not show.
    std::size_t longest = 0;
    for (const Series& series : chart.series) longest = std::max(longest, series.name.size());
    const double legend_w = 36 + 7 * static_cast<double>(longest);
    const double legend_x = left + plot_w - legend_w - 8;
    svg.rect(legend_x, top + 8, legend_w, 8 + 16 * static_cast<double>(chart.series.size()),
             "white", "#ccc");
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
        const double y = top + 20 + 16 * static_cast<double>(s);
        svg.line(legend_x + 6, y - 4, legend_x + 26, y - 4, kColours[s], 2);
        svg.text(legend_x + 31, y, chart.series[s].name, {.size = 11});
    }
    return svg;
}

}  // namespace glimpse
