#pragma once
// Sampling: draw each next token at random from the model's distribution.
//
// Where greedy and beam search look for the most probable output, sampling shows what the model
// believes: run it many times and outputs appear about as often as the model thinks they
// should. Two knobs reshape the distribution of each step before drawing:
//   temperature T  p_v ∝ exp(log p_v / T): T < 1 sharpens it (T → 0 is greedy search), T > 1
//                  flattens it towards uniform;
//   top-k          only the k most probable tokens may be drawn (k = 1 is greedy search).
// The returned log_prob is under the model's own distribution, not the reshaped one.

#include <cstdint>
#include <vector>

#include "core/random.hpp"
#include "decode/decode_options.hpp"
#include "decode/hypothesis.hpp"
#include "decode/step_model.hpp"

namespace glimpse::decode {

struct SamplingOptions : DecodeOptions {
    double temperature = 1.0;  // > 0
    int64_t top_k = 0;         // 0: the whole vocabulary
};

// One sampled hypothesis per sentence of the model's batch, in batch order; score = log_prob.
// Draws from `generator` (one uniform number per row and step), so a seeded generator repeats
// the same samples. Tokens of zero probability are never drawn. Runs under no-grad.
std::vector<Hypothesis> sample(StepModel& model, const SamplingOptions& options = {},
                               Generator& generator = default_generator());

}  // namespace glimpse::decode
