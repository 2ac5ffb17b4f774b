#pragma once
// Exhaustive search: score every possible output and return the best, the reference that
// measures beam search's search error.
//
// Every sequence of tokens that ends in <eos> (after at least min_length tokens) within
// max_length tokens, and every sequence of exactly max_length tokens without <eos> (cut, as
// beam search cuts them), is scored exactly as beam search scores it (decode/scoring.hpp). The
// search expands all prefixes level by level, all sentences in one batch, so it costs up to
// V^max_length decoder rows per sentence: it refuses with an error when that is more than
// max_sequences. Use it on tiny vocabularies and short outputs only.
//
// Beam search can miss the best output because it prunes: a prefix outside the top k is gone,
// even if it would have led to the best sequence. The difference between exhaustive search's
// best score and beam search's is that search error (beam search can never score higher).

#include <cstdint>
#include <vector>

#include "decode/decode_options.hpp"
#include "decode/hypothesis.hpp"
#include "decode/scoring.hpp"
#include "decode/step_model.hpp"

namespace glimpse::decode {

struct ExhaustiveOptions : DecodeOptions, ScoreOptions {
    int64_t n_best = 1;               // the hypotheses returned per sentence
    int64_t max_sequences = 100'000;  // the cap on V^max_length per sentence
};

// One n-best list per sentence of the model's batch, best first. Tokens of zero probability
// (log-probability -inf) are never chosen. Runs under no-grad.
std::vector<NBestList> exhaustive_search(StepModel& model, const ExhaustiveOptions& options = {});

}  // namespace glimpse::decode
