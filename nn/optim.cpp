// The optimizers' updates are plain loops over the elements, written once for float and double:
// one pass per parameter per step, no temporaries (a training step of the benchmark model spends
// little time here). Each loop follows PyTorch's formula term by term, in the parameter's dtype.

#include "nn/optim.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <numeric>

#include "core/autograd.hpp"
#include "core/check.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"

namespace glimpse::nn {

namespace {

void check_nonnegative(const std::string& optimizer, const char* what, double value) {
    if (!(value >= 0.0)) {
        throw Error(fmt::format("{}: {} must be >= 0, got {}", optimizer, what, value));
    }
}

// The parameters an optimizer updates in place: defined, floating and contiguous (so that the
// update loops can walk their storage).
void check_params(const std::string& optimizer, const std::vector<Tensor>& params) {
    if (params.empty()) throw Error(optimizer + ": got an empty parameter list");
    for (std::size_t i = 0; i < params.size(); ++i) {
        const Tensor& p = params[i];
        if (!p.defined() || !is_floating(p.dtype()) || !p.is_contiguous()) {
            throw Error(fmt::format(
                "{}: parameter {} must be a contiguous floating tensor, got {}", optimizer, i,
                p.defined() ? describe(p) : std::string("an undefined tensor")));
        }
    }
}

}  // namespace

Optimizer::Optimizer(std::string name, std::vector<Tensor> params, double lr)
    : name_(std::move(name)), params_(std::move(params)) {
    check_params(name_, params_);
    set_lr(lr);
}

void Optimizer::set_lr(double lr) {
    check_nonnegative(name_, "lr", lr);
    lr_ = lr;
}

void Optimizer::step() {
    NoGradGuard no_grad;
    for (std::size_t i = 0; i < params_.size(); ++i) {
        const Tensor& p = params_[i];
        if (!p.requires_grad() || !p.grad().defined()) continue;  // frozen, or not used yet
        p.bump_version();
        update(i, p, p.grad().contiguous());
    }
}

void Optimizer::zero_grad() {
    for (const Tensor& p : params_) p.zero_grad();
}

// --- SGD ---

SGD::SGD(std::vector<Tensor> params, const SGDOptions& options)
    : Optimizer("SGD", std::move(params), options.lr), options_(options) {
    check_nonnegative(name_, "momentum", options.momentum);
    check_nonnegative(name_, "weight_decay", options.weight_decay);
    if (options.nesterov && (options.momentum <= 0 || options.dampening != 0)) {
        throw Error("SGD: nesterov needs momentum > 0 and dampening 0");
    }
    momentum_buffers_.resize(this->params().size());
}

void SGD::update(std::size_t i, const Tensor& param, const Tensor& grad) {
    const SGDOptions& o = options_;
    Tensor& buffer = momentum_buffers_[i];
    const bool first_step = !buffer.defined();
    if (o.momentum != 0 && first_step) buffer = zeros(param.shape(), param.dtype());
    dispatch_floating(param.dtype(), [&](auto zero) {
        using T = decltype(zero);
        const T rate = static_cast<T>(lr()), decay = static_cast<T>(o.weight_decay);
        const T momentum = static_cast<T>(o.momentum), keep = static_cast<T>(1 - o.dampening);
        T* p = param.data<T>();
        const T* g = grad.data<T>();
        T* b = o.momentum != 0 ? buffer.data<T>() : nullptr;
        const int64_t n = param.numel();
        for (int64_t k = 0; k < n; ++k) {
            T d = o.weight_decay != 0 ? g[k] + decay * p[k] : g[k];
            if (b) {
                b[k] = first_step ? d : momentum * b[k] + keep * d;
                d = o.nesterov ? d + momentum * b[k] : b[k];
            }
            p[k] -= rate * d;
        }
    });
}

// --- Adam and AdamW ---

Adam::Adam(std::vector<Tensor> params, const AdamOptions& options)
    : Adam("Adam", std::move(params), options, false) {}

Adam::Adam(std::string name, std::vector<Tensor> params, const AdamOptions& options,
           bool decoupled_weight_decay)
    : Optimizer(std::move(name), std::move(params), options.lr),
      options_(options),
      decoupled_weight_decay_(decoupled_weight_decay) {
    const auto [beta1, beta2] = options.betas;
    if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
        throw Error(fmt::format("{}: betas must be in [0, 1), got ({}, {})", name_, beta1, beta2));
    }
    check_nonnegative(name_, "eps", options.eps);
    check_nonnegative(name_, "weight_decay", options.weight_decay);
    states_.resize(this->params().size());
}

