// gradcheck: backpropagation against central differences (the method is in gradcheck.hpp).

#include "core/gradcheck.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/autograd.hpp"
#include "core/check.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "core/strided_loop.hpp"

namespace glimpse {

namespace {

using Function = std::function<Tensor(const std::vector<Tensor>&)>;
using Gradient = std::vector<double>;  // one value per element of an input, row-major

// Float32 rounding (about 1e-7) divided by 2 eps would swamp the measurement; and one stored
// element of an expanded tensor is several of its logical elements, so it cannot be nudged alone.
void check_input(const Tensor& x, std::size_t i) {
    if (!x.defined()) throw Error(fmt::format("gradcheck: input {} is undefined", i));
    if (is_floating(x.dtype()) && x.dtype() != DType::Float64) {
        throw Error(fmt::format(
            "gradcheck: input {} is {}, but central differences need float64: convert it with "
            ".to(DType::Float64)",
            i, describe(x)));
    }
    if (!x.requires_grad()) return;
    for (int64_t d = 0; d < x.dim(); ++d) {
        if (x.strides()[d] == 0 && x.shape()[d] > 1) {
            throw Error(fmt::format(
                "gradcheck: input {} ({}) is expanded (stride 0 in dim {}): its elements share "
                "memory and cannot be nudged one at a time; pass a contiguous tensor and expand "
                "it inside f",
                i, describe(x), d));
        }
    }
}

// A leaf with its own copy of x's storage and x's layout (strides, offset: a transposed input
// stays transposed). Nudging its elements touches neither the caller's tensors nor another input
// that shares their memory, and its .grad starts empty.
Tensor private_leaf(const Tensor& x) {
    const Storage& source = *x.impl()->storage;
    auto impl = std::make_shared<TensorImpl>();
    impl->storage = std::make_shared<Storage>(source.nbytes);
    std::memcpy(impl->storage->data, source.data, source.nbytes);
    impl->shape = x.shape();
    impl->strides = x.strides();
    impl->offset = x.offset();
    impl->dtype = x.dtype();
    impl->requires_grad = x.requires_grad();
    return Tensor(std::move(impl));
}

// y = f(inputs), checked to be a float64 tensor of the expected shape (when one is given).
Tensor evaluate(const Function& f, const std::vector<Tensor>& inputs, const Shape* expected) {
    const Tensor y = f(inputs);
    if (!y.defined()) throw Error("gradcheck: f returned an undefined tensor");
    if (y.dtype() != DType::Float64) {
        throw Error(fmt::format("gradcheck: f returned {}; compute in float64", describe(y)));
    }
    if (expected && y.shape() != *expected) {
        throw Error(fmt::format("gradcheck: f returned shape {}, then {} for nudged inputs",
                                shape_str(*expected), shape_str(y.shape())));
    }
    return y;
}

// sum(y * u): the scalar whose derivative is the vector-Jacobian product.
double weighted_sum(const Tensor& y, const std::vector<double>& u) {
    const std::vector<double> values = y.to_vector();
    double total = 0;
    for (std::size_t k = 0; k < values.size(); ++k) total += values[k] * u[k];
    return total;
}

// u^T dy/dx for every input x, by backpropagation. An input that y does not depend on receives
// no gradient at all: its products are zeros.
std::vector<Gradient> analytic_gradients(const Tensor& y, const Tensor& u,
                                         const std::vector<Tensor>& leaves) {
    if (y.requires_grad()) y.backward(u);
    std::vector<Gradient> gradients;
    for (const Tensor& leaf : leaves) {
        const bool has_grad = leaf.requires_grad() && leaf.grad().defined();
        gradients.push_back(has_grad ? leaf.grad().to_vector() : Gradient(leaf.numel(), 0.0));
    }
    return gradients;
}

// The same products for input i measured by central differences: each element in turn is
// nudged in place (found through the strides, so views work) and then restored exactly.
Gradient numeric_gradient(const Function& f, const std::vector<Tensor>& leaves, std::size_t i,
                          const std::vector<double>& u, const Shape& y_shape, double eps) {
    NoGradGuard no_grad;
    const Tensor& x = leaves[i];
    double* data = x.data<double>();
    Gradient gradient;
    for_each_element(x.shape(), x.strides(), [&](int64_t offset) {
        const double original = data[offset];
        data[offset] = original + eps;
        const double plus = weighted_sum(evaluate(f, leaves, &y_shape), u);
        data[offset] = original - eps;
        const double minus = weighted_sum(evaluate(f, leaves, &y_shape), u);
        data[offset] = original;
        gradient.push_back((plus - minus) / (2 * eps));
    });
    return gradient;
}

// largest = max(largest, value), except that a NaN wins and stays, so that it gets reported.
void keep_largest(double& largest, double value) {
    if (std::isnan(value) || value > largest) largest = value;
}

// Compares entries one by one and keeps the worst: the one that uses up the most tolerances,
// |analytic - numeric| / (atol + rtol |numeric|). The check passes when none uses more than one.
class Comparison {
  public:
    explicit Comparison(const GradcheckOptions& options) : options_(options) {}

