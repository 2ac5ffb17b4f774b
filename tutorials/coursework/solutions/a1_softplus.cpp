// Instructor solution of a1: softplus with its backward.

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
    std::vector<double> values = x.to_vector();
    std::vector<double> slopes(values.size());  // d softplus / dx, saved for backward
    for (std::size_t k = 0; k < values.size(); ++k) {
        const double z = beta * values[k];
        if (z > threshold) {
            slopes[k] = 1.0;
            continue;  // linear: the value stays x
        }
        values[k] = std::log1p(std::exp(z)) / beta;
        slopes[k] = 1.0 / (1.0 + std::exp(-z));
    }
    const Tensor out = tensor(values, x.shape(), x.dtype());
    const Tensor slope = tensor(slopes, x.shape(), x.dtype());
    return record("softplus", {x}, out,
                  [slope](const Tensor& grad_out) { return std::vector{grad_out * slope}; });
}

}  // namespace coursework
