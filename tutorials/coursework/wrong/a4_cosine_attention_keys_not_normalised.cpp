// A deliberately wrong a4: the keys are never normalised (project_keys returns them as they
// are), so a long key outscores a well-aligned short one. Its gradients are consistent.
// The checker must fail: scores match PyTorch
// The checker must fail: scores do not change when the keys are scaled

#include <cmath>

#include "tutorials/coursework/a4_cosine_attention.hpp"

namespace coursework {

using namespace glimpse;

Tensor unit_vectors(const Tensor& v) {
    const Tensor length = sqrt(sum(v * v, {-1}, /*keepdim=*/true));  // [..., 1]
    return v / clamp(length, 1e-12, INFINITY);
}

Tensor cosine_scores(const Tensor& query, const Tensor& unit_keys, const Tensor& weight,
                     const Tensor& log_scale) {
    const Tensor unit_query = unit_vectors(matmul(query, weight.t()));     // [B, Hk]
    return exp(log_scale) * attention::dot_scores(unit_keys, unit_query);  // [B, S]
}

CosineAttention::CosineAttention(int64_t query_size, int64_t key_size, DType dtype)
    : Attention("CosineAttention", query_size, key_size) {
    query_proj = register_module(
        "query_proj", std::make_shared<nn::Linear>(query_size, key_size, /*bias=*/false, dtype));
    log_scale = register_parameter("log_scale", scalar_tensor(std::log(5.0), dtype));
}

// The slip: the keys as they are, not as unit vectors.
Tensor CosineAttention::project_keys(const Tensor& keys) const {
    return keys;
}

Tensor CosineAttention::score(const Tensor& query, const attention::PreparedSource& source,
                              int64_t) const {
    check_query(query, source);
    return cosine_scores(query, source.projected, query_proj->weight, log_scale);
}

}  // namespace coursework
