// The GRU module (nn/gru.cpp): PyTorch's parameter names and shapes, and what forward returns.
// The maths of the layers is tested in tests/test_recurrent_layer.cpp and against PyTorch in
// tests/test_golden_recurrent.cpp.

#include <doctest/doctest.h>

#include "core/ops.hpp"
#include "nn/gru.hpp"
#include "tests/recurrent_testing.hpp"

using namespace glimpse;
using testing::max_difference;

TEST_CASE("GRU: PyTorch's parameters; forward returns output and h_n; no state means zeros") {
    manual_seed(6);
    nn::GRU gru(3, 4, {.num_layers = 2});
    const auto named = gru.named_parameters();
    REQUIRE(named.size() == 8);
    CHECK(named[0].first == "weight_ih_l0");
    CHECK(named[0].second.shape() == Shape{12, 3});
    CHECK(named[4].first == "weight_ih_l1");
    CHECK(named[4].second.shape() == Shape{12, 4});
    CHECK(named[7].first == "bias_hh_l1");

    const Tensor x = randn({2, 5, 3});
    const auto [output, h_n] = gru.forward(x, {}, {5, 3});
    CHECK(output.shape() == Shape{2, 5, 4});
    CHECK(h_n.shape() == Shape{2, 2, 4});
    CHECK(max_difference(output, gru.forward(x, zeros({2, 2, 4}), {5, 3}).output) == 0);
    // Sequence 1 ends at step 3: its last layer's final state is its output there.
    CHECK(max_difference(h_n.select(0, 1).select(0, 1), output.select(0, 1).select(0, 2)) == 0);
}
