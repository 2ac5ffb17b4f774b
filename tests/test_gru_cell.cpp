// GRUCell (nn/gru_cell.cpp): the composed and the fused step agree on values and gradients,
// the module has PyTorch's parameters, and bad inputs give clear errors.

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "nn/gru_cell.hpp"
#include "tests/recurrent_testing.hpp"

using namespace glimpse;
using namespace glimpse::testing;

TEST_CASE("GRUCell: composed and fused agree on outputs and every gradient, over 3 steps") {
    Generator generator(12);
    const Tensors inputs = unrolled_cell_inputs(3, 3, 5, 4, 3, 1, generator);
    const Tensors composed = outputs_and_gradients(
        [](const Tensors& in) { return unroll(nn::gru_cell_composed, in); }, inputs);
    const Tensors fused = outputs_and_gradients(
        [](const Tensors& in) { return unroll(nn::gru_cell_fused, in); }, inputs);
    check_all_close(composed, fused, 1e-12,
                    {"h1", "h2", "h3", "grad x", "grad h0", "grad weight_ih", "grad weight_hh",
                     "grad bias_ih", "grad bias_hh"});
}

TEST_CASE("GRUCell: float32 fused stays within float32 of composed, without bias too") {
    manual_seed(4);
    for (bool bias : {true, false}) {
        nn::GRUCell cell(6, 8, {.bias = bias});
        const Tensor x = randn({4, 6});
        const Tensor h = randn({4, 8});
        CHECK(max_difference(nn::gru_cell_fused(x, h, cell.weights()),
                             nn::gru_cell_composed(x, h, cell.weights())) < 1e-6);
    }
}

TEST_CASE("GRUCell: PyTorch's parameters and the default state") {
    nn::GRUCell cell(3, 5);
    const auto named = cell.named_parameters();
    REQUIRE(named.size() == 4);
    CHECK(named[0].first == "weight_ih");
    CHECK(named[0].second.shape() == Shape{15, 3});
    CHECK(named[1].second.shape() == Shape{15, 5});
    CHECK(named[3].first == "bias_hh");
    const Tensor x = randn({2, 3});
    CHECK(max_difference(cell.forward(x), cell.forward(x, zeros({2, 5}))) == 0);
}

TEST_CASE("GRUCell: errors name the cell, the shapes and what was expected") {
    nn::GRUCell cell(3, 4);
    CHECK_THROWS_WITH_AS(cell.forward(zeros({3})),
                         "GRUCell: input must be [batch, 3] (2-D, input_size 3), got [3] float32",
                         Error);
    CHECK_THROWS_WITH_AS(cell.forward(zeros({2, 3}), zeros({2, 5})),
                         "GRUCell: h must be [2, 4] (batch, hidden_size), got [2, 5] float32",
                         Error);
}
