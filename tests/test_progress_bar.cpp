#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "core/error.hpp"
#include "nn/progress_bar.hpp"

using namespace glimpse;

namespace {

// Everything written to a temporary file, read back.
std::string contents(std::FILE* file) {
    std::rewind(file);
    std::string text;
    for (int c = std::fgetc(file); c != EOF; c = std::fgetc(file)) text += static_cast<char>(c);
    return text;
}

int count_lines(const std::string& text) {
    int lines = 0;
    for (const char c : text) lines += c == '\n';
    return lines;
}

}  // namespace

TEST_CASE("progress bar: ETA as m:ss or h:mm:ss, unknown as ?:??") {
    CHECK(nn::format_eta(0) == "0:00");
    CHECK(nn::format_eta(9.4) == "0:09");
    CHECK(nn::format_eta(754) == "12:34");
    CHECK(nn::format_eta(3723) == "1:02:03");
    CHECK(nn::format_eta(-1) == "?:??");
    CHECK(nn::format_eta(1.0 / 0.0) == "?:??");
}

TEST_CASE("progress bar: the bar fills in proportion, clamped to its width") {
    CHECK(nn::format_bar(0, 400, 10) == "[..........]");
    CHECK(nn::format_bar(120, 400, 10) == "[###.......]");
    CHECK(nn::format_bar(400, 400, 10) == "[##########]");
    CHECK(nn::format_bar(399, 400, 4) == "[###.]");  // full only when done
}

TEST_CASE("progress bar: values with four significant digits") {
    CHECK(nn::format_value(0.42131) == "0.4213");
    CHECK(nn::format_value(31.25) == "31.25");
    CHECK(nn::format_value(1.5) == "1.500");
    CHECK(nn::format_value(12000) == "12000");
    CHECK(nn::format_value(1.234e-5) == "1.234e-05");
    CHECK(nn::format_value(0) == "0");
    CHECK(nn::format_value(-0.5) == "-0.5000");
}

TEST_CASE("progress bar: the whole line") {
    CHECK(nn::format_progress("train", 120, 400, {{"loss", 0.42131}}, 31.23, 9.0) ==
          "train [######..............] 120/400  loss 0.4213  31.2 steps/s  ETA 0:09");
    CHECK(nn::format_progress("", 1, 2, {}, 0, -1) ==
          "[##########..........] 1/2  0.0 steps/s  ETA ?:??");
}

TEST_CASE("progress bar: in a log, one plain line per tenth of the run, then the final line") {
    std::FILE* log = std::tmpfile();
    REQUIRE(log != nullptr);
    {
        nn::ProgressBar bar(400, "fit", log, false);
        for (int64_t step = 1; step <= 400; ++step) bar.update(step, {{"loss", 1.0 / step}});
        bar.finish();
        bar.finish();  // a second finish prints nothing more
    }
    const std::string text = contents(log);
    std::fclose(log);
    CHECK(count_lines(text) == 11);
    CHECK(text.find('\r') == std::string::npos);
    CHECK(text.find("fit [##..................] 40/400  loss 0.0250") == 0);
    CHECK(text.find("fit [####################] 400/400  loss 0.002500") != std::string::npos);
    CHECK(text.find("done in 0:0") != std::string::npos);
}

TEST_CASE("progress bar: in a terminal, redrawn in place with \\r and ended with a newline") {
    std::FILE* tty = std::tmpfile();
    REQUIRE(tty != nullptr);
    {
        nn::ProgressBar bar(3, "t", tty, true);
        bar.update(1, {{"a", 12345.0}});
        bar.update(3, {{"a", 1.0}});  // the last step is always drawn
    }                                 // no finish: the destructor ends the line
    const std::string text = contents(tty);
    std::fclose(tty);
    CHECK(text.find("\rt [######..............] 1/3  a 12345") == 0);
    // The shorter second line blanks what the first left behind, and the line ends.
    CHECK(text.find("\rt [####################] 3/3  a 1.000") != std::string::npos);
    CHECK(text.back() == '\n');
    CHECK(count_lines(text) == 1);
}

TEST_CASE("progress bar: bad totals and steps are errors naming the bar") {
    CHECK_THROWS_WITH_AS(nn::ProgressBar(0, "x"),
                         doctest::Contains("ProgressBar 'x': total_steps must be positive, got 0"),
                         Error);
    std::FILE* sink = std::tmpfile();
    REQUIRE(sink != nullptr);
    nn::ProgressBar bar(5, "y", sink, false);
    CHECK_THROWS_WITH_AS(bar.update(6), doctest::Contains("steps_done 6 is outside [0, 5]"), Error);
    CHECK_THROWS_WITH_AS(bar.update(-1), doctest::Contains("steps_done -1 is outside [0, 5]"),
                         Error);
    std::fclose(sink);
}
