#pragma once
// What the search algorithms return: for each source sentence, one output sequence (greedy,
// sampling) or an n-best list (beam search, exhaustive search), with its probability, its score
// and the attention weights of every step.

#include <cstdint>
#include <vector>

#include "core/tensor.hpp"

namespace glimpse::decode {

struct Hypothesis {
    // The generated tokens, without the leading <sos>. A hypothesis that ended ends with its
    // <eos> (finished = true); one cut at the maximum length has no <eos> (finished = false).
    std::vector<int64_t> tokens;
    bool finished = false;
    double log_prob = 0.0;  // log P(tokens | source): the sum of the model's log-probabilities
    // What the search ranked by: log_prob after the length and coverage penalties (beam and
    // exhaustive search, see decode/scoring.hpp); log_prob itself for greedy search and sampling.
    double score = 0.0;
    // [tokens.size(), source_length] float32: row t is the attention while producing tokens[t],
    // over the sentence's real (unpadded) source positions. Undefined for models without attention.
    Tensor attention;
};

// One sentence's hypotheses, best (highest score) first.
using NBestList = std::vector<Hypothesis>;

}  // namespace glimpse::decode
