#pragma once
// Internal to decode/: how the search algorithms call a StepModel. One checked step for all rows,
// its outputs in the types the searches read (log-probabilities float64, attention float32, both
// contiguous), moving on to the next step's rows, and the n-best lists at the end.

#include <cstdint>
#include <vector>

#include "core/tensor.hpp"
#include "decode/decode_options.hpp"
#include "decode/hypothesis.hpp"
#include "decode/search_history.hpp"
#include "decode/step_model.hpp"

namespace glimpse::decode {

struct StepResult {
    Tensor log_probs;  // [N, V] float64, contiguous
    Tensor attention;  // [N, S] float32, contiguous; undefined when the model has no attention
    int64_t vocab_size = 0;

    const double* row(int64_t r) const { return log_probs.data<double>() + r * vocab_size; }
};

// Checks the options and the model's source lengths; returns each sentence's maximum length.
std::vector<int64_t> max_lengths(const char* search, const StepModel& model,
                                 const DecodeOptions& options);

// model.step(tokens), its outputs checked against the N = tokens.size() rows and the source
// lengths (`search` names the caller in the errors).
StepResult checked_step(const char* search, StepModel& model, const std::vector<int64_t>& tokens);

// Applies options.constraint, if set, to the step of the rows `live` at step t: the tokens it does
// not allow after each row's prefix get log-probability -inf (in a copy of step.log_probs). An
// empty or out-of-range answer is an error that names the search, the step, the sentence and
// the prefix.
void apply_constraint(const char* search, const DecodeOptions& options,
                      const SearchHistory& history, const LiveRows& live, int64_t t,
                      StepResult& step);

// Moves the search on to the rows `next`: the model's rows and the history follow them, and
// `live` becomes `next`. False, and nothing done, when `next` is empty.
bool advance_rows(StepModel& model, SearchHistory& history, LiveRows& live, LiveRows&& next);

// Each sentence's n_best best endings, traced: the result of beam and exhaustive search.
std::vector<NBestList> n_best_lists(const SearchHistory& history,
                                    const std::vector<std::vector<Ending>>& endings, int64_t n_best,
                                    const StepModel& model);

}  // namespace glimpse::decode
