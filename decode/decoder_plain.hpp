#pragma once
// The decoder without attention (Sutskever et al. 2014, Cho et al. 2014): the bottleneck.
//   h_t    = cell(emb(y_{t-1}), h_{t-1})       h_0 is the encoder's final state, bridged
//   logits = W_o h_t + b_o
// Everything the decoder knows about the source is in h_0, one fixed-length vector whatever
// the source's length: long sources lose information (tutorial 10 measures how much).

#include "decode/decoder.hpp"
#include "nn/linear.hpp"

namespace glimpse::decode {

class PlainDecoder : public Decoder {
  public:
    explicit PlainDecoder(const DecoderOptions& options);

    DecoderStep step(const Tensor& tokens, const DecoderState& state,
                     const attention::PreparedSource& source, int64_t t) const override;

  private:
    std::shared_ptr<nn::Linear> output_;  // [V, H]
};

}  // namespace glimpse::decode
