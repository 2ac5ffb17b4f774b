// Helpers shared by the benchmark programs of bench/: a timer, the PyTorch reference figures,
// and JSON lines.
//
// Every benchmark prints one JSON line per figure, glimpse's figure beside PyTorch's for the same
// work measured in the same run (these machines are noisy: compare ratios, not times). PyTorch's
// figures come from bench/pytorch_reference.py, run with Debian's /usr/bin/python3, so a
// benchmark must be run from the repository root. PyTorch's figure is its best of 1 and 2 threads
// on OpenBLAS's native kernels; every ratio is against it. Without python3-torch (or
// python3-threadpoolctl) a benchmark still runs and prints glimpse's figures, with null for
// PyTorch's.
#pragma once

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace glimpse::bench {

namespace detail {

// The median of `repetitions` calls of work() as measured by elapsed(start), in milliseconds,
// after `warmups` calls that are not timed.
template <typename Work, typename Start, typename Elapsed>
double median_time(Work&& work, int repetitions, int warmups, Start start_clock,
                   Elapsed elapsed_ms) {
    for (int i = 0; i < warmups; ++i) work();
    std::vector<double> times;
    for (int i = 0; i < repetitions; ++i) {
        const auto start = start_clock();
        work();
        times.push_back(elapsed_ms(start));
    }
    std::nth_element(times.begin(), times.begin() + repetitions / 2, times.end());
    return times[repetitions / 2];
}

}  // namespace detail

// The median wall-clock time of `repetitions` calls of work(), in milliseconds, after `warmups`
// calls that are not timed (they fill the caches and wake up the threads).
template <typename Work>
double median_ms(Work&& work, int repetitions = 15, int warmups = 3) {
    using Clock = std::chrono::steady_clock;
    return detail::median_time(
        work, repetitions, warmups, [] { return Clock::now(); },
        [](Clock::time_point start) {
            return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        });
}

// The median CPU time of the process (all its threads) per call of work(), in milliseconds:
// less sensitive than wall-clock time to other programs sharing the cores, which is the figure
// to compare on a loaded machine (the benchmark runs both sides on one thread for it).
template <typename Work>
double median_cpu_ms(Work&& work, int repetitions = 9, int warmups = 3) {
    return detail::median_time(
        work, repetitions, warmups, [] { return std::clock(); },
        [](std::clock_t start) {
            return 1e3 * static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
        });
}

// One JSON line of the reference script: a flat object, its number and string values by key.
struct Record {
    std::map<std::string, double> numbers;
    std::map<std::string, std::string> strings;

    std::optional<double> number(const std::string& key) const {
        const auto it = numbers.find(key);
        return it == numbers.end() ? std::nullopt : std::optional<double>(it->second);
    }
};

namespace detail {

// Parses one flat JSON object: string keys; string, number, true/false or null values (null is
// left out). Returns nothing if the line is not such an object.
inline std::optional<Record> parse_flat_json(std::string_view line) {
    std::size_t at = 0;
    const auto skip_spaces = [&] {
        while (at < line.size() && std::isspace(static_cast<unsigned char>(line[at]))) ++at;
    };
    const auto take = [&](char expected) {
        skip_spaces();
        if (at >= line.size() || line[at] != expected) return false;
        ++at;
        return true;
    };
    const auto parse_string = [&]() -> std::optional<std::string> {
        if (!take('"')) return std::nullopt;
        std::string text;
        while (at < line.size() && line[at] != '"') {
            if (line[at] == '\\' && at + 1 < line.size()) ++at;  // keeps the escaped character
            text += line[at++];
        }
        if (at >= line.size()) return std::nullopt;
        ++at;
        return text;
    };

    Record record;
    if (!take('{')) return std::nullopt;
    if (take('}')) return record;
    do {
        const std::optional<std::string> key = parse_string();
        if (!key || !take(':')) return std::nullopt;
        skip_spaces();
        const std::string_view rest = line.substr(at);
        if (rest.starts_with('"')) {
            const std::optional<std::string> value = parse_string();
            if (!value) return std::nullopt;
            record.strings[*key] = *value;
        } else if (rest.starts_with("null")) {
            at += 4;
        } else if (rest.starts_with("true") || rest.starts_with("false")) {
            record.numbers[*key] = rest.starts_with("true") ? 1.0 : 0.0;
            at += rest.starts_with("true") ? 4 : 5;
        } else {
            const std::string number(rest.substr(0, rest.find_first_of(",}")));
            char* end = nullptr;
            record.numbers[*key] = std::strtod(number.c_str(), &end);
            if (end == number.c_str()) return std::nullopt;
            at += static_cast<std::size_t>(end - number.c_str());
        }
    } while (take(','));
    if (!take('}')) return std::nullopt;
    return record;
}

}  // namespace detail

// The number `key` of a reference record, or nothing when there is no record or no such number.
inline std::optional<double> figure(const Record* reference, const std::string& key) {
    return reference ? reference->number(key) : std::nullopt;
}

// One JSON line, built field by field in order and printed on stdout:
//   JsonLine().add("bench", "gemm").add("n", 512).add("ratio", ratio).print();
// A missing or non-finite number prints as null.
class JsonLine {
  public:
    JsonLine& add(std::string_view key, std::string_view value) {
        return add_raw(key, fmt::format("\"{}\"", value));
    }
    JsonLine& add(std::string_view key, std::optional<double> value) {
        const bool known = value && std::isfinite(*value);
        return add_raw(key, known ? fmt::format("{:.6g}", *value) : std::string("null"));
    }
    JsonLine& add(std::string_view key, double value) {
        return add(key, std::optional<double>(value));
    }
    // PyTorch's figure `key` from its reference record (its best), then the figures at 1 and 2
    // threads it was chosen from (pytorch_reference.py's at_best_threads names them).
    JsonLine& add_pytorch(const Record* reference, const std::string& key) {
        for (const char* suffix : {"", "_1thread", "_2threads"}) {
            const std::string name = key + suffix;
            add(name, figure(reference, name));
        }
        return *this;
    }
    void print() const {
        fmt::print("{{{}}}\n", fields_);
        std::fflush(stdout);
    }

  private:
    JsonLine& add_raw(std::string_view key, const std::string& json_value) {
        if (!fields_.empty()) fields_ += ", ";
        fields_ += fmt::format("\"{}\": {}", key, json_value);
        return *this;
    }
    std::string fields_;
};

// The line that says what the reference ran on, e.g.
//   {"reference": "pytorch", "section": "gemm", "torch": "1.13.0a0", "openblas_core": "Cooperlake"}
inline void print_reference_line(const Record& what_ran, const std::string& section) {
    JsonLine line;
    line.add("reference", "pytorch").add("section", section);
    for (const char* key : {"torch", "openblas_core"}) {
        const auto found = what_ran.strings.find(key);
        line.add(key, found == what_ran.strings.end() ? "unknown" : found->second);
    }
    line.print();
}

// Runs `/usr/bin/python3 bench/pytorch_reference.py <section>` and returns its figures' JSON
// lines, after printing the line that says what ran (torch's version, the OpenBLAS core). When
// the script cannot run (no python3-torch, not run from the repository root), says why on
// stderr and returns no records: the benchmark then prints null for PyTorch's figures.
inline std::vector<Record> pytorch_reference(const std::string& section) {
    const char* script = "bench/pytorch_reference.py";
    if (!std::filesystem::exists(script)) {
        fmt::print(stderr,
                   "note: {} not found (run benchmarks from the repository root); "
                   "PyTorch figures will be null\n",
                   script);
        return {};
    }
    const std::string command = fmt::format("/usr/bin/python3 {} {}", script, section);
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        fmt::print(stderr, "note: cannot run '{}'; PyTorch figures will be null\n", command);
        return {};
    }
    std::vector<Record> records;
    std::string line;
    for (int ch = std::fgetc(pipe); ch != EOF; ch = std::fgetc(pipe)) {
        if (ch != '\n') {
            line += static_cast<char>(ch);
            continue;
        }
        if (auto record = detail::parse_flat_json(line)) {
            if (record->strings.contains("reference")) {
                print_reference_line(*record, section);
            } else {
                records.push_back(std::move(*record));
            }
        }
        line.clear();
    }
    if (pclose(pipe) != 0 || records.empty()) {
        fmt::print(stderr,
                   "note: '{}' failed (is python3-torch installed?); PyTorch figures "
                   "will be null\n",
                   command);
        return {};
    }
    return records;
}

// The first record whose numbers include all of `where` (e.g. {{"n", 512}}), or nullptr.
inline const Record* find_record(const std::vector<Record>& records,
                                 const std::map<std::string, double>& where) {
    for (const Record& record : records) {
        const bool matches = std::all_of(where.begin(), where.end(), [&](const auto& entry) {
            return record.number(entry.first) == entry.second;
        });
        if (matches) return &record;
    }
    return nullptr;
}

// numerator / denominator (say, glimpse's GFLOP/s over PyTorch's), or nothing when either is
// missing.
inline std::optional<double> ratio(std::optional<double> numerator,
                                   std::optional<double> denominator) {
    if (!numerator || !denominator || *denominator == 0) return std::nullopt;
    return *numerator / *denominator;
}

}  // namespace glimpse::bench
