#include "tests/recurrent_testing.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/ops.hpp"
#include "nn/gru_cell.hpp"
#include "nn/lstm_cell.hpp"
#include "nn/rnn_cell.hpp"

namespace glimpse::testing {

nn::CellWeights random_cell_weights(int64_t input_size, int64_t hidden_size, int64_t gates,
                                    Generator& generator, bool bias) {
    const int64_t rows = gates * hidden_size;
    const auto draw = [&](const Shape& shape) {
        return uniform(shape, -0.5, 0.5, DType::Float64, generator).requires_grad_();
    };
    nn::CellWeights w{draw({rows, input_size}), draw({rows, hidden_size}), {}, {}};
    if (bias) {
        w.bias_ih = draw({rows});
        w.bias_hh = draw({rows});
    }
    return w;
}

Tensors cell_weight_list(const nn::CellWeights& w) {
    Tensors list;
    for (const Tensor& t : {w.weight_ih, w.weight_hh, w.bias_ih, w.bias_hh}) {
        if (t.defined()) list.push_back(t);
    }
    return list;
}

nn::CellWeights cell_weights_at(const Tensors& in, std::size_t first, bool bias) {
    nn::CellWeights w{in.at(first), in.at(first + 1), {}, {}};
    if (bias) {
        w.bias_ih = in.at(first + 2);
        w.bias_hh = in.at(first + 3);
    }
    return w;
}

Tensors unrolled_cell_inputs(int64_t steps, int64_t batch, int64_t input_size, int64_t hidden_size,
                             int64_t gates, int64_t states, Generator& generator) {
    Tensors inputs{
        uniform({steps, batch, input_size}, -1, 1, DType::Float64, generator).requires_grad_()};
    for (int64_t k = 0; k < states; ++k) {
        inputs.push_back(
            uniform({batch, hidden_size}, -1, 1, DType::Float64, generator).requires_grad_());
    }
    for (const Tensor& w :
         cell_weight_list(random_cell_weights(input_size, hidden_size, gates, generator))) {
        inputs.push_back(w);
    }
    return inputs;
}

Tensors unroll(const HiddenStep& step, const Tensors& in) {
    const nn::CellWeights w = cell_weights_at(in, 2);
    Tensor h = in[1];
    Tensors outs;
    for (int64_t t = 0; t < in[0].size(0); ++t) {
        h = step(in[0].select(0, t), h, w);
        outs.push_back(h);
    }
    return outs;
}

nn::RecurrentOptions LayerConfig::options() const {
    nn::RecurrentOptions options;
    options.num_layers = num_layers;
    options.bidirectional = bidirectional;
    options.dtype = DType::Float64;
    return options;
}

Tensors layer_inputs(const LayerConfig& config, Generator& generator) {
    const auto draw = [&](const Shape& shape) {
        return uniform(shape, -1, 1, DType::Float64, generator).requires_grad_();
    };
    const int64_t D = config.directions(), H = config.hidden_size;
    Tensors inputs{draw({config.batch, config.steps, config.input_size})};
    for (int64_t k = 0; k < config.states(); ++k) {
        inputs.push_back(draw({config.num_layers * D, config.batch, H}));
    }
    for (int64_t layer = 0; layer < config.num_layers; ++layer) {
        const int64_t input_size = layer == 0 ? config.input_size : D * H;
        for (int64_t d = 0; d < D; ++d) {
            const nn::CellWeights w =
                random_cell_weights(input_size, H, nn::gate_count(config.kind), generator);
            for (const Tensor& t : cell_weight_list(w)) inputs.push_back(t);
        }
    }
    return inputs;
}

namespace {

std::vector<nn::CellWeights> layer_weights(const LayerConfig& config, const Tensors& in) {
    std::vector<nn::CellWeights> weights;
    const std::size_t first = 1 + config.states();
    for (std::size_t k = first; k < in.size(); k += 4) weights.push_back(cell_weights_at(in, k));
    return weights;
}

// One composed step of the config's cell: state is {h} or {h, c}.
Tensors composed_step(nn::CellKind kind, const Tensor& x, const Tensors& state,
                      const nn::CellWeights& w) {
    switch (kind) {
        case nn::CellKind::LSTM: {
            const nn::LSTMState next = nn::lstm_cell_composed(x, {state[0], state[1]}, w);
            return {next.h, next.c};
        }
        case nn::CellKind::GRU:
            return {nn::gru_cell_composed(x, state[0], w)};
        case nn::CellKind::RNNTanh:
            return {nn::rnn_cell_composed(x, state[0], w, nn::Nonlinearity::Tanh)};
        case nn::CellKind::RNNReLU:
            break;
    }
    return {nn::rnn_cell_composed(x, state[0], w, nn::Nonlinearity::ReLU)};
}

}  // namespace

Tensors fused_layers(const LayerConfig& config, const Tensors& in) {
    const Tensor c0 = config.states() == 2 ? in[2] : Tensor();
    const nn::Lengths lengths =
        config.lengths.empty() ? nn::Lengths() : nn::Lengths(config.lengths);
    const nn::RecurrentOutput out =
        nn::recurrent_forward("test", config.kind, in[0], in[1], c0, lengths,
                              layer_weights(config, in), config.options(), false);
    return config.states() == 2 ? Tensors{out.output, out.h_n, out.c_n}
                                : Tensors{out.output, out.h_n};
}

Tensors reference_layers(const LayerConfig& config, const Tensors& in) {
    const std::vector<nn::CellWeights> weights = layer_weights(config, in);
    const int64_t D = config.directions(), T = config.steps;
    std::vector<Tensor> outputs;                                           // [T, D*H] per sequence
    std::vector<Tensors> finals(config.num_layers * D * config.states());  // [1, H] per b
    for (int64_t b = 0; b < config.batch; ++b) {
        const int64_t length = config.lengths.empty() ? T : config.lengths[b];
        Tensors sequence;  // [1, features] per step
        for (int64_t t = 0; t < length; ++t) sequence.push_back(in[0].select(0, b).narrow(0, t, 1));
        for (int64_t layer = 0; layer < config.num_layers; ++layer) {
            std::vector<Tensors> per_direction(D, Tensors(length));
            for (int64_t d = 0; d < D; ++d) {
                const int64_t cell = layer * D + d;
                Tensors state;
                for (int64_t k = 0; k < config.states(); ++k) {
                    state.push_back(in[1 + k].select(0, cell).narrow(0, b, 1));
                }
                for (int64_t s = 0; s < length; ++s) {
                    const int64_t t = d == 0 ? s : length - 1 - s;
                    state = composed_step(config.kind, sequence[t], state, weights[cell]);
                    per_direction[d][t] = state[0];
                }
                for (int64_t k = 0; k < config.states(); ++k) {
                    finals[cell * config.states() + k].push_back(state[k]);
                }
            }
            for (int64_t t = 0; t < length; ++t) {
                Tensors both;
                for (int64_t d = 0; d < D; ++d) both.push_back(per_direction[d][t]);
                sequence[t] = cat(both, 1);
            }
        }
        const Tensor padding = zeros({T - length, D * config.hidden_size}, DType::Float64);
        sequence.push_back(padding);
        outputs.push_back(cat(sequence, 0));
    }
    Tensors result{stack(outputs, 0)};
    for (int64_t k = 0; k < config.states(); ++k) {
        Tensors per_cell;
        for (int64_t cell = 0; cell < config.num_layers * D; ++cell) {
            per_cell.push_back(cat(finals[cell * config.states() + k], 0));
        }
        result.push_back(stack(per_cell, 0));
    }
    return result;
}

Tensors unroll_lstm(const LSTMStep& step, const Tensors& in) {
    const nn::CellWeights w = cell_weights_at(in, 3);
    nn::LSTMState state{in[1], in[2]};
    Tensors outs;
    for (int64_t t = 0; t < in[0].size(0); ++t) {
        state = step(in[0].select(0, t), state, w);
        outs.insert(outs.end(), {state.h, state.c});
    }
    return outs;
}

Tensors outputs_and_gradients(const std::function<Tensors(const Tensors&)>& f,
                              const Tensors& inputs, uint64_t seed) {
    Tensors leaves;
    for (const Tensor& x : inputs) {
        Tensor leaf = x.detach().clone();
        if (x.requires_grad()) leaf.requires_grad_();
        leaves.push_back(leaf);
    }
    const Tensors outputs = f(leaves);
    Generator generator(seed);
    Tensor loss;
    for (const Tensor& out : outputs) {
        const Tensor term = sum(out * uniform(out.shape(), -1, 1, out.dtype(), generator));
        loss = loss.defined() ? loss + term : term;
    }
    loss.backward();
    Tensors result = outputs;
    for (const Tensor& leaf : leaves) {
        if (!leaf.requires_grad()) continue;
        result.push_back(leaf.grad().defined() ? leaf.grad() : zeros_like(leaf));
    }
    return result;
}

double max_difference(const Tensor& a, const Tensor& b) {
    const std::vector<double> x = a.to_vector();
    const std::vector<double> y = b.to_vector();
    double largest = 0;
    for (std::size_t i = 0; i < x.size(); ++i) largest = std::max(largest, std::abs(x[i] - y[i]));
    return largest;
}

void check_all_close(const Tensors& a, const Tensors& b, double tolerance,
                     const std::vector<std::string>& names) {
    REQUIRE(a.size() == b.size());
    for (std::size_t k = 0; k < a.size(); ++k) {
        const std::string name = k < names.size() ? names[k] : fmt::format("tensor {}", k);
        INFO(name);
        REQUIRE(a[k].shape() == b[k].shape());
        const std::vector<double> x = a[k].to_vector();
        const std::vector<double> y = b[k].to_vector();
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double allowed = tolerance * std::max({1.0, std::abs(x[i]), std::abs(y[i])});
            if (!(std::abs(x[i] - y[i]) <= allowed)) {
                FAIL_CHECK(fmt::format("{} differs at element {}: {} vs {}", name, i, x[i], y[i]));
                break;
            }
        }
    }
}

}  // namespace glimpse::testing
