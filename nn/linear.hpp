#pragma once
// Linear: the fully connected layer y = x W^T + b (torch.nn.Linear).
//
// The weight is stored [out, in], as in PyTorch, so that a checkpoint moves between the two
// unchanged; forward multiplies by its transpose, a view (no copy: the GEMM reads it in place).

#include <cstdint>
#include <string>

#include "core/tensor.hpp"
#include "nn/module.hpp"

namespace glimpse::nn {

// The layer as a function (torch.nn.functional.linear): x [..., in], weight [out, in],
// bias [out] or undefined for none. Returns [..., out].
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor());

class Linear : public Module {
  public:
    // Weight and bias start as PyTorch's do: U(-1/sqrt(in), 1/sqrt(in)), from the global
    // generator (manual_seed makes them repeatable).
    Linear(int64_t in_features, int64_t out_features, bool bias = true,
           DType dtype = DType::Float32);

    Tensor forward(const Tensor& x) const { return linear(x, weight, bias); }  // [..., out]
    std::string extra_repr() const override;

    const int64_t in_features;
    const int64_t out_features;
    Tensor weight;  // [out, in]
    Tensor bias;    // [out]; undefined when made with bias = false
};

}  // namespace glimpse::nn
