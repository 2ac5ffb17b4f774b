// Instructor solution of a6: the MGU and cosine attention end to end.

#include "tutorials/coursework/a6_reverse_end_to_end.hpp"

namespace coursework {

using namespace glimpse;

Encoded ReverseModel::encode(const Tensor& source, const Tensor& mask) const {
    const int64_t B = source.size(0), S = source.size(1);
    const Tensor embedded = embedding->forward(source);  // [B, S, E]
    Tensor h = zeros({B, hidden_size});
    std::vector<Tensor> states;
    for (int64_t s = 0; s < S; ++s) {
        const Tensor next = encoder->forward(embedded.select(1, s), h);
        h = where(mask.select(1, s).unsqueeze(1), next, h);  // ended rows keep their state
        states.push_back(h);
    }
    const Tensor all = stack(states, 1);  // [B, S, H]
    return {attention->prepare(all, all, mask), h};
}

DecoderStep ReverseModel::decode_step(const Tensor& tokens, const Tensor& h,
                                      const Encoded& encoded) const {
    const Tensor next = decoder->forward(embedding->forward(tokens), h);  // [B, H]
    const attention::AttentionOutput looked = attention->forward(next, encoded.source);
    const Tensor output = tanh(combine->forward(cat({looked.context, next}, 1)));  // [B, H]
    return {generator->forward(output), next, looked.weights};
}

}  // namespace coursework