    void add(int input, const Shape& shape, int64_t flat, double analytic, double numeric) {
        const double error = std::abs(analytic - numeric);
        const double size = std::max({std::abs(analytic), std::abs(numeric), options_.atol});
        keep_largest(result_.max_abs_error, error);
        keep_largest(result_.max_rel_error, error == 0 ? 0 : error / size);
        const double used =
            tolerances_used(error, options_.atol + options_.rtol * std::abs(numeric));
        if (used > worst_) {
            worst_ = used;
            result_.input = input;
            result_.index = unravel(flat, shape);
            result_.analytic = analytic;
            result_.numeric = numeric;
        }
        result_.passed = worst_ <= 1;
    }

    const GradcheckResult& result() const { return result_; }

  private:
    // How many tolerances an error uses up. NaN is infinitely bad.
    static double tolerances_used(double error, double tolerance) {
        if (error == 0) return 0;
        const double ratio = error / tolerance;
        return std::isnan(ratio) ? std::numeric_limits<double>::infinity() : ratio;
    }

    const GradcheckOptions& options_;
    GradcheckResult result_;
    double worst_ = -1;  // tolerances used by the worst entry so far
};

// The tensors f is called with: a private leaf for each input that requires grad (see
// private_leaf), the other inputs as they are.
std::vector<Tensor> prepare_leaves(const std::vector<Tensor>& inputs) {
    std::vector<Tensor> leaves;
    bool any_checked = false;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        check_input(inputs[i], i);
        any_checked = any_checked || inputs[i].requires_grad();
        leaves.push_back(inputs[i].requires_grad() ? private_leaf(inputs[i]) : inputs[i]);
    }
    if (!any_checked) {
        throw Error(
            "gradcheck: no input requires grad; mark those to check with .requires_grad_()");
    }
    return leaves;
}

}  // namespace

GradcheckResult gradcheck(const Function& f, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options) {
    if (!grad_enabled()) {
        throw Error("gradcheck: called under a NoGradGuard, so no graph would be recorded");
    }
    const std::vector<Tensor> leaves = prepare_leaves(inputs);
    const Tensor y = evaluate(f, leaves, nullptr);
    // Random weights, so that no entry of the Jacobian can hide behind a zero; seeded, so that
    // every run checks the same product.
    Generator generator(options.seed);
    const Tensor u = uniform(y.shape(), -1, 1, DType::Float64, generator);
    const std::vector<Gradient> analytic = analytic_gradients(y, u, leaves);

    Comparison comparison(options);
    for (std::size_t i = 0; i < leaves.size(); ++i) {
        if (!leaves[i].requires_grad()) continue;
        const Gradient numeric =
            numeric_gradient(f, leaves, i, u.to_vector(), y.shape(), options.eps);
        for (std::size_t j = 0; j < numeric.size(); ++j) {
            comparison.add(static_cast<int>(i), leaves[i].shape(), static_cast<int64_t>(j),
                           analytic[i][j], numeric[j]);
        }
    }
    return comparison.result();
}

std::string GradcheckResult::summary() const {
    std::string text = fmt::format("{}: max abs error {:.1e}, max rel {:.1e}",
                                   passed ? "PASS" : "FAIL", max_abs_error, max_rel_error);
    if (!passed) {
        text += fmt::format("; worst: input {} at {}, analytic {:.6g} vs numeric {:.6g}", input,
                            shape_str(index), analytic, numeric);
    }
    return text;
}

}  // namespace glimpse
