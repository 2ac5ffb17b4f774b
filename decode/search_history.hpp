#pragma once
// Internal to decode/: the back-pointers of a search, from which any hypothesis is rebuilt.
//
// A search keeps no token lists per row. At each step it records, for every row entering the
// step, which row of the previous step it continues (its parent) and the token it appended, and
// the step's attention. A hypothesis is then the chain of parents walked back from its last row,
// built only for the hypotheses that are returned (fairseq copies whole token and attention
// histories at every reorder instead).

#include <cstdint>
#include <vector>

#include "core/tensor.hpp"
#include "decode/hypothesis.hpp"
#include "decode/scoring.hpp"

namespace glimpse::decode {

// A hypothesis that ended at `step`: row `row` of that step followed by `token` (<eos>, or the
// last token allowed by the maximum length when finished is false).
struct Ending {
    double score = 0.0;
    double log_prob = 0.0;
    int64_t step = 0;
    int64_t row = 0;
    int64_t token = 0;
    bool finished = false;
};

// The live hypotheses of all sentences, one per row, each sentence's rows together in batch
// order: its sentence, the row of the previous step it continues, its last token (what the next
// step is fed) and its total log-probability.
struct LiveRows {
    std::vector<int64_t> sentence, parent, token;
    std::vector<double> log_prob;

    // One row per sentence, fed <sos>: the rows of the first step.
    static LiveRows start(int64_t batch, int64_t sos);
    std::size_t size() const { return sentence.size(); }
    void push(int64_t b, int64_t row, int64_t v, double lp);
    void truncate(std::size_t n);  // keeps the first n rows
};

class SearchHistory {
  public:
    // The step's attention [N, S] float32 contiguous, or undefined: call once per step.
    void record_attention(const Tensor& attention);
    // The rows of the next step, `next`.
    void advance(const LiveRows& next);
    // The tokens that row `row` of the current step has generated so far (without <sos>).
    std::vector<int64_t> prefix(int64_t row) const;

    // The tokens and attention [length, source_length] of `ending`; score and log_prob copied.
    Hypothesis trace(const Ending& ending, int64_t source_length) const;
    // `options`' score of `ending` (its coverage penalty summed along its path).
    double score(const ScoreOptions& options, const Ending& ending, int64_t source_length) const;
    // The n_best best endings (highest score first, earlier found first on ties), traced.
    NBestList best(std::vector<Ending> endings, int64_t n_best, int64_t source_length) const;

  private:
    struct Layer {
        std::vector<int64_t> parents;  // empty for the first step (one row per sentence)
        std::vector<int64_t> tokens;
        Tensor attention;  // [N, S] of this step's rows, or undefined
    };
    // The row of each step 0..ending.step on ending's path.
    std::vector<int64_t> path(const Ending& ending) const;

    std::vector<Layer> layers_ = std::vector<Layer>(1);
};

}  // namespace glimpse::decode
