// Tests of core/ops_dropout.cpp: the mask comes from the global generator, keeps the expected
// value, is reused by backward, and bad p is an error.

#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/random.hpp"

using namespace glimpse;

TEST_CASE("dropout: identity when not training or when p is 0") {
    const Tensor x = tensor({1, 2, 3}, {3});
    CHECK(dropout(x, 0.5, false).impl() == x.impl());
    CHECK(dropout(x, 0.0).impl() == x.impl());
}

TEST_CASE("dropout: zeroes about p of the elements and scales the rest by 1/(1-p)") {
    manual_seed(11);
    const Tensor x = ones({10000}, DType::Float64);
    const std::vector<double> out = dropout(x, 0.25).to_vector();
    int64_t dropped = 0;
    int64_t neither = 0;  // values other than 0 and 1/(1-p)
    double total = 0;
    for (double v : out) {
        dropped += v == 0.0;
        neither += v != 0.0 && v != 1.0 / 0.75;
        total += v;
    }
    CHECK(neither == 0);
    CHECK(static_cast<double>(dropped) / 10000 == doctest::Approx(0.25).epsilon(0.05));
    CHECK(total / 10000 == doctest::Approx(1.0).epsilon(0.03));  // the mean is kept
}

TEST_CASE("dropout: the mask is the global generator's, so a seed reproduces it") {
    const Tensor x = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
    manual_seed(3);
    const std::vector<double> first = dropout(x, 0.5).to_vector();
    manual_seed(3);
    CHECK(dropout(x, 0.5).to_vector() == first);
    // One draw of the generator seeds a SplitMix64 stream (its reference algorithm, written out
    // here): element i is kept when the high 32 bits of output i are below (1 - p) 2^32.
    manual_seed(3);
    uint64_t state = default_generator().bits();
    for (std::size_t i = 0; i < first.size(); ++i) {
        uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z ^= z >> 31;
        const double kept = (z >> 32) < (uint64_t{1} << 31) ? 1.0 : 0.0;
        CHECK(first[i] == kept * static_cast<double>(i + 1) * 2.0);
    }
    // The draw advances the generator: the next call has another mask.
    CHECK(dropout(ones({64}, DType::Float64), 0.5).to_vector() !=
          dropout(ones({64}, DType::Float64), 0.5).to_vector());
}

TEST_CASE("dropout: reads non-contiguous input in row-major order") {
    const Tensor x = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
    manual_seed(4);
    const std::vector<double> on_copy = dropout(x.t().contiguous(), 0.3).to_vector();
    manual_seed(4);
    CHECK(dropout(x.t(), 0.3).to_vector() == on_copy);
}

TEST_CASE("dropout: backward uses the same mask, scaled") {
    manual_seed(5);
    const Tensor x = tensor({1, 2, 3, 4, 5, 6, 7, 8}, {8}, DType::Float64).requires_grad_();
    const Tensor y = dropout(x, 0.5);
    sum(y * 3.0).backward();
    const std::vector<double> out = y.to_vector();
    const std::vector<double> grad = x.grad().to_vector();
    for (std::size_t i = 0; i < out.size(); ++i) {
        // y = x * m with m in {0, 2}: dy/dx = m = y / x.
        CHECK(grad[i] == doctest::Approx(3.0 * out[i] / static_cast<double>(i + 1)));
        CHECK((grad[i] == 0.0 || grad[i] == 6.0));
    }
}

TEST_CASE("dropout: errors name the op, the input and the bad p") {
    const Tensor x = zeros({2, 3});
    CHECK_THROWS_WITH_AS(dropout(x, 1.0),
                         "dropout: p must be in [0, 1), got 1 (input [2, 3] float32)", Error);
    CHECK_THROWS_WITH_AS(dropout(x, -0.1, false), doctest::Contains("got -0.1"), Error);
    CHECK_THROWS_WITH_AS(dropout(x, NAN), doctest::Contains("got nan"), Error);
    CHECK_THROWS_WITH_AS(dropout(zeros({2}, DType::Int64), 0.5),
                         "dropout: expected a float32 or float64 tensor, got [2] int64", Error);
}
