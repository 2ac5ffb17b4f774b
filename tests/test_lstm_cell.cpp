// LSTMCell (nn/lstm_cell.cpp): the composed and the fused step agree on values and gradients,
// the module has PyTorch's parameters, and bad inputs give clear errors.

#include <doctest/doctest.h>

#include <cmath>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "nn/lstm_cell.hpp"
#include "tests/recurrent_testing.hpp"

using namespace glimpse;
using namespace glimpse::testing;
using nn::CellWeights;
using nn::LSTMState;

TEST_CASE("LSTMCell: composed and fused agree on outputs and every gradient, over 3 steps") {
    Generator generator(11);
    const Tensors inputs = unrolled_cell_inputs(3, 3, 5, 4, 4, 2, generator);
    const Tensors composed = outputs_and_gradients(
        [](const Tensors& in) { return unroll_lstm(nn::lstm_cell_composed, in); }, inputs);
    const Tensors fused = outputs_and_gradients(
        [](const Tensors& in) { return unroll_lstm(nn::lstm_cell_fused, in); }, inputs);
    check_all_close(composed, fused, 1e-12,
                    {"h1", "c1", "h2", "c2", "h3", "c3", "grad x", "grad h0", "grad c0",
                     "grad weight_ih", "grad weight_hh", "grad bias_ih", "grad bias_hh"});
}

TEST_CASE("LSTMCell: float32 fused (fast sigmoid and tanh) stays within float32 of composed") {
    manual_seed(3);
    nn::LSTMCell cell(6, 8);
    const Tensor x = randn({4, 6});
    const LSTMState fused = nn::lstm_cell_fused(x, {zeros({4, 8}), zeros({4, 8})}, cell.weights());
    const LSTMState composed =
        nn::lstm_cell_composed(x, {zeros({4, 8}), zeros({4, 8})}, cell.weights());
    CHECK(max_difference(fused.h, composed.h) < 1e-6);
    CHECK(max_difference(fused.c, composed.c) < 1e-6);
}

TEST_CASE("LSTMCell: PyTorch's parameters, initialisation and default state") {
    manual_seed(5);
    nn::LSTMCell cell(3, 16);
    const auto named = cell.named_parameters();
    REQUIRE(named.size() == 4);
    CHECK(named[0].first == "weight_ih");
    CHECK(named[1].first == "weight_hh");
    CHECK(named[2].first == "bias_ih");
    CHECK(named[3].first == "bias_hh");
    CHECK(named[0].second.shape() == Shape{64, 3});
    CHECK(named[1].second.shape() == Shape{64, 16});
    CHECK(named[2].second.shape() == Shape{64});
    for (const auto& [name, p] : named) {  // U(-1/sqrt(H), 1/sqrt(H)) = U(-0.25, 0.25)
        for (double v : p.to_vector()) CHECK(std::abs(v) <= 0.25);
    }
    CHECK(nn::LSTMCell(3, 16, {.bias = false}).named_parameters().size() == 2);

    // No state given: zeros, as in PyTorch.
    const Tensor x = randn({2, 3});
    const LSTMState given = cell.forward(x, {zeros({2, 16}), zeros({2, 16})});
    const LSTMState implied = cell.forward(x);
    CHECK(max_difference(given.h, implied.h) == 0);
    CHECK(max_difference(given.c, implied.c) == 0);

    nn::LSTMCell composed(3, 16, {.impl = nn::CellImpl::Composed});
    CHECK(composed.extra_repr().find("impl=composed") != std::string::npos);
    CHECK(cell.extra_repr() == "input_size=3, hidden_size=16, bias=true, impl=fused");
}

TEST_CASE("LSTMCell: errors name the cell, the shapes and what was expected") {
    nn::LSTMCell cell(3, 4);
    CHECK_THROWS_WITH_AS(
        cell.forward(zeros({2, 5})),
        "LSTMCell: input must be [batch, 3] (2-D, input_size 3), got [2, 5] float32", Error);
    CHECK_THROWS_WITH_AS(cell.forward(zeros({2, 1, 3})),
                         doctest::Contains("input must be [batch, 3]"), Error);
    CHECK_THROWS_WITH_AS(cell.forward(zeros({2, 3}), {zeros({2, 4}), zeros({3, 4})}),
                         "LSTMCell: c must be [2, 4] (batch, hidden_size), got [3, 4] float32",
                         Error);
    CHECK_THROWS_WITH_AS(cell.forward(zeros({2, 3}, DType::Float64)),
                         doctest::Contains("input is [2, 3] float64 but the weights are float32"),
                         Error);
    CellWeights bad = cell.weights();
    bad.weight_hh = zeros({16, 3});
    CHECK_THROWS_WITH_AS(nn::lstm_cell_fused(zeros({2, 3}), {zeros({2, 4}), zeros({2, 4})}, bad),
                         doctest::Contains("lstm_cell_fused: weight_hh must be [4 * hidden_size, "
                                           "hidden_size], got [16, 3]"),
                         Error);
    CHECK_THROWS_WITH_AS(nn::LSTMCell(0, 4), doctest::Contains("must be positive"), Error);
}
