#pragma once
// GRU: the GRUCell (nn/gru_cell.hpp) run over whole sequences, stacked and bidirectional as in
// PyTorch's nn.GRU (the options are in nn/recurrent_layer.hpp).
//
//   nn::GRU encoder(32, 64, {.num_layers = 2});
//   auto [output, h_n] = encoder.forward(x);  // x [B, T, 32]: output [B, T, 64], h_n [2, B, 64]

#include "nn/gru_cell.hpp"
#include "nn/recurrent_layer.hpp"

namespace glimpse::nn {

// What RNN and GRU return.
struct RNNOutput {
    Tensor output;  // [B, T, D*H]: every step's h (both directions'), zero at padded steps
    Tensor h_n;     // [num_layers * D, B, H]: the state after each sequence's last real step
};

class GRU : public RecurrentLayer {
  public:
    GRU(int64_t input_size, int64_t hidden_size, RecurrentOptions options = {});
    // input [B, T, I]; h_0 [num_layers * D, B, H], zeros when not given; lengths: each
    // sequence's real length in a padded batch.
    RNNOutput forward(const Tensor& input, const Tensor& h_0 = {},
                      const Lengths& lengths = {}) const;
};

}  // namespace glimpse::nn
