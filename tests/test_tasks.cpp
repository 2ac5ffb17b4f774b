// Tests of decode/tasks.cpp: each task's targets are right, and no underlying value (a date, a
// sequence, a pair of operands) is in both the train and the test split.

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

#include "core/error.hpp"
#include "decode/tasks.hpp"

using namespace glimpse;
using namespace glimpse::decode;

namespace {

// The underlying value of an example, recovered from the example alone; checks its target.
std::string underlying_value(Task task, const Example& example) {
    switch (task) {
        case Task::Date: {
            const std::optional<Date> date = parse_iso_date(example.target);
            REQUIRE(date.has_value());
            bool written_from_it = false;
            for (const DateFormat format : all_date_formats()) {
                written_from_it |= format_date(*date, format) == example.source;
            }
            CHECK_MESSAGE(written_from_it, example.source << " is not " << example.target);
            return example.target;
        }
        case Task::Reverse:
            CHECK(std::string(example.source.rbegin(), example.source.rend()) == example.target);
            return example.source;
        case Task::Copy:
            CHECK(example.source == example.target);
            return example.source;
        case Task::Sort: {
            std::string sorted = example.source;
            std::sort(sorted.begin(), sorted.end());
            CHECK(sorted == example.target);
            return sorted;
        }
        case Task::Addition: {
            const std::size_t plus = example.source.find('+');
            REQUIRE(plus != std::string::npos);
            const long a = std::stol(example.source.substr(0, plus));
            const long b = std::stol(example.source.substr(plus + 1));
            CHECK(std::to_string(a + b) == example.target);
            return std::to_string(a) + "+" + std::to_string(b);
        }
    }
    FAIL("unknown task");
    return "";
}

}  // namespace

TEST_CASE("tasks: targets are right and no underlying value is in both splits") {
    for (const Task task : all_tasks()) {
        CAPTURE(task_name(task));
        TaskOptions options;
        if (task == Task::Sort) {
            options.min_length = 2;  // few distinct multisets: collisions must be avoided
            options.max_length = 6;
            options.symbols = "0123456789";
        }
        if (task == Task::Addition) options.max_digits = 2;
        const TaskData data = make_task(task, 2000, 500, 11, options);
        CHECK(data.train.size() == 2000);
        CHECK(data.test.size() == 500);
        std::set<std::string> train_values;
        for (const Example& example : data.train) {
            train_values.insert(underlying_value(task, example));
        }
        CHECK(train_values.size() == 2000);  // distinct within the split too
        for (const Example& example : data.test) {
            CHECK(train_values.count(underlying_value(task, example)) == 0);
        }
    }
}

TEST_CASE("tasks: the date task writes dates in every format") {
    const TaskData data = make_task(Task::Date, 1000, 0, 3);
    std::set<std::string> formats_seen;
    for (const Example& example : data.train) {
        const Date date = *parse_iso_date(example.target);
        CHECK(date.year >= kFirstYear);
        CHECK(date.year <= kLastYear);
        for (const DateFormat format : all_date_formats()) {
            if (format_date(date, format) == example.source) {
                formats_seen.insert(std::string(date_format_name(format)));
            }
        }
    }
    CHECK(formats_seen.size() == all_date_formats().size());
    const TaskData dotted =
        make_task(Task::Date, 20, 0, 3, {.date_formats = {DateFormat::DottedDayFirst}});
    for (const Example& example : dotted.train) {
        CHECK(example.source ==
              format_date(*parse_iso_date(example.target), DateFormat::DottedDayFirst));
    }
}

TEST_CASE("tasks: the same seed gives the same data; sequences keep to their lengths") {
    const TaskOptions options{.min_length = 3, .max_length = 5, .symbols = "xyz"};
    const TaskData one = make_task(Task::Reverse, 50, 10, 5, options);
    const TaskData two = make_task(Task::Reverse, 50, 10, 5, options);
    const TaskData other = make_task(Task::Reverse, 50, 10, 6, options);
    bool other_differs = false;
    for (std::size_t i = 0; i < one.train.size(); ++i) {
        CHECK(one.train[i].source == two.train[i].source);
        other_differs |= one.train[i].source != other.train[i].source;
        CHECK(one.train[i].source.size() >= 3);
        CHECK(one.train[i].source.size() <= 5);
        CHECK(one.train[i].source.find_first_not_of("xyz") == std::string::npos);
    }
    CHECK(other_differs);
}

