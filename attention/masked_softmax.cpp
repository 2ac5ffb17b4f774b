#include "attention/masked_softmax.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/autograd.hpp"
#include "core/check.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"

namespace glimpse::attention {

namespace {

void check_masked_softmax(const Tensor& scores, const Tensor& mask) {
    check_floating("masked_softmax", scores);
    if (scores.dim() == 0) {
        throw Error(fmt::format("masked_softmax: scores must have at least 1 dim, got {}",
                                describe(scores)));
    }
    if (!mask.defined()) return;
    check_dtype("masked_softmax", mask, DType::Bool, "mask");
    if (mask.shape() != scores.shape()) {
        throw Error(fmt::format("masked_softmax: mask {} must have the shape of scores {}",
                                describe(mask), describe(scores)));
    }
}

// Softmax of each line of `length` values of x over the positions where keep is nonzero (keep
// null: all of them), written to out; masked positions and lines without any kept position get 0.
// Sums in double so that long float32 lines stay accurate.
template <typename T>
void masked_softmax_lines(const T* x, const uint8_t* keep, T* out, int64_t lines, int64_t length) {
    for (int64_t line = 0; line < lines; ++line) {
        const T* in = x + line * length;
        const uint8_t* kept = keep ? keep + line * length : nullptr;
        T* result = out + line * length;
        const auto attended = [&](int64_t i) { return kept == nullptr || kept[i] != 0; };
        double top = -std::numeric_limits<double>::infinity();
        for (int64_t i = 0; i < length; ++i) {
            if (attended(i)) top = std::max(top, static_cast<double>(in[i]));
        }
        double total = 0;
        for (int64_t i = 0; i < length; ++i) {
            const double e = attended(i) ? std::exp(static_cast<double>(in[i]) - top) : 0.0;
            result[i] = static_cast<T>(e);
            total += e;
        }
        const double scale = total > 0 ? 1.0 / total : 0.0;  // nothing attended: all zeros
        for (int64_t i = 0; i < length; ++i) result[i] = static_cast<T>(result[i] * scale);
    }
}

}  // namespace

Tensor masked_softmax(const Tensor& scores, const Tensor& mask) {
    check_masked_softmax(scores, mask);
    const Tensor x = scores.detach().contiguous();
    const Tensor keep = mask.defined() ? mask.contiguous() : Tensor();
    const Tensor y = empty(scores.shape(), scores.dtype());
    const int64_t length = scores.size(-1);
    const int64_t lines = length == 0 ? 0 : scores.numel() / length;
    dispatch_floating(scores.dtype(), [&](auto zero) {
        using T = decltype(zero);
        masked_softmax_lines(x.data<T>(), keep.defined() ? keep.data<uint8_t>() : nullptr,
                             y.data<T>(), lines, length);
    });
    // As for softmax, dx = y * (g - sum(g * y)) along the line; y is exactly 0 at masked
    // positions, so they get no gradient, and a fully masked line gets none at all.
    return record("masked_softmax", {scores}, y,
                  [y](const Tensor& g) { return std::vector{y * (g - sum(g * y, {-1}, true))}; });
}

}  // namespace glimpse::attention
