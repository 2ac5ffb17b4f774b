// Tests of the hand-written kernels under every attention step: dot_scores and attend
// (attention/batched_products.cpp) against the same products by matmul, the fused additive score
// against the composed one (attention/additive.hpp), in float32 and float64, forward and
// gradients; gradcheck of each; their errors.

#include <doctest/doctest.h>

#include <cmath>

#include "attention/additive.hpp"
#include "attention/batched_products.hpp"
#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "tests/gradcheck_table.hpp"

using namespace glimpse;
using namespace glimpse::attention;
using testing::Args;
using testing::Function;

namespace {

// The largest |a - b| over all elements.
double largest_difference(const Tensor& a, const Tensor& b) {
    REQUIRE(a.shape() == b.shape());
    const std::vector<double> x = a.to_vector();
    const std::vector<double> y = b.to_vector();
    double largest = 0;
    for (std::size_t i = 0; i < x.size(); ++i) largest = std::max(largest, std::abs(x[i] - y[i]));
    return largest;
}

// Runs f and g on fresh leaves with the values of `inputs`, backpropagates one upstream
// gradient through each, and checks that outputs and input gradients agree within `tolerance`.
void check_same(const Function& f, const Function& g, const std::vector<Tensor>& inputs,
                double tolerance) {
    std::vector<Tensor> a, b;
    for (const Tensor& x : inputs) {
        a.push_back(x.detach().clone().requires_grad_());
        b.push_back(x.detach().clone().requires_grad_());
    }
    const Tensor out_a = f(a);
    const Tensor out_b = g(b);
    CHECK(largest_difference(out_a, out_b) <= tolerance);
    const Tensor upstream = uniform(out_a.shape(), -1, 1, out_a.dtype());
    out_a.backward(upstream);
    out_b.backward(upstream);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        INFO("gradient of input ", i);
        CHECK(largest_difference(a[i].grad(), b[i].grad()) <= tolerance);
    }
}

}  // namespace

TEST_CASE("dot_scores and attend equal their batched matmuls, values and gradients") {
    for (const DType dtype : {DType::Float32, DType::Float64}) {
        const double tolerance = dtype == DType::Float32 ? 1e-5 : 1e-12;
        const Tensor keys = uniform({3, 5, 7}, -1, 1, dtype);
        check_same([](const Args& in) { return dot_scores(in[0], in[1]); },
                   [](const Args& in) { return matmul(in[0], in[1].unsqueeze(2)).squeeze(2); },
                   {keys, uniform({3, 7}, -1, 1, dtype)}, tolerance);
        check_same([](const Args& in) { return attend(in[0], in[1]); },
                   [](const Args& in) { return matmul(in[0].unsqueeze(1), in[1]).squeeze(1); },
                   {uniform({3, 5}, 0, 1, dtype), keys}, tolerance);
    }
}

TEST_CASE("additive_scores: fused equals composed, values and gradients, float32 and float64") {
    for (const DType dtype : {DType::Float32, DType::Float64}) {
        const double tolerance = dtype == DType::Float32 ? 2e-5 : 1e-12;
        // Spread to +-3 so that tanh runs both near zero and in saturation.
        check_same([](const Args& in) { return additive_scores(in[0], in[1], in[2]); },
                   [](const Args& in) { return additive_scores_composed(in[0], in[1], in[2]); },
                   {uniform({4, 6, 33}, -3, 3, dtype), uniform({4, 33}, -1, 1, dtype),
                    uniform({1, 33}, -1, 1, dtype)},
                   tolerance);
    }
}

TEST_CASE("additive_scores: without a graph (decoding), the same scores from one row of scratch") {
    const Tensor keys = uniform({4, 6, 33}, -3, 3);
    const Tensor query = uniform({4, 33}, -1, 1);
    const Tensor v = uniform({1, 33}, -1, 1).requires_grad_();
    const Tensor recorded = additive_scores(keys, query, v);
    const NoGradGuard no_grad;
    CHECK(additive_scores(keys, query, v).to_vector() == recorded.to_vector());
}

TEST_CASE("attention kernels: errors name the op and the shapes") {
    CHECK_THROWS_WITH_AS(dot_scores(zeros({2, 3, 4}), zeros({2, 3})),
                         doctest::Contains("dot_scores: keys and query: [2, 3, 4] float32 and "
                                           "[2, 3] float32 must be [B, S, H] and [B, H]"),
                         Error);
    CHECK_THROWS_WITH_AS(attend(zeros({2, 4}), zeros({2, 3, 4})),
                         doctest::Contains("attend: values and weights: [2, 3, 4] float32 and "
                                           "[2, 4] float32 must be [B, S, H] and [B, S]"),
                         Error);
    CHECK_THROWS_WITH_AS(attend(zeros({2, 3}, DType::Float64), zeros({2, 3, 4})),
                         doctest::Contains("attend"), Error);
    CHECK_THROWS_WITH_AS(attend(zeros({2, 3}), zeros({2, 3})),
                         doctest::Contains("must be [B, S, H] and [B, S]"), Error);
    CHECK_THROWS_WITH_AS(additive_scores(zeros({2, 3, 4}), zeros({2, 5}), zeros({1, 4})),
                         doctest::Contains("additive_scores: projected_keys [2, 3, 4] float32, "
                                           "projected_query [2, 5] float32 and v_weight [1, 4] "
                                           "float32 must be [B, S, A], [B, A] and [1, A]"),
                         Error);
}

TEST_SUITE("gradcheck") {
    TEST_CASE("gradcheck: dot_scores, attend and the fused additive score") {
        testing::Inputs inputs(431);
        testing::check_gradient("dot_scores [2, 3, 4] . [2, 4]",
                                [](const Args& in) { return dot_scores(in[0], in[1]); },
                                {inputs.uniform({2, 3, 4}), inputs.uniform({2, 4})});
        testing::check_gradient(
            "dot_scores transposed keys, query a view",
            [](const Args& in) { return dot_scores(in[0].transpose(1, 2), in[1].t()); },
            {inputs.uniform({2, 4, 3}), inputs.uniform({4, 2})});
        testing::check_gradient("attend [2, 3] . [2, 3, 4]",
                                [](const Args& in) { return attend(in[0], in[1]); },
                                {inputs.uniform({2, 3}), inputs.uniform({2, 3, 4})});
        testing::check_gradient(
            "attend transposed weights and values",
            [](const Args& in) { return attend(in[0].t(), in[1].transpose(1, 2)); },
            {inputs.uniform({3, 2}), inputs.uniform({2, 4, 3})});
        const auto fused = [](const Args& in) { return additive_scores(in[0], in[1], in[2]); };
        testing::check_gradient(
            "additive_scores fused [2, 3, 5] + [2, 5], v [1, 5]", fused,
            {inputs.uniform({2, 3, 5}, -2, 2), inputs.uniform({2, 5}), inputs.uniform({1, 5})});
        testing::check_gradient(
            "additive_scores fused, keys as a transposed view",
            [](const Args& in) { return additive_scores(in[0].transpose(1, 2), in[1], in[2]); },
            {inputs.uniform({2, 5, 3}, -2, 2), inputs.uniform({2, 5}), inputs.uniform({1, 5})});
        testing::check_gradient(
            "additive_scores composed [2, 3, 5] + [2, 5], v [1, 5]",
            [](const Args& in) { return additive_scores_composed(in[0], in[1], in[2]); },
            {inputs.uniform({2, 3, 5}, -2, 2), inputs.uniform({2, 5}), inputs.uniform({1, 5})});
    }
}
