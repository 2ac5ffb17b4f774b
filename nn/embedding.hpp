#pragma once
// Embedding: a lookup table of vectors, one row per token id (torch.nn.Embedding).
//
// Looking up rows is index_select on the weight, so the gradient of each looked-up vector goes
// back (+=) into its row. An optional padding index names a row that is always looked up for
// padding: it starts at zero and never receives a gradient, so it stays what it is.

#include <cstdint>
#include <optional>
#include <string>

#include "core/tensor.hpp"
#include "nn/module.hpp"

namespace glimpse::nn {

// The layer as a function (torch.nn.functional.embedding): indices int64 of any shape [...],
// weight [num, dim]; returns [..., dim]. A negative padding_idx counts from the end.
Tensor embedding(const Tensor& indices, const Tensor& weight,
                 std::optional<int64_t> padding_idx = std::nullopt);

class Embedding : public Module {
  public:
    // The weight starts as PyTorch's: N(0, 1) from the global generator, padding row zeroed.
    Embedding(int64_t num_embeddings, int64_t embedding_dim,
              std::optional<int64_t> padding_idx = std::nullopt, DType dtype = DType::Float32);

    Tensor forward(const Tensor& indices) const {  // int64 [...] -> [..., dim]
        return embedding(indices, weight, padding_idx);
    }
    std::string extra_repr() const override;

    const int64_t num_embeddings;
    const int64_t embedding_dim;
    const std::optional<int64_t> padding_idx;  // in [0, num_embeddings) once constructed
    Tensor weight;                             // [num, dim]
};

}  // namespace glimpse::nn
