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
#include "nn/recurrent_cell.hpp"

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
