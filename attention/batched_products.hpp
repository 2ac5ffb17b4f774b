#pragma once
// The two products of every attention step, one sentence (batch row) at a time:
//   dot_scores(keys, query)  [B, S, H] . [B, H]  -> [B, S]   score[b, s] = keys[b, s, :] . query[b,
//   :] attend(weights, values)  [B, S] . [B, S, H]  -> [B, H]   context[b, :] = sum_s w[b, s]
//   values[b, s, :]
// Each is a batched matrix-vector product (matmul of [B, S, H] by [B, H, 1], or of [B, 1, S] by
// [B, S, H]), and each one's backward is the other plus an outer product:
//   dot_scores: d_keys[b, s, :] = g[b, s] query[b, :],   d_query = attend(g, keys)
//   attend:     d_values[b, s, :] = w[b, s] g[b, :],     d_weights = dot_scores(values, g)
// Written as loops over contiguous rows with hand-written backwards: a general GEMM spends more
// on packing and tiling such thin products (one row, one column, or an inner size of 1) than
// on the multiply-adds, and these run at every decoder step.

#include "core/tensor.hpp"

namespace glimpse::attention {

Tensor dot_scores(const Tensor& keys, const Tensor& query);
Tensor attend(const Tensor& weights, const Tensor& values);

}  // namespace glimpse::attention
