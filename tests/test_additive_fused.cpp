// The fused additive scores (attention/additive.cpp): the same values and gradients as the
// composed ones, gradcheck of the fused backward on its own (with a non-contiguous input), and
// its shape checks. The scorers built on it are tested in tests/test_attention.cpp.

#include <doctest/doctest.h>

#include "attention/additive.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/random.hpp"
#include "tests/gradcheck_table.hpp"
#include "tests/recurrent_testing.hpp"

using namespace glimpse;
using attention::additive_scores;
using attention::additive_scores_composed;
using testing::Args;
using testing::max_difference;

TEST_CASE("additive_scores: fused and composed agree in value and gradient, float32 and float64") {
    for (const DType dtype : {DType::Float32, DType::Float64}) {
        CAPTURE(dtype_name(dtype));
        Generator generator(3);
        const Tensor keys = randn({3, 5, 17}, dtype, generator).requires_grad_();
        const Tensor query = randn({3, 17}, dtype, generator).requires_grad_();
        const Tensor v = randn({1, 17}, dtype, generator).requires_grad_();
        const Tensor upstream = randn({3, 5}, dtype, generator);
        const auto run = [&](auto scores) {
            for (const Tensor* x : {&keys, &query, &v}) x->zero_grad();
            const Tensor out = scores(keys, query, v);
            out.backward(upstream);
            return std::vector<Tensor>{out, keys.grad(), query.grad(), v.grad()};
        };
        const auto fused = run(additive_scores);
        const auto composed = run(additive_scores_composed);
        const double tolerance = dtype == DType::Float32 ? 1e-5 : 1e-12;
        for (std::size_t k = 0; k < fused.size(); ++k) {
            CAPTURE(k);
            CHECK(max_difference(fused[k], composed[k]) < tolerance);
        }
    }
}

TEST_CASE("additive_scores: bad shapes and dtypes are reported") {
    const Tensor keys = zeros({2, 3, 4});
    CHECK_THROWS_WITH_AS(additive_scores(keys, zeros({2, 5}), zeros({1, 4})),
                         doctest::Contains("must be [B, S, A], [B, A] and [1, A]"), Error);
    CHECK_THROWS_WITH_AS(additive_scores(keys, zeros({2, 4}), zeros({1, 4}, DType::Float64)),
                         doctest::Contains("additive_scores"), Error);
}

TEST_SUITE("gradcheck") {
    TEST_CASE("gradcheck: fused additive_scores w.r.t. keys, query (transposed) and v") {
        testing::Inputs inputs(71);
        testing::check_gradient(
            "additive_scores fused [2, 3, 4] + [2, 4] (transposed), v [1, 4]",
            [](const Args& in) { return additive_scores(in[0], in[1], in[2]); },
            {inputs.uniform({2, 3, 4}), inputs.uniform({4, 2}).t(), inputs.uniform({1, 4})});
    }
}
