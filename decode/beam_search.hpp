#pragma once
// Beam search: keep the k most probable partial outputs (the beam) at every step.
//
// Greedy search commits to one token per step. Beam search hedges: it keeps k hypotheses per
// sentence, and at each step
//   1. runs the decoder once on every live hypothesis (all hypotheses of all sentences are rows
//      of one batch: one step() per time step, whatever the batch size or k);
//   2. expands each hypothesis by every token: candidate (h, v) has the log-probability
//      log P(h) + log P(v | h), the total over its tokens;
//   3. keeps the best 2k candidates of each sentence by that total. Walking them best first, a
//      candidate ending in <eos> becomes a finished hypothesis if it ranks among the first k
//      (an <eos> further down would not have earned a place in the beam, so it does not count);
//      the first k candidates that do not end in <eos> form the next beam. 2k candidates always
//      hold k that do not end in <eos>, because each hypothesis has only one <eos> candidate;
//   4. reorders the model's decoder states to follow the survivors (StepModel::select_rows),
//      dropping the finished ones: a finished hypothesis is never extended.
// With options.constraint set (decode/token_constraint.hpp), step 2 expands each hypothesis only
// by the tokens the constraint allows after it: the others count as probability 0.
// Pruning ranks by the total log-probability alone; a finished hypothesis is then scored with
// the length and coverage penalties (decode/scoring.hpp), and the n-best list is the best scores.
//
// When to stop. Without a length penalty a sentence could stop as soon as it had n_best finished
// hypotheses that all beat every live one: log-probabilities are <= 0, so a live hypothesis only
// loses probability as it grows. A length penalty breaks that: dividing by lp(|Y|), which grows
// with length, can lift a longer hypothesis above a shorter one that finished first. So a
// sentence stops only when no live hypothesis h could still win: its best possible score is
//     log P(h) / lp(max_length) + 0
// (its log-probability cannot rise, the largest divisor is at the maximum length, and the
// coverage penalty is at most 0), and when that is no better than the n_best-th finished score,
// no continuation can enter the n-best list. A sentence also stops at its maximum length (live
// hypotheses are then cut and scored as they are) or when nothing is live. Its rows then leave
// the batch, so the decoder does less work as sentences finish.
//
// Each sentence is searched on its own rows, with ties broken by position within the sentence,
// so a sentence gets the same n-best list alone or inside any batch (if the model computes each
// row independently of the others). With k = 1 and no penalty, beam search is greedy search; a
// beam large enough to hold every hypothesis is exhaustive search (decode/exhaustive.hpp), and
// the tests check both.

#include <cstdint>
#include <vector>

#include "decode/decode_options.hpp"
#include "decode/hypothesis.hpp"
#include "decode/scoring.hpp"
#include "decode/step_model.hpp"

namespace glimpse::decode {

struct BeamSearchOptions : DecodeOptions, ScoreOptions {
    int64_t beam_size = 5;  // k, the hypotheses kept per sentence
    int64_t n_best = 1;     // the hypotheses returned per sentence, at most beam_size
};

// One n-best list per sentence of the model's batch, in batch order, best first (fewer than
// n_best, or none, only when the model gives too few tokens a non-zero probability). Tokens of
// zero probability (log-probability -inf) are never chosen. Runs under no-grad.
std::vector<NBestList> beam_search(StepModel& model, const BeamSearchOptions& options = {});

}  // namespace glimpse::decode
