#include "core/svg.hpp"

#include <fmt/format.h>

#include "core/file_io.hpp"

namespace glimpse {

Svg::Svg(double width, double height) : width_(width), height_(height) {}

void Svg::rect(double x, double y, double width, double height, std::string_view fill,
               std::string_view stroke) {
    body_ += fmt::format(
        "<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" fill=\"{}\" "
        "stroke=\"{}\"/>\n",
        x, y, width, height, fill, stroke);
}

void Svg::line(double x1, double y1, double x2, double y2, std::string_view stroke,
               double stroke_width) {
    body_ += fmt::format(
        "<line x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" y2=\"{:.2f}\" stroke=\"{}\" "
        "stroke-width=\"{}\"/>\n",
        x1, y1, x2, y2, stroke, stroke_width);
}

void Svg::polyline(const std::vector<std::pair<double, double>>& points, std::string_view stroke,
                   double stroke_width) {
    std::string coordinates;
    for (const auto& [x, y] : points) coordinates += fmt::format("{:.2f},{:.2f} ", x, y);
    body_ +=
        fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"/>\n",
                    coordinates, stroke, stroke_width);
}

void Svg::text(double x, double y, std::string_view content, const TextStyle& style) {
    const std::string rotation =
        style.rotate == 0
            ? ""
            : fmt::format(" transform=\"rotate({} {:.2f} {:.2f})\"", style.rotate, x, y);
    body_ += fmt::format(
        "<text x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"{}\" text-anchor=\"{}\" fill=\"{}\"{}>{}"
        "</text>\n",
        x, y, style.size, style.anchor, style.fill, rotation, xml_escape(content));
}

std::string Svg::str() const {
    return fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
        "viewBox=\"0 0 {0} {1}\" font-family=\"sans-serif\">\n"
        "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n{2}</svg>\n",
        width_, height_, body_);
}

void Svg::save(const std::string& path) const {
    write_file_atomically(path, str(), "svg " + path);
}

std::string xml_escape(std::string_view text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace glimpse
