#pragma once
// The loops behind elementwise ops: apply a scalar function to every element (or pair of
// broadcast elements) of strided inputs, writing a fresh contiguous output. Internal header,
// included by the ops_*.cpp files only, so these templates stay out of users' builds.

#include <array>

#include "core/check.hpp"
#include "core/strided_loop.hpp"
#include "core/tensor.hpp"

namespace glimpse {

// out[i] = f(x[i]), In and Out being the C++ element types of x and out.
template <typename In, typename Out, typename F>
void unary_loop(const Tensor& x, Tensor& out, F f) {
    const In* in = x.data<In>();
    Out* result = out.data<Out>();
    if (x.is_contiguous()) {  // the common case: one flat loop the compiler vectorises
        const int64_t n = x.numel();
        for (int64_t i = 0; i < n; ++i) result[i] = static_cast<Out>(f(in[i]));
        return;
    }
    int64_t i = 0;
    for_each_element(x.shape(), x.strides(),
                     [&](int64_t offset) { result[i++] = static_cast<Out>(f(in[offset])); });
}

// out = f(a, b) over the broadcast shape of a and b (out already has that shape, contiguous).
template <typename In, typename Out, typename F>
void binary_loop(const Tensor& a, const Tensor& b, Tensor& out, F f) {
    const In* pa = a.data<In>();
    const In* pb = b.data<In>();
    Out* result = out.data<Out>();
    const int64_t n = out.numel();
    if (a.shape() == b.shape() && a.is_contiguous() && b.is_contiguous()) {
        for (int64_t i = 0; i < n; ++i) result[i] = static_cast<Out>(f(pa[i], pb[i]));
        return;
    }
    if (b.numel() == 1 && a.is_contiguous() && a.shape() == out.shape()) {  // tensor op scalar
        const In y = pb[0];
        for (int64_t i = 0; i < n; ++i) result[i] = static_cast<Out>(f(pa[i], y));
        return;
    }
    if (a.numel() == 1 && b.is_contiguous() && b.shape() == out.shape()) {  // scalar op tensor
        const In x = pa[0];
        for (int64_t i = 0; i < n; ++i) result[i] = static_cast<Out>(f(x, pb[i]));
        return;
    }
    const Strides sa = broadcast_strides(a.shape(), a.strides(), out.shape());
    const Strides sb = broadcast_strides(b.shape(), b.strides(), out.shape());
    int64_t i = 0;
    for_each_position<2>(out.shape(), {&sa, &sb}, [&](const std::array<int64_t, 2>& o) {
        result[i++] = static_cast<Out>(f(pa[o[0]], pb[o[1]]));
    });
}

// A fresh tensor f(x) of x's shape and dtype; x must be floating.
template <typename F>
Tensor map_floating(const char* op, const Tensor& x, F f) {
    check_floating(op, x);
    Tensor out = empty(x.shape(), x.dtype());
    dispatch_floating(x.dtype(), [&](auto zero) {
        using T = decltype(zero);
        unary_loop<T, T>(x, out, f);
    });
    return out;
}

// A fresh tensor f(a, b) over the broadcast shape; a and b floating and of one dtype.
template <typename F>
Tensor map_floating(const char* op, const Tensor& a, const Tensor& b, F f) {
    check_floating(op, a);
    check_floating(op, b);
    check_same_dtype(op, a, b);
    Tensor out = empty(broadcast_or_throw(op, a, b), a.dtype());
    dispatch_floating(a.dtype(), [&](auto zero) {
        using T = decltype(zero);
        binary_loop<T, T>(a, b, out, f);
    });
    return out;
}

}  // namespace glimpse
