#include "attention/source_dependence.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/autograd.hpp"
#include "core/check.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"

namespace glimpse::attention {

std::string SourceDependence::summary() const {
    return fmt::format("weights {} on the keys (largest change {:.3g})",
                       depends ? "depend" : "do NOT depend", largest_change);
}

SourceDependence check_source_dependence(const Attention& attention, const Tensor& query,
                                         const Tensor& keys, const Tensor& values,
                                         const Tensor& mask, int64_t step, double tolerance) {
    if (keys.dim() != 3 || keys.size(1) < 2) {
        throw Error(fmt::format(
            "check_source_dependence: keys {} must be [B, S, Hk] with S >= 2 to be moved",
            describe(keys)));
    }
    NoGradGuard no_grad;
    const int64_t length = keys.size(1);
    // Position s of `rolled` holds the key of position s + 1 (the last holds the first's).
    const Tensor rolled = cat({keys.narrow(1, 1, length - 1), keys.narrow(1, 0, 1)}, 1);
    const auto weights = [&](const Tensor& k) {
        return attention.forward(query, attention.prepare(k, values, mask), step)
            .weights.to_vector();
    };
    const std::vector<double> before = weights(keys);
    const std::vector<double> after = weights(rolled);
    const std::vector<double> keep =
        mask.defined() ? mask.to_vector() : std::vector<double>(before.size(), 1.0);
    SourceDependence result;
    for (std::size_t i = 0; i < before.size(); ++i) {
        if (keep[i] != 0) {
            result.largest_change = std::max(result.largest_change, std::abs(after[i] - before[i]));
        }
    }
    result.depends = result.largest_change > tolerance;
    return result;
}

}  // namespace glimpse::attention
