// Tests of the position-based scorers: Luong's location-based attention and local attention
// (local-m and local-p) on values worked out by hand from their inner scorer, their windows at
// the edges of a sentence, gradcheck through local-p's predicted position, and their errors.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <memory>

#include "attention/local.hpp"
#include "attention/location.hpp"
#include "attention/masked_softmax.hpp"
#include "attention/multiplicative.hpp"
#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "tests/attention_testing.hpp"
#include "tests/gradcheck_table.hpp"
#include "tests/parameter_gradcheck.hpp"

using namespace glimpse;
using namespace glimpse::attention;
using testing::Args;

namespace {

std::shared_ptr<LocalAttention> local_general(LocalMode mode, int64_t window,
                                              int64_t position_size = 0) {
    return std::make_shared<LocalAttention>(
        std::make_shared<GeneralAttention>(3, 4, DType::Float64), mode, window, position_size,
        DType::Float64);
}

// softmax of row b's scores over the positions `kept`, zero elsewhere.
std::vector<double> softmax_over(const std::vector<double>& scores, const std::vector<int>& kept) {
    std::vector<double> out(scores.size(), 0.0);
    double total = 0;
    for (const int s : kept) total += std::exp(scores[s]);
    for (const int s : kept) out[s] = std::exp(scores[s]) / total;
    return out;
}

std::vector<double> row(const Tensor& x, int64_t b) {
    return x.select(0, b).to_vector();
}

}  // namespace

TEST_CASE("local-m: the window [t - D, t + D] around the step, clamped into the sentence") {
    Generator generator(21);
    const auto local = local_general(LocalMode::Monotonic, 1);
    const testing::Source src = testing::random_source(2, 6, 4, 3, {6, 2}, generator);
    const Tensor query = uniform({2, 3}, -1, 1, DType::Float64, generator);
    const PreparedSource prepared = local->prepare(src.keys, src.values, src.mask);
    const Tensor scores = local->inner->score(query, prepared);
    const AttentionOutput out = local->forward(query, prepared, 3);
    CHECK(local->centre(query, prepared, 3).to_vector() == std::vector<double>{3, 1});
    // Row 0 looks at 2, 3, 4; row 1 has 2 words, so its centre is clamped to its last, 1.
    const std::vector<std::vector<int>> windows = {{2, 3, 4}, {0, 1}};
    for (int64_t b = 0; b < 2; ++b) {
        const std::vector<double> expected = softmax_over(row(scores, b), windows[b]);
        const std::vector<double> got = row(out.weights, b);
        for (std::size_t s = 0; s < got.size(); ++s) {
            CHECK(got[s] == doctest::Approx(expected[s]).epsilon(1e-12));
        }
    }
    const std::vector<double> first = row(local->forward(query, prepared, 0).weights, 0);
    CHECK(first[0] + first[1] == doctest::Approx(1.0).epsilon(1e-12));  // window [-1, 1]
}

TEST_CASE("local-p: window around p_t = S_b sigmoid(v_p^T tanh(W_p q)), times a Gaussian") {
    Generator generator(22);
    const int64_t window = 2;
    const auto local = local_general(LocalMode::Predictive, window, 5);
    const testing::Source src = testing::random_source(3, 7, 4, 3, {7, 4, 5}, generator);
    const Tensor query = uniform({3, 3}, -2, 2, DType::Float64, generator);
    const PreparedSource prepared = local->prepare(src.keys, src.values, src.mask);
    const Tensor scores = local->inner->score(query, prepared);
    const AttentionOutput out = local->forward(query, prepared);
    const std::vector<double> centres = local->centre(query, prepared, 0).to_vector();
    const std::vector<int64_t> lengths = {7, 4, 5};
    const std::vector<double> raw =
        local->position_v->forward(tanh(local->position_proj->forward(query))).to_vector();
    const double sigma = window / 2.0;
    for (int64_t b = 0; b < 3; ++b) {
        INFO("row ", b, ", centre ", centres[b]);
        CHECK(centres[b] == doctest::Approx(lengths[b] / (1 + std::exp(-raw[b]))).epsilon(1e-12));
        std::vector<int> kept;
        for (int s = 0; s < lengths[b]; ++s) {
            if (std::abs(s - centres[b]) <= window) kept.push_back(s);
        }
        REQUIRE_FALSE(kept.empty());
        const std::vector<double> align = softmax_over(row(scores, b), kept);
        const std::vector<double> got = row(out.weights, b);
        for (int s = 0; s < 7; ++s) {
            const double d = s - centres[b];
            const double expected = align[s] * std::exp(-d * d / (2 * sigma * sigma));
            CHECK(got[s] == doctest::Approx(expected).epsilon(1e-12));
        }
    }
}

