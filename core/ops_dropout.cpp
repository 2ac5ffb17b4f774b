// Dropout: during training each element is zeroed with probability p and the survivors are scaled
// by 1/(1-p), so every element keeps its expected value and evaluation needs no rescaling.

#include <fmt/format.h>

#include <cmath>
#include <cstdint>

#include "core/autograd.hpp"
#include "core/check.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/random.hpp"

namespace glimpse {

using Grads = std::vector<Tensor>;

namespace {

// SplitMix64 (Steele, Lea & Flood 2014): the i-th output of the generator that starts at
// `state` is mix(state + (i + 1) * kGolden), so any element's bits are computed from its index
// alone, with no sequence to walk, and the loop vectorises.
constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ULL;
uint64_t splitmix64(uint64_t state, int64_t i) {
    uint64_t z = state + static_cast<uint64_t>(i + 1) * kGolden;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// The mask ([shape]: 1/(1-p) where an element is kept, 0 where it is dropped) and x times it,
// in one pass. One 64-bit draw of the global generator seeds a SplitMix64 stream; element i is
// kept when the high 32 bits of its i-th output are below (1-p) 2^32 (p resolved to 2^-32).
// Drawing every element's bits from the global generator itself took half of dropout's time in
// tutorial 13's training step.
struct Dropped {
    Tensor mask;
    Tensor out;
};
Dropped drop(const Tensor& x, double p) {
    const Tensor input = x.detach().contiguous();  // [shape], read in row-major order
    Dropped result{empty(x.shape(), x.dtype()), empty(x.shape(), x.dtype())};
    const uint64_t state = default_generator().bits();
    const double keep = 1.0 - p;
    const auto threshold = static_cast<uint64_t>(std::ldexp(keep, 32));
    dispatch_floating(x.dtype(), [&](auto zero) {
        using T = decltype(zero);
        const T scale = static_cast<T>(1.0 / keep);
        const T* in = input.data<T>();
        T* mask = result.mask.data<T>();
        T* out = result.out.data<T>();
        const int64_t count = input.numel();
#pragma omp simd
        for (int64_t i = 0; i < count; ++i) {
            mask[i] = (splitmix64(state, i) >> 32) < threshold ? scale : T(0);
            out[i] = in[i] * mask[i];
        }
    });
    return result;
}

}  // namespace

Tensor dropout(const Tensor& x, double p, bool training) {
    check_floating("dropout", x);
    if (!(p >= 0.0 && p < 1.0)) {
        throw Error(fmt::format("dropout: p must be in [0, 1), got {} (input {})", p, describe(x)));
    }
    if (!training || p == 0.0) return x;
    const Dropped dropped = drop(x, p);
    const Tensor mask = dropped.mask;  // [x.shape]
    // The output is x times a constant mask: the gradient is masked and scaled the same way.
    return record("dropout", {x}, dropped.out, [mask](const Tensor& g) { return Grads{g * mask}; });
}

}  // namespace glimpse
