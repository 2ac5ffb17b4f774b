#pragma once
// RNNCell: one step of an Elman recurrent network, with PyTorch's equation, weight names and
// initialisation:
//   h' = tanh(W_ih x + b_ih + W_hh h + b_hh)        (or relu instead of tanh)
// weight_ih is [H, I], weight_hh [H, H]. The gradient reaching h from k steps later has gone
// through W_hh and tanh' k times: it vanishes (or explodes) over long spans, which is what the
// gates of LSTM and GRU are for.

#include "nn/recurrent_cell.hpp"

namespace glimpse::nn {

// One step from core ops, the equation above: the one to read. x [B, I], h [B, H] -> h' [B, H].
Tensor rnn_cell_composed(const Tensor& x, const Tensor& h, const CellWeights& w,
                         Nonlinearity nonlinearity = Nonlinearity::Tanh);
// The same step fused: one GEMM per side, one elementwise kernel (nn/rnn_fused.hpp) and a
// hand-written backward.
Tensor rnn_cell_fused(const Tensor& x, const Tensor& h, const CellWeights& w,
                      Nonlinearity nonlinearity = Nonlinearity::Tanh);

class RNNCell : public RecurrentCell {
  public:
    RNNCell(int64_t input_size, int64_t hidden_size, CellOptions options = {},
            Nonlinearity nonlinearity = Nonlinearity::Tanh);
    // x [B, I] and h [B, H] (zeros when not given) -> h' [B, H].
    Tensor forward(const Tensor& x, const Tensor& h = {}) const;
    Nonlinearity nonlinearity() const { return nonlinearity_; }
    std::string extra_repr() const override;

  private:
    Nonlinearity nonlinearity_;
};

}  // namespace glimpse::nn
