#include "decode/greedy.hpp"

#include <cmath>

#include "decode/token_by_token.hpp"

namespace glimpse::decode {

namespace {

// The first most probable token other than `banned`; -1 when none has a non-zero probability.
int64_t most_probable(const double* log_probs, int64_t vocab_size, int64_t banned) {
    int64_t best = -1;
    double best_log_prob = -INFINITY;
    for (int64_t v = 0; v < vocab_size; ++v) {
        if (v != banned && log_probs[v] > best_log_prob) {
            best = v;
            best_log_prob = log_probs[v];
        }
    }
    return best;
}

}  // namespace

std::vector<Hypothesis> greedy_search(StepModel& model, const DecodeOptions& options) {
    return decode_token_by_token("greedy_search", model, options, most_probable);
}

}  // namespace glimpse::decode
