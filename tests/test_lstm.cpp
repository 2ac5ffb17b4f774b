// The LSTM module (nn/lstm.cpp): PyTorch's parameter names and shapes, and what forward returns.
// The maths of the layers is tested in tests/test_recurrent_layer.cpp and against PyTorch in
// tests/test_golden_recurrent.cpp.

#include <doctest/doctest.h>

#include "core/ops.hpp"
#include "nn/lstm.hpp"
#include "tests/recurrent_testing.hpp"

using namespace glimpse;
using testing::max_difference;

TEST_CASE("LSTM: PyTorch's parameter names and shapes, layer by layer, forward then reverse") {
    nn::LSTM lstm(3, 5, {.num_layers = 2, .bidirectional = true});
    const std::vector<std::pair<std::string, Shape>> expected = {
        {"weight_ih_l0", {20, 3}},
        {"weight_hh_l0", {20, 5}},
        {"bias_ih_l0", {20}},
        {"bias_hh_l0", {20}},
        {"weight_ih_l0_reverse", {20, 3}},
        {"weight_hh_l0_reverse", {20, 5}},
        {"bias_ih_l0_reverse", {20}},
        {"bias_hh_l0_reverse", {20}},
        {"weight_ih_l1", {20, 10}},
        {"weight_hh_l1", {20, 5}},
        {"bias_ih_l1", {20}},
        {"bias_hh_l1", {20}},
        {"weight_ih_l1_reverse", {20, 10}},
        {"weight_hh_l1_reverse", {20, 5}},
        {"bias_ih_l1_reverse", {20}},
        {"bias_hh_l1_reverse", {20}},
    };
    const auto named = lstm.named_parameters();
    REQUIRE(named.size() == expected.size());
    for (std::size_t k = 0; k < named.size(); ++k) {
        CHECK(named[k].first == expected[k].first);
        CHECK(named[k].second.shape() == expected[k].second);
    }
    CHECK(nn::LSTM(3, 5, {.bias = false}).named_parameters().size() == 2);
    CHECK(lstm.extra_repr() ==
          "input_size=3, hidden_size=5, num_layers=2, bias=true, batch_first=true, dropout=0, "
          "bidirectional=true");
}

TEST_CASE("LSTM: forward returns output, h_n and c_n as PyTorch does; no state means zeros") {
    manual_seed(2);
    nn::LSTM lstm(3, 5, {.num_layers = 2, .bidirectional = true});
    const Tensor x = randn({4, 6, 3});
    const auto [output, h_n, c_n] = lstm.forward(x);
    CHECK(output.shape() == Shape{4, 6, 10});
    CHECK(h_n.shape() == Shape{4, 4, 5});
    CHECK(c_n.shape() == Shape{4, 4, 5});
    const nn::LSTMOutput given = lstm.forward(x, {zeros({4, 4, 5}), zeros({4, 4, 5})});
    CHECK(max_difference(output, given.output) == 0);
    // The last layer's forward state is its output at the last step; the reverse one's at the
    // first step.
    CHECK(max_difference(h_n.select(0, 2), output.select(1, 5).narrow(1, 0, 5)) == 0);
    CHECK(max_difference(h_n.select(0, 3), output.select(1, 0).narrow(1, 5, 5)) == 0);
}
