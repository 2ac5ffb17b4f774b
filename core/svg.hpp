#pragma once
// A minimal SVG document builder for the pictures the tutorials draw (loss curves, gradient norms,
// attention heatmaps): standalone files that open in any browser.
//
//   Svg svg(400, 300);
//   svg.rect(10, 10, 50, 20, "#3366cc");
//   svg.text(35, 45, "label", {.anchor = "middle"});
//   svg.save(tutorial::output_path("picture.svg"));

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace glimpse {

struct TextStyle {
    double size = 12;                   // font size in pixels
    std::string_view anchor = "start";  // start, middle or end
    std::string_view fill = "#222";
    double rotate = 0;  // degrees, about the anchor point
};

class Svg {
  public:
    Svg(double width, double height);

    void rect(double x, double y, double width, double height, std::string_view fill,
              std::string_view stroke = "none");
    void line(double x1, double y1, double x2, double y2, std::string_view stroke,
              double stroke_width = 1);
    // A connected line through the points (x, y), in order.
    void polyline(const std::vector<std::pair<double, double>>& points, std::string_view stroke,
                  double stroke_width = 1.5);
    void text(double x, double y, std::string_view content, const TextStyle& style = {});

    std::string str() const;  // the whole document
    // Writes the document to `path` atomically (core/file_io.hpp); errors name the path.
    void save(const std::string& path) const;

  private:
    double width_;
    double height_;
    std::string body_;
};

// `text` with &, <, >, " and ' escaped, for use inside SVG/XML.
std::string xml_escape(std::string_view text);

}  // namespace glimpse
