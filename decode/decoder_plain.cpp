#include "decode/decoder_plain.hpp"

namespace glimpse::decode {

PlainDecoder::PlainDecoder(const DecoderOptions& options) : Decoder("PlainDecoder", options) {
    register_cell(options.embedding_size);
    output_ = register_module(
        "output",
        std::make_shared<nn::Linear>(options.hidden_size, options.vocab_size, true, options.dtype));
}

DecoderStep PlainDecoder::step(const Tensor& tokens, const DecoderState& state,
                               const attention::PreparedSource&, int64_t) const {
    const nn::LSTMState next = advance(embed(tokens), state);  // [B, H]
    return {output_->forward(drop(next.h)), {next.h, next.c, Tensor()}, Tensor()};
}

}  // namespace glimpse::decode
