#include "nn/linear.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/check.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "nn/init.hpp"

namespace glimpse::nn {

namespace {

void check_linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
    check_floating("linear", x);
    check_floating("linear", weight);
    check_same_dtype("linear", x, weight);
    if (weight.dim() != 2) {
        throw Error(fmt::format("linear: weight must be [out, in], got {}", describe(weight)));
    }
    if (x.dim() == 0 || x.size(-1) != weight.size(1)) {
        throw Error(fmt::format("linear: input {} must end in {} features, the in of weight {}",
                                describe(x), weight.size(1), describe(weight)));
    }
    if (bias.defined() && bias.shape() != Shape{weight.size(0)}) {
        throw Error(fmt::format("linear: bias {} must be [{}], the out of weight {}",
                                describe(bias), weight.size(0), describe(weight)));
    }
}

}  // namespace

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
    check_linear(x, weight, bias);
    const Tensor y = matmul(x, weight.t());  // [..., in] @ [in, out] -> [..., out]
    return bias.defined() ? y + bias : y;    // bias [out] broadcasts over the leading dims
}

Linear::Linear(int64_t in, int64_t out, bool with_bias, DType dtype)
    : Module("Linear"), in_features(in), out_features(out) {
    if (in < 0 || out < 0) {
        throw Error(fmt::format("Linear: sizes must not be negative, got in={}, out={}", in, out));
    }
    // kaiming_uniform_(a = sqrt(5)) gives U(+-1/sqrt(in)) for the weight; the bias uses the same
    // bound (0 for a layer without inputs, as PyTorch).
    weight =
        register_parameter("weight", kaiming_uniform_(empty({out, in}, dtype), std::sqrt(5.0)));
    if (with_bias) {
        const double bound = in > 0 ? 1.0 / std::sqrt(static_cast<double>(in)) : 0.0;
        bias = register_parameter("bias", uniform_(empty({out}, dtype), -bound, bound));
    }
}

std::string Linear::extra_repr() const {
    return fmt::format("in_features={}, out_features={}, bias={}", in_features, out_features,
                       bias.defined());
}

}  // namespace glimpse::nn
