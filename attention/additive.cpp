#include "attention/additive.hpp"

#include <fmt/format.h>

#include "core/ops.hpp"

namespace glimpse::attention {

Tensor additive_scores_composed(const Tensor& projected_keys, const Tensor& projected_query,
                                const Tensor& v_weight) {
    // [B, S, A] + [B, 1, A] -> tanh -> [B, S, A] @ [A, 1] -> [B, S, 1]
    const Tensor hidden = tanh(projected_keys + projected_query.unsqueeze(1));
    return nn::linear(hidden, v_weight).squeeze(2);
}

BahdanauAttention::BahdanauAttention(int64_t query_size_, int64_t key_size_,
                                     int64_t attention_size_, DType dtype)
    : Attention("BahdanauAttention", query_size_, key_size_), attention_size(attention_size_) {
    query_proj = register_module(
        "query_proj", std::make_shared<nn::Linear>(query_size, attention_size, false, dtype));
    key_proj = register_module("key_proj",
                               std::make_shared<nn::Linear>(key_size, attention_size, true, dtype));
    v = register_module("v", std::make_shared<nn::Linear>(attention_size, 1, false, dtype));
}

Tensor BahdanauAttention::project_keys(const Tensor& keys) const {
    return key_proj->forward(keys);  // U k + b: [B, S, A]
}

Tensor BahdanauAttention::score(const Tensor& query, const PreparedSource& source, int64_t) const {
    check_query(query, source);
    return additive_scores(source.projected, query_proj->forward(query), v->weight);
}

std::string BahdanauAttention::extra_repr() const {
    return fmt::format("query_size={}, key_size={}, attention_size={}", query_size, key_size,
                       attention_size);
}

ConcatAttention::ConcatAttention(int64_t query_size_, int64_t key_size_, int64_t attention_size_,
                                 DType dtype)
    : Attention("ConcatAttention", query_size_, key_size_), attention_size(attention_size_) {
    proj = register_module(
        "proj", std::make_shared<nn::Linear>(query_size + key_size, attention_size, false, dtype));
    v = register_module("v", std::make_shared<nn::Linear>(attention_size, 1, false, dtype));
}

Tensor ConcatAttention::project_keys(const Tensor& keys) const {
    return nn::linear(keys, proj->weight.narrow(1, query_size, key_size));  // W_k k: [B, S, A]
}

Tensor ConcatAttention::score(const Tensor& query, const PreparedSource& source, int64_t) const {
    check_query(query, source);
    const Tensor projected_query = nn::linear(query, proj->weight.narrow(1, 0, query_size));
    return additive_scores(source.projected, projected_query, v->weight);
}

std::string ConcatAttention::extra_repr() const {
    return fmt::format("query_size={}, key_size={}, attention_size={}", query_size, key_size,
                       attention_size);
}

}  // namespace glimpse::attention
