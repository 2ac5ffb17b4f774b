#include "attention/local.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "attention/batched_products.hpp"
#include "attention/masked_softmax.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"

namespace glimpse::attention {

namespace {

const char* mode_name(LocalMode mode) {
    return mode == LocalMode::Monotonic ? "local-m" : "local-p";
}

const Attention& checked_inner(const std::shared_ptr<Attention>& inner) {
    if (!inner) throw Error("LocalAttention: the inner scorer is null");
    return *inner;
}

// bool [B, S]: true where position s of row b is unmasked and within D of the row's centre.
Tensor window_mask(const std::vector<double>& centres, const PreparedSource& source,
                   int64_t window) {
    const int64_t batch = source.keys.size(0);
    const int64_t length = source.keys.size(1);
    std::vector<double> keep =
        source.mask.defined() ? source.mask.to_vector() : std::vector<double>(batch * length, 1.0);
    for (int64_t b = 0; b < batch; ++b) {
        for (int64_t s = 0; s < length; ++s) {
            if (std::abs(static_cast<double>(s) - centres[b]) > window) keep[b * length + s] = 0;
        }
    }
    return tensor(keep, {batch, length}, DType::Bool);
}

}  // namespace

LocalAttention::LocalAttention(std::shared_ptr<Attention> inner_, LocalMode mode_, int64_t window_,
                               int64_t position_size, DType dtype)
    : Attention("LocalAttention", checked_inner(inner_).query_size, checked_inner(inner_).key_size),
      mode(mode_),
      window(window_) {
    const bool predictive = mode == LocalMode::Predictive;
    if (window < (predictive ? 1 : 0) || (predictive ? position_size <= 0 : position_size != 0)) {
        throw Error(fmt::format(
            "LocalAttention: {} needs window >= {} and position_size {}, got window={}, "
            "position_size={}",
            mode_name(mode), predictive ? 1 : 0, predictive ? "> 0" : "0", window, position_size));
    }
    inner = register_module("inner", std::move(inner_));
    if (predictive) {
        position_proj = register_module(
            "position_proj", std::make_shared<nn::Linear>(query_size, position_size, false, dtype));
        position_v = register_module("position_v",
                                     std::make_shared<nn::Linear>(position_size, 1, false, dtype));
    }
}

PreparedSource LocalAttention::prepare(const Tensor& keys, const Tensor& values,
                                       const Tensor& mask) const {
    return inner->prepare(keys, values, mask);
}

Tensor LocalAttention::score(const Tensor& query, const PreparedSource& source,
                             int64_t step) const {
    return inner->score(query, source, step);
}

Tensor LocalAttention::centre(const Tensor& query, const PreparedSource& source,
                              int64_t step) const {
    check_query(query, source);
    const std::vector<int64_t> lengths = source_lengths(source);
    const auto batch = static_cast<int64_t>(lengths.size());
    std::vector<double> per_row(lengths.begin(), lengths.end());  // S_b
    if (mode == LocalMode::Monotonic) {
        for (double& p : per_row) p = std::max(0.0, std::min(static_cast<double>(step), p - 1));
        return tensor(per_row, {batch}, query.dtype());  // t, clamped into [0, S_b - 1]
    }
    // S_b * sigmoid(v_p^T tanh(W_p q)): [B, A] -> [B, 1] -> [B]
    const Tensor unit = sigmoid(position_v->forward(tanh(position_proj->forward(query))));
    return unit.squeeze(1) * tensor(per_row, {batch}, query.dtype());
}

AttentionOutput LocalAttention::forward(const Tensor& query, const PreparedSource& source,
                                        int64_t step) const {
    const int64_t length = source.keys.size(1);
    const Tensor centres = centre(query, source, step);  // [B]
    const Tensor in_window = window_mask(centres.to_vector(), source, window);
    Tensor weights = masked_softmax(score(query, source, step), in_window);  // [B, S]
    if (mode == LocalMode::Predictive) {
        const double sigma = static_cast<double>(window) / 2;
        const Tensor positions = arange(0.0, static_cast<double>(length), 1.0, query.dtype());
        const Tensor offset = positions.unsqueeze(0) - centres.unsqueeze(1);  // [B, S]
        weights = weights * exp(offset * offset * (-1.0 / (2 * sigma * sigma)));
    }
    return {attend(weights, source.values), weights};
}

std::string LocalAttention::extra_repr() const {
    return fmt::format("mode={}, window={}", mode_name(mode), window);
}

std::vector<int64_t> source_lengths(const PreparedSource& source) {
    const int64_t batch = source.keys.size(0);
    const int64_t length = source.keys.size(1);
    if (!source.mask.defined()) return std::vector<int64_t>(batch, length);
    const std::vector<double> keep = source.mask.to_vector();
    std::vector<int64_t> lengths(batch, 0);
    for (int64_t b = 0; b < batch; ++b) {
        lengths[b] = std::count(keep.begin() + b * length, keep.begin() + (b + 1) * length, 1.0);
    }
    return lengths;
}

}  // namespace glimpse::attention
