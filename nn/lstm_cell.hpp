#pragma once
// LSTMCell: one step of a long short-term memory network, with PyTorch's equations, gate order
// (i, f, g, o), weight names and initialisation:
//   i  = sigmoid(W_ii x + b_ii + W_hi h + b_hi)     input gate: how much of g to write
//   f  = sigmoid(W_if x + b_if + W_hf h + b_hf)     forget gate: how much of c to keep
//   g  = tanh(W_ig x + b_ig + W_hg h + b_hg)        the candidate values
//   o  = sigmoid(W_io x + b_io + W_ho h + b_ho)     output gate: how much of the cell to show
//   c' = f * c + i * g
//   h' = o * tanh(c')
// weight_ih = [W_ii; W_if; W_ig; W_io] is [4H, I], weight_hh = [W_hi; W_hf; W_hg; W_ho] [4H, H].
// The cell state c is added to, not multiplied through a matrix, at every step: the gradient
// along it survives many more steps than a plain RNN's.

#include "nn/recurrent_cell.hpp"

namespace glimpse::nn {

// LSTM's state, each [B, H]. An undefined member stands for zeros (the default initial state).
struct LSTMState {
    Tensor h;  // the hidden state, also the step's output
    Tensor c;  // the cell state
};

// One step from core ops, line by line the equations above: the one to read.
// x [B, I], state.h and state.c [B, H] -> the new state.
LSTMState lstm_cell_composed(const Tensor& x, const LSTMState& state, const CellWeights& w);
// The same step fused: one GEMM for all four gates, one elementwise kernel (nn/lstm_fused.hpp)
// and a hand-written backward.
LSTMState lstm_cell_fused(const Tensor& x, const LSTMState& state, const CellWeights& w);

class LSTMCell : public RecurrentCell {
  public:
    LSTMCell(int64_t input_size, int64_t hidden_size, CellOptions options = {});
    // x [B, I] and the state (zeros when not given) -> the new state (h', c').
    LSTMState forward(const Tensor& x, const LSTMState& state = {}) const;
};

}  // namespace glimpse::nn
