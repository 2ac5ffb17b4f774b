#include "core/anomaly.hpp"

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <vector>

#include "core/check.hpp"
#include "core/error.hpp"

namespace glimpse {

namespace {

thread_local bool anomaly_mode = false;

struct NonFinite {
    std::size_t index;  // row-major
    double value;
};

// The first element of a floating tensor that is NaN or infinite; none for other dtypes.
std::optional<NonFinite> first_non_finite(const Tensor& x) {
    if (!x.defined() || !is_floating(x.dtype())) return std::nullopt;
    const std::vector<double> values = x.to_vector();
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (!std::isfinite(values[i])) return NonFinite{i, values[i]};
    }
    return std::nullopt;
}

}  // namespace

bool is_anomaly_enabled() {
    return anomaly_mode;
}

void set_detect_anomaly(bool on) {
    anomaly_mode = on;
}

DetectAnomalyGuard::DetectAnomalyGuard() : previous_(anomaly_mode) {
    anomaly_mode = true;
}
DetectAnomalyGuard::~DetectAnomalyGuard() {
    anomaly_mode = previous_;
}

void check_forward_anomaly(std::string_view op, std::span<const Tensor> inputs,
                           const Tensor& output) {
    const std::optional<NonFinite> bad = first_non_finite(output);
    if (!bad) return;
    // Whether this op made the value or passed on one it was given.
    std::string origin = "from finite inputs";
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (const auto given = first_non_finite(inputs[i])) {
            origin = fmt::format("but its input {} {} already held {} (element {})", i,
                                 describe(inputs[i]), given->value, given->index);
            break;
        }
    }
    throw Error(fmt::format("detect_anomaly: '{}' made {} in its output {} (element {}), {}", op,
                            bad->value, describe(output), bad->index, origin));
}

void check_backward_anomaly(std::string_view op, std::size_t input, const Tensor& grad) {
    const std::optional<NonFinite> bad = first_non_finite(grad);
    if (!bad) return;
    throw Error(fmt::format(
        "detect_anomaly: the backward of '{}' made {} in the gradient for its input {} {} "
        "(element {})",
        op, bad->value, input, describe(grad), bad->index));
}

}  // namespace glimpse