TEST_CASE("location: softmax(W_a q) over the first S of max_length positions, keys unread") {
    Generator generator(23);
    LocationAttention location(3, 6, DType::Float64);
    const testing::Source src = testing::random_source(2, 4, 5, 3, {4, 3}, generator);
    const Tensor query = uniform({2, 3}, -1, 1, DType::Float64, generator);
    const AttentionOutput out =
        location.forward(query, location.prepare(src.keys, src.values, src.mask));
    const Tensor all_scores = location.location_proj->forward(query);  // [2, 6]
    for (int64_t b = 0; b < 2; ++b) {
        const std::vector<double> expected = softmax_over(
            row(all_scores, b), b == 0 ? std::vector<int>{0, 1, 2, 3} : std::vector<int>{0, 1, 2});
        const std::vector<double> got = row(out.weights, b);
        for (std::size_t s = 0; s < got.size(); ++s) {
            CHECK(got[s] == doctest::Approx(expected[s]).epsilon(1e-12));
        }
    }
    CHECK_THROWS_WITH_AS(
        location.prepare(zeros({2, 7, 5}, DType::Float64), zeros({2, 7, 3}, DType::Float64)),
        doctest::Contains("LocationAttention.prepare: keys [2, 7, 5] float64 are "
                          "longer than max_length 6"),
        Error);
}

TEST_CASE("local and location: parameter names and errors") {
    const auto names = [](const nn::Module& module) {
        std::vector<std::string> out;
        for (const auto& [name, p] : module.named_parameters()) out.push_back(name);
        return out;
    };
    CHECK(names(*local_general(LocalMode::Predictive, 2, 5)) ==
          std::vector<std::string>{"inner.key_proj.weight", "position_proj.weight",
                                   "position_v.weight"});
    CHECK(names(*local_general(LocalMode::Monotonic, 2)) ==
          std::vector<std::string>{"inner.key_proj.weight"});
    CHECK(names(LocationAttention(3, 6)) == std::vector<std::string>{"location_proj.weight"});
    CHECK_THROWS_WITH_AS(local_general(LocalMode::Predictive, 0, 5),
                         doctest::Contains("LocalAttention: local-p needs window >= 1 and "
                                           "position_size > 0, got window=0, position_size=5"),
                         Error);
    CHECK_THROWS_WITH_AS(local_general(LocalMode::Monotonic, 1, 5),
                         doctest::Contains("local-m needs window >= 0 and position_size 0"), Error);
    CHECK_THROWS_WITH_AS(LocalAttention(nullptr, LocalMode::Monotonic, 1),
                         doctest::Contains("LocalAttention: the inner scorer is null"), Error);
}

TEST_SUITE("gradcheck") {
    TEST_CASE("gradcheck: local-p through its predicted position p_t") {
        Generator generator(24);
        testing::Inputs inputs(424);
        const auto local = local_general(LocalMode::Predictive, 2, 5);
        const testing::Source src = testing::random_source(3, 7, 4, 3, {7, 4, 5}, generator);
        const Tensor query = inputs.uniform({3, 3}, -2, 2);
        PreparedSource prepared;
        {
            NoGradGuard no_grad;  // the inner scorer's W k is a constant here, made once
            prepared = local->prepare(src.keys, src.values, src.mask);
        }
        // p_t alone, w.r.t. the query, W_p and v_p.
        const std::vector<Tensor> position_weights = {local->position_proj->weight,
                                                      local->position_v->weight};
        testing::check_gradient_with_parameters(
            "local-p centre p_t w.r.t. query, W_p, v_p",
            [&](const Args& in) { return local->centre(in[0], prepared, 0); }, {query},
            position_weights);
        // The weights, with the inner scorer's W fixed: only the Gaussian carries W_p and v_p.
        testing::check_gradient_with_parameters(
            "local-p weights w.r.t. W_p, v_p (through p_t alone)",
            [&](const Args& in) { return local->forward(in[0], prepared).weights; },
            {query.detach()}, position_weights);
        local->zero_grad();
        local->forward(query, prepared).context.sum().backward();
        CHECK(
            sum(local->position_proj->weight.grad() * local->position_proj->weight.grad()).item() >
            0);
    }
}
