#pragma once
// The encoder of a seq2seq model: an embedding of the source tokens, then a recurrent layer (RNN,
// LSTM or GRU, any number of layers, optionally bidirectional) run over the padded batch with
// each sentence's real length, so padding changes nothing.
//
// It returns what the decoder needs: every position's state (what attention reads), the mask of
// real positions, and the decoder's initial state, made from the encoder's final state by the
// bridge:
//   Bridge::Zero   the decoder starts from zeros (attention then carries all the information)
//   Bridge::Final  the top layer's final state. A unidirectional encoder's is passed on as it is
//                  (so encoder and decoder hidden sizes are equal). A bidirectional encoder has
//                  two, read left to right and right to left: the bridge maps them to one,
//                  h_0 = tanh(W_h [h_fwd; h_bwd] + b_h), and LSTM's cell state likewise with its
//                  own W_c (modules bridge_h and bridge_c).

#include <cstdint>
#include <memory>
#include <vector>

#include "core/tensor.hpp"
#include "nn/embedding.hpp"
#include "nn/fused_recurrence.hpp"
#include "nn/linear.hpp"
#include "nn/lstm_cell.hpp"
#include "nn/module.hpp"
#include "nn/recurrent_layer.hpp"

namespace glimpse::decode {

enum class Bridge { Zero, Final };

struct EncoderOptions {
    int64_t vocab_size = 0;
    int64_t embedding_size = 32;
    int64_t hidden_size = 64;  // per direction; also the decoder's hidden size
    nn::CellKind cell = nn::CellKind::LSTM;
    int64_t num_layers = 1;
    bool bidirectional = false;
    Bridge bridge = Bridge::Final;
    double dropout = 0.0;  // on the embeddings and between layers, in training mode only
    int64_t pad = 0;       // the padding token: its embedding stays zero
    DType dtype = DType::Float32;
};

struct EncoderOutput {
    Tensor outputs;                // [B, S, D*H]: every position's state, zero at padding
    Tensor mask;                   // [B, S] bool, true at real tokens
    nn::LSTMState initial;         // the decoder's initial state [B, H] (c only for LSTM);
                                   // undefined members stand for zeros (Bridge::Zero)
    std::vector<int64_t> lengths;  // each sentence's real length
};

class Encoder : public nn::Module {
  public:
    explicit Encoder(const EncoderOptions& options);

    // source int64 [B, S] padded; lengths int64 [B] in [1, S] (undefined: every sentence is S
    // tokens long).
    EncoderOutput forward(const Tensor& source, const Tensor& lengths = Tensor()) const;

    const EncoderOptions& options() const { return options_; }
    int64_t output_size() const {  // D*H: the size of one position's state
        return options_.hidden_size * (options_.bidirectional ? 2 : 1);
    }
    std::string extra_repr() const override;

  private:
    nn::LSTMState bridge(const nn::RecurrentOutput& result) const;

    EncoderOptions options_;
    std::shared_ptr<nn::Embedding> embedding_;
    std::shared_ptr<nn::RecurrentLayer> rnn_;
    std::shared_ptr<nn::Linear> bridge_h_;  // bidirectional Bridge::Final only
    std::shared_ptr<nn::Linear> bridge_c_;  // ... and LSTM only
};

}  // namespace glimpse::decode
