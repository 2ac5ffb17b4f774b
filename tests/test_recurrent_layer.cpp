// The sequence layers' shared machinery (nn/recurrent_layer.cpp on nn/fused_recurrence.cpp):
// every cell kind, stacked and bidirectional, on padded batches, equals the composed cells run
// on each sequence alone; padding never leaks; options and errors.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "nn/lstm.hpp"
#include "tests/recurrent_testing.hpp"

using namespace glimpse;
using namespace glimpse::testing;
using nn::CellKind;

namespace {

// The configurations every cell kind is tried in.
std::vector<LayerConfig> configs(CellKind kind) {
    return {
        {kind, 3, 4, 3, 5},
        {kind, 3, 4, 3, 5, 1, true},
        {kind, 2, 3, 4, 3, 2, false},
        {kind, 2, 3, 4, 3, 2, true},
        {kind, 4, 5, 3, 4, 1, false, {5, 2, 4, 1}},
        {kind, 4, 5, 3, 4, 2, true, {3, 5, 1, 4}},
    };
}

std::string describe(const LayerConfig& c) {
    return fmt::format("{}: B {}, T {}, I {}, H {}, {} layers{}{}", nn::cell_kind_name(c.kind),
                       c.batch, c.steps, c.input_size, c.hidden_size, c.num_layers,
                       c.bidirectional ? ", bidirectional" : "",
                       c.lengths.empty() ? "" : ", padded");
}

}  // namespace

TEST_CASE("recurrent layers equal the composed cells run on each sequence alone, gradients too") {
    Generator generator(21);
    for (CellKind kind : {CellKind::LSTM, CellKind::GRU, CellKind::RNNTanh, CellKind::RNNReLU}) {
        for (const LayerConfig& config : configs(kind)) {
            INFO(describe(config));
            const Tensors inputs = layer_inputs(config, generator);
            const Tensors fused = outputs_and_gradients(
                [&](const Tensors& in) { return fused_layers(config, in); }, inputs);
            const Tensors reference = outputs_and_gradients(
                [&](const Tensors& in) { return reference_layers(config, in); }, inputs);
            check_all_close(fused, reference, 1e-12);
        }
    }
}

TEST_CASE("recurrent layers: padded outputs are exactly zero, whatever the padding holds") {
    Generator generator(22);
    const LayerConfig config{CellKind::LSTM, 3, 5, 2, 3, 2, true, {5, 2, 3}};
    Tensors inputs = layer_inputs(config, generator);
    const Tensors clean =
        outputs_and_gradients([&](const Tensors& in) { return fused_layers(config, in); }, inputs);
    // Garbage, even NaN, in the padded steps of x changes nothing, gradients included.
    Tensor x = inputs[0].detach().clone();
    fill_(x.select(0, 1).narrow(0, 2, 3), std::numeric_limits<double>::quiet_NaN());
    fill_(x.select(0, 2).narrow(0, 3, 2), 1e6);
    inputs[0] = x.requires_grad_();
    const Tensors garbage =
        outputs_and_gradients([&](const Tensors& in) { return fused_layers(config, in); }, inputs);
    for (std::size_t k = 0; k < clean.size(); ++k) {
        INFO("tensor " << k);
        CHECK(clean[k].to_vector() == garbage[k].to_vector());
    }
    const Tensor output = clean[0];  // [3, 5, 6]
    for (double v : output.select(0, 1).narrow(0, 2, 3).to_vector()) CHECK(v == 0.0);
    for (double v : output.select(0, 2).narrow(0, 3, 2).to_vector()) CHECK(v == 0.0);
    // The padded inputs get no gradient.
    for (double v : garbage[3].select(0, 1).narrow(0, 2, 3).to_vector()) CHECK(v == 0.0);
}

TEST_CASE("recurrent layers: a padded step never changes a shorter sequence's final state") {
    Generator generator(23);
    for (CellKind kind : {CellKind::LSTM, CellKind::GRU, CellKind::RNNTanh}) {
        INFO(nn::cell_kind_name(kind));
        const LayerConfig padded{kind, 3, 6, 2, 3, 1, true, {6, 2, 4}};
        const Tensors inputs = layer_inputs(padded, generator);
        const Tensors batch = fused_layers(padded, inputs);
        for (int64_t b = 0; b < 3; ++b) {
            // Sequence b alone, cut to its length: a batch of one without padding.
            const int64_t length = padded.lengths[b];
            LayerConfig alone = padded;
            alone.batch = 1;
            alone.steps = length;
            alone.lengths = {};
            Tensors own = inputs;
            own[0] = inputs[0].narrow(0, b, 1).narrow(1, 0, length);
            for (int64_t k = 1; k <= padded.states(); ++k) own[k] = inputs[k].narrow(1, b, 1);
            const Tensors single = fused_layers(alone, own);
            CHECK(max_difference(single[0].select(0, 0),
                                 batch[0].select(0, b).narrow(0, 0, length)) < 1e-14);
            for (int64_t k = 1; k <= padded.states(); ++k) {
                CHECK(max_difference(single[k], batch[k].narrow(1, b, 1)) < 1e-14);
            }
        }
    }
}

