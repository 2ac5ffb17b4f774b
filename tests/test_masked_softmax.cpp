// Tests of attention/masked_softmax.cpp: values by hand, the invariants attention relies on
// (masked weights exactly 0, the rest summing to 1, a fully masked line all zeros with no NaN,
// even next to huge or infinite scores), its gradient by gradcheck, and its errors.

#include "attention/masked_softmax.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/random.hpp"
#include "tests/gradcheck_table.hpp"

using namespace glimpse;
using attention::masked_softmax;

TEST_CASE("masked_softmax: unmasked positions get softmax over themselves alone, by hand") {
    // Line 0 keeps positions 0 and 2: softmax([1, 3]) = [1, e^2] / (1 + e^2).
    const Tensor scores = tensor({1, 2, 3, 0.5, -1, 4}, {2, 3}, DType::Float64);
    const Tensor mask = tensor({1, 0, 1, 1, 1, 1}, {2, 3}, DType::Bool);
    const std::vector<double> w = masked_softmax(scores, mask).to_vector();
    const double e2 = std::exp(2.0);
    CHECK(w[0] == doctest::Approx(1 / (1 + e2)).epsilon(1e-14));
    CHECK(w[1] == 0.0);
    CHECK(w[2] == doctest::Approx(e2 / (1 + e2)).epsilon(1e-14));
    const std::vector<double> full = softmax(scores, 1).to_vector();
    for (int i = 3; i < 6; ++i) CHECK(w[i] == doctest::Approx(full[i]).epsilon(1e-14));
}

TEST_CASE("masked_softmax: without a mask it is softmax over the last dim") {
    const Tensor scores = randn({3, 2, 5}, DType::Float64);
    const std::vector<double> got = masked_softmax(scores).to_vector();
    const std::vector<double> expected = softmax(scores, -1).to_vector();
    for (std::size_t i = 0; i < got.size(); ++i) {
        CHECK(got[i] == doctest::Approx(expected[i]).epsilon(1e-14));
    }
}

TEST_CASE("masked_softmax: masked exactly 0, rows sum to 1, a fully masked row all zeros") {
    const double inf = std::numeric_limits<double>::infinity();
    for (const DType dtype : {DType::Float32, DType::Float64}) {
        // Masked entries hold values that would break a naive softmax: huge, -inf, NaN.
        const Tensor scores =
            tensor({1e30, 2, -3, inf, NAN, 0.5, 0.25, 7, -inf, 1e4, -1e4, 3}, {3, 4}, dtype);
        const Tensor mask = tensor({0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1}, {3, 4}, DType::Bool);
        const Tensor w = masked_softmax(scores, mask);
        CHECK(w.dtype() == dtype);
        const std::vector<double> v = w.to_vector();
        const std::vector<double> kept = mask.to_vector();
        for (int row = 0; row < 3; ++row) {
            double total = 0;
            for (int s = 0; s < 4; ++s) {
                const double value = v[row * 4 + s];
                CHECK_FALSE(std::isnan(value));
                if (kept[row * 4 + s] == 0) CHECK(value == 0.0);
                total += value;
            }
            CHECK(total == doctest::Approx(row == 1 ? 0.0 : 1.0).epsilon(1e-6));
        }
        CHECK(v[9] == 1.0);  // e^(1e4 - 1e4) / (1 + e^-2e4 + e^-9997)
    }
}

TEST_CASE("masked_softmax: a fully masked row gets a zero gradient, not NaN") {
    const Tensor scores = randn({2, 3}, DType::Float64).requires_grad_();
    const Tensor mask = tensor({0, 0, 0, 1, 0, 1}, {2, 3}, DType::Bool);
    const Tensor upstream = randn({2, 3}, DType::Float64);
    masked_softmax(scores, mask).backward(upstream);
    const std::vector<double> g = scores.grad().to_vector();
    for (int i = 0; i < 3; ++i) CHECK(g[i] == 0.0);
    CHECK(g[4] == 0.0);
    CHECK(g[3] != 0.0);
    CHECK(g[3] + g[5] == doctest::Approx(0.0).epsilon(1e-12));  // the weights' sum is fixed at 1
}

TEST_CASE("masked_softmax: errors name the op and the shapes") {
    const Tensor scores = zeros({2, 3});
    CHECK_THROWS_WITH_AS(masked_softmax(scores, zeros({2, 3})),
                         doctest::Contains("masked_softmax: mask must be bool"), Error);
    CHECK_THROWS_WITH_AS(masked_softmax(scores, ones({3, 2}, DType::Bool)),
                         doctest::Contains("mask [3, 2] bool must have the shape of scores [2, 3]"),
                         Error);
    CHECK_THROWS_WITH_AS(masked_softmax(zeros({2}, DType::Int64)),
                         doctest::Contains("masked_softmax"), Error);
    CHECK_THROWS_WITH_AS(masked_softmax(scalar_tensor(1.0)), doctest::Contains("at least 1 dim"),
                         Error);
}

TEST_SUITE("gradcheck") {
    TEST_CASE("gradcheck: masked_softmax with and without a mask") {
        using testing::Args;
        testing::Inputs inputs(401);
        const auto f = [](const Args& in) { return masked_softmax(in[0], in[1]); };
        const Tensor partly = tensor({1, 0, 1, 1, 1, 1, 0, 1, 0, 0, 1, 1}, {3, 4}, DType::Bool);
        const Tensor with_empty_row =
            tensor({1, 0, 1, 1, 0, 0, 0, 0, 0, 1, 1, 0}, {3, 4}, DType::Bool);
        testing::check_gradient("masked_softmax [3, 4] no mask",
                                [](const Args& in) { return masked_softmax(in[0]); },
                                {inputs.uniform({3, 4}, -2, 2)});
        testing::check_gradient("masked_softmax [3, 4] masked", f,
                                {inputs.uniform({3, 4}, -2, 2), partly});
        testing::check_gradient("masked_softmax [3, 4] a fully masked row", f,
                                {inputs.uniform({3, 4}, -2, 2), with_empty_row});
        testing::check_gradient("masked_softmax [4, 3] transposed input, masked", f,
                                {inputs.uniform({4, 3}, -2, 2).t(), partly});
        testing::check_gradient(
            "masked_softmax [2, 3, 4] 3-d, masked", f,
            {inputs.uniform({2, 3, 4}, -2, 2), gt(uniform({2, 3, 4}, 0, 1), scalar_tensor(0.3))});
    }
}
