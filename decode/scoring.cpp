#include "decode/scoring.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace glimpse::decode {

void check_score_options(const char* search, const ScoreOptions& options) {
    if (!(options.alpha >= 0.0)) {
        throw Error(fmt::format("{}: the length penalty's alpha must be >= 0, got {}", search,
                                options.alpha));
    }
    if (!(options.coverage_beta >= 0.0)) {
        throw Error(fmt::format("{}: the coverage penalty's beta must be >= 0, got {}", search,
                                options.coverage_beta));
    }
}

double length_penalty(const ScoreOptions& options, int64_t length) {
    const auto n = static_cast<double>(length);
    switch (options.length_penalty) {
        case LengthPenalty::None:
            return 1.0;
        case LengthPenalty::Average:
            return std::pow(n, options.alpha);
        case LengthPenalty::GNMT:
            return std::pow((5.0 + n) / 6.0, options.alpha);
    }
    return 1.0;
}

double coverage_penalty(double beta, std::span<const double> attention_sums) {
    double total = 0.0;
    for (double sum : attention_sums) total += std::log(std::min(sum, 1.0));
    return beta * total;
}

double hypothesis_score(const ScoreOptions& options, double log_prob, int64_t length,
                        double coverage) {
    return log_prob / length_penalty(options, length) + coverage;
}

}  // namespace glimpse::decode
