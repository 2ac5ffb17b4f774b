#pragma once
// Helpers for the tests of the recurrent cells and layers (tests/test_*_cell.cpp,
// tests/test_rnn.cpp ..., tests/test_gradcheck_recurrent.cpp): random weights, and running a
// function forward and backward to compare two implementations value by value.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "core/tensor.hpp"
#include "nn/lstm_cell.hpp"
#include "nn/recurrent_cell.hpp"
#include "nn/recurrent_layer.hpp"

namespace glimpse::testing {

using Tensors = std::vector<Tensor>;

// Random float64 weights of a cell of `gates` gates, U(-0.5, 0.5), requiring grad.
nn::CellWeights random_cell_weights(int64_t input_size, int64_t hidden_size, int64_t gates,
                                    Generator& generator, bool bias = true);

// The four tensors of `w`, in PyTorch's order (weight_ih, weight_hh, bias_ih, bias_hh), without
// the undefined ones; and back from a list of tensors, starting at `first`.
Tensors cell_weight_list(const nn::CellWeights& w);
nn::CellWeights cell_weights_at(const Tensors& in, std::size_t first, bool bias = true);

// Inputs of an unrolled cell: x [T, B, I], then `states` initial states [B, H] (h; h and c for
// LSTM), then the weights in cell_weight_list's order; all float64 leaves requiring grad.
Tensors unrolled_cell_inputs(int64_t steps, int64_t batch, int64_t input_size, int64_t hidden_size,
                             int64_t gates, int64_t states, Generator& generator);

// A step of a cell with one state: (x [B, I], h [B, H], weights) -> h'.
using HiddenStep = std::function<Tensor(const Tensor&, const Tensor&, const nn::CellWeights&)>;
// `step` over every t of in[0] = x [T, B, I] from in[1] = h0, the weights from in[2] on:
// returns each step's h.
Tensors unroll(const HiddenStep& step, const Tensors& in);

// A sequence layer's configuration for the tests.
struct LayerConfig {
    nn::CellKind kind;
    int64_t batch, steps, input_size, hidden_size;
    int64_t num_layers = 1;
    bool bidirectional = false;
    std::vector<int64_t> lengths = {};  // empty: every sequence is `steps` long

    int64_t directions() const { return bidirectional ? 2 : 1; }
    int64_t states() const { return kind == nn::CellKind::LSTM ? 2 : 1; }
    nn::RecurrentOptions options() const;
};

// A layer's inputs: x [B, T, I], h0 (and c0 for LSTM) [L*D, B, H], then every cell's weights
// layer by layer, forward before reverse; all float64 leaves requiring grad.
Tensors layer_inputs(const LayerConfig& config, Generator& generator);

// recurrent_forward (the fused layers) on layer_inputs: returns output, h_n (and c_n).
Tensors fused_layers(const LayerConfig& config, const Tensors& in);

// What fused_layers must equal, from the composed cells: each sequence of the batch alone and
// unpadded (its first lengths[b] steps), layer by layer, the forward direction from its first
// step and the reverse one from its last; outputs zero-padded back to T steps.
Tensors reference_layers(const LayerConfig& config, const Tensors& in);

// The same for LSTM, from in[1] = h0 and in[2] = c0, the weights from in[3] on: returns each
// step's h and c, in turn.
using LSTMStep =
    std::function<nn::LSTMState(const Tensor&, const nn::LSTMState&, const nn::CellWeights&)>;
Tensors unroll_lstm(const LSTMStep& step, const Tensors& in);

// f's outputs on fresh copies of `inputs`, then the gradient of each input after backpropagating
// sum(output_k * u_k) with random u_k drawn from `seed`: everything backward computes.
Tensors outputs_and_gradients(const std::function<Tensors(const Tensors&)>& f,
                              const Tensors& inputs, uint64_t seed = 7);

// CHECKs that a[k] and b[k] agree within `tolerance` (absolute, and relative to the larger),
// naming entry k by names[k] when a name is given.
void check_all_close(const Tensors& a, const Tensors& b, double tolerance,
                     const std::vector<std::string>& names = {});

// The largest |a - b| over all elements; a and b of one shape.
double max_difference(const Tensor& a, const Tensor& b);

}  // namespace glimpse::testing
