#include "decode/decoder_bahdanau.hpp"

#include <fmt/format.h>

#include <vector>

#include "core/error.hpp"
#include "core/ops.hpp"

namespace glimpse::decode {

BahdanauDecoder::BahdanauDecoder(const DecoderOptions& options,
                                 std::shared_ptr<attention::Attention> attention,
                                 BahdanauOutput output)
    : Decoder("BahdanauDecoder", options), output_inputs_(output) {
    if (!output.state && !output.context && !output.embedding) {
        throw Error(
            "BahdanauDecoder: the output layer must read at least one of the state, "
            "the context and the embedding");
    }
    register_attention(std::move(attention));
    register_cell(options.embedding_size + options.source_size);
    const int64_t inputs = (output.state ? options.hidden_size : 0) +
                           (output.context ? options.source_size : 0) +
                           (output.embedding ? options.embedding_size : 0);
    output_ = register_module(
        "output", std::make_shared<nn::Linear>(inputs, options.vocab_size, true, options.dtype));
}

DecoderStep BahdanauDecoder::step(const Tensor& tokens, const DecoderState& state,
                                  const attention::PreparedSource& source, int64_t t) const {
    const Tensor embedded = embed(tokens);  // [B, E]
    const attention::AttentionOutput attended = attention().forward(state.h, source, t);
    const nn::LSTMState next = advance(cat({embedded, attended.context}, 1), state);  // [B, H]
    std::vector<Tensor> features;
    if (output_inputs_.state) features.push_back(next.h);
    if (output_inputs_.context) features.push_back(attended.context);
    if (output_inputs_.embedding) features.push_back(embedded);
    const Tensor logits = output_->forward(drop(cat(features, 1)));  // [B, V]
    return {logits, {next.h, next.c, Tensor()}, attended.weights};
}

}  // namespace glimpse::decode
