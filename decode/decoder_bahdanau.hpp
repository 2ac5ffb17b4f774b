#pragma once
// The decoder of Bahdanau et al. 2015: attention first, with the previous state as the query,
// then the RNN step reads the context.
//   c_t, a_t = attention(query s_{t-1}, the encoder's states)
//   s_t      = cell([emb(y_{t-1}); c_t], s_{t-1})
//   logits   = W_o [s_t; c_t; emb(y_{t-1})] + b_o      (the paper's output reads all three)
// Which of s_t, c_t and emb(y_{t-1}) the output layer reads is configurable (BahdanauOutput):
// DESIGN.md's benchmark model reads [s_t; c_t]. Any scorer of attention/ can score.

#include <memory>

#include "attention/attention.hpp"
#include "decode/decoder.hpp"
#include "nn/linear.hpp"

namespace glimpse::decode {

// The inputs of the output layer, concatenated in this order.
struct BahdanauOutput {
    bool state = true;      // s_t
    bool context = true;    // c_t
    bool embedding = true;  // emb(y_{t-1})
};

class BahdanauDecoder : public Decoder {
  public:
    // attention: queries of options.hidden_size, keys of options.source_size.
    BahdanauDecoder(const DecoderOptions& options, std::shared_ptr<attention::Attention> attention,
                    BahdanauOutput output = {});

    DecoderStep step(const Tensor& tokens, const DecoderState& state,
                     const attention::PreparedSource& source, int64_t t) const override;

  private:
    BahdanauOutput output_inputs_;
    std::shared_ptr<nn::Linear> output_;  // [V, H + Hc + E], the chosen inputs only
};

}  // namespace glimpse::decode
