#pragma once
// What every tutorial shares: its command-line flags and its chapter headings.
//   --quick  a smaller run of the same story, so `make test` can run every tutorial in seconds
//   --step   pause before each step until Enter is pressed (only when stdin is a terminal); the
//            first pause also names the `make gdb` command that stops at the same place

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <source_location>
#include <string>
#include <string_view>
#include <vector>

#include "core/chart.hpp"
#include "core/tensor.hpp"

namespace tutorial {

class Chapter {
  public:
    Chapter(int argc, char** argv, std::string_view title)
        : program_(std::filesystem::path(argv[0]).filename().string()) {
        for (int i = 1; i < argc; ++i) {
            const std::string_view arg = argv[i];
            if (arg == "--quick") quick = true;
            if (arg == "--step") pause_ = isatty(STDIN_FILENO) != 0;
        }
        fmt::print("{}\n{}\n", title, std::string(title.size(), '='));
    }

    // Prints the heading of the next step, after waiting for Enter when --step is on. `where`
    // is the caller's line, where gdb can stop too.
    void step(std::string_view heading,
              std::source_location where = std::source_location::current()) {
        if (pause_) {
            if (number_ == 0) print_gdb_command(where);
            fmt::print("\n[press Enter for: {}]", heading);
            std::fflush(stdout);
            std::string ignored;
            std::getline(std::cin, ignored);
        }
        ++number_;
        fmt::print("\n-- Step {}: {} --\n", number_, heading);
    }

    bool quick = false;

  private:
    // For a numbered tutorial (program "05_rnn_lstm_gru"): the command that runs its debug build
    // in gdb stopped at `where`, to step through the same code line by line.
    void print_gdb_command(const std::source_location& where) const {
        const auto digit = [](char c) { return c >= '0' && c <= '9'; };
        const bool numbered =
            program_.size() > 3 && digit(program_[0]) && digit(program_[1]) && program_[2] == '_';
        if (!numbered) return;
        fmt::print("\n[the same place in gdb: make gdb T={} BREAK={}:{}]", program_.substr(0, 2),
                   where.file_name(), where.line());
    }

    std::string program_;  // the program's file name, without its folder
    bool pause_ = false;
    int number_ = 0;
};

// Where tutorials write their pictures (SVG) and graphs (DOT): build/tutorial_output/ beside the
// build, created on first use, so nothing lands among the sources.
inline std::string output_path(std::string_view file) {
    const std::filesystem::path dir = std::filesystem::path("build") / "tutorial_output";
    std::filesystem::create_directories(dir);
    return (dir / file).string();
}

// The largest |a - b| over all elements: how far two computations of the same thing disagree.
inline double max_abs_diff(const glimpse::Tensor& a, const glimpse::Tensor& b) {
    const std::vector<double> av = a.to_vector();
    const std::vector<double> bv = b.to_vector();
    double largest = 0;
    for (std::size_t i = 0; i < av.size(); ++i) {
        largest = std::max(largest, std::abs(av[i] - bv[i]));
    }
    return largest;
}

// Draws a chart in the terminal, then writes it as an SVG picture to output_path(file).
inline void draw(const glimpse::Chart& chart, std::string_view file, int width = 60,
                 int height = 15) {
    fmt::print("{}", glimpse::chart_text(chart, width, height));
    const std::string path = output_path(file);
    glimpse::chart_svg(chart).save(path);
    fmt::print("written to {}\n", path);
}

}  // namespace tutorial
