#pragma once
// Greedy search: at every step, take the single most probable next token.
//
// The cheapest search: one row per sentence, one step() per output token for the whole batch.
// It can miss the most probable output (a likely first token may lead only to unlikely
// continuations); beam search with beam size 1 is exactly greedy search, and larger beams look
// further (decode/beam_search.hpp).

#include <vector>

#include "decode/decode_options.hpp"
#include "decode/hypothesis.hpp"
#include "decode/step_model.hpp"

namespace glimpse::decode {

// One hypothesis per sentence of the model's batch, in batch order; score = log_prob. Each
// sentence stops at <eos> (allowed after options.min_length tokens) or at its maximum length,
// and leaves the batch then. Ties go to the lowest token id; tokens of zero probability are never
// chosen (an error when no other is left); with options.constraint, neither are the tokens it
// forbids (decode/token_constraint.hpp). Runs under no-grad.
std::vector<Hypothesis> greedy_search(StepModel& model, const DecodeOptions& options = {});

}  // namespace glimpse::decode
