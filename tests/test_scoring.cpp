// decode/scoring: the length penalties and the GNMT coverage penalty against hand computations.

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "decode/scoring.hpp"

using namespace glimpse;
using namespace glimpse::decode;

TEST_CASE("length_penalty: none, average |Y|^alpha, GNMT ((5 + |Y|) / 6)^alpha") {
    ScoreOptions options;
    CHECK(length_penalty(options, 7) == 1.0);
    options.length_penalty = LengthPenalty::Average;
    options.alpha = 0.5;
    CHECK(length_penalty(options, 9) == doctest::Approx(3.0));
    options.length_penalty = LengthPenalty::GNMT;
    options.alpha = 2.0;
    CHECK(length_penalty(options, 7) == doctest::Approx(4.0));  // (12 / 6)^2
    options.alpha = 0.0;
    CHECK(length_penalty(options, 7) == 1.0);
}

TEST_CASE("coverage_penalty: beta * sum_i log(min(sum_j a_ij, 1))") {
    const std::vector<double> sums = {0.5, 1.7, 0.25};
    CHECK(coverage_penalty(0.2, sums) ==
          doctest::Approx(0.2 * (std::log(0.5) + 0.0 + std::log(0.25))));
    CHECK(coverage_penalty(0.2, std::vector<double>{1.0, 3.0}) == 0.0);
    CHECK(coverage_penalty(1.0, std::vector<double>{0.0, 1.0}) == -INFINITY);
}

TEST_CASE("hypothesis_score: log_prob / lp + coverage") {
    ScoreOptions options;
    options.length_penalty = LengthPenalty::Average;
    options.alpha = 1.0;
    CHECK(hypothesis_score(options, -3.0, 4, -0.5) == doctest::Approx(-1.25));
    options.alpha = -0.5;
    CHECK_THROWS_WITH_AS(check_score_options("my_search", options),
                         doctest::Contains("my_search: the length penalty's alpha must be >= 0, "
                                           "got -0.5"),
                         Error);
    options.alpha = 1.0;
    options.coverage_beta = -1.0;
    CHECK_THROWS_WITH_AS(check_score_options("my_search", options),
                         doctest::Contains("coverage penalty's beta must be >= 0"), Error);
}
