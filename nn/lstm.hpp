#pragma once
// LSTM: the LSTMCell (nn/lstm_cell.hpp) run over whole sequences, stacked and bidirectional as
// in PyTorch's nn.LSTM (the options are in nn/recurrent_layer.hpp).
//
//   nn::LSTM encoder(32, 64, {.bidirectional = true});
//   auto [output, h_n, c_n] = encoder.forward(x, {}, lengths);  // x [B, T, 32]
//   // output [B, T, 128]; h_n, c_n [2, B, 64]

#include "nn/lstm_cell.hpp"
#include "nn/recurrent_layer.hpp"

namespace glimpse::nn {

struct LSTMOutput {
    Tensor output;  // [B, T, D*H]: every step's h (both directions'), zero at padded steps
    Tensor h_n;     // [num_layers * D, B, H]: the state after each sequence's last real step
    Tensor c_n;     // [num_layers * D, B, H]
};

class LSTM : public RecurrentLayer {
  public:
    LSTM(int64_t input_size, int64_t hidden_size, RecurrentOptions options = {});
    // input [B, T, I]; state: h_0 and c_0 [num_layers * D, B, H], zeros when not given;
    // lengths: each sequence's real length in a padded batch.
    LSTMOutput forward(const Tensor& input, const LSTMState& state = {},
                       const Lengths& lengths = {}) const;
};

}  // namespace glimpse::nn
