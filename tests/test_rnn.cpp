// The RNN module (nn/rnn.cpp): PyTorch's parameter names and shapes, the nonlinearity, and what
// forward returns. The maths of the layers is tested in tests/test_recurrent_layer.cpp and
// against PyTorch in tests/test_golden_recurrent.cpp.

#include <doctest/doctest.h>

#include "core/ops.hpp"
#include "nn/rnn.hpp"
#include "tests/recurrent_testing.hpp"

using namespace glimpse;
using testing::max_difference;

TEST_CASE("RNN: PyTorch's parameters, the nonlinearity, and output and h_n from forward") {
    manual_seed(7);
    nn::RNN rnn(3, 4, {.bidirectional = true}, nn::Nonlinearity::ReLU);
    const auto named = rnn.named_parameters();
    REQUIRE(named.size() == 8);
    CHECK(named[1].first == "weight_hh_l0");
    CHECK(named[1].second.shape() == Shape{4, 4});
    CHECK(named[5].first == "weight_hh_l0_reverse");
    CHECK(rnn.extra_repr().ends_with("bidirectional=true, nonlinearity=relu"));

    const Tensor x = randn({2, 5, 3});
    const auto [output, h_n] = rnn.forward(x);
    CHECK(output.shape() == Shape{2, 5, 8});
    CHECK(h_n.shape() == Shape{2, 2, 4});
    for (double v : output.to_vector()) CHECK(v >= 0);
    CHECK(max_difference(output, rnn.forward(x, zeros({2, 2, 4})).output) == 0);
}
