// The fused additive score v^T tanh(K + q) (attention/additive.hpp), forward and backward.
//
// For each batch row b and source position s, with K = projected keys, q = projected query:
//   t[b,s,:] = tanh(K[b,s,:] + q[b,:]),   score[b,s] = v . t[b,s,:]
// and, given g = dLoss/dscore [B, S], with u = g[b,s] v * (1 - t^2) = dLoss/d(K + q):
//   dK[b,s,:] = u,   dq[b,:] = sum_s u,   dv = sum_{b,s} g[b,s] t[b,s,:].
// Forward keeps t for backward (no second tanh) when a graph is recorded. Float rows use
// nn/vector_math.hpp's tanh, which the compiler vectorises; double keeps the C library's (gradcheck
// and golden tests).

#include <fmt/format.h>

#include <array>

#include "attention/additive.hpp"
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
    if (keys.dim() != 3 || query.shape() != Shape{keys.size(0), keys.size(2)} ||
        v.shape() != Shape{1, keys.size(2)}) {
        throw Error(fmt::format(
            "additive_scores: projected_keys {}, projected_query {} and v_weight {} must be "
            "[B, S, A], [B, A] and [1, A]",
            describe(keys), describe(query), describe(v)));
    }
}

// The scores, and t = tanh(K + q) into `t`: all of [B, S, A] when `keep_t`, else one row [A]
// of scratch, used again for every row; every pointer contiguous.
template <typename T>
void additive_forward(const T* keys, const T* query, const T* v, T* t, bool keep_t, T* scores,
                      int64_t B, int64_t S, int64_t A) {
    for (int64_t b = 0; b < B; ++b) {
        const T* q = query + b * A;
        for (int64_t s = 0; s < S; ++s) {
            const T* k = keys + (b * S + s) * A;
            T* row = keep_t ? t + (b * S + s) * A : t;
#pragma omp simd
            for (int64_t a = 0; a < A; ++a) row[a] = nn::vector_math::tanh(k[a] + q[a]);
            scores[b * S + s] = nn::vector_math::dot(v, row, A);
        }
    }
}

// dK into d_keys [B, S, A] (added to what it holds when Add), dq into d_query [B, A] and dv into
// d_v [A], both zeroed first.
template <bool Add, typename T>
void additive_backward(const T* g, const T* t, const T* v, T* d_keys, T* d_query, T* d_v, int64_t B,
                       int64_t S, int64_t A) {
    for (int64_t b = 0; b < B; ++b) {
        T* dq = d_query + b * A;
        for (int64_t s = 0; s < S; ++s) {
            const T gs = g[b * S + s];
            const T* row = t + (b * S + s) * A;
            T* dk = d_keys + (b * S + s) * A;
#pragma omp simd
            for (int64_t a = 0; a < A; ++a) {
                const T u = gs * v[a] * (1 - row[a] * row[a]);
                dk[a] = Add ? dk[a] + u : u;
                dq[a] += u;
                d_v[a] += gs * row[a];
            }
        }
    }
}

}  // namespace

Tensor additive_scores(const Tensor& projected_keys, const Tensor& projected_query,
                       const Tensor& v_weight) {
    check_additive(projected_keys, projected_query, v_weight);
    const int64_t B = projected_keys.size(0), S = projected_keys.size(1),
                  A = projected_keys.size(2);
    const Tensor keys = projected_keys.detach().contiguous();
    const Tensor query = projected_query.detach().contiguous();
    const Tensor v = v_weight.detach().contiguous();
    // Only backward reads t again: while decoding (no graph), one row of scratch will do.
    const std::array<Tensor, 3> inputs{projected_keys, projected_query, v_weight};
    const bool keep_t = needs_graph(inputs);
    const Tensor t = keep_t ? empty({B, S, A}, keys.dtype()) : empty({A}, keys.dtype());
    const Tensor scores = empty({B, S}, keys.dtype());
    dispatch_floating(keys.dtype(), [&](auto zero) {
        using T = decltype(zero);
        additive_forward(keys.data<T>(), query.data<T>(), v.data<T>(), t.data<T>(), keep_t,
                         scores.data<T>(), B, S, A);
    });
    return record("additive_scores", {projected_keys, projected_query, v_weight}, scores,
                  [t, v, B, S, A](const Tensor& grad) {
                      const Tensor g = grad.contiguous();
                      Tensor d_query = zeros({B, A}, t.dtype());
                      Tensor d_v = zeros({1, A}, t.dtype());
                      // The keys are read at every decoder step: dK goes straight into the sum
                      // of the steps after this one when the engine has it.
                      auto backward = [&](const Tensor& d_keys, bool add) {
                          dispatch_floating(t.dtype(), [&](auto zero) {
                              using T = decltype(zero);
                              const auto loops =
                                  add ? additive_backward<true, T> : additive_backward<false, T>;
                              loops(g.data<T>(), t.data<T>(), v.data<T>(), d_keys.data<T>(),
                                    d_query.data<T>(), d_v.data<T>(), B, S, A);
                          });
                      };
                      Tensor d_keys;
                      if (!add_to_gradient(0, [&](const Tensor& sum) { backward(sum, true); })) {
                          d_keys = empty({B, S, A}, t.dtype());
                          backward(d_keys, false);
                      }
                      return std::vector{d_keys, d_query, d_v};
                  });
}

}  // namespace glimpse::attention
