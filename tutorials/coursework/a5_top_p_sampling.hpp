#pragma once
// Assignment a5: nucleus (top-p) sampling (Holtzman et al. 2020), a decoding rule written against
// decode::StepModel.
//
// Sampling from the whole distribution now and then draws one of the many unlikely tokens, and
// one bad token derails the rest. Top-k (decode/sampling.hpp) cuts to a fixed number of tokens;
// top-p cuts where the probability mass is: at each step it keeps the nucleus, the fewest most
// probable tokens whose probabilities sum to at least p, and draws from those alone.
//
// At each step, for each row (one per sentence still decoding):
//   1. candidates: the tokens of non-zero probability, without <eos> while fewer than
//      min_length tokens have been generated; p'_v = their probabilities renormalised to sum 1;
//   2. nucleus: sort the candidates by p' (highest first, ties to the lower id) and keep the
//      shortest prefix whose p' sum to >= top_p (at least one token);
//   3. draw u = generator.uniform() (one number per row and step, rows in order) and take the
//      first nucleus token whose running sum of p' exceeds u times the nucleus's total.
// A row ends when it draws <eos> (finished = true) or reaches its maximum length
// (options.max_length_for(model.source_length(b)); finished = false), and then leaves the model:
// select_rows() keeps only the rows still decoding, so no finished row is ever fed a token again.
// Hypothesis::log_prob (and score) is the sum of the model's own log-probabilities of the drawn
// tokens, not the renormalised ones; attention may stay undefined. A constraint
// (options.constraint, decode/token_constraint.hpp) is beyond this assignment: refuse one that
// is set with a glimpse::Error naming it, rather than ignore it.
//
// StepModel (decode/step_model.hpp): start with one row per sentence, all fed options.sos;
// step(tokens) gives log_probs [N, V] (float32 or float64: read them with to_vector());
// select_rows(rows) makes the new row i continue the old row rows[i]. Run under a NoGradGuard.
//
// What the checker tests (make check A=5), with a scripted StepModel whose probabilities are
// fixed: a tiny top_p is greedy search; top_p 0.7 draws only the two tokens of the nucleus;
// top_p 0.9 and 1 draw with the nucleus's renormalised frequencies (4,000 draws, fixed seed);
// log_prob and finished; min_length and max_length; no finished row is fed again; the same seed
// gives the same samples; top_p outside (0, 1] and a constraint are refused with errors naming
// them.

#include <vector>

#include "glimpse.hpp"

namespace coursework {

struct TopPOptions : glimpse::decode::DecodeOptions {
    double top_p = 0.9;  // in (0, 1]; 1 samples from the whole distribution
};

// One sampled hypothesis per sentence of the model's batch, in batch order.
std::vector<glimpse::decode::Hypothesis> sample_top_p(glimpse::decode::StepModel& model,
                                                      const TopPOptions& options,
                                                      glimpse::Generator& generator);

}  // namespace coursework
