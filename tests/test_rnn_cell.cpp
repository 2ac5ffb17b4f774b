// RNNCell (nn/rnn_cell.cpp): the composed and the fused step agree on values and gradients for
// both nonlinearities, the module has PyTorch's parameters, and bad inputs give clear errors.

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "nn/rnn_cell.hpp"
#include "tests/recurrent_testing.hpp"

using namespace glimpse;
using namespace glimpse::testing;
using nn::Nonlinearity;

TEST_CASE("RNNCell: composed and fused agree on outputs and every gradient, tanh and relu") {
    Generator generator(13);
    const Tensors inputs = unrolled_cell_inputs(3, 3, 5, 4, 1, 1, generator);
    for (Nonlinearity nonlinearity : {Nonlinearity::Tanh, Nonlinearity::ReLU}) {
        const auto run = [nonlinearity](auto step) {
            return [nonlinearity, step](const Tensors& in) {
                return unroll([&](const Tensor& x, const Tensor& h,
                                  const nn::CellWeights& w) { return step(x, h, w, nonlinearity); },
                              in);
            };
        };
        const Tensors composed = outputs_and_gradients(run(nn::rnn_cell_composed), inputs);
        const Tensors fused = outputs_and_gradients(run(nn::rnn_cell_fused), inputs);
        check_all_close(composed, fused, 1e-12,
                        {"h1", "h2", "h3", "grad x", "grad h0", "grad weight_ih", "grad weight_hh",
                         "grad bias_ih", "grad bias_hh"});
    }
}

TEST_CASE("RNNCell: PyTorch's parameters, the nonlinearity and the default state") {
    nn::RNNCell cell(3, 5, {}, Nonlinearity::ReLU);
    const auto named = cell.named_parameters();
    REQUIRE(named.size() == 4);
    CHECK(named[0].second.shape() == Shape{5, 3});
    CHECK(named[1].second.shape() == Shape{5, 5});
    CHECK(cell.extra_repr() ==
          "input_size=3, hidden_size=5, bias=true, impl=fused, nonlinearity=relu");
    const Tensor x = randn({2, 3});
    const Tensor h = cell.forward(x);
    CHECK(max_difference(h, cell.forward(x, zeros({2, 5}))) == 0);
    for (double v : h.to_vector()) CHECK(v >= 0);  // relu
}

TEST_CASE("RNNCell: errors name the cell, the shapes and what was expected") {
    nn::RNNCell cell(3, 4);
    CHECK_THROWS_WITH_AS(cell.forward(zeros({2, 4})), doctest::Contains("RNNCell: input must be"),
                         Error);
    CHECK_THROWS_WITH_AS(cell.forward(zeros({2, 3}), zeros({4})),
                         "RNNCell: h must be [2, 4] (batch, hidden_size), got [4] float32", Error);
}