TEST_CASE("recurrent layers: batch_first = false reads and writes [time, batch, features]") {
    manual_seed(8);
    nn::LSTM batch_first(3, 4, {.num_layers = 2, .bidirectional = true});
    nn::RecurrentOptions time_first_options{
        .num_layers = 2, .batch_first = false, .bidirectional = true};
    const Tensor x = randn({2, 5, 3});  // [B, T, I]
    const nn::Lengths lengths{5, 3};
    const nn::LSTMOutput a = batch_first.forward(x, {}, lengths);
    const nn::RecurrentOutput b =
        nn::recurrent_forward("LSTM", CellKind::LSTM, x.transpose(0, 1), {}, {}, lengths,
                              batch_first.weights(), time_first_options, false);
    CHECK(b.output.shape() == Shape{5, 2, 8});
    CHECK(max_difference(a.output, b.output.transpose(0, 1)) == 0);
    CHECK(max_difference(a.h_n, b.h_n) == 0);
    CHECK(max_difference(a.c_n, b.c_n) == 0);
}

TEST_CASE("recurrent layers: dropout acts between layers, in training mode only") {
    manual_seed(9);
    const Tensor x = randn({2, 4, 3});
    nn::LSTM two_layers(3, 5, {.num_layers = 2, .dropout = 0.5});
    two_layers.eval();
    const Tensor evaluated = two_layers.forward(x).output;
    nn::LSTM no_dropout(3, 5, {.num_layers = 2});
    for (std::size_t k = 0; k < no_dropout.parameters().size(); ++k) {
        copy_(no_dropout.parameters()[k], two_layers.parameters()[k]);
    }
    CHECK(max_difference(evaluated, no_dropout.forward(x).output) == 0);
    two_layers.train();
    CHECK(max_difference(evaluated, two_layers.forward(x).output) > 1e-3);

    nn::LSTM one_layer(3, 5, {.dropout = 0.5});  // nothing between layers to drop
    const Tensor trained = one_layer.forward(x).output;
    one_layer.eval();
    CHECK(max_difference(trained, one_layer.forward(x).output) == 0);
}

TEST_CASE("recurrent layers: errors name the layer, the shapes and what was expected") {
    nn::LSTM lstm(3, 4, {.num_layers = 2, .bidirectional = true});
    CHECK_THROWS_WITH_AS(
        lstm.forward(zeros({2, 3})),
        "LSTM: input must be 3-D [batch, time, features] with 3 features, got [2, 3] float32",
        Error);
    CHECK_THROWS_WITH_AS(lstm.forward(zeros({2, 5, 4})),
                         doctest::Contains("with 3 features, got [2, 5, 4] float32"), Error);
    CHECK_THROWS_WITH_AS(lstm.forward(zeros({2, 0, 3})),
                         doctest::Contains("LSTM: input [2, 0, 3] float32"), Error);
    CHECK_THROWS_WITH_AS(lstm.forward(zeros({2, 5, 3}), {zeros({2, 2, 4}), {}}),
                         "LSTM: h_0 must be [4, 2, 4] float32 (num_layers * num_directions, "
                         "batch, hidden_size), got [2, 2, 4] float32",
                         Error);
    CHECK_THROWS_WITH_AS(lstm.forward(zeros({2, 5, 3}), {{}, zeros({4, 3, 4})}),
                         doctest::Contains("LSTM: c_0 must be [4, 2, 4] float32"), Error);
    CHECK_THROWS_WITH_AS(lstm.forward(zeros({2, 5, 3}), {}, {5, 6}),
                         "LSTM: lengths[1] = 6 is out of range: a length must be in [1, 5], the "
                         "input's time steps",
                         Error);
    CHECK_THROWS_WITH_AS(lstm.forward(zeros({2, 5, 3}), {}, {0, 5}),
                         doctest::Contains("lengths[0] = 0 is out of range"), Error);
    CHECK_THROWS_WITH_AS(lstm.forward(zeros({2, 5, 3}), {}, {5}),
                         "LSTM: lengths has 1 values for a batch of 2 sequences", Error);
    CHECK_THROWS_WITH_AS(lstm.forward(zeros({2, 5, 3}), {}, tensor({5, 5}, {2})),
                         "Lengths: lengths must be an int64 tensor [batch], got [2] float32",
                         Error);
    CHECK(lstm.forward(zeros({2, 5, 3}), {}, tensor({5, 2}, {2}, DType::Int64)).output.shape() ==
          Shape{2, 5, 8});
    CHECK_THROWS_WITH_AS(nn::LSTM(3, 4, {.num_layers = 0}),
                         "LSTM: num_layers must be at least 1, got 0", Error);
    CHECK_THROWS_WITH_AS(nn::LSTM(3, 4, {.dropout = 1.0}), "LSTM: dropout must be in [0, 1), got 1",
                         Error);
    std::vector<nn::CellWeights> weights = lstm.weights();
    weights.pop_back();
    CHECK_THROWS_WITH_AS(nn::recurrent_forward("LSTM", CellKind::LSTM, zeros({2, 5, 3}), {}, {}, {},
                                               weights, lstm.options(), false),
                         "LSTM: 3 cells' weights given, expected num_layers * directions = 4",
                         Error);
    weights = lstm.weights();
    weights[2] = weights[0];  // layer 1 reads 2 * 4 features, not 3
    CHECK_THROWS_WITH_AS(
        nn::recurrent_forward("LSTM", CellKind::LSTM, zeros({2, 5, 3}), {}, {}, {}, weights,
                              lstm.options(), false),
        doctest::Contains("LSTM: the weights of layer 1 (weight_ih [16, 3] float32) do not fit"),
        Error);
}
