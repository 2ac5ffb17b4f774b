#pragma once
// GRUCell: one step of a gated recurrent unit (Cho et al. 2014), with PyTorch's equations, gate
// order (r, z, n), weight names and initialisation:
//   r  = sigmoid(W_ir x + b_ir + W_hr h + b_hr)       reset gate
//   z  = sigmoid(W_iz x + b_iz + W_hz h + b_hz)       update gate
//   n  = tanh(W_in x + b_in + r * (W_hn h + b_hn))    the candidate state
//   h' = (1 - z) * n + z * h
// weight_ih = [W_ir; W_iz; W_in] is [3H, I], weight_hh = [W_hr; W_hz; W_hn] [3H, H]. Note that
// r multiplies W_hn h + b_hn, bias included (PyTorch's variant, as in cuDNN).

#include "nn/recurrent_cell.hpp"

namespace glimpse::nn {

// One step from core ops, line by line the equations above: the one to read.
// x [B, I], h [B, H] -> h' [B, H].
Tensor gru_cell_composed(const Tensor& x, const Tensor& h, const CellWeights& w);
// The same step fused: one GEMM per side for all three gates, one elementwise kernel
// (nn/gru_fused.hpp) and a hand-written backward.
Tensor gru_cell_fused(const Tensor& x, const Tensor& h, const CellWeights& w);

class GRUCell : public RecurrentCell {
  public:
    GRUCell(int64_t input_size, int64_t hidden_size, CellOptions options = {});
    // x [B, I] and h [B, H] (zeros when not given) -> h' [B, H].
    Tensor forward(const Tensor& x, const Tensor& h = {}) const;
};

}  // namespace glimpse::nn
