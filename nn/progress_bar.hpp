#pragma once
// ProgressBar: one line that tells how a training loop is going.
//
//     nn::ProgressBar bar(400, "train");
//     for (int64_t step = 1; step <= 400; ++step) {
//         ...
//         bar.update(step, {{"loss", loss.item()}});
//     }
//     bar.finish();
//
// prints  train [#####...............] 120/400  loss 0.4213  31.2 steps/s  ETA 0:09
// In a terminal the line is redrawn in place (\r). Anywhere else (a log file, `make test`) it
// prints a plain line only as each tenth of the run completes, so a log stays ten lines long.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace glimpse::nn {

using NamedValues = std::vector<std::pair<std::string, double>>;

// "0:09", "12:34", "1:02:03"; "?:??" when unknown (negative, NaN or infinite).
std::string format_eta(double seconds);
// "[#####...............]": `width` cells, filled in proportion to done / total (0 < total).
std::string format_bar(int64_t done, int64_t total, int width = 20);
// A value with about four significant digits: 0.4213, 31.25, 12000, 1.234e-05.
std::string format_value(double value);
// The whole line: label, bar, count, the values, the rate and the ETA.
std::string format_progress(const std::string& label, int64_t done, int64_t total,
                            const NamedValues& values, double steps_per_second, double eta_seconds);

class ProgressBar {
  public:
    // Writes to stdout, redrawing in place when stdout is a terminal.
    ProgressBar(int64_t total_steps, std::string label = "");
    // Writes to `out`; `redraw` chooses in-place redrawing over the ten plain lines.
    ProgressBar(int64_t total_steps, std::string label, std::FILE* out, bool redraw);
    ~ProgressBar();
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    // steps_done in [0, total_steps]; values are shown after the count, in order.
    void update(int64_t steps_done, const NamedValues& values = {});
    void finish();  // the final line, with the total time and the mean rate

  private:
    double elapsed_seconds() const;
    void write_line(const std::string& line, bool final_line);

    int64_t total_;
    std::string label_;
    std::FILE* out_;
    bool redraw_;
    std::chrono::steady_clock::time_point start_;
    double last_draw_seconds_ = -1;  // when the terminal line was last redrawn
    int64_t tenths_shown_ = 0;       // plain mode: the last tenth of the run printed
    int64_t steps_done_ = 0;
    NamedValues values_;
    std::size_t drawn_width_ = 0;  // the terminal line's length, to blank what a shorter one leaves
    bool finished_ = false;
};

}  // namespace glimpse::nn
