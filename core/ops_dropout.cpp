// Dropout: during training each element is zeroed with probability p and the survivors are scaled
// by 1/(1-p), so every element keeps its expected value and evaluation needs no rescaling.

#include <fmt/format.h>

#include "core/autograd.hpp"
#include "core/check.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/random.hpp"

namespace glimpse {

using Grads = std::vector<Tensor>;

Tensor dropout(const Tensor& x, double p, bool training) {
    check_floating("dropout", x);
    if (!(p >= 0.0 && p < 1.0)) {
        throw Error(fmt::format("dropout: p must be in [0, 1), got {} (input {})", p, describe(x)));
    }
    if (!training || p == 0.0) return x;
    // [x.shape]: 0 where dropped, 1/(1-p) where kept; drawn from the global generator.
    const Tensor mask = bernoulli(x.shape(), 1.0 - p, x.dtype()) * (1.0 / (1.0 - p));
    const Tensor out = x.detach() * mask;
    // The output is x times a constant mask: the gradient is masked and scaled the same way.
    return record("dropout", {x}, out, [mask](const Tensor& g) { return Grads{g * mask}; });
}

}  // namespace glimpse
