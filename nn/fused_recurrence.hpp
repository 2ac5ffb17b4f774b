#pragma once
// The fast path under every sequence layer (RNN, LSTM, GRU) and every fused cell: one layer, in
// one or both directions, over all the time steps of a batch, recorded as ONE autograd op whose
// backward is backpropagation through time written by hand. nn/fused_recurrence.cpp explains
// how; the cells' elementwise kernels are in nn/rnn_fused.hpp, lstm_fused.hpp and gru_fused.hpp.

#include <cstdint>
#include <vector>

#include <string>

#include "core/tensor.hpp"
#include "nn/recurrent_cell.hpp"

namespace glimpse::nn {

enum class CellKind { RNNTanh, RNNReLU, LSTM, GRU };

int64_t gate_count(CellKind kind);             // G: 1 for the plain RNN, 4 for LSTM, 3 for GRU
CellKind rnn_kind(Nonlinearity nonlinearity);  // RNNTanh or RNNReLU
// The name of a cell kind as the modules spell it: "LSTM", "GRU", "RNN" (tanh), "RNN(relu)".
std::string cell_kind_name(CellKind kind);

struct FusedLayerResult {
    Tensor output;  // [B, T, D*H]: direction d's h_t in columns [d*H, (d+1)*H); 0 at padded steps
    Tensor h_n;     // [D, B, H]: each direction's state after its last real step of each sequence
    Tensor c_n;     // [D, B, H]: LSTM's cell state; undefined for the other cells
};

// x [B, T, I]; h0 [D, B, H] and, for LSTM, c0 [D, B, H]; one CellWeights per direction: D = 1
// (forward in time) or D = 2 (forward, then reverse). lengths: empty when every sequence has T
// steps, else B values in [1, T]; steps past a sequence's length are padding.
// The caller checks every shape (the sequence layers and the cells do); this runs on them as
// they are.
FusedLayerResult fused_layer(CellKind kind, const Tensor& x, const Tensor& h0, const Tensor& c0,
                             const std::vector<CellWeights>& directions,
                             const std::vector<int64_t>& lengths);

}  // namespace glimpse::nn
