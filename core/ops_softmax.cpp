// Softmax, log-softmax and cross-entropy, all computed line by line along one dim. Each line is
// first shifted by its max, so exp never overflows; log_softmax is x - max - log(sum exp(x - max)),
// never log(softmax(x)), so that tiny probabilities keep their precision in the log.
//
// As in PyTorch, a line whose entries are all -infinity (everything masked) gives NaN: attention
// layers that may mask a whole row handle that case themselves.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/autograd.hpp"
#include "core/check.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/strided_loop.hpp"

namespace glimpse {

using Grads = std::vector<Tensor>;

namespace {

// f(in_first, out_first): the offsets of the first element of each line along d, in x and in out
// (two tensors of one shape).
template <typename F>
void for_each_line_pair(const Tensor& x, const Tensor& out, int64_t d, F f) {
    Shape starts = x.shape();
    starts[d] = 1;
    for_each_position<2>(starts, {&x.strides(), &out.strides()},
                         [&](const std::array<int64_t, 2>& o) { f(o[0], o[1]); });
}

// Writes softmax (or, with `log`, log_softmax) of every line of x along d into out, which has x's
// shape. Sums in double so that long float32 lines stay accurate.
void softmax_lines(const Tensor& x, const Tensor& out, int64_t d, bool log) {
    const int64_t length = x.shape()[d];
    const int64_t in_step = x.strides()[d];
    const int64_t out_step = out.strides()[d];
    dispatch_floating(x.dtype(), [&](auto zero) {
        using T = decltype(zero);
        const T* in = x.data<T>();
        T* result = out.data<T>();
        for_each_line_pair(x, out, d, [&](int64_t in_first, int64_t out_first) {
            const auto at = [&](int64_t i) {
                return static_cast<double>(in[in_first + i * in_step]);
            };
            double top = -std::numeric_limits<double>::infinity();
            for (int64_t i = 0; i < length; ++i) top = std::max(top, at(i));
            double total = 0;
            for (int64_t i = 0; i < length; ++i) total += std::exp(at(i) - top);
            const double log_total = std::log(total);
            for (int64_t i = 0; i < length; ++i) {
                const double shifted = at(i) - top;
                result[out_first + i * out_step] =
                    static_cast<T>(log ? shifted - log_total : std::exp(shifted) / total);
            }
        });
    });
}

// The plain (unrecorded) value of softmax or log_softmax; a 0-d x is one line of length 1.
Tensor softmax_value(const Tensor& x, int64_t d, bool log) {
    const Tensor lines = x.dim() == 0 ? x.detach().reshape({1}) : x;
    Tensor out = empty(lines.shape(), x.dtype());
    softmax_lines(lines, out, d, log);
    return out.view(x.shape());
}

void check_cross_entropy(const Tensor& logits, const Tensor& target,
                         const CrossEntropyOptions& options) {
    check_floating("cross_entropy", logits);
    check_dtype("cross_entropy", target, DType::Int64, "target");
    if (logits.dim() != 1 && logits.dim() != 2) {
        throw Error(
            fmt::format("cross_entropy: logits must be [N, C] or [C], got {}", describe(logits)));
    }
    const Shape expected = logits.dim() == 2 ? Shape{logits.size(0)} : Shape{};
    if (target.shape() != expected) {
        throw Error(
            fmt::format("cross_entropy: target {} does not fit logits {} (expected target {})",
                        describe(target), describe(logits), shape_str(expected)));
    }
    if (!(options.label_smoothing >= 0.0 && options.label_smoothing <= 1.0)) {
        throw Error(fmt::format("cross_entropy: label_smoothing must be in [0, 1], got {}",
                                options.label_smoothing));
    }
}

// The target classes, each checked to be a class of the logits or the ignore_index.
std::vector<int64_t> checked_targets(const Tensor& logits, const Tensor& target,
                                     int64_t ignore_index) {
    const Tensor values = target.contiguous();
    const int64_t* first = values.data<int64_t>();
    std::vector<int64_t> targets(first, first + values.numel());
    const int64_t classes = logits.size(-1);
    for (std::size_t n = 0; n < targets.size(); ++n) {
        const int64_t t = targets[n];
        if (t != ignore_index && (t < 0 || t >= classes)) {
            throw Error(
                fmt::format("cross_entropy: target {} at position {} is out of range for {} "
                            "classes (logits {}; "
                            "expected 0..{} or ignore_index {})",
                            t, n, classes, describe(logits), classes - 1, ignore_index));
        }
    }
    return targets;
}

// The loss of each row n: -sum_c q_c log p_c, where the target distribution q is
// (1 - eps) onehot(target) + eps / C; 0 for an ignored row. log_probs is [N, C], contiguous.
std::vector<double> row_losses(const Tensor& log_probs, const std::vector<int64_t>& targets,
                               const CrossEntropyOptions& options) {
    const int64_t classes = log_probs.size(1);
    const double eps = options.label_smoothing;
    const std::vector<double> lp = log_probs.to_vector();
    std::vector<double> losses(targets.size(), 0.0);
    for (std::size_t n = 0; n < targets.size(); ++n) {
        if (targets[n] == options.ignore_index) continue;
        const double* row = lp.data() + n * classes;
        losses[n] = -(1.0 - eps) * row[targets[n]];
        // Only with smoothing: eps * (-inf) would be NaN even for eps = 0 (a class masked out).
        if (eps > 0) losses[n] -= eps * std::accumulate(row, row + classes, 0.0) / classes;
    }
    return losses;
}

// How much each row's loss weighs in the output's gradient g: g itself per row (None), all of g
// (Sum) or g / count (Mean), and nothing for an ignored row.
std::vector<double> row_weights(const Tensor& g, const std::vector<int64_t>& targets,
                                const CrossEntropyOptions& options, int64_t count) {
    const std::vector<double> upstream = g.to_vector();
    std::vector<double> weights(targets.size(), 0.0);
    for (std::size_t n = 0; n < targets.size(); ++n) {
        if (targets[n] == options.ignore_index) continue;
        switch (options.reduction) {
            case Reduction::None:
                weights[n] = upstream[n];
                break;
            case Reduction::Sum:
                weights[n] = upstream[0];
                break;
            case Reduction::Mean:
                weights[n] = upstream[0] / static_cast<double>(count);
                break;
        }
    }
    return weights;
}

// The output: the row losses themselves (None: [N], 0 where ignored), their sum, or their mean
// over the non-ignored rows, where no such row gives 0 / 0 = NaN, as in PyTorch.
Tensor reduce_losses(const std::vector<double>& losses, int64_t count, Reduction reduction,
                     const Shape& shape, DType dtype) {
    const double total = std::accumulate(losses.begin(), losses.end(), 0.0);
    switch (reduction) {
        case Reduction::None:
            return tensor(losses, shape, dtype);
        case Reduction::Sum:
            return scalar_tensor(total, dtype);
        case Reduction::Mean:
            break;
    }
    return scalar_tensor(total / static_cast<double>(count), dtype);
}

// [N, C]: weights[n] * (softmax - q) for each row n, where q = (1 - eps) onehot(target) + eps / C
// is the target distribution; the gradient of the weighted row losses with respect to the logits.
Tensor softmax_minus_target(const Tensor& log_probs, const std::vector<int64_t>& targets,
                            const std::vector<double>& weights, double eps) {
    const int64_t classes = log_probs.size(1);
    Tensor grad = zeros(log_probs.shape(), log_probs.dtype());
    dispatch_floating(grad.dtype(), [&](auto zero) {
        using T = decltype(zero);
        const T* lp = log_probs.data<T>();
        T* result = grad.data<T>();
        for (std::size_t n = 0; n < targets.size(); ++n) {
            if (weights[n] == 0) continue;  // an ignored row, or no gradient flowing into it
            for (int64_t c = 0; c < classes; ++c) {
                const int64_t i = static_cast<int64_t>(n) * classes + c;
                const double q = (c == targets[n] ? 1.0 - eps : 0.0) + eps / classes;
                result[i] = static_cast<T>(weights[n] * (std::exp(lp[i]) - q));
            }
        }
    });
    return grad;
}

}  // namespace

Tensor softmax(const Tensor& x, int64_t dim) {
    check_floating("softmax", x);
    const int64_t d = normalize_dim("softmax", dim, x.dim());
    const Tensor y = softmax_value(x, d, false);
    // dy_i/dx_j = y_i (delta_ij - y_j), so dx = y * (g - sum(g * y)) along the line.
    return record("softmax", {x}, y,
                  [y, d](const Tensor& g) { return Grads{y * (g - sum(g * y, {d}, true))}; });
}

Tensor log_softmax(const Tensor& x, int64_t dim) {
    check_floating("log_softmax", x);
    const int64_t d = normalize_dim("log_softmax", dim, x.dim());
    const Tensor y = softmax_value(x, d, true);
    // dy_i/dx_j = delta_ij - softmax_j, so dx = g - exp(y) * sum(g) along the line.
    return record("log_softmax", {x}, y,
                  [y, d](const Tensor& g) { return Grads{g - exp(y) * sum(g, {d}, true)}; });
}

Tensor cross_entropy(const Tensor& logits, const Tensor& target,
                     const CrossEntropyOptions& options) {
    check_cross_entropy(logits, target, options);
    const Tensor scores = logits.dim() == 1 ? logits.detach().unsqueeze(0) : logits.detach();
    const std::vector<int64_t> targets = checked_targets(logits, target, options.ignore_index);
    Tensor log_probs = empty(scores.shape(), scores.dtype());  // [N, C]
    softmax_lines(scores, log_probs, 1, true);
    const std::vector<double> losses = row_losses(log_probs, targets, options);
    const auto count = static_cast<int64_t>(std::count_if(
        targets.begin(), targets.end(), [&](int64_t t) { return t != options.ignore_index; }));
    const Tensor out =
        reduce_losses(losses, count, options.reduction, target.shape(), logits.dtype());
    // d loss_n / d logit_nc = softmax_nc - q_nc (q the target distribution), scaled per row.
    return record("cross_entropy", {logits, target}, out,
                  [log_probs, targets, options, count, shape = logits.shape()](const Tensor& g) {
                      const std::vector<double> weights = row_weights(g, targets, options, count);
                      const Tensor grad = softmax_minus_target(log_probs, targets, weights,
                                                               options.label_smoothing);
                      return Grads{grad.view(shape), Tensor()};
                  });
}

}  // namespace glimpse
