#pragma once
// How beam search and exhaustive search score a finished hypothesis Y of a source X:
//
//     score(Y) = log P(Y | X) / lp(Y) + cp(X; Y)
//
// The length penalty lp counters the search's bias for short outputs (every token multiplies in
// a probability below 1, so a longer Y always has the lower log P):
//   None      lp(Y) = 1
//   Average   lp(Y) = |Y|^α                  (α = 1: the average log-probability per token)
//   GNMT      lp(Y) = ((5 + |Y|) / 6)^α      (Wu et al. 2016, "Google's NMT system", eq. 14)
// |Y| counts the tokens, <eos> included, so it is at least 1.
//
// The GNMT coverage penalty (same paper) rewards outputs whose attention covered every source
// word: with a_ij the attention on source position i while producing output token j,
//     cp(X; Y) = β · Σ_i log(min(Σ_j a_ij, 1))
// It is at most 0, and 0 once every source position received a total weight of 1. A position
// that never received any weight makes it -inf.
//
// α ≥ 0 makes lp grow with length; with every log-probability ≤ 0 that is what lets beam search
// bound how good an unfinished hypothesis can still become (see decode/beam_search.hpp).

#include <cstdint>
#include <span>

namespace glimpse::decode {

enum class LengthPenalty { None, Average, GNMT };

struct ScoreOptions {
    LengthPenalty length_penalty = LengthPenalty::None;
    double alpha = 1.0;          // α, the length penalty's exponent (GNMT used 0.6 to 1.0)
    double coverage_beta = 0.0;  // β; 0 turns the coverage penalty off; > 0 needs attention
};

// Throws unless α ≥ 0 and β ≥ 0; `search` names the caller in the message.
void check_score_options(const char* search, const ScoreOptions& options);

// lp(Y) for a hypothesis of `length` tokens.
double length_penalty(const ScoreOptions& options, int64_t length);

// cp(X; Y) from the attention summed over the output steps, one sum per source position.
double coverage_penalty(double beta, std::span<const double> attention_sums);

// log_prob / lp + coverage (coverage: the value of coverage_penalty, 0 when off).
double hypothesis_score(const ScoreOptions& options, double log_prob, int64_t length,
                        double coverage);

}  // namespace glimpse::decode
