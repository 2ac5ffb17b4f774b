// gradcheck of the recurrent cells (composed and fused) and of the sequence layers, with respect
// to the inputs, the initial states and every weight, through unrolled sequences: the proof that
// the fused kernels' hand-written backward (backpropagation through time) is right.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "core/ops.hpp"
#include "nn/gru_cell.hpp"
#include "nn/lstm_cell.hpp"
#include "nn/rnn_cell.hpp"
#include "tests/gradcheck_table.hpp"
#include "tests/recurrent_testing.hpp"

using namespace glimpse;
using namespace glimpse::testing;
using nn::CellKind;
using nn::CellWeights;

namespace {

// Every tensor of a list flattened into one: gradcheck's f returns one tensor.
Tensor flat(const Tensors& outputs) {
    Tensors parts;
    for (const Tensor& t : outputs) parts.push_back(t.reshape({-1}));
    return cat(parts, 0);
}

Tensor relu_rnn_step(const Tensor& x, const Tensor& h, const CellWeights& w) {
    return nn::rnn_cell_fused(x, h, w, nn::Nonlinearity::ReLU);
}
Tensor relu_rnn_composed_step(const Tensor& x, const Tensor& h, const CellWeights& w) {
    return nn::rnn_cell_composed(x, h, w, nn::Nonlinearity::ReLU);
}

std::string layer_name(const LayerConfig& c, const char* what) {
    return fmt::format("{} layer {} [B {}, T {}, I {}, H {}]", nn::cell_kind_name(c.kind), what,
                       c.batch, c.steps, c.input_size, c.hidden_size);
}

}  // namespace

TEST_SUITE("gradcheck") {
    TEST_CASE("gradcheck: recurrent cells, composed and fused, over 3 unrolled steps") {
        Generator generator(41);
        const int64_t B = 2, I = 3, H = 3, steps = 3;
        const Tensors lstm_in = unrolled_cell_inputs(steps, B, I, H, 4, 2, generator);
        check_gradient(
            "lstm_cell_composed, 3 steps",
            [](const Args& in) { return flat(unroll_lstm(nn::lstm_cell_composed, in)); }, lstm_in);
        check_gradient(
            "lstm_cell_fused, 3 steps",
            [](const Args& in) { return flat(unroll_lstm(nn::lstm_cell_fused, in)); }, lstm_in);

        const Tensors gru_in = unrolled_cell_inputs(steps, B, I, H, 3, 1, generator);
        check_gradient(
            "gru_cell_composed, 3 steps",
            [](const Args& in) { return flat(unroll(nn::gru_cell_composed, in)); }, gru_in);
        check_gradient(
            "gru_cell_fused, 3 steps",
            [](const Args& in) { return flat(unroll(nn::gru_cell_fused, in)); }, gru_in);

        const Tensors rnn_in = unrolled_cell_inputs(steps, B, I, H, 1, 1, generator);
        const auto tanh_step = [](auto step) {
            return [step](const Args& in) {
                return flat(unroll(
                    [step](const Tensor& x, const Tensor& h, const CellWeights& w) {
                        return step(x, h, w, nn::Nonlinearity::Tanh);
                    },
                    in));
            };
        };
        check_gradient("rnn_cell_composed tanh, 3 steps", tanh_step(nn::rnn_cell_composed), rnn_in);
        check_gradient("rnn_cell_fused tanh, 3 steps", tanh_step(nn::rnn_cell_fused), rnn_in);
        check_gradient(
            "rnn_cell_composed relu, 3 steps",
            [](const Args& in) { return flat(unroll(relu_rnn_composed_step, in)); }, rnn_in);
        check_gradient(
            "rnn_cell_fused relu, 3 steps",
            [](const Args& in) { return flat(unroll(relu_rnn_step, in)); }, rnn_in);
    }

    TEST_CASE("gradcheck: fused cells on non-contiguous inputs and states") {
        Generator generator(42);
        const CellWeights w = random_cell_weights(3, 4, 4, generator);
        const Tensor x = uniform({3, 2}, -1, 1, DType::Float64, generator).requires_grad_();
        const Tensor h = uniform({4, 2}, -1, 1, DType::Float64, generator).requires_grad_();
        const Tensor c = uniform({2, 8}, -1, 1, DType::Float64, generator).requires_grad_();
        check_gradient(
            "lstm_cell_fused, x and h transposed, c narrowed",
            [](const Args& in) {
                const nn::LSTMState next =
                    nn::lstm_cell_fused(in[0], {in[1], in[2]}, cell_weights_at(in, 3));
                return flat({next.h, next.c});
            },
            {x.t(), h.t(), c.narrow(1, 2, 4), w.weight_ih, w.weight_hh, w.bias_ih, w.bias_hh});
    }

    TEST_CASE("gradcheck: sequence layers, unidirectional, bidirectional, stacked and padded") {
        Generator generator(43);
        for (CellKind kind :
             {CellKind::LSTM, CellKind::GRU, CellKind::RNNTanh, CellKind::RNNReLU}) {
            const std::vector<std::pair<LayerConfig, const char*>> cases = {
                {{kind, 2, 4, 3, 3}, "4 steps"},
                {{kind, 2, 3, 3, 2, 1, true}, "bidirectional"},
                {{kind, 2, 3, 2, 2, 2, false}, "2 layers"},
                {{kind, 3, 4, 2, 2, 2, true, {4, 1, 3}}, "2 layers bidirectional, padded"},
            };
            for (const auto& [config, what] : cases) {
                check_gradient(
                    layer_name(config, what),
                    [config](const Args& in) { return flat(fused_layers(config, in)); },
                    layer_inputs(config, generator));
            }
        }
    }
}
