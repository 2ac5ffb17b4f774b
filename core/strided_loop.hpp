#pragma once
// Walking a strided tensor: the loop under every kernel that reads views, broadcasts or reduces.
// Internal header (included by kernels, not by users).

#include <array>
#include <cstdint>
#include <vector>

#include "core/shape.hpp"

namespace glimpse {

// Visits every position of `shape` in row-major order and calls f(offsets), where offsets[k] is
// that position's element offset in operand k (operand k walks the shape with strides[k]).
// A stride of 0 reads or writes the same element again: that is how broadcasting and reductions
// ride on the same loop.
template <std::size_t N, typename F>
void for_each_position(const Shape& shape, const std::array<const Strides*, N>& strides, F&& f) {
    const int64_t total = numel(shape);
    if (total == 0) return;
    std::array<int64_t, N> row_start{};
    const std::size_t rank = shape.size();
    if (rank == 0) {
        f(row_start);
        return;
    }
    const int64_t inner = shape[rank - 1];
    std::array<int64_t, N> inner_stride;
    bool unit_inner = true;  // every operand's last dim is contiguous: the usual case
    for (std::size_t k = 0; k < N; ++k) {
        inner_stride[k] = (*strides[k])[rank - 1];
        unit_inner = unit_inner && inner_stride[k] == 1;
    }

    std::vector<int64_t> index(rank, 0);
    for (int64_t done = 0; done < total; done += inner) {
        if (unit_inner) {
            // offsets computed from i alone: the compiler sees consecutive elements and vectorises
            for (int64_t i = 0; i < inner; ++i) {
                std::array<int64_t, N> offsets;
                for (std::size_t k = 0; k < N; ++k) offsets[k] = row_start[k] + i;
                f(offsets);
            }
        } else {
            std::array<int64_t, N> offsets = row_start;
            for (int64_t i = 0; i < inner; ++i) {
                f(offsets);
                for (std::size_t k = 0; k < N; ++k) offsets[k] += inner_stride[k];
            }
        }
        // Advance the outer dims like an odometer.
        for (std::size_t d = rank - 1; d-- > 0;) {
            ++index[d];
            for (std::size_t k = 0; k < N; ++k) row_start[k] += (*strides[k])[d];
            if (index[d] < shape[d]) break;
            for (std::size_t k = 0; k < N; ++k) row_start[k] -= (*strides[k])[d] * shape[d];
            index[d] = 0;
        }
    }
}

// One operand: f(offset) for every element, row-major.
template <typename F>
void for_each_element(const Shape& shape, const Strides& strides, F&& f) {
    for_each_position<1>(shape, {&strides}, [&](const std::array<int64_t, 1>& o) { f(o[0]); });
}

}  // namespace glimpse

namespace glimpse {

// The lines of a tensor along `dim`: f(first, line) for each, where `first` is the offset of the
// line's first element and `line` counts lines in row-major order of the other dims. Step along
// a line with strides[dim]. Softmax, max and cross-entropy work line by line.
template <typename F>
void for_each_line(const Shape& shape, const Strides& strides, int64_t dim, F&& f) {
    Shape starts = shape;
    starts[dim] = 1;
    int64_t line = 0;
    for_each_element(starts, strides, [&](int64_t first) { f(first, line++); });
}

}  // namespace glimpse
