#include "nn/embedding.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/check.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "nn/init.hpp"

namespace glimpse::nn {

namespace {

// padding_idx in [0, num): a negative one counts from the end, as in PyTorch.
std::optional<int64_t> normalized_padding(const char* op, std::optional<int64_t> padding_idx,
                                          int64_t num_embeddings) {
    if (!padding_idx) return std::nullopt;
    const int64_t index = *padding_idx < 0 ? *padding_idx + num_embeddings : *padding_idx;
    if (index < 0 || index >= num_embeddings) {
        throw Error(fmt::format("{}: padding_idx {} is out of range for {} embeddings", op,
                                *padding_idx, num_embeddings));
    }
    return index;
}

void check_embedding(const Tensor& indices, const Tensor& weight) {
    check_dtype("embedding", indices, DType::Int64, "indices");
    check_floating("embedding", weight);
    if (weight.dim() != 2) {
        throw Error(fmt::format("embedding: weight must be [num, dim], got {}", describe(weight)));
    }
    const Tensor flat = indices.contiguous();  // int64, row-major
    const int64_t* ids = flat.data<int64_t>();
    for (int64_t i = 0; i < flat.numel(); ++i) {
        if (ids[i] < 0 || ids[i] >= weight.size(0)) {
            throw Error(fmt::format(
                "embedding: index {} at position {} of indices {} is out of range for {} "
                "embeddings (weight {})",
                ids[i], i, shape_str(indices.shape()), weight.size(0), describe(weight)));
        }
    }
}

bool contains(const Tensor& indices, int64_t value) {
    const Tensor flat = indices.contiguous();  // int64 [K]
    const int64_t* data = flat.data<int64_t>();
    return std::find(data, data + flat.numel(), value) != data + flat.numel();
}

}  // namespace

Tensor embedding(const Tensor& indices, const Tensor& weight, std::optional<int64_t> padding_idx) {
    check_embedding(indices, weight);
    const std::optional<int64_t> padding =
        normalized_padding("embedding", padding_idx, weight.size(0));
    const Tensor flat = indices.reshape({-1});    // [K]
    Tensor rows = index_select(weight, 0, flat);  // [K, dim]
    // Only a batch that looks up the padding row needs the mask (a batch without padding, or
    // any batch under no-grad, does not).
    const bool pads = padding && rows.requires_grad() && contains(flat, *padding);
    if (pads) {
        // Where the index is the padding row, take the same values cut from the graph: no
        // gradient reaches the padding row.
        const Tensor is_padding = eq(flat, scalar_tensor(*padding, DType::Int64)).unsqueeze(1);
        rows = where(is_padding, rows.detach(), rows);  // [K, 1] picks per row of [K, dim]
    }
    Shape shape = indices.shape();
    shape.push_back(weight.size(1));
    return rows.reshape(shape);  // [..., dim]
}

Embedding::Embedding(int64_t num, int64_t dim, std::optional<int64_t> padding, DType dtype)
    : Module("Embedding"),
      num_embeddings(num),
      embedding_dim(dim),
      padding_idx(normalized_padding("Embedding", padding, num)) {
    if (num < 0 || dim < 0) {
        throw Error(
            fmt::format("Embedding: sizes must not be negative, got num={}, dim={}", num, dim));
    }
    weight = register_parameter("weight", normal_(empty({num, dim}, dtype)));
    if (padding_idx) zeros_(weight.select(0, *padding_idx));
}

std::string Embedding::extra_repr() const {
    std::string repr = fmt::format("{}, {}", num_embeddings, embedding_dim);
    if (padding_idx) repr += fmt::format(", padding_idx={}", *padding_idx);
    return repr;
}

}  // namespace glimpse::nn
