// Dropout: during training each element is zeroed with probability p and the survivors are scaled
// by 1/(1-p), so every element keeps its expected value and evaluation needs no rescaling.

#include <fmt/format.h>

#include <cmath>

#include "core/autograd.hpp"
#include "core/check.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/random.hpp"

namespace glimpse {

using Grads = std::vector<Tensor>;

namespace {

// [shape]: 1/(1-p) where an element is kept, 0 where it is dropped, from the global generator.
// Each 64-bit draw decides two elements, one by each 32-bit half (kept when the half, a uniform
// integer below 2^32, is below (1-p) 2^32): half the draws of bernoulli(), which spends 64 bits
// on each element, and no second pass to scale the mask. p is resolved to 2^-32.
Tensor dropout_mask(const Shape& shape, double p, DType dtype) {
    Tensor mask = empty(shape, dtype);
    Generator& generator = default_generator();
    const double keep = 1.0 - p;
    const auto threshold = static_cast<uint64_t>(std::ldexp(keep, 32));
    dispatch_floating(dtype, [&](auto zero) {
        using T = decltype(zero);
        const T scale = static_cast<T>(1.0 / keep);
        T* values = mask.data<T>();
        const int64_t count = mask.numel();
        for (int64_t i = 0; i < count; i += 2) {
            const uint64_t bits = generator.bits();
            values[i] = (bits & 0xffffffffU) < threshold ? scale : T(0);
            if (i + 1 < count) values[i + 1] = (bits >> 32) < threshold ? scale : T(0);
        }
    });
    return mask;
}

}  // namespace

Tensor dropout(const Tensor& x, double p, bool training) {
    check_floating("dropout", x);
    if (!(p >= 0.0 && p < 1.0)) {
        throw Error(fmt::format("dropout: p must be in [0, 1), got {} (input {})", p, describe(x)));
    }
    if (!training || p == 0.0) return x;
    const Tensor mask = dropout_mask(x.shape(), p, x.dtype());  // [x.shape]
    const Tensor out = x.detach() * mask;
    // The output is x times a constant mask: the gradient is masked and scaled the same way.
    return record("dropout", {x}, out, [mask](const Tensor& g) { return Grads{g * mask}; });
}

}  // namespace glimpse
