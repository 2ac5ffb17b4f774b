#include "nn/init.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/autograd.hpp"
#include "core/check.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"

namespace glimpse::nn {

namespace {

// Copies freshly drawn values into x's storage: no graph, and the handle modules hold stays.
Tensor overwrite(const Tensor& x, const Tensor& values) {
    NoGradGuard no_grad;
    copy_(x, values);
    return x;
}

}  // namespace

Tensor uniform_(const Tensor& x, double low, double high, Generator& generator) {
    check_floating("uniform_", x);
    return overwrite(x, uniform(x.shape(), low, high, x.dtype(), generator));
}

Tensor normal_(const Tensor& x, double mean, double std, Generator& generator) {
    check_floating("normal_", x);
    return overwrite(x, randn(x.shape(), x.dtype(), generator) * std + mean);
}

Tensor constant_(const Tensor& x, double value) {
    check_defined("constant_", x);
    NoGradGuard no_grad;
    fill_(x, value);
    return x;
}

Tensor zeros_(const Tensor& x) {
    return constant_(x, 0.0);
}

int64_t fan_in(const Tensor& weight) {
    check_defined("fan_in", weight);
    if (weight.dim() < 2) {
        throw Error(
            fmt::format("fan_in: needs a weight with at least 2 dims, got {}", describe(weight)));
    }
    int64_t fan = weight.size(1);
    for (int64_t d = 2; d < weight.dim(); ++d) fan *= weight.size(d);
    return fan;
}

Tensor kaiming_uniform_(const Tensor& weight, double a, Generator& generator) {
    if (weight.defined() && weight.numel() == 0) return weight;
    const double gain = std::sqrt(2.0 / (1.0 + a * a));
    const double bound = gain * std::sqrt(3.0 / static_cast<double>(fan_in(weight)));
    return uniform_(weight, -bound, bound, generator);
}

}  // namespace glimpse::nn
