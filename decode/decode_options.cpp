#include "decode/decode_options.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"

namespace glimpse::decode {

int64_t DecodeOptions::max_length_for(int64_t source_length) const {
    const int64_t length =
        max_length
            ? *max_length
            : static_cast<int64_t>(std::floor(max_length_a * static_cast<double>(source_length))) +
                  max_length_b;
    if (length < 1) {
        throw Error(
            fmt::format("decode: the maximum length must be at least 1, got {} (max_length {}, or "
                        "max_length_a {} * source length {} + max_length_b {})",
                        length, max_length ? fmt::format("{}", *max_length) : "unset", max_length_a,
                        source_length, max_length_b));
    }
    return length;
}

}  // namespace glimpse::decode
