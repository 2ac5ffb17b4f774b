#pragma once
// RNN: the Elman RNNCell (nn/rnn_cell.hpp) run over whole sequences, stacked and bidirectional
// as in PyTorch's nn.RNN (the options are in nn/recurrent_layer.hpp).
//
//   nn::RNN rnn(32, 64, {.bidirectional = true}, nn::Nonlinearity::ReLU);
//   auto [output, h_n] = rnn.forward(x);  // x [B, T, 32]: output [B, T, 128], h_n [2, B, 64]

#include "nn/gru.hpp"
#include "nn/rnn_cell.hpp"

namespace glimpse::nn {

class RNN : public RecurrentLayer {
  public:
    RNN(int64_t input_size, int64_t hidden_size, RecurrentOptions options = {},
        Nonlinearity nonlinearity = Nonlinearity::Tanh);
    // input [B, T, I]; h_0 [num_layers * D, B, H], zeros when not given; lengths: each
    // sequence's real length in a padded batch.
    RNNOutput forward(const Tensor& input, const Tensor& h_0 = {},
                      const Lengths& lengths = {}) const;
    Nonlinearity nonlinearity() const { return nonlinearity_; }
    std::string extra_repr() const override;

  private:
    Nonlinearity nonlinearity_;
};

}  // namespace glimpse::nn
