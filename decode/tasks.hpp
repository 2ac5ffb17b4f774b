#pragma once
// Synthetic sequence-to-sequence tasks that glimpse generates itself, so that every tutorial has
// data without a download:
//   date      "3rd of May 1979"  -> "1979-05-03"   (the flagship; formats in decode/dates.hpp)
//   reverse   "abcd"             -> "dcba"
//   copy      "abcd"             -> "abcd"
//   sort      "dbca"             -> "abcd"
//   addition  "123+45"           -> "168"
//
// Train and test are split by the underlying value, never by the surface string: a date is in
// one split only, whatever the formats it is written in; so are a sequence (for sort: its sorted
// letters, the target) and a pair of operands. A model that scores well on the test split has
// learnt the task, not remembered its answers. A date is never written in a format that makes
// it ambiguous (03/05/1979, decode/dates.hpp): it gets another of the formats instead.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "decode/dataset.hpp"
#include "decode/dates.hpp"

namespace glimpse::decode {

enum class Task { Date, Reverse, Copy, Sort, Addition };

std::string_view task_name(Task task);       // "date", "reverse", "copy", "sort", "addition"
Task task_from_name(std::string_view name);  // the inverse; an unknown name is an error
const std::vector<Task>& all_tasks();

struct TaskOptions {
    // reverse, copy, sort: the length of each sequence is drawn uniformly from this range.
    int64_t min_length = 4;
    int64_t max_length = 12;
    std::string symbols = "abcdefghijklmnopqrstuvwxyz";  // one ASCII character each, no space
    int64_t max_digits = 3;  // addition: each operand has 1..max_digits digits (at most 9)
    // Drawn uniformly per example among those that do not make the date ambiguous.
    std::vector<DateFormat> date_formats = all_date_formats();
};

struct TaskData {
    std::vector<Example> train;
    std::vector<Example> test;
};

// n_train + n_test examples with distinct underlying values, reproducible from the seed. It is an
// error to ask for more distinct values than the task has (say, 100 additions of 1-digit numbers).
TaskData make_task(Task task, int64_t n_train, int64_t n_test, uint64_t seed,
                   const TaskOptions& options = {});

}  // namespace glimpse::decode
