#include "decode/tasks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "core/error.hpp"
#include "core/random.hpp"

namespace glimpse::decode {

namespace {

// One example and the underlying value it is made from, as a string: the split's key.
struct Drawn {
    std::string value;
    Example example;
};

bool is_sequence_task(Task task) {
    return task == Task::Reverse || task == Task::Copy || task == Task::Sort;
}

void check_options(Task task, const TaskOptions& options) {
    const std::string who = fmt::format("make_task({})", task_name(task));
    if (is_sequence_task(task)) {
        if (options.min_length < 1 || options.max_length < options.min_length) {
            throw Error(fmt::format("{}: need 1 <= min_length <= max_length, got {} and {}", who,
                                    options.min_length, options.max_length));
        }
        if (options.symbols.empty()) throw Error(who + ": symbols is empty");
        for (std::size_t i = 0; i < options.symbols.size(); ++i) {
            const char c = options.symbols[i];
            if (c <= ' ' || c > '~') {
                throw Error(
                    fmt::format("{}: symbols must be printable ASCII without spaces, got "
                                "byte {} at position {}",
                                who, static_cast<int>(static_cast<unsigned char>(c)), i));
            }
            if (options.symbols.find(c) != i) {
                throw Error(fmt::format("{}: symbol '{}' appears twice", who, c));
            }
        }
    }
    if (task == Task::Addition && (options.max_digits < 1 || options.max_digits > 9)) {
        throw Error(fmt::format("{}: max_digits must be in 1..9, got {}", who, options.max_digits));
    }
    if (task == Task::Date && options.date_formats.empty()) {
        throw Error(who + ": date_formats is empty");
    }
}

// How many distinct underlying values the task has: the most examples it can make.
double value_count(Task task, const TaskOptions& options) {
    const auto symbols = static_cast<double>(options.symbols.size());
    double count = 0;
    switch (task) {
        case Task::Date:
            for (int64_t day = 0; day < days_in_range(); ++day) {
                const Date date = date_from_index(day);
                count += std::any_of(options.date_formats.begin(), options.date_formats.end(),
                                     [&](DateFormat f) { return !is_ambiguous(date, f); });
            }
            return count;
        case Task::Addition:
            return std::pow(10.0, 2.0 * static_cast<double>(options.max_digits));
        case Task::Reverse:
        case Task::Copy:
            for (int64_t length = options.min_length; length <= options.max_length; ++length) {
                count += std::pow(symbols, static_cast<double>(length));
            }
            return count;
        case Task::Sort:
            // Sorted sequences are multisets: C(length + symbols - 1, length) of each length.
            for (int64_t length = options.min_length; length <= options.max_length; ++length) {
                double multisets = 1;
                for (int64_t i = 1; i <= length; ++i) {
                    multisets *= (symbols - 1 + static_cast<double>(i)) / static_cast<double>(i);
                }
                count += multisets;
            }
            return count;
    }
    return count;
}

template <typename T>
const T& pick(const std::vector<T>& values, Generator& generator) {
    return values[static_cast<std::size_t>(
        generator.integer(0, static_cast<int64_t>(values.size())))];
}

// A date written in one of the formats that do not make it ambiguous: 03/05/1979 would train
// the model toward one arbitrary reading of two. A date that every format makes ambiguous is
// drawn again (value_count leaves such dates out).
Drawn draw_date(const TaskOptions& options, Generator& generator) {
    for (;;) {
        const Date date = date_from_index(generator.integer(0, days_in_range()));
        std::vector<DateFormat> formats;
        for (const DateFormat f : options.date_formats) {
            if (!is_ambiguous(date, f)) formats.push_back(f);
        }
        if (formats.empty()) continue;
        const std::string iso = iso_date(date);
        return {iso, {format_date(date, pick(formats, generator)), iso}};
    }
}

Drawn draw_sequence(Task task, const TaskOptions& options, Generator& generator) {
    const int64_t length = generator.integer(options.min_length, options.max_length + 1);
    std::string sequence;
    for (int64_t i = 0; i < length; ++i) {
        sequence += options.symbols[static_cast<std::size_t>(
            generator.integer(0, static_cast<int64_t>(options.symbols.size())))];
    }
    std::string target = sequence;
    if (task == Task::Reverse) std::reverse(target.begin(), target.end());
    if (task == Task::Sort) std::sort(target.begin(), target.end());
    // Sort's underlying value is the multiset, its target: two orders of the same letters would
    // otherwise put one answer in both splits.
    std::string value = task == Task::Sort ? target : sequence;
    return {std::move(value), {std::move(sequence), std::move(target)}};
}

// An operand of 1..max_digits digits, the number of digits drawn first so that short operands
// are as common as long ones.
int64_t draw_operand(const TaskOptions& options, Generator& generator) {
    const int64_t digits = generator.integer(1, options.max_digits + 1);
    const auto high = static_cast<int64_t>(std::pow(10, digits));
    return generator.integer(digits == 1 ? 0 : high / 10, high);
}

Drawn draw_addition(const TaskOptions& options, Generator& generator) {
    const int64_t a = draw_operand(options, generator);
    const int64_t b = draw_operand(options, generator);
    std::string source = fmt::format("{}+{}", a, b);
    return {source, {source, std::to_string(a + b)}};
}

Drawn draw(Task task, const TaskOptions& options, Generator& generator) {
    if (task == Task::Date) return draw_date(options, generator);
    if (task == Task::Addition) return draw_addition(options, generator);
    return draw_sequence(task, options, generator);
}

}  // namespace

std::string_view task_name(Task task) {
    switch (task) {
        case Task::Date:
            return "date";
        case Task::Reverse:
            return "reverse";
        case Task::Copy:
            return "copy";
        case Task::Sort:
            return "sort";
        case Task::Addition:
            return "addition";
    }
    throw Error(fmt::format("task_name: unknown task {}", static_cast<int>(task)));
}

const std::vector<Task>& all_tasks() {
    static const std::vector<Task> tasks{Task::Date, Task::Reverse, Task::Copy, Task::Sort,
                                         Task::Addition};
    return tasks;
}

Task task_from_name(std::string_view name) {
    for (const Task task : all_tasks()) {
        if (task_name(task) == name) return task;
    }
    throw Error(
        fmt::format("task_from_name: unknown task '{}' (expected date, reverse, copy, "
                    "sort or addition)",
                    name));
}

TaskData make_task(Task task, int64_t n_train, int64_t n_test, uint64_t seed,
                   const TaskOptions& options) {
    const std::string who = fmt::format("make_task({})", task_name(task));
    if (n_train < 0 || n_test < 0 || n_train + n_test == 0) {
        throw Error(
            fmt::format("{}: need n_train, n_test >= 0 and at least one example, got {} "
                        "and {}",
                        who, n_train, n_test));
    }
    check_options(task, options);
    const double available = value_count(task, options);
    if (static_cast<double>(n_train + n_test) > available) {
        throw Error(
            fmt::format("{}: asked for {} examples with distinct values, but these options "
                        "give only {}",
                        who, n_train + n_test, available));
    }
    Generator generator(seed);
    std::unordered_set<std::string> seen;  // underlying values already in a split
    TaskData data;
    while (static_cast<int64_t>(data.train.size() + data.test.size()) < n_train + n_test) {
        Drawn drawn = draw(task, options, generator);
        if (!seen.insert(drawn.value).second) continue;
        auto& split = static_cast<int64_t>(data.train.size()) < n_train ? data.train : data.test;
        split.push_back(std::move(drawn.example));
    }
    return data;
}

}  // namespace glimpse::decode
