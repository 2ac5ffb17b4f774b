#include "decode/sampling.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "decode/token_by_token.hpp"

namespace glimpse::decode {

namespace {

// Draws one token from a row's log-probabilities, reshaped by temperature and top-k; keeps its
// scratch vectors between rows.
class Sampler {
  public:
    Sampler(const SamplingOptions& options, Generator& generator)
        : options_(options), generator_(generator) {}

    // -1 when no token may be drawn (all have zero probability or are banned).
    int64_t operator()(const double* log_probs, int64_t vocab_size, int64_t banned) {
        tokens_.clear();
        for (int64_t v = 0; v < vocab_size; ++v) {
            if (v != banned && log_probs[v] != -INFINITY) tokens_.push_back(v);
        }
        if (tokens_.empty()) return -1;
        const auto k = static_cast<std::size_t>(options_.top_k);
        if (k > 0 && k < tokens_.size()) {
            std::partial_sort(tokens_.begin(), tokens_.begin() + static_cast<std::ptrdiff_t>(k),
                              tokens_.end(), [log_probs](int64_t a, int64_t b) {
                                  return log_probs[a] > log_probs[b] ||
                                         (log_probs[a] == log_probs[b] && a < b);
                              });
            tokens_.resize(k);
        }
        // exp((log p - max) / T): the largest weight is 1, so a tiny T cannot overflow.
        double largest = -INFINITY;
        for (int64_t v : tokens_) largest = std::max(largest, log_probs[v]);
        weights_.clear();
        double total = 0.0;
        for (int64_t v : tokens_) {
            weights_.push_back(std::exp((log_probs[v] - largest) / options_.temperature));
            total += weights_.back();
        }
        const double u = generator_.uniform() * total;
        double cumulative = 0.0;
        for (std::size_t i = 0; i < tokens_.size(); ++i) {
            cumulative += weights_[i];
            if (u < cumulative) return tokens_[i];
        }
        return tokens_.back();  // u within rounding of the total
    }

  private:
    const SamplingOptions& options_;
    Generator& generator_;
    std::vector<int64_t> tokens_;
    std::vector<double> weights_;
};

}  // namespace

std::vector<Hypothesis> sample(StepModel& model, const SamplingOptions& options,
                               Generator& generator) {
    if (!(options.temperature > 0.0)) {
        throw Error(fmt::format("sample: temperature must be > 0, got {}", options.temperature));
    }
    if (options.top_k < 0) {
        throw Error(fmt::format("sample: top_k must be >= 0 (0: no limit), got {}", options.top_k));
    }
    Sampler sampler(options, generator);
    return decode_token_by_token(
        "sample", model, options,
        [&sampler](const double* log_probs, int64_t vocab_size, int64_t banned) {
            return sampler(log_probs, vocab_size, banned);
        });
}

}  // namespace glimpse::decode
