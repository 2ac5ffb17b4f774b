#include "nn/progress_bar.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace glimpse::nn {

std::string format_eta(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "?:??";
    const auto total = static_cast<int64_t>(std::llround(seconds));
    const int64_t hours = total / 3600;
    const int64_t minutes = total / 60 % 60;
    const int64_t secs = total % 60;
    if (hours > 0) return fmt::format("{}:{:02}:{:02}", hours, minutes, secs);
    return fmt::format("{}:{:02}", minutes, secs);
}

std::string format_bar(int64_t done, int64_t total, int width) {
    const int64_t clamped = std::clamp<int64_t>(done, 0, total);
    const auto filled = static_cast<int>(clamped * width / total);
    return "[" + std::string(filled, '#') + std::string(width - filled, '.') + "]";
}

std::string format_value(double value) {
    if (!std::isfinite(value)) return fmt::format("{}", value);
    const double magnitude = std::abs(value);
    if (magnitude == 0) return "0";
    if (magnitude >= 1e5 || magnitude < 1e-3) return fmt::format("{:.3e}", value);
    if (magnitude >= 1000) return fmt::format("{:.0f}", value);
    // Four significant digits: 3 decimals at 1.xxx, 4 at 0.xxxx, 6 at 0.00xxxx.
    const int decimals = 3 - static_cast<int>(std::floor(std::log10(magnitude)));
    return fmt::format("{:.{}f}", value, decimals);
}

namespace {

// "label [####....] 120/400  loss 0.4213": what the running and the final line share.
std::string progress_head(const std::string& label, int64_t done, int64_t total,
                          const NamedValues& values) {
    std::string line = label.empty() ? "" : label + " ";
    line += fmt::format("{} {}/{}", format_bar(done, total), done, total);
    for (const auto& [name, value] : values)
        line += fmt::format("  {} {}", name, format_value(value));
    return line;
}

}  // namespace

std::string format_progress(const std::string& label, int64_t done, int64_t total,
                            const NamedValues& values, double steps_per_second,
                            double eta_seconds) {
    return progress_head(label, done, total, values) +
           fmt::format("  {:.1f} steps/s  ETA {}", steps_per_second, format_eta(eta_seconds));
}

ProgressBar::ProgressBar(int64_t total_steps, std::string label)
    : ProgressBar(total_steps, std::move(label), stdout, isatty(fileno(stdout)) != 0) {}

ProgressBar::ProgressBar(int64_t total_steps, std::string label, std::FILE* out, bool redraw)
    : total_(total_steps),
      label_(std::move(label)),
      out_(out),
      redraw_(redraw),
      start_(std::chrono::steady_clock::now()) {
    if (total_steps <= 0) {
        throw Error(fmt::format("ProgressBar '{}': total_steps must be positive, got {}", label_,
                                total_steps));
    }
}

ProgressBar::~ProgressBar() {
    // A terminal line left without its newline would run into whatever is printed next.
    if (redraw_ && drawn_width_ > 0 && !finished_) std::fputc('\n', out_);
}

double ProgressBar::elapsed_seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressBar::update(int64_t steps_done, const NamedValues& values) {
    if (steps_done < 0 || steps_done > total_) {
        throw Error(fmt::format("ProgressBar '{}': steps_done {} is outside [0, {}]", label_,
                                steps_done, total_));
    }
    steps_done_ = steps_done;
    values_ = values;
    const double elapsed = elapsed_seconds();
    if (redraw_) {
        // Ten redraws a second are plenty for the eye, and cheap for a fast loop.
        if (elapsed - last_draw_seconds_ < 0.1 && steps_done != total_) return;
        last_draw_seconds_ = elapsed;
    } else {
        const int64_t tenths = steps_done * 10 / total_;
        if (tenths <= tenths_shown_) return;
        tenths_shown_ = tenths;
    }
    const double rate = elapsed > 0 ? static_cast<double>(steps_done) / elapsed : 0.0;
    const double eta = rate > 0 ? static_cast<double>(total_ - steps_done) / rate : -1.0;
    write_line(format_progress(label_, steps_done, total_, values, rate, eta), false);
}

void ProgressBar::finish() {
    if (finished_) return;
    const double elapsed = elapsed_seconds();
    const double rate = elapsed > 0 ? static_cast<double>(steps_done_) / elapsed : 0.0;
    write_line(progress_head(label_, steps_done_, total_, values_) +
                   fmt::format("  {:.1f} steps/s  done in {}", rate, format_eta(elapsed)),
               true);
    finished_ = true;
}

void ProgressBar::write_line(const std::string& line, bool final_line) {
    if (redraw_) {
        const std::size_t blank = drawn_width_ > line.size() ? drawn_width_ - line.size() : 0;
        fmt::print(out_, "\r{}{}{}", line, std::string(blank, ' '), final_line ? "\n" : "");
        drawn_width_ = line.size();
    } else {
        fmt::print(out_, "{}\n", line);
    }
    std::fflush(out_);
}

}  // namespace glimpse::nn
