#pragma once
// Internal to decode/: the loop that greedy search and sampling share. Every sentence follows one
// path: at each step one token per row, chosen from the row's next-token distribution; a row
// leaves the batch when it chooses <eos> or reaches its maximum length.

#include <cstdint>
#include <functional>
#include <vector>

#include "decode/decode_options.hpp"
#include "decode/hypothesis.hpp"
#include "decode/step_model.hpp"

namespace glimpse::decode {

// Chooses a row's next token from its log-probabilities [vocab_size]; never `banned` (<eos> while
// min_length forbids it, else -1).
using TokenChooser =
    std::function<int64_t(const double* log_probs, int64_t vocab_size, int64_t banned)>;

// One hypothesis per sentence, in batch order; score = log_prob. Runs under no-grad.
std::vector<Hypothesis> decode_token_by_token(const char* search, StepModel& model,
                                              const DecodeOptions& options,
                                              const TokenChooser& choose);

}  // namespace glimpse::decode
