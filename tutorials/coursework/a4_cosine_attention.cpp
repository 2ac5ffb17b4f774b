// Assignment a4: cosine attention with a learned scale. The equations and what is checked are in
// a4_cosine_attention.hpp. Run the checks with `make check A=4`.

#include "tutorials/coursework/a4_cosine_attention.hpp"

namespace coursework {

using namespace glimpse;

Tensor unit_vectors(const Tensor& v) {
    // TODO(a4): v divided by its length along the last dim, never by less than 1e-12.
    (void)v;
    throw Error("a4: not implemented: unit_vectors");
}

Tensor cosine_scores(const Tensor& query, const Tensor& unit_keys, const Tensor& weight,
                     const Tensor& log_scale) {
    // TODO(a4): project and normalise the query, dot it with every key, scale by exp(log_scale).
    (void)query, (void)unit_keys, (void)weight, (void)log_scale;
    throw Error("a4: not implemented: cosine_scores");
}

CosineAttention::CosineAttention(int64_t query_size, int64_t key_size, DType dtype)
    : Attention("CosineAttention", query_size, key_size) {
    // TODO(a4): register query_proj (nn::Linear, no bias) and log_scale (log 5).
    (void)dtype;
    throw Error("a4: not implemented: CosineAttention's constructor");
}

Tensor CosineAttention::project_keys(const Tensor& keys) const {
    // TODO(a4): the keys as unit vectors, once per source batch.
    (void)keys;
    throw Error("a4: not implemented: CosineAttention::project_keys");
}

Tensor CosineAttention::score(const Tensor& query, const attention::PreparedSource& source,
                              int64_t) const {
    // TODO(a4): check the query, then cosine_scores on the prepared keys.
    (void)query, (void)source;
    throw Error("a4: not implemented: CosineAttention::score");
}

}  // namespace coursework
