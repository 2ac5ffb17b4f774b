#pragma once
// The options every search algorithm shares: the special tokens, the length limits and an
// optional constraint on the tokens.

#include <cstdint>
#include <memory>
#include <optional>

#include "decode/token_constraint.hpp"

namespace glimpse::decode {

struct DecodeOptions {
    // Token ids of <sos> (fed at the first step) and <eos> (ends a hypothesis); the defaults are
    // decode::Vocab's, taken here so that search does not depend on the vocabulary.
    int64_t sos = 1;
    int64_t eos = 2;
    // The fewest tokens before <eos>: <eos> is forbidden at the first min_length steps (its
    // probability is not given to the other tokens: scores keep the model's log-probabilities).
    int64_t min_length = 0;
    // The most tokens generated, <eos> included; a hypothesis that reaches it without <eos> is
    // cut there (Hypothesis::finished = false). Unset: max_length_a * source_length +
    // max_length_b for each sentence (fairseq's max_len_a, max_len_b).
    std::optional<int64_t> max_length;
    double max_length_a = 2.0;
    int64_t max_length_b = 10;
    // Constrained decoding (decode/token_constraint.hpp): when set, only the tokens it allows are
    // ever chosen. Unset: every token may follow every prefix.
    std::shared_ptr<const TokenConstraint> constraint = nullptr;

    // The maximum length for a sentence of this source length; throws when it is below 1.
    int64_t max_length_for(int64_t source_length) const;
};

}  // namespace glimpse::decode
