// Comparisons and selection. Comparisons give bool tensors (masks) and carry no gradient; where and
// masked_fill pick each element from one of two sources, and the gradient follows the pick.

#include <fmt/format.h>

#include <cmath>

#include "core/autograd.hpp"
#include "core/elementwise.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"

namespace glimpse {

using Grads = std::vector<Tensor>;

namespace {

// A bool tensor f(a, b) over the broadcast shape; a and b of one dtype, any dtype.
template <typename F>
Tensor compare(const char* op, const Tensor& a, const Tensor& b, F f) {
    check_same_dtype(op, a, b);
    Tensor out = empty(broadcast_or_throw(op, a, b), DType::Bool);
    dispatch_all(a.dtype(), [&](auto zero) {
        using T = decltype(zero);
        binary_loop<T, uint8_t>(a, b, out, f);
    });
    return out;
}

// out = condition ? a : b, element by element over the broadcast shape of all three.
Tensor choose(const char* op, const Tensor& condition, const Tensor& a, const Tensor& b) {
    Shape ab;
    Shape shape;
    if (!broadcast_shapes(a.shape(), b.shape(), ab) ||
        !broadcast_shapes(condition.shape(), ab, shape)) {
        throw Error(fmt::format("{}: shapes do not broadcast: condition {}, {} and {}", op,
                                describe(condition), describe(a), describe(b)));
    }
    Tensor out = empty(shape, a.dtype());
    const Strides sc = broadcast_strides(condition.shape(), condition.strides(), shape);
    const Strides sa = broadcast_strides(a.shape(), a.strides(), shape);
    const Strides sb = broadcast_strides(b.shape(), b.strides(), shape);
    dispatch_all(a.dtype(), [&](auto zero) {
        using T = decltype(zero);
        const uint8_t* pick_a = condition.data<uint8_t>();
        const T* pa = a.data<T>();
        const T* pb = b.data<T>();
        T* result = out.data<T>();
        int64_t i = 0;
        for_each_position<3>(shape, {&sc, &sa, &sb}, [&](const std::array<int64_t, 3>& o) {
            result[i++] = pick_a[o[0]] ? pa[o[1]] : pb[o[2]];
        });
    });
    return out;
}

// g where the condition holds (or where it fails), 0 elsewhere: the gradient of one side of a
// selection.
Tensor gradient_where(const Tensor& condition, bool holds, const Tensor& g) {
    const Tensor zero = scalar_tensor(0.0, g.dtype());
    return holds ? where(condition, g, zero) : where(condition, zero, g);
}

// masked_fill's value must survive the conversion to x's dtype: an int64 tensor cannot hold 0.5
// or -infinity, a bool only 0 or 1.
void check_fill_value(const Tensor& x, double value) {
    if (is_floating(x.dtype())) return;
    const bool fits =
        x.dtype() == DType::Bool
            ? value == 0.0 || value == 1.0
            : std::isfinite(value) && value == std::trunc(value) && std::abs(value) < 0x1.0p63;
    if (!fits) {
        throw Error(fmt::format("masked_fill: value {} does not fit in {}", value, describe(x)));
    }
}

}  // namespace

Tensor eq(const Tensor& a, const Tensor& b) {
    return compare("eq", a, b, [](auto x, auto y) { return x == y; });
}
Tensor ne(const Tensor& a, const Tensor& b) {
    return compare("ne", a, b, [](auto x, auto y) { return x != y; });
}
Tensor lt(const Tensor& a, const Tensor& b) {
    return compare("lt", a, b, [](auto x, auto y) { return x < y; });
}
Tensor le(const Tensor& a, const Tensor& b) {
    return compare("le", a, b, [](auto x, auto y) { return x <= y; });
}
Tensor gt(const Tensor& a, const Tensor& b) {
    return compare("gt", a, b, [](auto x, auto y) { return x > y; });
}
Tensor ge(const Tensor& a, const Tensor& b) {
    return compare("ge", a, b, [](auto x, auto y) { return x >= y; });
}

Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b) {
    check_dtype("where", condition, DType::Bool, "condition");
    check_same_dtype("where", a, b);
    Tensor out = choose("where", condition, a, b);
    // Each output element came from a or from b: the gradient goes back to that one.
    return record("where", {condition, a, b}, out, [condition](const Tensor& g) {
        return Grads{Tensor(), gradient_where(condition, true, g),
                     gradient_where(condition, false, g)};
    });
}

Tensor masked_fill(const Tensor& x, const Tensor& mask, double value) {
    check_defined("masked_fill", x);
    check_dtype("masked_fill", mask, DType::Bool, "mask");
    broadcast_or_throw("masked_fill", x, mask);
    check_fill_value(x, value);
    Tensor out = choose("masked_fill", mask, scalar_tensor(value, x.dtype()), x);
    // A filled element no longer depends on x.
    return record("masked_fill", {x, mask}, out, [mask](const Tensor& g) {
        return Grads{gradient_where(mask, false, g), Tensor()};
    });
}

}  // namespace glimpse