void Adam::update(std::size_t i, const Tensor& param, const Tensor& grad) {
    State& state = states_[i];
    if (state.step == 0) {
        state.exp_avg = zeros(param.shape(), param.dtype());
        state.exp_avg_sq = zeros(param.shape(), param.dtype());
    }
    ++state.step;
    // named copies, not a structured binding: clang 14 (make fuzz) cannot capture one in a lambda
    const double beta1 = options_.betas.first, beta2 = options_.betas.second;
    const double t = static_cast<double>(state.step);
    const double step_size = lr() / (1 - std::pow(beta1, t));
    const double correction2_sqrt = std::sqrt(1 - std::pow(beta2, t));
    const double decay = options_.weight_decay;
    dispatch_floating(param.dtype(), [&](auto zero) {
        using T = decltype(zero);
        const T b1 = static_cast<T>(beta1), b2 = static_cast<T>(beta2);
        const T one_minus_b1 = static_cast<T>(1 - beta1), one_minus_b2 = static_cast<T>(1 - beta2);
        const T shrink = static_cast<T>(1 - lr() * decay), l2 = static_cast<T>(decay);
        const T eps = static_cast<T>(options_.eps), step = static_cast<T>(step_size);
        const T c2 = static_cast<T>(correction2_sqrt);
        T* p = param.data<T>();
        const T* g = grad.data<T>();
        T* m = state.exp_avg.data<T>();
        T* v = state.exp_avg_sq.data<T>();
        const int64_t n = param.numel();
        // The decay switches are loop invariants (l2 = 0 without decay, shrink = 1 without
        // AdamW's) so that the loop has no branch and `omp simd` vectorises it, sqrt and all.
        const T l2_term = decoupled_weight_decay_ ? T(0) : l2;
        const T shrink_factor = decoupled_weight_decay_ ? shrink : T(1);
#pragma omp simd
        for (int64_t k = 0; k < n; ++k) {
            p[k] *= shrink_factor;               // AdamW
            const T gk = g[k] + l2_term * p[k];  // Adam
            m[k] = m[k] * b1 + one_minus_b1 * gk;
            v[k] = v[k] * b2 + one_minus_b2 * gk * gk;
            p[k] -= step * (m[k] / (std::sqrt(v[k]) / c2 + eps));
        }
    });
}

namespace {

AdamOptions as_adam(const AdamWOptions& o) {
    return {.lr = o.lr, .betas = o.betas, .eps = o.eps, .weight_decay = o.weight_decay};
}

}  // namespace

AdamW::AdamW(std::vector<Tensor> params, const AdamWOptions& options)
    : Adam("AdamW", std::move(params), as_adam(options), true) {}

// --- gradient clipping ---

namespace {

// In double, over 8 running sums: independent additions that pipeline (one sum would wait on
// each addition in turn) and keep float32's rounding out of the total.
double sum_of_squares(const Tensor& x) {
    return dispatch_floating(x.dtype(), [&](auto zero) {
        using T = decltype(zero);
        const T* v = x.data<T>();
        const int64_t n = x.numel();
        std::array<double, 8> sums{};
        int64_t i = 0;
        for (; i + 8 <= n; i += 8) {
            for (int64_t k = 0; k < 8; ++k) sums[k] += static_cast<double>(v[i + k]) * v[i + k];
        }
        for (; i < n; ++i) sums[0] += static_cast<double>(v[i]) * v[i];
        return std::accumulate(sums.begin(), sums.end(), 0.0);
    });
}

void scale_in_place(const Tensor& g, double scale) {
    if (!g.is_contiguous()) {
        copy_(g, g * scale);
        return;
    }
    g.bump_version();
    dispatch_floating(g.dtype(), [&](auto zero) {
        using T = decltype(zero);
        T* v = g.data<T>();
        const T factor = static_cast<T>(scale);
        const int64_t n = g.numel();
        for (int64_t i = 0; i < n; ++i) v[i] *= factor;
    });
}

}  // namespace

double clip_grad_norm(const std::vector<Tensor>& params, double max_norm) {
    // A negative bound would flip every gradient's sign; NaN would silently skip the clipping.
    if (!(max_norm >= 0)) {
        throw Error(fmt::format("clip_grad_norm: max_norm must be >= 0, got {}", max_norm));
    }
    NoGradGuard no_grad;
    std::vector<Tensor> grads;
    for (const Tensor& p : params) {
        if (p.defined() && p.grad().defined()) grads.push_back(p.grad());
    }
    double squares = 0;  // the sum of every gradient element squared
    for (const Tensor& g : grads) squares += sum_of_squares(g.contiguous());
    const double total = std::sqrt(squares);
    const double scale = max_norm / (total + 1e-6);
    if (scale < 1) {
        for (const Tensor& g : grads) scale_in_place(g, scale);
    }
    return total;
}

}  // namespace glimpse::nn
