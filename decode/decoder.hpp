#pragma once
// The interface every seq2seq decoder shares, and what they share in code: the target
// embedding and the recurrent cell.
//
// A decoder produces the target one token at a time. Once per source batch, prepare() does the
// work that depends only on the source (attention's projected keys) and initial_state() takes
// the encoder's bridged state; then step() reads the previous tokens y_{t-1} [B] and the state
// and returns the next token's logits [B, V], the new state and (with attention) where it
// looked. Training runs step() over the reference target (teacher forcing); search runs it over
// its own hypotheses, reordering rows with select_rows.
//
// The three decoders, one file each: decoder_plain.hpp (no attention: the bottleneck),
// decoder_bahdanau.hpp, decoder_luong.hpp.

#include <cstdint>
#include <memory>
#include <string>

#include "attention/attention.hpp"
#include "core/tensor.hpp"
#include "decode/encoder.hpp"
#include "nn/embedding.hpp"
#include "nn/fused_recurrence.hpp"
#include "nn/module.hpp"
#include "nn/recurrent_cell.hpp"

namespace glimpse::decode {

struct DecoderOptions {
    int64_t vocab_size = 0;
    int64_t embedding_size = 32;
    int64_t hidden_size = 64;
    int64_t source_size = 0;  // D*H of the encoder's states: the size of an attention context
    nn::CellKind cell = nn::CellKind::LSTM;
    double dropout = 0.0;  // on the target embeddings and before the output layer, training only
    int64_t pad = 0;       // the padding token: its embedding stays zero
    DType dtype = DType::Float32;
};

// What a decoder carries from one step to the next, one row per hypothesis.
struct DecoderState {
    Tensor h;     // [B, H]: the cell's hidden state
    Tensor c;     // [B, H]: LSTM's cell state; undefined for GRU and RNN
    Tensor feed;  // [B, H]: Luong's attentional vector h~_{t-1}, fed back; undefined otherwise
};

// The rows `rows` (int64 [N]) of every defined member: beam search's reordering.
DecoderState select_rows(const DecoderState& state, const Tensor& rows);

struct DecoderStep {
    Tensor logits;  // [B, V]: scores of the next token
    DecoderState state;
    Tensor attention;  // [B, S]: the step's attention weights; undefined without attention
};

class Decoder : public nn::Module {
  public:
    // The source-only work, once per batch: the attention's prepared source (keys and values
    // the encoder's states, projected keys); nothing for a decoder without attention.
    attention::PreparedSource prepare(const EncoderOutput& encoded) const;
    // The encoder's bridged state, zeros where it has none.
    virtual DecoderState initial_state(const EncoderOutput& encoded) const;
    // One step: tokens int64 [B] (y_{t-1}), the state after step t-1, the prepared source; t is
    // the 0-based position (the position-aware scorers read it).
    virtual DecoderStep step(const Tensor& tokens, const DecoderState& state,
                             const attention::PreparedSource& source, int64_t t) const = 0;
    // The rows `rows` of a prepared source; the source itself for a decoder without attention.
    attention::PreparedSource select_source_rows(const attention::PreparedSource& source,
                                                 const Tensor& rows) const;

    const DecoderOptions& options() const { return options_; }
    std::string extra_repr() const override;

  protected:
    // Registers `embedding` [V, E] (padding_idx = pad).
    Decoder(std::string name, const DecoderOptions& options);
    // Registers `attention`, checked to take the decoder's state as its query and the
    // encoder's states as its keys.
    void register_attention(std::shared_ptr<attention::Attention> attention);
    // Registers `cell`, of options().cell with `input_size` inputs.
    void register_cell(int64_t input_size);

    Tensor embed(const Tensor& tokens) const;  // int64 [B] -> [B, E], with dropout
    // The cell's step: x [B, I] and the state's (h, c) -> the new (h, c).
    nn::LSTMState advance(const Tensor& x, const DecoderState& state) const;
    Tensor drop(const Tensor& x) const;  // dropout(p = options().dropout) in training mode
    const attention::Attention& attention() const { return *attention_; }

  private:
    DecoderOptions options_;
    std::shared_ptr<nn::Embedding> embedding_;
    std::shared_ptr<attention::Attention> attention_;  // none for the plain decoder
    std::shared_ptr<nn::RecurrentCell> cell_;
};

}  // namespace glimpse::decode
