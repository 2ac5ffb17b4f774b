#include "attention/attention.hpp"

#include <fmt/format.h>

#include <utility>

#include "attention/batched_products.hpp"
#include "attention/masked_softmax.hpp"
#include "core/check.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"

namespace glimpse::attention {

Attention::Attention(std::string name, int64_t query_size_, int64_t key_size_)
    : nn::Module(std::move(name)), query_size(query_size_), key_size(key_size_) {
    if (query_size <= 0 || key_size == 0 || key_size < -1) {
        throw Error(fmt::format("{}: sizes must be positive, got query_size={}, key_size={}",
                                type_name(), query_size, key_size));
    }
}

PreparedSource Attention::prepare(const Tensor& keys, const Tensor& values,
                                  const Tensor& mask) const {
    const std::string op = type_name() + ".prepare";
    check_floating(op.c_str(), keys);
    check_floating(op.c_str(), values);
    check_same_dtype(op.c_str(), keys, values);
    if (keys.dim() != 3 || values.dim() != 3 || keys.size(0) != values.size(0) ||
        keys.size(1) != values.size(1)) {
        throw Error(fmt::format("{}: keys {} and values {} must be [B, S, Hk] and [B, S, Hv]", op,
                                describe(keys), describe(values)));
    }
    if (key_size != -1 && keys.size(2) != key_size) {
        throw Error(
            fmt::format("{}: keys {} must end in key_size {}", op, describe(keys), key_size));
    }
    if (mask.defined()) {
        check_dtype(op.c_str(), mask, DType::Bool, "mask");
        if (mask.shape() != Shape{keys.size(0), keys.size(1)}) {
            throw Error(fmt::format("{}: mask {} must be [B, S] = [{}, {}] for keys {}", op,
                                    describe(mask), keys.size(0), keys.size(1), describe(keys)));
        }
    }
    return {keys, values, mask, project_keys(keys)};
}

Tensor Attention::project_keys(const Tensor&) const {
    return Tensor();
}

void Attention::check_query(const Tensor& query, const PreparedSource& source) const {
    const std::string op = type_name() + ".forward";
    check_floating(op.c_str(), query);
    check_same_dtype(op.c_str(), query, source.keys);
    if (query.shape() != Shape{source.keys.size(0), query_size}) {
        throw Error(fmt::format("{}: query {} must be [B, query_size] = [{}, {}] (keys {})", op,
                                describe(query), source.keys.size(0), query_size,
                                describe(source.keys)));
    }
}

AttentionOutput Attention::forward(const Tensor& query, const PreparedSource& source,
                                   int64_t step) const {
    const Tensor weights = masked_softmax(score(query, source, step), source.mask);  // [B, S]
    return {attend(weights, source.values), weights};
}

PreparedSource Attention::select_rows(const PreparedSource& source, const Tensor& rows) const {
    const auto pick = [&](const Tensor& x) {
        return x.defined() ? index_select(x, 0, rows) : Tensor();
    };
    // The keys are often the values too (the encoder's states): then they are gathered once,
    // and stay one tensor for the next selection.
    const Tensor keys = pick(source.keys);
    const bool shared = source.values.impl() == source.keys.impl();
    return {keys, shared ? keys : pick(source.values), pick(source.mask), pick(source.projected)};
}

}  // namespace glimpse::attention
