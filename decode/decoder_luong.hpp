#pragma once
// The decoder of Luong et al. 2015: the RNN step first, then attention with the new state as the
// query, then the attentional state h~_t, which the output reads and the next step is fed.
//   h_t    = cell([emb(y_{t-1}); h~_{t-1}], h_{t-1})     input feeding; h~_0 = 0
//   c_t, a_t = attention(query h_t, the encoder's states)
//   h~_t   = tanh(W_c [c_t; h_t])                         (attention/luong_output.hpp)
//   logits = W_o h~_t + b_o
// Any scorer of attention/ can score (Luong's own: dot, general, concat; also location, local).

#include <memory>

#include "attention/attention.hpp"
#include "attention/luong_output.hpp"
#include "decode/decoder.hpp"
#include "nn/linear.hpp"

namespace glimpse::decode {

class LuongDecoder : public Decoder {
  public:
    // attention: queries of options.hidden_size, keys of options.source_size.
    LuongDecoder(const DecoderOptions& options, std::shared_ptr<attention::Attention> attention);

    // The encoder's bridged state, and h~_0 = 0.
    DecoderState initial_state(const EncoderOutput& encoded) const override;
    DecoderStep step(const Tensor& tokens, const DecoderState& state,
                     const attention::PreparedSource& source, int64_t t) const override;

  private:
    std::shared_ptr<attention::LuongOutput> attention_output_;  // W_c [H, Hc + H]
    std::shared_ptr<nn::Linear> output_;                        // [V, H]
};

}  // namespace glimpse::decode
