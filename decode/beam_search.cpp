#include "decode/beam_search.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/packed_weights.hpp"
#include "decode/model_step.hpp"

namespace glimpse::decode {

namespace {

// An expansion of one of a sentence's live hypotheses: index = its row within the sentence * V +
// the token.
struct Candidate {
    double log_prob;
    int64_t index;
};

// Best first; ties to the earlier row, then the lower token id (positions within the sentence,
// so the order does not depend on the other sentences of the batch).
bool ranks_before(const Candidate& a, const Candidate& b) {
    return a.log_prob > b.log_prob || (a.log_prob == b.log_prob && a.index < b.index);
}

void check_beam_options(const BeamSearchOptions& options) {
    if (options.beam_size < 1) {
        throw Error(fmt::format("beam_search: beam_size must be >= 1, got {}", options.beam_size));
    }
    if (options.n_best < 1 || options.n_best > options.beam_size) {
        throw Error(fmt::format("beam_search: n_best must be in [1, beam_size = {}], got {}",
                                options.beam_size, options.n_best));
    }
    check_score_options("beam_search", options);
}

// The best `count` expansions of rows [first, last) (a sentence's live hypotheses) into
// `candidates`, best first; tokens of zero probability and the `banned` token left out.
void top_candidates(const StepResult& step, const LiveRows& live, int64_t first, int64_t last,
                    int64_t banned, std::size_t count, std::vector<Candidate>& candidates) {
    candidates.clear();
    const int64_t vocab = step.vocab_size;
    for (int64_t r = first; r < last; ++r) {
        const double* lp = step.row(r);
        for (int64_t v = 0; v < vocab; ++v) {
            if (v == banned || lp[v] == -INFINITY) continue;
            candidates.push_back({live.log_prob[r] + lp[v], (r - first) * vocab + v});
        }
    }
    const std::size_t kept = std::min(count, candidates.size());
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(kept),
                      candidates.end(), ranks_before);
    candidates.resize(kept);
}

// True when no live hypothesis (log-probabilities in live_log_probs) can still enter the n-best
// list of a sentence whose finished hypotheses are `endings`: see the header.
bool cannot_improve(const BeamSearchOptions& options, const std::vector<Ending>& endings,
                    const std::vector<double>& live_log_probs, int64_t max_length) {
    if (static_cast<int64_t>(endings.size()) < options.n_best) return false;
    std::vector<double> scores;
    for (const Ending& e : endings) scores.push_back(e.score);
    std::nth_element(scores.begin(), scores.begin() + (options.n_best - 1), scores.end(),
                     std::greater<>());
    const double worst_kept = scores[options.n_best - 1];
    const double best_live = *std::max_element(live_log_probs.begin(), live_log_probs.end());
    return best_live / length_penalty(options, max_length) <= worst_kept;
}

// One search over a model's batch: the finished hypotheses of every sentence, the history.
class BeamSearch {
  public:
    BeamSearch(StepModel& model, const BeamSearchOptions& options)
        : model_(model),
          options_(options),
          beam_(static_cast<std::size_t>(options.beam_size)),
          max_length_(max_lengths("beam_search", model, options)),
          endings_(static_cast<std::size_t>(model.batch_size())) {}

    std::vector<NBestList> run() {
        LiveRows live = LiveRows::start(model_.batch_size(), options_.sos);
        for (int64_t t = 0; live.size() > 0; ++t) {
            StepResult step = checked_step("beam_search", model_, live.token);
            apply_constraint("beam_search", options_, history_, live, t, step);
            history_.record_attention(step.attention);
            LiveRows next;
            for (int64_t first = 0, last = 0; first < static_cast<int64_t>(live.size());
                 first = last) {
                const int64_t b = live.sentence[first];
                while (last < static_cast<int64_t>(live.size()) && live.sentence[last] == b) ++last;
                expand_sentence(step, t, live, first, last, next);
            }
            if (!advance_rows(model_, history_, live, std::move(next))) break;
        }
        return n_best_lists(history_, endings_, options_.n_best, model_);
    }

  private:
    // Steps 2 and 3 of the header for one sentence, whose live hypotheses are rows [first, last)
    // of `live` at step t: its finished ones go to endings_, its next beam to the end of `next`.
    void expand_sentence(const StepResult& step, int64_t t, const LiveRows& live, int64_t first,
                         int64_t last, LiveRows& next) {
        const int64_t b = live.sentence[first];
        const int64_t banned = t < options_.min_length ? options_.eos : -1;
        top_candidates(step, live, first, last, banned, 2 * beam_, candidates_);
        if (candidates_.empty() && options_.constraint) {
            throw Error(fmt::format(
                "beam_search: at step {}, sentence {} has no hypothesis left: every token the "
                "constraint allows {}has probability 0 under the model",
                t, b, banned < 0 ? "" : "(besides <eos>, which min_length forbids) "));
        }
        const std::size_t sentence_start = next.size();
        std::size_t kept = 0;
        for (std::size_t rank = 0; rank < candidates_.size(); ++rank) {
            const Candidate& c = candidates_[rank];
            const int64_t row = first + c.index / step.vocab_size;
            const int64_t v = c.index % step.vocab_size;
            const bool ends = v == options_.eos;
            if ((ends && rank >= beam_) || (!ends && kept == beam_)) continue;
            if (ends || t + 1 == max_length_[b]) {  // finished, or cut at the maximum length
                Ending ending{0.0, c.log_prob, t, row, v, ends};
                ending.score = history_.score(options_, ending, model_.source_length(b));
                endings_[b].push_back(ending);
            }
            if (!ends) {
                ++kept;
                if (t + 1 < max_length_[b]) next.push(b, row, v, c.log_prob);
            }
        }
        const std::vector<double> live_log_probs(next.log_prob.begin() + sentence_start,
                                                 next.log_prob.end());
        if (!live_log_probs.empty() &&
            cannot_improve(options_, endings_[b], live_log_probs, max_length_[b])) {
            next.truncate(sentence_start);  // the sentence is done: its rows leave the batch
        }
    }

    StepModel& model_;
    const BeamSearchOptions& options_;
    const std::size_t beam_;
    const std::vector<int64_t> max_length_;
    std::vector<std::vector<Ending>> endings_;  // per sentence
    SearchHistory history_;
    std::vector<Candidate> candidates_;  // scratch, reused at every step
};

}  // namespace

std::vector<NBestList> beam_search(StepModel& model, const BeamSearchOptions& options) {
    check_beam_options(options);
    NoGradGuard no_grad;
    const WeightPacking packing;  // the model's weights, packed once for every step
    return BeamSearch(model, options).run();
}

}  // namespace glimpse::decode
