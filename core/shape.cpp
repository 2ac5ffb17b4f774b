#include "core/shape.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace glimpse {

int64_t numel(const Shape& shape) {
    int64_t n = 1;
    for (int64_t extent : shape) n *= extent;
    return n;
}

Strides contiguous_strides(const Shape& shape) {
    Strides strides(shape.size());
    int64_t step = 1;
    for (std::size_t d = shape.size(); d-- > 0;) {
        strides[d] = step;
        step *= shape[d];
    }
    return strides;
}

std::string shape_str(const Shape& shape) {
    return fmt::format("[{}]", fmt::join(shape, ", "));
}

bool broadcast_shapes(const Shape& a, const Shape& b, Shape& out) {
    const std::size_t rank = std::max(a.size(), b.size());
    Shape result(rank);
    for (std::size_t i = 0; i < rank; ++i) {
        // Align from the right: a missing leading dim acts as extent 1.
        const int64_t ea = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
        const int64_t eb = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
        if (ea != eb && ea != 1 && eb != 1) return false;
        result[i] = ea == 1 ? eb : ea;
    }
    out = std::move(result);
    return true;
}

Strides broadcast_strides(const Shape& shape, const Strides& strides, const Shape& target) {
    Strides result(target.size(), 0);
    const std::size_t lead = target.size() - shape.size();
    for (std::size_t d = 0; d < shape.size(); ++d) {
        result[lead + d] = shape[d] == target[lead + d] ? strides[d] : 0;
    }
    return result;
}

int64_t normalize_dim(const char* op, int64_t dim, int64_t rank) {
    const int64_t lowest = rank == 0 ? -1 : -rank;
    const int64_t highest = rank == 0 ? 0 : rank - 1;
    if (dim < lowest || dim > highest) {
        throw Error(
            fmt::format("{}: dim {} is out of range for a tensor of rank {} (expected {}..{})", op,
                        dim, rank, lowest, highest));
    }
    return dim < 0 ? dim + std::max<int64_t>(rank, 1) : dim;
}

Shape unravel(int64_t flat, const Shape& shape) {
    Shape index(shape.size());
    for (std::size_t d = shape.size(); d-- > 0;) {
        index[d] = flat % shape[d];
        flat /= shape[d];
    }
    return index;
}

}  // namespace glimpse
