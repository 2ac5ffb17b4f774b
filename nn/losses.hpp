#pragma once
// Loss functions, named and defaulted as in torch.nn.functional. Each returns a 0-d tensor for
// Reduction::Mean and Reduction::Sum, and one loss per element for Reduction::None.

#include <cstdint>

#include "core/ops.hpp"

namespace glimpse::nn {

using glimpse::CrossEntropyOptions;
using glimpse::Reduction;
// Cross-entropy over logits [N, C] with int64 targets [N]: the fused log_softmax + negative
// log-likelihood of core (see core/ops.hpp for ignore_index, reduction and label_smoothing).
using glimpse::cross_entropy;

struct NllLossOptions {
    int64_t ignore_index = -100;  // targets equal to this contribute nothing (padding)
    Reduction reduction = Reduction::Mean;
};

// Negative log-likelihood: -log_probs[n, target[n]] for each row n, where log_probs [N, C] (or
// [C]) are log-probabilities (from log_softmax) and target is int64 [N] (or []). Mean divides by
// the number of non-ignored targets (NaN when every target is ignored, as in PyTorch); None gives
// 0 at the ignored positions.
Tensor nll_loss(const Tensor& log_probs, const Tensor& target, const NllLossOptions& options = {});

// Mean squared error: (input - target)^2 for each element, reduced. Both of one shape and dtype;
// both may require grad.
Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean);

}  // namespace glimpse::nn
