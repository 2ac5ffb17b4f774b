#include "attention/multiplicative.hpp"

#include <fmt/format.h>

#include <cmath>

#include "attention/batched_products.hpp"
#include "core/ops.hpp"

namespace glimpse::attention {

DotAttention::DotAttention(int64_t size) : Attention("DotAttention", size, size) {}

Tensor DotAttention::score(const Tensor& query, const PreparedSource& source, int64_t) const {
    check_query(query, source);
    return dot_scores(source.keys, query);
}

std::string DotAttention::extra_repr() const {
    return fmt::format("size={}", query_size);
}

ScaledDotAttention::ScaledDotAttention(int64_t size)
    : Attention("ScaledDotAttention", size, size) {}

Tensor ScaledDotAttention::score(const Tensor& query, const PreparedSource& source, int64_t) const {
    check_query(query, source);
    // Scaling the [B, H] query costs less than scaling the [B, S] scores and gives the same.
    return dot_scores(source.keys, query * (1.0 / std::sqrt(static_cast<double>(key_size))));
}

std::string ScaledDotAttention::extra_repr() const {
    return fmt::format("size={}", query_size);
}

GeneralAttention::GeneralAttention(int64_t query_size_, int64_t key_size_, DType dtype)
    : Attention("GeneralAttention", query_size_, key_size_) {
    key_proj = register_module("key_proj",
                               std::make_shared<nn::Linear>(key_size, query_size, false, dtype));
}

Tensor GeneralAttention::project_keys(const Tensor& keys) const {
    return key_proj->forward(keys);  // W k: [B, S, Hq]
}

Tensor GeneralAttention::score(const Tensor& query, const PreparedSource& source, int64_t) const {
    check_query(query, source);
    return dot_scores(source.projected, query);
}

std::string GeneralAttention::extra_repr() const {
    return fmt::format("query_size={}, key_size={}", query_size, key_size);
}

}  // namespace glimpse::attention