TEST_CASE("tasks: a task can use every value it has, and asking for more is an error") {
    // 1-digit additions: 10 * 10 operand pairs.
    const TaskData all = make_task(Task::Addition, 90, 10, 1, {.max_digits = 1});
    CHECK(all.train.size() + all.test.size() == 100);
    CHECK_THROWS_WITH_AS(make_task(Task::Addition, 100, 1, 1, {.max_digits = 1}),
                         "make_task(addition): asked for 101 examples with distinct values, but "
                         "these options give only 100",
                         Error);
    // Sorted sequences of length 2 over 3 symbols: aa ab ac bb bc cc.
    CHECK_NOTHROW(
        make_task(Task::Sort, 6, 0, 1, {.min_length = 2, .max_length = 2, .symbols = "abc"}));
    CHECK_THROWS_WITH_AS(
        make_task(Task::Sort, 7, 0, 1, {.min_length = 2, .max_length = 2, .symbols = "abc"}),
        doctest::Contains(
            "asked for 7 examples with distinct values, but these options give only 6"),
        Error);
}

TEST_CASE("tasks: names and bad options") {
    for (const Task task : all_tasks()) CHECK(task_from_name(task_name(task)) == task);
    CHECK_THROWS_WITH_AS(task_from_name("dates"),
                         "task_from_name: unknown task 'dates' (expected date, reverse, copy, "
                         "sort or addition)",
                         Error);
    CHECK_THROWS_WITH_AS(make_task(Task::Copy, 0, 0, 1),
                         "make_task(copy): need n_train, n_test >= 0 and at least one example, "
                         "got 0 and 0",
                         Error);
    CHECK_THROWS_WITH_AS(make_task(Task::Copy, -1, 5, 1), doctest::Contains("got -1 and 5"), Error);
    CHECK_THROWS_WITH_AS(make_task(Task::Copy, 5, 0, 1, {.min_length = 4, .max_length = 3}),
                         "make_task(copy): need 1 <= min_length <= max_length, got 4 and 3", Error);
    CHECK_THROWS_WITH_AS(make_task(Task::Sort, 5, 0, 1, {.symbols = "ab a"}),
                         "make_task(sort): symbols must be printable ASCII without spaces, got "
                         "byte 32 at position 2",
                         Error);
    CHECK_THROWS_WITH_AS(make_task(Task::Sort, 5, 0, 1, {.symbols = "aba"}),
                         "make_task(sort): symbol 'a' appears twice", Error);
    CHECK_THROWS_WITH_AS(make_task(Task::Addition, 5, 0, 1, {.max_digits = 10}),
                         "make_task(addition): max_digits must be in 1..9, got 10", Error);
    CHECK_THROWS_WITH_AS(make_task(Task::Date, 5, 0, 1, {.date_formats = {}}),
                         "make_task(date): date_formats is empty", Error);
}

TEST_CASE(
    "tasks: no date is written ambiguously; dates only ambiguous formats could write are left "
    "out") {
    TaskOptions options;
    options.date_formats = {DateFormat::DottedDayFirst, DateFormat::SlashedMonthFirstShort};
    const TaskData data = make_task(Task::Date, 2000, 500, 4, options);
    for (const auto* split : {&data.train, &data.test}) {
        for (const Example& example : *split) {
            const auto readings = numeric_readings(example.source);
            REQUIRE(readings.has_value());
            CHECK_MESSAGE(readings->size() == 1, example.source);
            CHECK(iso_date(readings->front()) == example.target);
        }
    }
    // 12 * 11 dates a year have day and month both 1..12 and different.
    CHECK_THROWS_WITH_AS(make_task(Task::Date, 23326, 0, 4, options),
                         "make_task(date): asked for 23326 examples with distinct values, but "
                         "these options give only 23325",
                         Error);
}
