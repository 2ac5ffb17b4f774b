#include "core/check.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace glimpse {

std::string describe(const Tensor& x) {
    if (!x.defined()) return "undefined";
    return fmt::format("{} {}", shape_str(x.shape()), dtype_name(x.dtype()));
}

void check_defined(const char* op, const Tensor& x) {
    if (!x.defined()) throw Error(fmt::format("{}: got an undefined tensor", op));
}

void check_floating(const char* op, const Tensor& x) {
    check_defined(op, x);
    if (!is_floating(x.dtype())) {
        throw Error(
            fmt::format("{}: expected a float32 or float64 tensor, got {}", op, describe(x)));
    }
}

void check_dtype(const char* op, const Tensor& x, DType expected, const char* what) {
    check_defined(op, x);
    if (x.dtype() != expected) {
        throw Error(
            fmt::format("{}: {} must be {}, got {}", op, what, dtype_name(expected), describe(x)));
    }
}

void check_same_dtype(const char* op, const Tensor& a, const Tensor& b) {
    check_defined(op, a);
    check_defined(op, b);
    if (a.dtype() != b.dtype()) {
        throw Error(fmt::format("{}: dtypes differ: {} and {} (convert one with .to())", op,
                                describe(a), describe(b)));
    }
}

Shape broadcast_or_throw(const char* op, const Tensor& a, const Tensor& b) {
    Shape out;
    if (!broadcast_shapes(a.shape(), b.shape(), out)) {
        throw Error(fmt::format("{}: shapes {} and {} do not broadcast", op, shape_str(a.shape()),
                                shape_str(b.shape())));
    }
    return out;
}

}  // namespace glimpse
