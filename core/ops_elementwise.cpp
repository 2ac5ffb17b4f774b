// Elementwise arithmetic and activations. Each op: its forward loop, then record() with its
// derivative. Gradients may keep the broadcast shape: the engine sums them back (sum_to).

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/autograd.hpp"
#include "core/elementwise.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"

namespace glimpse {

using Grads = std::vector<Tensor>;

// The gradient for an input, computed only when that input wants one: skipping the other side
// of mul(x, constant) halves its backward.
template <typename Compute>
static Tensor if_needed(const Tensor& input, Compute compute) {
    return input.requires_grad() ? compute() : Tensor();
}

Tensor add(const Tensor& a, const Tensor& b) {
    Tensor out = map_floating("add", a, b, [](auto x, auto y) { return x + y; });
    return record("add", {a, b}, out, [](const Tensor& g) { return Grads{g, g}; });
}

Tensor sub(const Tensor& a, const Tensor& b) {
    Tensor out = map_floating("sub", a, b, [](auto x, auto y) { return x - y; });
    return record("sub", {a, b}, out, [](const Tensor& g) { return Grads{g, neg(g)}; });
}

Tensor mul(const Tensor& a, const Tensor& b) {
    Tensor out = map_floating("mul", a, b, [](auto x, auto y) { return x * y; });
    // d(ab)/da = b, d(ab)/db = a
    return record("mul", {a, b}, out, [a, b](const Tensor& g) {
        return Grads{if_needed(a, [&] { return g * b; }), if_needed(b, [&] { return g * a; })};
    });
}

Tensor div(const Tensor& a, const Tensor& b) {
    Tensor out = map_floating("div", a, b, [](auto x, auto y) { return x / y; });
    // d(a/b)/da = 1/b, d(a/b)/db = -a/b^2
    return record("div", {a, b}, out, [a, b](const Tensor& g) {
        return Grads{if_needed(a, [&] { return g / b; }),
                     if_needed(b, [&] { return neg(g * a / (b * b)); })};
    });
}

Tensor neg(const Tensor& x) {
    Tensor out = map_floating("neg", x, [](auto v) { return -v; });
    return record("neg", {x}, out, [](const Tensor& g) { return Grads{neg(g)}; });
}

Tensor pow(const Tensor& x, double exponent) {
    Tensor out = map_floating(
        "pow", x, [exponent](auto v) { return std::pow(v, static_cast<decltype(v)>(exponent)); });
    // d(x^p)/dx = p x^(p-1); x^0 is constant, and 0 * 0^-1 would be NaN at x = 0.
    return record("pow", {x}, out, [x, exponent](const Tensor& g) {
        if (exponent == 0) return Grads{zeros_like(g)};
        return Grads{g * exponent * pow(x, exponent - 1)};
    });
}

Tensor exp(const Tensor& x) {
    Tensor out = map_floating("exp", x, [](auto v) { return std::exp(v); });
    return record("exp", {x}, out, [out](const Tensor& g) { return Grads{g * out}; });
}

Tensor log(const Tensor& x) {
    Tensor out = map_floating("log", x, [](auto v) { return std::log(v); });
    return record("log", {x}, out, [x](const Tensor& g) { return Grads{g / x}; });
}

Tensor sqrt(const Tensor& x) {
    Tensor out = map_floating("sqrt", x, [](auto v) { return std::sqrt(v); });
    // d(sqrt x)/dx = 1 / (2 sqrt x)
    return record("sqrt", {x}, out, [out](const Tensor& g) { return Grads{g * 0.5 / out}; });
}

Tensor tanh(const Tensor& x) {
    Tensor out = map_floating("tanh", x, [](auto v) { return std::tanh(v); });
    // d(tanh x)/dx = 1 - tanh(x)^2, from the output we already have (`out` is graph-free),
    // in one loop rather than three ops.
    return record("tanh", {x}, out, [out](const Tensor& g) {
        return Grads{map_floating("tanh_backward", g, out,
                                  [](auto gv, auto y) { return gv * (1 - y * y); })};
    });
}

Tensor sigmoid(const Tensor& x) {
    Tensor out = map_floating("sigmoid", x, [](auto v) {
        using T = decltype(v);
        return T(1) / (T(1) + std::exp(-v));
    });
    // d(sigma x)/dx = sigma(x) (1 - sigma(x)), in one loop.
    return record("sigmoid", {x}, out, [out](const Tensor& g) {
        return Grads{map_floating("sigmoid_backward", g, out,
                                  [](auto gv, auto y) { return gv * y * (1 - y); })};
    });
}

Tensor relu(const Tensor& x) {
    Tensor out = map_floating("relu", x, [](auto v) { return v > 0 ? v : decltype(v)(0); });
    return record("relu", {x}, out, [x](const Tensor& g) {
        // The gradient passes where the input was positive.
        return Grads{map_floating("relu_backward", g, x,
                                  [](auto gv, auto xv) { return xv > 0 ? gv : decltype(gv)(0); })};
    });
}

Tensor clamp(const Tensor& x, double min, double max) {
    if (min > max) {
        throw Error(fmt::format("clamp: min {} is greater than max {}", min, max));
    }
    Tensor out = map_floating("clamp", x, [min, max](auto v) {
        using T = decltype(v);
        return std::clamp(v, static_cast<T>(min), static_cast<T>(max));
    });
    return record("clamp", {x}, out, [x, min, max](const Tensor& g) {
        // The gradient passes where the input was inside the range, bounds included.
        return Grads{map_floating("clamp_backward", g, x, [min, max](auto gv, auto xv) {
            return xv >= min && xv <= max ? gv : decltype(gv)(0);
        })};
    });
}

Tensor operator+(const Tensor& a, const Tensor& b) {
    return add(a, b);
}
Tensor operator-(const Tensor& a, const Tensor& b) {
    return sub(a, b);
}
Tensor operator*(const Tensor& a, const Tensor& b) {
    return mul(a, b);
}
Tensor operator/(const Tensor& a, const Tensor& b) {
    return div(a, b);
}
Tensor operator-(const Tensor& x) {
    return neg(x);
}

// A plain number joins a tensor as a 0-d constant of the tensor's dtype.
static Tensor constant_like(const Tensor& x, double value) {
    check_defined("scalar arithmetic", x);
    return scalar_tensor(value, x.dtype());
}

Tensor operator+(const Tensor& a, double b) {
    return add(a, constant_like(a, b));
}
Tensor operator+(double a, const Tensor& b) {
    return add(constant_like(b, a), b);
}
Tensor operator-(const Tensor& a, double b) {
    return sub(a, constant_like(a, b));
}
Tensor operator-(double a, const Tensor& b) {
    return sub(constant_like(b, a), b);
}
Tensor operator*(const Tensor& a, double b) {
    return mul(a, constant_like(a, b));
}
Tensor operator*(double a, const Tensor& b) {
    return mul(constant_like(b, a), b);
}
Tensor operator/(const Tensor& a, double b) {
    return div(a, constant_like(a, b));
}
Tensor operator/(double a, const Tensor& b) {
    return div(constant_like(b, a), b);
}

}  // namespace glimpse
