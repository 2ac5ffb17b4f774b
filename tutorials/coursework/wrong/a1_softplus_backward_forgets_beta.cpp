// A deliberately wrong a1: the backward uses sigmoid(x) where the chain rule gives
// sigmoid(beta * x), so every gradient with beta != 1 is wrong and beta 1 is right.
// The checker must fail: backward matches PyTorch, beta 2 and threshold 5
// The checker must fail: gradcheck, beta 1.5, on a transposed (non-contiguous) input

#include <fmt/format.h>

#include <cmath>

#include "core/check.hpp"
#include "tutorials/coursework/a1_softplus.hpp"

namespace coursework {

using namespace glimpse;

Tensor softplus(const Tensor& x, double beta, double threshold) {
    if (!x.defined() || !is_floating(x.dtype())) {
        throw Error(fmt::format("softplus: expected a float32 or float64 tensor, got {}",
                                x.defined() ? describe(x) : "an undefined tensor"));
    }
    if (!(beta > 0)) throw Error(fmt::format("softplus: beta must be > 0, got {}", beta));
    const std::vector<double> inputs = x.to_vector();
    std::vector<double> values = inputs;
    std::vector<double> slopes(values.size());
    for (std::size_t k = 0; k < values.size(); ++k) {
        const double z = beta * inputs[k];
        if (z > threshold) {
            slopes[k] = 1.0;
            continue;
        }
        values[k] = std::log1p(std::exp(z)) / beta;
        slopes[k] = 1.0 / (1.0 + std::exp(-inputs[k]));  // the slip: beta forgotten
    }
    const Tensor out = tensor(values, x.shape(), x.dtype());
    const Tensor slope = tensor(slopes, x.shape(), x.dtype());
    return record("softplus", {x}, out,
                  [slope](const Tensor& grad_out) { return std::vector{grad_out * slope}; });
}

}  // namespace coursework
