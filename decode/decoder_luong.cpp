#include "decode/decoder_luong.hpp"

#include "core/ops.hpp"

namespace glimpse::decode {

LuongDecoder::LuongDecoder(const DecoderOptions& options,
                           std::shared_ptr<attention::Attention> attention)
    : Decoder("LuongDecoder", options) {
    const int64_t h = options.hidden_size;
    register_attention(std::move(attention));
    register_cell(options.embedding_size + h);
    attention_output_ = register_module(
        "attention_output",
        std::make_shared<attention::LuongOutput>(options.source_size, h, h, options.dtype));
    output_ = register_module(
        "output", std::make_shared<nn::Linear>(h, options.vocab_size, true, options.dtype));
}

DecoderState LuongDecoder::initial_state(const EncoderOutput& encoded) const {
    DecoderState state = Decoder::initial_state(encoded);
    state.feed = zeros_like(state.h);
    return state;
}

DecoderStep LuongDecoder::step(const Tensor& tokens, const DecoderState& state,
                               const attention::PreparedSource& source, int64_t t) const {
    const nn::LSTMState next = advance(cat({embed(tokens), state.feed}, 1), state);  // [B, H]
    const attention::AttentionOutput attended = attention().forward(next.h, source, t);
    const Tensor attentional = attention_output_->forward(attended.context, next.h);  // h~_t
    return {output_->forward(drop(attentional)), {next.h, next.c, attentional}, attended.weights};
}

}  // namespace glimpse::decode
