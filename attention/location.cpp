#include "attention/location.hpp"

#include <fmt/format.h>

#include "core/check.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"

namespace glimpse::attention {

LocationAttention::LocationAttention(int64_t query_size_, int64_t max_length_, DType dtype)
    : Attention("LocationAttention", query_size_, -1), max_length(max_length_) {
    location_proj = register_module(
        "location_proj", std::make_shared<nn::Linear>(query_size, max_length, false, dtype));
}

PreparedSource LocationAttention::prepare(const Tensor& keys, const Tensor& values,
                                          const Tensor& mask) const {
    PreparedSource source = Attention::prepare(keys, values, mask);
    if (keys.size(1) > max_length) {
        throw Error(fmt::format(
            "LocationAttention.prepare: keys {} are longer than max_length {}: the layer has "
            "one score per position up to max_length",
            describe(keys), max_length));
    }
    return source;
}

Tensor LocationAttention::score(const Tensor& query, const PreparedSource& source, int64_t) const {
    check_query(query, source);
    // [B, L], of which this batch's S positions.
    return location_proj->forward(query).narrow(1, 0, source.keys.size(1));
}

std::string LocationAttention::extra_repr() const {
    return fmt::format("query_size={}, max_length={}", query_size, max_length);
}

}  // namespace glimpse::attention
