#include "attention/additive.hpp"

#include <fmt/format.h>

#include "core/autograd.hpp"
#include "core/check.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "nn/vector_math.hpp"

namespace glimpse::attention {

namespace {

void check_additive(const Tensor& keys, const Tensor& query, const Tensor& v) {
    for (const Tensor* x : {&keys, &query, &v}) check_floating("additive_scores", *x);
    check_same_dtype("additive_scores", keys, query);
    check_same_dtype("additive_scores", keys, v);
    const bool fits = keys.dim() == 3 && query.dim() == 2 && v.dim() == 2 &&
                      query.size(0) == keys.size(0) && query.size(1) == keys.size(2) &&
                      v.size(0) == 1 && v.size(1) == keys.size(2);
    if (!fits) {
        throw Error(
            fmt::format("additive_scores: projected keys {}, projected query {} and v {} "
                        "must be [B, S, A], [B, A] and [1, A]",
                        describe(keys), describe(query), describe(v)));
    }
}

// hidden[b, s] = tanh(keys[b, s] + query[b]) and scores[b, s] = v . hidden[b, s]; all
// contiguous, A values per position.
template <typename T>
void additive_forward(const T* keys, const T* query, const T* v, T* hidden, T* scores,
                      int64_t batch, int64_t steps, int64_t A) {
    for (int64_t b = 0; b < batch; ++b) {
        const T* q = query + b * A;
        for (int64_t s = 0; s < steps; ++s) {
            const int64_t at = (b * steps + s) * A;
            T total = 0;
#pragma omp simd reduction(+ : total)
            for (int64_t a = 0; a < A; ++a) {
                hidden[at + a] = nn::vector_math::tanh(keys[at + a] + q[a]);
                total += v[a] * hidden[at + a];
            }
            scores[b * steps + s] = total;
        }
    }
}

// With d pre[b, s, a] = g[b, s] v[a] (1 - hidden^2), the gradient of keys + query before tanh:
//   d keys = d pre;  d query[b] = sum_s d pre[b, s];  d v = sum_{b, s} g[b, s] hidden[b, s]
template <typename T>
void additive_backward(const T* g, const T* v, const T* hidden, T* d_keys, T* d_query, T* d_v,
                       int64_t batch, int64_t steps, int64_t A) {
    for (int64_t b = 0; b < batch; ++b) {
        T* dq = d_query + b * A;
        for (int64_t s = 0; s < steps; ++s) {
            const int64_t at = (b * steps + s) * A;
            const T gs = g[b * steps + s];
#pragma omp simd
            for (int64_t a = 0; a < A; ++a) {
                const T h = hidden[at + a];
                d_keys[at + a] = gs * v[a] * (1 - h * h);
                dq[a] += d_keys[at + a];
                d_v[a] += gs * h;
            }
        }
    }
}

}  // namespace

Tensor additive_scores(const Tensor& projected_keys, const Tensor& projected_query,
                       const Tensor& v_weight) {
    check_additive(projected_keys, projected_query, v_weight);
    const Tensor keys = projected_keys.detach().contiguous();
    const Tensor query = projected_query.detach().contiguous();
    const Tensor v = v_weight.detach().contiguous();
    const int64_t batch = keys.size(0), steps = keys.size(1), A = keys.size(2);
    const Tensor hidden = empty(keys.shape(), keys.dtype());  // [B, S, A], kept for backward
    const Tensor scores = empty({batch, steps}, keys.dtype());
    dispatch_floating(keys.dtype(), [&](auto zero) {
        using T = decltype(zero);
        additive_forward(keys.data<T>(), query.data<T>(), v.data<T>(), hidden.data<T>(),
                         scores.data<T>(), batch, steps, A);
    });
    return record("additive_scores", {projected_keys, projected_query, v_weight}, scores,
                  [v, hidden](const Tensor& upstream) {
                      const Tensor g = upstream.contiguous();
                      const int64_t B = hidden.size(0), S = hidden.size(1), A = hidden.size(2);
                      const Tensor d_keys = empty(hidden.shape(), hidden.dtype());
                      const Tensor d_query = zeros({B, A}, hidden.dtype());
                      const Tensor d_v = zeros({1, A}, hidden.dtype());
                      dispatch_floating(hidden.dtype(), [&](auto zero) {
                          using T = decltype(zero);
                          additive_backward(g.data<T>(), v.data<T>(), hidden.data<T>(),
                                            d_keys.data<T>(), d_query.data<T>(), d_v.data<T>(), B,
                                            S, A);
                      });
                      return std::vector<Tensor>{d_keys, d_query, d_v};
                  });
}

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
