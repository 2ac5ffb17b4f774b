#pragma once
// gradcheck: is a backward function right? Compare it with the derivative measured numerically.
//
// For y = f(inputs) and a random upstream gradient u (the shape of y), backpropagation computes
// the vector-Jacobian product  u^T dy/dx  for every input x. The same number can be measured
// without any backward code, one input element x_j at a time, by central differences:
//
//     d(sum(y * u)) / dx_j  ~  (sum(f(x + eps e_j) * u) - sum(f(x - eps e_j) * u)) / (2 eps)
//
// gradcheck does both and compares them entry by entry with PyTorch's allclose rule,
// |analytic - numeric| <= atol + rtol * |numeric|. Use it on your own ops and modules:
//
//     Tensor x = tensor({0.5, -1.0, 2.0}, {3}, DType::Float64).requires_grad_();
//     auto f = [](const std::vector<Tensor>& in) { return tanh(in[0]); };
//     GradcheckResult r = gradcheck(f, {x});
//     if (!r.passed) fmt::print("{}\n", r.summary());
//
// Only inputs that require grad are checked; the others are passed to f unchanged. Inputs must
// be float64: float32 rounding (about 1e-7) divided by 2 eps would swamp the measurement.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace glimpse {

struct GradcheckOptions {
    double eps = 1e-6;   // step of the central difference
    double atol = 1e-5;  // absolute tolerance
    double rtol = 1e-3;  // tolerance relative to the numeric value
    uint64_t seed = 0;   // picks the random upstream gradient u
};

struct GradcheckResult {
    bool passed = true;
    double max_abs_error = 0;  // largest |analytic - numeric|
    // Largest |analytic - numeric| / max(|analytic|, |numeric|, atol): relative to the size of
    // the entries, except that an error on entries near zero is measured against atol.
    double max_rel_error = 0;
    // The worst entry: the one furthest outside its tolerance (or closest to it, on a pass).
    int input = -1;  // which input (-1: no element was checked)
    Shape index;     // which element of it
    double analytic = 0, numeric = 0;

    // "FAIL: max abs error 3.1e-02, max rel 1.0e+00; worst: input 1 at [2, 0], analytic 0.25
    // vs numeric 0.5"
    std::string summary() const;
};

GradcheckResult gradcheck(const std::function<Tensor(const std::vector<Tensor>&)>& f,
                          const std::vector<Tensor>& inputs, const GradcheckOptions& options = {});

}  // namespace glimpse
