// The losses are composed from core ops, so autograd derives their gradients.

#include "nn/losses.hpp"

#include <fmt/format.h>

#include "core/check.hpp"
#include "core/error.hpp"

namespace glimpse::nn {

namespace {

void check_nll_loss(const Tensor& log_probs, const Tensor& target) {
    check_floating("nll_loss", log_probs);
    check_dtype("nll_loss", target, DType::Int64, "target");
    if (log_probs.dim() != 1 && log_probs.dim() != 2) {
        throw Error(
            fmt::format("nll_loss: log_probs must be [N, C] or [C], got {}", describe(log_probs)));
    }
    const Shape expected = log_probs.dim() == 2 ? Shape{log_probs.size(0)} : Shape{};
    if (target.shape() != expected) {
        throw Error(
            fmt::format("nll_loss: target {} does not fit log_probs {} (expected target {})",
                        describe(target), describe(log_probs), shape_str(expected)));
    }
}

// Where each row's target sits in the flattened [N * C] log-probabilities (row n's first entry
// for an ignored row, whose value is then discarded), and whether the row counts.
struct Picks {
    std::vector<double> positions;
    std::vector<double> counted;  // 1 or 0
    int64_t count = 0;
};

Picks target_positions(const Tensor& target, int64_t classes, int64_t ignore_index) {
    Picks picks;
    const std::vector<double> targets = target.to_vector();
    for (std::size_t n = 0; n < targets.size(); ++n) {
        const auto t = static_cast<int64_t>(targets[n]);
        const bool ignored = t == ignore_index;
        if (!ignored && (t < 0 || t >= classes)) {
            throw Error(
                fmt::format("nll_loss: target {} at position {} is out of range for {} "
                            "classes (expected 0..{} or ignore_index {})",
                            t, n, classes, classes - 1, ignore_index));
        }
        picks.positions.push_back(static_cast<double>(n * classes + (ignored ? 0 : t)));
        picks.counted.push_back(ignored ? 0.0 : 1.0);
        picks.count += ignored ? 0 : 1;
    }
    return picks;
}

// The losses as asked: each (None), their sum, or their sum divided by `count` (Mean).
Tensor reduce(const Tensor& losses, Reduction reduction, int64_t count) {
    switch (reduction) {
        case Reduction::None:
            return losses;
        case Reduction::Sum:
            return sum(losses);
        case Reduction::Mean:
            break;
    }
    return sum(losses) / static_cast<double>(count);
}

}  // namespace

Tensor nll_loss(const Tensor& log_probs, const Tensor& target, const NllLossOptions& options) {
    check_nll_loss(log_probs, target);
    const int64_t classes = log_probs.size(-1);
    const Picks picks = target_positions(target, classes, options.ignore_index);
    const auto rows = static_cast<int64_t>(picks.positions.size());
    const Tensor index = tensor(picks.positions, {rows}, DType::Int64);
    const Tensor picked = index_select(log_probs.reshape({-1}), 0, index);  // [N]: log p(target)
    // 0, not -picked * 0, where ignored: an ignored row's log-probability may be -inf.
    const Tensor counted = tensor(picks.counted, {rows}, DType::Bool);
    const Tensor losses = where(counted, -picked, zeros({rows}, log_probs.dtype()));  // [N]
    return reduce(losses.view(target.shape()), options.reduction, picks.count);
}

Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
    check_floating("mse_loss", input);
    check_same_dtype("mse_loss", input, target);
    if (input.shape() != target.shape()) {
        throw Error(fmt::format("mse_loss: input {} and target {} must have one shape",
                                describe(input), describe(target)));
    }
    const Tensor difference = input - target;
    return reduce(difference * difference, reduction, input.numel());
}

}  // namespace glimpse::nn
