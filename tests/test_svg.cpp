#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/svg.hpp"

using namespace glimpse;

TEST_CASE("svg: a document holds its shapes, with text escaped") {
    Svg svg(200, 100);
    svg.rect(1, 2, 3, 4, "#ff0000");
    svg.polyline({{0, 0}, {10, 5}}, "blue");
    svg.text(5, 6, "a<b & \"c\"");
    const std::string doc = svg.str();
    CHECK(doc.find("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\"") == 0);
    CHECK(doc.find("<rect x=\"1.00\" y=\"2.00\" width=\"3.00\" height=\"4.00\" fill=\"#ff0000\"") !=
          std::string::npos);
    CHECK(doc.find("points=\"0.00,0.00 10.00,5.00 \"") != std::string::npos);
    CHECK(doc.find(">a&lt;b &amp; &quot;c&quot;</text>") != std::string::npos);
    CHECK(doc.substr(doc.size() - 7) == "</svg>\n");
}

TEST_CASE("svg: save writes the document; a path in a missing folder is an error naming it") {
    const std::string path =
        (std::filesystem::temp_directory_path() / "glimpse_test_svg.svg").string();
    Svg svg(10, 10);
    svg.save(path);
    CHECK(read_file(path, "test") == svg.str());
    std::filesystem::remove(path);
    CHECK_THROWS_WITH_AS(svg.save("no/such/dir/x.svg"),
                         doctest::Contains("svg no/such/dir/x.svg: cannot create"), Error);
}
